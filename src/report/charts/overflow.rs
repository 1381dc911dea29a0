//! Chart: overflow, rejection and abandonment rates per time bin, over the
//! arrival volume, to show which hours push users out of their home region.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::{positive_or, Ctx};
use super::style::{color, heading, legend, text, INK};
use super::{time_axis, Drawn};

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

/// Which region spilled: overflow by the users' home region, dashed, for
/// each region that spilled at all.
fn spilled<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ctx: &Ctx,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let s = &ctx.est.pooled.series;
    let bins = ctx.bins();
    let last = s.counts.len().saturating_sub(1);
    for &r in &ctx.regions {
        let c = color(r);
        let per_bin: Vec<(f64, f64)> = bins
            .iter()
            .enumerate()
            .filter_map(|(b, &(t, _))| {
                let served = s.counts.get(b.min(last))?.served;
                let out = *s.overflow_out.get(s.overflow_cell(b.min(last), r))?;
                Some((t, share(out, served)))
            })
            .collect();
        if per_bin.iter().all(|p| p.1 == 0.0) {
            continue;
        }
        chart
            .draw_series(DashedLineSeries::new(per_bin, 7, 5, c.stroke_width(2)))?
            .label(format!("spilled from {}", ctx.world.regions[r].id))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(2)));
    }
    Ok(())
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Overflow: share of sessions served in the bin that went outside their home region. Rejected, abandoned: share of arrivals. Grey: arrivals (right axis).";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let rows = rows(ctx);
    let top = rows
        .iter()
        .map(|r| r.1.max(r.2).max(r.3))
        .fold(0.0, f64::max);
    // Headroom for the legend (up to seven rows) above the curves.
    let top = positive_or(top * 1.6, 1.0).clamp(1.0, 100.0);
    let arr_top = positive_or(rows.iter().map(|r| r.4).fold(0.0, f64::max) * 1.1, 1.0);
    let hz = ctx.horizon_h();
    let mut chart = ChartBuilder::on(&area)
        .margin_left(20)
        .margin_right(20)
        .margin_bottom(15)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .right_y_label_area_size(100)
        .build_cartesian_2d(0.0..hz, 0.0..top)?
        .set_secondary_coord(0.0..hz, 0.0..arr_top);
    let digits = if top >= 5.0 { 0 } else { 1 };
    time_axis(&mut chart, hz, "share of sessions", &|v| {
        format!("{v:.digits$} %")
    })?;
    chart
        .configure_secondary_axes()
        .y_desc("arrivals per hour")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(text(17, INK))
        .axis_desc_style(text(19, INK))
        .draw()?;
    let grey = RGBColor(150, 150, 150);
    chart
        .draw_secondary_series(AreaSeries::new(
            rows.iter().map(|r| (r.0, r.4)),
            0.0,
            grey.mix(0.18),
        ))?
        .label("arrivals per hour (right axis)")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 6), (x + 24, y + 6)], grey.mix(0.3).filled())
        });
    let lines: [(&str, usize, Pick); 3] = [
        ("overflow (of served)", 0, |r| r.1),
        ("rejected (of arrivals)", 3, |r| r.2),
        ("abandoned (of arrivals)", 1, |r| r.3),
    ];
    for (label, ci, f) in lines {
        let c = color(ci);
        chart
            .draw_series(LineSeries::new(
                rows.iter().map(|r| (r.0, f(r))),
                c.stroke_width(3),
            ))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    spilled(&mut chart, ctx)?;
    super::markers::draw(&mut chart, ctx, top)?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
