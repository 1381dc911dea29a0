//! Validation of the `slo` section's planning part: `slo.targets` (metric ->
//! limit overall, per population, per region), `slo.every_population` (each
//! overall target also per population), `slo.cost` (region -> relative
//! slot-hour cost), `slo.fairness_factor` and `slo.resilience` (targets that
//! hold with any one deployment down). Names, scopes and ranges are
//! checked once here, so the planner receives only targets it can evaluate.

use std::collections::BTreeMap;

use super::field::{err, region_index, secs, R};
use super::raw::{RawSlo, RawTargets};
use crate::model::target::{Resilience, Scope, Target, TargetMetric, METRICS};
use crate::model::{Population, Region, RunSpec};

fn metric(path: &str, name: &str) -> R<TargetMetric> {
    TargetMetric::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = METRICS.iter().map(|m| m.1).collect();
        super::field::VErr {
            path: path.into(),
            message: format!(
                "unknown target metric `{name}`; use one of {}",
                known.join(", ")
            ),
        }
    })
}

fn push(
    out: &mut Vec<Target>,
    path: &str,
    metric: TargetMetric,
    scope: Scope,
    limit: f64,
) -> R<()> {
    match Target::new(metric, scope, limit) {
        Ok(t) => out.push(t),
        Err(m) => return err(path, m),
    }
    Ok(())
}

fn entries(out: &mut Vec<Target>, base: &str, map: &BTreeMap<String, f64>, scope: Scope) -> R<()> {
    for (name, &limit) in map {
        let path = format!("{base}.{name}");
        push(out, &path, metric(&path, name)?, scope, limit)?;
    }
    Ok(())
}

/// Each overall target (but utilisation, which is per region) as the same
/// target for every population, so every population must meet it. A
/// population's own target on the same metric is kept as written: that is how
/// a scenario states an exception (a population far from every region cannot
/// meet the overall media RTT whatever the capacity).
fn every_population(out: &mut Vec<Target>, pops: usize) {
    let overall: Vec<Target> = out
        .iter()
        .filter(|t| t.scope() == Scope::Overall && t.metric() != TargetMetric::Utilization)
        .copied()
        .collect();
    for t in overall {
        for p in 0..pops {
            let scope = Scope::Population(p);
            if !out
                .iter()
                .any(|o| o.scope() == scope && o.metric() == t.metric())
            {
                out.extend(t.at(scope).ok());
            }
        }
    }
}

/// The planning targets, overall first, then per population and per region in
/// scenario order (with `slo.every_population`, each population gains the
/// overall targets). A worker deployments' figure (`over_admission_rate`, ...) is refused
/// when no deployment runs on workers: nothing would measure it.
pub fn targets(
    raw: &RawSlo,
    pops: &[Population],
    regions: &[Region],
    has_workers: bool,
) -> R<Vec<Target>> {
    let mut out = targets_at("slo.targets", &raw.targets, pops, regions, has_workers)?;
    if raw.every_population {
        every_population(&mut out, pops.len());
    }
    out.sort_by_key(|t| (t.scope(), t.metric()));
    Ok(out)
}

/// The targets of one `targets` object at `base` (`slo.targets`,
/// `slo.resilience.targets`), in scenario order.
fn targets_at(
    base: &str,
    t: &RawTargets,
    pops: &[Population],
    regions: &[Region],
    has_workers: bool,
) -> R<Vec<Target>> {
    let mut out = Vec::new();
    entries(&mut out, base, &t.overall, Scope::Overall)?;
    if let Some(m) = out.iter().map(|t| t.metric()).find(|m| m.on_workers()) {
        if !has_workers {
            return err(
                format!("{base}.{}", m.name()),
                format!(
                    "`{}` is a figure of deployments on workers and no deployment has `workers`; use it with worker deployments only",
                    m.name()
                ),
            );
        }
    }
    for name in t.populations.keys() {
        if !pops.iter().any(|p| &p.name == name) {
            let names: Vec<&str> = pops.iter().map(|p| p.name.as_str()).collect();
            // A region given where a population belongs (`overflow_rate[eu-central]`).
            let why = if regions.iter().any(|r| &r.id == name) {
                "is a region; targets are scoped by population (only `utilization` by region)"
            } else {
                "is not a population"
            };
            return err(
                format!("{base}.populations.{name}"),
                format!("`{name}` {why}; the populations: {}", names.join(", ")),
            );
        }
    }
    for (i, p) in pops.iter().enumerate() {
        if let Some(map) = t.populations.get(&p.name) {
            let at = format!("{base}.populations.{}", p.name);
            entries(&mut out, &at, map, Scope::Population(i))?;
        }
    }
    for (id, map) in &t.regions {
        let at = format!("{base}.regions.{id}");
        let r = region_index(regions, &at, id)?;
        entries(&mut out, &at, map, Scope::Region(r))?;
    }
    Ok(out)
}

