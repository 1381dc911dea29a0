//! PNG encoding of a rendered chart. Charts are flat colours plus anti-aliased
//! edges, so an 8-bit palette of the 256 most used colours (the rest mapped to
//! their nearest palette colour) keeps them visually identical at about a third
//! of the size of true colour. Fixed settings and a deterministic palette keep
//! the bytes a function of the pixels only.
//!
//! A chart has a million pixels or so and most of them continue a run of one
//! colour (background, bars, thick lines), so each run is counted and looked up
//! once, in maps keyed by the packed colour with a multiplicative hash: hashing
//! every pixel with the standard library's SipHash was a third of the time a
//! run spent on its charts.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Encode a `width` x `height` RGB buffer as an indexed-colour PNG.
pub fn png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let (palette, data) = indexed(rgb);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette.iter().flat_map(|&c| rgb_of(c)).collect::<Vec<u8>>());
        enc.set_compression(png::Compression::Default);
        enc.set_filter(png::FilterType::NoFilter);
        let mut w = enc.write_header()?;
        w.write_image_data(&data)?;
        w.finish()?;
    }
    Ok(out)
}

/// A colour packed as `0xRRGGBB`: packed colours order as their `[r, g, b]`
/// arrays do, so ties broken on them break as on the arrays.
type Colour = u32;

fn colour(p: &[u8]) -> Colour {
    u32::from(p[0]) << 16 | u32::from(p[1]) << 8 | u32::from(p[2])
}

fn rgb_of(c: Colour) -> [u8; 3] {
    [(c >> 16) as u8, (c >> 8) as u8, c as u8]
}

/// The palette (most used colours first, ties by colour, at most 256) and
/// each pixel's index into it.
fn indexed(rgb: &[u8]) -> (Vec<Colour>, Vec<u8>) {
    let pixels = rgb.chunks_exact(3).map(colour);
    let mut counts: HashMap<Colour, u64, Fast> = HashMap::default();
    let mut rest = pixels.clone().peekable();
    while let Some(c) = rest.next() {
        let mut n = 1;
        while rest.next_if_eq(&c).is_some() {
            n += 1;
        }
        *counts.entry(c).or_default() += n;
    }
    let mut by_use: Vec<(Colour, u64)> = counts.into_iter().collect();
    // Most used first; ties by colour so the order never depends on hashing.
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<Colour> = by_use.iter().take(256).map(|c| c.0).collect();
    let mut index: HashMap<Colour, u8, Fast> = palette
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, i as u8))
        .collect();
    for &(c, _) in by_use.iter().skip(256) {
        index.insert(c, nearest(&palette, c));
    }
    let mut last: Option<(Colour, u8)> = None;
    let data = pixels
        .map(|c| match last {
            Some((l, i)) if l == c => i,
            _ => {
                let i = index[&c];
                last = Some((c, i));
                i
            }
        })
        .collect();
    (palette, data)
}

/// The index of the palette colour nearest `c` (squared distance in RGB; the
/// first of equals).
fn nearest(palette: &[Colour], c: Colour) -> u8 {
    let c = rgb_of(c);
    palette
        .iter()
        .enumerate()
        .min_by_key(|(_, &p)| {
            let p = rgb_of(p);
            (0..3)
                .map(|k| (i32::from(p[k]) - i32::from(c[k])).pow(2))
                .sum::<i32>()
        })
        .map_or(0, |(i, _)| i as u8)
}

/// A multiplicative hash of a packed colour: colours are not chosen by an
/// adversary, and the map's order is never read (the palette is sorted).
type Fast = BuildHasherDefault<ColourHash>;

#[derive(Default)]
struct ColourHash(u64);

impl Hasher for ColourHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, c: u32) {
        // Fibonacci hashing, folded so the low bits (the bucket) and the
        // high bits (the map's tag) both depend on every bit of the colour.
        let h = (self.0 ^ u64::from(c)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    /// The palette and indices as first written: every pixel counted and
    /// looked up on its own.
    fn by_pixel(rgb: &[u8]) -> (Vec<u32>, Vec<u8>) {
        let pixels: Vec<u32> = rgb.chunks_exact(3).map(super::colour).collect();
        let mut counts = BTreeMap::<u32, u64>::new();
        for &p in &pixels {
            *counts.entry(p).or_default() += 1;
        }
        let mut by_use: Vec<(u32, u64)> = counts.into_iter().collect();
        by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let palette: Vec<u32> = by_use.iter().take(256).map(|c| c.0).collect();
        let index = |p: u32| match palette.iter().position(|&c| c == p) {
            Some(i) => i as u8,
            None => super::nearest(&palette, p),
        };
        (palette.clone(), pixels.iter().map(|&p| index(p)).collect())
    }

    #[test]
    fn counting_runs_gives_the_palette_and_indices_of_counting_pixels() {
        // 400 colours in runs of 1 to 7 pixels, some colours recurring, so
        // that 144 fall outside the palette and map to their nearest.
        let mut rgb = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..3000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let c = (x >> 8) % 400;
            let colour = [(c * 7 % 256) as u8, (c * 13 % 256) as u8, (c / 2) as u8];
            for _ in 0..1 + (x >> 24) % 7 {
                rgb.extend_from_slice(&colour);
            }
        }
        let (palette, data) = super::indexed(&rgb);
        assert_eq!(palette.len(), 256);
        assert_eq!((palette, data), by_pixel(&rgb));
    }

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
