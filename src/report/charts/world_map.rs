//! Chart: the world view. Regions and population cities placed by longitude and
//! latitude on an equirectangular frame with a graticule and coarse coastlines,
//! cities sized by sessions, and a line from each city to every region that
//! served its population, wider for a larger share; overflow lines are drawn
//! strong, home lines faint, so where users spill is visible at a glance.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{positive_or, Ctx};
use super::style::{anchored, color, heading, INK, MUTED};
use super::Drawn;

/// File stem.
pub const STEM: &str = "world";
/// Title.
pub const TITLE: &str = "World view: who is served where";

/// Natural Earth 1:110m land outlines (public domain), simplified; see the file's header.
static COAST: &str = include_str!("../../../assets/geo/coastline-110m.txt");

const LAT: (f64, f64) = (-58.0, 84.0);
const MAX_CITY_LABELS: usize = 30;
const LAND: RGBColor = RGBColor(160, 160, 160);
const GRID: RGBColor = RGBColor(225, 225, 225);
const CITY: RGBColor = RGBColor(60, 60, 60);
const LOST: RGBColor = RGBColor(190, 30, 45);

/// Coastline polylines inside the latitude frame (lines break where they leave it).
fn coastlines() -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for line in COAST.lines().filter(|l| !l.starts_with('#')) {
        let mut cur = Vec::new();
        for pair in line.split_whitespace() {
            let p = pair
                .split_once(',')
                .and_then(|(a, b)| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)));
            match p {
                Some((lon, lat))
                    if (LAT.0..=LAT.1).contains(&lat)
                        && (-180.0..=180.0).contains(&lon)
                        && cur
                            .last()
                            .is_none_or(|p: &(f64, f64)| (p.0 - lon).abs() < 180.0) =>
                {
                    cur.push((lon, lat))
                }
                _ => {
                    if cur.len() > 1 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                }
            }
        }
        if cur.len() > 1 {
            out.push(cur);
        }
    }
    out
}

fn lon_label(v: i32) -> String {
    match v {
        0 => "0°".into(),
        v if v < 0 => format!("{}°W", -v),
        v => format!("{v}°E"),
    }
}

fn lat_label(v: i32) -> String {
    match v {
        0 => "0°".into(),
        v if v < 0 => format!("{}°S", -v),
        v => format!("{v}°N"),
    }
}

/// A label to draw on a halo: text, anchor point, size, anchoring.
type Label = (String, (i32, i32), u32, HPos, VPos);

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
    let area = heading(root, ctx, TITLE, note)?;
    let (map_area, legend) = area.split_vertically(500);
    let mut chart = ChartBuilder::on(&map_area)
        .margin_left(20)
        .margin_right(25)
        .margin_top(5)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(-180.0..180.0, LAT.0..LAT.1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_axes()
        .draw()?;
    let plot = chart.plotting_area();
    // Graticule every 30 degrees, labelled outside the frame.
    let (ox, oy) = map_area.get_base_pixel();
    let to_local = |p: (i32, i32)| (p.0 - ox, p.1 - oy);
    for lon in (-180..=180).step_by(30) {
        let x = f64::from(lon);
        plot.draw(&PathElement::new(
            vec![(x, LAT.0), (x, LAT.1)],
            GRID.stroke_width(1),
        ))?;
        let (px, py) = to_local(chart.backend_coord(&(x, LAT.0)));
        map_area.draw(&Text::new(
            lon_label(lon),
            (px, py + 6),
            anchored(14, MUTED, HPos::Center, VPos::Top),
        ))?;
    }
    for lat in (-30..=60).step_by(30) {
        let y = f64::from(lat);
        plot.draw(&PathElement::new(
            vec![(-180.0, y), (180.0, y)],
            GRID.stroke_width(1),
        ))?;
        let (px, py) = to_local(chart.backend_coord(&(-180.0, y)));
        map_area.draw(&Text::new(
            lat_label(lat),
            (px - 6, py),
            anchored(14, MUTED, HPos::Right, VPos::Center),
        ))?;
    }
    for line in coastlines() {
        plot.draw(&PathElement::new(line, LAND.stroke_width(1)))?;
    }
    plot.draw(&Rectangle::new(
        [(-180.0, LAT.0), (180.0, LAT.1)],
        MUTED.stroke_width(1),
    ))?;

    let w = ctx.world;
    let point = &ctx.est.point;
    let clamp = |lon: f64, lat: f64| (lon.clamp(-180.0, 180.0), lat.clamp(LAT.0, LAT.1));
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
    let mut labels: Vec<Label> = Vec::new();
    for (r, reg) in w.regions.iter().enumerate() {
        let at = clamp(reg.location.lon, reg.location.lat);
        let (px, py) = to_local(chart.backend_coord(&at));
        if ctx.regions.contains(&r) {
            plot.draw(&TriangleMarker::new(at, 13, INK.filled()))?;
            plot.draw(&TriangleMarker::new(at, 10, color(r).filled()))?;
            labels.push((
                reg.id.clone(),
                (px - 6, py + 10),
                16,
                HPos::Right,
                VPos::Top,
            ));
        } else if reg.media_edge {
            map_area.draw(&Rectangle::new(
                [(px - 4, py - 4), (px + 4, py + 4)],
                MUTED.stroke_width(1),
            ))?;
        }
    }
    // Name the largest cities only: beyond a few dozen, names hide each other.
    let mut by_size: Vec<&(usize, usize, f64)> = cities.iter().collect();
    by_size.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
    for &&(_, c, s) in by_size.iter().take(MAX_CITY_LABELS) {
        let city = &w.cities[c];
        let (px, py) = to_local(chart.backend_coord(&clamp(city.location.lon, city.location.lat)));
        labels.push((
            city.name.clone(),
            (px + radius(s) + 3, py),
            13,
            HPos::Left,
            VPos::Center,
        ));
    }
    // Labels last, each on a light halo so lines and markers never hide them.
    for (label, (x, y), size, h, v) in labels {
        let style = anchored(size, INK, h, v);
        let (tw, th) = map_area.estimate_text_size(&label, &style)?;
        let (tw, th) = (tw as i32, th as i32);
        let left = match h {
            HPos::Left => x,
            HPos::Center => x - tw / 2,
            HPos::Right => x - tw,
        };
        let top = match v {
            VPos::Top => y,
            VPos::Center => y - th / 2,
            VPos::Bottom => y - th,
        };
        map_area.draw(&Rectangle::new(
            [(left - 2, top - 1), (left + tw + 2, top + th + 2)],
            WHITE.mix(0.75).filled(),
        ))?;
        map_area.draw(&Text::new(label, (x, y), style))?;
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
