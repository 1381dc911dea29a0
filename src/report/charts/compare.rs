//! Comparison charts: the headline metrics of every policy side by side as bars
//! with confidence error bars, and the media RTT distributions overlaid.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{fmt_ms, plot_cdfs};
use super::data::{positive_or, thin_cdf};
use super::legend::{Corner, Curve, Plot};
use super::style::{anchored, color, heading, text, tidy, tidy_percent, HouseMesh, INK};
use super::{render, Chart, Drawn};
use crate::experiment::{half_width, Comparison, Estimate};
use crate::model::World;
use crate::stats::{Distribution, Summary};
use plotters::style::text_anchor::{HPos, VPos};

/// A metric drawn as a panel of bars.
struct Panel {
    title: &'static str,
    get: fn(&Summary) -> f64,
    /// Multiplier for display (100 for rates shown in %).
    scale: f64,
    unit: &'static str,
}

const PANELS: [Panel; 4] = [
    Panel {
        title: "overflow rate",
        get: |s| s.overflow_rate,
        scale: 100.0,
        unit: "%",
    },
    Panel {
        title: "rejected + abandoned",
        get: |s| s.rejection_rate + s.abandonment_rate,
        scale: 100.0,
        unit: "%",
    },
    Panel {
        title: "media RTT p95",
        get: |s| s.media_rtt_ms.p95,
        scale: 1.0,
        unit: "ms",
    },
    Panel {
        title: "join latency p95",
        get: |s| s.join_latency_ms.p95,
        scale: 1.0,
        unit: "ms",
    },
];

/// The half-width of a panel's figure, from the replications' own values, so a
/// figure derived from two metrics (rejected + abandoned) gets its true
/// interval, not the sum of two half-widths. Percentiles keep the summary's
/// half-width: their point estimate is pooled, not a mean of replications.
fn half_width_of(e: &Estimate, get: fn(&Summary) -> f64) -> f64 {
    let Some(h) = &e.half_width else {
        return 0.0;
    };
    let xs: Vec<f64> = (0..e.runs.len()).map(|i| get(&e.replication(i))).collect();
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    // A pooled percentile is not the mean of the replications' percentiles.
    if (mean - get(&e.point)).abs() > 1e-9 * mean.abs().max(1.0) {
        return get(h);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    half_width(var, e.replications, e.confidence)
}

fn bars<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, world: &World, cmp: &Comparison) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = format!(
        "{} replications per policy on the same users; whiskers: {:.0} % confidence interval.",
        cmp.estimates[0].replications,
        world.run().confidence * 100.0
    );
    let area = heading(
        root,
        &format!("{} · policy comparison", world.name()),
        "Policies side by side",
        &note,
    )?;
    for (panel, cell) in PANELS.iter().zip(area.split_evenly((2, 2))) {
        panel_bars(&cell, panel, cmp)?;
    }
    Ok(())
}

