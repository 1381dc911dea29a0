//! One deployment's workers: their sessions, their load as measured (a moving
//! average of samples, each the time-average of the true load over a sample
//! interval) and as last reported, which of them would take a job (server
//! side on the stale report, worker side on its own fresher measurement), the
//! weighted pick, and each worker's warm pool of processes.
//!
//! Nothing here runs per session beyond the worker the session lands on, the
//! sum of the pool's true loads and the pick's weights: the pool keeps its
//! level's counts and which workers would take a job up to date as each
//! worker changes, so the admission limit is read, not recomputed. Load
//! samples and reports are taken at the pool's periodic tick, so the event
//! list holds one tick per pool whatever the traffic.

use rand::Rng;

use super::meter::Meter;
use super::procs::Procs;
use super::rules::Rules;
use super::ticks::Ticks;
use crate::engine::rng::SimRng;
use crate::model::workers::{WorkerSpec, LOAD_EPS};
use crate::stats::WorkerLevel;

/// Where a worker stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::engine) enum State {
    /// Being provisioned (cold start); registers at `ready_at`.
    Provisioning,
    /// Registered and taking jobs.
    Ready,
    /// Scaled down: takes no job, leaves when its last session ends.
    Draining,
    /// Gone; its index may be reused.
    Gone,
}

/// One worker's life and sessions (its load measurement is in the pool's [`Meter`]).
#[derive(Debug, Clone)]
pub(in crate::engine) struct Worker {
    pub(in crate::engine) state: State,
    /// Woken from zero for a job: takes jobs while it starts (the platform
    /// holds them until the agent is up).
    pub(in crate::engine) holds_jobs: bool,
    pub(in crate::engine) ready_at: f64,
    pub(in crate::engine) sessions: u32,
    /// The warm pool of job processes.
    procs: Procs,
}

/// A deployment's workers and their rules.
#[derive(Debug, Clone)]
pub(in crate::engine) struct Pool {
    /// The deployment.
    pub(in crate::engine) d: usize,
    pub(in crate::engine) spec: WorkerSpec,
    /// Sessions per worker at the threshold with exact load.
    k: u32,
    pub(in crate::engine) workers: Vec<Worker>,
    /// Each worker's load measurement and whether it would take a job.
    meter: Meter,
    /// The level's counts now (its `true_load` is summed when read).
    counts: WorkerLevel,
    /// Workers taking jobs: ready, or provisioning and holding jobs.
    nominal: u32,
    /// Last time the autoscaler added or drained workers.
    pub(in crate::engine) last_change: f64,
    /// When the pool's sample, report and evaluation fall due.
    pub(in crate::engine) ticks: Ticks,
    /// The last time a worker's sessions or registration changed.
    quiet_since: f64,
    /// The level last given to the statistics, and since when.
    pub(in crate::engine) level: WorkerLevel,
    pub(in crate::engine) level_t: f64,
}

impl Pool {
    /// Deployment `d`'s pool at time 0: its initial workers registered, warm;
    /// its load noise drawn from the counter-based stream `noise_key`.
    pub(in crate::engine) fn new(d: usize, spec: WorkerSpec, noise_key: u64) -> Self {
        let mut p = Self {
            d,
            k: spec.sessions_at_threshold(),
            workers: Vec::new(),
            meter: Meter::new(Rules::new(&spec), spec.measure.window, noise_key),
            counts: WorkerLevel::default(),
            nominal: 0,
            last_change: 0.0,
            ticks: Ticks::new(&spec),
            quiet_since: 0.0,
            level: WorkerLevel::default(),
            level_t: 0.0,
            spec,
        };
        p.meter.make_room(p.spec.initial() as usize);
        for _ in 0..p.spec.initial() {
            let w = p.add(State::Ready, 0.0, false);
            p.workers[w].procs = Procs::warm(p.spec.idle_processes);
        }
        p.level = p.level_now();
        p
    }

    /// A new worker in `state`, registering at `ready_at`; returns its index
    /// (a gone worker's index is reused).
    pub(in crate::engine) fn add(
        &mut self,
        state: State,
        ready_at: f64,
        holds_jobs: bool,
    ) -> usize {
        let w = Worker {
            state,
            holds_jobs,
            ready_at,
            sessions: 0,
            procs: Procs::default(),
        };
        // Only a pool with a gone worker has an index to reuse: the scan
        // for one is skipped otherwise (a pool of a hundred thousand
        // workers is built without scanning the ones before each).
        let gone = (self.counts.workers as usize) < self.workers.len();
        let reuse = gone.then(|| self.workers.iter().position(|w| w.state == State::Gone));
        let i = match reuse.flatten() {
            Some(i) => {
                // A gone worker counts for nothing: no `leave` first.
                self.workers[i] = w;
                i
            }
            None => {
                self.workers.push(w);
                self.workers.len() - 1
            }
        };
        self.meter.reset(i, ready_at);
        self.enter(i);
        i
    }

