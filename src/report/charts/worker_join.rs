//! Chart: the join latency of jobs on each worker deployment as the share of
//! jobs slower than x, on log axes, so the tail that waited for a process or a
//! worker's cold start (seconds, for a few jobs) shows beside the warm joins.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{curve_entries, draw_curves, fmt_ms, fmt_tick, keep_curves};
use super::data::{positive_or, thin_cdf, Ctx};
use super::legend::{Curve, Keepout, Legend, Plot, TOP_FIRST};
use super::style::{builder, color, empty, heading, tidy_percent, HouseMesh};
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
    let curves = curves(ctx, floor);
    let legend = Legend::new(&area, curve_entries(&curves));
    let spot = {
        let probe = builder(&area).build_cartesian_2d(x0..x1, floor..0.0)?;
        let mut keep = Keepout::default();
        keep_curves(&mut keep, &probe, &curves);
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(x0..x1, floor..0.0)?;
    axes(&plot_area, &mut chart, (x0, x1), floor)?;
    draw_curves(&mut chart, curves)?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// Per deployment with jobs, its share of jobs slower than x, both in log10
/// and cut at `floor` (one job in the largest count): a share of 0 has no
/// logarithm.
fn curves(ctx: &Ctx, floor: f64) -> Vec<Curve> {
    ctx.est
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
        .collect()
}

/// Both axes are log10 values on linear ones, so plotters' own ticks and grid
/// are off and the round ticks are drawn by hand.
fn axes<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    chart: &mut Plot<'_, DB>,
    (x0, x1): (f64, f64),
    floor: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .house()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("join latency (log scale)")
        .y_desc("share of jobs slower (log scale)")
        .draw()?;
    ticks::log_x(plot_area, chart, (x0, x1), (floor, 0.0), &fmt_tick)?;
    ticks::log_y(plot_area, chart, (x0, x1), (floor, 0.0), &tidy_percent)?;
    Ok(())
}
