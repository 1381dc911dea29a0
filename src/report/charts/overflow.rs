//! Chart: overflow, rejection and abandonment rates per time bin, over the
//! arrival volume, to show which hours push users out of their home region.

use plotters::chart::DualCoordChartContext;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{busiest, for_dashes, highest, positive_or, Ctx};
use super::legend::{Entry, Keepout, Legend, Plot, Swatch, TOP_FIRST};
use super::style::{color, heading, text, tidy, INK};
use super::{markers, time_axis, Drawn};

/// File stem.
pub const STEM: &str = "overflow";
/// Title.
pub const TITLE: &str = "Overflow and rejection over time";

/// One bin: midpoint (h), overflow, rejected, abandoned (%), arrivals per hour.
type Row = (f64, f64, f64, f64, f64);

/// Which rate of a row a line plots.
type Pick = fn(&Row) -> f64;

fn share(n: u64, d: u64) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64 * 100.0
    }
}

/// Per bin: its start (hours), the overflow, rejection and abandonment
/// shares (percent) and the arrivals per hour.
fn rows(ctx: &Ctx) -> Vec<Row> {
    let s = &ctx.est.pooled.series;
    let runs = f64::from(s.runs.max(1));
    let last = s.counts.len().saturating_sub(1);
    ctx.bins()
        .iter()
        .enumerate()
        .filter_map(|(b, &(t, len))| {
            let c = s.counts.get(b.min(last))?;
            Some((
                t,
                share(c.overflow, c.served),
                share(c.rejected, c.arrivals),
                share(c.abandoned, c.arrivals),
                c.arrivals as f64 / runs / len * 3600.0,
            ))
        })
        .collect()
}

/// Overflow (all of it), rejection and abandonment: colours apart from the
/// region palette, so no rate reads as a region's spill.
const OVERFLOW: RGBColor = RGBColor(33, 33, 33);
const REJECTED: RGBColor = RGBColor(200, 30, 30);
const ABANDONED: RGBColor = RGBColor(190, 0, 130);
/// The arrival volume behind the rates.
const ARRIVALS: RGBColor = RGBColor(150, 150, 150);
/// Dash and gap of the per-region spill lines.
const DASH: (u32, u32) = (7, 5);

/// Which region spilled: per region that spilled at all, the overflow of its
/// users (by home region) per bin, dashed in the region's colour.
fn spilled(ctx: &Ctx) -> Vec<(usize, Vec<(f64, f64)>)> {
    let s = &ctx.est.pooled.series;
    let bins = ctx.bins();
    let last = s.counts.len().saturating_sub(1);
    ctx.regions
        .iter()
        .map(|&r| {
            let per_bin: Vec<(f64, f64)> = bins
                .iter()
                .enumerate()
                .filter_map(|(b, &(t, _))| {
                    let served = s.counts.get(b.min(last))?.served;
                    let out = *s.overflow_out.get(s.overflow_cell(b.min(last), r))?;
                    Some((t, share(out, served)))
                })
                .collect();
            (r, per_bin)
        })
        .filter(|(_, p)| p.iter().any(|q| q.1 != 0.0))
        .collect()
}

/// A chart over two f64 axes and a second y axis.
type Dual<'a, DB> = DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
>;

