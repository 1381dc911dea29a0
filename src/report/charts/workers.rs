//! Chart: each worker deployment's workers over time (top) and its load per
//! worker (bottom: true load solid, the load workers reported dashed, the
//! threshold dotted), drawn only when some deployment runs on workers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{busiest, for_dashes, highest, positive_or, Ctx};
use super::legend::{Entry, Keepout, Legend, Plot, Spot, Swatch, KEY, TOP_FIRST};
use super::style::{builder, color, heading, tidy, TARGET};
use super::{time_axis, Drawn};

/// File stem.
pub const STEM: &str = "workers";
/// Title.
pub const TITLE: &str = "Workers and their load over time";

/// Whether the run has worker deployments.
pub fn applies(ctx: &Ctx) -> bool {
    !ctx.est.pooled.workers.is_empty()
}

/// Per worker deployment: (label, threshold, per bin (hour, workers, true load, reported load)).
type Lines = Vec<(String, f64, Vec<(f64, [f64; 3])>)>;

fn lines(ctx: &Ctx) -> Lines {
    let bins = ctx.bins();
    ctx.est
        .pooled
        .workers
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let d = &ctx.world.deployments()[w.deployment];
            let th = d.workers.as_ref().map_or(1.0, |s| s.measure.threshold);
            let pts = bins
                .iter()
                .enumerate()
                .map(|(b, &(t, len))| (t, ctx.est.pooled.worker_levels(k, b, len)))
                .collect();
            (d.label(ctx.world.regions()), th, pts)
        })
        .collect()
}

/// Dash and gap of the reported load, and of the threshold (dotted).
const REPORTED: (u32, u32) = (8, 6);
const DOTTED: (u32, u32) = (3, 5);

/// A darker shade of a deployment's colour: its reported load, drawn over the
/// true load, stays visible where the two coincide.
fn darker(c: RGBColor) -> RGBColor {
    let f = |v: u8| (f64::from(v) * 0.55).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Top: mean workers (provisioning, ready or draining). Bottom: mean load per registered worker, true (solid) and as reported to the server (dashed, darker); dotted red: the load threshold.";
    let workers =
        |(_, _, p): &(String, f64, Vec<(f64, [f64; 3])>)| highest(p.iter().map(|(_, v)| v[0]));
    let (drawn, note) = busiest(lines(ctx), workers, note, "worker deployments");
    let area = heading(root, &ctx.heading, TITLE, &note)?;
    let lines: Lines = drawn.into_iter().map(|(_, x)| x).collect();
    let hz = ctx.horizon_h();
    let most = lines
        .iter()
        .flat_map(|(_, _, p)| p.iter().map(|(_, v)| v[0]))
        .fold(1.0, f64::max);
    let most = positive_or(most * 1.15, 1.0);
    let peak = lines
        .iter()
        .flat_map(|(_, th, p)| p.iter().map(|(_, v)| v[1].max(v[2])).chain([*th]))
        .fold(0.0, f64::max);
    let peak = positive_or(peak * 1.15, 1.0);
    let mut thresholds: Vec<f64> = lines.iter().map(|l| l.1).collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let legend = Legend::new(&area, entries(&lines, &thresholds));
    let spot = spot(&area, &legend, &lines, &thresholds, (hz, most, peak))?;
    let (panels, band) = Legend::split(&area, spot);
    let (top_area, bottom_area) = halves(&panels);
    let mut top = builder(&top_area).build_cartesian_2d(0.0..hz, 0.0..most)?;
    time_axis(&mut top, hz, "workers", &|v| tidy(*v))?;
    for (k, (_, _, pts)) in lines.iter().enumerate() {
        top.draw_series(LineSeries::new(
            pts.iter().map(|&(t, v)| (t, v[0])),
            color(k).stroke_width(3),
        ))?;
    }
    let mut bottom = builder(&bottom_area).build_cartesian_2d(0.0..hz, 0.0..peak)?;
    time_axis(&mut bottom, hz, "load per worker", &|v| tidy(*v))?;
    loads(&mut bottom, &lines, &thresholds, hz)?;
    legend.draw(&area, spot, band.as_ref())?;
    Ok(())
}

/// The two panels, workers above and load below: the legend's placement and
/// the drawing split alike, so they agree on where each panel is.
fn halves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    area.split_vertically(area.dim_in_pixel().1 / 2)
}

/// A deployment per colour, then keys for the line styles every deployment
/// shares; the thresholds are listed in the threshold's entry, being few.
fn entries(lines: &Lines, thresholds: &[f64]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = lines
        .iter()
        .enumerate()
        .map(|(k, (label, _, _))| Entry::new(label.clone(), Swatch::solid(color(k), 3)))
        .collect();
    entries.push(Entry::new("true load (solid)", Swatch::solid(KEY, 2)));
    entries.push(Entry::new(
        "load as reported (dashed)",
        Swatch::dashed(KEY, 3, REPORTED.0, REPORTED.1),
    ));
    let th_text: Vec<String> = thresholds.iter().map(|t| tidy(*t)).collect();
    entries.push(Entry::new(
        format!("load threshold ({})", th_text.join(", ")),
        Swatch::dashed(TARGET, 2, DOTTED.0, DOTTED.1),
    ));
    entries
}

/// One legend serves both panels: a free corner of the top panel, else of the
/// bottom one, else the band under both. `(hz, most, peak)`: the time axis's
/// end and the two panels' tops.
fn spot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    lines: &Lines,
    thresholds: &[f64],
    (hz, most, peak): (f64, f64, f64),
) -> Result<Spot, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let (top_area, bottom_area) = halves(area);
    let top = builder(&top_area).build_cartesian_2d(0.0..hz, 0.0..most)?;
    let mut keep = Keepout::default();
    for (_, _, pts) in lines {
        keep.line(&top, pts.iter().map(|&(t, v)| (t, v[0])));
    }
    Ok(match legend.spot(&top_area, &top, &keep, &TOP_FIRST) {
        Spot::Below(_) => {
            let bottom = builder(&bottom_area).build_cartesian_2d(0.0..hz, 0.0..peak)?;
            let mut keep = Keepout::default();
            for (_, _, pts) in lines {
                keep.line(&bottom, pts.iter().map(|&(t, v)| (t, v[1])));
                keep.line(&bottom, pts.iter().map(|&(t, v)| (t, v[2])));
            }
            for th in thresholds {
                keep.line(&bottom, [(0.0, *th), (hz, *th)]);
            }
            legend.spot(area, &bottom, &keep, &TOP_FIRST)
        }
        inside => inside,
    })
}

/// The bottom panel: thresholds first, under the loads they bound; each
/// reported load over its true load, so it shows where the two coincide.
fn loads<DB: DrawingBackend>(
    bottom: &mut Plot<'_, DB>,
    lines: &Lines,
    thresholds: &[f64],
    hz: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    for th in thresholds {
        bottom.draw_series(DashedLineSeries::new(
            [(0.0, *th), (hz, *th)],
            DOTTED.0,
            DOTTED.1,
            TARGET.stroke_width(2),
        ))?;
    }
    for (k, (_, _, pts)) in lines.iter().enumerate() {
        bottom.draw_series(LineSeries::new(
            pts.iter().map(|&(t, v)| (t, v[1])),
            color(k).stroke_width(2),
        ))?;
        bottom.draw_series(DashedLineSeries::new(
            for_dashes(pts.iter().map(|&(t, v)| (t, v[2]))),
            REPORTED.0,
            REPORTED.1,
            darker(color(k)).stroke_width(3),
        ))?;
    }
    Ok(())
}
