//! Nearest-region dispatch (the reference platform's default): the region with
//! the lowest media RTT first; spill to the next nearest when the home deployment
//! is at or above the utilisation threshold, never beyond the extra-RTT budget.

use super::{first_live, when_full, within_budget, Decision, Load, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, SpillRule, World};

/// Nearest dispatch with its precomputed per-city candidate lists.
#[derive(Debug, Clone)]
pub struct Nearest {
    /// Per city: deployments within the extra-RTT budget, nearest first.
    candidates: Vec<Vec<u32>>,
    threshold: f64,
    on_full: OnFull,
}

impl Nearest {
    /// Precompute candidate order from the world's RTT matrix.
    pub fn new(world: &World, deployments: &[usize], spill: SpillRule, on_full: OnFull) -> Self {
        Self::per_city(world, |_| deployments, spill, on_full)
    }

    /// Candidates per city drawn from `allowed(city)` (used by geo-fencing).
    pub(crate) fn per_city<'a>(
        world: &World,
        allowed: impl Fn(usize) -> &'a [usize],
        spill: SpillRule,
        on_full: OnFull,
    ) -> Self {
        let candidates = (0..world.cities().len())
            .map(|c| within_budget(world, c, allowed(c), spill.max_extra_rtt_ms))
            .collect();
        Self {
            candidates,
            threshold: spill.utilization_threshold,
            on_full,
        }
    }
}

impl Policy for Nearest {
    #[inline]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        first_live(load, self.candidates[req.city].iter().copied()) as usize
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, _rng: &mut SimRng) -> Decision {
        let cands = &self.candidates[req.city];
        let room = |d: &&u32| load.has_room(**d as usize);
        let chosen = if self.threshold >= 1.0 {
            cands.iter().find(room)
        } else {
            // Prefer regions below the threshold, nearest first; above it, any room.
            cands
                .iter()
                .find(|&&d| {
                    load.has_room(d as usize) && load.utilization(d as usize) < self.threshold
                })
                .or_else(|| cands.iter().find(room))
        };
        match chosen {
            Some(&d) => Decision::Serve(d as usize),
            None => when_full(self.on_full, first_live(load, cands.iter().copied())),
        }
    }
}
