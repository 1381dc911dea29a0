//! The raw form of `plan`: the regions where `regionsim plan` may open new
//! deployments, what opening one costs and how many may be open at once.
//! Kept apart from `slo` because only planning with candidates reads it
//! (checked in `scenario/sites.rs`).

use schemars::JsonSchema;
use serde::Deserialize;

/// `plan`: candidate regions, the cost of an open deployment, a cap.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Region ids the planner may open a deployment in.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Cost of one open deployment per day, in cost-weighted slot-hours.
    #[serde(default)]
    pub open_cost: f64,
    /// Most deployments open at once.
    pub max_deployments: Option<u32>,
}
