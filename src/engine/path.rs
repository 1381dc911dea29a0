//! A session's path through the engine: its arrival (the population's next
//! one scheduled first, then this one's draws in their fixed order), its
//! dispatch under the policy (served, queued, retried or lost), its start on
//! a slot or a worker, and its departure; the statistics told at each step.
//! The hot path of every run: nothing here allocates once the event list
//! and the slab of parked sessions have grown to their peak.

use rand::Rng;

use super::arrivals::{next_arrival, push_arrival};
use super::policy::{Decision, Policy, Request};
use super::queue::{Kind, MainHeap};
use super::session::{draw_wait_and_delays, Cause, Draws, Session, Tag};
use super::Engine;
use crate::stats::Served;

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Population `p`'s first arrival after `after`.
    pub(super) fn schedule_arrival(&mut self, p: usize, after: f64) {
        let next = next_arrival(&self.world.populations()[p], &mut self.sources[p], after);
        push_arrival(&mut self.queue, self.world, p, next);
    }

    pub(super) fn on_arrival(&mut self, p: usize) {
        let t = self.now;
        let world = self.world;
        let pop = &world.populations()[p];
        // The population's next arrival first, then this session's draws from
        // the same source (one index for both).
        let src = &mut self.sources[p];
        push_arrival(&mut self.queue, world, p, next_arrival(pop, src, t));
        let rng = &mut src.attributes;
        // Fixed draw order: city, duration, patience, dispatch, start-up, jitter.
        let city = if pop.city_cdf.is_empty() {
            pop.cities[0]
        } else {
            let u: f64 = rng.random();
            pop.cities[pop
                .city_cdf
                .partition_point(|&c| c < u)
                .min(pop.cities.len() - 1)]
        };
        let duration = pop.session.sample(rng);
        let draws = draw_wait_and_delays(world, p, rng);
        self.arrive(p, city, duration, draws);
    }

    /// A user of population `p` at place `city` asks for an agent now, for a
    /// conversation of `duration` seconds: counted, given its home, dispatched.
    #[inline(always)]
    pub(super) fn arrive(&mut self, p: usize, city: usize, duration: f64, draws: Draws) {
        let t = self.now;
        let counted = t >= self.world.run().warmup_s;
        let req = Request {
            population: p,
            city,
            attempt: 0,
        };
        let home_region = self.deps.region(self.policy.home(&req, self.deps.load())) as u32;
        self.stats.arrival(p, t, counted);
        let Draws {
            patience,
            dispatch,
            startup,
            jitter_ms,
        } = draws;
        self.dispatch(Session {
            pop: p as u32,
            city: city as u32,
            home_region,
            attempt: 0,
            arrival: t,
            duration,
            patience,
            dispatch,
            startup,
            jitter_ms,
            counted,
            cause: Cause::ARRIVAL,
        });
    }

    pub(super) fn dispatch(&mut self, s: Session) {
        let req = Request {
            population: s.pop as usize,
            city: s.city as usize,
            attempt: s.attempt,
        };
        match self
            .policy
            .decide(&req, self.deps.load(), &mut self.policy_rng)
        {
            Decision::Serve(d) => self.start(s, d),
            Decision::Queue(d)
                if s.patience > 0.0 && self.deps.is_live(d) && !self.deps.queue_has_room(d) =>
            {
                self.stats.queue_full += u64::from(s.counted);
                self.lost(&s, false);
            }
            Decision::Queue(d) if s.patience > 0.0 && self.deps.is_live(d) => {
                let (slot, generation) = self.parked.insert(s, Some(d as u32));
                self.deps.enqueue(d, (slot, generation));
                if s.patience.is_finite() {
                    self.queue
                        .push(self.now + s.patience, Kind::Abandon, slot, generation);
                }
            }
            Decision::Retry(delay) => {
                let (slot, generation) = self.parked.insert(s, None);
                self.queue
                    .push(self.now + delay, Kind::Redispatch, slot, generation);
            }
            Decision::Queue(_) | Decision::Reject => self.lost(&s, false),
        }
    }

    /// A session found no agent: rejected, or gave up waiting (`abandoned`); one
    /// that had been served before a failure is interrupted instead. Out of
    /// line: the rarer path, kept out of `dispatch`'s inlined body.
    #[inline(never)]
    pub(super) fn lost(&mut self, s: &Session, abandoned: bool) {
        let (p, t) = (s.pop as usize, self.now);
        if let Some(e) = s.cause.moved_by() {
            let r = s.home_region as usize;
            self.stats.interrupted(p, r, e, t, s.counted);
        } else if abandoned {
            self.stats.abandoned(p, t, s.counted);
        } else {
            self.stats.rejected(p, t, s.counted);
        }
        if self.sink.is_some() && !s.cause.is_move() {
            self.export_lost(s, abandoned);
        }
    }

    pub(super) fn start(&mut self, s: Session, d: usize) {
        if self.workers.any {
            if let Some(p) = self.workers.pool(d) {
                return self.start_on_worker(s, d, p);
            }
        }
        if s.cause.is_move() {
            return self.start_moved(s, d);
        }
        self.start_slot::<false>(s, d, s.dispatch + s.startup + s.duration);
    }

    /// Give `s` a slot of `d` now, which it holds `hold` seconds (`MOVED`:
    /// `s` was moved after a failure).
    #[inline(always)]
    pub(super) fn start_slot<const MOVED: bool>(&mut self, s: Session, d: usize, hold: f64) {
        let t = self.now;
        let r = self.deps.admit(d);
        let (level, limit) = self.deps.region_level(r);
        self.stats.level(r, t, level, limit);
        self.deployment_changed(d);
        let wait = t - s.arrival;
        let tag = Tag::new(s.city, s.counted);
        self.queue.push(t + hold, Kind::Departure, d as u32, tag.0);
        let join_ms = (wait + s.dispatch + s.startup) * 1000.0;
        if MOVED {
            self.stats.rejoined(join_ms, hold, s.counted);
        } else {
            self.record_served(&s, r, wait, join_ms, hold);
        }
    }

    /// Tell the statistics `s`, never moved, got its agent in region `r`
    /// after waiting `wait` seconds, the agent joining `join_ms` after the
    /// request, and it holds its place `hold` seconds.
    #[inline(always)]
    pub(super) fn record_served(
        &mut self,
        s: &Session,
        r: usize,
        wait: f64,
        join_ms: f64,
        hold: f64,
    ) {
        if self.sink.is_some() {
            self.export_served(s, r, join_ms);
        }
        self.stats.served(&Served {
            pop: s.pop as usize,
            region: r,
            home_region: s.home_region as usize,
            home: r as u32 == s.home_region,
            t: self.now,
            rtt_ms: self.world.cities()[s.city as usize].rtt_ms[r] + s.jitter_ms,
            join_ms,
            wait_ms: wait * 1000.0,
            hold_s: hold,
            counted: s.counted,
        });
    }

    pub(super) fn on_departure(&mut self, d: usize, tag: u32) {
        self.stats.completed += u64::from(Tag(tag).counted());
        let t = self.now;
        let r = self.deps.release(d);
        let (level, limit) = self.deps.region_level(r);
        self.stats.level(r, t, level, limit);
        self.deployment_changed(d);
        if self.deps.has_waiting(d) {
            self.serve_waiting(d);
        }
    }

    /// Tell the statistics `d`'s level and limit, if deployments have lanes.
    #[inline]
    pub(super) fn deployment_changed(&mut self, d: usize) {
        if self.stats.layout.deployment_lanes > 0 {
            let (busy, limit) = (self.deps.busy(d), self.deps.limit(d));
            self.stats.deployment_level(d, self.now, busy, limit);
        }
    }
}
