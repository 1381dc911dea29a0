//! What decides whether a ready worker takes a job, and what it and the
//! server see of its load when sampling or reporting is switched off (an
//! interval of 0: the exact value at every instant). Kept apart from the
//! figures so that the per-worker and the whole-pool passes apply the very
//! same comparisons.

use crate::model::workers::{WorkerSpec, LOAD_EPS};

/// A pool's admission rules, read once from its specification.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    per_session: f64,
    threshold: f64,
    /// No sampling: the worker knows its true load at every instant.
    exact_measure: bool,
    /// No reporting: the server sees the worker's current measurement.
    exact_report: bool,
}

impl Rules {
    pub(super) fn new(spec: &WorkerSpec) -> Self {
        Self {
            per_session: spec.load.per_session,
            threshold: spec.measure.threshold,
            exact_measure: spec.measure.sample_interval_s == 0.0,
            exact_report: spec.measure.report_interval_s == 0.0,
        }
    }

    /// The same rules with both switches given (equal to its own): a pass
    /// that matches on them and inlines its body under this copy has them
    /// as constants.
    #[inline(always)]
    pub(super) fn fixed(self, exact_measure: bool, exact_report: bool) -> Self {
        debug_assert_eq!(
            (exact_measure, exact_report),
            (self.exact_measure, self.exact_report)
        );
        Self {
            exact_measure,
            exact_report,
            ..self
        }
    }

    /// Whether the worker knows its true load at every instant (no sampling).
    #[inline]
    pub(super) fn exact_measure(&self) -> bool {
        self.exact_measure
    }

    /// Whether the server sees the worker's current measurement (no reporting).
    #[inline]
    pub(super) fn exact_report(&self) -> bool {
        self.exact_report
    }

    /// A worker's measurement, from its true load and its moving average.
    #[inline]
    pub(super) fn measured(&self, load: f64, average: f64) -> f64 {
        if self.exact_measure {
            load
        } else {
            average
        }
    }

    /// What the server last heard, from the measurement and the last report.
    #[inline]
    pub(super) fn reported(&self, measured: f64, report: f64) -> f64 {
        if self.exact_report {
            measured
        } else {
            report
        }
    }

    /// Jobs taken but not yet in the measurement (none when it is exact).
    #[inline]
    pub(super) fn reserved(&self, reserved: f64) -> f64 {
        if self.exact_measure {
            0.0
        } else {
            reserved
        }
    }

    /// Whether a ready worker is offered a job (its report is below the
    /// threshold) and accepts it (one more job on its measurement stays
    /// within the threshold).
    #[inline]
    pub(super) fn would_take(&self, reported: f64, measured: f64, reserved: f64) -> bool {
        let (p, th) = (self.per_session, self.threshold);
        // `&`, not `&&`: both sides are cheap and free of effects, and
        // without a branch the pool's pass over its workers vectorises.
        (reported < th) & (measured + (reserved + 1.0) * p <= th + LOAD_EPS)
    }
}
