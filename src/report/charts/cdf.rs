//! The drawing both distribution charts share: one cumulative curve per
//! population (or per media edge when there are many), the SLO target as a
//! dashed vertical line, p95 in the legend. Log axes are drawn as log10 values on
//! a linear axis with labels in ms/s, which keeps one code path for both scales.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{positive_or, thin_cdf, Ctx};
use super::style::{anchored, builder, color, empty, heading, legend, text, INK, TARGET};
use super::Drawn;
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

/// Milliseconds as people read them: "85 ms", "1.5 s".
pub fn fmt_ms(ms: f64) -> String {
    if !ms.is_finite() {
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
    }
}

/// An axis tick: like [`fmt_ms`], whole seconds without a decimal.
fn fmt_tick(ms: f64) -> String {
    if ms >= 1000.0 && (ms / 1000.0).fract() < 0.05 {
        format!("{:.0} s", ms / 1000.0)
    } else {
        fmt_ms(ms)
    }
}

/// The SLO target as a dashed red vertical line at `x` (axis units) over a CDF's
/// 0..1 range, with its legend entry.
pub fn slo_line<'a, DB, X>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
    x: f64,
    target_ms: f64,
) -> Drawn
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64>,
{
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x, 0.0), (x, 1.0)],
            10,
            6,
            TARGET.stroke_width(2),
        ))?
        .label(format!("SLO target {}", fmt_ms(target_ms)))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 10, y)], TARGET.stroke_width(2)));
    Ok(())
}

/// Draw a distribution chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx, spec: &CdfSpec) -> Drawn
where
    DB::ErrorType: 'static,
{
    let groups = ctx.groups();
    let grouped = groups.iter().any(|g| g.pops.len() > 1);
    let note = format!(
        "Share of served sessions with {} at or below x{}; dashed red: SLO target {}.",
        spec.quantity,
        if grouped {
            ", populations grouped by the media edge of their main city"
        } else {
            " per population"
        },
        fmt_ms(spec.target_ms)
    );
    let area = heading(root, &ctx.heading, spec.title, &note)?;
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
    let mut chart = builder(&area).build_cartesian_2d(x0..x1, 0.0..1.0)?;
    let log_x = spec.log_x;
    let x_fmt = move |v: &f64| fmt_tick(if log_x { 10f64.powf(*v) } else { *v });
    chart
        .configure_mesh()
        .x_desc(format!(
            "{} ({} scale)",
            spec.quantity,
            if log_x { "log" } else { "linear" }
        ))
        .y_desc("share of served sessions")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|v| format!("{:.0} %", v * 100.0))
        .x_labels(if log_x { 0 } else { 12 })
        .y_labels(11)
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;
    let mut drawn: Vec<(f64, f64)> = Vec::new();
    for (i, d) in &dists {
        let c = color(i[0]);
        let pts: Vec<(f64, f64)> = thin_cdf(&d.cdf_points(), 400)
            .into_iter()
            .map(|(x, y)| (tx(x).clamp(x0, x1), y))
            .collect();
        drawn.extend(&pts);
        let style = c.stroke_width(3);
        chart
            .draw_series(LineSeries::new(pts, style))?
            .label(format!(
                "{}  (p95 {})",
                curve_label(&groups, i, total),
                fmt_ms(d.quantile(0.95))
            ))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    if log_x {
        log_ticks(&area, &mut chart, (x0, x1))?;
    }
    slo_line(&mut chart, tx(spec.target_ms), spec.target_ms)?;
    let slo = tx(spec.target_ms);
    let pos = legend_corner(&drawn, slo, (x0, x1), dists.len() + 1);
    legend(&mut chart, pos)?;
    Ok(())
}

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

/// A log axis's grid lines and labels at 1-2-5 steps of each decade (finer
/// when the axis spans less than a decade and a half).
fn log_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    (x0, x1): (f64, f64),
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (ox, oy) = area.get_base_pixel();
    let steps: &[f64] = if x1 - x0 < 1.5 {
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut decade = 10f64.powf(x0.floor());
    while decade <= 10f64.powf(x1) {
        for &m in steps {
            let v = (decade * m).log10();
            if v < x0 || v > x1 {
                continue;
            }
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(v, 0.0), (v, 1.0)],
                RGBColor(215, 215, 215).stroke_width(1),
            )))?;
            let (px, py) = chart.backend_coord(&(v, 0.0));
            area.draw(&Text::new(
                fmt_tick(decade * m),
                (px - ox, py - oy + 8),
                anchored(17, INK, HPos::Center, VPos::Top),
            ))?;
        }
        decade *= 10.0;
    }
    Ok(())
}

/// The first corner (lower right, upper left, lower left, upper right) whose
/// legend-sized box holds no curve point and no SLO line: a CDF usually leaves
/// its lower right or upper left empty.
fn legend_corner(
    pts: &[(f64, f64)],
    slo: f64,
    (x0, x1): (f64, f64),
    rows: usize,
) -> SeriesLabelPosition {
    let (w, h) = ((x1 - x0) * 0.47, (rows as f64 * 21.0 + 30.0) / 620.0);
    let corners = [
        (SeriesLabelPosition::LowerRight, x1 - w, x1, 0.0, h),
        (SeriesLabelPosition::UpperLeft, x0, x0 + w, 1.0 - h, 1.0),
        (SeriesLabelPosition::LowerLeft, x0, x0 + w, 0.0, h),
        (SeriesLabelPosition::UpperRight, x1 - w, x1, 1.0 - h, 1.0),
    ];
    corners
        .into_iter()
        .find(|&(_, a, b, lo, hi)| {
            !(a..=b).contains(&slo)
                && !pts
                    .iter()
                    .any(|&(x, y)| (a..=b).contains(&x) && (lo..=hi).contains(&y))
        })
        .map_or(SeriesLabelPosition::LowerRight, |c| c.0)
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
