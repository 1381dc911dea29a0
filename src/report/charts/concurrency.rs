//! Chart: concurrency per region over the horizon (bin means and bin peaks)
//! against capacity, so a planner sees when and where a region saturates.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{busiest, for_dashes, highest, positive_or, Ctx, Levels};
use super::legend::{Entry, Keepout, Legend, Plot, Swatch, KEY, TOP_FIRST};
use super::style::{builder, color, empty, heading, tidy};
use super::{markers, time_axis, Drawn};

/// Dash and gap of the capacity lines.
const DASH: (u32, u32) = (12, 7);

/// File stem.
pub const STEM: &str = "concurrency";
/// Title.
pub const TITLE: &str = "Concurrency per region";

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Thick: mean concurrent sessions in each bin; thin: highest in the bin; dashed: capacity. Grey band: warm-up.";
    let all: Vec<Region> = (ctx.regions.iter())
        .map(|&r| {
            let lv = ctx.levels(ctx.est.pooled.series.region_lane(r));
            let peaks = (0..lv.len()).map(|b| peak(ctx, r, b)).collect();
            (r, lv, peaks)
        })
        .collect();
    let (drawn, note) = busiest(all, |(_, _, p)| highest(p.iter().copied()), note, "regions");
    let area = heading(root, &ctx.heading, TITLE, &note)?;
    if ctx.regions.is_empty() {
        return empty(&area, "No region hosts agents: nothing to plot.");
    }
    let series: Vec<Region> = drawn.into_iter().map(|(_, x)| x).collect();
    let mut top: f64 = 1.0;
    for (_, lv, peaks) in &series {
        for (&(_, busy, cap), &peak) in lv.iter().zip(peaks) {
            top = top.max(busy).max(cap).max(peak);
        }
    }
    let top = positive_or(top * 1.15, 1.0);
    let hz = ctx.horizon_h();
    let legend = Legend::new(&area, entries(ctx, &series));
    let spot = {
        let probe = builder(&area).build_cartesian_2d(0.0..hz, 0.0..top)?;
        let mut keep = Keepout::default();
        for (_, lv, peaks) in &series {
            keep.line(&probe, lv.iter().map(|&(t, busy, _)| (t, busy)));
            keep.line(&probe, lv.iter().map(|&(t, _, cap)| (t, cap)));
            keep.line(&probe, peak_line(lv, peaks));
        }
        markers::keep(&mut keep, &probe, ctx, top);
        legend.spot(&area, &probe, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = builder(&plot_area).build_cartesian_2d(0.0..hz, 0.0..top)?;
    time_axis(&mut chart, hz, "concurrent sessions", &|v| tidy(*v))?;
    let wu = ctx.warmup_h().min(hz);
    if wu > 0.0 {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, 0.0), (wu, top)],
            RGBColor(120, 120, 120).mix(0.12).filled(),
        )))?;
    }
    regions(&mut chart, &series)?;
    markers::draw(&mut chart, ctx, top)?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// A region's lines: the region, its levels per bin and its highest
/// concurrency per bin.
type Region = (usize, Levels, Vec<f64>);

/// Region `r`'s highest concurrency in bin `b`; a run of one bin is drawn
/// through two points (`Ctx::bins`), both reading that bin.
fn peak(ctx: &Ctx, r: usize, b: usize) -> f64 {
    let s = &ctx.est.pooled.series;
    s.peak
        .get(s.cell(b.min(s.bins().saturating_sub(1)), s.region_lane(r)))
        .copied()
        .map_or(0.0, f64::from)
}

/// The peaks at their bins' times.
fn peak_line<'a>(lv: &'a Levels, peaks: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    lv.iter().zip(peaks).map(|(&(t, _, _), &p)| (t, p))
}

/// A region per colour, then keys for the line styles every region shares.
fn entries(ctx: &Ctx, series: &[Region]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = series
        .iter()
        .map(|(r, _, _)| {
            let region = &ctx.world.regions()[*r];
            Entry::new(
                format!("{} ({})", region.id, region.name),
                Swatch::solid(color(*r), 3),
            )
        })
        .collect();
    entries.push(Entry::new(
        "highest in the bin (thin)",
        Swatch::solid(KEY, 1),
    ));
    entries.push(Entry::new(
        "capacity (dashed)",
        Swatch::dashed(KEY, 2, DASH.0, DASH.1),
    ));
    entries
}

/// Each region's lines, the mean last so neither the peaks nor the capacity
/// hide it.
fn regions<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, series: &[Region]) -> Drawn
where
    DB::ErrorType: 'static,
{
    for (r, lv, peaks) in series {
        let c = color(*r);
        chart.draw_series(LineSeries::new(
            peak_line(lv, peaks),
            c.mix(0.55).stroke_width(1),
        ))?;
        chart.draw_series(DashedLineSeries::new(
            for_dashes(lv.iter().map(|&(t, _, cap)| (t, cap))),
            DASH.0,
            DASH.1,
            c.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            lv.iter().map(|&(t, busy, _)| (t, busy)),
            c.stroke_width(3),
        ))?;
    }
    Ok(())
}
