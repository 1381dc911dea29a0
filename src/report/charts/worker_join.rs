//! Chart: the join latency of jobs on each worker deployment as the share of
//! jobs slower than x, on log axes, so the tail that waited for a process or a
//! worker's cold start (seconds, for a few jobs) shows beside the warm joins.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{fmt_ms, fmt_tick};
use super::data::{positive_or, thin_cdf, Ctx};
use super::legend::{Curve, Entry, Keepout, Legend, Swatch, TOP_FIRST};
use super::style::{builder, color, empty, heading, text, tidy_percent, INK};
use super::{ticks, Drawn};

/// File stem.
pub const STEM: &str = "worker-join-latency";
/// Title.
pub const TITLE: &str = "Join latency on workers: the cold-start tail";

/// Whether the run has worker deployments.
pub fn applies(ctx: &Ctx) -> bool {
    !ctx.est.pooled.workers.is_empty()
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Share of jobs whose agent joined later than x (log scales), per worker deployment: waits for a process and cold starts make the tail.";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let dists: Vec<_> = ctx
        .est
        .pooled
        .workers
        .iter()
        .filter(|w| w.join.count() > 0)
        .collect();
    if dists.is_empty() {
        return empty(&area, "No jobs on workers: nothing to plot.");
    }
    let lo_ms = dists
        .iter()
        .map(|w| w.join.quantile(0.0))
        .fold(f64::INFINITY, f64::min);
    let hi_ms = dists.iter().map(|w| w.join.max()).fold(0.0, f64::max);
    let (x0, x1) = (
        positive_or(lo_ms * 0.8, 1.0).log10(),
        positive_or(hi_ms * 1.2, 10.0).log10(),
    );
    let floor = dists
        .iter()
        .map(|w| 1.0 / w.join.count() as f64)
        .fold(1.0, f64::min)
        .log10()
        .floor();
    let x1 = x1.max(x0 + 0.1);
    let curves: Vec<Curve> = ctx
        .est
        .pooled
        .workers
        .iter()
        .enumerate()
        .filter(|(_, w)| w.join.count() > 0)
        .map(|(k, w)| {
            let pts = thin_cdf(&w.join.cdf_points(), 400)
                .into_iter()
                .filter(|&(x, y)| x > 0.0 && y < 1.0)
                .map(|(x, y)| (x.log10(), (1.0 - y).log10().max(floor)))
                .collect();
            let label = ctx.world.deployments()[w.deployment].label(ctx.world.regions());
            let label = format!("{label}  (p99.9 {})", fmt_ms(w.join.quantile(0.999)));
            (color(k), pts, label)
        })
        .collect();
    let entries = curves
        .iter()
        .map(|(c, _, label)| Entry::new(label.clone(), Swatch::solid(*c, 3)))
        .collect();
    let legend = Legend::new(&area, entries);
    let spot = {
        let probe = builder(&area).build_cartesian_2d(x0..x1, floor..0.0)?;
        let mut keep = Keepout::default();
        for (_, pts, _) in &curves {
            keep.line(&probe, pts.iter().copied());
        }
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(x0..x1, floor..0.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("join latency (log scale)")
        .y_desc("share of jobs slower (log scale)")
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .draw()?;
    ticks::log_x(&plot_area, &mut chart, (x0, x1), (floor, 0.0), &fmt_tick)?;
    ticks::log_y(
        &plot_area,
        &mut chart,
        (x0, x1),
        (floor, 0.0),
        &tidy_percent,
    )?;
    for (c, pts, _) in curves {
        chart.draw_series(LineSeries::new(pts, c.stroke_width(3)))?;
    }
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}
