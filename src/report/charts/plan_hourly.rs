//! The hourly capacity chart of a schedule: each deployment's planned capacity
//! per UTC hour as steps, its offered load per hour (home assignment) as a
//! dashed line in the same colour, and the static plan's capacity as a thin
//! flat line, so a reader sees where the schedule follows demand and what the
//! flat plan pays for at night.
//!
//! A worker pool's floor is a handful of workers where its load may be
//! hundreds of Erlangs, so floors get a panel of their own under the loads,
//! counted in workers: on one axis with the load they would be a line on the
//! floor of the chart.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{Entry, Keepout, Legend, Plot, Spot, Swatch, KEY, TOP_FIRST};
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

/// One scheduled knob's lines: its colour, planned steps (slots, or workers
/// for a pool's floor), the offered load of its deployment, the static plan's
/// value, its legend label, and whether it is a pool's floor.
struct Schedule {
    color: RGBColor,
    steps: Vec<(f64, f64)>,
    load: Vec<(f64, f64)>,
    flat: Option<f64>,
    label: String,
    floor: bool,
}

/// Each scheduled knob's lines, a colour each.
fn schedules(world: &World, fixed: &Spec, out: &HourlyOutcome, sched: &[Planned]) -> Vec<Schedule> {
    sched
        .iter()
        .enumerate()
        .map(|(i, &(d, k, s))| {
            let steps = (0..24)
                .flat_map(|h| {
                    let y = f64::from(s[h]);
                    [(h as f64, y), (h as f64 + 1.0, y)]
                })
                .collect();
            let load = (0..24)
                .map(|h| (h as f64 + 0.5, out.mean_loads[d][h]))
                .collect();
            let floor = k != Knob::Slots;
            let label = if floor {
                format!("{} floor", deployment_label(world, d))
            } else {
                format!("{} plan", deployment_label(world, d))
            };
            Schedule {
                color: color(i),
                steps,
                load,
                flat: flat(fixed, out, d, k).map(f64::from),
                label,
                floor,
            }
        })
        .collect()
}

impl Schedule {
    /// Its planned steps, then its static plan's flat line if there is one:
    /// drawn thick and thin, in the panel its kind belongs to.
    fn plan_lines(&self) -> impl Iterator<Item = Vec<(f64, f64)>> + '_ {
        let flat = self.flat.map(|y| vec![(0.0, y), (24.0, y)]);
        std::iter::once(self.steps.clone()).chain(flat)
    }
}

/// What the upper panel draws: every deployment's offered load, and the
/// plan lines of the slot deployments (floors go below).
fn upper_lines(s: &Schedule) -> impl Iterator<Item = Vec<(f64, f64)>> + '_ {
    let plan = s.plan_lines().filter(|_| !s.floor);
    std::iter::once(s.load.clone()).chain(plan)
}

/// What the lower panel draws: the floors' plan lines.
fn lower_lines(s: &Schedule) -> impl Iterator<Item = Vec<(f64, f64)>> + '_ {
    s.plan_lines().filter(|_| s.floor)
}

/// The highest point of the lines, at least `least`.
fn top_of(lines: impl Iterator<Item = Vec<(f64, f64)>>, least: f64) -> f64 {
    lines.flatten().map(|(_, y)| y).fold(least, f64::max)
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
    let Some(v) = out.schedule.plan.as_ref() else {
        let area = heading(root, &title(world), "capacity per UTC hour", &note(true, 0))?;
        return empty(&area, "no schedule was verified");
    };
    let sched = hourly_groups(&spec.variables, &v.capacities);
    let mut curves = schedules(world, fixed, out, &sched);
    let n_floors = curves.iter().filter(|c| c.floor).count();
    let (slots, floors) = (curves.len() > n_floors, n_floors > 0);
    let area = heading(
        root,
        &title(world),
        "capacity per UTC hour",
        &note(slots, n_floors),
    )?;
    let has_flat = curves.iter().any(|c| c.flat.is_some());
    let upper_top = top_of(curves.iter().flat_map(upper_lines), 1.0) * 1.12;
    // Whole workers: one more than the highest floor, so a floor of the
    // axis's top value is not drawn on its frame.
    let lower_top = top_of(curves.iter().flat_map(lower_lines), 0.0).ceil() + 1.0;
    dodge(&mut curves, lower_top);
    let legend = Legend::new(&area, entries(&curves, has_flat));
    let spot = spot(&area, &legend, &curves, floors, (upper_top, lower_top))?;
    let (panels, band) = Legend::split(&area, spot);
    let (upper_area, lower_area) = halves(&panels, floors);
    let mut upper = builder(&upper_area).build_cartesian_2d(0.0..24.0, 0.0..upper_top)?;
    let y_desc = if slots { "slots / Erlangs" } else { "Erlangs" };
    // Panels share the hours: the upper one names them only when alone.
    hour_axis(&mut upper, y_desc, (!floors).then_some("UTC hour"), None)?;
    for c in &curves {
        if !c.floor {
            draw_steps(&mut upper, c)?;
        }
        upper.draw_series(DashedLineSeries::new(
            c.load.iter().copied(),
            DASH.0,
            DASH.1,
            c.color.stroke_width(2),
        ))?;
    }
    if let Some(lower_area) = lower_area {
        let mut lower =
            builder(&lower_area).build_cartesian_2d(0.0..24.0, FLOOR_BASE..lower_top)?;
        let labels = (lower_top as usize + 1).min(11);
        hour_axis(
            &mut lower,
            "warm floor, workers",
            Some("UTC hour"),
            Some(labels),
        )?;
        for c in curves.iter().filter(|c| c.floor) {
            draw_steps(&mut lower, c)?;
        }
    }
    legend.draw(&area, spot, band.as_ref())?;
    Ok(())
}

