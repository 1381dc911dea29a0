//! Chart: the world view. Regions and population cities placed by longitude and
//! latitude on an equirectangular frame with a graticule and coarse coastlines,
//! cities sized by sessions, and a line from each city to every region that
//! served its population, wider for a larger share; overflow lines are drawn
//! strong, home lines faint, so where users spill is visible at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{positive_or, Ctx};
use super::geo::{coastlines, lat_label, lon_label, View, LAND};
use super::labels::{place, Rect, Wanted};
use super::style::{anchored, color, heading, INK, MUTED};
use super::Drawn;

/// File stem.
pub const STEM: &str = "world";
/// Title.
pub const TITLE: &str = "World view: who is served where";

const MAX_CITY_LABELS: usize = 30;
const GRID: RGBColor = RGBColor(225, 225, 225);
const CITY: RGBColor = RGBColor(60, 60, 60);
const LOST: RGBColor = RGBColor(190, 30, 45);

/// Candidate label positions around a marker of radius `gap`: right, left,
/// below, above.
fn around((x, y): (i32, i32), gap: i32) -> Vec<((i32, i32), HPos, VPos)> {
    vec![
        ((x + gap, y), HPos::Left, VPos::Center),
        ((x - gap, y), HPos::Right, VPos::Center),
        ((x, y + gap), HPos::Center, VPos::Top),
        ((x, y - gap), HPos::Center, VPos::Bottom),
    ]
}

/// Where the scenario's cities and shown regions are, (lon, lat).
fn extent(ctx: &Ctx) -> Vec<(f64, f64)> {
    let w = ctx.world;
    let cities = w
        .populations
        .iter()
        .flat_map(|p| &p.cities)
        .map(|&c| &w.cities[c].location);
    let regions = w
        .regions
        .iter()
        .enumerate()
        .filter(|(r, g)| ctx.regions.contains(r) || g.media_edge)
        .map(|(_, g)| &g.location);
    cities.chain(regions).map(|l| (l.lon, l.lat)).collect()
}

/// Grey for a city whose users all got an agent, deepening red with the share
/// of its population's arrivals lost (rejected or abandoned; full at 25 %).
fn city_fill(lost: f64) -> ShapeStyle {
    if lost.is_nan() || lost < 0.001 {
        return CITY.mix(0.35).filled();
    }
    LOST.mix(0.3 + 0.6 * (lost / 0.25).min(1.0)).filled()
}

