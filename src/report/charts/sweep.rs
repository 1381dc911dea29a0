//! Sweep charts: one chart per chosen metric against the first swept field, a
//! line per combination of the other fields, with its confidence band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::positive_or;
use super::style::{color, heading, legend, text, INK};
use super::{render, Chart, Drawn};
use crate::experiment::SweepPoint;
use crate::model::World;
use crate::report::format::unit_name;
use crate::report::Headline;
use crate::stats::Unit;

/// (x, lower, upper) of one point's confidence interval.
type Band = (f64, f64, f64);

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    world: &World,
    points: &[SweepPoint],
    metric: Headline,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let name = metric.label();
    let get = |s: &crate::stats::Summary| metric.get(s);
    // Rates and shares in percent, like every other chart.
    let scale = if metric.unit() == Unit::Share {
        100.0
    } else {
        1.0
    };
    let x_name = points[0].settings[0].0.clone();
    let note = format!(
        "Mean over {} replications per point; band: {:.0} % confidence interval.",
        world.run.replications,
        world.run.confidence * 100.0
    );
    let area = heading(
        root,
        &format!("{} · sweep", world.name),
        &format!("{name} against {x_name}"),
        &note,
    )?;
    // Series: points sharing every setting but the first, in grid order.
    let mut series: Vec<(String, Vec<Band>)> = Vec::new();
    for p in points {
        let key: Vec<String> = p.settings[1..]
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let key = if key.is_empty() {
            name.to_string()
        } else {
            key.join(", ")
        };
        let v = get(&p.point) * scale;
        let hw = p.half_width.as_ref().map_or(0.0, get) * scale;
        let hw = if hw.is_finite() { hw } else { 0.0 };
        if !v.is_finite() {
            continue;
        }
        let x = p.settings[0].1;
        match series.iter_mut().find(|(k, _)| *k == key) {
            Some((_, pts)) => pts.push((x, v - hw, v + hw)),
            None => series.push((key, vec![(x, v - hw, v + hw)])),
        }
    }
    let xs = points.iter().map(|p| p.settings[0].1);
    let (x0, x1) = xs
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 1.0, x0 + 1.0)
    };
    let lo = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|t| t.1))
        .fold(f64::INFINITY, f64::min);
    let hi = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|t| t.2))
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(0.0), hi)
    } else {
        (0.0, 1.0)
    };
    let hi = lo + positive_or((hi - lo) * 1.1, 1.0);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(20)
        .margin_right(40)
        .margin_bottom(15)
        .x_label_area_size(60)
        .y_label_area_size(100)
        .build_cartesian_2d(x0..x1, lo..hi)?;
    chart
        .configure_mesh()
        .x_desc(x_name.as_str())
        .y_desc(format!("{name} ({})", unit_name(metric.unit())))
        .x_label_formatter(&|v| tidy(*v))
        .y_label_formatter(&|v| tidy(*v))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    for (i, (key, pts)) in series.iter().enumerate() {
        let c = color(i);
        let mut band: Vec<(f64, f64)> = pts.iter().map(|t| (t.0, t.2)).collect();
        band.extend(pts.iter().rev().map(|t| (t.0, t.1)));
        chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.2).filled())))?;
        let line: Vec<(f64, f64)> = pts.iter().map(|t| (t.0, (t.1 + t.2) / 2.0)).collect();
        chart
            .draw_series(LineSeries::new(line.clone(), c.stroke_width(3)))?
            .label(key.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 5, c.filled())))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// A number without float noise: at most three decimals, trailing zeros dropped.
fn tidy(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One chart per metric, named `sweep-<metric>` (dots become dashes).
pub fn render_sweep(
    world: &World,
    points: &[SweepPoint],
    metrics: &[Headline],
) -> std::io::Result<Vec<Chart>> {
    super::style::register_font()?;
    if points.is_empty() || points[0].settings.is_empty() {
        return Ok(Vec::new());
    }
    metrics
        .iter()
        .map(|&m| {
            let stem = format!("sweep-{}", m.key().replace('.', "-"));
            render(
                &stem,
                &m.label(),
                |a| draw(a, world, points, m),
                |a| draw(a, world, points, m),
            )
        })
        .collect()
}
