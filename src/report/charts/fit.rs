//! The charts of a fit: per population, the observed sessions per hour of the
//! week (each point the mean over the weeks observed, with its exact Poisson
//! interval) against the fitted rate and its interval; and the duration QQ
//! plot, empirical quantiles against each fitted law's.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::Plot;
use super::style::{builder, color, empty, heading, legend, tidy, HouseMesh, MUTED};
use super::{render, Chart, Drawn};
use crate::data::time::{WEEKDAYS, WEEK_H};
use crate::fit::profile::poisson_interval;
use crate::fit::{FitOutcome, FittedPopulation};

/// File stem of population `name`'s hourly chart.
fn hourly_stem(name: &str) -> String {
    format!("hourly-{name}")
}

/// File stem of the QQ plot.
const QQ_STEM: &str = "durations-qq";

/// A fit chart's title for `fit.md`, from its file stem.
pub fn fit_chart_title(stem: &str) -> String {
    match stem.strip_prefix(&hourly_stem("")) {
        Some(p) => format!("Sessions per hour: {p}, observed and fitted"),
        None if stem == QQ_STEM => "Session durations against the fitted laws".into(),
        None => stem.to_string(),
    }
}

fn mesh<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
    x_fmt: &dyn Fn(&X::ValueType) -> String,
) -> Drawn
where
    DB::ErrorType: 'static,
    X: Ranged + plotters::coord::ranged1d::ValueFormatter<X::ValueType>,
    Y: Ranged<ValueType = X::ValueType> + plotters::coord::ranged1d::ValueFormatter<Y::ValueType>,
{
    chart
        .configure_mesh()
        .house()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(x_fmt)
        .y_label_formatter(x_fmt)
        .x_labels(10)
        .y_labels(10)
        .draw()?;
    Ok(())
}

fn draw_hourly<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    head: &str,
    fit: &FitOutcome,
    p: &FittedPopulation,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let kind = if p.profile.weekly() {
        "weekly"
    } else {
        "daily"
    };
    let area = heading(
        root,
        &format!("{head} · {}", p.name),
        &format!("sessions per hour of the week (UTC), {kind} profile fitted"),
        &format!(
            "Dots: observed mean per hour with its {:.0} % Poisson interval; line and band: the fitted rate and its interval.",
            fit.options.confidence * 100.0
        ),
    )?;
    let cells: Vec<usize> = (0..WEEK_H).filter(|&i| fit.exposure[i] > 0).collect();
    if cells.is_empty() {
        return empty(&area, "no hour observed");
    }
    let observed = observed(fit, p, &cells);
    let top = observed.iter().map(|o| o.2 .1).fold(1.0, f64::max) * 1.15;
    let mut chart = builder(&area).build_cartesian_2d(0.0..7.0, 0.0..top)?;
    chart
        .configure_mesh()
        .house()
        .x_desc("day of the week (UTC), hourly")
        .y_desc("sessions per hour")
        .x_labels(8)
        .x_label_formatter(&|x: &f64| {
            WEEKDAYS
                .get(x.round() as usize)
                .map_or(String::new(), |w| format!("{w} 00:00"))
        })
        .y_label_formatter(&|v| tidy(*v))
        .draw()?;
    fitted(&mut chart, p, top)?;
    observations(&mut chart, &observed, top)?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// An hour of the week observed: its index, the mean sessions over the weeks
/// it was observed, and that mean's Poisson interval.
type Observed = (usize, f64, (f64, f64));

/// Each observed hour's mean and interval; the interval comes from the count
/// and the weeks observed, not from the mean, since only a count is Poisson.
fn observed(fit: &FitOutcome, p: &FittedPopulation, cells: &[usize]) -> Vec<Observed> {
    cells
        .iter()
        .map(|&i| {
            let (c, n) = (p.week_counts[i], fit.exposure[i] as f64);
            (
                i,
                c as f64 / n,
                poisson_interval(c, n, fit.options.confidence),
            )
        })
        .collect()
}

/// Hour of the week `h` on the x axis, which is in days so that the mesh's
/// round numbers fall on midnights.
fn day(h: f64) -> f64 {
    h / 24.0
}

