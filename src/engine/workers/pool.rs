//! One deployment's workers: their sessions, their load as measured (a moving
//! average of samples, each the time-average of the true load over a sample
//! interval) and as last reported, which of them would take a job (server
//! side on the stale report, worker side on its own fresher measurement), the
//! weighted pick, and each worker's warm pool of processes.
//!
//! Nothing here runs per session beyond the worker the session lands on and
//! one pass over the deployment's workers (a few dozen) to decide whether it
//! still has room: load samples and reports are taken at the pool's periodic
//! tick, so the event list holds one tick per pool whatever the traffic.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::procs::Procs;
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

/// One worker.
#[derive(Debug, Clone)]
pub(in crate::engine) struct Worker {
    pub(in crate::engine) state: State,
    /// Woken from zero for a job: takes jobs while it starts (the platform
    /// holds them until the agent is up).
    pub(in crate::engine) holds_jobs: bool,
    pub(in crate::engine) ready_at: f64,
    pub(in crate::engine) sessions: u32,
    /// Integral of true load since the last sample tick, and when it was last brought up to date.
    area: f64,
    last_t: f64,
    /// The last `window` samples (a ring), their sum and how many are filled.
    samples: Vec<f64>,
    head: usize,
    filled: usize,
    sum: f64,
    measured: f64,
    reported: f64,
    /// Jobs taken since the last sample (not yet in any sample).
    reserved: u32,
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
    /// Workers that exist (provisioning, ready or draining).
    alive: u32,
    /// Workers taking jobs: ready, or provisioning and holding jobs.
    nominal: u32,
    /// Last time the autoscaler added or drained workers.
    pub(in crate::engine) last_change: f64,
    /// Tick counters: the next sample, report and evaluation are at k x interval.
    pub(in crate::engine) next: [u64; 3],
    /// The level last given to the statistics, and since when.
    pub(in crate::engine) level: WorkerLevel,
    pub(in crate::engine) level_t: f64,
}

