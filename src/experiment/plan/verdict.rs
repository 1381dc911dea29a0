//! The decision rule for one candidate, shared by the search, the exhaustive
//! grid and the verification: every target is judged on its one-sided interval
//! at the per-target level (Bonferroni), so "feasible" means every target's
//! pessimistic bound meets its limit. The search asks each estimate for its
//! room of margins (see `room`), which it carries.

use super::measure::{wants_more, TargetEstimate};
use crate::model::target::Target;

/// What a candidate's replications say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Some target calling for more capacity is not met.
    pub short: bool,
    /// A utilisation floor is not met: less capacity is needed.
    pub over: bool,
    /// Some target is neither met nor clearly failed: more replications could decide.
    pub unsure: bool,
}

impl Verdict {
    /// Every target met with confidence.
    pub fn feasible(&self) -> bool {
        !(self.short || self.over || self.unsure)
    }

    /// Nothing more replications could change: feasible, or some target clearly failed.
    pub fn settled(&self) -> bool {
        !self.unsure || self.short || self.over
    }

    /// The final word once replications run out: an undecided target counts as
    /// not met, in the direction it pulls.
    pub fn resolve(self, targets: &[Target], est: &[TargetEstimate]) -> Self {
        if !self.unsure {
            return self;
        }
        let mut v = Self::default();
        for (t, e) in targets.iter().zip(est) {
            if !e.meets_searched(t) {
                if wants_more(t.metric()) {
                    v.short = true;
                } else {
                    v.over = true;
                }
            }
        }
        v
    }
}

/// Judge every target: met when its pessimistic bound (its room of margins
/// out) holds, clearly failed when even its optimistic bound misses.
pub fn judge(targets: &[Target], est: &[TargetEstimate]) -> Verdict {
    let mut v = Verdict::default();
    for (t, e) in targets.iter().zip(est) {
        if e.meets_searched(t) {
            continue;
        }
        let opt = e.optimistic(t);
        if opt.is_finite() && !t.holds(opt) {
            if wants_more(t.metric()) {
                v.short = true;
            } else {
                v.over = true;
            }
        } else {
            v.unsure = true;
        }
    }
    v
}

/// Indices of the targets whose pessimistic bound (each estimate's room of
/// margins out: 1 for a verification's) misses its limit.
pub fn unmet(targets: &[Target], est: &[TargetEstimate]) -> Vec<usize> {
    targets
        .iter()
        .zip(est)
        .enumerate()
        .filter(|(_, (t, e))| !e.meets_searched(t))
        .map(|(i, _)| i)
        .collect()
}