/// The fitted rate as steps over its interval's band; the band is cut at
/// `top`, which the observations set, and a daily profile repeats over the
/// week.
fn fitted<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, p: &FittedPopulation, top: f64) -> Drawn
where
    DB::ErrorType: 'static,
{
    let fitted = |i: usize| {
        let k = i % p.profile.rates.len();
        (p.profile.rates[k], p.profile.intervals[k])
    };
    let fc = color(0);
    let edge = |i: usize, f: fn((f64, f64)) -> f64| f(fitted(i).1).min(top);
    let band: Vec<(f64, f64)> = (0..WEEK_H)
        .flat_map(|i| {
            [
                (day(i as f64), edge(i, |b| b.1)),
                (day(i as f64 + 1.0), edge(i, |b| b.1)),
            ]
        })
        .chain((0..WEEK_H).rev().flat_map(|i| {
            [
                (day(i as f64 + 1.0), edge(i, |b| b.0)),
                (day(i as f64), edge(i, |b| b.0)),
            ]
        }))
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(band, fc.mix(0.2).filled())))?;
    let steps: Vec<(f64, f64)> = (0..WEEK_H)
        .flat_map(|i| {
            [
                (day(i as f64), fitted(i).0),
                (day(i as f64 + 1.0), fitted(i).0),
            ]
        })
        .collect();
    chart
        .draw_series(LineSeries::new(steps, fc.stroke_width(2)))?
        .label("fitted rate")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], fc.stroke_width(2)));
    Ok(())
}

/// The observed means at the middle of their hour, whiskers first so the dots
/// stay on top.
fn observations<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    observed: &[Observed],
    top: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let oc = color(1);
    chart.draw_series(observed.iter().map(|&(i, _, (lo, hi))| {
        let x = day(i as f64 + 0.5);
        PathElement::new(vec![(x, lo), (x, hi.min(top))], oc.stroke_width(1))
    }))?;
    chart
        .draw_series(
            observed
                .iter()
                .map(|&(i, r, _)| Circle::new((day(i as f64 + 0.5), r), 3, oc.filled())),
        )?
        .label("observed (mean over the weeks)")
        .legend(move |(x, y)| Circle::new((x + 12, y), 4, oc.filled()));
    Ok(())
}

/// Seconds as axis text: whole seconds from 10 s, else one decimal.
fn secs(v: &f64) -> String {
    if *v == 0.0 {
        "0".into()
    } else if *v >= 10.0 {
        format!("{v:.0}")
    } else if *v >= 0.1 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn draw_qq<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, head: &str, fit: &FitOutcome) -> Drawn
where
    DB::ErrorType: 'static,
{
    let area = heading(
        root,
        head,
        "session durations: QQ plot",
        "Each point: a quantile (1 % to 99 %) of the log against the same quantile of a fitted law; on the diagonal, they agree.",
    )?;
    if fit.laws.is_empty() || fit.qq.is_empty() {
        return empty(&area, "fewer than two durations > 0: no law fitted");
    }
    let series: Vec<Vec<(f64, f64)>> = fit
        .laws
        .iter()
        .map(|l| {
            fit.qq
                .iter()
                .map(|&(p, e)| (l.quantile(p), e))
                .filter(|q| q.0 > 0.0 && q.0.is_finite())
                .collect()
        })
        .collect();
    let all = series.iter().flatten().flat_map(|&(a, b)| [a, b]);
    let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let (lo, hi) = (0.0, hi.max(lo) * 1.05);
    let mut chart = builder(&area).build_cartesian_2d(lo..hi, lo..hi)?;
    mesh(
        &mut chart,
        "fitted law's quantile (s)",
        "log's quantile (s)",
        &secs,
    )?;
    chart.draw_series(DashedLineSeries::new(
        [(lo, lo), (hi, hi)],
        8,
        6,
        MUTED.stroke_width(1),
    ))?;
    for (k, (l, pts)) in fit.laws.iter().zip(&series).enumerate() {
        let c = color(k);
        let best = if k == 0 { " (best)" } else { "" };
        chart
            .draw_series(pts.iter().map(|&q| Circle::new(q, 3, c.filled())))?
            .label(format!("{}{best}: KS {:.4}", l.family.name(), l.ks))
            .legend(move |(x, y)| Circle::new((x + 12, y), 4, c.filled()));
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

/// Every chart of a fit; `head` names the log.
pub fn render_fit(head: &str, fit: &FitOutcome) -> std::io::Result<Vec<Chart>> {
    super::style::register_font()?;
    let mut charts = vec![render(
        QQ_STEM,
        "session durations: QQ plot",
        |a| draw_qq(a, head, fit),
        |a| draw_qq(a, head, fit),
    )?];
    for p in &fit.populations {
        charts.push(render(
            &hourly_stem(&p.name),
            &format!("{}: sessions per hour", p.name),
            |a| draw_hourly(a, head, fit, p),
            |a| draw_hourly(a, head, fit, p),
        )?);
    }
    Ok(charts)
}
