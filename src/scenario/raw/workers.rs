//! The raw form of `deployments[i].workers`, as the file spells it; the
//! validator beside the other part validators (`scenario::workers`) turns it
//! into the model's worker specification.

use schemars::JsonSchema;
use serde::Deserialize;

use super::RawDist;
use crate::scenario::units::Secs;

/// `deployments[i].workers`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkers {
    /// A fixed number of workers (or give `autoscale`).
    pub count: Option<u32>,
    /// Replicas between min and max, scaled on reported load.
    pub autoscale: Option<RawAutoscale>,
    /// What a session costs a worker.
    pub load: RawWorkerLoad,
    /// Seconds between load samples (default 0.5 s; 0 = exact load at every instant).
    pub sample_interval: Option<Secs>,
    /// Samples in the moving average (default 5).
    pub window: Option<u32>,
    /// Seconds between load reports to the server (default 2.5 s; 0 = every instant).
    pub report_interval: Option<Secs>,
    /// A worker at or above this load is full (default 0.7).
    pub load_threshold: Option<f64>,
    /// Processes each worker keeps started and idle (default 4).
    pub idle_processes: Option<u32>,
    /// Time to start a job process (default 1 s).
    pub process_start: Option<RawDist>,
}

/// `workers.load`: `per_session`, or `sessions_per_worker` from which it follows.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkerLoad {
    /// Load of an idle worker (default 0).
    pub base: Option<f64>,
    /// Load each session adds.
    pub per_session: Option<f64>,
    /// Sessions a worker holds at the threshold: per_session = (threshold - base) / this.
    pub sessions_per_worker: Option<u32>,
    /// Standard deviation of Gaussian noise on each load sample (default 0).
    pub noise: Option<f64>,
}

/// `workers.autoscale`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscale {
    /// Fewest workers (give this or `min_hourly`).
    pub min: Option<u32>,
    /// The fewest workers per UTC hour, 24 values from 00:00 UTC (instead of `min`).
    pub min_hourly: Option<Vec<u32>>,
    pub max: u32,
    /// Workers at the start (default `min`).
    pub initial: Option<u32>,
    /// Load per worker to aim at (default 0.5).
    pub target_load: Option<f64>,
    /// Seconds between evaluations (default 30 s).
    pub interval: Option<Secs>,
    /// Time for a new worker to register (default uniform 10-20 s).
    pub provisioning: Option<RawDist>,
    /// No scale-down within this long of the last change (default 10 min).
    pub cooldown: Option<Secs>,
}
