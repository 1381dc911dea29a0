//! The pools' periodic tick, engine side: one event per instant at which some
//! pool's sample, report or evaluation falls due, running every pool due then
//! in pool order (so pools that tick together always do so in that order,
//! whichever of them rested), and pools at rest: a pool whose next sample and
//! report would change nothing stops ticking, and whatever next reaches it
//! first takes the ticks it skipped, in order. Every figure is then the one of
//! pools that never rest; only the count of events is lower.

use super::ticks::{EVAL, REPORT, SAMPLE};
use crate::engine::policy::Policy;
use crate::engine::queue::{Kind, MainHeap};
use crate::engine::Engine;

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Push a tick at the earliest instant a pool's duty falls due, unless
    /// one is pending then (none beyond the horizon).
    pub(super) fn schedule_tick(&mut self) {
        let next = self.workers.pools.iter().filter_map(|p| p.ticks.next_at());
        let t = next.fold(f64::INFINITY, f64::min);
        let pending = &mut self.workers.ticks_pending;
        if t <= self.world.run().horizon_s && pending.last() != Some(&t) {
            debug_assert!(pending.last().is_none_or(|&x| t < x));
            pending.push(t);
            self.queue.push(t, Kind::WorkerTick, 0, 0);
        }
    }

    /// The tick at `now`: every pool with a duty due runs it, in pool order
    /// (one event for all pools, so pools that tick together always do so
    /// in that order, whichever of them rested); then the next tick.
    pub(in crate::engine) fn on_worker_tick(&mut self) {
        let t = self.now;
        let popped = self.workers.ticks_pending.pop();
        debug_assert_eq!(popped, Some(t), "the earliest pending tick");
        for p in 0..self.workers.pools.len() {
            if self.workers.pools[p].ticks.next_at() == Some(t) {
                self.pool_tick(p, t);
            }
        }
        self.schedule_tick();
    }

    /// Pool `p`'s duties due at `t`, then its new limit; then whether it may rest.
    fn pool_tick(&mut self, p: usize, t: f64) {
        if self.workers.pools[p].ticks.resting {
            self.catch_up(p, t);
        }
        let due = self.workers.pools[p].ticks.take_due(t);
        if due[SAMPLE] {
            self.workers.pools[p].sample(t);
        }
        if due[REPORT] {
            let (warmup, bin) = (self.world.run().warmup_s, self.world.run().bin_s);
            let mut reports = self.stats.workers[p].reports_at(t, warmup, bin);
            self.workers.pools[p].report(|load| reports.add(load));
        }
        if due[SAMPLE] || due[REPORT] {
            self.workers.pools[p].measured_afresh();
        }
        if due[EVAL] {
            self.autoscale(p);
        }
        // Samples and reports change no worker's state or sessions, so the
        // level to integrate stays as it was unless the autoscaler ran.
        self.refresh_pool(p, due[EVAL]);
        let pool = &mut self.workers.pools[p];
        pool.ticks.resting = self.workers.rest && pool.can_rest(t);
    }

    /// Pool `p` at rest until `t`: the samples and reports it skipped up to
    /// and including `t` taken as they would have been (the samples change
    /// nothing but the ring's position; the reports go to the statistics in
    /// order), and it no longer rests.
    pub(super) fn catch_up(&mut self, p: usize, t: f64) {
        let (warmup, bin) = (self.world.run().warmup_s, self.world.run().bin_s);
        let pool = &mut self.workers.pools[p];
        pool.ticks.resting = false;
        let (samples, last, reports) = pool.ticks.skip_to(t);
        if samples > 0 {
            pool.skip_samples(samples, last);
        }
        let stats = &mut self.stats.workers[p];
        for k in reports {
            let mut seen = stats.reports_at(pool.ticks.report_at(k), warmup, bin);
            pool.report(|load| seen.add(load));
        }
    }

    /// Something in pool `p` is about to change: if it rests, it catches up
    /// to now (a tick due now counts as taken before the change) and its
    /// ticks resume.
    #[inline]
    pub(super) fn wake(&mut self, p: usize) {
        if self.workers.pools[p].ticks.resting {
            self.catch_up(p, self.now);
            self.schedule_tick();
        }
    }
}