impl Pool {
    /// Deployment `d`'s pool at time 0: its initial workers registered, warm.
    pub(in crate::engine) fn new(d: usize, spec: WorkerSpec) -> Self {
        let mut p = Self {
            d,
            k: spec.sessions_at_threshold(),
            workers: Vec::new(),
            alive: 0,
            nominal: 0,
            last_change: 0.0,
            next: [1, 1, 1],
            level: WorkerLevel::default(),
            level_t: 0.0,
            spec,
        };
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
            area: 0.0,
            last_t: ready_at,
            samples: vec![0.0; self.spec.measure.window as usize],
            head: 0,
            filled: 0,
            sum: 0.0,
            measured: 0.0,
            reported: 0.0,
            reserved: 0,
            procs: Procs::default(),
        };
        let i = match self.workers.iter().position(|w| w.state == State::Gone) {
            Some(i) => {
                self.workers[i] = w;
                i
            }
            None => {
                self.workers.push(w);
                self.workers.len() - 1
            }
        };
        self.recount();
        i
    }

    /// A cold worker starts its idle processes when it registers; returns how many.
    pub(in crate::engine) fn warm_up(&mut self, w: usize, rng: &mut SimRng) -> u32 {
        let n = self.spec.idle_processes;
        let ready_at = self.workers[w].ready_at;
        self.workers[w].procs = Procs::cold(ready_at, n, &self.spec.process_start, rng);
        n
    }

    fn true_load(&self, w: &Worker) -> f64 {
        self.spec.load.base + self.spec.load.per_session * f64::from(w.sessions)
    }

    fn measured(&self, w: &Worker) -> f64 {
        if self.spec.measure.sample_interval_s == 0.0 {
            self.true_load(w)
        } else {
            w.measured
        }
    }

    /// The load the server last heard from `w`.
    fn reported(&self, w: &Worker) -> f64 {
        if self.spec.measure.report_interval_s == 0.0 {
            self.measured(w)
        } else {
            w.reported
        }
    }

    /// Whether the server would offer `w` a job and `w` would accept it.
    fn eligible(&self, w: &Worker) -> bool {
        let (p, th) = (self.spec.load.per_session, self.spec.measure.threshold);
        match w.state {
            State::Ready => {
                let reserved = if self.spec.measure.sample_interval_s == 0.0 {
                    0
                } else {
                    w.reserved
                };
                self.reported(w) < th
                    && self.measured(w) + f64::from(reserved + 1) * p <= th + LOAD_EPS
            }
            State::Provisioning => {
                w.holds_jobs && self.spec.load.base + f64::from(w.sessions + 1) * p <= th + LOAD_EPS
            }
            _ => false,
        }
    }

    /// What the deployment may hold now with `busy` sessions: at least one more
    /// while some worker would take a job (the nominal `k` per worker beyond
    /// that, so utilisation reads against the threshold), else exactly `busy`.
    pub(in crate::engine) fn limit(&self, busy: u32) -> u32 {
        // A scale-to-zero pool with no worker: a job wakes one.
        let wakeable = self.spec.autoscale.is_some() && self.alive == 0;
        if wakeable || self.workers.iter().any(|w| self.eligible(w)) {
            (busy + 1).max(self.nominal.saturating_mul(self.k))
        } else {
            busy
        }
    }

    /// Count the workers that exist and those taking jobs again, after any
    /// change of state (rare next to the ticks and admissions that read them).
    fn recount(&mut self) {
        let (mut alive, mut nominal) = (0, 0);
        for w in &self.workers {
            alive += u32::from(w.state != State::Gone);
            nominal += u32::from(
                w.state == State::Ready || (w.holds_jobs && w.state == State::Provisioning),
            );
        }
        (self.alive, self.nominal) = (alive, nominal);
    }

    /// The worker a job goes to: random among eligible workers, weighted by
    /// max(0, 1 - reported load); None when none is (the caller wakes one).
    pub(in crate::engine) fn pick(&self, rng: &mut SimRng) -> Option<usize> {
        let weight = |w: &Worker| (1.0 - self.reported(w)).max(0.0);
        let total: f64 = self
            .workers
            .iter()
            .filter(|w| self.eligible(w))
            .map(weight)
            .sum();
        let mut last = None;
        let mut u = rng.random::<f64>() * total;
        for (i, w) in self.workers.iter().enumerate() {
            if self.eligible(w) {
                let x = weight(w);
                if u < x {
                    return Some(i);
                }
                u -= x;
                last = Some(i);
            }
        }
        last
    }

    /// Bring `w`'s load integral up to `t` (before its session count changes).
    fn touch(&mut self, w: usize, t: f64) {
        let load = self.true_load(&self.workers[w]);
        let x = &mut self.workers[w];
        if matches!(x.state, State::Ready | State::Draining) && t > x.last_t {
            x.area += load * (t - x.last_t);
            x.last_t = t;
        }
    }

    /// One more session on `w` at `t`; returns the worker's true load after it.
    pub(in crate::engine) fn admit(&mut self, w: usize, t: f64) -> f64 {
        self.touch(w, t);
        let x = &mut self.workers[w];
        x.sessions += 1;
        x.reserved += 1;
        let x = &self.workers[w];
        self.true_load(x)
    }

    /// One session fewer on `w` at `t`; a draining worker with none left goes.
    pub(in crate::engine) fn release(&mut self, w: usize, t: f64) {
        self.touch(w, t);
        let x = &mut self.workers[w];
        x.sessions -= 1;
        if x.sessions == 0 && x.state == State::Draining {
            x.state = State::Gone;
            self.recount();
        }
    }

    /// `w` registers at `t`: the jobs it holds are not measured yet.
    pub(in crate::engine) fn register(&mut self, w: usize, t: f64) -> f64 {
        let x = &mut self.workers[w];
        x.state = State::Ready;
        x.last_t = t;
        x.area = 0.0;
        x.reserved = x.sessions;
        self.recount();
        let x = &self.workers[w];
        self.true_load(x)
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

    /// Take a load sample at tick `t` for every registered worker.
    pub(in crate::engine) fn sample(&mut self, t: f64, rng: &mut SimRng) {
        let dt = self.spec.measure.sample_interval_s;
        let noise = self.spec.load.noise;
        for i in 0..self.workers.len() {
            if !matches!(self.workers[i].state, State::Ready | State::Draining) {
                continue;
            }
            self.touch(i, t);
            let x = &mut self.workers[i];
            let mut s = x.area / dt;
            if noise > 0.0 {
                let z: f64 = StandardNormal.sample(rng);
                s = (s + noise * z).max(0.0);
            }
            x.area = 0.0;
            x.sum += s - x.samples[x.head];
            x.samples[x.head] = s;
            x.head += 1;
            if x.head == x.samples.len() {
                x.head = 0;
            }
            x.filled = (x.filled + 1).min(x.samples.len());
            if x.head == 0 {
                // Summed afresh once per window: the running sum would
                // otherwise drift over millions of ticks.
                x.sum = x.samples.iter().sum();
            }
            x.measured = (x.sum / x.filled as f64).max(0.0);
            x.reserved = 0;
        }
    }

    /// Every registered worker reports its measurement; calls `seen` with each load.
    pub(in crate::engine) fn report(&mut self, mut seen: impl FnMut(f64)) {
        for i in 0..self.workers.len() {
            if matches!(self.workers[i].state, State::Ready | State::Draining) {
                let m = self.measured(&self.workers[i]);
                self.workers[i].reported = m;
                seen(m);
            }
        }
    }

    /// What the autoscaler sees: the total reported load of registered
    /// workers (draining ones too: their sessions are load), the count it
    /// scales (provisioning and ready workers), and whether any session runs.
    pub(in crate::engine) fn scaling_view(&self) -> (f64, u32, bool) {
        let mut total = 0.0;
        let mut n = 0;
        let mut busy = false;
        for w in &self.workers {
            busy |= w.sessions > 0;
            match w.state {
                State::Ready => {
                    total += self.reported(w);
                    n += 1;
                }
                State::Draining => total += self.reported(w),
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
            let x = &mut self.workers[i];
            x.state = if x.sessions == 0 {
                State::Gone
            } else {
                State::Draining
            };
        }
        self.recount();
        ready.len() as u32
    }

    /// The level to integrate from now on.
    pub(in crate::engine) fn level_now(&self) -> WorkerLevel {
        let mut l = WorkerLevel::default();
        for w in &self.workers {
            if w.state == State::Gone {
                continue;
            }
            l.workers += 1;
            if matches!(w.state, State::Ready | State::Draining) {
                let load = self.true_load(w);
                l.ready += 1;
                l.sessions += w.sessions;
                l.true_load += load;
                if load > 1.0 + LOAD_EPS {
                    l.overloaded += w.sessions;
                }
            }
        }
        l
    }
}
