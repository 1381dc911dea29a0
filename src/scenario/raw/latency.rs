//! The raw form of `latency`: the backbone model's constants, measured RTT
//! overrides and the delays between a user's arrival and a working agent.
//! Every field has a default, so a scenario may leave the section out.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::dist::RawDist;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawLatency {
    pub fibre_km_per_ms: f64,
    pub route_factor: f64,
    pub access_rtt_ms: f64,
    pub intra_region_rtt_ms: f64,
    pub use_measured_reference_rtts: bool,
    pub region_rtt_ms: BTreeMap<String, BTreeMap<String, f64>>,
    pub population_rtt_ms: BTreeMap<String, BTreeMap<String, f64>>,
    pub dispatch: Option<RawDist>,
    pub startup: Option<RawDist>,
    pub jitter: Option<RawDist>,
}

impl Default for RawLatency {
    fn default() -> Self {
        Self {
            fibre_km_per_ms: 200.0,
            route_factor: 1.5,
            access_rtt_ms: 10.0,
            intra_region_rtt_ms: 2.0,
            use_measured_reference_rtts: true,
            region_rtt_ms: BTreeMap::new(),
            population_rtt_ms: BTreeMap::new(),
            dispatch: None,
            startup: None,
            jitter: None,
        }
    }
}
