//! The engine's side of the timeline: executing each step (a deployment created,
//! ready, deleted, drained, down, back, resized) at its time, cutting or moving
//! a deployment's running sessions, and sending its queue back to the policy.
//!
//! Nothing here runs per session event: steps are a handful per run, and
//! cutting a deployment's sessions scans the event list once (it holds at most
//! one departure per running session).

use super::deployments::{Deployments, Phase};
use super::queue::{Kind, MainHeap};
use super::{Engine, Session, Tag};
use crate::engine::policy::Policy;
use crate::model::timeline::{Action, Failover, Step, TimelineEvent};
use crate::model::World;

/// Order of steps at the same instant: endings (back up, drain over) before
/// beginnings, so back-to-back outages or a step and its undoing at one time
/// act in the order a person reads them; then the scenario's order.
fn rank(a: &Action) -> u8 {
    match a {
        Action::Up { .. } | Action::DrainEnd { .. } => 0,
        Action::Create { .. } => 1,
        Action::Ready { .. } => 2,
        Action::Capacity { .. } | Action::Hourly { .. } => 3,
        Action::Delete { .. } => 4,
        Action::Down { .. } => 5,
    }
}

/// Every event's steps with their event index, in execution order.
pub(super) fn ordered_steps(world: &World) -> Vec<(u32, Step)> {
    let mut v: Vec<(u32, Step)> = world
        .timeline()
        .iter()
        .enumerate()
        .flat_map(|(e, ev)| ev.steps.iter().map(move |s| (e as u32, s.clone())))
        .filter(|(_, s)| s.at_s <= world.run().horizon_s)
        .collect();
    // Stable: equal (time, rank) keep the scenario's order.
    v.sort_by(|a, b| {
        a.1.at_s
            .total_cmp(&b.1.at_s)
            .then(rank(&a.1.action).cmp(&rank(&b.1.action)))
    });
    v
}

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Execute step `i`.
    pub(super) fn on_step(&mut self, i: usize) {
        let event = self.steps[i].0 as usize;
        let action = self.steps[i].1.action.clone();
        let d = action.deployment();
        match action {
            Action::Create { .. } => self.supply_changed(d, |x| x.set_phase(d, Phase::Live)),
            Action::Ready { .. } => {
                self.supply_changed(d, |x| x.set_ready(d));
                self.serve_waiting(d);
            }
            Action::Delete { .. } => {
                self.supply_changed(d, |x| x.set_phase(d, Phase::Deleted));
                self.requeue(d);
            }
            Action::DrainEnd { .. } => self.cut(d, event, Failover::Lose),
            Action::Down { failover, .. } => {
                self.supply_changed(d, |x| x.set_down(d, true));
                self.cut(d, event, failover);
                self.requeue(d);
            }
            Action::Up { .. } => {
                self.supply_changed(d, |x| x.set_down(d, false));
                self.serve_waiting(d);
            }
            Action::Capacity { capacity, .. } => {
                self.supply_changed(d, |x| x.set_in_force(d, capacity));
                self.serve_waiting(d);
            }
            Action::Hourly {
                hourly,
                utc_offset_h,
                ..
            } => {
                let (hour, next) = TimelineEvent::hour_of(self.now, utc_offset_h);
                self.supply_changed(d, |x| x.set_in_force(d, hourly[hour]));
                self.serve_waiting(d);
                if next <= self.world.run().horizon_s {
                    self.queue.push(next, Kind::Timeline, i as u32, 0);
                }
            }
        }
    }

    /// Apply a supply change to `d` and tell the statistics its (and its
    /// region's) new level and admission limit.
    pub(super) fn supply_changed(
        &mut self,
        d: usize,
        change: impl FnOnce(&mut Deployments) -> usize,
    ) {
        let r = change(&mut self.deps);
        let (level, limit) = self.deps.region_level(r);
        self.stats.level(r, self.now, level, limit);
        self.deployment_changed(d);
    }

    /// End every session running on `d` now: lost, or moved to another agent
    /// after the platform notices the failure. A user leaves at their own
    /// time, so a session whose end comes before the platform notices ends
    /// there (interrupted, not moved).
    fn cut(&mut self, d: usize, event: usize, failover: Failover) {
        let departures = self
            .queue
            .extract(|e| e.kind == Kind::Departure && e.a == d as u32);
        debug_assert_eq!(departures.len() as u32, self.deps.busy(d));
        let (t, r) = (self.now, self.deps.region(d));
        for e in &departures {
            let tag = Tag(e.b);
            let pop = self.city_pop[tag.city()] as usize;
            self.stats.hold_cut(e.time - t, tag.counted());
            match failover {
                Failover::Redispatch { detect_s } if e.time > t + detect_s => {
                    self.stats.redispatched(pop, r, event, t, tag.counted());
                    let s = self.moved_session(pop, tag, (r, event), e.time - t, detect_s);
                    let (slot, generation) = self.parked.insert(s, None);
                    self.queue
                        .push(t + detect_s, Kind::Failover, slot, generation);
                }
                _ => self.stats.interrupted(pop, r, event, t, tag.counted()),
            }
        }
        self.supply_changed(d, |x| x.release_many(d, departures.len() as u32));
    }

    /// A session whose agent failed at `now` (in `region`, by timeline
    /// `event`) with `remaining` seconds to run, dispatched again `detect_s`
    /// later: it asks for a new agent like a new user (fresh patience and
    /// delays from the timeline's own stream), its wait counts from the
    /// failure, and its user leaves at the original end, waiting no longer.
    fn moved_session(
        &mut self,
        pop: usize,
        tag: Tag,
        (region, event): (usize, usize),
        remaining: f64,
        detect_s: f64,
    ) -> Session {
        let super::Draws {
            patience,
            dispatch,
            startup,
            jitter_ms,
        } = super::draw_wait_and_delays(self.world, pop, &mut self.timeline_rng);
        let patience = patience.min(remaining - detect_s);
        Session {
            pop: pop as u32,
            city: tag.city() as u32,
            home_region: region as u32,
            attempt: 0,
            arrival: self.now,
            duration: remaining.max(0.0),
            patience,
            dispatch,
            startup,
            jitter_ms,
            counted: tag.counted(),
            cause: super::Cause::event(event),
        }
    }

    /// A moved session takes a slot of `d`: it holds it until its user's
    /// original end (or its new agent's join, if later). Apart from the
    /// sessions that were never moved, whose start is the hot path.
    #[cold]
    #[inline(never)]
    pub(super) fn start_moved(&mut self, s: Session, d: usize) {
        let hold = s.holding(self.now, s.dispatch + s.startup);
        self.start_slot::<true>(s, d, hold);
    }

    /// Dispatch the users waiting for `d` again through the policy (it no longer
    /// exists, or it is down), each keeping what is left of their patience.
    fn requeue(&mut self, d: usize) {
        for (slot, generation) in self.deps.take_queue(d) {
            if let Some((mut s, _)) = self.parked.take(slot, generation) {
                if s.patience.is_finite() {
                    s.patience = (s.arrival + s.patience - self.now).max(f64::MIN_POSITIVE);
                }
                self.dispatch(s);
            }
        }
    }
}
