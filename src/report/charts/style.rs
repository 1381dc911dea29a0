//! The look shared by all charts: the bundled font, the palette, text sizes and
//! the two-line heading (what the chart shows; scenario, policy and how to read it).

use std::io;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::data::Ctx;
use super::Drawn;

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/LICENSE-DejaVu.txt):
/// wide Unicode coverage (en dash, ±, ≤, µ) and metrics every SVG viewer's own
/// sans-serif font approximates well.
static FONT_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Family name the font is registered under. SVG files name it too, so a viewer
/// without DejaVu falls back to its own sans-serif rather than a serif face.
pub const FAMILY: &str = "sans-serif";

/// Register the bundled font with plotters' text backend, once per process.
pub fn register_font() -> io::Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_TTF).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(io::Error::other("the bundled chart font cannot be read"))
    }
}

/// The bundled font for direct glyph rasterisation.
pub fn font() -> Option<ab_glyph::FontRef<'static>> {
    ab_glyph::FontRef::try_from_slice(FONT_TTF).ok()
}

/// Text of `size` pixels in `color`.
pub fn text(size: u32, color: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&color)
}

/// Text anchored at `h`/`v` of its position.
pub fn anchored(size: u32, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    text(size, color).pos(Pos::new(h, v))
}

/// Body text.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text, grid lines.
pub const MUTED: RGBColor = RGBColor(110, 110, 110);
/// The SLO marker.
pub const TARGET: RGBColor = RGBColor(200, 30, 30);

/// Tableau 10: distinguishable, colour-blind aware, readable on white.
const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(89, 161, 79),
    RGBColor(225, 87, 89),
    RGBColor(176, 122, 161),
    RGBColor(118, 183, 178),
    RGBColor(156, 117, 95),
    RGBColor(237, 201, 72),
    RGBColor(255, 157, 167),
    RGBColor(186, 176, 172),
];

/// The i-th series colour (cycles after ten).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Draw the heading (chart title with scenario and policy, and a one-line note
/// on how to read the chart); returns the area below it.
pub fn heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    title: &str,
    note: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    let x = w as i32 / 2;
    root.draw(&Text::new(
        format!("{} — {}", ctx.heading, title),
        (x, 14),
        anchored(30, INK, HPos::Center, VPos::Top),
    ))?;
    root.draw(&Text::new(
        note.to_string(),
        (x, 52),
        anchored(17, MUTED, HPos::Center, VPos::Top),
    ))?;
    Ok(root.split_vertically(82).1)
}

/// Draw a "nothing to show" message in the middle of `area`.
pub fn empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, what: &str) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        what.to_string(),
        (w as i32 / 2, h as i32 / 2),
        anchored(22, MUTED, HPos::Center, VPos::Center),
    ))?;
    Ok(())
}
