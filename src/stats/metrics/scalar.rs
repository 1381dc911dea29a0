//! A catalogue read number by number: a metric's own value or one statistic of
//! a distribution, with the name and label tables and files give it. Reports
//! and charts iterate these rather than the metrics so a distribution expands
//! the same way everywhere.

use super::metric::{Metric, Stat, Unit, Value};

/// One number of a metric: the metric itself, or one statistic of a distribution.
pub struct Scalar<S: 'static> {
    /// The metric.
    pub metric: &'static Metric<S>,
    /// The statistic, for a distribution.
    pub stat: Option<Stat>,
}

// By hand: a derive would require `S: Copy`.
impl<S> Clone for Scalar<S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S> Copy for Scalar<S> {}

impl<S> Scalar<S> {
    /// Stable name, e.g. `overflow_rate` or `media_rtt_ms.p95`.
    pub fn key(&self) -> String {
        match self.stat {
            Some(st) => format!("{}.{}", self.metric.key, st.key()),
            None => self.metric.key.to_string(),
        }
    }

    /// Name for people, e.g. `media RTT p95 (ms)`.
    pub fn label(&self) -> String {
        match self.stat {
            Some(st) => format!("{} {}", self.metric.label, st.label()),
            None => self.metric.label.to_string(),
        }
    }

    /// Unit.
    pub fn unit(&self) -> Unit {
        self.metric.unit
    }

    /// The value in `s` (NaN for a per-region metric, which is not a scalar).
    pub fn get(&self, s: &S) -> f64 {
        match (&self.metric.value, self.stat) {
            (Value::Scalar(get, _), _) => get(s),
            (Value::Dist(get, _), Some(st)) => st.of(get(s)),
            _ => f64::NAN,
        }
    }
}

/// Every scalar of a catalogue, distributions expanded, in catalogue order.
pub fn scalars<S>(metrics: &'static [Metric<S>]) -> Vec<Scalar<S>> {
    metrics
        .iter()
        .flat_map(|m| match m.value {
            Value::Scalar(..) => vec![Scalar {
                metric: m,
                stat: None,
            }],
            Value::Dist(..) => Stat::ALL
                .iter()
                .map(|&st| Scalar {
                    metric: m,
                    stat: Some(st),
                })
                .collect(),
            Value::PerRegion(..) => Vec::new(),
        })
        .collect()
}

/// The scalars comparisons and sweeps tabulate, in catalogue order.
pub fn headline<S>(metrics: &'static [Metric<S>]) -> Vec<Scalar<S>> {
    scalars(metrics)
        .into_iter()
        .filter(|s| s.metric.headline.contains(&s.stat.unwrap_or(Stat::Mean)))
        .collect()
}
