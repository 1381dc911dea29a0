//! Chart: the join latency of jobs on each worker deployment as the share of
//! jobs slower than x, on log axes, so the tail that waited for a process or a
//! worker's cold start (seconds, for a few jobs) shows beside the warm joins.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::fmt_ms;
use super::data::{positive_or, thin_cdf, Ctx};
use super::style::{builder, color, empty, heading, legend, text, INK};
use super::Drawn;

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
    let mut chart = builder(&area).build_cartesian_2d(x0..x1.max(x0 + 0.1), floor..0.0)?;
    chart
        .configure_mesh()
        .x_desc("join latency (log scale)")
        .y_desc("share of jobs slower (log scale)")
        .x_label_formatter(&|v| fmt_ms(10f64.powf(*v)))
        .y_label_formatter(&|v| format!("{:.0e}", 10f64.powf(*v)))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for (k, w) in ctx.est.pooled.workers.iter().enumerate() {
        if w.join.count() == 0 {
            continue;
        }
        let c = color(k);
        let pts: Vec<(f64, f64)> = thin_cdf(&w.join.cdf_points(), 400)
            .into_iter()
            .filter(|&(x, y)| x > 0.0 && y < 1.0)
            .map(|(x, y)| (x.log10(), (1.0 - y).log10().max(floor)))
            .collect();
        let label = ctx.world.deployments[w.deployment].label(&ctx.world.regions);
        chart
            .draw_series(LineSeries::new(pts, c.stroke_width(3)))?
            .label(format!(
                "{label}  (p99.9 {})",
                fmt_ms(w.join.quantile(0.999))
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
