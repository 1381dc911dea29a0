//! The world map's geography: the extent a scenario needs (the whole world, or
//! its cities and regions with a margin), the bundled coastlines cut to it, and
//! graticule labels.

use plotters::style::RGBColor;

/// Natural Earth 1:110m land outlines (public domain), simplified; see the file's header.
static COAST: &str = include_str!("../../../assets/geo/coastline-110m.txt");

/// Latitudes of the world frame: Antarctica and the far Arctic carry no users.
const LAT: (f64, f64) = (-58.0, 84.0);
/// Coastline colour.
pub const LAND: RGBColor = RGBColor(160, 160, 160);

/// The map's extent in degrees and its graticule step.
#[derive(Clone, Copy)]
pub struct View {
    /// Longitude range, degrees.
    pub lon: (f64, f64),
    /// Latitude range, degrees.
    pub lat: (f64, f64),
    /// Graticule step, degrees.
    pub step: i32,
}

impl View {
    /// Whether a point is inside the view.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.lon.0..=self.lon.1).contains(&lon) && (self.lat.0..=self.lat.1).contains(&lat)
    }

    /// The whole world, or the scenario's cities and regions with a margin when
    /// they span less, keeping the world frame's degrees-per-pixel aspect.
    pub fn of(points: &[(f64, f64)]) -> Self {
        let world = View {
            lon: (-180.0, 180.0),
            lat: LAT,
            step: 30,
        };
        let (mut x0, mut x1, mut y0, mut y1) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
        for &(lon, lat) in points {
            (x0, x1, y0, y1) = (x0.min(lon), x1.max(lon), y0.min(lat), y1.max(lat));
        }
        if points.is_empty() || x1 - x0 > 180.0 {
            return world;
        }
        let aspect = 360.0 / (LAT.1 - LAT.0);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let w = ((x1 - x0) * 1.3 + 10.0)
            .max((y1 - y0) * 1.3 * aspect + 10.0 * aspect)
            .max(20.0);
        let h = w / aspect;
        if w >= 300.0 {
            return world;
        }
        let shift = |c: f64, half: f64, lo: f64, hi: f64| c.clamp(lo + half, hi - half);
        let (cx, cy) = (
            shift(cx, w / 2.0, -180.0, 180.0),
            shift(cy, h / 2.0, -90.0, 90.0),
        );
        let step = if w > 120.0 {
            30
        } else if w > 40.0 {
            10
        } else {
            5
        };
        View {
            lon: (cx - w / 2.0, cx + w / 2.0),
            lat: (cy - h / 2.0, cy + h / 2.0),
            step,
        }
    }
}

/// Coastline polylines inside the view (lines break where they leave it).
pub fn coastlines(view: View) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for line in COAST.lines().filter(|l| !l.starts_with('#')) {
        let mut cur = Vec::new();
        for pair in line.split_whitespace() {
            let p = pair
                .split_once(',')
                .and_then(|(a, b)| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)));
            match p {
                Some((lon, lat))
                    if view.contains(lon, lat)
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

pub fn lon_label(v: i32) -> String {
    match v {
        0 => "0°".into(),
        v if v < 0 => format!("{}°W", -v),
        v => format!("{v}°E"),
    }
}

pub fn lat_label(v: i32) -> String {
    match v {
        0 => "0°".into(),
        v if v < 0 => format!("{}°S", -v),
        v => format!("{v}°N"),
    }
}
