//! Chart: concurrency per region over the horizon (bin means and bin peaks)
//! against capacity, so a planner sees when and where a region saturates.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{positive_or, Ctx, Levels};
use super::style::{builder, color, empty, heading, legend, MUTED};
use super::{time_axis, Drawn};

/// File stem.
pub const STEM: &str = "concurrency";
/// Title.
pub const TITLE: &str = "Concurrency per region";

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Thick: mean concurrent sessions in each bin; thin: highest in the bin; dashed: capacity. Grey band: warm-up.";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    if ctx.regions.is_empty() {
        return empty(&area, "No region hosts agents: nothing to plot.");
    }
    let s = &ctx.est.pooled.series;
    let series: Vec<(usize, Levels)> = (ctx.regions.iter())
        .map(|&r| (r, ctx.levels(s.region_lane(r))))
        .collect();
    let peak_of = |r: usize, b: usize| {
        s.peak
            .get(s.cell(b.min(s.bins().saturating_sub(1)), s.region_lane(r)))
            .copied()
            .map_or(0.0, f64::from)
    };
    let mut top: f64 = 1.0;
    for (r, lv) in &series {
        for (b, &(_, busy, cap)) in lv.iter().enumerate() {
            top = top.max(busy).max(cap).max(peak_of(*r, b));
        }
    }
    let top = positive_or(top * 1.15, 1.0);
    let hz = ctx.horizon_h();
    let mut chart = builder(&area).build_cartesian_2d(0.0..hz, 0.0..top)?;
    time_axis(&mut chart, hz, "concurrent sessions", &|v| {
        format!("{v:.0}")
    })?;
    let wu = ctx.warmup_h().min(hz);
    if wu > 0.0 {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, 0.0), (wu, top)],
            RGBColor(120, 120, 120).mix(0.12).filled(),
        )))?;
    }
    for (r, lv) in &series {
        let c = color(*r);
        let region = &ctx.world.regions[*r];
        chart.draw_series(LineSeries::new(
            lv.iter()
                .enumerate()
                .map(|(b, &(t, _, _))| (t, peak_of(*r, b))),
            c.mix(0.55).stroke_width(1),
        ))?;
        chart.draw_series(DashedLineSeries::new(
            lv.iter().map(|&(t, _, cap)| (t, cap)),
            12,
            7,
            c.stroke_width(2),
        ))?;
        chart
            .draw_series(LineSeries::new(
                lv.iter().map(|&(t, busy, _)| (t, busy)),
                c.stroke_width(3),
            ))?
            .label(format!("{} ({})", region.id, region.name))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("capacity (dashed)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 9, y)], MUTED.stroke_width(2)));
    super::markers::draw(&mut chart, ctx, top)?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
