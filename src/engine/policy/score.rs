//! Latency-plus-load score: send the user where media RTT + penalty x utilisation
//! is lowest. One knob trades latency against headroom: a penalty of 0 is nearest
//! dispatch, a large penalty approaches least-loaded.

use super::{by_rtt, first_live, when_full, Decision, Load, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, World};

/// Minimum of RTT + penalty x utilisation among deployments with room.
#[derive(Debug, Clone)]
pub struct Score {
    candidates: Vec<Vec<(u32, f64)>>,
    load_penalty_ms: f64,
    on_full: OnFull,
}

impl Score {
    /// Precompute each city's deployments with their RTTs.
    pub fn new(
        world: &World,
        deployments: &[usize],
        load_penalty_ms: f64,
        on_full: OnFull,
    ) -> Self {
        Self {
            candidates: by_rtt(world, deployments),
            load_penalty_ms,
            on_full,
        }
    }
}

impl Policy for Score {
    #[inline]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        first_live(load, self.candidates[req.city].iter().map(|c| c.0)) as usize
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, _rng: &mut SimRng) -> Decision {
        let cands = &self.candidates[req.city];
        let mut best: Option<(u32, f64)> = None;
        for &(d, rtt) in cands {
            if load.has_room(d as usize) {
                let s = rtt + self.load_penalty_ms * load.utilization(d as usize);
                if best.is_none_or(|(_, bs)| s < bs) {
                    best = Some((d, s));
                }
            }
        }
        match best {
            Some((d, _)) => Decision::Serve(d as usize),
            None => when_full(self.on_full, first_live(load, cands.iter().map(|c| c.0))),
        }
    }
}
