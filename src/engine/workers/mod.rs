//! The worker layer inside deployments that run on workers: placing a job on
//! a worker (or waking one), the autoscaler, registration after a cold start,
//! and the end of a session on a worker (the periodic tick that samples and
//! reports load and runs the autoscaler is in `tick`). Slot deployments never
//! reach this code: the engine branches once per admission on whether any
//! pool exists.
//!
//! A deployment's admission limit stays the engine's one notion of room: a pool
//! sets it to at least one more than its sessions while some worker would take
//! a job, and to its sessions otherwise, so every policy, spill, queue and
//! rejection rule works unchanged.

mod meter;
mod pool;
mod procs;
mod rules;
mod tick;
mod ticks;

use super::queue::{Kind, MainHeap};
use super::rng::{stream, stream_key, Purpose, SimRng};
use super::session::{Session, Tag};
use super::Engine;
use crate::engine::policy::Policy;
use crate::model::World;
use crate::stats::WorkerStats;
use pool::{Pool, State};

/// Bits of a worker departure's first payload word that hold the deployment.
const DEP_BITS: u32 = 14;

// Every deployment and every worker a scenario may have fits its field.
const _: () = assert!(crate::scenario::limits::MAX_DEPLOYMENTS <= 1 << DEP_BITS);
const _: () = assert!(crate::model::workers::MAX_WORKERS as u64 <= 1 << (32 - DEP_BITS));

/// The session on worker `worker` of deployment `deployment` that a worker
/// departure ends, packed into the event's first payload word (the event
/// list carries two words, the second the session's tag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OnWorker(u32);

impl OnWorker {
    #[inline(always)]
    fn new(deployment: usize, worker: usize) -> Self {
        debug_assert!(deployment < 1 << DEP_BITS && worker < 1 << (32 - DEP_BITS));
        Self((worker as u32) << DEP_BITS | deployment as u32)
    }

    #[inline(always)]
    fn deployment(self) -> usize {
        (self.0 & ((1 << DEP_BITS) - 1)) as usize
    }

    #[inline(always)]
    fn worker(self) -> usize {
        (self.0 >> DEP_BITS) as usize
    }
}

/// Every pool of a run and their random stream.
#[derive(Debug)]
pub(super) struct Workers {
    /// Whether any deployment runs on workers (the one test the slot path pays).
    pub(super) any: bool,
    pools: Vec<Pool>,
    /// Pool index per deployment (None: it runs on slots).
    pool_of: Vec<Option<u32>>,
    rng: SimRng,
    /// Whether pools at rest skip their samples and reports (off only to
    /// check that skipping changes nothing).
    rest: bool,
    /// The instants of the pool ticks pending in the event list, the
    /// earliest last: one, but for a pool woken before the others' next
    /// instant. A tick is pushed only at or before the earliest pending one
    /// (the pools' next instants only move earlier but for the pools that
    /// tick), so this is a stack.
    ticks_pending: Vec<f64>,
}

impl Workers {
    /// No pool rests, and every pool's passes reach every worker index it
    /// ever held: the run without either skip, to check that they change
    /// nothing.
    pub(super) fn without_skips(&mut self) {
        self.rest = false;
        for pool in &mut self.pools {
            pool.pass_over_every_index();
        }
    }

    pub(super) fn new(world: &World, replication: u32) -> Self {
        let mut pool_of = vec![None; world.deployments().len()];
        let (mut pools, seed) = (Vec::new(), world.run().seed);
        for (d, dep) in world.deployments().iter().enumerate() {
            if let Some(spec) = &dep.workers {
                pool_of[d] = Some(pools.len() as u32);
                let noise = stream_key(seed, replication, Purpose::LoadNoise, d as u32);
                pools.push(Pool::new(d, spec.clone(), noise));
            }
        }
        Self {
            any: !pools.is_empty(),
            pools,
            pool_of,
            rng: stream(world.run().seed, replication, Purpose::Workers, 0),
            rest: true,
            ticks_pending: Vec::new(),
        }
    }

