//! Chart: concurrency and capacity per deployment, drawn when supply changes in
//! time (or a region holds several deployments): capacity as the step it is,
//! concurrency falling to zero as a deleted deployment drains, timeline events
//! marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{busiest, for_dashes, highest, positive_or, Ctx, Levels};
use super::legend::{Entry, Keepout, Legend, Swatch, KEY, TOP_FIRST};
use super::style::{builder, color, heading, tidy};
use super::{markers, time_axis, Drawn};

/// Dash and gap of the capacity steps.
const DASH: (u32, u32) = (10, 6);

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
    let s = &ctx.est.pooled.series;
    let lanes: Vec<usize> = s.deployment_lanes().collect();
    let all: Vec<_> = lanes.iter().map(|&l| ctx.levels(l)).collect();
    let busy = |lv: &Levels| highest(lv.iter().map(|&(_, busy, _)| busy));
    // The deployments drawn, each with its index (lane k is deployment k).
    let (drawn, note) = busiest(all, busy, note, "deployments");
    let area = heading(root, &ctx.heading, TITLE, &note)?;
    let (shown, levels): (Vec<usize>, Vec<Levels>) = drawn.into_iter().unzip();
    let top = levels
        .iter()
        .flatten()
        .map(|&(_, busy, cap)| busy.max(cap))
        .fold(1.0, f64::max);
    let top = positive_or(top * 1.15, 1.0);
    let hz = ctx.horizon_h();
    let bin_h = s.bin_s / 3600.0;
    // Capacity per bin as a step: flat across each bin.
    let steps = |lv: &Levels| -> Vec<(f64, f64)> {
        lv.iter()
            .flat_map(|&(t, _, cap)| {
                let (a, b) = ((t - bin_h / 2.0).max(0.0), (t + bin_h / 2.0).min(hz));
                [(a, cap), (b, cap)]
            })
            .collect()
    };
    let mut entries: Vec<Entry> = (0..levels.len())
        .map(|k| {
            Entry::new(
                ctx.world.deployments()[shown[k]].label(ctx.world.regions()),
                Swatch::solid(color(k), 3),
            )
        })
        .collect();
    entries.push(Entry::new(
        "capacity (dashed)",
        Swatch::dashed(KEY, 2, DASH.0, DASH.1),
    ));
    let legend = Legend::new(&area, entries);
    let spot = {
        let probe = builder(&area).build_cartesian_2d(0.0..hz, 0.0..top)?;
        let mut keep = Keepout::default();
        for lv in &levels {
            keep.line(&probe, lv.iter().map(|&(t, busy, _)| (t, busy)));
            keep.line(&probe, steps(lv));
        }
        markers::keep(&mut keep, &probe, ctx, top);
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(0.0..hz, 0.0..top)?;
    time_axis(&mut chart, hz, "concurrent sessions", &|v| tidy(*v))?;
    for (k, lv) in levels.iter().enumerate() {
        let c = color(k);
        chart.draw_series(DashedLineSeries::new(
            for_dashes(steps(lv)),
            DASH.0,
            DASH.1,
            c.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            lv.iter().map(|&(t, busy, _)| (t, busy)),
            c.stroke_width(3),
        ))?;
    }
    markers::draw(&mut chart, ctx, top)?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}
