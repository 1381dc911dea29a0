//! Legends drawn by the charts themselves rather than by plotters, so that
//! they never hide data and every swatch is drawn like its series: a dashed
//! series gets a dashed swatch with the same dash, a dotted threshold a dotted
//! one. A legend goes in the first corner of the plot whose box meets no drawn
//! line, point or label (in pixels, the lines' segments included, not only
//! their points); when no corner is free it goes under the chart, in a band of
//! its own that shrinks the plot, so no data is ever drawn under a legend.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::labels::Rect;
use super::style::{anchored, INK};
use super::Drawn;

mod keepout;

pub use keepout::Keepout;

/// Frame colour of every legend box and of nothing else, so a reader of the
/// SVG (the chart lint among them) can find legends.
pub const FRAME: RGBColor = RGBColor(160, 160, 160);

/// Swatch colour of entries that explain a line style ("capacity (dashed)")
/// rather than name one series; series are never drawn in it.
pub const KEY: RGBColor = RGBColor(85, 85, 85);

/// Label size, row height, swatch width, padding and the gap before a label.
const FONT: u32 = 16;
const ROW: i32 = 22;
const SWATCH: i32 = 36;
const PAD: i32 = 10;
const GAP: i32 = 8;
/// Distance kept from the plot's edges and from anything drawn.
const INSET: i32 = 10;
const CLEAR: i32 = 4;

/// How an entry's series is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A line of this colour and width, dashed as `(dash, gap)` in pixels.
    Line {
        /// Colour.
        color: RGBColor,
        /// Stroke width.
        width: u32,
        /// Dash and gap lengths, for dashed and dotted lines.
        dash: Option<(u32, u32)>,
    },
    /// A filled area of this colour and opacity.
    Area(RGBColor, f64),
    /// A filled circle (scatter points).
    Dot(RGBColor),
    /// A cross (a marked point).
    Cross(RGBColor),
}

impl Swatch {
    /// A solid line.
    pub fn solid(color: RGBColor, width: u32) -> Self {
        Self::Line {
            color,
            width,
            dash: None,
        }
    }

    /// A dashed line with the series' own dash and gap.
    pub fn dashed(color: RGBColor, width: u32, dash: u32, gap: u32) -> Self {
        Self::Line {
            color,
            width,
            dash: Some((dash, gap)),
        }
    }
}

/// One legend row.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The text.
    pub label: String,
    /// How the series is drawn.
    pub swatch: Swatch,
}

impl Entry {
    /// An entry.
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            swatch,
        }
    }
}

/// A corner of the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Upper left.
    UpperLeft,
    /// Upper right.
    UpperRight,
    /// Lower left.
    LowerLeft,
    /// Lower right.
    LowerRight,
}

/// The order most charts try: the upper corners first (curves over time and
/// scatter clouds usually leave room at the top), then the lower ones.
pub const TOP_FIRST: [Corner; 4] = [
    Corner::UpperRight,
    Corner::UpperLeft,
    Corner::LowerRight,
    Corner::LowerLeft,
];

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// Inside the plot, the box's top-left corner in backend pixels.
    Inside(i32, i32),
    /// In a band under the chart, with this height in pixels.
    Below(i32),
}

/// A curve to draw and name: its colour, points and legend label.
pub type Curve = (RGBColor, Vec<(f64, f64)>, String);

/// A chart over two f64 axes.
pub type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A legend: its entries, measured once.
pub struct Legend {
    entries: Vec<Entry>,
    widths: Vec<i32>,
}

fn label_style() -> TextStyle<'static> {
    anchored(FONT, INK, HPos::Left, VPos::Center)
}

