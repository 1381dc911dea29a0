//! Dispatch policies behind one trait. The engine asks a policy where a session
//! should go given the current load; a policy never touches engine state.
//! Add a research policy by writing a file here and a variant of [`AnyPolicy`].

mod explicit;
mod nearest;

pub use explicit::Explicit;
pub use nearest::Nearest;

use super::rng::SimRng;
use crate::model::{PolicySpec, World};

/// Read-only view of every deployment's occupancy.
#[derive(Clone, Copy)]
pub struct Load<'a> {
    /// Sessions holding a slot, per deployment.
    pub busy: &'a [u32],
    /// Current capacity, per deployment.
    pub capacity: &'a [u32],
}

impl Load<'_> {
    /// Whether deployment `d` can take one more session now.
    #[inline]
    pub fn has_room(&self, d: usize) -> bool {
        self.busy[d] < self.capacity[d]
    }

    /// Busy / capacity; a deployment with no capacity counts as fully used.
    #[inline]
    pub fn utilization(&self, d: usize) -> f64 {
        if self.capacity[d] == 0 {
            1.0
        } else {
            self.busy[d] as f64 / self.capacity[d] as f64
        }
    }
}

/// Who is asking for an agent.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// Population index.
    pub population: usize,
    /// City index (into `World::cities`).
    pub city: usize,
    /// 0 for the first dispatch, then 1, 2, ... for re-dispatches.
    pub attempt: u32,
}

/// Where a session goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Take a slot on this deployment now.
    Serve(usize),
    /// Wait in this deployment's queue (rejected if the user has no patience).
    Queue(usize),
    /// Try again after this many seconds.
    Retry(f64),
    /// Nowhere to go.
    Reject,
}

/// A dispatch policy.
pub trait Policy {
    /// The deployment this user would get if nothing were full: defines "home".
    fn home(&self, req: &Request) -> usize;
    /// Where the session goes now.
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision;
}

/// Every built-in policy, dispatched statically (no virtual call per event).
#[derive(Debug, Clone)]
pub enum AnyPolicy {
    /// Nearest region with spill.
    Nearest(Nearest),
    /// Application-pinned regions.
    Explicit(Explicit),
}

impl AnyPolicy {
    /// The policy a world's scenario asks for.
    pub fn from_world(world: &World) -> Self {
        match &world.policy {
            PolicySpec::Nearest {
                deployments,
                spill,
                on_full,
            } => Self::Nearest(Nearest::new(world, deployments, *spill, *on_full)),
            PolicySpec::Explicit {
                routes,
                redispatch_delay_s,
                on_full,
            } => Self::Explicit(Explicit::new(routes, *redispatch_delay_s, *on_full)),
        }
    }
}

impl Policy for AnyPolicy {
    #[inline]
    fn home(&self, req: &Request) -> usize {
        match self {
            Self::Nearest(p) => p.home(req),
            Self::Explicit(p) => p.home(req),
        }
    }

    #[inline]
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision {
        match self {
            Self::Nearest(p) => p.decide(req, load, rng),
            Self::Explicit(p) => p.decide(req, load, rng),
        }
    }
}
