//! Sweep charts: one chart per chosen metric against the first swept field, a
//! line per combination of the other fields, with its confidence band.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{slo_entry, TARGET_DASH};
use super::data::positive_or;
use super::legend::{Entry, Keepout, Legend, Plot, Swatch, TOP_FIRST};
use super::style::{color, heading, tidy, HouseMesh, TARGET};
use super::{render, Chart, Drawn};
use crate::experiment::SweepPoint;
use crate::model::World;
use crate::report::format::unit_name;
use crate::report::SweepMetric;
use crate::scenario::value_text;
use crate::stats::Unit;
use serde_json::Value;

/// (x, lower, upper) of one point's confidence interval.
type Band = (f64, f64, f64);

/// The first axis's x positions: the values themselves when all are numbers,
/// else their order among the distinct values (labelled by their text).
fn x_positions(points: &[SweepPoint]) -> (Vec<f64>, Vec<String>) {
    let values: Vec<&Value> = points.iter().map(|p| &p.settings[0].1).collect();
    if values.iter().all(|v| v.is_number()) {
        let xs = values.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect();
        return (xs, Vec::new());
    }
    let mut labels: Vec<String> = Vec::new();
    let xs = values
        .iter()
        .map(|v| {
            let t = value_text(v);
            let i = labels.iter().position(|l| *l == t).unwrap_or_else(|| {
                labels.push(t);
                labels.len() - 1
            });
            i as f64
        })
        .collect();
    (xs, labels)
}

/// A scenario path in words: `deployments[2].capacity` becomes
/// `capacity of support@ap-south (slots)`.
pub fn field_label(world: &World, path: &str) -> String {
    let index = |prefix: &str| -> Option<(usize, &str)> {
        let rest = path.strip_prefix(prefix)?;
        let (i, tail) = rest.split_once(']')?;
        Some((i.parse().ok()?, tail.trim_start_matches('.')))
    };
    if let Some((i, field)) = index("deployments[") {
        if let Some(d) = world.deployments().get(i) {
            let who = format!("{}@{}", d.agent, world.regions()[d.region].id);
            return match field {
                "capacity" => format!("capacity of {who} (slots)"),
                f => format!("{} of {who}", f.replace('_', " ")),
            };
        }
    }
    if let Some((i, field)) = index("populations[") {
        if let Some(p) = world.populations().get(i) {
            return match field {
                "rate.peak_per_hour" => format!("{} peak arrivals per hour", p.name),
                f => format!("{} {}", p.name, f.replace(['.', '_'], " ")),
            };
        }
    }
    path.replace("[*]", " (all)").replace(['.', '_'], " ")
}

/// The SLO target a metric (its key without region or population) is judged
/// against, in the chart's units.
fn target(world: &World, key: &str) -> Option<f64> {
    if key.starts_with("media_rtt_ms.") {
        Some(world.slo().media_rtt_ms)
    } else if key.starts_with("join_latency_ms.") {
        Some(world.slo().join_latency_s * 1000.0)
    } else {
        None
    }
}

/// The chart's axes on `area`.
fn build<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, x1): (f64, f64),
    (lo, hi): (f64, f64),
) -> Result<Plot<'_, DB>, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    Ok(ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(40)
        .margin_bottom(15)
        .x_label_area_size(60)
        .y_label_area_size(100)
        .build_cartesian_2d(x0..x1, lo..hi)?)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    world: &World,
    points: &[SweepPoint],
    metric: &SweepMetric,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let name = metric.label();
    // Rates and shares in percent, like every other chart.
    let scale = if metric.unit() == Unit::Share {
        100.0
    } else {
        1.0
    };
    let x_name = field_label(world, &points[0].settings[0].0);
    let note = format!(
        "Mean over {} replications per point; band: {:.0} % confidence interval.",
        world.run().replications,
        world.run().confidence * 100.0
    );
    let area = heading(
        root,
        &format!("{} · sweep", world.name()),
        &format!("{name} against {x_name}"),
        &note,
    )?;
    let (xs, categories) = x_positions(points);
    let series = series(world, points, &xs, metric, scale);
    let (x0, x1) = x_range(&xs, !categories.is_empty());
    let goal = target(world, &metric.metric_key());
    let (lo, hi) = y_range(&series, goal);
    let mut entries: Vec<Entry> = series
        .iter()
        .enumerate()
        .map(|(i, (key, _))| Entry::new(key.clone(), Swatch::solid(color(i), 3)))
        .collect();
    if let Some(g) = goal {
        entries.push(slo_entry(g));
    }
    let legend = Legend::new(&area, entries);
    let spot = {
        let probe = build(&area, (x0, x1), (lo, hi))?;
        let keep = keepout(&probe, &series, goal, (x0, x1));
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = build(&plot_area, (x0, x1), (lo, hi))?;
    let y_desc = format!("{name} ({})", unit_name(metric.unit()));
    axes(&mut chart, &x_name, &y_desc, &categories)?;
    bands(&mut chart, &series, goal, (x0, x1))?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// What the legend must not cover: each band (its edges, and a segment across
/// it at every point, since it is filled), its mean line and points, and the
/// goal.
fn keepout<DB: DrawingBackend>(
    probe: &Plot<'_, DB>,
    series: &[(String, Vec<Band>)],
    goal: Option<f64>,
    (x0, x1): (f64, f64),
) -> Keepout {
    let mut keep = Keepout::default();
    for (_, pts) in series {
        keep.line(probe, pts.iter().map(|t| (t.0, t.1)));
        keep.line(probe, pts.iter().map(|t| (t.0, t.2)));
        keep.line(probe, pts.iter().map(|t| (t.0, (t.1 + t.2) / 2.0)));
        for t in pts {
            keep.line(probe, [(t.0, t.1), (t.0, t.2)]);
        }
        keep.points(probe, pts.iter().map(|t| (t.0, (t.1 + t.2) / 2.0)), 6);
    }
    if let Some(g) = goal {
        keep.line(probe, [(x0, g), (x1, g)]);
    }
    keep
}

/// The axes; a field of text values gets its `categories` as labels at
/// whole positions and none between them.
fn axes<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x_desc: &str,
    y_desc: &str,
    categories: &[String],
) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .house()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v| {
            if categories.is_empty() {
                tidy(*v)
            } else if (v - v.round()).abs() < 1e-6 {
                categories
                    .get(v.round() as usize)
                    .cloned()
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| tidy(*v))
        .draw()?;
    Ok(())
}

