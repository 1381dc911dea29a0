//! Dispatch policies behind one trait. The engine asks a policy where a session
//! should go given the current load; a policy never touches engine state.
//! Add a research policy by writing a file here and a variant of [`AnyPolicy`].

mod explicit;
mod geo_fenced;
mod least_loaded;
mod nearest;
mod power_of_two;
mod score;

pub use explicit::Explicit;
pub use geo_fenced::GeoFenced;
pub use least_loaded::LeastLoaded;
pub use nearest::Nearest;
pub use power_of_two::PowerOfTwo;
pub use score::Score;

use super::rng::SimRng;
use crate::model::{OnFull, PolicySpec, World};

/// Read-only view of every deployment's occupancy and supply.
#[derive(Clone, Copy)]
pub struct Load<'a> {
    /// Sessions holding a slot, per deployment.
    pub busy: &'a [u32],
    /// Each deployment's admission limit: what it may hold now (its capacity
    /// in force while it accepts users, 0 while it starts up, is down or has
    /// been deleted).
    pub limit: &'a [u32],
    /// Whether each deployment exists (created and not deleted): only these can
    /// be a user's home or hold a queue.
    pub live: &'a [bool],
}

impl Load<'_> {
    /// Whether deployment `d` exists now (it may still be starting or down).
    #[inline]
    pub fn is_live(&self, d: usize) -> bool {
        self.live[d]
    }

    /// Whether deployment `d` can take one more session now.
    #[inline]
    pub fn has_room(&self, d: usize) -> bool {
        self.busy[d] < self.limit[d]
    }

    /// Busy / capacity; a deployment with no capacity counts as fully used.
    #[inline]
    pub fn utilization(&self, d: usize) -> f64 {
        if self.limit[d] == 0 {
            1.0
        } else {
            self.busy[d] as f64 / self.limit[d] as f64
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
    /// Deployments that do not exist now (not created yet, or deleted) are no
    /// one's home; one that is starting up or down still is.
    fn home(&self, req: &Request, load: Load<'_>) -> usize;
    /// Where the session goes now.
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision;
}

/// The given deployments ordered by media RTT from `city`, nearest first (stable,
/// so equal RTTs keep scenario order), each with its RTT in ms.
pub fn city_order(world: &World, city: usize, deployments: &[usize]) -> Vec<(u32, f64)> {
    let rtt = &world.cities()[city].rtt_ms;
    let mut v: Vec<(u32, f64)> = deployments
        .iter()
        .map(|&d| (d as u32, rtt[world.deployments()[d].region]))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

/// The deployments of `city_order` no more than `max_extra_rtt_ms` beyond the
/// nearest, nearest first: the candidates of the budgeted policies.
pub fn within_budget(
    world: &World,
    city: usize,
    deployments: &[usize],
    max_extra_rtt_ms: f64,
) -> Vec<u32> {
    let order = city_order(world, city, deployments);
    let home = order[0].1;
    order
        .into_iter()
        .filter(|(_, rtt)| rtt - home <= max_extra_rtt_ms)
        .map(|(d, _)| d)
        .collect()
}

/// [`city_order`] for every city.
pub fn by_rtt(world: &World, deployments: &[usize]) -> Vec<Vec<(u32, f64)>> {
    (0..world.cities().len())
        .map(|c| city_order(world, c, deployments))
        .collect()
}

/// Every built-in policy, dispatched statically (no virtual call per event).
#[derive(Debug, Clone)]
pub enum AnyPolicy {
    /// Nearest region with spill.
    Nearest(Nearest),
    /// Application-pinned regions.
    Explicit(Explicit),
    /// Least utilised within an RTT budget.
    LeastLoaded(LeastLoaded),
    /// Power of two choices among the k nearest.
    PowerOfTwo(PowerOfTwo),
    /// RTT plus load penalty.
    Score(Score),
    /// Nearest within allowed regions.
    GeoFenced(GeoFenced),
}

macro_rules! each {
    ($self:ident, $p:ident => $e:expr) => {
        match $self {
            AnyPolicy::Nearest($p) => $e,
            AnyPolicy::Explicit($p) => $e,
            AnyPolicy::LeastLoaded($p) => $e,
            AnyPolicy::PowerOfTwo($p) => $e,
            AnyPolicy::Score($p) => $e,
            AnyPolicy::GeoFenced($p) => $e,
        }
    };
}

impl AnyPolicy {
    /// The policy a world's scenario asks for.
    pub fn from_world(world: &World) -> Self {
        Self::from_spec(world, world.policy())
    }

    /// A policy for `world` from any spec (the main one or an alternative).
    pub fn from_spec(world: &World, spec: &PolicySpec) -> Self {
        match spec {
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
            PolicySpec::LeastLoaded {
                deployments,
                max_extra_rtt_ms,
                on_full,
            } => Self::LeastLoaded(LeastLoaded::new(
                world,
                deployments,
                *max_extra_rtt_ms,
                *on_full,
            )),
            PolicySpec::PowerOfTwo {
                deployments,
                k,
                on_full,
            } => Self::PowerOfTwo(PowerOfTwo::new(world, deployments, *k, *on_full)),
            PolicySpec::Score {
                deployments,
                load_penalty_ms,
                on_full,
            } => Self::Score(Score::new(world, deployments, *load_penalty_ms, *on_full)),
            PolicySpec::GeoFenced {
                allowed,
                spill,
                on_full,
                ..
            } => Self::GeoFenced(GeoFenced::new(world, allowed, *spill, *on_full)),
        }
    }
}

impl Policy for AnyPolicy {
    #[inline(always)]
    fn home(&self, req: &Request, load: Load<'_>) -> usize {
        each!(self, p => p.home(req, load))
    }

    // Forced: the engine is compiled once per event-list heap, and with two
    // callers LLVM would call this out of line on every dispatch.
    #[inline(always)]
    fn decide(&mut self, req: &Request, load: Load<'_>, rng: &mut SimRng) -> Decision {
        each!(self, p => p.decide(req, load, rng))
    }
}

/// The first of `candidates` (in preference order) that exists now; the first
/// of all if none does (a queue there is then refused by the engine).
#[inline]
pub(crate) fn first_live(load: Load<'_>, mut candidates: impl Iterator<Item = u32> + Clone) -> u32 {
    let first = candidates.clone().next().expect("at least one candidate");
    candidates
        .find(|&d| load.is_live(d as usize))
        .unwrap_or(first)
}

/// What a policy does when no allowed deployment has room.
#[inline]
pub(crate) fn when_full(on_full: OnFull, home: u32) -> Decision {
    match on_full {
        OnFull::Wait => Decision::Queue(home as usize),
        OnFull::Reject => Decision::Reject,
    }
}