/// Line width for a share of served sessions.
fn width(share: f64) -> u32 {
    1 + (share.clamp(0.0, 1.0) * 9.0).round() as u32
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Lines join each city to the regions that served its population, wider for a larger share: faint = home region, strong = overflow.";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let (map_area, legend) = area.split_vertically(500);
    let view = View::of(&extent(ctx));
    let (lon, lat) = (view.lon, view.lat);
    let mut chart = ChartBuilder::on(&map_area)
        .margin_left(20)
        .margin_right(25)
        .margin_top(5)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(lon.0..lon.1, lat.0..lat.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_axes()
        .draw()?;
    let plot = chart.plotting_area();
    // Graticule every `step` degrees, labelled outside the frame.
    let (ox, oy) = map_area.get_base_pixel();
    let to_local = |p: (i32, i32)| (p.0 - ox, p.1 - oy);
    let ticks = |(a, b): (f64, f64)| {
        let s = f64::from(view.step);
        ((a / s).ceil() as i32..=(b / s).floor() as i32).map(move |k| k * view.step)
    };
    for g in ticks(lon) {
        let x = f64::from(g);
        plot.draw(&PathElement::new(
            vec![(x, lat.0), (x, lat.1)],
            GRID.stroke_width(1),
        ))?;
        let (px, py) = to_local(chart.backend_coord(&(x, lat.0)));
        map_area.draw(&Text::new(
            lon_label(g),
            (px, py + 6),
            anchored(14, MUTED, HPos::Center, VPos::Top),
        ))?;
    }
    for g in ticks(lat) {
        let y = f64::from(g);
        plot.draw(&PathElement::new(
            vec![(lon.0, y), (lon.1, y)],
            GRID.stroke_width(1),
        ))?;
        let (px, py) = to_local(chart.backend_coord(&(lon.0, y)));
        map_area.draw(&Text::new(
            lat_label(g),
            (px - 6, py),
            anchored(14, MUTED, HPos::Right, VPos::Center),
        ))?;
    }
    for line in coastlines(view) {
        plot.draw(&PathElement::new(line, LAND.stroke_width(1)))?;
    }
    plot.draw(&Rectangle::new(
        [(lon.0, lat.0), (lon.1, lat.1)],
        MUTED.stroke_width(1),
    ))?;

    let w = ctx.world;
    let point = &ctx.est.point;
    let clamp = |x: f64, y: f64| (x.clamp(lon.0, lon.1), y.clamp(lat.0, lat.1));
    let mut cities: Vec<(usize, usize, f64)> = Vec::new(); // (pop, city, sessions)
    for (p, pop) in w.populations.iter().enumerate() {
        let sessions = point.populations.get(p).map_or(0.0, |s| s.sessions);
        for (k, &c) in pop.cities.iter().enumerate() {
            cities.push((p, c, sessions * ctx.city_weight(p, k)));
        }
    }
    let max_sessions = positive_or(cities.iter().map(|c| c.2).fold(0.0, f64::max), 1.0);
    let radius = |s: f64| (4.0 + 14.0 * (s.max(0.0) / max_sessions).sqrt()).round() as i32;
    // Flow lines: home first (faint), overflow on top (strong).
    for overflow in [false, true] {
        for &(p, c, _) in &cities {
            let city = &w.cities[c];
            let home = ctx.home_region(p, c);
            let Some(ps) = point.populations.get(p) else {
                continue;
            };
            for &r in &ctx.regions {
                let share = ps.served_by.get(r).copied().unwrap_or(0.0);
                if share < 0.0005 || (home != Some(r)) != overflow {
                    continue;
                }
                let reg = &w.regions[r];
                let style = color(r)
                    .mix(if overflow { 0.9 } else { 0.35 })
                    .stroke_width(width(share));
                plot.draw(&PathElement::new(
                    vec![
                        clamp(city.location.lon, city.location.lat),
                        clamp(reg.location.lon, reg.location.lat),
                    ],
                    style,
                ))?;
            }
        }
    }
    for &(p, c, s) in &cities {
        let city = &w.cities[c];
        let at = clamp(city.location.lon, city.location.lat);
        let r = radius(s);
        let lost = point
            .populations
            .get(p)
            .map_or(0.0, |q| q.rejection_rate + q.abandonment_rate);
        plot.draw(&Circle::new(at, r, city_fill(lost)))?;
        plot.draw(&Circle::new(at, r, CITY.stroke_width(1)))?;
    }
    // Region markers are obstacles for labels and are drawn last, above all.
    let mut markers = Vec::new();
    let mut wanted = Vec::new();
    for (r, reg) in w.regions.iter().enumerate() {
        let at = clamp(reg.location.lon, reg.location.lat);
        let (px, py) = to_local(chart.backend_coord(&at));
        if ctx.regions.contains(&r) {
            markers.push((at, r, (px - 14, py - 14, px + 14, py + 12)));
            wanted.push(Wanted {
                text: reg.id.clone(),
                size: 16,
                at: around((px, py), 14),
                required: true,
            });
        } else if reg.media_edge {
            map_area.draw(&Rectangle::new(
                [(px - 4, py - 4), (px + 4, py + 4)],
                MUTED.stroke_width(1),
            ))?;
        }
    }
    // Name the largest cities first; a name with no free place is left out.
    let mut by_size: Vec<&(usize, usize, f64)> = cities.iter().collect();
    by_size.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
    for &&(_, c, s) in by_size.iter().take(MAX_CITY_LABELS) {
        let city = &w.cities[c];
        let p = to_local(chart.backend_coord(&clamp(city.location.lon, city.location.lat)));
        wanted.push(Wanted {
            text: city.name.clone(),
            size: 13,
            at: around(p, radius(s) + 3),
            required: false,
        });
    }
    let obstacles: Vec<Rect> = markers.iter().map(|m| m.2).collect();
    let placed = place(wanted, &obstacles, |t, size| {
        let style = anchored(size, INK, HPos::Left, VPos::Top);
        map_area
            .estimate_text_size(t, &style)
            .map_or((0, 0), |(w, h)| (w as i32, h as i32))
    });
    // Labels on a light halo so lines never hide them.
    for (label, at, size, h, v, b) in placed {
        map_area.draw(&Rectangle::new(
            [(b.0, b.1), (b.2, b.3)],
            WHITE.mix(0.75).filled(),
        ))?;
        map_area.draw(&Text::new(label, at, anchored(size, INK, h, v)))?;
    }
    for (at, r, _) in markers {
        plot.draw(&TriangleMarker::new(at, 13, INK.filled()))?;
        plot.draw(&TriangleMarker::new(at, 10, color(r).filled()))?;
    }
    draw_legend(&legend, ctx, max_sessions)
}

/// The panel under the map: regions with their figures, the size and width keys.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    max_sessions: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let w = ctx.world;
    let left = |s: u32, c: RGBColor| anchored(s, c, HPos::Left, VPos::Center);
    let (x1, x2, x3) = (30, 700, 950);
    area.draw(&Text::new(
        "Agent regions (triangles)",
        (x1, 14),
        left(17, INK),
    ))?;
    for (k, &r) in ctx.regions.iter().take(6).enumerate() {
        let y = 42 + 26 * k as i32;
        let reg = &w.regions[r];
        let s = ctx.est.point.regions.get(r).cloned().unwrap_or_default();
        area.draw(&TriangleMarker::new((x1 + 8, y), 9, color(r).filled()))?;
        area.draw(&Text::new(
            format!(
                "{} ({}): {:.0} slots, {:.0} % used, peak {:.0}, {:.0} sessions in from elsewhere",
                reg.id,
                reg.name,
                s.capacity,
                s.utilization * 100.0,
                s.peak_concurrency,
                s.overflow_in
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
        .regions
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
    area.draw(&Text::new(
        "Cities (area ∝ sessions)",
        (x2, 14),
        left(17, INK),
    ))?;
    for (k, f) in [1.0, 0.25, 0.05].iter().enumerate() {
        let y = 46 + 36 * k as i32;
        let r = (4.0 + 14.0 * f64::sqrt(*f)).round() as i32;
        area.draw(&Circle::new((x2 + 20, y), r, CITY.mix(0.35).filled()))?;
        area.draw(&Circle::new((x2 + 20, y), r, CITY.stroke_width(1)))?;
        area.draw(&Text::new(
            format!("{:.0} sessions", max_sessions * f),
            (x2 + 46, y),
            left(15, INK),
        ))?;
    }
    let y = 46 + 36 * 3;
    area.draw(&Circle::new((x2 + 20, y), 9, city_fill(0.1)))?;
    area.draw(&Circle::new((x2 + 20, y), 9, CITY.stroke_width(1)))?;
    area.draw(&Text::new(
        "red: arrivals lost",
        (x2 + 46, y),
        left(15, INK),
    ))?;
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
