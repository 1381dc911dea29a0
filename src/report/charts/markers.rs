//! Timeline events on every chart over time: a labelled vertical line at each
//! event's start, and a fainter one where its window ends (recovery, end of a
//! drain or a flash crowd), so a reader ties a bump in a curve to its cause.
//! Labels sit right of their line, or left of it when they would run past the
//! plot's right edge, one row lower when they would overwrite another label.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::Ctx;
use super::labels::{place, Rect, Wanted};
use super::legend::{Keepout, Plot};
use super::style::anchored;
use super::Drawn;

/// Marker colour: dark violet, apart from the region palette.
pub const MARK: RGBColor = RGBColor(110, 40, 140);

/// Label size and row step.
const SIZE: u32 = 15;
const STEP: i32 = 18;

/// Most events marked with a labelled line each. A denser timeline is drawn
/// as short ticks along the plot's top edge, under one label counting them
/// (the timeline's rows in `summary.md` name each): 2 000 capacity steps over
/// a day drew a line and a label each, and every chart over time was a wall
/// of violet.
pub const MOST_MARKED: usize = 60;

/// A dense timeline's ticks: the share of the plot's height they take.
const TICK: f64 = 0.04;

/// A dense timeline's one label, counting its `n` events: its text and its
/// box, in backend pixels.
fn count_label<DB: DrawingBackend>(chart: &Plot<'_, DB>, n: usize, top: f64) -> (String, Rect) {
    let text = format!("{n} timeline events (ticks at the top)");
    let (x, y) = chart.backend_coord(&(0.0, top * (1.0 - TICK)));
    let (w, h) = (chart.plotting_area())
        .estimate_text_size(&text, &anchored(SIZE, MARK, HPos::Left, VPos::Top))
        .map_or((0, 0), |(w, h)| (w as i32, h as i32));
    let (x, y) = (x + 5, y + 4);
    (text, (x - 2, y - 2, x + w + 2, y + h + 2))
}

/// An event drawn: start, end, whether its end is drawn, label; hours.
type Event = (f64, f64, bool, String);

/// The events drawn.
fn events(ctx: &Ctx) -> Vec<Event> {
    let (hz, horizon_s) = (ctx.horizon_h(), ctx.world.run().horizon_s);
    ctx.world
        .timeline()
        .iter()
        .filter(|e| e.at_s / 3600.0 <= hz)
        .map(|e| {
            let (at, end) = (e.at_s / 3600.0, e.end_s / 3600.0);
            (at, end, e.end_marked(horizon_s), e.label.clone())
        })
        .collect()
}

/// Each label placed: text, anchor, anchoring and box, in backend pixels.
fn labels<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    events: &[Event],
    top: f64,
) -> Vec<(String, (i32, i32), HPos, Rect)> {
    let area = chart.plotting_area();
    let (xr, _) = area.get_pixel_range();
    let style = anchored(SIZE, MARK, HPos::Left, VPos::Top);
    let wanted: Vec<Wanted> = events
        .iter()
        .map(|&(at, _, _, ref label)| {
            let (x, y) = chart.backend_coord(&(at, top));
            let w = area
                .estimate_text_size(label, &style)
                .map_or(0, |(w, _)| w as i32);
            let right = x + 5 + w <= xr.end - 2;
            let mut at: Vec<((i32, i32), HPos, VPos)> = Vec::new();
            for side in [right, !right] {
                for k in 0..6 {
                    let y = y + 6 + STEP * k;
                    if side {
                        at.push(((x + 5, y), HPos::Left, VPos::Top));
                    } else if x - 5 - w >= xr.start + 2 {
                        at.push(((x - 5, y), HPos::Right, VPos::Top));
                    }
                }
            }
            Wanted {
                text: label.clone(),
                size: SIZE,
                at,
                required: true,
            }
        })
        .collect();
    place(wanted, &[], |t, size| {
        area.estimate_text_size(t, &anchored(size, MARK, HPos::Left, VPos::Top))
            .map_or((0, 0), |(w, h)| (w as i32, h as i32))
    })
    .into_iter()
    .map(|(text, at, _, h, _, b)| (text, at, h, b))
    .collect()
}

/// What the events take on a chart whose y axis runs to `top`, for legend
/// placement: their lines and labels.
pub fn keep<DB: DrawingBackend>(keep: &mut Keepout, chart: &Plot<'_, DB>, ctx: &Ctx, top: f64) {
    let events = events(ctx);
    if events.len() > MOST_MARKED {
        for &(at, _, _, _) in &events {
            keep.line(chart, [(at, top * (1.0 - TICK)), (at, top)]);
        }
        keep.rect(count_label(chart, events.len(), top).1);
        return;
    }
    for &(at, end, shows_end, _) in &events {
        keep.line(chart, [(at, 0.0), (at, top)]);
        if shows_end {
            keep.line(chart, [(end, 0.0), (end, top)]);
        }
    }
    for (_, _, _, b) in labels(chart, &events, top) {
        keep.rect(b);
    }
}

/// Draw the events of `ctx`'s world on a chart whose y axis runs to `top`.
pub fn draw<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, ctx: &Ctx, top: f64) -> Drawn
where
    DB::ErrorType: 'static,
{
    let events = events(ctx);
    if events.len() > MOST_MARKED {
        return draw_ticks(chart, &events, top);
    }
    for &(at, end, shows_end, _) in &events {
        chart.draw_series(DashedLineSeries::new(
            [(at, 0.0), (at, top)],
            8,
            5,
            MARK.mix(0.85).stroke_width(2),
        ))?;
        if shows_end {
            chart.draw_series(DashedLineSeries::new(
                [(end, 0.0), (end, top)],
                3,
                6,
                MARK.mix(0.45).stroke_width(1),
            ))?;
        }
    }
    for (text, at, h, b) in labels(chart, &events, top) {
        label(chart, text, at, h, b)?;
    }
    Ok(())
}

/// `text` anchored at `at` (backend pixels) as `h` says, on a light halo over
/// its box `b`, so lines crossing a label never hide it.
fn label<DB: DrawingBackend>(
    chart: &Plot<'_, DB>,
    text: String,
    (x, y): (i32, i32),
    h: HPos,
    b: Rect,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let area = chart.plotting_area().strip_coord_spec();
    let (ox, oy) = area.get_base_pixel();
    area.draw(&Rectangle::new(
        [(b.0 - ox, b.1 - oy), (b.2 - ox, b.3 - oy)],
        WHITE.mix(0.8).filled(),
    ))?;
    area.draw(&Text::new(
        text,
        (x - ox, y - oy),
        anchored(SIZE, MARK, h, VPos::Top),
    ))?;
    Ok(())
}

/// A dense timeline: a short tick per event along the plot's top edge, and
/// one label counting them.
fn draw_ticks<DB: DrawingBackend>(chart: &mut Plot<'_, DB>, events: &[Event], top: f64) -> Drawn
where
    DB::ErrorType: 'static,
{
    let ticks = events.iter().map(|&(at, _, _, _)| {
        PathElement::new(
            vec![(at, top * (1.0 - TICK)), (at, top)],
            MARK.stroke_width(1),
        )
    });
    chart.draw_series(ticks)?;
    let (text, b) = count_label(chart, events.len(), top);
    label(chart, text, (b.0 + 2, b.1 + 2), HPos::Left, b)
}
