//! The walk over every number of a summary that the catalogue defines, with
//! how replications aggregate each: what `Summary::visit` gives the
//! estimators. Walking the catalogue rather than the struct is what makes a
//! field left out of it detectable (`summary_visit_reaches_every_field`).

use super::catalogue::{POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS};
use super::metric::{Metric, Stat, Value};
use crate::stats::summary::{Summary, ValueKind};

/// Walk every number of `s` that `metrics` defines, in catalogue order.
fn visit<S>(metrics: &'static [Metric<S>], s: &mut S, f: &mut impl FnMut(ValueKind, &mut f64)) {
    for m in metrics {
        match m.value {
            Value::Scalar(_, get) => f(m.kind, get(s)),
            Value::Dist(_, get) => {
                let d = get(s);
                for st in Stat::ALL {
                    f(st.kind(), st.of_mut(d));
                }
            }
            Value::PerRegion(_, get) => get(s).iter_mut().for_each(|v| f(ValueKind::Mean, v)),
        }
    }
}

/// How many numbers `visit` walks in one item of `metrics` whose per-region
/// figures list `regions` regions: the length of a summary's scalars, for
/// the memory estimate.
pub fn visited<S>(metrics: &'static [Metric<S>], regions: usize) -> usize {
    (metrics.iter())
        .map(|m| match m.value {
            Value::Scalar(..) => 1,
            Value::Dist(..) => Stat::ALL.len(),
            Value::PerRegion(..) => regions,
        })
        .sum()
}

impl Summary {
    /// Walk the run-wide numbers alone (the start of [`Summary::visit`]'s
    /// order): a replication's row of `replications.csv`.
    pub fn visit_run_wide(&mut self, f: &mut impl FnMut(ValueKind, &mut f64)) {
        visit(SUMMARY_METRICS, self, f);
    }

    /// Walk every number the metric catalogue defines, in a fixed order (the
    /// same for all summaries of a world).
    pub fn visit(&mut self, f: &mut impl FnMut(ValueKind, &mut f64)) {
        visit(SUMMARY_METRICS, self, f);
        for r in &mut self.regions {
            visit(REGION_METRICS, r, f);
        }
        for p in &mut self.populations {
            visit(POPULATION_METRICS, p, f);
        }
        for w in &mut self.workers {
            visit(WORKER_METRICS, w, f);
        }
    }
}
