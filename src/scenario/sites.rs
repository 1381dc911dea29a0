//! Validation of the `plan` section: the regions `regionsim plan` may open a
//! deployment in, what an open deployment costs per day, and the most that
//! may be open. Checked once here, so the planner only sees candidates it can
//! open: known regions without a deployment of the dispatched agent, under a
//! policy that picks among that agent's deployments.

use super::field::{err, region_index, R};
use super::raw::RawPlan;
use crate::model::{Deployment, PolicySpec, Region, Sites};

/// Open sets are planned exhaustively: 2^5 = 32 at most.
pub const MAX_CANDIDATES: usize = 5;

/// The `plan` section, given the scenario's deployments and policy.
pub fn sites(
    raw: &RawPlan,
    regions: &[Region],
    deployments: &[Deployment],
    policy: &PolicySpec,
) -> R<Sites> {
    if !(raw.open_cost.is_finite() && raw.open_cost >= 0.0) {
        return err(
            "plan.open_cost",
            format!("must be a finite number >= 0, got {}", raw.open_cost),
        );
    }
    let own = policy.deployment_indices();
    if !raw.candidates.is_empty() {
        if let PolicySpec::Explicit { .. } | PolicySpec::GeoFenced { .. } = policy {
            return err(
                "plan.candidates",
                format!(
                    "the `{}` policy names its deployments per population, so a new region would serve nobody; candidates need nearest, least_loaded, power_of_two or score",
                    policy.name()
                ),
            );
        }
    }
    if raw.candidates.len() > MAX_CANDIDATES {
        return err(
            "plan.candidates",
            format!(
                "at most {MAX_CANDIDATES} candidates (every open set is planned), got {}",
                raw.candidates.len()
            ),
        );
    }
    let mut candidates: Vec<usize> = Vec::new();
    for (i, id) in raw.candidates.iter().enumerate() {
        let path = format!("plan.candidates[{i}]");
        let r = region_index(regions, &path, id)?;
        if !regions[r].agents {
            return err(
                path,
                format!("region `{id}` does not host agents (`agents: false`)"),
            );
        }
        if own.iter().any(|&d| deployments[d].region == r) {
            return err(
                path,
                format!("region `{id}` already has a deployment of the dispatched agent"),
            );
        }
        if candidates.contains(&r) {
            return err(path, format!("region `{id}` is named twice"));
        }
        candidates.push(r);
    }
    if let Some(k) = raw.max_deployments {
        let opened = own.len() as u32;
        if k < opened.max(1) {
            return err(
                "plan.max_deployments",
                format!(
                    "must be at least the {opened} deployment(s) the scenario already has (and 1), got {k}"
                ),
            );
        }
    }
    Ok(Sites {
        candidates,
        open_cost: raw.open_cost,
        max_deployments: raw.max_deployments,
    })
}
