//! Raw scenario -> validated [`World`]: every range, reference and cross-field
//! rule is checked once, here or in the part modules beside it (populations,
//! workers, timeline, slo, policy), with the JSON path of the offending value.

use super::field::{coord, dist, err, finite_at_least, region_index, secs, VErr, R};
use super::latency::latency;
use super::raw::*;
use super::units::Secs;
use crate::model::dist::TimeDist;
use crate::model::{reference, Delays, Deployment, Region, RunSpec, Slo, World, WorldParts};

fn regions(raw: &[RawRegion]) -> R<Vec<Region>> {
    let mut out: Vec<Region> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let path = format!("regions[{i}]");
        let region = match r {
            RawRegion::Id(id) => {
                match reference::region(id) {
                    Some(b) => Region {
                        id: id.clone(),
                        name: b.name.into(),
                        location: b.location,
                        agents: true,
                        media_edge: true,
                    },
                    None => {
                        let known: Vec<_> = reference::REGIONS.iter().map(|r| r.id).collect();
                        return err(path, format!("`{id}` is not a built-in region ({}); define it with id, lat and lon", known.join(", ")));
                    }
                }
            }
            RawRegion::Def(d) => {
                let builtin = reference::region(&d.id);
                let location = match (d.lat, d.lon, builtin) {
                    (Some(lat), Some(lon), _) => coord(&path, lat, lon)?,
                    (None, None, Some(b)) => b.location,
                    _ => {
                        // Point at the missing one (the object when both are).
                        let missing = match (d.lat, d.lon) {
                            (Some(_), None) => format!("{path}.lon"),
                            (None, Some(_)) => format!("{path}.lat"),
                            _ => path,
                        };
                        return err(
                            missing,
                            format!("region `{}` needs both `lat` and `lon`", d.id),
                        );
                    }
                };
                if d.id.is_empty() {
                    return err(format!("{path}.id"), "must not be empty");
                }
                Region {
                    id: d.id.clone(),
                    name: d
                        .name
                        .clone()
                        .or(builtin.map(|b| b.name.to_string()))
                        .unwrap_or_else(|| d.id.clone()),
                    location,
                    agents: d.agents.unwrap_or(true),
                    media_edge: d.media_edge.unwrap_or(true),
                }
            }
        };
        if out.iter().any(|o| o.id == region.id) {
            let at = match r {
                RawRegion::Def(_) => format!("{path}.id"),
                RawRegion::Id(_) => path,
            };
            return err(at, format!("region `{}` is defined twice", region.id));
        }
        out.push(region);
    }
    if out.is_empty() {
        return err("regions", "must list at least one region");
    }
    if !out.iter().any(|r| r.media_edge) {
        return err(
            "regions",
            "no region has a media edge (`media_edge`), so users cannot connect",
        );
    }
    Ok(out)
}

fn deployments(raw: &[RawDeployment], regions: &[Region]) -> R<Vec<Deployment>> {
    let mut out: Vec<Deployment> = Vec::with_capacity(raw.len());
    for (i, d) in raw.iter().enumerate() {
        let path = format!("deployments[{i}]");
        if d.agent.is_empty() {
            return err(format!("{path}.agent"), "must not be empty");
        }
        let region = region_index(regions, &format!("{path}.region"), &d.region)?;
        if !regions[region].agents {
            return err(
                format!("{path}.region"),
                format!(
                    "region `{}` does not host agents (`agents: false`)",
                    d.region
                ),
            );
        }
        if out.iter().any(|o| o.agent == d.agent && o.region == region) {
            return err(
                format!("{path}.region"),
                format!(
                    "agent `{}` is deployed twice in `{}`; give one deployment its total capacity",
                    d.agent, d.region
                ),
            );
        }
        let when = |field: &str, v: Option<Secs>| match v {
            Some(v) => secs(&format!("{path}.{field}"), v),
            None => Ok(0.0),
        };
        let (capacity, workers) = super::workers::capacity_or_workers(&path, d)?;
        out.push(Deployment {
            agent: d.agent.clone(),
            region,
            capacity,
            workers,
            created_at_s: when("created_at", d.created_at)?,
            ready_after_s: when("ready_after", d.ready_after)?,
            max_queue: d.max_queue.unwrap_or(crate::model::DEFAULT_MAX_QUEUE),
            declared_by: crate::model::DeclaredBy::Deployments(i),
        });
    }
    if out.is_empty() {
        return err("deployments", "must list at least one deployment");
    }
    super::checks::capacity_total(&out)?;
    Ok(out)
}

