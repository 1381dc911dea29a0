//! Chart: each worker deployment's workers over time (top) and its load per
//! worker (bottom: true load solid, the load workers reported dashed, the
//! threshold dotted), drawn only when some deployment runs on workers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{positive_or, Ctx};
use super::style::{builder, color, heading, legend, TARGET};
use super::{time_axis, Drawn};
use crate::report::workers::{bin_levels, sees_true_load};

/// File stem.
pub const STEM: &str = "workers";
/// Title.
pub const TITLE: &str = "Workers and their load over time";

/// Whether the run has worker deployments.
pub fn applies(ctx: &Ctx) -> bool {
    !ctx.est.pooled.workers.is_empty()
}

/// Per worker deployment: (label, threshold, per bin (hour, workers, true load, reported load)).
type Lines = Vec<(String, f64, Vec<(f64, [f64; 3])>)>;

fn lines(ctx: &Ctx) -> Lines {
    let runs = f64::from(ctx.est.pooled.runs.max(1));
    let bins = ctx.bins();
    ctx.est
        .pooled
        .workers
        .iter()
        .map(|w| {
            let d = &ctx.world.deployments[w.deployment];
            let th = d.workers.as_ref().map_or(1.0, |s| s.measure.threshold);
            let seen = sees_true_load(ctx.world, w);
            let pts = bins
                .iter()
                .enumerate()
                .map(|(b, &(t, len))| {
                    let bin = w.bins[b.min(w.bins.len().saturating_sub(1))];
                    (t, bin_levels(&bin, len, runs, seen))
                })
                .collect();
            (d.label(&ctx.world.regions), th, pts)
        })
        .collect()
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Top: mean workers (provisioning, ready or draining). Bottom: mean load per registered worker, true (solid) and as reported (dashed); dotted red: the load threshold.";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let (top_area, bottom_area) = area.split_vertically(area.dim_in_pixel().1 / 2);
    let lines = lines(ctx);
    let hz = ctx.horizon_h();
    let most = lines
        .iter()
        .flat_map(|(_, _, p)| p.iter().map(|(_, v)| v[0]))
        .fold(1.0, f64::max);
    let mut top =
        builder(&top_area).build_cartesian_2d(0.0..hz, 0.0..positive_or(most * 1.2, 1.0))?;
    time_axis(&mut top, hz, "workers", &|v| format!("{v:.0}"))?;
    for (k, (label, _, pts)) in lines.iter().enumerate() {
        let c = color(k);
        top.draw_series(LineSeries::new(
            pts.iter().map(|&(t, v)| (t, v[0])),
            c.stroke_width(3),
        ))?
        .label(label.clone())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    legend(&mut top, SeriesLabelPosition::UpperLeft)?;
    let peak = lines
        .iter()
        .flat_map(|(_, th, p)| p.iter().map(|(_, v)| v[1].max(v[2])).chain([*th]))
        .fold(0.0, f64::max);
    let mut bottom =
        builder(&bottom_area).build_cartesian_2d(0.0..hz, 0.0..positive_or(peak * 1.15, 1.0))?;
    time_axis(&mut bottom, hz, "load per worker", &|v| format!("{v:.2}"))?;
    for (k, (_, th, pts)) in lines.iter().enumerate() {
        let c = color(k);
        bottom.draw_series(LineSeries::new(
            pts.iter().map(|&(t, v)| (t, v[1])),
            c.stroke_width(3),
        ))?;
        bottom.draw_series(DashedLineSeries::new(
            pts.iter().map(|&(t, v)| (t, v[2])),
            10,
            6,
            c.stroke_width(2),
        ))?;
        bottom.draw_series(DashedLineSeries::new(
            [(0.0, *th), (hz, *th)],
            3,
            5,
            TARGET.stroke_width(2),
        ))?;
    }
    Ok(())
}
