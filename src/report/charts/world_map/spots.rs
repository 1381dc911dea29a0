//! What the world view draws for the users: a spot per city, with its
//! sessions, its share of arrivals lost and a line per region that served it.
//! A map shows a few hundred circles apart, not thousands: a session log
//! fitted with coordinates gives a place per 1-degree cell it touches, and
//! thousands of circles and their lines would cover the map (and its file)
//! in one dark mass. Past `MOST_SPOTS` cities, the cities are gathered into
//! the cells of a grid of whole degrees, the finest that gives at most
//! `MOST_SPOTS` cells: a cell is drawn at its cities' centre weighted by
//! sessions, sized by their sessions, coloured by their losses, with a line
//! to each region for the share of its sessions that region served, and
//! named after its largest city.

use std::collections::HashMap;

use super::super::data::Ctx;
use super::Sized;

/// The most circles the map draws apart.
pub const MOST_SPOTS: usize = 500;

/// Grid steps in degrees, finest first; every one divides 180.
const STEPS: [u32; 9] = [1, 2, 3, 5, 10, 15, 30, 45, 90];

/// Lines for shares of a spot's sessions below this are not drawn.
const LEAST_SHARE: f64 = 0.0005;

/// A circle on the map.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spot {
    /// Where, (lon, lat).
    pub at: (f64, f64),
    /// Sessions of its users (a share of their population's).
    pub sessions: f64,
    /// Share of its users' arrivals lost (rejected or abandoned).
    pub lost: f64,
    /// Its name: the city's, or a cell's largest city's and how many more.
    pub name: String,
    /// Its first city's index, for deterministic ties between equal sizes.
    pub key: usize,
    /// (region, share of its sessions served there, whether that region is
    /// its users' home), in the order of the regions shown.
    pub served: Vec<(usize, f64, bool)>,
}

/// The spots, and the grid step in degrees when cities are gathered.
#[derive(Debug, Clone)]
pub(super) struct Spots {
    pub spots: Vec<Spot>,
    pub step: Option<u32>,
    /// Cities in the scenario's populations (as drawn before gathering).
    pub cities: usize,
}

/// The spots of `cities` (population, city, sessions).
pub(super) fn spots(ctx: &Ctx, cities: &[Sized]) -> Spots {
    let (spots, step) = gathered(cities.iter().map(|&c| city(ctx, c)).collect());
    Spots {
        spots,
        step,
        cities: cities.len(),
    }
}

/// The cities' spots as they are if there are at most `MOST_SPOTS`, else
/// gathered on the finest grid of at most that many cells, with its step.
fn gathered(each: Vec<Spot>) -> (Vec<Spot>, Option<u32>) {
    if each.len() <= MOST_SPOTS {
        return (each, None);
    }
    // The coarsest grid, of 90 degrees, has 8 cells: some step always fits.
    let (step, (of, n)) = (STEPS.into_iter())
        .map(|s| (s, cells(&each, s)))
        .find(|(_, (_, n))| *n <= MOST_SPOTS)
        .expect("the 90-degree grid has 8 cells");
    (gather(&each, &of, n), Some(step))
}

/// A city's spot: its population's losses and shares served.
fn city(ctx: &Ctx, (p, c, sessions): Sized) -> Spot {
    let (w, point) = (ctx.world, &ctx.est.point);
    let l = &w.cities()[c].location;
    let ps = point.populations.get(p);
    let home = ctx.home_region(p, c);
    let served = match ps {
        Some(ps) => (ctx.regions.iter())
            .map(|&r| {
                (
                    r,
                    ps.served_by.get(r).copied().unwrap_or(0.0),
                    home == Some(r),
                )
            })
            .filter(|&(_, share, _)| share >= LEAST_SHARE)
            .collect(),
        None => Vec::new(),
    };
    Spot {
        at: (l.lon, l.lat),
        sessions,
        lost: ps.map_or(0.0, |q| q.rejection_rate + q.abandonment_rate),
        name: w.cities()[c].name.clone(),
        key: c,
        served,
    }
}

/// Each spot's cell on a grid of `step` degrees, and how many cells hold one.
fn cells(spots: &[Spot], step: u32) -> (Vec<usize>, usize) {
    let s = f64::from(step);
    let (across, down) = (360 / step as usize, 180 / step as usize);
    let mut index: HashMap<usize, usize> = HashMap::new();
    let of = spots
        .iter()
        .map(|sp| {
            let x = (((sp.at.0 + 180.0) / s).floor() as usize).min(across - 1);
            let y = (((sp.at.1 + 90.0) / s).floor() as usize).min(down - 1);
            let next = index.len();
            *index.entry(y * across + x).or_insert(next)
        })
        .collect();
    (of, index.len())
}

/// The spots gathered into their cells (`of`, `n` cells), in the order of
/// each cell's first city.
fn gather(each: &[Spot], of: &[usize], n: usize) -> Vec<Spot> {
    let mut members: Vec<Vec<&Spot>> = vec![Vec::new(); n];
    for (sp, &k) in each.iter().zip(of) {
        members[k].push(sp);
    }
    members.into_iter().map(|m| cell(&m)).collect()
}

