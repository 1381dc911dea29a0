//! Validation of the `plan` section: the regions `regionsim plan` may open a
//! deployment in, what an open deployment costs per day, and the most that
//! may be open. Checked once here, so the planner only sees candidates it can
//! open or close: known regions hosting agents, each either without a
//! deployment of the dispatched agent (a new one) or with one the scenario
//! declares from the start and no timeline event touches (which a plan may
//! close), under a policy that picks among that agent's deployments.

use super::field::{err, region_index, VErr, R};
use super::raw::RawPlan;
use crate::model::timeline::TimelineEvent;
use crate::model::{Candidate, DeclaredBy, Deployment, PolicySpec, Region, Sites};

/// Open sets are planned exhaustively: 2^5 = 32 at most.
pub const MAX_CANDIDATES: usize = 5;

/// The `plan` section, given the scenario's deployments and policy.
pub fn sites(
    raw: &RawPlan,
    regions: &[Region],
    (deployments, timeline): (&[Deployment], &[TimelineEvent]),
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
    let mut candidates: Vec<Candidate> = Vec::new();
    for (i, id) in raw.candidates.iter().enumerate() {
        let path = format!("plan.candidates[{i}]");
        let r = region_index(regions, &path, id)?;
        if !regions[r].agents {
            return err(
                path,
                format!("region `{id}` does not host agents (`agents: false`)"),
            );
        }
        let c = match own.iter().copied().find(|&d| deployments[d].region == r) {
            None => Candidate::New(r),
            Some(d) => {
                optional(d, &deployments[d], timeline).map_err(|why| VErr {
                    path: path.clone(),
                    message: format!("the deployment in `{id}` cannot be closed by a plan: {why}"),
                })?;
                Candidate::Existing(d)
            }
        };
        if candidates.contains(&c) {
            return err(path, format!("region `{id}` is named twice"));
        }
        candidates.push(c);
    }
    if let Some(k) = raw.max_deployments {
        let kept = own.len()
            - candidates
                .iter()
                .filter(|c| matches!(c, Candidate::Existing(_)))
                .count();
        if k < (kept as u32).max(1) {
            return err(
                "plan.max_deployments",
                format!(
                    "must be at least the {kept} deployment(s) no plan may close (and 1), got {k}"
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

/// Why the scenario's deployment `d` cannot be one a plan closes, if it
/// cannot: it must exist from the start as a `deployments` entry and no
/// timeline event may change it (closing it would leave the event without
/// its deployment).
fn optional(d: usize, dep: &Deployment, timeline: &[TimelineEvent]) -> Result<(), String> {
    if !matches!(dep.declared_by, DeclaredBy::Deployments(_)) || dep.created_at_s > 0.0 {
        return Err("it is created by the timeline".into());
    }
    if let Some(e) = timeline
        .iter()
        .find(|e| e.steps.iter().any(|s| s.action.deployment() == d))
    {
        return Err(format!("the timeline's `{}` event changes it", e.label));
    }
    Ok(())
}
