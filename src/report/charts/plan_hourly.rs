//! The hourly capacity chart of a schedule: each deployment's planned capacity
//! per UTC hour as steps, its offered load per hour (home assignment) as a
//! dashed line in the same colour, and the static plan's capacity as a thin
//! flat line, so a reader sees where the schedule follows demand and what the
//! flat plan pays for at night.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{builder, color, empty, heading, legend, text, INK};
use super::{render, Chart, Drawn};
use crate::experiment::plan::hourly::HourlyOutcome;
use crate::experiment::plan::{schedules, Spec};
use crate::model::World;
use crate::report::deployment_label;

/// File stem of the chart.
pub const STEM: &str = "hourly";

/// The static plan's capacity per deployment, if one was verified.
fn flat(fixed: &Spec, out: &HourlyOutcome, d: usize) -> Option<u32> {
    let v = out.fixed.as_ref()?.plan.as_ref()?;
    fixed
        .variables
        .iter()
        .zip(&v.capacities)
        .find(|(var, _)| var.deployment == d)
        .map(|(_, &c)| c)
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
        &format!("{} · hourly plan", world.name),
        "capacity per UTC hour",
        "Steps: planned slots per hour; dashed: mean offered load in the hour (Erlangs, home assignment); thin: the static plan.",
    )?;
    let Some(v) = out.schedule.plan.as_ref() else {
        return empty(&area, "no schedule was verified");
    };
    let sched = schedules(&spec.variables, &v.capacities);
    let top = sched
        .iter()
        .flat_map(|(d, s)| {
            let load = out.mean_loads[*d].iter().copied().fold(0.0, f64::max);
            let f = flat(fixed, out, *d).map_or(0.0, f64::from);
            s.iter().map(move |&c| f64::from(c).max(load).max(f))
        })
        .fold(1.0, f64::max);
    let mut chart = builder(&area).build_cartesian_2d(0.0..24.0, 0.0..top * 1.35)?;
    chart
        .configure_mesh()
        .x_desc("UTC hour")
        .y_desc("slots / Erlangs")
        .x_labels(13)
        .x_label_formatter(&|h| format!("{:02}:00", *h as u32))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for (k, (d, s)) in sched.iter().enumerate() {
        let c = color(k);
        let steps: Vec<(f64, f64)> = (0..24)
            .flat_map(|h| {
                let y = f64::from(s[h]);
                [(h as f64, y), (h as f64 + 1.0, y)]
            })
            .collect();
        chart
            .draw_series(LineSeries::new(steps, c.stroke_width(3)))?
            .label(format!("{} plan", deployment_label(world, *d)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
        let load: Vec<(f64, f64)> = (0..24)
            .map(|h| (h as f64 + 0.5, out.mean_loads[*d][h]))
            .collect();
        chart.draw_series(DashedLineSeries::new(load, 8, 6, c.stroke_width(2)))?;
        if let Some(f) = flat(fixed, out, *d) {
            let y = f64::from(f);
            chart.draw_series(LineSeries::new([(0.0, y), (24.0, y)], c.stroke_width(1)))?;
        }
    }
    chart
        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
        .label("offered load (dashed)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], INK.stroke_width(1)));
    if out.fixed.as_ref().is_some_and(|f| f.plan.is_some()) {
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label("static plan (thin)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], INK.stroke_width(1)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

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
