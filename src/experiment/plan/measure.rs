//! A target's figure from one replication's statistics, and the tally of a
//! candidate's replications: the mean of each figure across replications (the
//! pooled distribution for percentiles, as every report states them) and its
//! one-sided confidence margin from the spread between replications.
//!
//! A check is a target measured over a span: the whole statistics window, or
//! (hourly plans) the window's occurrences of one UTC hour, read from the run's
//! time series (hour-long bins), which counts outcomes by the bin they happen
//! in, overall and per population.

mod hours;

pub use hours::{checked_hour, hour_bins, hourly_metric, value_in_hour, PopulationHours};

use super::room::Room;
use crate::experiment::{half_width, Welford};
use crate::model::target::{Scope, Sense, Target, TargetMetric};
use crate::stats::metrics::Pick;
use crate::stats::{Distribution, PopulationStats, RunStats, Summary};

/// Where a check is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The statistics window.
    Window,
    /// Every occurrence of this UTC hour inside the window.
    Hour(u8),
    /// The window of failure scenario k (`Rule::failures[k]`), in its own run.
    Failure(u16),
}

/// The catalogue's number `t` constrains: targets are named as the figures of
/// `summary.json` and read from the same summary as every report.
pub fn pick(t: &Target) -> Pick {
    let name = t.metric().name();
    let pick = match t.scope() {
        Scope::Overall if t.metric().on_workers() => Pick::workers(name),
        Scope::Overall => Pick::run(name),
        Scope::Population(p) => Pick::population(p, name),
        Scope::Region(r) => Pick::region(r, name),
    };
    // `every_target_metric_is_a_catalogue_entry` holds this for each metric at
    // each scope `check_limit` accepts.
    pick.expect("a target's metric is a catalogue entry at its scope")
}

/// One replication of every scenario a rule measures: the normal run first,
/// then failure scenario k at k + 1; each with its summary.
pub struct Runs(Vec<(RunStats, Summary)>);

impl Runs {
    /// The replication's runs, normal first.
    pub fn new(runs: Vec<RunStats>) -> Self {
        Self(
            runs.into_iter()
                .map(|s| {
                    let summary = Summary::of(&s);
                    (s, summary)
                })
                .collect(),
        )
    }

    /// The run a check on `span` reads.
    fn of(&self, span: Span) -> &(RunStats, Summary) {
        match span {
            Span::Window | Span::Hour(_) => &self.0[0],
            Span::Failure(k) => &self.0[usize::from(k) + 1],
        }
    }

    /// The normal run and its summary.
    fn normal(&self) -> &(RunStats, Summary) {
        &self.0[0]
    }

    /// Window arrivals of every run (the effort they stand for).
    fn sessions(&self) -> u64 {
        let all = self.0.iter().flat_map(|(s, _)| &s.populations);
        all.map(|p| p.sessions).sum()
    }
}

/// The check's figure in one replication.
fn value_over(t: &Target, span: Span, runs: &Runs) -> f64 {
    let (s, summary) = runs.of(span);
    match span {
        Span::Window | Span::Failure(_) => pick(t).get(summary),
        Span::Hour(h) => value_in_hour(t, s, h),
    }
}

/// The distribution a percentile target reads, merged over its populations:
/// across replications the point estimate is the pooled distribution's
/// percentile, as every report states percentiles.
fn distribution(t: &Target, s: &RunStats) -> Option<(Distribution, f64)> {
    let (pick, q): (fn(&PopulationStats) -> &Distribution, f64) = match t.metric() {
        TargetMetric::MediaRttP95 => (|p| &p.rtt, 0.95),
        TargetMetric::MediaRttP99 => (|p| &p.rtt, 0.99),
        TargetMetric::JoinLatencyP95 => (|p| &p.join, 0.95),
        TargetMetric::JoinLatencyP99 => (|p| &p.join, 0.99),
        _ => return None,
    };
    let mut d = Distribution::new();
    match t.scope() {
        Scope::Population(p) => d.merge(pick(&s.populations[p])),
        _ => s.populations.iter().for_each(|p| d.merge(pick(p))),
    }
    Some((d, q))
}

/// Whether failing this target calls for more capacity (everything but a
/// utilisation floor, which calls for less).
pub fn wants_more(m: TargetMetric) -> bool {
    m != TargetMetric::Utilization
}