/// The chart's heading.
fn title(world: &World) -> String {
    format!("{} · hourly plan", world.name())
}

/// What the chart shows, by whether it schedules slots and how many pools'
/// floors.
fn note(slots: bool, floors: usize) -> String {
    let load = "mean offered load in the hour (dashed, Erlangs, home assignment)";
    let apart = if floors > 1 {
        "; pools on one value drawn slightly apart"
    } else {
        ""
    };
    match (slots, floors) {
        (_, 0) => format!("Steps: planned slots per hour; dashed: {load}; thin: the static plan."),
        (true, _) => format!("Top: planned slots per hour (steps) and {load}. Bottom: each worker pool's warm floor per hour (workers{apart}). Thin: the static plan."),
        (false, _) => format!("Top: {load}. Bottom: each worker pool's warm floor per hour (workers{apart}). Thin: the static plan."),
    }
}

/// Floors are small whole numbers, often equal across pools: each pool's
/// lines are moved by its own small offset (a 25th of the axis apart,
/// centred on the true value), so equal floors lie side by side instead of
/// one hiding the others.
fn dodge(curves: &mut [Schedule], lower_top: f64) {
    let n = curves.iter().filter(|c| c.floor).count();
    for (j, c) in curves.iter_mut().filter(|c| c.floor).enumerate() {
        let by = (j as f64 - (n as f64 - 1.0) / 2.0) * lower_top / 25.0;
        c.steps.iter_mut().for_each(|p| p.1 += by);
        c.flat = c.flat.map(|y| y + by);
    }
}

/// A schedule's steps (thick) and its static plan (thin) on `chart`.
fn draw_steps<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, c: &Schedule) -> Drawn
where
    DB::ErrorType: 'static,
{
    for (line, width) in c.plan_lines().zip([3, 1]) {
        chart.draw_series(LineSeries::new(line, c.color.stroke_width(width)))?;
    }
    Ok(())
}

/// A panel's mesh: UTC hours across (named `x_desc` if given), `y_desc` up,
/// `y_labels` labels if given.
fn hour_axis<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    y_desc: &str,
    x_desc: Option<&str>,
    y_labels: Option<usize>,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let mut mesh = chart.configure_mesh();
    mesh.house()
        .y_desc(y_desc)
        .x_labels(13)
        .x_label_formatter(&|h| format!("{:02}:00", *h as u32))
        .y_label_formatter(&|v| tidy(*v));
    if let Some(x) = x_desc {
        mesh.x_desc(x);
    }
    if let Some(n) = y_labels {
        mesh.y_labels(n);
    }
    mesh.draw()?;
    Ok(())
}

/// The panels: the whole area, or loads above and floors below (the legend's
/// placement and the drawing split alike, so they agree on each panel).
fn halves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    floors: bool,
) -> (DrawingArea<DB, Shift>, Option<DrawingArea<DB, Shift>>) {
    if floors {
        let (upper, lower) = area.split_vertically(area.dim_in_pixel().1 * 3 / 5);
        (upper, Some(lower))
    } else {
        (area.clone(), None)
    }
}

/// One legend serves both panels: a free corner of the upper panel, else of
/// the lower one, else the band under both.
fn spot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    curves: &[Schedule],
    floors: bool,
    (upper_top, lower_top): (f64, f64),
) -> Result<Spot, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let (upper_area, lower_area) = halves(area, floors);
    let upper = builder(&upper_area).build_cartesian_2d(0.0..24.0, 0.0..upper_top)?;
    let mut keep = Keepout::default();
    for line in curves.iter().flat_map(upper_lines) {
        keep.line(&upper, line);
    }
    let target = if floors { &upper_area } else { area };
    Ok(
        match (legend.spot(target, &upper, &keep, &TOP_FIRST), lower_area) {
            (Spot::Below(_), Some(lower_area)) => {
                let lower =
                    builder(&lower_area).build_cartesian_2d(0.0..24.0, FLOOR_BASE..lower_top)?;
                let mut keep = Keepout::default();
                for line in curves.iter().flat_map(lower_lines) {
                    keep.line(&lower, line);
                }
                legend.spot(area, &lower, &keep, &TOP_FIRST)
            }
            (spot, _) => spot,
        },
    )
}

/// A deployment per colour, then keys for the line styles every deployment
/// shares (the static plan's only when there is one).
fn entries(curves: &[Schedule], has_flat: bool) -> Vec<Entry> {
    let mut entries: Vec<Entry> = curves
        .iter()
        .map(|c| Entry::new(c.label.clone(), Swatch::solid(c.color, 3)))
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

/// One scheduled knob: its deployment, the knob, its value per UTC hour.
type Planned = (usize, Knob, [u32; 24]);

/// The floors' axis starts below 0, so a floor of no worker (dodged
/// below its value) is drawn clear of the axis line.
const FLOOR_BASE: f64 = -0.4;

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
