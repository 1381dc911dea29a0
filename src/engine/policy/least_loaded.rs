//! Least-loaded dispatch: among the regions within an RTT budget of the nearest,
//! the one with the lowest utilisation (nearest wins ties). Spreads load before
//! any region is full, trading a little RTT for headroom everywhere.

use super::{first_live, when_full, within_budget, Decision, Load, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, World};

/// Least utilisation within `max_extra_rtt_ms` of the nearest region.
#[derive(Debug, Clone)]
pub struct LeastLoaded {
    candidates: Vec<Vec<u32>>,
    on_full: OnFull,
}

impl LeastLoaded {
    /// Precompute each city's candidates within the budget, nearest first.
    pub fn new(
        world: &World,
        deployments: &[usize],
        max_extra_rtt_ms: f64,
        on_full: OnFull,
    ) -> Self {
        let candidates = (0..world.cities().len())
            .map(|c| within_budget(world, c, deployments, max_extra_rtt_ms))
            .collect();
        Self {
            candidates,
            on_full,
        }
    }
}

impl Policy for LeastLoaded {
    #[inline]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        first_live(load, self.candidates[req.city].iter().copied()) as usize
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, _rng: &mut SimRng) -> Decision {
        let cands = &self.candidates[req.city];
        let mut best: Option<(u32, f64)> = None;
        for &d in cands {
            if load.has_room(d as usize) {
                let u = load.utilization(d as usize);
                if best.is_none_or(|(_, bu)| u < bu) {
                    best = Some((d, u));
                }
            }
        }
        match best {
            Some((d, _)) => Decision::Serve(d as usize),
            None => when_full(self.on_full, first_live(load, cands.iter().copied())),
        }
    }
}