/// Each series as its confidence band, its mean line and points, then the
/// SLO target across the whole x range, if the metric has one.
fn bands<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    series: &[(String, Vec<Band>)],
    goal: Option<f64>,
    (x0, x1): (f64, f64),
) -> Drawn
where
    DB::ErrorType: 'static,
{
    for (i, (_, pts)) in series.iter().enumerate() {
        let c = color(i);
        let mut band: Vec<(f64, f64)> = pts.iter().map(|t| (t.0, t.2)).collect();
        band.extend(pts.iter().rev().map(|t| (t.0, t.1)));
        chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.2).filled())))?;
        let line: Vec<(f64, f64)> = pts.iter().map(|t| (t.0, (t.1 + t.2) / 2.0)).collect();
        chart.draw_series(LineSeries::new(line.clone(), c.stroke_width(3)))?;
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 5, c.filled())))?;
    }
    if let Some(g) = goal {
        chart.draw_series(DashedLineSeries::new(
            vec![(x0, g), (x1, g)],
            TARGET_DASH.0,
            TARGET_DASH.1,
            TARGET.stroke_width(2),
        ))?;
    }
    Ok(())
}

/// Series: points sharing every setting but the first, in grid order, each
/// point its x and its band (`scale` x the metric, minus and plus its half-width).
fn series(
    world: &World,
    points: &[SweepPoint],
    xs: &[f64],
    metric: &SweepMetric,
    scale: f64,
) -> Vec<(String, Vec<Band>)> {
    let name = metric.label();
    let get = |s: &crate::stats::Summary| metric.get(s);
    let mut series: Vec<(String, Vec<Band>)> = Vec::new();
    for (p, &x) in points.iter().zip(xs) {
        let key: Vec<String> = p.settings[1..]
            .iter()
            .map(|(k, v)| format!("{} = {}", field_label(world, k), value_text(v)))
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
        match series.iter_mut().find(|(k, _)| *k == key) {
            Some((_, pts)) => pts.push((x, v - hw, v + hw)),
            None => series.push((key, vec![(x, v - hw, v + hw)])),
        }
    }
    series
}

/// The x axis: the points' span and a little room (categories sit inside it,
/// not on its ends; a single value gets a unit either side).
fn x_range(xs: &[f64], categories: bool) -> (f64, f64) {
    let (x0, x1) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if categories {
        (x0 - 0.5, x1 + 0.5)
    } else if x1 > x0 {
        // A little room either side, so the end points are drawn whole.
        let pad = (x1 - x0) * 0.03;
        (x0 - pad, x1 + pad)
    } else {
        (x0 - 1.0, x0 + 1.0)
    }
}

/// The y axis: from 0 (or below) to a tenth above the highest band or goal.
fn y_range(series: &[(String, Vec<Band>)], goal: Option<f64>) -> (f64, f64) {
    let lo = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|t| t.1))
        .fold(f64::INFINITY, f64::min);
    let hi = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|t| t.2))
        .chain(goal)
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(0.0), hi)
    } else {
        (0.0, 1.0)
    };
    (lo, lo + positive_or((hi - lo) * 1.1, 1.0))
}

/// Whether a metric is zero, with a zero interval, at every point: its chart
/// would be a flat line on the axis, so none is drawn.
pub fn all_zero(points: &[SweepPoint], metric: &SweepMetric) -> bool {
    points.iter().all(|p| {
        metric.get(&p.point) == 0.0 && p.half_width.as_ref().is_none_or(|h| metric.get(h) == 0.0)
    })
}

/// One chart per metric (none for a metric zero at every point), named `sweep-<metric>` (dots become dashes).
pub fn render_sweep(
    world: &World,
    points: &[SweepPoint],
    metrics: &[SweepMetric],
) -> std::io::Result<Vec<Chart>> {
    super::style::register_font()?;
    if points.is_empty() || points[0].settings.is_empty() {
        return Ok(Vec::new());
    }
    metrics
        .iter()
        .filter(|m| !all_zero(points, m))
        .map(|m| {
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
