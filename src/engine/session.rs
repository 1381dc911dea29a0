//! A session as the engine carries it, the draws that make one, and where it
//! is parked while it waits (in a queue, for a re-dispatch, or for a new agent
//! after a failure): slots reused through a free list, with generations so
//! that stale timers of a session that already left are recognised and ignored.

use super::rng::SimRng;
use crate::model::{Patience, World};

/// A session's draws besides its arrival, place and length, made in this
/// fixed order (the order is part of every seed's results).
#[derive(Debug, Clone, Copy)]
pub(super) struct Draws {
    /// Seconds the user will wait; 0 = none, infinity = unlimited.
    pub(super) patience: f64,
    /// Dispatch delay, seconds.
    pub(super) dispatch: f64,
    /// Agent start-up delay, seconds.
    pub(super) startup: f64,
    /// Media RTT jitter, ms.
    pub(super) jitter_ms: f64,
}

/// A user's patience, then dispatch and start-up delays and RTT jitter.
#[inline(always)]
pub(super) fn draw_wait_and_delays(world: &World, pop: usize, rng: &mut SimRng) -> Draws {
    let patience = match &world.populations()[pop].patience {
        Patience::None => 0.0,
        Patience::Unlimited => f64::INFINITY,
        Patience::Dist(d) => d.sample(rng),
    };
    let dispatch = world.delays().dispatch.sample(rng);
    let startup = world.delays().startup.sample(rng);
    let jitter_ms = world.delays().jitter.sample(rng) * 1000.0;
    Draws {
        patience,
        dispatch,
        startup,
        jitter_ms,
    }
}

/// Everything about one session, drawn at its arrival.
#[derive(Debug, Clone, Copy)]
pub(super) struct Session {
    pub(super) pop: u32,
    pub(super) city: u32,
    pub(super) home_region: u32,
    pub(super) attempt: u32,
    /// When it asked for an agent (for a moved session: its agent's failure).
    pub(super) arrival: f64,
    /// Its length once the agent joins (for a moved session: what was left
    /// of it at the failure, so its user leaves at `arrival + duration`).
    pub(super) duration: f64,
    /// Seconds the user will wait; 0 = none, infinity = unlimited.
    pub(super) patience: f64,
    pub(super) dispatch: f64,
    pub(super) startup: f64,
    pub(super) jitter_ms: f64,
    pub(super) counted: bool,
    /// For a session whose agent failed: the timeline event that caused it
    /// (its `home_region` then holds the failed region).
    pub(super) cause: Cause,
}

/// Why a session is looking for an agent: its arrival, or a timeline event
/// that took its agent down (a moved session). One word, as the session's
/// other indices; its own type so its "none" means only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cause(u32);

impl Cause {
    /// A session looking for its first agent.
    pub(super) const ARRIVAL: Cause = Cause(u32::MAX);

    /// Moved after timeline event `e` took its agent down.
    pub(super) fn event(e: usize) -> Self {
        debug_assert!(e < u32::MAX as usize);
        Cause(e as u32)
    }

    /// The event that moved it, if one did.
    #[inline(always)]
    pub(super) fn moved_by(self) -> Option<usize> {
        (self != Self::ARRIVAL).then_some(self.0 as usize)
    }

    /// Whether it was moved after a failure.
    #[inline(always)]
    pub(super) fn is_move(self) -> bool {
        self != Self::ARRIVAL
    }
}

impl Session {
    /// How long the session holds the place it takes at `t` when its agent
    /// joins `join` seconds later: the join, then its length. A moved session
    /// keeps its original end, since its user leaves at their own time: it
    /// holds the place until then, or until the agent joins if that is later
    /// (the agent starts, finds the user gone and ends).
    #[inline(always)]
    pub(super) fn holding(&self, t: f64, join: f64) -> f64 {
        if !self.cause.is_move() {
            join + self.duration
        } else {
            (self.arrival + self.duration - t).max(join)
        }
    }

    /// Whether the user of a moved session has left by `t` (its original end
    /// has come); if not, it waits for an agent no longer than until then.
    /// Always false for a session that has not been moved.
    pub(super) fn left_by(&mut self, t: f64) -> bool {
        if !self.cause.is_move() {
            return false;
        }
        let left = self.arrival + self.duration - t;
        self.patience = self.patience.min(left);
        left <= 0.0
    }
}

/// What a departure carries about its session: the city (which gives the
/// population, the RTTs and the candidates for a re-dispatch) and whether the
/// session counts in the statistics window, packed in one payload word.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tag(pub(super) u32);

impl Tag {
    const COUNTED: u32 = 1 << 31;

    pub(super) fn new(city: u32, counted: bool) -> Self {
        debug_assert!(city < Self::COUNTED);
        Self(city | if counted { Self::COUNTED } else { 0 })
    }

    #[inline]
    pub(super) fn counted(self) -> bool {
        self.0 & Self::COUNTED != 0
    }

    pub(super) fn city(self) -> usize {
        (self.0 & !Self::COUNTED) as usize
    }
}

/// A session parked while it waits in a queue or for a re-dispatch.
#[derive(Debug, Clone, Copy)]
struct Parked {
    pub(super) session: Session,
    /// The deployment whose queue holds it (none while awaiting re-dispatch).
    pub(super) deployment: Option<u32>,
    pub(super) generation: u32,
    pub(super) live: bool,
}

/// Slots for parked sessions, reused; generations invalidate stale events.
#[derive(Debug, Default)]
pub(super) struct Slab {
    slots: Vec<Parked>,
    pub(super) free: Vec<u32>,
}

impl Slab {
    pub(super) fn insert(&mut self, session: Session, deployment: Option<u32>) -> (u32, u32) {
        if let Some(i) = self.free.pop() {
            let p = &mut self.slots[i as usize];
            p.session = session;
            p.deployment = deployment;
            p.live = true;
            (i, p.generation)
        } else {
            self.slots.push(Parked {
                session,
                deployment,
                generation: 0,
                live: true,
            });
            ((self.slots.len() - 1) as u32, 0)
        }
    }

    /// Take the session out if (slot, generation) still names it.
    pub(super) fn take(&mut self, slot: u32, generation: u32) -> Option<(Session, Option<u32>)> {
        let p = self.slots.get_mut(slot as usize)?;
        if !p.live || p.generation != generation {
            return None;
        }
        p.live = false;
        p.generation = p.generation.wrapping_add(1);
        self.free.push(slot);
        Some((p.session, p.deployment))
    }

    pub(super) fn is_live(&self, slot: u32, generation: u32) -> bool {
        self.slots
            .get(slot as usize)
            .is_some_and(|p| p.live && p.generation == generation)
    }

    /// Sessions parked now that wait for their first agent (for export).
    pub(super) fn waiting_first(&self) -> impl Iterator<Item = &Session> + '_ {
        self.slots
            .iter()
            .filter(|p| p.live && !p.session.cause.is_move())
            .map(|p| &p.session)
    }

    /// Window sessions parked now: (waiting for their first agent, waiting for
    /// a new agent after a failure).
    pub(super) fn counted_parked(&self) -> (u64, u64) {
        let mut counts = (0, 0);
        for p in self.slots.iter().filter(|p| p.live && p.session.counted) {
            if !p.session.cause.is_move() {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        counts
    }
}