/// One target's estimate over a candidate's replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetEstimate {
    /// Point estimate.
    pub point: f64,
    /// One-sided confidence margin at the level it was computed for (NaN with
    /// one replication).
    pub margin: f64,
    /// Margins the search asks this estimate to keep inside its limit
    /// ([`Room`]); 1 for a verification's, which is judged on its bound.
    pub room: f64,
}

impl TargetEstimate {
    /// The pessimistic end of the one-sided interval: what must meet the limit.
    pub fn bound(&self, t: &Target) -> f64 {
        self.bound_with_room(t, 1.0)
    }

    /// Whether the pessimistic end is a number within the limit: the target
    /// is met with confidence (how every report marks a target met).
    pub fn meets(&self, t: &Target) -> bool {
        within(t, self.bound(t))
    }

    /// The pessimistic end the search judges by: its room of margins away.
    pub fn searched(&self, t: &Target) -> f64 {
        self.bound_with_room(t, self.room)
    }

    /// Whether the search's pessimistic end is a number within the limit:
    /// the target is met with the room the search asks.
    pub fn meets_searched(&self, t: &Target) -> bool {
        within(t, self.searched(t))
    }

    /// The pessimistic end `room` margins away from the estimate.
    fn bound_with_room(&self, t: &Target, room: f64) -> f64 {
        match t.metric().sense() {
            Sense::AtMost => self.point + room * self.margin,
            Sense::AtLeast => self.point - room * self.margin,
        }
    }

    /// The optimistic end: when even it misses the limit, the target clearly fails.
    pub fn optimistic(&self, t: &Target) -> f64 {
        match t.metric().sense() {
            Sense::AtMost => self.point - self.margin,
            Sense::AtLeast => self.point + self.margin,
        }
    }
}

/// Whether an end of an interval is a number within `t`'s limit (an end
/// that is NaN, with too few replications, meets nothing).
fn within(t: &Target, b: f64) -> bool {
    b.is_finite() && t.holds(b)
}

/// A candidate's replications so far, folded in replication order: each
/// target's per-replication figures, and for percentile targets the pooled
/// distribution (only what the targets read, so a search's memory stays small).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    values: Welford,
    /// Per check, the replications whose figure was exactly 0 (no such
    /// outcome at all): the mark of a rare event counted in ones and twos.
    zeros: Vec<u32>,
    pooled: Vec<Option<(Distribution, f64)>>,
    /// Sessions simulated (window arrivals, all replications).
    pub sessions: f64,
    /// Worker-hours of each worker deployment, summed over the replications.
    pub worker_hours: Vec<f64>,
    /// Per population and UTC hour, the counts of every replication (kept
    /// only when asked for: verifications, whose run the plan's population
    /// table describes).
    pub hours: Option<PopulationHours>,
}

impl Tally {
    /// A tally that also keeps the per-population hourly counts.
    pub fn with_hours() -> Self {
        Self {
            hours: Some(PopulationHours::default()),
            ..Self::default()
        }
    }

    /// Replications folded in.
    pub fn n(&self) -> u32 {
        self.values.n
    }

    /// Fold the next replication in (`spans`: each check's, parallel to
    /// `targets`). Sessions count every scenario's window arrivals; the
    /// population hours are the normal run's.
    pub fn push(&mut self, targets: &[Target], spans: &[Span], runs: Runs) {
        let v: Vec<f64> = targets
            .iter()
            .zip(spans)
            .map(|(t, &sp)| value_over(t, sp, &runs))
            .collect();
        self.values.push(&v);
        self.zeros.resize(v.len(), 0);
        for (z, &x) in self.zeros.iter_mut().zip(&v) {
            *z += u32::from(x == 0.0);
        }
        self.sessions += runs.sessions() as f64;
        let summary = &runs.normal().1;
        self.worker_hours
            .resize(summary.workers.len().max(self.worker_hours.len()), 0.0);
        for (h, w) in self.worker_hours.iter_mut().zip(&summary.workers) {
            *h += w.worker_hours;
        }
        if let Some(h) = self.hours.as_mut() {
            h.add_run(&runs.normal().0);
        }
        let pool = |t: &Target, sp: &Span| match sp {
            Span::Window | Span::Failure(_) => distribution(t, &runs.of(*sp).0),
            Span::Hour(_) => None,
        };
        if self.pooled.is_empty() {
            self.pooled = targets
                .iter()
                .zip(spans)
                .map(|(t, sp)| pool(t, sp))
                .collect();
            return;
        }
        for (p, (t, sp)) in self.pooled.iter_mut().zip(targets.iter().zip(spans)) {
            if let (Some((d, _)), Some((new, _))) = (p.as_mut(), pool(t, sp)) {
                d.merge(&new);
            }
        }
    }

