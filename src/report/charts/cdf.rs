//! The drawing both distribution charts share: one cumulative curve per
//! population (or per media edge when there are many), the SLO target as a
//! dashed vertical line, p95 in the legend. Log axes are drawn as log10 values on
//! a linear axis with labels in ms/s, which keeps one code path for both scales.
//! The comparison's RTT chart and the workers' join tail draw their curves with
//! the same pieces.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{positive_or, thin_cdf, Ctx};
use super::legend::{Corner, Curve, Entry, Keepout, Legend, Plot, Swatch};
use super::style::{builder, color, empty, heading, tidy, tidy_percent, HouseMesh, TARGET};
use super::{ticks, Drawn};
use crate::stats::{Distribution, PopulationStats};

/// What differs between the distribution charts.
pub struct CdfSpec {
    /// Chart title.
    pub title: &'static str,
    /// Measured quantity, for the axis label.
    pub quantity: &'static str,
    /// SLO target, ms.
    pub target_ms: f64,
    /// Logarithmic value axis.
    pub log_x: bool,
    /// The distribution plotted.
    pub pick: fn(&PopulationStats) -> &Distribution,
}

/// Milliseconds as people read them: "85 ms", "1.5 s", "2 s".
pub fn fmt_ms(ms: f64) -> String {
    let s = if !ms.is_finite() {
        "–".into()
    } else if ms == 0.0 {
        "0".into()
    } else if ms >= 10_000.0 {
        format!("{:.0} s", ms / 1000.0)
    } else if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    };
    s.replace(".0 ", " ")
}

/// An axis tick: a round value in ms or s, without trailing zeros.
pub fn fmt_tick(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", tidy(ms / 1000.0))
    } else if ms == 0.0 {
        "0".into()
    } else {
        format!("{} ms", tidy(ms))
    }
}

/// Dash and gap of SLO target lines.
pub const TARGET_DASH: (u32, u32) = (10, 6);

/// The legend entry of an SLO target line.
pub fn slo_entry(target_ms: f64) -> Entry {
    Entry::new(
        format!("SLO target {}", fmt_ms(target_ms)),
        Swatch::dashed(TARGET, 2, TARGET_DASH.0, TARGET_DASH.1),
    )
}

/// The SLO target as a dashed red vertical line at `x` (axis units) over a
/// CDF's 0..1 range.
fn slo_line<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, x: f64) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart.draw_series(DashedLineSeries::new(
        vec![(x, 0.0), (x, 1.0)],
        TARGET_DASH.0,
        TARGET_DASH.1,
        TARGET.stroke_width(2),
    ))?;
    Ok(())
}

/// Draw a distribution chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx, spec: &CdfSpec) -> Drawn
where
    DB::ErrorType: 'static,
{
    let groups = ctx.groups();
    let area = heading(root, &ctx.heading, spec.title, &note(&groups, spec))?;
    let dists: Vec<(usize, Distribution)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (i, ctx.pooled(g, spec.pick)))
        .filter(|(_, d)| d.count() > 0)
        .collect();
    let total = dists.len();
    let dists = collapse(dists);
    if dists.is_empty() {
        return empty(&area, "No served sessions: nothing to plot.");
    }
    let tx = |ms: f64| if spec.log_x { ms.max(1e-3).log10() } else { ms };
    let (lo_ms, hi_ms) = span_ms(&dists, spec);
    let (x0, x1) = (tx(lo_ms), tx(hi_ms));
    let curves: Vec<Curve> = dists
        .iter()
        .map(|(i, d)| {
            let pts = thin_cdf(&d.cdf_points(), 400)
                .into_iter()
                .map(|(x, y)| (tx(x).clamp(x0, x1), y))
                .collect();
            let label = format!(
                "{}  (p95 {})",
                curve_label(&groups, i, total),
                fmt_ms(d.quantile(0.95))
            );
            (color(i[0]), pts, label)
        })
        .collect();
    let slo = (tx(spec.target_ms), spec.target_ms);
    plot_cdfs(
        &area,
        curves,
        (x0, x1),
        slo,
        &CDF_CORNERS,
        |plot_area, chart| axes(plot_area, chart, spec, (x0, x1)),
    )
}

/// The heading's note: how to read the curves, and whether each is a
/// population or a media edge's group of them.
fn note(groups: &[super::data::Group], spec: &CdfSpec) -> String {
    let grouped = groups.iter().any(|g| g.pops.len() > 1);
    format!(
        "Share of served sessions with {} at or below x{}; dashed red: SLO target {}.",
        spec.quantity,
        if grouped {
            ", populations grouped by the media edge of their main city"
        } else {
            " per population"
        },
        fmt_ms(spec.target_ms)
    )
}

/// A distribution chart's axes; a log value axis is log10 values on a linear
/// one, so plotters' labels are turned off and round ticks drawn by hand.
fn axes<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    chart: &mut Plot<'_, DB>,
    spec: &CdfSpec,
    (x0, x1): (f64, f64),
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let log_x = spec.log_x;
    chart
        .configure_mesh()
        .house()
        .x_desc(format!(
            "{} ({} scale)",
            spec.quantity,
            if log_x { "log" } else { "linear" }
        ))
        .y_desc("share of served sessions")
        .x_label_formatter(&|v| fmt_tick(*v))
        .y_label_formatter(&|v| tidy_percent(*v))
        .x_labels(if log_x { 0 } else { 12 })
        .y_labels(11)
        .draw()?;
    if log_x {
        ticks::log_x(plot_area, chart, (x0, x1), (0.0, 1.0), &fmt_tick)?;
    }
    Ok(())
}

