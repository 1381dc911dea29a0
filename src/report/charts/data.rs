//! What the charts plot, derived once from the world and the estimate: the
//! heading, the regions worth showing, series groups for distribution charts,
//! per-bin rates and levels. Pure arithmetic; all guards against empty runs live
//! here so the chart files can assume finite, non-empty ranges.

use crate::engine::deployments::Deployments;
use crate::engine::policy::{AnyPolicy, Policy, Request};
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::Distribution;

/// Above this many populations, distribution charts draw one curve per media
/// edge instead of one per population, so the legend stays readable.
pub const MAX_CURVES: usize = 10;

/// The lanes a chart over time draws out of `all` (regions, deployments,
/// worker pools), each with its index in `all`, and its `note` saying which:
/// every one when they are at most [`MAX_CURVES`], else the [`MAX_CURVES`]
/// with the highest `peak` (ties: the first), in their order. A chart of
/// thousands of lanes was all legend, its curves hidden under it (and a
/// `report.html` of 10 000 deployments weighed 295 MB); every lane stays in
/// `timeseries.csv`. `what` names the lanes, plural.
pub fn busiest<T>(
    all: Vec<T>,
    peak: impl Fn(&T) -> f64,
    note: &str,
    what: &str,
) -> (Vec<(usize, T)>, String) {
    let total = all.len();
    let mut drawn: Vec<(usize, T)> = all.into_iter().enumerate().collect();
    if total <= MAX_CURVES {
        return (drawn, note.to_string());
    }
    let peaks: Vec<f64> = drawn.iter().map(|(_, x)| peak(x)).collect();
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_by(|&a, &b| peaks[b].total_cmp(&peaks[a]).then(a.cmp(&b)));
    let mut keep = vec![false; total];
    for &k in &order[..MAX_CURVES] {
        keep[k] = true;
    }
    drawn.retain(|(k, _)| keep[*k]);
    let note = format!(
        "{note} The {MAX_CURVES} of {total} {what} with the highest peaks (all in timeseries.csv)."
    );
    (drawn, note)
}

/// The highest of `values` (0 for none): a lane's peak, for [`busiest`].
pub fn highest(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, f64::max)
}

/// Everything a chart may need.
pub struct Ctx<'a> {
    /// The scenario.
    pub world: &'a World,
    /// The run's estimate (point figures and pooled statistics).
    pub est: &'a Estimate,
    /// "scenario · policy dispatch".
    pub heading: String,
    /// Regions with capacity or served sessions, in scenario order.
    pub regions: Vec<usize>,
    /// The scenario's policy, which defines each user's home.
    policy: AnyPolicy,
    /// The deployments as they stand at the start of the run (which exist).
    start: Deployments,
}

/// Most points a dashed curve is drawn through. A dashed line is one SVG
/// element per dash, so its file grows with the length of its path: a jagged
/// curve over many bins (a load reported every few seconds over a day of
/// one-second bins) made charts of hundreds of megabytes. Averaged down to
/// this many points (about three pixels each, finer than a dash), its path,
/// and so the file, stay bounded whatever the bins.
pub const DASHED_POINTS: usize = 300;

/// `points` averaged in consecutive groups so that at most
/// [`DASHED_POINTS`] (and the first and last point, kept as they are)
/// remain; as they are when they are fewer.
pub fn for_dashes(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let pts: Vec<(f64, f64)> = points.into_iter().collect();
    if pts.len() <= DASHED_POINTS {
        return pts;
    }
    let per = pts.len().div_ceil(DASHED_POINTS);
    let mean = |c: &[(f64, f64)]| {
        let n = c.len() as f64;
        let (x, y) = c.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
        (x / n, y / n)
    };
    let mut out = Vec::with_capacity(DASHED_POINTS + 2);
    out.push(pts[0]);
    out.extend(pts.chunks(per).map(mean));
    out.push(pts[pts.len() - 1]);
    out
}

/// Per bin: (midpoint hours, mean concurrency, mean capacity).
pub type Levels = Vec<(f64, f64, f64)>;

/// A set of populations drawn as one curve.
pub struct Group {
    /// Legend text.
    pub label: String,
    /// Population indices.
    pub pops: Vec<usize>,
}

impl<'a> Ctx<'a> {
    /// Derive the shared figures.
    pub fn new(world: &'a World, est: &'a Estimate) -> Self {
        let cap = world.region_capacity();
        let regions = (0..world.regions().len())
            .filter(|&r| cap[r] > 0 || est.point.regions.get(r).is_some_and(|s| s.served > 0.0))
            .collect();
        Self {
            world,
            est,
            heading: format!("{} · {} dispatch", world.name(), world.policy().name()),
            regions,
            policy: AnyPolicy::from_spec(world, world.policy()),
            start: Deployments::new(world),
        }
    }

    /// Hours of simulated time.
    pub fn horizon_h(&self) -> f64 {
        (self.world.run().horizon_s / 3600.0).max(1e-3)
    }

    /// Warm-up, hours.
    pub fn warmup_h(&self) -> f64 {
        self.world.run().warmup_s / 3600.0
    }

