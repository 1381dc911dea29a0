//! Validation of the scenario's `timeline`: every event's references, times and
//! lifecycle rules, turned into the model's [`TimelineEvent`]s and steps, the
//! deployments that events create, and the flash crowds folded into rates.
//!
//! Rules (each refused with the event's JSON path): an event at a time outside
//! [0, horizon]; an unknown region, agent or population; a reference that fits
//! several deployments without `agent`; a deployment touched before it is
//! created or after it is deleted; deleting a deployment twice; two outages of
//! one deployment that overlap; an hourly schedule without 24 values; a
//! capacity that takes the sum of all capacities past 32 bits; a flash crowd
//! whose arrivals would not be a finite number. A drain that outlasts the
//! horizon is allowed and noted for the reports.

mod events;
mod lifecycle;
pub(super) mod raw;

use super::field::{err, finite_at_least, region_index, secs, VErr, R};
use super::raw::{RawEvent, RawScenario};
use crate::model::surge::{flatten, Surge};
use crate::model::timeline::{EventKind, TimelineEvent};
use crate::model::{Deployment, Population, Region, RunSpec};
pub(super) use events::failover;
use events::Ctx;

/// Default drain after a delete: the platform's cap (the agents SDK's
/// `drain_timeout` of 3600 s).
pub const DEFAULT_DRAIN_S: f64 = 3600.0;
/// Default time for the platform to notice a failed agent and re-dispatch.
pub const DEFAULT_DETECT_S: f64 = 15.0;

/// Deployments declared with a creation time or created by `deploy` and
/// `migrate` events, appended to `deps` (policies must know them all).
pub(super) fn created_deployments(
    raw: &RawScenario,
    regions: &[Region],
    deps: &mut Vec<Deployment>,
) -> R<()> {
    for (i, e) in raw.timeline.iter().enumerate() {
        let path = format!("timeline[{i}]");
        let (agent, region, capacity, ready_after, at) = match e {
            RawEvent::Deploy {
                at,
                agent,
                region,
                capacity,
                ready_after,
                ..
            } => (agent.clone(), region, *capacity, *ready_after, *at),
            RawEvent::Migrate {
                at,
                agent,
                from,
                to,
                capacity,
                ready_after,
                ..
            } => {
                let old = find(deps, regions, &path, "from", from, agent.as_deref())?;
                let cap = capacity.unwrap_or(deps[old].capacity);
                (deps[old].agent.clone(), to, cap, *ready_after, *at)
            }
            _ => continue,
        };
        let field = if matches!(e, RawEvent::Migrate { .. }) {
            "to"
        } else {
            "region"
        };
        let r = region_index(regions, &format!("{path}.{field}"), region)?;
        if !regions[r].agents {
            return err(
                format!("{path}.{field}"),
                format!("region `{region}` does not host agents (`agents: false`)"),
            );
        }
        if deps.iter().any(|d| d.agent == agent && d.region == r) {
            return err(
                format!("{path}.{field}"),
                format!("agent `{agent}` already has a deployment in `{region}`"),
            );
        }
        deps.push(Deployment {
            agent,
            region: r,
            capacity,
            created_at_s: secs(&format!("{path}.at"), at)?,
            ready_after_s: match ready_after {
                Some(s) => secs(&format!("{path}.ready_after"), s)?,
                None => 0.0,
            },
            max_queue: crate::model::DEFAULT_MAX_QUEUE,
            workers: None,
            declared_by: crate::model::DeclaredBy::Timeline(i),
        });
    }
    Ok(())
}

/// The deployment a (region, optional agent) reference names.
fn find(
    deps: &[Deployment],
    regions: &[Region],
    path: &str,
    field: &str,
    region: &str,
    agent: Option<&str>,
) -> R<usize> {
    let r = region_index(regions, &format!("{path}.{field}"), region)?;
    let hits: Vec<usize> = (0..deps.len())
        .filter(|&d| deps[d].region == r && agent.is_none_or(|a| deps[d].agent == a))
        .collect();
    match (hits.as_slice(), agent) {
        ([d], _) => Ok(*d),
        ([], Some(a)) => err(
            format!("{path}.agent"),
            format!("agent `{a}` has no deployment in `{region}`"),
        ),
        ([], None) => err(
            format!("{path}.{field}"),
            format!("no deployment in region `{region}`"),
        ),
        (_, _) => {
            let names: Vec<_> = hits.iter().map(|&d| deps[d].agent.as_str()).collect();
            err(
                format!("{path}.{field}"),
                format!(
                    "several deployments in `{region}` (agents {}): name one with `agent`",
                    names.join(", ")
                ),
            )
        }
    }
}

/// Everything [`events`] builds.
pub(super) struct Built {
    pub events: Vec<TimelineEvent>,
    pub notes: Vec<String>,
}

/// Validate every event into the model's timeline; flash crowds go into
/// `pops`' surges.
pub(super) fn events(
    raw: &RawScenario,
    regions: &[Region],
    deps: &[Deployment],
    pops: &mut [Population],
    run: &RunSpec,
) -> R<Built> {
    let mut ctx = Ctx::new(regions, deps, run.horizon_s);
    let mut out = Vec::with_capacity(raw.timeline.len() + deps.len());
    for (d, dep) in deps.iter().enumerate() {
        if let Some(e) = ctx.creation(d, dep, raw) {
            out.push(e);
        }
    }
    let creations = out.len();
    let mut surges: Vec<Vec<Surge>> = vec![Vec::new(); pops.len()];
    for (i, e) in raw.timeline.iter().enumerate() {
        let path = format!("timeline[{i}]");
        if let RawEvent::Rate {
            at,
            label,
            population,
            factor,
            duration,
        } = e
        {
            let at = ctx.time(&path, *at)?;
            let end = at + secs(&format!("{path}.duration"), *duration)?;
            let factor = finite_at_least(&format!("{path}.factor"), *factor, 0.0)?;
            let targets: Vec<usize> = match population {
                None => (0..pops.len()).collect(),
                Some(name) => {
                    vec![pops
                        .iter()
                        .position(|p| &p.name == name)
                        .ok_or_else(|| VErr {
                            path: format!("{path}.population"),
                            message: format!("unknown population `{name}`"),
                        })?]
                }
            };
            for &p in &targets {
                surges[p].push(Surge {
                    start_s: at,
                    end_s: end,
                    factor,
                    event: i,
                });
            }
            let who = population.as_deref().unwrap_or("all populations");
            out.push(TimelineEvent {
                label: label.clone().unwrap_or(format!("rate x{factor} {who}")),
                kind: EventKind::Rate,
                at_s: at,
                end_s: end.min(run.horizon_s),
                steps: Vec::new(),
            });
        } else {
            out.push(ctx.supply(&path, e)?);
        }
    }
    for (p, s) in pops.iter_mut().zip(&surges) {
        p.surges = flatten(s);
        super::checks::surge_arrivals(p, run.horizon_s)?;
    }
    super::checks::timeline_capacities(raw, deps, &out[creations..])?;
    lifecycle::check(raw, &out, deps)?;
    Ok(Built {
        events: out,
        notes: ctx.notes,
    })
}