fn run(raw: &RawRun) -> R<RunSpec> {
    let horizon = secs("run.horizon", raw.horizon)?;
    super::checks::horizon("run.horizon", horizon)?;
    let warmup = secs("run.warmup", raw.warmup)?;
    if warmup >= horizon {
        return err(
            "run.warmup",
            format!("must be shorter than the horizon ({horizon} s), got {warmup} s"),
        );
    }
    let bin = secs("run.bin", raw.bin)?;
    if bin <= 0.0 || horizon / bin > 1e6 {
        return err(
            "run.bin",
            format!("must be > 0 and give at most a million bins over the horizon, got {bin} s"),
        );
    }
    if raw.replications == 0 || raw.replications > 100_000 {
        return err(
            "run.replications",
            format!("must be between 1 and 100000, got {}", raw.replications),
        );
    }
    let c = raw.confidence;
    if !(c.is_finite() && c > 0.0 && c < 1.0) {
        return err(
            "run.confidence",
            format!("must be strictly between 0 and 1 (e.g. 0.95), got {c}"),
        );
    }
    Ok(RunSpec {
        horizon_s: horizon,
        warmup_s: warmup,
        seed: raw.seed,
        replications: raw.replications,
        bin_s: bin,
        confidence: c,
        population_series: false,
    })
}

/// Check everything and build the world.
pub fn build(raw: RawScenario) -> R<World> {
    super::names::check_all(&raw)?;
    super::limits::check_shape(&raw)?;
    let regions = regions(&raw.regions)?;
    let geo = latency(&raw.latency, &regions)?;
    let run = run(&raw.run)?;
    let mut deployments = deployments(&raw.deployments, &regions)?;
    for (i, d) in deployments.iter().enumerate() {
        if d.created_at_s > run.horizon_s {
            return err(
                format!("deployments[{i}].created_at"),
                format!("must be within the horizon ({} s)", run.horizon_s),
            );
        }
    }
    super::timeline::created_deployments(&raw, &regions, &mut deployments)?;
    let (mut populations, cities) = super::populations::populations(&raw, &regions, &geo)?;
    let timeline = super::timeline::events(&raw, &regions, &deployments, &mut populations, &run)?;
    super::workers::no_timeline_on_workers(&timeline.events, &deployments)?;
    let (policy, alternatives) = super::policy::policies(&raw, &deployments, &regions)?;
    let zero = TimeDist::ZERO;
    let delays = Delays {
        dispatch: match &raw.latency.dispatch {
            Some(d) => dist("latency.dispatch", d)?,
            None => TimeDist::uniform(0.05, 0.15).expect("valid constant"),
        },
        startup: match &raw.latency.startup {
            Some(d) => dist("latency.startup", d)?,
            None => zero.clone(),
        },
        jitter: match &raw.latency.jitter {
            Some(d) => dist("latency.jitter", d)?,
            None => zero,
        },
    };
    let has_workers = deployments.iter().any(|d| d.workers.is_some());
    let slo = Slo {
        media_rtt_ms: finite_at_least("slo.media_rtt_ms", raw.slo.media_rtt_ms, 0.0)?,
        join_latency_s: secs("slo.join_latency", raw.slo.join_latency)?,
        targets: super::slo::targets(&raw.slo, &populations, &regions, has_workers)?,
        cost: super::slo::cost(&raw.slo, &regions)?,
        fairness_factor: super::slo::fairness_factor(&raw.slo)?,
        resilience: super::slo::resilience(&raw.slo, &populations, &regions, (&run, has_workers))?,
    };
    let sites = super::sites::sites(
        &raw.plan,
        &regions,
        (&deployments, &timeline.events),
        &policy,
    )?;
    let parts = WorldParts {
        name: raw.name,
        description: raw.description,
        regions,
        deployments,
        populations,
        cities,
        policy,
        alternatives,
        delays,
        slo,
        run,
        timeline: timeline.events,
        notes: timeline.notes,
        sites,
    };
    // Every index was resolved above; a failure here is a validation gap.
    World::new(parts).map_err(|message| VErr {
        path: "deployments".into(),
        message,
    })
}
