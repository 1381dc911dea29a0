//! The world view's legend: the agent regions with their load, the city
//! sizes and the loss colour, and the line widths and strengths.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::super::data::Ctx;
use super::super::style::{anchored, color, INK, MUTED};
use super::super::Drawn;
use super::{city_fill, width, Spots, CITY};

/// Left-anchored text of size `s` in colour `c`.
fn left(s: u32, c: RGBColor) -> TextStyle<'static> {
    anchored(s, c, HPos::Left, VPos::Center)
}

/// A whole number of sessions: `1 session`, `12 sessions`.
fn sessions(n: f64) -> String {
    let n = n.round();
    if n == 1.0 {
        "1 session".into()
    } else {
        format!("{n:.0} sessions")
    }
}

/// The legend's three columns.
pub(super) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    spots: &Spots,
    max_sessions: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    regions(area, ctx, 30)?;
    cities(area, spots, max_sessions, 700)?;
    lines(area, 950)
}

/// Agent regions (triangles) with their load, and the media-edge marker.
fn regions<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, ctx: &Ctx, x1: i32) -> Drawn
where
    DB::ErrorType: 'static,
{
    let w = ctx.world;
    area.draw(&Text::new(
        "Agent regions (triangles)",
        (x1, 14),
        left(17, INK),
    ))?;
    for (k, &r) in ctx.regions.iter().take(6).enumerate() {
        let y = 42 + 26 * k as i32;
        let reg = &w.regions()[r];
        let s = ctx.est.point.regions.get(r).cloned().unwrap_or_default();
        area.draw(&TriangleMarker::new((x1 + 8, y), 9, color(r).filled()))?;
        area.draw(&Text::new(
            format!(
                "{} ({}): {:.0} slots, {:.0} % used, peak {:.0}, {} in from elsewhere",
                reg.id,
                reg.name,
                s.capacity,
                s.utilization * 100.0,
                s.peak_concurrency,
                sessions(s.overflow_in)
            ),
            (x1 + 24, y),
            left(14, INK),
        ))?;
    }
    if ctx.regions.len() > 6 {
        area.draw(&Text::new(
            format!("… and {} more", ctx.regions.len() - 6),
            (x1 + 24, 42 + 26 * 6),
            left(15, MUTED),
        ))?;
    }
    let edges = w
        .regions()
        .iter()
        .enumerate()
        .any(|(r, g)| g.media_edge && !ctx.regions.contains(&r));
    if edges {
        let y = 42 + 26 * ctx.regions.len().min(7) as i32;
        area.draw(&Rectangle::new(
            [(x1 + 4, y - 4), (x1 + 12, y + 4)],
            MUTED.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            "media edge only (no agents)",
            (x1 + 24, y),
            left(15, MUTED),
        ))?;
    }
    Ok(())
}

/// City sizes against sessions, and the colour of lost arrivals.
fn cities<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spots: &Spots,
    max_sessions: f64,
    x2: i32,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let title = match spots.step {
        None => "Cities (area ∝ sessions)".to_string(),
        Some(step) => format!("Cells of {step}° (area ∝ sessions)"),
    };
    area.draw(&Text::new(title, (x2, 14), left(17, INK)))?;
    // Three sizes, each a different whole number of sessions.
    let mut shown: Vec<f64> = Vec::new();
    for f in [1.0, 0.25, 0.05] {
        let n = (max_sessions * f).round();
        if n >= 1.0 && !shown.contains(&n) {
            shown.push(n);
        }
    }
    for (k, n) in shown.iter().enumerate() {
        let y = 46 + 36 * k as i32;
        let r = (4.0 + 14.0 * f64::sqrt(n / max_sessions.max(1.0))).round() as i32;
        area.draw(&Circle::new((x2 + 20, y), r, CITY.mix(0.35).filled()))?;
        area.draw(&Circle::new((x2 + 20, y), r, CITY.stroke_width(1)))?;
        area.draw(&Text::new(sessions(*n), (x2 + 46, y), left(15, INK)))?;
    }
    let y = 46 + 36 * 3;
    area.draw(&Circle::new((x2 + 20, y), 9, city_fill(0.1)))?;
    area.draw(&Circle::new((x2 + 20, y), 9, CITY.stroke_width(1)))?;
    area.draw(&Text::new(
        "red: arrivals lost",
        (x2 + 46, y),
        left(15, INK),
    ))?;
    Ok(())
}

/// Line widths against the share served, and home against overflow.
fn lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, x3: i32) -> Drawn
where
    DB::ErrorType: 'static,
{
    area.draw(&Text::new(
        "Lines (width ∝ share served)",
        (x3, 14),
        left(17, INK),
    ))?;
    for (k, share) in [1.0, 0.5, 0.1].iter().enumerate() {
        let y = 42 + 26 * k as i32;
        area.draw(&PathElement::new(
            vec![(x3, y), (x3 + 50, y)],
            MUTED.stroke_width(width(*share)),
        ))?;
        area.draw(&Text::new(
            format!("{:.0} %", share * 100.0),
            (x3 + 62, y),
            left(15, INK),
        ))?;
    }
    let y = 42 + 26 * 3;
    area.draw(&PathElement::new(
        vec![(x3, y), (x3 + 50, y)],
        color(0).mix(0.35).stroke_width(4),
    ))?;
    area.draw(&Text::new("home region", (x3 + 62, y), left(15, INK)))?;
    area.draw(&PathElement::new(
        vec![(x3, y + 26), (x3 + 50, y + 26)],
        color(0).mix(0.9).stroke_width(4),
    ))?;
    area.draw(&Text::new("overflow", (x3 + 62, y + 26), left(15, INK)))?;
    Ok(())
}
