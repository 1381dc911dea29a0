//! The raw form of a distribution of times, `{"type": ..., parameters}`:
//! one type shared by every section that draws a duration (session lengths,
//! patience, latency delays, worker start-ups), so each reads it the same way
//! and the schema describes it once.

use schemars::JsonSchema;
use serde::de::Deserializer;
use serde::Deserialize;

use crate::scenario::tagged::tagged;
use crate::scenario::units::Secs;

/// A distribution of times, `{"type": ..., parameters}` (read by `tagged`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(tag = "type")]
pub enum RawDist {
    Deterministic { value: Secs },
    Exponential { mean: Secs },
    Uniform { min: Secs, max: Secs },
    Lognormal { mean: Secs, cv: f64 },
    Gamma { mean: Secs, cv: f64 },
    Weibull { shape: f64, scale: Secs },
    BoundedPareto { alpha: f64, min: Secs, max: Secs },
    Empirical { values: Vec<Secs> },
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let types = &[
            "deterministic",
            "exponential",
            "uniform",
            "lognormal",
            "gamma",
            "weibull",
            "bounded_pareto",
            "empirical",
        ];
        tagged(d, "a distribution", types, |v| RawDist::deserialize(v))
    }
}
