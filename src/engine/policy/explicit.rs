//! Explicit dispatch: the application pins each population to an agent name (so
//! to one region). No automatic overflow: a full region queues or fails, and the
//! application may re-dispatch to its fallback names, paying a delay each time.

use super::{Decision, Load, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, Route};

/// Routing table and full-region behaviour.
#[derive(Debug, Clone)]
pub struct Explicit {
    chains: Vec<Vec<u32>>,
    redispatch_delay_s: f64,
    on_full: OnFull,
}

impl Explicit {
    /// From validated routes (one per population).
    pub fn new(routes: &[Route], redispatch_delay_s: f64, on_full: OnFull) -> Self {
        let chains = routes
            .iter()
            .map(|r| r.chain.iter().map(|&d| d as u32).collect())
            .collect();
        Self {
            chains,
            redispatch_delay_s,
            on_full,
        }
    }
}

impl Policy for Explicit {
    #[inline]
    fn home(&self, req: &Request, _load: Load<'_>) -> usize {
        self.chains[req.population][0] as usize
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, _rng: &mut SimRng) -> Decision {
        let chain = &self.chains[req.population];
        let d = chain[(req.attempt as usize).min(chain.len() - 1)] as usize;
        if load.has_room(d) {
            Decision::Serve(d)
        } else if self.on_full == OnFull::Wait {
            Decision::Queue(d)
        } else if (req.attempt as usize) + 1 < chain.len() {
            Decision::Retry(self.redispatch_delay_s)
        } else {
            Decision::Reject
        }
    }
}
