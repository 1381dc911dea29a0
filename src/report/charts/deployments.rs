//! Chart: concurrency and capacity per deployment, drawn when supply changes in
//! time (or a region holds several deployments): capacity as the step it is,
//! concurrency falling to zero as a deleted deployment drains, timeline events
//! marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{positive_or, Ctx};
use super::style::{builder, color, heading, legend, MUTED};
use super::{markers, time_axis, Drawn};

/// File stem.
pub const STEM: &str = "deployments";
/// Title.
pub const TITLE: &str = "Concurrency and capacity per deployment";

/// Whether the run has per-deployment series to draw.
pub fn applies(ctx: &Ctx) -> bool {
    let s = &ctx.est.pooled.series;
    !s.deployment_lanes().is_empty()
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Thick: mean concurrent sessions in each bin; dashed steps: the capacity admitting users (0 while starting, down or deleted). Violet: timeline events.";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let s = &ctx.est.pooled.series;
    let lanes: Vec<usize> = s.deployment_lanes().collect();
    let levels: Vec<_> = lanes.iter().map(|&l| ctx.levels(l)).collect();
    let top = levels
        .iter()
        .flatten()
        .map(|&(_, busy, cap)| busy.max(cap))
        .fold(1.0, f64::max);
    let top = positive_or(top * 1.25, 1.0);
    let hz = ctx.horizon_h();
    let bin_h = s.bin_s / 3600.0;
    let mut chart = builder(&area).build_cartesian_2d(0.0..hz, 0.0..top)?;
    time_axis(&mut chart, hz, "concurrent sessions", &|v| {
        format!("{v:.0}")
    })?;
    for (k, lv) in levels.iter().enumerate() {
        let c = color(k);
        let d = &ctx.world.deployments[k];
        // Capacity per bin as a step: flat across each bin.
        let steps = lv.iter().flat_map(|&(t, _, cap)| {
            let (a, b) = ((t - bin_h / 2.0).max(0.0), (t + bin_h / 2.0).min(hz));
            [(a, cap), (b, cap)]
        });
        chart.draw_series(DashedLineSeries::new(steps, 10, 6, c.stroke_width(2)))?;
        chart
            .draw_series(LineSeries::new(
                lv.iter().map(|&(t, busy, _)| (t, busy)),
                c.stroke_width(3),
            ))?
            .label(d.label(&ctx.world.regions))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("capacity (dashed)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 9, y)], MUTED.stroke_width(2)));
    markers::draw(&mut chart, ctx, top)?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
