//! Policy comparison on common random numbers: every policy runs on the same
//! replications (same seeds, so the same users, arrival times and session
//! attributes), and each policy's difference from the first is estimated from the
//! per-replication paired differences, whose interval is much narrower than the
//! one of two independent estimates.

use super::{
    batched, half_width, one_replication, welch_half_width, Accumulator, Cancelled, Estimate,
    Replicated, Welford,
};
use crate::engine::Progress;
use crate::model::{PolicySpec, World};
use crate::stats::Summary;

/// One policy's difference from the baseline (the first policy).
#[derive(Debug, Clone)]
pub struct Difference {
    /// Mean of the per-replication differences (this policy minus the baseline).
    pub mean: Summary,
    /// Half-widths from the paired differences.
    pub paired_half_width: Summary,
    /// Half-widths had the two estimates been independent (Welch), for contrast.
    pub unpaired_half_width: Summary,
}

/// Every policy's estimate and its difference from the first.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Policy labels, baseline first.
    pub labels: Vec<String>,
    /// Per policy.
    pub estimates: Vec<Estimate>,
    /// Per policy after the first (index i-1 for policy i).
    pub differences: Vec<Difference>,
}

/// Run `n` replications of each policy on common random numbers.
pub fn compare(
    world: &World,
    policies: &[(String, PolicySpec)],
    n: u32,
    progress: &dyn Progress,
) -> Result<Comparison, Cancelled> {
    assert!(!policies.is_empty() && n >= 1);
    let mut fold = PairedFold::new(policies.len());
    batched(
        0..n,
        progress,
        |rep| {
            policies
                .iter()
                .map(|(_, spec)| one_replication(world, spec, rep, progress))
                .collect::<Vec<_>>()
        },
        |runs| fold.push(runs),
    )?;
    let labels = policies.iter().map(|(l, _)| l.clone()).collect();
    Ok(fold.finish(labels, world.run().confidence))
}

/// Folds one replication of every policy at a time, in replication order, into
/// a [`Comparison`]: the same fold whether the replications ran here or on
/// several machines (sharded runs).
pub(super) struct PairedFold {
    accs: Vec<Accumulator>,
    diffs: Vec<Welford>,
}

impl PairedFold {
    /// A fold for `k` policies, baseline first.
    pub(super) fn new(k: usize) -> Self {
        Self {
            accs: (0..k).map(|_| Accumulator::default()).collect(),
            diffs: vec![Welford::default(); k.saturating_sub(1)],
        }
    }

    /// One replication: each policy's statistics and scalars, baseline first.
    pub(super) fn push(&mut self, runs: Vec<Replicated>) {
        let base = runs[0].values.clone();
        for (i, r) in runs.into_iter().enumerate() {
            if i > 0 {
                let d: Vec<f64> = r.values.iter().zip(&base).map(|(a, b)| a - b).collect();
                self.diffs[i - 1].push(&d);
            }
            self.accs[i].push(r);
        }
    }

    /// The comparison at confidence `c`.
    pub(super) fn finish(self, labels: Vec<String>, c: f64) -> Comparison {
        let Self { accs, diffs } = self;
        let variances: Vec<Vec<f64>> = accs
            .iter()
            .map(|a| (0..a.values.len()).map(|i| a.values.variance(i)).collect())
            .collect();
        let estimates: Vec<Estimate> = accs.into_iter().map(|a| a.finish(c)).collect();
        let differences = diffs
            .iter()
            .enumerate()
            .map(|(j, w)| {
                let template = estimates[0].point.clone();
                let with = |v: &[f64]| {
                    let mut s = template.clone();
                    s.set_values(v, None);
                    s
                };
                let paired: Vec<f64> = (0..w.len())
                    .map(|i| half_width(w.variance(i), w.n, c))
                    .collect();
                let unpaired: Vec<f64> = (0..w.len())
                    .map(|i| welch_half_width(variances[0][i], variances[j + 1][i], w.n, c))
                    .collect();
                Difference {
                    mean: with(&w.means()),
                    paired_half_width: with(&paired),
                    unpaired_half_width: with(&unpaired),
                }
            })
            .collect();
        Comparison {
            labels,
            estimates,
            differences,
        }
    }
}
