//! The search chart of a plan: every candidate evaluated, cost against the
//! binding target's estimate, feasible and infeasible apart, the plan marked and
//! the target's limit drawn, so a reader sees where the frontier lies.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::positive_or;
use super::style::{builder, color, empty, heading, legend, text, INK};
use super::{render, Chart, Drawn};
use crate::experiment::plan::{Outcome, Spec};
use crate::model::World;

/// File stem of the chart.
pub const STEM: &str = "search";

/// The target the chart plots: the first binding one, else the first unmet at
/// the best effort, else the first.
fn shown(spec: &Spec, out: &Outcome) -> usize {
    out.binding
        .first()
        .copied()
        .or_else(|| {
            let c = out.best_effort.as_ref()?;
            spec.targets
                .iter()
                .zip(&c.estimates)
                .position(|(t, e)| !t.holds(e.bound(t)))
        })
        .unwrap_or(0)
}

/// Padded axis ranges covering every point and the limit (shares from 0 up).
fn ranges(
    pts: &[(f64, f64, bool)],
    limit: f64,
    share: bool,
) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let span = |v: &mut dyn Iterator<Item = f64>, start: (f64, f64)| {
        v.fold(start, |(a, b), x| (a.min(x), b.max(x)))
    };
    let (x0, x1) = span(
        &mut pts.iter().map(|p| p.0),
        (f64::INFINITY, f64::NEG_INFINITY),
    );
    let (y0, y1) = span(&mut pts.iter().map(|p| p.1), (limit, limit));
    let pad_x = positive_or((x1 - x0) * 0.05, 1.0);
    let pad_y = positive_or((y1 - y0) * 0.08, 1.0);
    let floor = if share { 0.0 } else { f64::MIN };
    (
        (x0 - pad_x)..(x1 + pad_x),
        (y0 - pad_y).max(floor)..(y1 + pad_y),
    )
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    world: &World,
    spec: &Spec,
    out: &Outcome,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let i = shown(spec, out);
    let t = &spec.targets[i];
    let scale = if t.metric.is_share() { 100.0 } else { 1.0 };
    let unit = if t.metric.is_share() { " (%)" } else { " (ms)" };
    let label = t.label(world);
    let note = format!(
        "Each point is a candidate on the search's common random numbers; line: {label} {} {}.",
        t.relation(),
        t.limit
    );
    let area = heading(
        root,
        &format!("{} · plan", world.name),
        &format!("cost against {label}"),
        &note,
    )?;
    let pts: Vec<(f64, f64, bool)> = out
        .candidates
        .iter()
        .filter(|c| c.estimates[i].point.is_finite())
        .map(|c| (c.cost, c.estimates[i].point * scale, c.verdict.feasible()))
        .collect();
    if pts.is_empty() {
        return empty(&area, "no candidate was evaluated");
    }
    let (xs, ys) = ranges(&pts, t.limit * scale, scale == 100.0);
    let (x0, x1) = (xs.start, xs.end);
    let mut chart = builder(&area).build_cartesian_2d(xs, ys)?;
    chart
        .configure_mesh()
        .x_desc("cost-weighted slot-hours")
        .y_desc(format!("{label}{unit}"))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    let limit = t.limit * scale;
    chart
        .draw_series(LineSeries::new(
            [(x0, limit), (x1, limit)],
            BLACK.stroke_width(2),
        ))?
        .label(format!("limit {} {}", t.relation(), t.limit))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
    for (feasible, name, c) in [
        (false, "infeasible", color(3)),
        (true, "feasible", color(2)),
    ] {
        chart
            .draw_series(
                pts.iter()
                    .filter(|p| p.2 == feasible)
                    .map(move |p| Circle::new((p.0, p.1), 6, c.filled())),
            )?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 12, y), 6, c.filled()));
    }
    if let Some(p) = out
        .at_plan
        .as_ref()
        .filter(|p| p.estimates[i].point.is_finite())
    {
        let at = (p.cost, p.estimates[i].point * scale);
        chart
            .draw_series(std::iter::once(Cross::new(at, 12, BLACK.stroke_width(4))))?
            .label("plan")
            .legend(|(x, y)| Cross::new((x + 12, y), 8, BLACK.stroke_width(3)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// The search chart.
pub fn render_plan(world: &World, spec: &Spec, out: &Outcome) -> std::io::Result<Chart> {
    super::style::register_font()?;
    let title = "search: cost against the binding target";
    render(
        STEM,
        title,
        |a| draw(a, world, spec, out),
        |a| draw(a, world, spec, out),
    )
}