    /// Populations one by one, or grouped by the media edge of their main city
    /// when there are more than [`MAX_CURVES`].
    pub fn groups(&self) -> Vec<Group> {
        let w = self.world;
        if w.populations().len() <= MAX_CURVES {
            return w
                .populations()
                .iter()
                .enumerate()
                .map(|(i, p)| Group {
                    label: p.name.clone(),
                    pops: vec![i],
                })
                .collect();
        }
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for p in 0..w.populations().len() {
            let edge = self.main_edge(p);
            match groups.iter_mut().find(|(e, _)| *e == edge) {
                Some((_, pops)) => pops.push(p),
                None => groups.push((edge, vec![p])),
            }
        }
        groups.sort_by_key(|(e, _)| *e);
        groups
            .into_iter()
            .map(|(edge, pops)| {
                let names: Vec<&str> = pops
                    .iter()
                    .map(|&p| w.populations()[p].name.as_str())
                    .collect();
                let shown = if names.len() > 3 {
                    format!("{}, +{}", names[..2].join(", "), names.len() - 2)
                } else {
                    names.join(", ")
                };
                let edge = w.regions().get(edge).map_or("?", |r| r.id.as_str());
                Group {
                    label: format!("via {edge}: {shown}"),
                    pops,
                }
            })
            .collect()
    }

    /// Media edge of a population's heaviest city.
    fn main_edge(&self, pop: usize) -> usize {
        let p = &self.world.populations()[pop];
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for (k, &c) in p.cities.iter().enumerate() {
            let wgt = self.city_weight(pop, k);
            if wgt > best.0 {
                best = (wgt, self.world.cities()[c].edge);
            }
        }
        best.1
    }

    /// Share of a population's users in its k-th city.
    pub fn city_weight(&self, pop: usize, k: usize) -> f64 {
        let cdf = &self.world.populations()[pop].city_cdf;
        match (cdf.get(k), k.checked_sub(1).and_then(|j| cdf.get(j))) {
            (Some(hi), Some(lo)) => hi - lo,
            (Some(hi), None) => *hi,
            (None, _) => 1.0,
        }
    }

    /// The region a city's users get when nothing is full, as the policy itself
    /// defines it (the engine's "home"), so charts and statistics agree.
    pub fn home_region(&self, pop: usize, city: usize) -> Option<usize> {
        let req = Request {
            population: pop,
            city,
            attempt: 0,
        };
        // Home as at the start of the run: the deployments that exist then.
        let d = self.policy.home(&req, self.start.load());
        self.world.deployments().get(d).map(|d| d.region)
    }

    /// The pooled distribution of a group (`rtt` or `join` chosen by `pick`).
    pub fn pooled(
        &self,
        g: &Group,
        pick: fn(&crate::stats::PopulationStats) -> &Distribution,
    ) -> Distribution {
        let mut d = Distribution::new();
        for &p in &g.pops {
            if let Some(s) = self.est.pooled.populations.get(p) {
                d.merge(pick(s));
            }
        }
        d
    }

    /// Bin midpoints in hours with the bin's length in seconds. A run of a
    /// single bin gets its two ends instead, so lines through it have a length.
    pub fn bins(&self) -> Vec<(f64, f64)> {
        let s = &self.est.pooled.series;
        if s.bins() == 1 {
            let len = self.world.run().horizon_s.min(s.bin_s).max(1e-9);
            return vec![(0.0, len), (len / 3600.0, len)];
        }
        self.bin_mids()
    }

    fn bin_mids(&self) -> Vec<(f64, f64)> {
        let s = &self.est.pooled.series;
        let h = self.world.run().horizon_s;
        (0..s.bins())
            .map(|b| {
                let start = b as f64 * s.bin_s;
                let len = (h - start).min(s.bin_s).max(1e-9);
                ((start + len / 2.0) / 3600.0, len)
            })
            .collect()
    }

    /// Mean concurrency and capacity of a time-series lane (a region's, or a
    /// deployment's) per bin, averaged over replications.
    pub fn levels(&self, lane: usize) -> Levels {
        let s = &self.est.pooled.series;
        let runs = f64::from(s.runs.max(1));
        self.bins()
            .into_iter()
            .enumerate()
            .map(|(b, (t, len))| {
                let i = s.cell(b.min(s.bins().saturating_sub(1)), lane);
                let busy = s.busy_area.get(i).copied().unwrap_or(0.0);
                let cap = s.limit_area.get(i).copied().unwrap_or(0.0);
                (t, busy / (len * runs), cap / (len * runs))
            })
            .collect()
    }
}

/// Thin a CDF to at most about `max` points, keeping its shape: a point is kept
/// when the share or the value moved by 1/max of its range. Starts at share 0.
pub fn thin_cdf(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let step_x = (last.0 - first.0).abs() / max as f64;
    let step_y = 1.0 / max as f64;
    let mut out = vec![(first.0, 0.0), *first];
    for &p in &points[1..] {
        let prev = out[out.len() - 1];
        if p.1 - prev.1 >= step_y || p.0 - prev.0 >= step_x {
            out.push(p);
        }
    }
    if out.last() != Some(last) {
        out.push(*last);
    }
    out
}

/// Finite and positive, else `fallback`.
pub fn positive_or(v: f64, fallback: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_ends_and_bounds_size() {
        let pts: Vec<(f64, f64)> = (1..=10_000).map(|i| (i as f64, i as f64 / 1e4)).collect();
        let t = thin_cdf(&pts, 200);
        assert_eq!(t[0], (1.0, 0.0));
        assert_eq!(*t.last().unwrap(), (10_000.0, 1.0));
        assert!(t.len() <= 403, "{}", t.len());
        assert!(thin_cdf(&[], 10).is_empty());
    }
}