/// One panel: a bar per policy with its confidence whiskers and value, the
/// policies' names staggered under the axis.
fn panel_bars<DB: DrawingBackend>(
    cell: &DrawingArea<DB, Shift>,
    panel: &Panel,
    cmp: &Comparison,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let k = cmp.labels.len();
    let vals = panel_values(panel, cmp);
    let top = positive_or(
        vals.iter().map(|(v, h)| v + h).fold(0.0, f64::max) * 1.18,
        1.0,
    );
    let mut chart = ChartBuilder::on(cell)
        .caption(format!("{} ({})", panel.title, panel.unit), text(20, INK))
        .margin(12)
        .margin_bottom(4)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..k as f64 - 0.5, 0.0..top)?;
    // Four panels share the chart, so their text is smaller than the house's.
    chart
        .configure_mesh()
        .house()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc(panel.unit)
        .y_label_formatter(&|v| tidy(*v))
        .label_style(text(15, INK))
        .axis_desc_style(text(16, INK))
        .draw()?;
    for (i, &(v, hw)) in vals.iter().enumerate() {
        bar(&mut chart, i, (v, hw), color(i))?;
        let value = if panel.unit == "%" {
            format!("{v:.2}")
        } else {
            fmt_ms(v)
        };
        let x = i as f64;
        chart.draw_series(std::iter::once(Text::new(
            value,
            (x, v + hw + top * 0.02),
            anchored(15, INK, HPos::Center, VPos::Bottom),
        )))?;
        // Policy names under the axis, staggered so long names never collide.
        let (ox, oy) = cell.get_base_pixel();
        let (px, py) = chart.backend_coord(&(x, 0.0));
        cell.draw(&Text::new(
            cmp.labels[i].clone(),
            (px - ox, py - oy + 6 + 18 * (i as i32 % 2)),
            anchored(15, INK, HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

/// Each policy's figure and half-width in the panel's display unit; a figure
/// or interval that is not finite is drawn as none rather than break the axis.
fn panel_values(panel: &Panel, cmp: &Comparison) -> Vec<(f64, f64)> {
    cmp.estimates
        .iter()
        .map(|e| {
            let v = (panel.get)(&e.point) * panel.scale;
            let hw = half_width_of(e, panel.get) * panel.scale;
            (
                if v.is_finite() { v } else { 0.0 },
                if hw.is_finite() { hw } else { 0.0 },
            )
        })
        .collect()
}

/// Policy `i`'s bar at `v` with its whiskers of half-width `hw`, cut at 0
/// since no figure shown here can be negative.
fn bar<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    i: usize,
    (v, hw): (f64, f64),
    c: RGBColor,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let x = i as f64;
    chart.draw_series(std::iter::once(Rectangle::new(
        [(x - 0.34, 0.0), (x + 0.34, v)],
        c.mix(0.85).filled(),
    )))?;
    if hw > 0.0 {
        for seg in [
            vec![(x, (v - hw).max(0.0)), (x, v + hw)],
            vec![(x - 0.1, v + hw), (x + 0.1, v + hw)],
            vec![(x - 0.1, (v - hw).max(0.0)), (x + 0.1, (v - hw).max(0.0))],
        ] {
            chart.draw_series(std::iter::once(PathElement::new(seg, INK.stroke_width(2))))?;
        }
    }
    Ok(())
}

fn rtt_cdfs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    world: &World,
    cmp: &Comparison,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let slo = world.slo().media_rtt_ms;
    let note = format!(
        "Share of served sessions with media RTT at or below x, all populations; dashed red: SLO target {}.",
        fmt_ms(slo)
    );
    let area = heading(
        root,
        &format!("{} · policy comparison", world.name()),
        "Media RTT by policy",
        &note,
    )?;
    let dists = pooled_rtts(cmp);
    let hi = dists
        .iter()
        .filter(|d| d.count() > 0)
        .map(|d| d.quantile(0.999))
        .fold(slo * 1.15, f64::max);
    let hi = positive_or(hi * 1.05, 1.0);
    let curves: Vec<Curve> = dists
        .iter()
        .enumerate()
        .filter(|(_, d)| d.count() > 0)
        .map(|(i, d)| {
            let pts = thin_cdf(&d.cdf_points(), 400)
                .into_iter()
                .map(|(x, y)| (x.min(hi), y))
                .collect();
            let label = format!("{}  (p95 {})", cmp.labels[i], fmt_ms(d.quantile(0.95)));
            (color(i), pts, label)
        })
        .collect();
    let order = [Corner::LowerRight, Corner::UpperLeft, Corner::LowerLeft];
    plot_cdfs(&area, curves, (0.0, hi), (slo, slo), &order, |_, chart| {
        chart
            .configure_mesh()
            .house()
            .x_desc("media RTT (ms)")
            .y_desc("share of served sessions")
            .x_label_formatter(&|v| tidy(*v))
            .y_label_formatter(&|v| tidy_percent(*v))
            .draw()?;
        Ok(())
    })
}

/// Each policy's media RTT over all populations: the comparison is of
/// policies, so one curve each.
fn pooled_rtts(cmp: &Comparison) -> Vec<Distribution> {
    cmp.estimates
        .iter()
        .map(|e| {
            let mut d = Distribution::new();
            for p in &e.pooled.populations {
                d.merge(&p.rtt);
            }
            d
        })
        .collect()
}

/// The comparison's charts: `compare` (bars) and `compare-rtt` (CDFs).
pub fn render_compare(world: &World, cmp: &Comparison) -> std::io::Result<Vec<Chart>> {
    super::style::register_font()?;
    Ok(vec![
        render(
            "compare",
            "Policies side by side",
            |a| bars(a, world, cmp),
            |a| bars(a, world, cmp),
        )?,
        render(
            "compare-rtt",
            "Media RTT by policy",
            |a| rtt_cdfs(a, world, cmp),
            |a| rtt_cdfs(a, world, cmp),
        )?,
    ])
}
