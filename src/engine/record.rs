//! Per-session records for export (`run --sessions`): what the engine knows
//! of a session once its fate is decided, handed to a [`SessionSink`] the
//! caller owns. The engine does no I/O: without a sink it records nothing
//! and pays one predictable branch per decided session.

use super::policy::Policy;
use super::queue::{MainHeap, QuadHeap, RadixHeap, RADIX_FROM};
use super::session::Session;
use super::{expected_pending, Engine, Progress};
use crate::model::{PolicySpec, World};
use crate::stats::RunStats;

/// How a session's first dispatch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Served in its home region.
    Home,
    /// Served in another region.
    Overflow,
    /// Found no agent and could not wait.
    Rejected,
    /// Gave up waiting.
    Abandoned,
    /// Still waiting (or awaiting a re-dispatch) at the horizon.
    Pending,
}

impl Outcome {
    /// The name export files use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Home => "served_home",
            Self::Overflow => "overflow",
            Self::Rejected => "rejected",
            Self::Abandoned => "abandoned",
            Self::Pending => "pending",
        }
    }
}

/// One session, as decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionRecord {
    /// Arrival, seconds from the run's start.
    pub arrival_s: f64,
    /// Population index.
    pub population: usize,
    /// City index (into the world's cities).
    pub city: usize,
    /// The region the policy tried first.
    pub home_region: usize,
    /// The region that served it, if any.
    pub region: Option<usize>,
    /// The deployment that served it, if any.
    pub deployment: Option<usize>,
    /// How it ended.
    pub outcome: Outcome,
    /// Seconds from arrival to its slot (or to giving up, or to the horizon).
    pub wait_s: f64,
    /// Join latency, ms (served sessions).
    pub join_ms: Option<f64>,
    /// Media RTT, ms (served sessions).
    pub rtt_ms: Option<f64>,
    /// The session's length, seconds (drawn even when it was not served).
    pub duration_s: f64,
}

/// Receives every session of one replication, in the order they are decided
/// (served, rejected or abandoned; those pending at the horizon last).
pub trait SessionSink {
    /// One session.
    fn record(&mut self, r: &SessionRecord);
}

/// [`simulate_with`], handing every session's record to `sink` (the engine
/// itself writes nothing).
pub fn simulate_recorded<P: Policy>(
    world: &World,
    policy: P,
    replication: u32,
    progress: &dyn Progress,
    sink: &mut dyn SessionSink,
) -> RunStats {
    if expected_pending(world) >= RADIX_FROM {
        let mut e = Engine::<P, RadixHeap>::new(world, policy, replication);
        e.sink = Some(sink);
        e.run_to_end(progress)
    } else {
        let mut e = Engine::<P, QuadHeap>::new(world, policy, replication);
        e.sink = Some(sink);
        e.run_to_end(progress)
    }
}

/// Collects records in memory (for tests and small runs).
impl SessionSink for Vec<SessionRecord> {
    fn record(&mut self, r: &SessionRecord) {
        self.push(*r);
    }
}

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Records of the sessions still waiting for their first agent.
    #[cold]
    #[inline(never)]
    pub(super) fn export_pending(&mut self) {
        let now = self.world.run().horizon_s.min(self.now.max(0.0));
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        for s in self.parked.waiting_first() {
            sink.record(&SessionRecord {
                arrival_s: s.arrival,
                population: s.pop as usize,
                city: s.city as usize,
                home_region: s.home_region as usize,
                region: None,
                deployment: None,
                outcome: Outcome::Pending,
                wait_s: now - s.arrival,
                join_ms: None,
                rtt_ms: None,
                duration_s: s.duration,
            });
        }
    }

    /// The record of a session served in region `r`.
    #[cold]
    #[inline(never)]
    pub(super) fn export_served(&mut self, s: &Session, r: usize, join_ms: f64) {
        let rtt_ms = self.world.cities()[s.city as usize].rtt_ms[r] + s.jitter_ms;
        let home = r as u32 == s.home_region;
        let outcome = if home {
            Outcome::Home
        } else {
            Outcome::Overflow
        };
        let d = self.served_deployment(s.pop as usize, r);
        self.export(s, outcome, Some((r, d, join_ms, rtt_ms)));
    }

    /// The deployment that served population `pop` in region `r`: the run's
    /// policy's deployment there (found here, off the hot path, rather than
    /// carried with every session). Every policy dispatches one agent per
    /// region to a population, except an explicit route listing two
    /// deployments of one region, whose first is named.
    fn served_deployment(&self, pop: usize, r: usize) -> Option<usize> {
        let w = self.world;
        let in_r = |d: &&usize| w.deployments()[**d].region == r;
        match &w.policy() {
            PolicySpec::Explicit { routes, .. } => routes[pop].chain.iter().find(in_r).copied(),
            PolicySpec::Nearest { deployments, .. }
            | PolicySpec::LeastLoaded { deployments, .. }
            | PolicySpec::PowerOfTwo { deployments, .. }
            | PolicySpec::Score { deployments, .. }
            | PolicySpec::GeoFenced { deployments, .. } => deployments.iter().find(in_r).copied(),
        }
    }

    /// The record of a session that found no agent.
    #[cold]
    #[inline(never)]
    pub(super) fn export_lost(&mut self, s: &Session, abandoned: bool) {
        let outcome = if abandoned {
            Outcome::Abandoned
        } else {
            Outcome::Rejected
        };
        self.export(s, outcome, None);
    }

    /// The record of a session that got its agent (deployment, `join_ms`,
    /// `rtt_ms`) or none (`outcome`).
    fn export(
        &mut self,
        s: &Session,
        outcome: Outcome,
        served: Option<(usize, Option<usize>, f64, f64)>,
    ) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        sink.record(&SessionRecord {
            arrival_s: s.arrival,
            population: s.pop as usize,
            city: s.city as usize,
            home_region: s.home_region as usize,
            region: served.map(|x| x.0),
            deployment: served.and_then(|x| x.1),
            outcome,
            wait_s: self.now - s.arrival,
            join_ms: served.map(|x| x.2),
            rtt_ms: served.map(|x| x.3),
            duration_s: s.duration,
        });
    }
}
