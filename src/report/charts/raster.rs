//! The bitmap backend with correct glyph placement. plotters' own ab_glyph text
//! drawing drops each glyph's side bearing, which makes letters drift apart
//! ("Ian don" for "London") at chart label sizes. This wrapper delegates all
//! shapes to `BitMapBackend` and lays glyphs out itself (advance, kerning and
//! bearing from the bundled font), anchored and rotated as plotters expects.

use ab_glyph::{point, Font, FontRef, ScaleFont};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use plotters_bitmap::BitMapBackendError;

/// Where the baseline sits below the top of a text box, in font sizes; the same
/// as the SVG backend's `dy="0.76em"` with its font-size of size / 1.24.
const BASELINE: f32 = 0.76 / 1.24;

/// A bitmap backend drawing text with the bundled font.
pub struct Raster<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> Raster<'a> {
    /// Wrap a bitmap backend.
    pub fn new(inner: BitMapBackend<'a>, font: FontRef<'static>) -> Self {
        Self { inner, font }
    }
}

type Res = Result<(), DrawingErrorKind<BitMapBackendError>>;

impl DrawingBackend for Raster<'_> {
    type ErrorType = BitMapBackendError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Res {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Res {
        self.inner.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Res {
        self.inner.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Res {
        self.inner.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res {
        self.inner.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> Res {
        self.inner.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res {
        self.inner.fill_polygon(vert, s)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Res {
        self.inner.blit_bitmap(pos, (w, h), src)
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Res {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32;
        let font = self.font.as_scaled(size);
        // Lay the glyphs out on a baseline at y = 0.
        let mut caret = 0.0f32;
        let mut prev = None;
        let mut glyphs = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                caret += font.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(size, point(caret, 0.0)));
            caret += font.h_advance(id);
            prev = Some(id);
        }
        let width = caret.round() as i32;
        let height = (size / 1.24).round() as i32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let base = (BASELINE * size).round() as i32;
        let trans = style.transform();
        let (w, h) = self.get_size();
        for g in glyphs {
            let Some(outline) = self.font.outline_glyph(g) else {
                continue;
            };
            let b = outline.px_bounds();
            let (ox, oy) = (b.min.x as i32, b.min.y as i32);
            let mut px = Vec::new();
            outline.draw(|x, y, a| px.push((x as i32 + ox, y as i32 + oy, a)));
            for (x, y, a) in px {
                if a <= 0.0 {
                    continue;
                }
                let (x, y) = match trans {
                    FontTransform::None => (x + dx, y + dy + base),
                    _ => trans.transform(x + dx, y + dy + base),
                };
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                    self.inner
                        .draw_pixel((x, y), color.mix(f64::from(a.min(1.0))))?;
                }
            }
        }
        Ok(())
    }
}