impl Legend {
    /// A legend of `entries`, its labels measured on `area`'s backend.
    pub fn new<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: Vec<Entry>) -> Self {
        let style = label_style();
        let widths = entries
            .iter()
            .map(|e| {
                area.estimate_text_size(&e.label, &style)
                    .map_or(8 * e.label.chars().count() as i32, |(w, _)| w as i32)
            })
            .collect();
        Self { entries, widths }
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One entry's width: swatch, gap, label.
    fn cell(&self) -> i32 {
        SWATCH + GAP + self.widths.iter().copied().max().unwrap_or(0)
    }

    /// The box of a legend inside the plot.
    fn size(&self) -> (i32, i32) {
        (2 * PAD + self.cell(), PAD + ROW * self.entries.len() as i32)
    }

    /// Columns and rows of the band under the chart, `width` pixels wide.
    fn grid(&self, width: i32) -> (usize, usize) {
        let n = self.entries.len().max(1);
        let per = ((width - 2 * PAD) / (self.cell() + 2 * PAD)).max(1) as usize;
        let cols = per.min(n);
        (cols, n.div_ceil(cols))
    }

    /// The first corner of `chart`'s plot, in `order`, where the legend's box
    /// meets nothing in `keep`; else a band under the chart of `area`.
    pub fn spot<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &Plot<'_, DB>,
        keep: &Keepout,
        order: &[Corner],
    ) -> Spot {
        let (w, h) = self.size();
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let fits = w + 2 * INSET <= xr.end - xr.start && h + 2 * INSET <= yr.end - yr.start;
        if fits && !self.is_empty() {
            for c in order {
                let x = match c {
                    Corner::UpperLeft | Corner::LowerLeft => xr.start + INSET,
                    _ => xr.end - INSET - w,
                };
                let y = match c {
                    Corner::UpperLeft | Corner::UpperRight => yr.start + INSET,
                    _ => yr.end - INSET - h,
                };
                if keep.clear((x, y, x + w, y + h)) {
                    return Spot::Inside(x, y);
                }
            }
        }
        let (_, rows) = self.grid(area.dim_in_pixel().0 as i32);
        Spot::Below(if self.is_empty() {
            0
        } else {
            2 * PAD + ROW * rows as i32 + 6
        })
    }

    /// The area to draw the chart in, and the band for a legend under it.
    pub fn split<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        spot: Spot,
    ) -> (DrawingArea<DB, Shift>, Option<DrawingArea<DB, Shift>>) {
        match spot {
            Spot::Below(h) if h > 0 => {
                let (top, band) = area.split_vertically(area.dim_in_pixel().1 as i32 - h);
                (top, Some(band))
            }
            _ => (area.clone(), None),
        }
    }

    /// Draw the legend at `spot`: on `area` (the one the chart was built on)
    /// when inside, in `band` when under the chart.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        spot: Spot,
        band: Option<&DrawingArea<DB, Shift>>,
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        if self.is_empty() {
            return Ok(());
        }
        match (spot, band) {
            (Spot::Inside(x, y), _) => {
                let (ox, oy) = area.get_base_pixel();
                let (w, h) = self.size();
                let (x, y) = (x - ox, y - oy);
                frame(area, (x, y, x + w, y + h))?;
                for (k, e) in self.entries.iter().enumerate() {
                    row(area, e, x + PAD, y + PAD / 2 + ROW * k as i32 + ROW / 2)?;
                }
                Ok(())
            }
            (Spot::Below(_), Some(band)) => {
                let (bw, _) = band.dim_in_pixel();
                let (cols, rows) = self.grid(bw as i32);
                let cell = self.cell() + 2 * PAD;
                let w = cell * cols as i32;
                let x0 = (bw as i32 - w) / 2;
                frame(band, (x0, 6, x0 + w, 6 + PAD + ROW * rows as i32))?;
                for (k, e) in self.entries.iter().enumerate() {
                    let (r, c) = (k / cols, k % cols);
                    row(
                        band,
                        e,
                        x0 + PAD + cell * c as i32,
                        6 + PAD / 2 + ROW * r as i32 + ROW / 2,
                    )?;
                }
                Ok(())
            }
            (Spot::Below(_), None) => Ok(()),
        }
    }
}

/// The legend's white box with its frame.
fn frame<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: Rect) -> Drawn
where
    DB::ErrorType: 'static,
{
    area.draw(&Rectangle::new([(r.0, r.1), (r.2, r.3)], WHITE.filled()))?;
    area.draw(&Rectangle::new(
        [(r.0, r.1), (r.2, r.3)],
        FRAME.stroke_width(1),
    ))?;
    Ok(())
}

/// One row: the swatch from `x`, the label after it, centred on `y`.
fn row<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &Entry, x: i32, y: i32) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (a, b) = ((x, y), (x + SWATCH, y));
    match e.swatch {
        Swatch::Line {
            color,
            width,
            dash: None,
        } => area.draw(&PathElement::new(vec![a, b], color.stroke_width(width)))?,
        Swatch::Line {
            color,
            width,
            dash: Some((d, g)),
        } => area.draw(&DashedPathElement::new(
            vec![a, b],
            d,
            g,
            color.stroke_width(width),
        ))?,
        Swatch::Area(color, alpha) => area.draw(&Rectangle::new(
            [(x, y - 7), (x + SWATCH, y + 7)],
            color.mix(alpha).filled(),
        ))?,
        Swatch::Dot(color) => area.draw(&Circle::new((x + SWATCH / 2, y), 6, color.filled()))?,
        Swatch::Cross(color) => {
            area.draw(&Cross::new((x + SWATCH / 2, y), 7, color.stroke_width(3)))?
        }
    }
    area.draw(&Text::new(
        e.label.clone(),
        (x + SWATCH + GAP, y),
        label_style(),
    ))?;
    Ok(())
}