/// One cell's spot from its cities' (at least one).
fn cell(m: &[&Spot]) -> Spot {
    let total: f64 = m.iter().map(|s| s.sessions).sum();
    // Weighted by sessions; a cell without sessions weighs its cities alike.
    let weight = |s: &Spot| if total > 0.0 { s.sessions } else { 1.0 };
    let sum: f64 = m.iter().map(|s| weight(s)).sum();
    let mean = |f: &dyn Fn(&Spot) -> f64| m.iter().map(|s| weight(s) * f(s)).sum::<f64>() / sum;
    let largest = m
        .iter()
        .max_by(|a, b| a.sessions.total_cmp(&b.sessions).then(b.key.cmp(&a.key)))
        .expect("a cell holds a city");
    let mut served: Vec<(usize, f64, bool)> = Vec::new();
    for s in m {
        for &(r, share, home) in &s.served {
            let part = weight(s) * share / sum;
            match served.iter_mut().find(|e| e.0 == r && e.2 == home) {
                Some(e) => e.1 += part,
                None => served.push((r, part, home)),
            }
        }
    }
    served.retain(|e| e.1 >= LEAST_SHARE);
    served.sort_by_key(|e| (e.0, !e.2));
    Spot {
        at: (mean(&|s| s.at.0), mean(&|s| s.at.1)),
        sessions: total,
        lost: mean(&|s| if s.lost.is_nan() { 0.0 } else { s.lost }),
        name: match m.len() {
            1 => largest.name.clone(),
            n => format!("{} +{}", largest.name, n - 1),
        },
        key: m[0].key,
        served,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A city at (lon, lat) with `sessions`, losing `lost`, served by region
    /// 0 (its home) for `home` of its sessions and region 1 for the rest.
    fn at(k: usize, (lon, lat): (f64, f64), sessions: f64, lost: f64, home: f64) -> Spot {
        Spot {
            at: (lon, lat),
            sessions,
            lost,
            name: format!("c{k}"),
            key: k,
            served: vec![(0, home, true), (1, 1.0 - home, false)],
        }
    }

    /// 40 x 50 cities a degree apart: 2 000 cells of 1 degree, 500 of 2.
    fn grid() -> Vec<Spot> {
        (0..2000)
            .map(|k| {
                let (x, y) = ((k % 40) as f64, (k / 40) as f64);
                at(
                    k,
                    (x + 0.5, y + 0.5),
                    1.0 + (k % 3) as f64,
                    0.1 * (k % 2) as f64,
                    0.75,
                )
            })
            .collect()
    }

    #[test]
    fn at_most_the_most_spots_cities_are_drawn_as_they_are() {
        let few: Vec<Spot> = grid().into_iter().take(MOST_SPOTS).collect();
        assert_eq!(gathered(few.clone()), (few, None));
    }

    /// The finest grid within the bound, sessions conserved, each cell at
    /// its cities' centre weighted by sessions, with their weighted losses
    /// and shares, named after its largest city.
    #[test]
    fn many_cities_gather_into_the_cells_of_the_finest_grid_within_the_bound() {
        let each = grid();
        let (cells, step) = gathered(each.clone());
        assert_eq!((cells.len(), step), (500, Some(2)));
        let total = |s: &[Spot]| s.iter().map(|s| s.sessions).sum::<f64>();
        assert_eq!(total(&cells), total(&each));
        // The first cell: cities 0, 1, 40, 41 at (0.5 | 1.5, 0.5 | 1.5).
        let m: Vec<&Spot> = [0, 1, 40, 41].iter().map(|&k| &each[k]).collect();
        let w: f64 = m.iter().map(|s| s.sessions).sum();
        let mean = |f: fn(&Spot) -> f64| m.iter().map(|s| s.sessions * f(s)).sum::<f64>() / w;
        let c = &cells[0];
        assert_eq!(c.sessions, w);
        assert_eq!(c.at, (mean(|s| s.at.0), mean(|s| s.at.1)));
        assert_eq!(c.lost, mean(|s| s.lost));
        // Cities 1 and 41 hold 2 and 3 sessions: 41 is the largest.
        assert_eq!(c.name, "c41 +3");
        assert_eq!(c.key, 0);
        let shares: Vec<(usize, bool)> = c.served.iter().map(|e| (e.0, e.2)).collect();
        assert_eq!(shares, vec![(0, true), (1, false)]);
        assert!((c.served[0].1 - 0.75).abs() < 1e-12 && (c.served[1].1 - 0.25).abs() < 1e-12);
    }

    /// Cities spread over the whole globe gather however coarse the grid
    /// must be, and cells never run past the poles or the antimeridian.
    #[test]
    fn cities_at_the_edges_of_the_globe_fall_in_its_last_cells() {
        let each: Vec<Spot> = (0..4000)
            .map(|k| {
                let (x, y) = ((k % 80) as f64, (k / 80) as f64);
                at(
                    k,
                    (-180.0 + 4.5 * x, -90.0 + 180.0 * y / 49.0),
                    1.0,
                    0.0,
                    1.0,
                )
            })
            .collect();
        let (cells, step) = gathered(each);
        assert!(cells.len() <= MOST_SPOTS, "{}", cells.len());
        let step = step.unwrap();
        assert!(cells.len() <= (360 / step * 180 / step) as usize);
        assert_eq!(cells.iter().map(|s| s.sessions).sum::<f64>(), 4000.0);
    }
}
