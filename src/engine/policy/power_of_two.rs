//! Power-of-two-choices: sample two distinct regions among the k nearest and send
//! the user to the less utilised (the nearer on ties). The classic randomised
//! load balancer: nearly the balance of least-loaded with only two load probes,
//! which matters when load reports are stale or costly.

use rand::Rng;

use super::{by_rtt, first_live, when_full, Decision, Load, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, World};

/// Two random choices among each city's k nearest deployments.
#[derive(Debug, Clone)]
pub struct PowerOfTwo {
    candidates: Vec<Vec<u32>>,
    on_full: OnFull,
}

impl PowerOfTwo {
    /// Precompute each city's k nearest deployments.
    pub fn new(world: &World, deployments: &[usize], k: usize, on_full: OnFull) -> Self {
        let candidates = by_rtt(world, deployments)
            .into_iter()
            .map(|order| order.into_iter().take(k.max(1)).map(|(d, _)| d).collect())
            .collect();
        Self {
            candidates,
            on_full,
        }
    }
}

impl Policy for PowerOfTwo {
    #[inline]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        first_live(load, self.candidates[req.city].iter().copied()) as usize
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision {
        let cands = &self.candidates[req.city];
        let n = cands.len();
        let pick = if n == 1 {
            cands[0]
        } else {
            let i = rng.random_range(0..n);
            let mut j = rng.random_range(0..n - 1);
            if j >= i {
                j += 1;
            }
            let (a, b) = (cands[i.min(j)], cands[i.max(j)]); // a is the nearer
            let score = |d: u32| {
                if load.has_room(d as usize) {
                    load.utilization(d as usize)
                } else {
                    f64::INFINITY
                }
            };
            if score(b) < score(a) {
                b
            } else {
                a
            }
        };
        if load.has_room(pick as usize) {
            return Decision::Serve(pick as usize);
        }
        // Both probes were full: take the nearest with room rather than give up.
        match cands.iter().find(|&&d| load.has_room(d as usize)) {
            Some(&d) => Decision::Serve(d as usize),
            None => when_full(self.on_full, first_live(load, cands.iter().copied())),
        }
    }
}
