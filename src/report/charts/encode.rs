//! PNG encoding of a rendered chart. Charts are flat colours plus anti-aliased
//! edges, so an 8-bit palette of the 256 most used colours (the rest mapped to
//! their nearest palette colour) keeps them visually identical at about a third
//! of the size of true colour. Fixed settings and a deterministic palette keep
//! the bytes a function of the pixels only.

use std::collections::HashMap;

/// Encode a `width` x `height` RGB buffer as an indexed-colour PNG.
pub fn png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let pixels: Vec<[u8; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    let mut counts: HashMap<[u8; 3], u64> = HashMap::new();
    for p in &pixels {
        *counts.entry(*p).or_default() += 1;
    }
    let mut by_use: Vec<([u8; 3], u64)> = counts.into_iter().collect();
    // Most used first; ties by colour so the order never depends on hashing.
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = by_use.iter().take(256).map(|c| c.0).collect();
    let mut index: HashMap<[u8; 3], u8> = palette
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i as u8))
        .collect();
    for (c, _) in by_use.iter().skip(256) {
        let nearest = palette
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| {
                (0..3)
                    .map(|k| (i32::from(p[k]) - i32::from(c[k])).pow(2))
                    .sum::<i32>()
            })
            .map_or(0, |(i, _)| i as u8);
        index.insert(*c, nearest);
    }
    let data: Vec<u8> = pixels.iter().map(|p| index[p]).collect();
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette.concat());
        enc.set_compression(png::Compression::Best);
        enc.set_filter(png::FilterType::NoFilter);
        let mut w = enc.write_header()?;
        w.write_image_data(&data)?;
        w.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_a_decodable_indexed_image() {
        let mut rgb = vec![255u8; 4 * 3 * 3];
        rgb[0..3].copy_from_slice(&[10, 20, 30]);
        let bytes = super::png(&rgb, 4, 3).unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(&bytes));
        let r = dec.read_info().unwrap();
        assert_eq!((r.info().width, r.info().height), (4, 3));
        assert_eq!(r.info().color_type, png::ColorType::Indexed);
    }
}
