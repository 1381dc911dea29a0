//! Nearest-region dispatch (the reference platform's default): the region with
//! the lowest media RTT first; spill to the next nearest when the home deployment
//! is at or above the utilisation threshold, never beyond the extra-RTT budget.

use super::{Decision, Load, Policy, Request};
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
        let candidates = world
            .cities
            .iter()
            .map(|city| {
                let rtt = |d: usize| city.rtt_ms[world.deployments[d].region];
                let mut order: Vec<usize> = deployments.to_vec();
                // Stable sort: equal RTTs keep scenario order, so ties are deterministic.
                order.sort_by(|&a, &b| rtt(a).total_cmp(&rtt(b)));
                let home_rtt = rtt(order[0]);
                order
                    .into_iter()
                    .filter(|&d| rtt(d) - home_rtt <= spill.max_extra_rtt_ms)
                    .map(|d| d as u32)
                    .collect()
            })
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
    fn home(&self, req: &Request) -> usize {
        self.candidates[req.city][0] as usize
    }

    #[inline]
    fn decide(&mut self, req: &Request, load: Load<'_>, _rng: &mut SimRng) -> Decision {
        let cands = &self.candidates[req.city];
        if self.threshold >= 1.0 {
            if let Some(&d) = cands.iter().find(|&&d| load.has_room(d as usize)) {
                return Decision::Serve(d as usize);
            }
        } else {
            // Prefer regions below the threshold, nearest first; above it, any room.
            let below = cands.iter().find(|&&d| {
                load.has_room(d as usize) && load.utilization(d as usize) < self.threshold
            });
            if let Some(&d) = below.or_else(|| cands.iter().find(|&&d| load.has_room(d as usize))) {
                return Decision::Serve(d as usize);
            }
        }
        match self.on_full {
            OnFull::Wait => Decision::Queue(cands[0] as usize),
            OnFull::Reject => Decision::Reject,
        }
    }
}
