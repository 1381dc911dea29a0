//! The hourly capacity chart of a schedule: each deployment's planned capacity
//! per UTC hour as steps, its offered load per hour (home assignment) as a
//! dashed line in the same colour, and the static plan's capacity as a thin
//! flat line, so a reader sees where the schedule follows demand and what the
//! flat plan pays for at night.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{Entry, Keepout, Legend, Swatch, KEY, TOP_FIRST};
use super::style::{builder, color, empty, heading, tidy, HouseMesh};
use super::{render, Chart, Drawn};
use crate::experiment::plan::hourly::HourlyOutcome;
use crate::experiment::plan::{hourly_groups, Knob, Spec};
use crate::model::World;
use crate::report::deployment_label;

/// File stem of the chart.
pub const STEM: &str = "hourly";

/// The static plan's value of deployment `d`'s knob `k`, if one was verified.
fn flat(fixed: &Spec, out: &HourlyOutcome, d: usize, k: Knob) -> Option<u32> {
    let v = out.fixed.as_ref()?.plan.as_ref()?;
    fixed
        .variables
        .iter()
        .zip(&v.capacities)
        .find(|(var, _)| var.deployment() == d && var.knob() == k)
        .map(|(_, &c)| c)
}

/// Sessions one unit of knob `k` on deployment `d` holds: a slot one, a
/// worker of a pool's floor the sessions it takes at the threshold, so a
/// floor is drawn against the load it keeps warm for.
fn sessions_per_unit(world: &World, d: usize, k: Knob) -> f64 {
    match (k, &world.deployments()[d].workers) {
        (Knob::Slots, _) | (_, None) => 1.0,
        (_, Some(w)) => f64::from(w.sessions_at_threshold()),
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    world: &World,
    spec: &Spec,
    fixed: &Spec,
    out: &HourlyOutcome,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let area = heading(
        root,
        &format!("{} · hourly plan", world.name()),
        "capacity per UTC hour",
        "Steps: planned slots per hour (a pool's floor as the sessions its warm workers hold); dashed: mean offered load in the hour (Erlangs, home assignment); thin: the static plan.",
    )?;
    let Some(v) = out.schedule.plan.as_ref() else {
        return empty(&area, "no schedule was verified");
    };
    let sched = hourly_groups(&spec.variables, &v.capacities);
    let top = top(world, fixed, out, &sched) * 1.12;
    let has_flat = out.fixed.as_ref().is_some_and(|f| f.plan.is_some());
    let curves = schedules(world, fixed, out, &sched);
    let legend = Legend::new(&area, entries(&curves, has_flat));
    let spot = {
        let probe = builder(&area).build_cartesian_2d(0.0..24.0, 0.0..top)?;
        let mut keep = Keepout::default();
        for (_, steps, load, f, _) in &curves {
            keep.line(&probe, steps.iter().copied());
            keep.line(&probe, load.iter().copied());
            if let Some(f) = f {
                keep.line(&probe, [(0.0, *f), (24.0, *f)]);
            }
        }
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(0.0..24.0, 0.0..top)?;
    chart
        .configure_mesh()
        .house()
        .x_desc("UTC hour")
        .y_desc("slots / Erlangs")
        .x_labels(13)
        .x_label_formatter(&|h| format!("{:02}:00", *h as u32))
        .y_label_formatter(&|v| tidy(*v))
        .draw()?;
    for (c, steps, load, f, _) in curves {
        chart.draw_series(LineSeries::new(steps, c.stroke_width(3)))?;
        chart.draw_series(DashedLineSeries::new(
            load,
            DASH.0,
            DASH.1,
            c.stroke_width(2),
        ))?;
        if let Some(y) = f {
            chart.draw_series(LineSeries::new([(0.0, y), (24.0, y)], c.stroke_width(1)))?;
        }
    }
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// The highest value any line reaches (at least 1): planned capacity, offered
/// load or the static plan, all in sessions, so no line leaves the plot.
fn top(world: &World, fixed: &Spec, out: &HourlyOutcome, sched: &[Planned]) -> f64 {
    let unit = |d: usize, k: Knob| sessions_per_unit(world, d, k);
    sched
        .iter()
        .flat_map(|&(d, k, s)| {
            let load = out.mean_loads[d].iter().copied().fold(0.0, f64::max);
            let f = flat(fixed, out, d, k).map_or(0.0, f64::from) * unit(d, k);
            s.into_iter()
                .map(move |c| (f64::from(c) * unit(d, k)).max(load).max(f))
        })
        .fold(1.0, f64::max)
}

/// Each scheduled knob's lines in sessions, so slots and a pool's floor read
/// on one axis against the offered load.
fn schedules(world: &World, fixed: &Spec, out: &HourlyOutcome, sched: &[Planned]) -> Vec<Schedule> {
    sched
        .iter()
        .enumerate()
        .map(|(i, &(d, k, s))| {
            let per = sessions_per_unit(world, d, k);
            let steps = (0..24)
                .flat_map(|h| {
                    let y = f64::from(s[h]) * per;
                    [(h as f64, y), (h as f64 + 1.0, y)]
                })
                .collect();
            let load = (0..24)
                .map(|h| (h as f64 + 0.5, out.mean_loads[d][h]))
                .collect();
            let f = flat(fixed, out, d, k).map(|c| f64::from(c) * per);
            let label = match k {
                Knob::Slots => format!("{} plan", deployment_label(world, d)),
                _ => format!("{} floor x {per} sessions", deployment_label(world, d)),
            };
            (color(i), steps, load, f, label)
        })
        .collect()
}

/// A deployment per colour, then keys for the two line styles every
/// deployment shares (the static plan's only when there is one).
fn entries(curves: &[Schedule], has_flat: bool) -> Vec<Entry> {
    let mut entries: Vec<Entry> = curves
        .iter()
        .map(|(c, _, _, _, label)| Entry::new(label.clone(), Swatch::solid(*c, 3)))
        .collect();
    entries.push(Entry::new(
        "offered load (dashed)",
        Swatch::dashed(KEY, 2, DASH.0, DASH.1),
    ));
    if has_flat {
        entries.push(Entry::new("static plan (thin)", Swatch::solid(KEY, 1)));
    }
    entries
}

/// A deployment's lines: colour, planned steps, offered load, the static
/// plan's capacity, legend label.
type Schedule = (
    RGBColor,
    Vec<(f64, f64)>,
    Vec<(f64, f64)>,
    Option<f64>,
    String,
);

/// One scheduled knob: its deployment, the knob, its value per UTC hour.
type Planned = (usize, Knob, [u32; 24]);

/// Dash and gap of the offered load.
const DASH: (u32, u32) = (8, 6);

/// The hourly capacity chart.
pub fn render_plan_hourly(
    world: &World,
    spec: &Spec,
    fixed: &Spec,
    out: &HourlyOutcome,
) -> std::io::Result<Chart> {
    super::style::register_font()?;
    render(
        STEM,
        "hourly capacity plan",
        |a| draw(a, world, spec, fixed, out),
        |a| draw(a, world, spec, fixed, out),
    )
}
