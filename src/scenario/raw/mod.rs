//! The scenario file format as serde sees it: one struct per JSON object, unknown
//! fields refused. Nothing here is checked beyond JSON types; `validate` turns
//! these into the domain types of `model`.
//!
//! This file holds the top level (`RawScenario`); each section's types live in
//! a file of their own (supply, populations, latency, policy, SLO, run, plan,
//! with the distribution of times they share in `dist.rs`) and are re-exported
//! here, so the validators name every raw type as `raw::RawX` whatever file
//! holds it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

mod dist;
mod latency;
mod plan;
mod policy;
mod populations;
mod run;
mod slo;
mod supply;
pub mod workers;

pub use super::timeline::raw::{RawEvent, RawFailover};
pub use dist::RawDist;
pub use latency::RawLatency;
pub use plan::RawPlan;
pub(super) use policy::RawRouteDef;
pub use policy::{RawOnFull, RawPolicy, RawRoute, RawSpill};
pub use populations::{LoadedTrace, RawArrivals, RawPatience, RawPopulation, RawRate};
pub use run::RawRun;
pub use slo::{RawSlo, RawTargets};
pub use supply::{RawDeployment, RawRegion, RawRegionDef};

/// The whole file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// The schema this file follows, for editors (ignored by the simulator).
    #[serde(rename = "$schema", default)]
    #[allow(dead_code)]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub regions: Vec<RawRegion>,
    pub deployments: Vec<RawDeployment>,
    pub populations: Vec<RawPopulation>,
    #[serde(default)]
    pub latency: RawLatency,
    pub policy: RawPolicy,
    /// Alternative policies by label, for `compare`.
    #[serde(default)]
    pub policies: BTreeMap<String, RawPolicy>,
    #[serde(default)]
    pub slo: RawSlo,
    #[serde(default)]
    pub run: RawRun,
    /// Supply and demand changes during the run.
    #[serde(default)]
    pub timeline: Vec<RawEvent>,
    /// Where `regionsim plan` may open deployments; checked in `sites.rs`.
    #[serde(default)]
    pub plan: RawPlan,
}

/// The default of the fields whose neutral value is 1 (a city's weight, a
/// spill threshold), shared so both sections default alike.
fn one() -> f64 {
    1.0
}
