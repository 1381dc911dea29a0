//! Validation of the dispatch policy (`policy`) and the named alternatives a
//! comparison can run (`policies`).

use std::collections::BTreeMap;

use super::field::{err, finite_at_least, region_index, secs, R};
use super::raw::{RawOnFull, RawPolicy, RawRoute, RawScenario, RawSpill};
use super::units::Secs;
use crate::model::{Deployment, NamedPolicy, OnFull, PolicySpec, Region, Route, SpillRule};

fn on_full(f: RawOnFull) -> OnFull {
    match f {
        RawOnFull::Wait => OnFull::Wait,
        RawOnFull::Reject => OnFull::Reject,
    }
}

fn agent_names(deps: &[Deployment]) -> Vec<&str> {
    let mut names: Vec<&str> = deps.iter().map(|d| d.agent.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The deployments of the dispatched agent (named, or the only one deployed).
fn agent_deployments(path: &str, agent: &Option<String>, deps: &[Deployment]) -> R<Vec<usize>> {
    let names = agent_names(deps);
    let agent = match agent {
        Some(a) if names.contains(&a.as_str()) => a.as_str(),
        Some(a) => {
            return err(
                format!("{path}.agent"),
                format!(
                    "no deployment of agent `{a}`; deployed agents: {}",
                    names.join(", ")
                ),
            )
        }
        None if names.len() == 1 => names[0],
        None => {
            return err(
                path,
                format!(
                "several agent names are deployed ({}); say which one is dispatched with `agent`",
                names.join(", ")
            ),
            )
        }
    };
    Ok((0..deps.len())
        .filter(|&d| deps[d].agent == agent)
        .collect())
}

fn spill(path: &str, s: &RawSpill) -> R<SpillRule> {
    let threshold = s.utilization_threshold;
    if !(threshold.is_finite() && threshold > 0.0 && threshold <= 1.0) {
        return err(
            format!("{path}.spill.utilization_threshold"),
            format!("must be in (0, 1], got {threshold}"),
        );
    }
    let max_extra_rtt_ms = match s.max_extra_rtt_ms {
        Some(ms) => finite_at_least(&format!("{path}.spill.max_extra_rtt_ms"), ms, 0.0)?,
        None => f64::INFINITY,
    };
    Ok(SpillRule {
        utilization_threshold: threshold,
        max_extra_rtt_ms,
    })
}

/// An explicit route target: an agent name with exactly one deployment, or a
/// region id holding exactly one deployment.
fn route_target(path: String, name: &str, deps: &[Deployment], regions: &[Region]) -> R<usize> {
    let by_agent: Vec<usize> = (0..deps.len()).filter(|&d| deps[d].agent == name).collect();
    match by_agent.as_slice() {
        [d] => return Ok(*d),
        [] => {}
        _ => {
            return err(
                path,
                format!("agent `{name}` is deployed in several regions; explicit dispatch needs one agent name per region (or route to a region id)"),
            )
        }
    }
    if let Some(r) = regions.iter().position(|r| r.id == name) {
        let here: Vec<usize> = (0..deps.len()).filter(|&d| deps[d].region == r).collect();
        return match here.as_slice() {
            [d] => Ok(*d),
            [] => err(path, format!("no agent is deployed in region `{name}`")),
            _ => err(
                path,
                format!("several agents are deployed in region `{name}`; route to an agent name"),
            ),
        };
    }
    err(
        path,
        format!(
            "no deployment of agent `{name}` and no region of that id; deployed agents: {}",
            agent_names(deps).join(", ")
        ),
    )
}

fn one(
    path: &str,
    raw: &RawPolicy,
    scen: &RawScenario,
    deps: &[Deployment],
    regions: &[Region],
) -> R<PolicySpec> {
    Ok(match raw {
        RawPolicy::Nearest {
            agent,
            spill: s,
            on_full: f,
        } => PolicySpec::Nearest {
            deployments: agent_deployments(path, agent, deps)?,
            spill: spill(path, s)?,
            on_full: on_full(*f),
        },
        RawPolicy::Explicit {
            routes,
            redispatch_delay,
            on_full: f,
        } => explicit(
            path,
            routes,
            *redispatch_delay,
            on_full(*f),
            scen,
            deps,
            regions,
        )?,
        RawPolicy::LeastLoaded {
            agent,
            max_extra_rtt_ms,
            on_full: f,
        } => PolicySpec::LeastLoaded {
            deployments: agent_deployments(path, agent, deps)?,
            max_extra_rtt_ms: finite_at_least(
                &format!("{path}.max_extra_rtt_ms"),
                max_extra_rtt_ms.unwrap_or(50.0),
                0.0,
            )?,
            on_full: on_full(*f),
        },
        RawPolicy::PowerOfTwo {
            agent,
            k,
            on_full: f,
        } => power_of_two(path, agent, *k, on_full(*f), deps)?,
        RawPolicy::Score {
            agent,
            load_penalty_ms,
            on_full: f,
        } => PolicySpec::Score {
            deployments: agent_deployments(path, agent, deps)?,
            load_penalty_ms: finite_at_least(
                &format!("{path}.load_penalty_ms"),
                load_penalty_ms.unwrap_or(100.0),
                0.0,
            )?,
            on_full: on_full(*f),
        },
        RawPolicy::GeoFenced {
            agent,
            allowed,
            spill: s,
            on_full: f,
        } => {
            let deployments = agent_deployments(path, agent, deps)?;
            let allowed = allowed_per_population(path, allowed, &deployments, scen, deps, regions)?;
            PolicySpec::GeoFenced {
                deployments,
                allowed,
                spill: spill(path, s)?,
                on_full: on_full(*f),
            }
        }
    })
}

/// Power of two choices among the `k` nearest deployments (default: up to 3).
fn power_of_two(
    path: &str,
    agent: &Option<String>,
    k: Option<usize>,
    full: OnFull,
    deps: &[Deployment],
) -> R<PolicySpec> {
    let deployments = agent_deployments(path, agent, deps)?;
    let k = k.unwrap_or(deployments.len().min(3));
    if k < 1 {
        return err(format!("{path}.k"), "must be at least 1");
    }
    Ok(PolicySpec::PowerOfTwo {
        k: k.min(deployments.len()),
        deployments,
        on_full: full,
    })
}

/// An explicit policy: every population routed to an agent (with fallbacks
/// only when a full region rejects).
fn explicit(
    path: &str,
    routes: &BTreeMap<String, RawRoute>,
    redispatch_delay: Option<Secs>,
    full: OnFull,
    scen: &RawScenario,
    deps: &[Deployment],
    regions: &[Region],
) -> R<PolicySpec> {
    let mut by_pop: Vec<Option<Route>> = vec![None; scen.populations.len()];
    for (pop, route) in routes {
        let rpath = format!("{path}.routes.{pop}");
        let Some(i) = scen.populations.iter().position(|p| &p.name == pop) else {
            return err(rpath, format!("unknown population `{pop}`"));
        };
        let mut chain = vec![route_target(rpath.clone(), &route.agent, deps, regions)?];
        for (k, fb) in route.fallbacks.iter().enumerate() {
            chain.push(route_target(
                format!("{rpath}.fallbacks[{k}]"),
                fb,
                deps,
                regions,
            )?);
        }
        if chain.len() > 1 && full == OnFull::Wait {
            return err(
                format!("{rpath}.fallbacks"),
                format!("fallbacks are only tried when a full region rejects: set `{path}.on_full` to \"reject\""),
            );
        }
        by_pop[i] = Some(Route { chain });
    }
    let mut out = Vec::with_capacity(by_pop.len());
    for (i, r) in by_pop.into_iter().enumerate() {
        match r {
            Some(r) => out.push(r),
            None => {
                return err(
                    format!("{path}.routes"),
                    format!(
                        "population `{}` is routed to nothing; add it to `routes`",
                        scen.populations[i].name
                    ),
                )
            }
        }
    }
    Ok(PolicySpec::Explicit {
        routes: out,
        redispatch_delay_s: match redispatch_delay {
            Some(s) => secs(&format!("{path}.redispatch_delay"), s)?,
            None => 1.0,
        },
        on_full: full,
    })
}

/// Per population, the agent's deployments in the regions it may use (all of
/// them for a population not listed).
fn allowed_per_population(
    path: &str,
    allowed: &BTreeMap<String, Vec<String>>,
    deployments: &[usize],
    scen: &RawScenario,
    deps: &[Deployment],
    regions: &[Region],
) -> R<Vec<Vec<usize>>> {
    let mut per_pop: Vec<Vec<usize>> = vec![deployments.to_vec(); scen.populations.len()];
    for (pop, ids) in allowed {
        let apath = format!("{path}.allowed.{pop}");
        let Some(i) = scen.populations.iter().position(|p| &p.name == pop) else {
            return err(apath, format!("unknown population `{pop}`"));
        };
        let mut set = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let r = region_index(regions, &format!("{apath}[{k}]"), id)?;
            set.extend(deployments.iter().copied().filter(|&d| deps[d].region == r));
        }
        if set.is_empty() {
            return err(
                apath,
                format!("population `{pop}` may use no region where the agent is deployed"),
            );
        }
        per_pop[i] = set;
    }
    Ok(per_pop)
}

/// The main policy and the labelled alternatives.
pub(super) fn policies(
    scen: &RawScenario,
    deps: &[Deployment],
    regions: &[Region],
) -> R<(PolicySpec, Vec<NamedPolicy>)> {
    let main = one("policy", &scen.policy, scen, deps, regions)?;
    let mut alternatives = Vec::with_capacity(scen.policies.len());
    for (label, raw) in &scen.policies {
        let path = format!("policies.{label}");
        if label.is_empty() || label.contains(',') {
            return err(
                path,
                "a policy label must be non-empty and contain no comma",
            );
        }
        if label == main.name() {
            return err(
                path,
                format!("`{label}` already names the main `policy`; give this alternative another label"),
            );
        }
        alternatives.push(NamedPolicy {
            label: label.clone(),
            spec: one(&path, raw, scen, deps, regions)?,
        });
    }
    Ok((main, alternatives))
}
