//! Experiments over the engine: independent replications in parallel with
//! confidence intervals. Replications run in batches on the rayon pool but are
//! always folded in replication order, so results are byte-identical whatever the
//! thread count.

mod ci;

pub use ci::{half_width, Welford};

use rayon::prelude::*;

use crate::engine::policy::{AnyPolicy, Policy};
use crate::engine::{simulate_with, Progress};
use crate::model::World;
use crate::stats::{RunStats, Summary, ValueKind};

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
}

/// Run `world.run.replications` replications of the scenario's policy.
pub fn replicate(world: &World, progress: &dyn Progress) -> Estimate {
    replicate_with(
        world,
        world.run.replications,
        || AnyPolicy::from_world(world),
        progress,
    )
}

/// Run `n` replications (indices 0..n) with policies made by `make_policy`.
pub fn replicate_with<P, F>(
    world: &World,
    n: u32,
    make_policy: F,
    progress: &dyn Progress,
) -> Estimate
where
    P: Policy,
    F: Fn() -> P + Sync,
{
    assert!(n >= 1, "at least one replication");
    let batch = (rayon::current_num_threads() * 2).max(1) as u32;
    let mut pooled: Option<RunStats> = None;
    let mut acc = Welford::default();
    let mut start = 0;
    while start < n {
        let end = (start + batch).min(n);
        let runs: Vec<(RunStats, Summary)> = (start..end)
            .into_par_iter()
            .map(|rep| {
                let stats = simulate_with(world, make_policy(), rep, progress);
                let summary = Summary::of(&stats);
                (stats, summary)
            })
            .collect();
        for (stats, mut summary) in runs {
            acc.push(&mut summary);
            match &mut pooled {
                None => pooled = Some(stats),
                Some(p) => p.merge(&stats),
            }
        }
        start = end;
    }
    let pooled = pooled.expect("n >= 1");
    let confidence = world.run.confidence;
    let mut point = Summary::of(&pooled);
    let mut i = 0;
    point.visit(&mut |kind, v| {
        if kind == ValueKind::Mean {
            *v = acc.mean[i];
        }
        i += 1;
    });
    let half_width = (n > 1).then(|| {
        let mut hw = point.clone();
        let mut i = 0;
        hw.visit(&mut |_, v| {
            *v = half_width(acc.variance(i), acc.n, confidence);
            i += 1;
        });
        hw
    });
    Estimate {
        point,
        half_width,
        pooled,
        replications: n,
        confidence,
    }
}
