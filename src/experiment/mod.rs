//! Experiments over the engine: independent replications with confidence
//! intervals, policy comparisons on common random numbers, and parameter sweeps.
//!
//! Replications run in batches on the rayon pool but are always folded in
//! replication order, so results are byte-identical whatever the thread count.

mod ci;
mod compare;
pub mod plan;
mod sessions;
pub mod shard;
mod sweep;

pub use ci::{half_width, one_sided_t, welch_half_width, Welford};
pub use compare::{compare, Comparison, Difference};
pub use sessions::replicate_recorded;
pub use sweep::{sweep, SweepPoint};

use rayon::prelude::*;

use crate::engine::policy::AnyPolicy;
use crate::engine::{simulate_with, Progress};
use crate::model::{PolicySpec, World};
use crate::stats::{RunStats, Summary, ValueKind};

/// The run was stopped by the user before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Cancelled;

/// The outcome of a set of replications.
#[derive(Debug, Clone)]
pub struct Estimate {
    /// Point estimates: means across replications, percentiles of the pooled distribution.
    pub point: Summary,
    /// Confidence half-widths of every scalar of `point` (None with one replication).
    pub half_width: Option<Summary>,
    /// All replications' statistics merged (time series, distributions).
    pub pooled: RunStats,
    /// Number of replications.
    pub replications: u32,
    /// Confidence level of the half-widths.
    pub confidence: f64,
    /// Each replication's run-wide scalars in [`Summary::visit_run_wide`]
    /// order (see [`Estimate::replication`]): a row of `replications.csv`,
    /// a few hundred bytes whatever the world, so that many replications of
    /// a world of many populations and regions do not hold each one's
    /// every figure.
    pub runs: Vec<Vec<f64>>,
}

/// Folds replications, in order, into an [`Estimate`].
#[derive(Default)]
struct Accumulator {
    values: Welford,
    pooled: Option<RunStats>,
    runs: Vec<Vec<f64>>,
}

/// A replication's statistics, its summary's scalars in [`Summary::visit`]
/// order, and its run-wide ones (its row).
struct Replicated {
    stats: RunStats,
    values: Vec<f64>,
    row: Vec<f64>,
}

/// A replication's statistics with the scalars the estimators take of it.
fn replicated(stats: RunStats) -> Replicated {
    let mut s = Summary::of(&stats);
    Replicated {
        values: s.values(),
        row: s.run_values(),
        stats,
    }
}

impl Accumulator {
    fn push(&mut self, r: Replicated) {
        self.values.push(&r.values);
        self.runs.push(r.row);
        match &mut self.pooled {
            None => self.pooled = Some(r.stats),
            Some(p) => p.merge(&r.stats),
        }
    }

    fn finish(self, confidence: f64) -> Estimate {
        let pooled = self.pooled.expect("at least one replication");
        let n = self.values.n;
        let mut point = Summary::of(&pooled);
        point.set_values(&self.values.means(), Some(ValueKind::Mean));
        let half_width = (n > 1).then(|| {
            let mut hw = point.clone();
            hw.set_values(&self.values.half_widths(confidence), None);
            hw
        });
        Estimate {
            point,
            half_width,
            pooled,
            replications: n,
            confidence,
            runs: self.runs,
        }
    }
}

impl Estimate {
    /// Replication `i`'s own run-wide figures (its percentiles are its own,
    /// not pooled); its regions, populations and workers are left empty.
    pub fn replication(&self, i: usize) -> Summary {
        let mut s = Summary::default();
        s.set_run_values(&self.runs[i]);
        s
    }
}

/// Run `job(rep)` for every rep of `reps` on the current rayon pool, a batch at
/// a time, and hand the results to `fold` in replication order.
fn batched<T: Send>(
    reps: std::ops::Range<u32>,
    progress: &dyn Progress,
    job: impl Fn(u32) -> T + Sync,
    mut fold: impl FnMut(T),
) -> Result<(), Cancelled> {
    let batch = (rayon::current_num_threads() * 2).max(1) as u32;
    let (mut start, n) = (reps.start, reps.end);
    while start < n {
        let end = (start + batch).min(n);
        let results: Vec<T> = (start..end).into_par_iter().map(&job).collect();
        if progress.cancelled() {
            return Err(Cancelled);
        }
        results.into_iter().for_each(&mut fold);
        start = end;
    }
    Ok(())
}

/// One replication's statistics.
fn simulated(world: &World, spec: &PolicySpec, rep: u32, progress: &dyn Progress) -> RunStats {
    simulate_with(world, AnyPolicy::from_spec(world, spec), rep, progress)
}

/// One replication's statistics and its summary's scalars.
fn one_replication(
    world: &World,
    spec: &PolicySpec,
    rep: u32,
    progress: &dyn Progress,
) -> Replicated {
    replicated(simulated(world, spec, rep, progress))
}

/// Run `world.run.replications` replications of the scenario's policy.
pub fn replicate(world: &World, progress: &dyn Progress) -> Result<Estimate, Cancelled> {
    replicate_policy(world, world.policy(), world.run().replications, progress)
}

/// Run `n` replications (indices 0..n) of `world` under `spec`.
pub fn replicate_policy(
    world: &World,
    spec: &PolicySpec,
    n: u32,
    progress: &dyn Progress,
) -> Result<Estimate, Cancelled> {
    assert!(n >= 1, "at least one replication");
    let mut acc = Accumulator::default();
    batched(
        0..n,
        progress,
        |rep| one_replication(world, spec, rep, progress),
        |r| acc.push(r),
    )?;
    Ok(acc.finish(world.run().confidence))
}
