//! Sharded experiments: a study's independent units (the replications of a run
//! or a comparison, the (point, replication) pairs of a sweep) split into N
//! contiguous blocks, one per machine, and the replay that folds the units back
//! in unit order exactly as one machine would have.
//!
//! Exactness rests on two facts: a replication's random streams depend only on
//! (seed, replication), never on the shard layout; and the merge folds each
//! replication's own statistics through the very accumulator a single run uses,
//! in the same order, so every floating-point sum is taken in the same order.
//! Shards therefore carry each replication's statistics separately, never a
//! pre-merged total. Contiguous blocks (rather than every N-th unit) let the
//! merge read one part after the other, holding one unit at a time.

use std::ops::Range;

use super::compare::PairedFold;
use super::{
    batched, replicated, simulated, Accumulator, Cancelled, Comparison, Estimate, SweepPoint,
};
use crate::engine::Progress;
use crate::model::{PolicySpec, World};
use crate::stats::RunStats;

/// Shard `index` of `count`: it runs units `[index * T / count, (index + 1) * T / count)`
/// of a study of T units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// Most shards a study may be split into.
pub const MAX_SHARDS: u32 = 100_000;

impl Shard {
    /// Shard `index` of `count`; None unless `index < count <= MAX_SHARDS`.
    pub fn new(index: u32, count: u32) -> Option<Self> {
        (index < count && count <= MAX_SHARDS).then_some(Self { index, count })
    }