    /// A cold worker starts its idle processes when it registers; returns how many.
    pub(in crate::engine) fn warm_up(&mut self, w: usize, rng: &mut SimRng) -> u32 {
        let n = self.spec.idle_processes;
        let ready_at = self.workers[w].ready_at;
        self.workers[w].procs = Procs::cold(ready_at, n, &self.spec.process_start, rng);
        n
    }

    /// Take worker `i` out of the pool's counts before it changes.
    fn leave(&mut self, i: usize) {
        let (w, c) = (&self.workers[i], &mut self.counts);
        c.workers -= u32::from(w.state != State::Gone);
        self.nominal -= u32::from(nominal(w));
        if self.meter.registered(i) {
            c.ready -= 1;
            c.sessions -= w.sessions;
            c.overloaded -= overloaded(self.meter.load(i), w.sessions);
        }
    }

    /// Put worker `i` back into the pool's counts after it changed, and
    /// decide afresh whether it would take a job.
    fn enter(&mut self, i: usize) {
        let (w, c) = (&self.workers[i], &mut self.counts);
        let reg = matches!(w.state, State::Ready | State::Draining);
        let load = self.spec.load_at(w.sessions);
        self.meter.set(i, reg, w.state == State::Ready, load);
        c.workers += u32::from(w.state != State::Gone);
        self.nominal += u32::from(nominal(w));
        if reg {
            c.ready += 1;
            c.sessions += w.sessions;
            c.overloaded += overloaded(load, w.sessions);
        }
        let hi = self.extent_after(i);
        self.meter.set_extent(hi);
        self.meter.set_held(i, self.held(i));
    }

    /// One past the highest index holding a worker, once worker `i` has
    /// changed: only a worker gone from the top lowers it, down to the next
    /// worker below.
    fn extent_after(&self, i: usize) -> usize {
        let hi = self.meter.extent();
        if self.workers[i].state != State::Gone {
            hi.max(i + 1)
        } else if i + 1 == hi {
            let live = |w: &Worker| w.state != State::Gone;
            self.workers[..i]
                .iter()
                .rposition(live)
                .map_or(0, |k| k + 1)
        } else {
            hi
        }
    }

    /// Whether worker `i` is provisioning and holding jobs with room for one more.
    fn held(&self, i: usize) -> bool {
        let (w, th) = (&self.workers[i], self.spec.measure.threshold);
        w.state == State::Provisioning
            && w.holds_jobs
            && self.spec.load_at(w.sessions + 1) <= th + LOAD_EPS
    }

    /// One session more (`up`) or fewer on `w` at `t` with its state
    /// unchanged: the counts move by that worker's change alone (what
    /// [`Self::change`] would do, without recounting the worker).
    fn step(&mut self, w: usize, t: f64, up: bool) {
        self.quiet_since = t;
        self.meter.touch(w, t);
        let x = &mut self.workers[w];
        let before = x.sessions;
        x.sessions = if up { before + 1 } else { before - 1 };
        let (after, ready) = (x.sessions, x.state == State::Ready);
        let (old, load) = (self.meter.load(w), self.spec.load_at(after));
        let reg = self.meter.registered(w);
        if reg {
            let c = &mut self.counts;
            c.sessions = c.sessions - before + after;
            c.overloaded = c.overloaded - overloaded(old, before) + overloaded(load, after);
        }
        self.meter.set_load(w, ready, load);
        if up {
            self.meter.reserve(w);
        }
        self.meter.set_held(w, self.held(w));
    }

    /// What the deployment may hold now with `busy` sessions: at least one more
    /// while some worker would take a job (the nominal `k` per worker beyond
    /// that, so utilisation reads against the threshold), else exactly `busy`.
    pub(in crate::engine) fn limit(&self, busy: u32) -> u32 {
        // A scale-to-zero pool with no worker: a job wakes one.
        let wakeable = self.spec.autoscale.is_some() && self.counts.workers == 0;
        if wakeable || self.meter.takers > 0 {
            (busy + 1).max(self.nominal.saturating_mul(self.k))
        } else {
            busy
        }
    }

    /// The worker a job goes to: random among eligible workers, weighted by
    /// max(0, 1 - reported load); None when none is (the caller wakes one).
    pub(in crate::engine) fn pick(&mut self, rng: &mut SimRng) -> Option<usize> {
        self.meter.pick(rng.random::<f64>())
    }

    /// Change worker `i` by `f`, keeping the pool's counts.
    fn change(&mut self, i: usize, f: impl FnOnce(&mut Worker, &mut Meter)) {
        self.leave(i);
        f(&mut self.workers[i], &mut self.meter);
        self.enter(i);
    }

    /// One more session on `w` at `t`; returns the worker's true load after it.
    pub(in crate::engine) fn admit(&mut self, w: usize, t: f64) -> f64 {
        self.step(w, t, true);
        self.meter.load(w)
    }

