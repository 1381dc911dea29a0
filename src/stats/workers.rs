//! Statistics of the deployments that run on workers: their cost
//! (worker-seconds), cold and process starts, how their jobs' join latency
//! splits, how often stale load let a worker take a job it should have refused,
//! and how long sessions ran on an overloaded worker. Streaming and mergeable
//! like the rest: a fixed number of totals plus one record per time bin.

use super::Distribution;

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

/// Names of [`WorkerStats::figures`], as `summary.json` keys.
pub const FIGURES: [&str; 6] = [
    "worker_hours",
    "cold_starts",
    "process_starts",
    "over_admission_rate",
    "overloaded_session_share",
    "cold_start_job_share",
];

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
            let b = super::timeseries::bin_of(t, bin_s);
            let Some(bin) = self.bins.get_mut(b) else {
                break;
            };
            let end = ((b + 1) as f64 * bin_s).min(to);
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
        Reports {
            peak: (t >= warmup).then_some(&mut self.peak_reported_load),
            bin: self.bins.get_mut(super::timeseries::bin_of(t, bin_s)),
        }
    }

    /// Fold another run's statistics of the same deployment in.
    pub fn merge(&mut self, o: &WorkerStats) {
        self.jobs += o.jobs;
        self.over_admitted += o.over_admitted;
        self.cold_start_jobs += o.cold_start_jobs;
        self.process_waits += o.process_waits;
        self.cold_starts += o.cold_starts;
        self.process_starts += o.process_starts;
        self.evaluations += o.evaluations;
        self.desired_sum += o.desired_sum;
        self.dispatch_s += o.dispatch_s;
        self.process_s += o.process_s;
        self.cold_s += o.cold_s;
        self.worker_s += o.worker_s;
        self.session_s += o.session_s;
        self.overloaded_s += o.overloaded_s;
        self.true_load_s += o.true_load_s;
        self.ready_s += o.ready_s;
        self.peak_true_load = self.peak_true_load.max(o.peak_true_load);
        self.peak_reported_load = self.peak_reported_load.max(o.peak_reported_load);
        self.join.merge(&o.join);
        for (a, b) in self.bins.iter_mut().zip(&o.bins) {
            a.workers_s += b.workers_s;
            a.ready_s += b.ready_s;
            a.true_load_s += b.true_load_s;
            a.reported_sum += b.reported_sum;
            a.reports += b.reports;
        }
    }

    /// The figures whose spread across replications gives their confidence
    /// half-widths, in [`FIGURES`] order, for statistics summed over `runs`
    /// replications.
    pub fn figures(&self, runs: f64) -> [f64; FIGURES.len()] {
        [
            self.worker_s / 3600.0 / runs,
            self.cold_starts as f64 / runs,
            self.process_starts as f64 / runs,
            self.over_admission_rate(),
            self.overloaded_share(),
            share(self.cold_start_jobs as f64, self.jobs as f64),
        ]
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