    /// The excess kurtosis of check `i`'s per-replication figures, pooled over
    /// every check of the same target (each UTC hour of an hourly target): a
    /// rare outcome's figures are mostly quiet with an occasional burst, and
    /// one hour's few replications may have seen no burst at all, while the
    /// target's hours together show how heavy its tails are.
    fn tails(&self, targets: &[Target], i: usize) -> f64 {
        let (sum, n) = (0..targets.len())
            .filter(|&j| targets[j] == targets[i])
            .fold((0.0, 0u32), |(s, n), j| {
                (s + self.values.excess_kurtosis(j), n + 1)
            });
        sum / f64::from(n.max(1))
    }

    /// Every target's estimate with a one-sided margin at level `1 - alpha`,
    /// and the room the search asks of it (`None`: a verification, room 1).
    pub fn estimates(
        &self,
        targets: &[Target],
        alpha: f64,
        room: Option<&Room>,
    ) -> Vec<TargetEstimate> {
        (0..targets.len())
            .map(|i| {
                let point = match self.pooled.get(i) {
                    Some(Some((d, q))) => d.quantile(*q),
                    _ => self.values.mean(i),
                };
                // A two-sided interval at 1 - 2 alpha has the one-sided margin at 1 - alpha.
                let margin = half_width(self.values.variance(i), self.n(), 1.0 - 2.0 * alpha);
                let rare = self.zeros.get(i).is_some_and(|&z| z > 0);
                let room = room.map_or(1.0, |r| r.at(self.n(), self.tails(targets, i), rare));
                TargetEstimate {
                    point,
                    margin,
                    room,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::target::{check_limit, METRICS};
    use crate::stats::metrics::Unit;

    /// The scopes a target on `m` may have (as `check_limit` rules them).
    fn scopes(m: TargetMetric) -> Vec<Scope> {
        [Scope::Overall, Scope::Population(0), Scope::Region(0)]
            .into_iter()
            .filter(|&s| {
                let limit = if m.is_share() { 0.5 } else { 100.0 };
                check_limit(m, s, limit).is_ok()
            })
            .collect()
    }

    /// Targets are catalogue entries: each metric, at every scope a target
    /// may take, names a figure of `summary.json` in the same unit.
    #[test]
    fn every_target_metric_is_a_catalogue_entry() {
        for &(m, name) in METRICS {
            assert!(!scopes(m).is_empty(), "{name}");
            for scope in scopes(m) {
                let t = Target::new(m, scope, 0.5).expect("a valid target");
                let pick = pick(&t);
                assert_eq!(pick.key(), name);
                let unit = if m.is_share() { Unit::Share } else { Unit::Ms };
                assert_eq!(pick.unit(), unit, "{name} at {scope:?}");
            }
        }
    }

    /// A percentile target's pooled point estimate is the summary's figure
    /// for one replication: the two ways of reading it agree.
    #[test]
    fn a_percentile_target_reads_what_the_summary_states() {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/tests/tiny.json"
        ));
        let mut world = crate::scenario::load(path).unwrap();
        world
            .edit_run(|r| r.replications = 1)
            .expect("valid run settings");
        let est = crate::experiment::replicate(&world, &()).unwrap();
        let summary = Summary::of(&est.pooled);
        for m in [TargetMetric::MediaRttP95, TargetMetric::JoinLatencyP99] {
            for scope in [Scope::Overall, Scope::Population(1)] {
                let t = Target::new(m, scope, 100.0).expect("a valid target");
                let (d, q) = distribution(&t, &est.pooled).unwrap();
                assert_eq!(d.quantile(q), pick(&t).get(&summary), "{m:?} {scope:?}");
            }
        }
    }
}