    /// One session fewer on `w` at `t`; a draining worker with none left goes.
    pub(in crate::engine) fn release(&mut self, w: usize, t: f64) {
        let x = &self.workers[w];
        if x.sessions > 1 || x.state != State::Draining {
            return self.step(w, t, false);
        }
        self.quiet_since = t;
        self.meter.touch(w, t);
        self.change(w, |x, _| {
            x.sessions -= 1;
            x.state = State::Gone;
        });
    }

    /// `w` registers at `t`: the jobs it holds are not measured yet.
    pub(in crate::engine) fn register(&mut self, w: usize, t: f64) -> f64 {
        self.quiet_since = t;
        self.change(w, |x, m| {
            x.state = State::Ready;
            m.register(w, t, x.sessions);
        });
        self.meter.load(w)
    }

    /// A process for a job reaching `w` at `t`: returns the wait for it and
    /// the processes started.
    pub(in crate::engine) fn take_process(
        &mut self,
        w: usize,
        t: f64,
        rng: &mut SimRng,
    ) -> (f64, u32) {
        let (target, start) = (self.spec.idle_processes, &self.spec.process_start);
        self.workers[w].procs.take(t, target, start, rng)
    }

    /// Take the load sample due at `t` for every registered worker (then
    /// [`Self::measured_afresh`]).
    pub(in crate::engine) fn sample(&mut self, t: f64) {
        let how = (self.spec.measure.sample_interval_s, self.spec.load.noise);
        self.meter.sample(t, self.ticks.last_sample(), how);
    }

    /// Every registered worker reports its measurement; calls `seen` with
    /// each load (then [`Self::measured_afresh`]).
    pub(in crate::engine) fn report(&mut self, seen: impl FnMut(f64)) {
        self.meter.report(seen);
    }

    /// Passes over every worker index the pool ever held, gone or not (see
    /// [`crate::engine::simulate_without_skips`]).
    pub(in crate::engine) fn pass_over_every_index(&mut self) {
        self.meter.every_index = true;
    }

    /// After a tick's samples and reports: whether each worker would take a
    /// job, decided afresh.
    pub(in crate::engine) fn measured_afresh(&mut self) {
        self.meter.refresh_takes();
    }

    /// Whether the pool may rest at `t`: quiet for long enough, no worker
    /// provisioning, and every figure its next sample or report would take
    /// already held.
    #[inline]
    pub(in crate::engine) fn can_rest(&self, t: f64) -> bool {
        let provisioning = self.counts.workers - self.counts.ready;
        t - self.quiet_since >= self.ticks.settle_s
            && provisioning == 0
            && self.meter.at_rest(self.spec.load.noise)
    }

    /// `count` samples skipped at rest, the last at `t`.
    pub(in crate::engine) fn skip_samples(&mut self, count: u64, t: f64) {
        self.meter.skip_samples(count, t);
    }

    /// What the autoscaler sees: the total reported load of registered
    /// workers (draining ones too: their sessions are load), the count it
    /// scales (provisioning and ready workers), and whether any session runs.
    pub(in crate::engine) fn scaling_view(&self) -> (f64, u32, bool) {
        let mut total = 0.0;
        let mut n = 0;
        let mut busy = false;
        for (i, w) in self.workers.iter().enumerate() {
            busy |= w.sessions > 0;
            match w.state {
                State::Ready => {
                    total += self.meter.reported(i);
                    n += 1;
                }
                State::Draining => total += self.meter.reported(i),
                State::Provisioning => n += 1,
                State::Gone => {}
            }
        }
        (total, n, busy)
    }

    /// Drain `n` ready workers, those with fewest sessions first (ties: the
    /// highest index); returns how many it drained.
    pub(in crate::engine) fn drain(&mut self, n: u32) -> u32 {
        let mut ready: Vec<usize> = (0..self.workers.len())
            .filter(|&i| self.workers[i].state == State::Ready)
            .collect();
        ready.sort_by_key(|&i| (self.workers[i].sessions, std::cmp::Reverse(i)));
        ready.truncate(n as usize);
        for &i in &ready {
            self.change(i, |x, _| {
                x.state = if x.sessions == 0 {
                    State::Gone
                } else {
                    State::Draining
                };
            });
        }
        ready.len() as u32
    }

    /// The level to integrate from now on: the counts kept, and the true
    /// loads of registered workers summed in index order.
    pub(in crate::engine) fn level_now(&self) -> WorkerLevel {
        WorkerLevel {
            true_load: self.meter.true_load(),
            ..self.counts
        }
    }
}

/// The sessions counted as overloaded on a registered worker at `load`.
fn overloaded(load: f64, sessions: u32) -> u32 {
    if load > 1.0 + LOAD_EPS {
        sessions
    } else {
        0
    }
}

/// Whether `w` counts towards the pool's nominal capacity.
fn nominal(w: &Worker) -> bool {
    w.state == State::Ready || (w.holds_jobs && w.state == State::Provisioning)
}
