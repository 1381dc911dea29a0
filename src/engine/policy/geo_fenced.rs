//! Geo-fenced dispatch: nearest dispatch with spill, but each population may only
//! use the regions its scenario lists (e.g. EU users stay in EU regions for data
//! residency). A fenced population never overflows outside its fence.

use super::{Decision, Load, Nearest, Policy, Request};
use crate::engine::rng::SimRng;
use crate::model::{OnFull, SpillRule, World};

/// Nearest dispatch within per-population allowed deployments.
#[derive(Debug, Clone)]
pub struct GeoFenced(Nearest);

impl GeoFenced {
    /// `allowed[p]`: the deployments population p may use.
    pub fn new(world: &World, allowed: &[Vec<usize>], spill: SpillRule, on_full: OnFull) -> Self {
        let mut pop_of_city = vec![0; world.cities().len()];
        for (p, pop) in world.populations().iter().enumerate() {
            for &c in &pop.cities {
                pop_of_city[c] = p;
            }
        }
        Self(Nearest::per_city(
            world,
            |c| &allowed[pop_of_city[c]],
            spill,
            on_full,
        ))
    }
}

impl Policy for GeoFenced {
    #[inline]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        self.0.home(req, load)
    }

    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision {
        self.0.decide(req, load, rng)
    }
}
