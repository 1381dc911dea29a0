//! The look shared by all charts: the bundled font, the palette, text sizes and
//! the two-line heading (what the chart shows; scenario, policy and how to read it).

use std::io;
use std::sync::OnceLock;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

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

/// The axes' look every chart shares: tick labels at 17 px and axis titles
/// at 19 px in ink, no minor grid, a light major grid. One definition, so the
/// charts of a report read alike.
pub trait HouseMesh {
    /// This mesh in the house style; the chart's own settings follow.
    fn house(&mut self) -> &mut Self;
}

impl<X: Ranged, Y: Ranged, DB: DrawingBackend> HouseMesh for MeshStyle<'_, '_, X, Y, DB> {
    fn house(&mut self) -> &mut Self {
        self.label_style(text(17, INK))
            .axis_desc_style(text(19, INK))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(215, 215, 215))
    }
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

/// Series colours: Tableau 10 with its red and pink left out and two dark
/// tones added, so red is kept for what is wrong or a limit (lost users,
/// rejection, SLO targets, thresholds) and no region or population is drawn in it.
const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(89, 161, 79),
    RGBColor(176, 122, 161),
    RGBColor(118, 183, 178),
    RGBColor(156, 117, 95),
    RGBColor(237, 201, 72),
    RGBColor(40, 60, 110),
    RGBColor(150, 150, 40),
    RGBColor(0, 110, 120),
];

/// The i-th series colour (cycles after ten).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Widest a heading line may be: the chart's width less a margin each side.
const HEADING_MARGIN: i32 = 30;

/// The largest size from `sizes` at which `text` fits in `max` pixels (the
/// last one when none does).
fn fitting<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    sizes: &[u32],
    max: i32,
) -> u32 {
    let width = |size: u32| {
        root.estimate_text_size(text, &self::text(size, INK))
            .map_or(i32::MAX, |(w, _)| w as i32)
    };
    sizes
        .iter()
        .copied()
        .find(|&s| width(s) <= max)
        .unwrap_or(sizes[sizes.len() - 1])
}

/// `text` cut at the space nearest its middle: two lines of a long note.
fn halves(text: &str) -> (String, String) {
    let mid = text.len() / 2;
    let cut = text
        .char_indices()
        .filter(|&(_, c)| c == ' ')
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(mid));
    match cut {
        Some(i) => (text[..i].to_string(), text[i + 1..].to_string()),
        None => (text.to_string(), String::new()),
    }
}

/// Draw the heading (chart title with scenario and policy, and a one-line note
/// on how to read the chart); returns the area below it. A title too wide for
/// the chart is set smaller; a note too wide goes on two lines.
pub fn heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    head: &str,
    title: &str,
    note: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    let (x, max) = (w as i32 / 2, w as i32 - 2 * HEADING_MARGIN);
    let full = format!("{head} — {title}");
    let size = fitting(root, &full, &[30, 28, 26, 24, 22, 20, 18], max);
    root.draw(&Text::new(
        full,
        (x, 14),
        anchored(size, INK, HPos::Center, VPos::Top),
    ))?;
    let one = fitting(root, note, &[17, 16, 15], max);
    let fits = root
        .estimate_text_size(note, &text(one, INK))
        .is_ok_and(|(nw, _)| nw as i32 <= max);
    if fits {
        root.draw(&Text::new(
            note.to_string(),
            (x, 52),
            anchored(one, MUTED, HPos::Center, VPos::Top),
        ))?;
    } else {
        let (a, b) = halves(note);
        let size = fitting(
            root,
            if a.len() > b.len() { &a } else { &b },
            &[16, 15, 14],
            max,
        );
        for (line, y) in [(a, 46), (b, 63)] {
            root.draw(&Text::new(
                line,
                (x, y),
                anchored(size, MUTED, HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(root.split_vertically(82).1)
}

/// A number as a tick label: at most three significant digits past the
/// point, no trailing zeros, no exponent (`0.3`, `22000`, `0.0001`).
pub fn tidy(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() < 1e-12 {
        return "0".into();
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A share (0..1) as a tick label in percent: `25 %`, `0.1 %`.
pub fn tidy_percent(share: f64) -> String {
    format!("{} %", tidy(share * 100.0))
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

/// A chart builder with the margins and label areas of full-size charts.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_left(20)
        .margin_right(40)
        .margin_bottom(15)
        .x_label_area_size(60)
        .y_label_area_size(90);
    b
}

/// A legend drawn by plotters in a fixed corner, for charts whose series can
/// be placed clear of it by their own layout (the fit charts); the other
/// charts place their legends with `legend::Legend`, which avoids the data.
pub fn legend<'a, DB, CT>(chart: &mut ChartContext<'a, DB, CT>, pos: SeriesLabelPosition) -> Drawn
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(pos)
        .margin(15)
        .legend_area_size(30)
        .label_font(text(16, INK))
        .background_style(WHITE.mix(0.9))
        .border_style(MUTED)
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_numbers_are_tidy() {
        assert_eq!(tidy(22000.0), "22000");
        assert_eq!(tidy(0.30000000000000004), "0.3");
        assert_eq!(tidy(0.7), "0.7");
        assert_eq!(tidy(1e-4), "0.0001");
        assert_eq!(tidy(2.5), "2.5");
        assert_eq!(tidy(-0.0), "0");
        assert_eq!(tidy(600.0), "600");
        assert_eq!(tidy_percent(0.001), "0.1 %");
    }
}
