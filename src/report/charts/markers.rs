//! Timeline events on every chart over time: a labelled vertical line at each
//! event's start, and a fainter one where its window ends (recovery, end of a
//! drain or a flash crowd), so a reader ties a bump in a curve to its cause.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::data::Ctx;
use super::style::anchored;
use super::Drawn;
use plotters::style::text_anchor::{HPos, VPos};

/// Marker colour: dark violet, apart from the region palette.
const MARK: RGBColor = RGBColor(110, 40, 140);

/// Draw the events of `ctx`'s world on a chart whose y axis runs to `top`.
pub fn draw<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ctx: &Ctx,
    top: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let hz = ctx.horizon_h();
    for (i, e) in ctx.world.timeline.iter().enumerate() {
        let (at, end) = (e.at_s / 3600.0, e.end_s / 3600.0);
        if at > hz {
            continue;
        }
        chart.draw_series(DashedLineSeries::new(
            [(at, 0.0), (at, top)],
            8,
            5,
            MARK.mix(0.85).stroke_width(2),
        ))?;
        if end > at && end < hz && e.kind != "capacity" {
            chart.draw_series(DashedLineSeries::new(
                [(end, 0.0), (end, top)],
                3,
                6,
                MARK.mix(0.45).stroke_width(1),
            ))?;
        }
        // Labels step down so neighbouring events do not overwrite each other.
        let y = top * (0.97 - 0.06 * (i % 4) as f64);
        chart.draw_series(std::iter::once(Text::new(
            format!(" {}", e.label),
            (at, y),
            anchored(15, MARK, HPos::Left, VPos::Top),
        )))?;
    }
    Ok(())
}
