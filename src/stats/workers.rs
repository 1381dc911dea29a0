//! Statistics of the deployments that run on workers: their cost
//! (worker-seconds), cold and process starts, how their jobs' join latency
//! splits, how often stale load let a worker take a job it should have refused,
//! and how long sessions ran on an overloaded worker. Streaming and mergeable
//! like the rest: a fixed number of totals plus one record per time bin.

use super::timeseries::BinCursor;
use super::{DistSummary, Distribution};

/// What a worker deployment holds at an instant; integrated over time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WorkerLevel {
    /// Workers that exist (provisioning, ready or draining): what is paid for.
    pub workers: u32,
    /// Workers registered (ready or draining).
    pub ready: u32,
    /// Sessions on registered workers.
    pub sessions: u32,
    /// Sessions on registered workers whose true load is above 1.
    pub overloaded: u32,
    /// Sum of the true loads of registered workers.
    pub true_load: f64,
}

/// One time bin of a worker deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WorkerBin {
    /// Integral of the worker count, worker-seconds.
    pub workers_s: f64,
    /// Integral of the registered worker count.
    pub ready_s: f64,
    /// Integral of the summed true load of registered workers.
    pub true_load_s: f64,
    /// Sum of the loads reported in the bin (one per registered worker and report).
    pub reported_sum: f64,
    /// Reports in the bin.
    pub reports: u64,
    /// Counted jobs placed on a worker in the bin (as `WorkerStats::jobs`).
    pub jobs: u64,
    /// Of those, waiting for a worker's cold start: the bin's cold-start
    /// share, which hourly plans check hour by hour.
    pub cold_start_jobs: u64,
}

/// Totals of one worker deployment over the statistics window (the bins cover
/// the whole horizon).
#[derive(Debug, Clone)]
pub struct WorkerStats {
    /// The deployment.
    pub deployment: usize,
    /// Window jobs placed on a worker.
    pub jobs: u64,
    /// Of those, placed on a worker whose true load then exceeded the threshold.
    pub over_admitted: u64,
    /// Of those, waiting for a worker's cold start.
    pub cold_start_jobs: u64,
    /// Of those, waiting for a process to start.
    pub process_waits: u64,
    /// Workers provisioned in the window (each pays a cold start).
    pub cold_starts: u64,
    /// Job processes started in the window.
    pub process_starts: u64,
    /// Autoscaler evaluations in the window.
    pub evaluations: u64,
    /// Sum over those of the worker count asked for.
    pub desired_sum: f64,
    /// Sums over window jobs of their dispatch, process-start and cold-start waits, seconds.
    pub dispatch_s: f64,
    /// See `dispatch_s`.
    pub process_s: f64,
    /// See `dispatch_s`.
    pub cold_s: f64,
    /// Worker-seconds in the window (provisioning, ready or draining).
    pub worker_s: f64,
    /// Session-seconds on registered workers.
    pub session_s: f64,
    /// Session-seconds on workers whose true load exceeded 1.
    pub overloaded_s: f64,
    /// Integral of the summed true load of registered workers.
    pub true_load_s: f64,
    /// Integral of the registered worker count.
    pub ready_s: f64,
    /// Highest true load of a worker after an admission.
    pub peak_true_load: f64,
    /// Highest load a worker reported.
    pub peak_reported_load: f64,
    /// Join latency of window jobs, ms (its tail is the cold starts).
    pub join: Distribution,
    /// Per time bin over the whole horizon.
    pub bins: Vec<WorkerBin>,
    /// Where the last instant integrated, counted or reported fell (a cache,
    /// not a figure).
    pub cursor: BinCursor,
}

impl WorkerStats {
    /// Empty statistics of deployment `d` with `bins` time bins.
    pub fn new(d: usize, bins: usize) -> Self {
        Self {
            deployment: d,
            jobs: 0,
            over_admitted: 0,
            cold_start_jobs: 0,
            process_waits: 0,
            cold_starts: 0,
            process_starts: 0,
            evaluations: 0,
            desired_sum: 0.0,
            dispatch_s: 0.0,
            process_s: 0.0,
            cold_s: 0.0,
            worker_s: 0.0,
            session_s: 0.0,
            overloaded_s: 0.0,
            true_load_s: 0.0,
            ready_s: 0.0,
            peak_true_load: 0.0,
            peak_reported_load: 0.0,
            join: Distribution::new(),
            bins: vec![WorkerBin::default(); bins],
            cursor: BinCursor::default(),
        }
    }

