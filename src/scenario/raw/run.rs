//! The raw form of `run`: how long one replication simulates, what it leaves
//! out as warm-up, its seed, how many replications and at what confidence.
//! Every field has a default, so a scenario may leave the section out.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::scenario::units::Secs;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawRun {
    pub horizon: Secs,
    pub warmup: Secs,
    pub seed: u64,
    pub replications: u32,
    pub bin: Secs,
    pub confidence: f64,
}

impl Default for RawRun {
    fn default() -> Self {
        Self {
            horizon: Secs(86_400.0),
            warmup: Secs(0.0),
            seed: 1,
            replications: 1,
            bin: Secs(900.0),
            confidence: 0.95,
        }
    }
}