/// The plot under a cumulative chart's heading, shared by the run's and the
/// comparison's: the curves over a 0..1 share, the SLO target (`slo`: its x
/// in axis units, and in ms for the legend), the legend in the first corner
/// of `order` clear of both. `axes` draws the mesh, on the area left for the
/// plot.
pub fn plot_cdfs<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: Vec<Curve>,
    (x0, x1): (f64, f64),
    (slo, target_ms): (f64, f64),
    order: &[Corner],
    axes: impl FnOnce(&DrawingArea<DB, Shift>, &mut Plot<'_, DB>) -> Drawn,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let mut entries = curve_entries(&curves);
    entries.push(slo_entry(target_ms));
    let legend = Legend::new(area, entries);
    let spot = {
        let probe = builder(area).build_cartesian_2d(x0..x1, 0.0..1.0)?;
        let mut keep = Keepout::default();
        keep_curves(&mut keep, &probe, &curves);
        keep.line(&probe, [(slo, 0.0), (slo, 1.0)]);
        legend.spot(area, &probe, &keep, order)
    };
    let (plot_area, band) = Legend::split(area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(x0..x1, 0.0..1.0)?;
    axes(&plot_area, &mut chart)?;
    draw_curves(&mut chart, curves)?;
    slo_line(&mut chart, slo)?;
    legend.draw(&plot_area, spot, band.as_ref())
}

/// Each curve's legend entry, its swatch the line `draw_curves` draws.
pub fn curve_entries(curves: &[Curve]) -> Vec<Entry> {
    curves
        .iter()
        .map(|(c, _, label)| Entry::new(label.clone(), Swatch::solid(*c, 3)))
        .collect()
}

/// The curves, for the legend to keep clear of.
pub fn keep_curves<DB: DrawingBackend>(keep: &mut Keepout, probe: &Plot<'_, DB>, curves: &[Curve]) {
    for (_, pts, _) in curves {
        keep.line(probe, pts.iter().copied());
    }
}

/// The curves, as their entries from `curve_entries` show them.
pub fn draw_curves<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, curves: Vec<Curve>) -> Drawn
where
    DB::ErrorType: 'static,
{
    for (c, pts, _) in curves {
        chart.draw_series(LineSeries::new(pts, c.stroke_width(3)))?;
    }
    Ok(())
}

/// Where a distribution chart's legend goes first: a CDF usually leaves its
/// lower right or upper left empty.
const CDF_CORNERS: [Corner; 4] = [
    Corner::LowerRight,
    Corner::UpperLeft,
    Corner::LowerLeft,
    Corner::UpperRight,
];

/// The x axis in milliseconds: from 0 (linear) or just below the lowest
/// 0.1 % quantile (log, at least a decade), to past the highest 99.9 %
/// quantile and the target.
fn span_ms(dists: &[(Vec<usize>, Distribution)], spec: &CdfSpec) -> (f64, f64) {
    let hi_ms = dists
        .iter()
        .map(|(_, d)| d.quantile(0.999))
        .fold(spec.target_ms * 1.15, f64::max);
    let hi_ms = positive_or(hi_ms * 1.05, 1.0);
    let lo_ms = if spec.log_x {
        let lo = dists
            .iter()
            .map(|(_, d)| d.quantile(0.001))
            .fold(f64::INFINITY, f64::min);
        positive_or(lo.min(spec.target_ms) * 0.7, 1.0).min(hi_ms / 10.0)
    } else {
        0.0
    };
    (lo_ms, hi_ms)
}

/// Two curves closer than this (relative) at every checked quantile are drawn
/// as one: eight indistinguishable lines say less than one labelled line.
const SAME_CURVE: f64 = 0.02;

fn same_curve(a: &Distribution, b: &Distribution) -> bool {
    let qs = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];
    qs.iter().all(|&q| {
        let (x, y) = (a.quantile(q), b.quantile(q));
        (x - y).abs() <= SAME_CURVE * x.abs().max(y.abs()).max(1e-9)
    })
}

/// Merge groups whose curves coincide; each curve keeps its members' indices
/// (first member names its colour), in the groups' order.
fn collapse(dists: Vec<(usize, Distribution)>) -> Vec<(Vec<usize>, Distribution)> {
    let mut out: Vec<(Vec<usize>, Distribution, Distribution)> = Vec::new();
    for (i, d) in dists {
        match out.iter_mut().find(|(_, _, first)| same_curve(first, &d)) {
            Some((members, merged, _)) => {
                members.push(i);
                merged.merge(&d);
            }
            None => out.push((vec![i], d.clone(), d)),
        }
    }
    out.into_iter().map(|(m, d, _)| (m, d)).collect()
}

/// A curve's legend text: its group, or how many groups share it.
fn curve_label(groups: &[super::data::Group], members: &[usize], total: usize) -> String {
    match members {
        [one] => groups[*one].label.clone(),
        _ if members.len() == total => "all populations (identical curves)".into(),
        [first, rest @ ..] => format!(
            "{} and {} more (identical curves)",
            groups[*first].label,
            rest.len()
        ),
        [] => String::new(),
    }
}