/// The chart over both axes: rates (left), arrivals (right).
#[allow(clippy::type_complexity)]
fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    hz: f64,
    top: f64,
    arr_top: f64,
) -> Result<Dual<'a, DB>, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    Ok(ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(20)
        .margin_bottom(15)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .right_y_label_area_size(100)
        .build_cartesian_2d(0.0..hz, 0.0..top)?
        .set_secondary_coord(0.0..hz, 0.0..arr_top))
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Overflow: share of sessions served in the bin that went outside their home region (dashed: by home region). Rejected, abandoned: share of arrivals.";
    let peak = |(_, p): &(usize, Vec<(f64, f64)>)| highest(p.iter().map(|&(_, v)| v));
    let (drawn, note) = busiest(spilled(ctx), peak, note, "home regions that spilled");
    let area = heading(root, &ctx.heading, TITLE, &note)?;
    let rows = rows(ctx);
    let spills: Vec<_> = drawn.into_iter().map(|(_, x)| x).collect();
    let top = rows
        .iter()
        .map(|r| r.1.max(r.2).max(r.3))
        .fold(0.0, f64::max);
    let top = positive_or(top * 1.12, 1.0).clamp(1.0, 100.0);
    let arr_top = positive_or(rows.iter().map(|r| r.4).fold(0.0, f64::max) * 1.1, 1.0);
    let hz = ctx.horizon_h();
    let legend = Legend::new(&area, entries(ctx, &spills));
    let spot = {
        let dual = build(&area, hz, top, arr_top)?;
        let keep = keepout(&dual, ctx, &rows, &spills, top);
        legend.spot(&area, &dual, &keep, &TOP_FIRST)
    };
    let (plot_area, band) = Legend::split(&area, spot);
    let mut chart = build(&plot_area, hz, top, arr_top)?;
    time_axis(&mut chart, hz, "share of sessions", &|v| {
        format!("{} %", tidy(*v))
    })?;
    chart
        .configure_secondary_axes()
        .y_desc("arrivals per hour")
        .y_label_formatter(&|v| tidy(*v))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .draw()?;
    chart.draw_secondary_series(AreaSeries::new(
        rows.iter().map(|r| (r.0, r.4)),
        0.0,
        ARRIVALS.mix(0.3),
    ))?;
    for (_, c, f) in LINES {
        chart.draw_series(LineSeries::new(
            rows.iter().map(|r| (r.0, f(r))),
            c.stroke_width(3),
        ))?;
    }
    for (r, p) in spills {
        chart.draw_series(DashedLineSeries::new(
            for_dashes(p),
            DASH.0,
            DASH.1,
            color(r).stroke_width(2),
        ))?;
    }
    markers::draw(&mut chart, ctx, top)?;
    legend.draw(&plot_area, spot, band.as_ref())?;
    Ok(())
}

/// The rates drawn as lines, each with its legend label and colour.
const LINES: [(&str, RGBColor, Pick); 3] = [
    ("overflow (of served)", OVERFLOW, |r| r.1),
    ("rejected (of arrivals)", REJECTED, |r| r.2),
    ("abandoned (of arrivals)", ABANDONED, |r| r.3),
];

/// The arrivals first, as the background the rates are read against; a
/// region's spill only when it spilled at all.
fn entries(ctx: &Ctx, spills: &[(usize, Vec<(f64, f64)>)]) -> Vec<Entry> {
    let mut entries = vec![Entry::new(
        "arrivals per hour (right axis)",
        Swatch::Area(ARRIVALS, 0.3),
    )];
    for (label, c, _) in &LINES {
        entries.push(Entry::new(*label, Swatch::solid(*c, 3)));
    }
    for (r, _) in spills {
        entries.push(Entry::new(
            format!("spilled from {}", ctx.world.regions()[*r].id),
            Swatch::dashed(color(*r), 2, DASH.0, DASH.1),
        ));
    }
    entries
}

/// What the legend must not cover: the arrivals' area (on the right axis, so
/// placed through the secondary coordinates), the rates, the spills and the
/// timeline's markers.
fn keepout<DB: DrawingBackend>(
    dual: &Dual<'_, DB>,
    ctx: &Ctx,
    rows: &[Row],
    spills: &[(usize, Vec<(f64, f64)>)],
    top: f64,
) -> Keepout {
    let probe: &Plot<DB> = dual;
    let mut keep = Keepout::default();
    let sec = dual.borrow_secondary();
    let arrivals: Vec<(i32, i32)> = rows
        .iter()
        .map(|r| sec.backend_coord(&(r.0, r.4)))
        .collect();
    keep.area(&arrivals, probe.backend_coord(&(0.0, 0.0)).1);
    for (_, _, f) in &LINES {
        keep.line(probe, rows.iter().map(|r| (r.0, f(r))));
    }
    for (_, p) in spills {
        keep.line(probe, p.iter().copied());
    }
    markers::keep(&mut keep, probe, ctx, top);
    keep
}