    /// The pool of deployment `d`, if it runs on workers.
    #[inline]
    pub(super) fn pool(&self, d: usize) -> Option<usize> {
        self.pool_of[d].map(|p| p as usize)
    }

    /// Empty statistics for every pool.
    pub(super) fn stats(&self, bins: usize) -> Vec<WorkerStats> {
        self.pools
            .iter()
            .map(|p| WorkerStats::new(p.d, bins))
            .collect()
    }
}

impl<P: Policy, H: MainHeap> Engine<'_, P, H> {
    /// Set every pool's admission limit and schedule the first tick.
    pub(super) fn start_workers(&mut self) {
        for p in 0..self.workers.pools.len() {
            self.refresh_pool(p, true);
        }
        self.schedule_tick();
    }

    /// The autoscaler of pool `p`: towards ceil(reported load / target).
    fn autoscale(&mut self, p: usize) {
        let t = self.now;
        let pool = &self.workers.pools[p];
        let Some(a) = &pool.spec.autoscale else {
            return;
        };
        let (total, n, busy) = pool.scaling_view();
        // An idle pool shuts down to its floor (scale to zero when idle).
        let want = if busy {
            a.desired(total, t)
        } else {
            a.floor_at(t)
        };
        let cooldown_s = a.cooldown_s;
        if t >= self.world.run().warmup_s {
            let s = &mut self.stats.workers[p];
            s.evaluations += 1;
            s.desired_sum += f64::from(want);
        }
        if want > n {
            for _ in n..want {
                self.provision(p, false);
            }
        } else if want < n && t - pool.last_change >= cooldown_s {
            let pool = &mut self.workers.pools[p];
            if pool.drain(n - want) > 0 {
                pool.last_change = t;
            }
        }
    }

    /// Start a new worker of pool `p` (a cold start); returns its index.
    fn provision(&mut self, p: usize, holds_jobs: bool) -> usize {
        let t = self.now;
        let rng = &mut self.workers.rng;
        let pool = &mut self.workers.pools[p];
        let delay = pool
            .spec
            .autoscale
            .as_ref()
            .map_or(0.0, |a| a.provisioning.sample(rng));
        let w = pool.add(State::Provisioning, t + delay, holds_jobs);
        let starts = pool.warm_up(w, rng);
        pool.last_change = t;
        self.queue
            .push(t + delay, Kind::WorkerReady, p as u32, w as u32);
        if t >= self.world.run().warmup_s {
            let s = &mut self.stats.workers[p];
            s.cold_starts += 1;
            s.process_starts += u64::from(starts);
        }
        w
    }

    /// Worker `w` of pool `p` registers.
    pub(super) fn on_worker_ready(&mut self, p: usize, w: usize) {
        self.wake(p);
        let load = self.workers.pools[p].register(w, self.now);
        if self.now >= self.world.run().warmup_s {
            let s = &mut self.stats.workers[p];
            s.peak_true_load = s.peak_true_load.max(load);
        }
        self.refresh_pool(p, true);
    }

    /// [`Self::update_pool`], then serve anyone waiting if there is room.
    fn refresh_pool(&mut self, p: usize, level: bool) {
        self.update_pool(p, level);
        let d = self.workers.pools[p].d;
        if self.deps.has_waiting(d) && self.deps.has_room(d) {
            self.serve_waiting(d);
        }
    }

    /// Integrate pool `p`'s level up to now (when `level`: workers or their
    /// sessions may have changed) and set its deployment's limit from its
    /// workers.
    fn update_pool(&mut self, p: usize, level: bool) {
        let (warmup, bin) = (self.world.run().warmup_s, self.world.run().bin_s);
        let pool = &mut self.workers.pools[p];
        // Integrated only when the level changes, so ticks that change
        // nothing leave the figures bit for bit as they were.
        let now = level.then(|| pool.level_now());
        if let Some(level) = now.filter(|l| *l != pool.level) {
            self.stats.workers[p].hold(pool.level_t, self.now, &pool.level, warmup, bin);
            pool.level = level;
            pool.level_t = self.now;
        }
        let d = pool.d;
        let limit = pool.limit(self.deps.busy(d));
        if limit != self.deps.limit(d) {
            self.supply_changed(d, |x| x.set_in_force(d, limit));
        }
    }

    /// Place `s` on a worker of pool `p` (deployment `d`), which has room.
    pub(super) fn start_on_worker(&mut self, s: Session, d: usize, p: usize) {
        let t = self.now;
        self.wake(p);
        let w = match self.workers.pools[p].pick(&mut self.workers.rng) {
            Some(w) => w,
            None => self.provision(p, true),
        };
        let pool = &mut self.workers.pools[p];
        let ready_at = pool.workers[w].ready_at;
        let cold = (ready_at - t).max(0.0);
        let load = pool.admit(w, t);
        let registered = pool.workers[w].state == State::Ready;
        let (process, starts) = pool.take_process(w, t + cold + s.dispatch, &mut self.workers.rng);
        let r = self.deps.admit(d);
        let wait = t - s.arrival;
        let hold = s.holding(t, cold + s.dispatch + process + s.startup);
        let tag = Tag::new(s.city, s.counted);
        let on = OnWorker::new(d, w);
        self.queue
            .push(t + hold, Kind::WorkerDeparture, on.0, tag.0);
        let join_s = wait + cold + s.dispatch + process + s.startup;
        if t >= self.world.run().warmup_s {
            let st = &mut self.stats.workers[p];
            st.process_starts += u64::from(starts);
            if registered {
                st.peak_true_load = st.peak_true_load.max(load);
            }
        }
        if s.counted {
            let th = self.workers.pools[p].spec.measure.threshold;
            let st = &mut self.stats.workers[p];
            st.jobs += 1;
            st.over_admitted +=
                u64::from(registered && load > th + crate::model::workers::LOAD_EPS);
            st.cold_start_jobs += u64::from(cold > 0.0);
            st.job_in_bin(t, self.world.run().bin_s, cold > 0.0);
            st.process_waits += u64::from(process > 0.0);
            st.dispatch_s += s.dispatch;
            st.process_s += process;
            st.cold_s += cold;
            st.join.record(join_s * 1000.0);
        }
        self.update_pool(p, true);
        let (level, limit) = self.deps.region_level(r);
        self.stats.level(r, t, level, limit);
        self.deployment_changed(d);
        self.record_start(&s, r, wait, join_s * 1000.0, hold);
    }

    /// Tell the statistics `s` got its agent on a worker in region `r` after
    /// waiting `wait` seconds, the agent joining `join_ms` after the request,
    /// and it holds its place `hold` seconds.
    #[inline]
    fn record_start(&mut self, s: &Session, r: usize, wait: f64, join_ms: f64, hold: f64) {
        if s.cause.is_move() {
            self.stats.rejoined(join_ms, hold, s.counted);
        } else {
            self.record_served(s, r, wait, join_ms, hold);
        }
    }

    /// A session on a worker ends.
    pub(super) fn on_worker_departure(&mut self, a: u32, tag: u32) {
        let on = OnWorker(a);
        let (d, w) = (on.deployment(), on.worker());
        let p = self
            .workers
            .pool(d)
            .expect("a worker departure names a pool");
        self.stats.completed += u64::from(Tag(tag).counted());
        let t = self.now;
        self.wake(p);
        self.workers.pools[p].release(w, t);
        let r = self.deps.release(d);
        let (level, limit) = self.deps.region_level(r);
        self.stats.level(r, t, level, limit);
        self.deployment_changed(d);
        self.refresh_pool(p, true);
    }

    /// Close every pool's integrals at the horizon.
    pub(super) fn finish_workers(&mut self) {
        let (h, warmup, bin) = (
            self.world.run().horizon_s,
            self.world.run().warmup_s,
            self.world.run().bin_s,
        );
        for p in 0..self.workers.pools.len() {
            if self.workers.pools[p].ticks.resting {
                self.catch_up(p, h);
            }
            let pool = &mut self.workers.pools[p];
            self.stats.workers[p].hold(pool.level_t, h, &pool.level, warmup, bin);
            pool.level_t = h;
        }
    }
}