    /// Zero-based index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The units this shard runs out of `total` (empty when there are more
    /// shards than units).
    pub fn units(&self, total: u64) -> Range<u64> {
        let at = |k: u32| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// Replications of `spec` with indices in `reps`, handed to `sink` in order,
/// each as its one [`RunStats`].
pub fn run_units(
    world: &World,
    spec: &PolicySpec,
    reps: Range<u32>,
    progress: &dyn Progress,
    mut sink: impl FnMut(u32, Vec<RunStats>),
) -> Result<(), Cancelled> {
    batched(
        reps,
        progress,
        |rep| (rep, simulated(world, spec, rep, progress)),
        |(rep, stats)| sink(rep, vec![stats]),
    )
}

/// Replications `reps` of every policy on common random numbers, handed to
/// `sink` in order, each as one [`RunStats`] per policy (baseline first).
pub fn compare_units(
    world: &World,
    policies: &[(String, PolicySpec)],
    reps: Range<u32>,
    progress: &dyn Progress,
    mut sink: impl FnMut(u32, Vec<RunStats>),
) -> Result<(), Cancelled> {
    batched(
        reps,
        progress,
        |rep| {
            let runs = policies
                .iter()
                .map(|(_, spec)| simulated(world, spec, rep, progress))
                .collect();
            (rep, runs)
        },
        |(rep, runs)| sink(rep, runs),
    )
}

/// The (point, replication) of each unit of a sweep whose points have these
/// replication counts, point by point.
#[derive(Debug, Clone)]
pub struct SweepUnits {
    /// Units before each point.
    starts: Vec<u64>,
    total: u64,
}

impl SweepUnits {
    /// The units of points with `replications[p]` replications each.
    pub fn new(replications: impl IntoIterator<Item = u32>) -> Self {
        let mut starts = Vec::new();
        let mut total = 0u64;
        for n in replications {
            starts.push(total);
            total += u64::from(n);
        }
        Self { starts, total }
    }

    /// Number of units.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Unit `u` as (point, replication).
    pub fn locate(&self, u: u64) -> (usize, u32) {
        let p = self.starts.partition_point(|&s| s <= u) - 1;
        (p, (u - self.starts[p]) as u32)
    }

    /// The replications of point `p` that fall in `units`.
    pub fn reps_of(&self, p: usize, units: &Range<u64>) -> Range<u32> {
        let start = self.starts[p];
        let end = self.starts.get(p + 1).copied().unwrap_or(self.total);
        let lo = units.start.clamp(start, end) - start;
        let hi = units.end.clamp(start, end) - start;
        lo as u32..hi as u32
    }
}

/// The sweep units `units` of `worlds` (one per point), handed to `sink` in
/// unit order, each as its one [`RunStats`].
pub fn sweep_units(
    worlds: &[World],
    units: Range<u64>,
    progress: &dyn Progress,
    mut sink: impl FnMut(u64, Vec<RunStats>),
) -> Result<(), Cancelled> {
    let layout = SweepUnits::new(worlds.iter().map(|w| w.run().replications));
    for (p, world) in worlds.iter().enumerate() {
        let reps = layout.reps_of(p, &units);
        let first = layout.starts[p];
        run_units(world, world.policy(), reps, progress, |rep, stats| {
            sink(first + u64::from(rep), stats)
        })?;
    }
    Ok(())
}

/// Folds a run's replications, received in order, into its [`Estimate`].
#[derive(Default)]
pub struct RunReplay(Accumulator);

impl RunReplay {
    /// The next replication.
    pub fn push(&mut self, stats: RunStats) {
        self.0.push(replicated(stats));
    }

    /// The estimate at `confidence`; None when nothing was pushed.
    pub fn finish(self, confidence: f64) -> Option<Estimate> {
        self.0.pooled.is_some().then(|| self.0.finish(confidence))
    }
}

/// Folds a comparison's replications, received in order, into its [`Comparison`].
pub struct CompareReplay(PairedFold);

impl CompareReplay {
    /// A replay for `k` policies.
    pub fn new(k: usize) -> Self {
        Self(PairedFold::new(k))
    }

    /// The next replication: one statistics per policy, baseline first.
    pub fn push(&mut self, runs: Vec<RunStats>) {
        self.0.push(runs.into_iter().map(replicated).collect());
    }

    /// The comparison of the policies `labels` at `confidence`.
    pub fn finish(self, labels: Vec<String>, confidence: f64) -> Comparison {
        self.0.finish(labels, confidence)
    }
}

/// Folds a sweep's units, received in order, into its finished points; a
/// point is finished (and its replications' statistics dropped) as soon as its
/// last replication arrives, so memory stays that of one point.
pub struct SweepReplay {
    layout: SweepUnits,
    settings: Vec<Vec<(String, serde_json::Value)>>,
    confidence: Vec<f64>,
    current: Accumulator,
    points: Vec<SweepPoint>,
}

impl SweepReplay {
    /// A replay of the points `settings` with these worlds (one per point).
    pub fn new(settings: Vec<Vec<(String, serde_json::Value)>>, worlds: &[World]) -> Self {
        Self {
            layout: SweepUnits::new(worlds.iter().map(|w| w.run().replications)),
            settings,
            confidence: worlds.iter().map(|w| w.run().confidence).collect(),
            current: Accumulator::default(),
            points: Vec::new(),
        }
    }

    /// The next unit, `u`.
    pub fn push(&mut self, u: u64, stats: RunStats) {
        let (p, _) = self.layout.locate(u);
        self.current.push(replicated(stats));
        if self.layout.locate(u + 1).0 != p || u + 1 == self.layout.total {
            let est = std::mem::take(&mut self.current).finish(self.confidence[p]);
            self.points.push(SweepPoint {
                settings: self.settings[p].clone(),
                point: est.point,
                half_width: est.half_width,
            });
        }
    }

    /// The finished points, in order.
    pub fn finish(self) -> Vec<SweepPoint> {
        self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_units_exactly() {
        for total in [0u64, 1, 5, 7, 30, 101] {
            for count in [1u32, 2, 3, 7, 40] {
                let mut next = 0;
                for k in 0..count {
                    let r = Shard::new(k, count).unwrap().units(total);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert!(Shard::new(3, 3).is_none());
        assert!(Shard::new(0, 0).is_none());
    }

    #[test]
    fn sweep_units_go_point_by_point() {
        let u = SweepUnits::new([2, 3, 1]);
        assert_eq!(u.total(), 6);
        assert_eq!(u.locate(0), (0, 0));
        assert_eq!(u.locate(2), (1, 0));
        assert_eq!(u.locate(5), (2, 0));
        assert_eq!(u.reps_of(1, &(1..4)), 0..2);
        assert!(u.reps_of(0, &(3..6)).is_empty());
        assert_eq!(u.reps_of(2, &(0..6)), 0..1);
    }
}
