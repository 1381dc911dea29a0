//! A deployment's `workers` block: its file form and its validation into a
//! [`WorkerSpec`]. Every rule of the worker model is checked here, once, with
//! the JSON path of the offending value; the engine trusts the result.

use super::field::{dist, err, secs, R};
use super::raw::workers::{RawAutoscale, RawWorkerLoad, RawWorkers};
use super::raw::RawDeployment;
use super::units::Secs;
use crate::model::dist::TimeDist;
use crate::model::timeline::TimelineEvent;
use crate::model::workers::{Autoscale, LoadModel, Measurement, WorkerSpec};
use crate::model::Deployment;

/// A deployment's supply: a slot count, or workers (whose nominal capacity at
/// the start stands in for the slot count in reports).
pub(super) fn capacity_or_workers(path: &str, d: &RawDeployment) -> R<(u32, Option<WorkerSpec>)> {
    match (d.capacity, &d.workers) {
        (Some(c), None) => Ok((c, None)),
        (None, None) => err(path, "give `capacity` (slots) or `workers`"),
        (Some(_), Some(_)) => err(
            format!("{path}.workers"),
            "give either `capacity` (slots) or `workers`, not both",
        ),
        (None, Some(w)) => {
            let spec = workers(&format!("{path}.workers"), w)?;
            for (field, given) in [
                ("created_at", d.created_at.is_some()),
                ("ready_after", d.ready_after.is_some()),
            ] {
                if given {
                    return err(
                        format!("{path}.{field}"),
                        "a deployment with workers exists from the start; use `autoscale` with `min: 0` for one that sleeps",
                    );
                }
            }
            Ok((spec.initial_capacity(), Some(spec)))
        }
    }
}

/// Timeline events change slot supply; a deployment with workers scales itself.
pub(super) fn no_timeline_on_workers(events: &[TimelineEvent], deps: &[Deployment]) -> R<()> {
    for (i, e) in events.iter().enumerate() {
        if let Some(d) = e
            .steps
            .iter()
            .map(|s| s.action.deployment())
            .find(|&d| deps[d].workers.is_some())
        {
            return err(
                format!("timeline[{i}]"),
                format!(
                    "`{}` has workers: timeline events apply to slot deployments only (workers scale through `autoscale`)",
                    deps[d].agent
                ),
            );
        }
    }
    Ok(())
}

/// A number in (0, 1].
fn unit_share(path: &str, v: f64) -> R<f64> {
    if v.is_finite() && v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        err(path, format!("must be in (0, 1], got {v}"))
    }
}

/// Validate `deployments[i].workers` (at `path`).
pub(super) fn workers(path: &str, raw: &RawWorkers) -> R<WorkerSpec> {
    let threshold = match raw.load_threshold {
        Some(t) => unit_share(&format!("{path}.load_threshold"), t)?,
        None => Measurement::PLATFORM.threshold,
    };
    let interval = |field: &str, v: Option<Secs>, default: f64| match v {
        Some(v) => secs(&format!("{path}.{field}"), v),
        None => Ok(default),
    };
    let window = raw.window.unwrap_or(Measurement::PLATFORM.window);
    if window == 0 || window > 10_000 {
        return err(
            format!("{path}.window"),
            format!("must be between 1 and 10000 samples, got {window}"),
        );
    }
    let measure = Measurement {
        sample_interval_s: interval(
            "sample_interval",
            raw.sample_interval,
            Measurement::PLATFORM.sample_interval_s,
        )?,
        window,
        report_interval_s: interval(
            "report_interval",
            raw.report_interval,
            Measurement::PLATFORM.report_interval_s,
        )?,
        threshold,
    };
    let load = load(&format!("{path}.load"), &raw.load, &measure)?;
    let (count, autoscale) = match (raw.count, &raw.autoscale) {
        (Some(_), Some(_)) => {
            return err(
                format!("{path}.autoscale"),
                "give either `count` (a fixed number of workers) or `autoscale`, not both",
            )
        }
        (None, None) => return err(path, "give `count` (fixed workers) or `autoscale`"),
        (Some(n), None) => (n, None),
        (None, Some(a)) => (0, Some(autoscale(&format!("{path}.autoscale"), a)?)),
    };
    let process_start = match &raw.process_start {
        Some(d) => dist(&format!("{path}.process_start"), d)?,
        None => TimeDist::deterministic(1.0).expect("valid constant"),
    };
    let spec = WorkerSpec {
        count,
        autoscale,
        load,
        measure,
        idle_processes: raw.idle_processes.unwrap_or(4),
        process_start,
    };
    // The size and target rules, kept in the model so a plan's changes meet them too.
    if let Err((field, message)) = spec.check() {
        return err(format!("{path}.{field}"), message);
    }
    if spec.sessions_at_threshold() == 0 {
        return err(
            format!("{path}.load"),
            "a worker could not take a single session under the threshold: lower `base` or `per_session`",
        );
    }
    Ok(spec)
}

