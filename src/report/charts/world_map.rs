//! Chart: the world view. Regions and population cities placed by longitude and
//! latitude on an equirectangular frame with a graticule and coarse coastlines,
//! cities sized by sessions, and a line from each city to every region that
//! served its population, wider for a larger share; overflow lines are drawn
//! strong, home lines faint, so where users spill is visible at a glance.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{positive_or, Ctx};
use super::geo::{coastlines, lat_label, lon_label, View, LAND};
use super::labels::{place, Rect, Wanted};
use super::style::{anchored, color, heading, INK, MUTED};
use super::Drawn;
use legend::draw_legend;
use spots::{spots, Spot, Spots};

mod legend;
mod spots;

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
        .populations()
        .iter()
        .flat_map(|p| &p.cities)
        .map(|&c| &w.cities()[c].location);
    let regions = w
        .regions()
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

/// The map's chart: longitude across, latitude up.
type Map<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A population's city and its sessions: (population, city, sessions).
type Sized = (usize, usize, f64);

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let point = &ctx.est.point;
    let mut cities: Vec<Sized> = Vec::new();
    for (p, pop) in ctx.world.populations().iter().enumerate() {
        let sessions = point.populations.get(p).map_or(0.0, |s| s.sessions);
        for (k, &c) in pop.cities.iter().enumerate() {
            cities.push((p, c, sessions * ctx.city_weight(p, k)));
        }
    }
    let spots = spots(ctx, &cities);
    let area = heading(root, &ctx.heading, TITLE, &note(&spots))?;
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
    frame(&map_area, &chart, &view)?;
    let max_sessions = positive_or(
        spots.spots.iter().map(|s| s.sessions).fold(0.0, f64::max),
        1.0,
    );
    flows_and_spots(&chart, ctx, &view, &spots.spots, max_sessions)?;
    markers_and_labels(&map_area, &chart, ctx, &view, &spots.spots, max_sessions)?;
    draw_legend(&legend, ctx, &spots, max_sessions)
}

/// The chart's note: what a line is, and how cities were gathered.
fn note(spots: &Spots) -> String {
    let lines = "wider for a larger share: faint = home region, strong = overflow.";
    match spots.step {
        None => format!("Lines join each city to the regions that served its population, {lines}"),
        Some(step) => format!(
            "{} cities gathered into {} cells of {step}° (each at its cities' centre, named after the largest + how many more). Lines join each cell to the regions that served its users, {lines}",
            spots.cities,
            spots.spots.len()
        ),
    }
}

/// A point held inside the map's frame.
fn clamp(view: &View, x: f64, y: f64) -> (f64, f64) {
    (
        x.clamp(view.lon.0, view.lon.1),
        y.clamp(view.lat.0, view.lat.1),
    )
}

/// A city's marker radius in pixels, by the square root of its sessions.
fn radius(s: f64, max_sessions: f64) -> i32 {
    (4.0 + 14.0 * (s.max(0.0) / max_sessions).sqrt()).round() as i32
}

/// Pixel position of `at` inside `area`.
fn local<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Map<DB>,
    at: (f64, f64),
) -> (i32, i32) {
    let (ox, oy) = area.get_base_pixel();
    let p = chart.backend_coord(&at);
    (p.0 - ox, p.1 - oy)
}

/// Graticule every `step` degrees, labelled outside the frame, then the
/// coastlines and the frame itself.
fn frame<DB: DrawingBackend>(
    map_area: &DrawingArea<DB, Shift>,
    chart: &Map<DB>,
    view: &View,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (lon, lat) = (view.lon, view.lat);
    let plot = chart.plotting_area();
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
        let (px, py) = local(map_area, chart, (x, lat.0));
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
        let (px, py) = local(map_area, chart, (lon.0, y));
        map_area.draw(&Text::new(
            lat_label(g),
            (px - 6, py),
            anchored(14, MUTED, HPos::Right, VPos::Center),
        ))?;
    }
    for line in coastlines(*view) {
        plot.draw(&PathElement::new(line, LAND.stroke_width(1)))?;
    }
    plot.draw(&Rectangle::new(
        [(lon.0, lat.0), (lon.1, lat.1)],
        MUTED.stroke_width(1),
    ))?;
    Ok(())
}

