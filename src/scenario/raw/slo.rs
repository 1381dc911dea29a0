//! The raw form of `slo`: the service-level thresholds every report measures
//! against, and what planning asks on top (targets overall, per population
//! and per region, slot costs, fairness, resilience to a deployment's loss).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::scenario::timeline::raw::RawFailover;
use crate::scenario::units::Secs;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawSlo {
    pub media_rtt_ms: f64,
    pub join_latency: Secs,
    /// Planning targets; checked in `slo.rs`.
    pub targets: RawTargets,
    /// Region id -> relative cost of a slot-hour, for planning.
    pub cost: BTreeMap<String, f64>,
    /// A plan's population table flags a population whose worst-hour
    /// overflow share or mean media RTT is more than this many times the
    /// overall target (at least 1; checked in `slo.rs`).
    pub fairness_factor: f64,
    /// Every overall target (but utilisation) also holds for every
    /// population (`plan --every-population`).
    pub every_population: bool,
    /// Targets that must also hold with any one deployment down; checked in
    /// `resilience.rs`.
    pub resilience: Option<RawResilience>,
}

/// `slo.resilience`: failure targets and the failure window.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResilience {
    /// Same shape as `slo.targets` (no utilisation floors).
    #[serde(default)]
    pub targets: RawTargets,
    /// How long each deployment is down (default 2 h).
    pub duration: Option<Secs>,
    /// When every failure starts (default: each deployment's busiest window).
    pub at: Option<Secs>,
    /// What happens to the failed deployment's running sessions.
    #[serde(default)]
    pub sessions: RawFailover,
    /// Delay before they are re-dispatched (with `sessions: "redispatch"`).
    pub detect: Option<Secs>,
}

impl Default for RawSlo {
    fn default() -> Self {
        Self {
            media_rtt_ms: 150.0,
            join_latency: Secs(2.0),
            targets: RawTargets::default(),
            cost: BTreeMap::new(),
            fairness_factor: DEFAULT_FAIRNESS_FACTOR,
            every_population: false,
            resilience: None,
        }
    }
}

/// `slo.fairness_factor` when the scenario does not set it: a population is
/// flagged when its worst hour is more than twice the overall target.
pub const DEFAULT_FAIRNESS_FACTOR: f64 = 2.0;

/// Planning targets: metric name -> limit overall, and the same per population
/// (or, for utilisation, per region).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct RawTargets {
    #[serde(default)]
    pub populations: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub regions: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(flatten)]
    pub overall: BTreeMap<String, f64>,
}