    /// A counted job placed at `t`, in its time bin (the window's totals are
    /// counted by the caller; bins cover the whole horizon).
    #[inline]
    pub fn job_in_bin(&mut self, t: f64, bin_s: f64, cold: bool) {
        let (b, _) = self.cursor.find(t, bin_s);
        if let Some(b) = self.bins.get_mut(b) {
            b.jobs += 1;
            b.cold_start_jobs += u64::from(cold);
        }
    }

    /// `level` held from `from` to `to`; the window starts at `warmup`.
    pub fn hold(&mut self, from: f64, to: f64, level: &WorkerLevel, warmup: f64, bin_s: f64) {
        if to <= from {
            return;
        }
        let w_from = from.max(warmup);
        if to > w_from {
            let dt = to - w_from;
            self.worker_s += f64::from(level.workers) * dt;
            self.ready_s += f64::from(level.ready) * dt;
            self.session_s += f64::from(level.sessions) * dt;
            self.overloaded_s += f64::from(level.overloaded) * dt;
            self.true_load_s += level.true_load * dt;
        }
        let mut t = from;
        while t < to {
            // On the bins' own boundaries, so each step moves on (`bin_of`).
            let (b, hi) = self.cursor.find(t, bin_s);
            let Some(bin) = self.bins.get_mut(b) else {
                break;
            };
            let end = hi.min(to);
            let dt = end - t;
            bin.workers_s += f64::from(level.workers) * dt;
            bin.ready_s += f64::from(level.ready) * dt;
            bin.true_load_s += level.true_load * dt;
            t = end;
        }
    }

    /// Where the reports of instant `t` go: a pool's workers all report at
    /// once, so the bin is found once for them all.
    pub fn reports_at(&mut self, t: f64, warmup: f64, bin_s: f64) -> Reports<'_> {
        let (b, _) = self.cursor.find(t, bin_s);
        Reports {
            peak: (t >= warmup).then_some(&mut self.peak_reported_load),
            bin: self.bins.get_mut(b),
        }
    }

    /// Fold another run's statistics of the same deployment in. Every field
    /// is named, so a new one must say how it pools.
    pub fn merge(&mut self, o: &WorkerStats) {
        let WorkerStats {
            deployment: _,
            jobs,
            over_admitted,
            cold_start_jobs,
            process_waits,
            cold_starts,
            process_starts,
            evaluations,
            desired_sum,
            dispatch_s,
            process_s,
            cold_s,
            worker_s,
            session_s,
            overloaded_s,
            true_load_s,
            ready_s,
            peak_true_load,
            peak_reported_load,
            join,
            bins,
            cursor: _,
        } = o;
        self.jobs += jobs;
        self.over_admitted += over_admitted;
        self.cold_start_jobs += cold_start_jobs;
        self.process_waits += process_waits;
        self.cold_starts += cold_starts;
        self.process_starts += process_starts;
        self.evaluations += evaluations;
        self.desired_sum += desired_sum;
        self.dispatch_s += dispatch_s;
        self.process_s += process_s;
        self.cold_s += cold_s;
        self.worker_s += worker_s;
        self.session_s += session_s;
        self.overloaded_s += overloaded_s;
        self.true_load_s += true_load_s;
        self.ready_s += ready_s;
        self.peak_true_load = self.peak_true_load.max(*peak_true_load);
        self.peak_reported_load = self.peak_reported_load.max(*peak_reported_load);
        self.join.merge(join);
        for (a, b) in self.bins.iter_mut().zip(bins) {
            let WorkerBin {
                workers_s,
                ready_s,
                true_load_s,
                reported_sum,
                reports,
                jobs,
                cold_start_jobs,
            } = b;
            a.workers_s += workers_s;
            a.ready_s += ready_s;
            a.true_load_s += true_load_s;
            a.reported_sum += reported_sum;
            a.reports += reports;
            a.jobs += jobs;
            a.cold_start_jobs += cold_start_jobs;
        }
    }

    /// Share of window jobs over-admitted.
    pub fn over_admission_rate(&self) -> f64 {
        share(self.over_admitted as f64, self.jobs as f64)
    }

    /// Share of session-seconds on an overloaded worker.
    pub fn overloaded_share(&self) -> f64 {
        share(self.overloaded_s, self.session_s)
    }
}