/// Flow lines, home first (faint) and overflow on top (strong), then the
/// spots, filled by the share of their users lost.
fn flows_and_spots<DB: DrawingBackend>(
    chart: &Map<DB>,
    ctx: &Ctx,
    view: &View,
    spots: &[Spot],
    max_sessions: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let plot = chart.plotting_area();
    for overflow in [false, true] {
        for spot in spots {
            for &(r, share, home) in &spot.served {
                if home == overflow {
                    continue;
                }
                let reg = &ctx.world.regions()[r];
                let style = color(r)
                    .mix(if overflow { 0.9 } else { 0.35 })
                    .stroke_width(width(share));
                plot.draw(&PathElement::new(
                    vec![
                        clamp(view, spot.at.0, spot.at.1),
                        clamp(view, reg.location.lon, reg.location.lat),
                    ],
                    style,
                ))?;
            }
        }
    }
    for spot in spots {
        let at = clamp(view, spot.at.0, spot.at.1);
        let r = radius(spot.sessions, max_sessions);
        plot.draw(&Circle::new(at, r, city_fill(spot.lost)))?;
        plot.draw(&Circle::new(at, r, CITY.stroke_width(1)))?;
    }
    Ok(())
}

/// Region markers (obstacles for labels, drawn last, above all), media
/// edges, and the names of regions and of the largest cities where they fit.
fn markers_and_labels<DB: DrawingBackend>(
    map_area: &DrawingArea<DB, Shift>,
    chart: &Map<DB>,
    ctx: &Ctx,
    view: &View,
    spots: &[Spot],
    max_sessions: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (markers, mut wanted) = regions(map_area, chart, ctx, view)?;
    let circles: Vec<((i32, i32), i32)> = spots
        .iter()
        .map(|s| {
            let at = local(map_area, chart, clamp(view, s.at.0, s.at.1));
            (at, radius(s.sessions, max_sessions))
        })
        .collect();
    wanted.extend(spot_labels(spots, &circles));
    // Labels keep off region markers, every city's circle and the outside.
    let mut obstacles: Vec<Rect> = markers.iter().map(|m| m.2).collect();
    obstacles.extend(
        circles
            .iter()
            .map(|&((x, y), r)| (x - r, y - r, x + r, y + r)),
    );
    obstacles.extend(outside(map_area));
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
    let plot = chart.plotting_area();
    for (at, r, _) in markers {
        plot.draw(&TriangleMarker::new(at, 13, INK.filled()))?;
        plot.draw(&TriangleMarker::new(at, 10, color(r).filled()))?;
    }
    Ok(())
}

/// A shown region's marker: where it goes, the region, and the box its
/// label must keep off.
type Marker = ((f64, f64), usize, Rect);

/// The shown regions' markers and labels, for drawing once every label is
/// placed; a media edge without agents gets its small square now, since no
/// label avoids it.
fn regions<DB: DrawingBackend>(
    map_area: &DrawingArea<DB, Shift>,
    chart: &Map<DB>,
    ctx: &Ctx,
    view: &View,
) -> Result<(Vec<Marker>, Vec<Wanted>), Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let mut markers = Vec::new();
    let mut wanted = Vec::new();
    for (r, reg) in ctx.world.regions().iter().enumerate() {
        let at = clamp(view, reg.location.lon, reg.location.lat);
        let (px, py) = local(map_area, chart, at);
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
    Ok((markers, wanted))
}

/// The names of the largest spots first, beside their circles
/// (`circles`: each spot's centre and radius in pixels); a name with no free
/// place is left out, so the largest are the ones a reader gets.
fn spot_labels(spots: &[Spot], circles: &[((i32, i32), i32)]) -> Vec<Wanted> {
    let mut by_size: Vec<usize> = (0..spots.len()).collect();
    by_size.sort_by(|&a, &b| {
        let (a, b) = (&spots[a], &spots[b]);
        b.sessions.total_cmp(&a.sessions).then(a.key.cmp(&b.key))
    });
    by_size
        .into_iter()
        .take(MAX_CITY_LABELS)
        .map(|k| {
            let (at, r) = circles[k];
            Wanted {
                text: spots[k].name.clone(),
                size: 13,
                at: around(at, r + 3),
                required: false,
            }
        })
        .collect()
}

/// Boxes around the map's area, for labels to keep inside it: nothing runs
/// off the chart.
fn outside<DB: DrawingBackend>(map_area: &DrawingArea<DB, Shift>) -> [Rect; 4] {
    let (aw, ah) = map_area.dim_in_pixel();
    let (aw, ah, far) = (aw as i32, ah as i32, 100_000);
    [
        (-far, -far, far, 0),
        (-far, ah, far, far),
        (-far, -far, 0, far),
        (aw, -far, far, far),
    ]
}