/// Default length of a failure window: long enough for the surviving
/// deployments to reach the load they carry while one is down (sessions last
/// minutes), short enough to sit in one deployment's busiest hours.
pub const DEFAULT_FAILURE_S: f64 = 7200.0;

/// `slo.resilience`: at least one target, none a utilisation floor (a floor
/// asks for less capacity, which a failure cannot justify); a failure window
/// of positive length starting inside the statistics window.
pub fn resilience(
    raw: &RawSlo,
    pops: &[Population],
    regions: &[Region],
    (run, has_workers): (&RunSpec, bool),
) -> R<Option<Resilience>> {
    let Some(r) = &raw.resilience else {
        return Ok(None);
    };
    let base = "slo.resilience.targets";
    let mut targets = targets_at(base, &r.targets, pops, regions, has_workers)?;
    if targets.is_empty() {
        return err(
            base,
            "give at least one target that must hold with a deployment down, e.g. {\"rejection_rate\": 0.05}",
        );
    }
    if let Some(t) = targets
        .iter()
        .find(|t| t.metric() == TargetMetric::Utilization)
    {
        let at = match t.scope() {
            Scope::Region(i) => format!("{base}.regions.{}.utilization", regions[i].id),
            _ => format!("{base}.utilization"),
        };
        return err(
            at,
            "a utilisation floor is not a resilience target (it asks for less capacity); keep it in slo.targets",
        );
    }
    targets.sort_by_key(|t| (t.scope(), t.metric()));
    let duration_s = match r.duration {
        Some(d) => secs("slo.resilience.duration", d)?,
        None => DEFAULT_FAILURE_S,
    };
    if duration_s <= 0.0 {
        return err("slo.resilience.duration", "must be longer than 0 s");
    }
    let at_s = match r.at {
        Some(a) => {
            let a = secs("slo.resilience.at", a)?;
            if a < run.warmup_s || a >= run.horizon_s {
                return err(
                    "slo.resilience.at",
                    format!(
                        "must lie in the statistics window [{} s, {} s) (after the warm-up, before the horizon), got {a} s",
                        run.warmup_s, run.horizon_s
                    ),
                );
            }
            Some(a)
        }
        None => None,
    };
    let failover = super::timeline::failover("slo.resilience", r.sessions, r.detect)?;
    Ok(Some(Resilience {
        targets,
        duration_s,
        at_s,
        failover,
    }))
}

/// Relative slot-hour cost per region: 1 unless `slo.cost` says otherwise.
pub fn cost(raw: &RawSlo, regions: &[Region]) -> R<Vec<f64>> {
    let mut cost = vec![1.0; regions.len()];
    for (id, &c) in &raw.cost {
        let path = format!("slo.cost.{id}");
        let r = region_index(regions, &path, id)?;
        if !(c.is_finite() && c > 0.0) {
            return err(path, format!("must be a finite number > 0, got {c}"));
        }
        cost[r] = c;
    }
    Ok(cost)
}

/// `slo.fairness_factor`: a finite number of at least 1 (below 1 a population
/// would be flagged for doing better than the target).
pub fn fairness_factor(raw: &RawSlo) -> R<f64> {
    let f = raw.fairness_factor;
    if !(f.is_finite() && f >= 1.0) {
        return err(
            "slo.fairness_factor",
            format!(
                "must be a finite number >= 1 (a population is flagged when its worst hour is more than this many times the overall target), got {f}"
            ),
        );
    }
    Ok(f)
}
