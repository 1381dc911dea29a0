//! One named number of a summary, run-wide or a region's, a population's or
//! the worst worker deployment's: how a sweep's charted metric and a planning
//! target find their figure by name, from the same catalogue as the reports.

use super::catalogue::{POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS};
use super::metric::{Metric, Unit};
use super::scalar::{scalars, Scalar};
use crate::stats::summary::{PopulationSummary, RegionSummary, Summary};
use crate::stats::workers::WorkerSummary;

/// One number of a summary, run-wide or one region's or one population's:
/// what a sweep charts and what a planning target constrains, read the same
/// way from the same catalogue.
#[derive(Clone, Copy)]
pub enum Pick {
    /// A run-wide scalar.
    Run(Scalar<Summary>),
    /// A scalar of region `.0`.
    Region(usize, Scalar<RegionSummary>),
    /// A scalar of population `.0`.
    Population(usize, Scalar<PopulationSummary>),
    /// A scalar of the worker deployments: the largest (worst) of theirs.
    Workers(Scalar<WorkerSummary>),
    /// A scalar of worker deployment `.0` (in `summary.json`'s `workers` order).
    Worker(usize, Scalar<WorkerSummary>),
}

fn named<S>(metrics: &'static [Metric<S>], key: &str) -> Option<Scalar<S>> {
    scalars(metrics).into_iter().find(|m| m.key() == key)
}

impl Pick {
    /// The run-wide scalar named `key` (`overflow_rate`, `media_rtt_ms.p95`).
    pub fn run(key: &str) -> Option<Self> {
        named(SUMMARY_METRICS, key).map(Self::Run)
    }

    /// Region `r`'s scalar named `key`.
    pub fn region(r: usize, key: &str) -> Option<Self> {
        named(REGION_METRICS, key).map(|m| Self::Region(r, m))
    }

    /// Population `p`'s scalar named `key`.
    pub fn population(p: usize, key: &str) -> Option<Self> {
        named(POPULATION_METRICS, key).map(|m| Self::Population(p, m))
    }

    /// The worker deployments' scalar named `key`, read at the worst of them.
    pub fn workers(key: &str) -> Option<Self> {
        named(WORKER_METRICS, key).map(Self::Workers)
    }

    /// The metric's own name, without its region or population.
    pub fn key(&self) -> String {
        match self {
            Self::Run(m) => m.key(),
            Self::Region(_, m) => m.key(),
            Self::Population(_, m) => m.key(),
            Self::Workers(m) | Self::Worker(_, m) => m.key(),
        }
    }

    /// The metric's name for people, without its region or population.
    pub fn label(&self) -> String {
        match self {
            Self::Run(m) => m.label(),
            Self::Region(_, m) => m.label(),
            Self::Population(_, m) => m.label(),
            Self::Workers(m) | Self::Worker(_, m) => m.label(),
        }
    }

    /// Its unit.
    pub fn unit(&self) -> Unit {
        match self {
            Self::Run(m) => m.unit(),
            Self::Region(_, m) => m.unit(),
            Self::Population(_, m) => m.unit(),
            Self::Workers(m) | Self::Worker(_, m) => m.unit(),
        }
    }

    /// Its value in `s` (NaN when `s` lacks the region or population, or has
    /// no worker deployment).
    pub fn get(&self, s: &Summary) -> f64 {
        match *self {
            Self::Run(m) => m.get(s),
            Self::Region(r, m) => s.regions.get(r).map_or(f64::NAN, |x| m.get(x)),
            Self::Population(p, m) => s.populations.get(p).map_or(f64::NAN, |x| m.get(x)),
            Self::Workers(m) => s
                .workers
                .iter()
                .map(|w| m.get(w))
                .reduce(f64::max)
                .unwrap_or(f64::NAN),
            Self::Worker(k, m) => s.workers.get(k).map_or(f64::NAN, |x| m.get(x)),
        }
    }
}