fn load(path: &str, raw: &RawWorkerLoad, m: &Measurement) -> R<LoadModel> {
    let base = raw.base.unwrap_or(0.0);
    if !(base.is_finite() && base >= 0.0 && base < m.threshold) {
        return err(
            format!("{path}.base"),
            format!(
                "must be >= 0 and below the load threshold ({}), got {base}",
                m.threshold
            ),
        );
    }
    let per_session = match (raw.per_session, raw.sessions_per_worker) {
        (Some(_), Some(_)) => {
            return err(
                format!("{path}.sessions_per_worker"),
                "give either `per_session` or `sessions_per_worker`, not both",
            )
        }
        (None, None) => return err(path, "give `per_session` or `sessions_per_worker`"),
        (Some(p), None) => {
            if !(p.is_finite() && p > 0.0 && p <= 1.0) {
                return err(
                    format!("{path}.per_session"),
                    format!("must be in (0, 1], got {p}"),
                );
            }
            p
        }
        (None, Some(n)) => {
            if n == 0 || n > 1_000_000 {
                return err(
                    format!("{path}.sessions_per_worker"),
                    format!("must be between 1 and 1000000, got {n}"),
                );
            }
            (m.threshold - base) / f64::from(n)
        }
    };
    let noise = raw.noise.unwrap_or(0.0);
    if !(noise.is_finite() && (0.0..=1.0).contains(&noise)) {
        return err(
            format!("{path}.noise"),
            format!("must be between 0 and 1, got {noise}"),
        );
    }
    if noise > 0.0 && m.sample_interval_s == 0.0 {
        return err(
            format!("{path}.noise"),
            "noise is added to each load sample: it needs `sample_interval` > 0",
        );
    }
    Ok(LoadModel {
        base,
        per_session,
        noise,
    })
}

/// `autoscale.min` or `autoscale.min_hourly`: the floor, flat or per UTC hour.
fn floor(path: &str, raw: &RawAutoscale) -> R<(u32, Option<[u32; 24]>)> {
    match (raw.min, &raw.min_hourly) {
        (Some(_), Some(_)) => err(
            format!("{path}.min_hourly"),
            "give either `min` (one floor) or `min_hourly` (24 floors, UTC hours), not both",
        ),
        (None, None) => err(
            format!("{path}.min"),
            "give `min` (fewest workers) or `min_hourly` (24 values, one per UTC hour)",
        ),
        (Some(m), None) => Ok((m, None)),
        (None, Some(h)) => match <[u32; 24]>::try_from(h.as_slice()) {
            Ok(h) => Ok((h.iter().copied().min().unwrap_or(0), Some(h))),
            Err(_) => err(
                format!("{path}.min_hourly"),
                format!(
                    "must list 24 floors, one per UTC hour from 00:00, got {}",
                    h.len()
                ),
            ),
        },
    }
}

fn autoscale(path: &str, raw: &RawAutoscale) -> R<Autoscale> {
    // Sizes are checked with the whole spec (`WorkerSpec::check`).
    let (min, hourly) = floor(path, raw)?;
    let initial = raw.initial.unwrap_or(hourly.map_or(min, |h| h[0]));
    let target_load = match raw.target_load {
        Some(t) => unit_share(&format!("{path}.target_load"), t)?,
        None => 0.5,
    };
    let interval_s = match raw.interval {
        Some(v) => secs(&format!("{path}.interval"), v)?,
        None => 30.0,
    };
    if interval_s <= 0.0 {
        return err(
            format!("{path}.interval"),
            "must be > 0 (the autoscaler evaluates every `interval`)",
        );
    }
    let mut a = Autoscale {
        min,
        min_hourly: None,
        max: raw.max,
        initial,
        target_load,
        interval_s,
        provisioning: match &raw.provisioning {
            Some(d) => dist(&format!("{path}.provisioning"), d)?,
            None => TimeDist::uniform(10.0, 20.0).expect("valid constant"),
        },
        cooldown_s: match raw.cooldown {
            Some(v) => secs(&format!("{path}.cooldown"), v)?,
            None => 600.0,
        },
    };
    if let Some(h) = hourly {
        a.set_hourly(h);
    }
    Ok(a)
}
