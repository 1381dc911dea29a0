//! The search chart of a plan: every candidate evaluated, cost against the
//! binding target's estimate, feasible and infeasible apart, the plan marked and
//! the target's limit drawn, so a reader sees where the frontier lies.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::positive_or;
use super::legend::{Entry, Keepout, Legend, Plot, Swatch, TOP_FIRST};
use super::style::{builder, empty, heading, tidy, HouseMesh, INK};
use super::{render, Chart, Drawn};
use crate::experiment::plan::{Outcome, Spec};
use crate::model::target::Target;
use crate::model::World;
use crate::report::plan_words::{check_label, limit_text};

/// File stem of the chart.
pub const STEM: &str = "search";

/// The target the chart plots: the first binding one, else the first unmet at
/// the best effort, else the first.
fn shown(out: &Outcome) -> usize {
    out.binding
        .first()
        .copied()
        .or_else(|| {
            let c = out.best_effort.as_ref()?;
            out.rule
                .targets
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
    let i = shown(out);
    let t = &out.rule.targets[i];
    let scale = if t.metric().is_share() { 100.0 } else { 1.0 };
    let label = check_label(world, &out.rule, i);
    let note = format!(
        "Each point is a candidate's estimate on the search's common random numbers, feasible when every target's bound is within its limit; line: {label} {}.",
        limit_text(t)
    );
    let area = heading(
        root,
        &format!("{} · plan", world.name()),
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
    let (xs, ys) = ranges(&pts, t.limit() * scale, scale == 100.0);
    let (x0, x1) = (xs.start, xs.end);
    let limit = t.limit() * scale;
    let at = out
        .at_plan
        .as_ref()
        .filter(|p| p.estimates[i].point.is_finite())
        .map(|p| (p.cost, p.estimates[i].point * scale));
    let legend = Legend::new(&area, entries(t, &pts, at.is_some()));
    let spot = {
        let probe = builder(&area).build_cartesian_2d(xs.clone(), ys.clone())?;
        let mut keep = Keepout::default();
        keep.line(&probe, [(x0, limit), (x1, limit)]);
        keep.points(&probe, pts.iter().map(|p| (p.0, p.1)), 8);
        keep.points(&probe, at, 14);
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(xs, ys)?;
    let unit = if t.metric().is_share() {
        " (%)"
    } else {
        " (ms)"
    };
    axes(&mut chart, spec, &format!("{label}{unit}"))?;
    chart.draw_series(LineSeries::new(
        [(x0, limit), (x1, limit)],
        INK.stroke_width(2),
    ))?;
    candidates(&mut chart, &pts, at)?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// The candidates, then the plan's cross over them, so the plan stands out
/// of the cloud it was chosen from.
fn candidates<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    pts: &[(f64, f64, bool)],
    at: Option<(f64, f64)>,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    for (feasible, _, c) in KINDS {
        chart.draw_series(
            pts.iter()
                .filter(|p| p.2 == feasible)
                .map(move |p| Circle::new((p.0, p.1), 6, c.filled())),
        )?;
    }
    if let Some(at) = at {
        chart.draw_series(std::iter::once(Cross::new(at, 12, INK.stroke_width(4))))?;
    }
    Ok(())
}

/// The limit, then only the kinds of candidate the search met and the plan
/// if it has a point, so the legend names nothing the chart does not show.
fn entries(t: &Target, pts: &[(f64, f64, bool)], has_plan: bool) -> Vec<Entry> {
    let mut entries = vec![Entry::new(
        format!("limit {}", limit_text(t)),
        Swatch::solid(INK, 2),
    )];
    for (feasible, name, c) in KINDS {
        if pts.iter().any(|p| p.2 == feasible) {
            entries.push(Entry::new(name, Swatch::Dot(c)));
        }
    }
    if has_plan {
        entries.push(Entry::new("plan", Swatch::Cross(INK)));
    }
    entries
}

/// The axes: cost named as the plan's text names it.
fn axes<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, spec: &Spec, y_desc: &str) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .house()
        .x_desc(crate::report::plan_workers::cost_words(spec))
        .y_desc(y_desc)
        .x_label_formatter(&|v| tidy(*v))
        .y_label_formatter(&|v| tidy(*v))
        .draw()?;
    Ok(())
}

/// Candidates that meet every target, and those that do not.
const FEASIBLE: RGBColor = RGBColor(89, 161, 79);
const INFEASIBLE: RGBColor = RGBColor(200, 30, 30);

/// The two kinds of candidate: infeasible first, so feasible points are drawn
/// over them.
const KINDS: [(bool, &str, RGBColor); 2] = [
    (false, "infeasible", INFEASIBLE),
    (true, "feasible", FEASIBLE),
];

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