/// One worker deployment's figures, as `summary.json`'s `workers` object and
/// the summary's table state them (their names and units are the catalogue's
/// `WORKER_METRICS`). Counts and times are per replication; shares, loads and
/// peaks are of the pooled replications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerSummary {
    /// Worker-hours paid for (workers that exist, whatever their state).
    pub worker_hours: f64,
    /// Time-averaged workers.
    pub mean_workers: f64,
    /// Workers provisioned.
    pub cold_starts: f64,
    /// Job processes started.
    pub process_starts: f64,
    /// Jobs (sessions placed on a worker).
    pub jobs: f64,
    /// Share of jobs placed on a worker whose true load then exceeded the threshold.
    pub over_admission_rate: f64,
    /// Share of session-seconds on a worker whose true load was above 1.
    pub overloaded_session_share: f64,
    /// Share of jobs that waited for a worker to be provisioned.
    pub cold_start_job_share: f64,
    /// Highest true load of a registered worker.
    pub peak_true_load: f64,
    /// Highest load a worker reported (the true one when the server sees it).
    pub peak_reported_load: f64,
    /// Mean true load per registered worker.
    pub mean_true_load: f64,
    /// Mean dispatch wait per job, ms.
    pub dispatch_ms: f64,
    /// Mean wait for a process start per job, ms.
    pub process_start_ms: f64,
    /// Mean wait for a cold start per job, ms.
    pub cold_start_ms: f64,
    /// Join latency of the deployment's jobs.
    pub join_latency_ms: DistSummary,
}

impl WorkerSummary {
    /// The figures of `s`, summed over `runs` replications of a `window_s`
    /// statistics window; `true_load_seen`: the server sees every worker's
    /// true load at every instant, so what it was told is the true load.
    pub fn of(s: &WorkerStats, runs: f64, window_s: f64, true_load_seen: bool) -> Self {
        let jobs = s.jobs as f64;
        let per_job = |x: f64| share(x, jobs) * 1000.0;
        Self {
            worker_hours: s.worker_s / 3600.0 / runs,
            mean_workers: s.worker_s / window_s / runs,
            cold_starts: s.cold_starts as f64 / runs,
            process_starts: s.process_starts as f64 / runs,
            jobs: jobs / runs,
            over_admission_rate: s.over_admission_rate(),
            overloaded_session_share: s.overloaded_share(),
            cold_start_job_share: share(s.cold_start_jobs as f64, jobs),
            peak_true_load: s.peak_true_load,
            peak_reported_load: if true_load_seen {
                s.peak_true_load
            } else {
                s.peak_reported_load
            },
            mean_true_load: share(s.true_load_s, s.ready_s),
            dispatch_ms: per_job(s.dispatch_s),
            process_start_ms: per_job(s.process_s),
            cold_start_ms: per_job(s.cold_s),
            join_latency_ms: DistSummary::of(&s.join),
        }
    }
}

impl WorkerBin {
    /// The bin's levels, for a bin of `width` seconds summed over `runs`
    /// replications: mean workers, mean true load per registered worker, and
    /// mean reported load (the true load when the server sees it at every
    /// instant; else the mean of the bin's reports, 0 where it has none).
    pub fn levels(&self, width: f64, runs: f64, true_load_seen: bool) -> [f64; 3] {
        let workers = self.workers_s / (width * runs);
        let true_load = share(self.true_load_s, self.ready_s);
        let reported = if true_load_seen {
            true_load
        } else {
            share(self.reported_sum, self.reports as f64)
        };
        [workers, true_load, reported]
    }
}

/// The reports of one instant, taken one load at a time in the order the
/// workers report.
#[derive(Debug)]
pub struct Reports<'a> {
    /// The highest reported load, when the instant is in the window.
    peak: Option<&'a mut f64>,
    /// The instant's bin, if within the horizon.
    bin: Option<&'a mut WorkerBin>,
}

impl Reports<'_> {
    /// One worker reported `load`.
    #[inline]
    pub fn add(&mut self, load: f64) {
        if let Some(peak) = &mut self.peak {
            **peak = peak.max(load);
        }
        if let Some(bin) = &mut self.bin {
            bin.reported_sum += load;
            bin.reports += 1;
        }
    }
}

fn share(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}
