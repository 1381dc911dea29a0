//! Validation of the `slo` section's planning part: `slo.targets` (metric ->
//! limit overall, per population, per region), `slo.every_population` (each
//! overall target also per population), `slo.cost` (region -> relative
//! slot-hour cost) and `slo.fairness_factor`. Names, scopes and ranges are
//! checked once here, so the planner receives only targets it can evaluate.

use std::collections::BTreeMap;

use super::field::{err, region_index, R};
use super::raw::RawSlo;
use crate::model::target::{Scope, Target, TargetMetric, METRICS};
use crate::model::{Population, Region};

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
/// overall targets).
/// A worker deployments' figure (`over_admission_rate`, ...) is refused
/// when no deployment runs on workers: nothing would measure it.
pub fn targets(
    raw: &RawSlo,
    pops: &[Population],
    regions: &[Region],
    has_workers: bool,
) -> R<Vec<Target>> {
    let t = &raw.targets;
    let mut out = Vec::new();
    entries(&mut out, "slo.targets", &t.overall, Scope::Overall)?;
    if let Some(m) = out.iter().map(|t| t.metric()).find(|m| m.on_workers()) {
        if !has_workers {
            return err(
                format!("slo.targets.{}", m.name()),
                format!(
                    "`{}` is a figure of deployments on workers and no deployment has `workers`; use it with worker deployments only",
                    m.name()
                ),
            );
        }
    }
    for name in t.populations.keys() {
        if !pops.iter().any(|p| &p.name == name) {
            return err(
                format!("slo.targets.populations.{name}"),
                format!("unknown population `{name}`"),
            );
        }
    }
    for (i, p) in pops.iter().enumerate() {
        if let Some(map) = t.populations.get(&p.name) {
            let base = format!("slo.targets.populations.{}", p.name);
            entries(&mut out, &base, map, Scope::Population(i))?;
        }
    }
    for (id, map) in &t.regions {
        let base = format!("slo.targets.regions.{id}");
        let r = region_index(regions, &base, id)?;
        entries(&mut out, &base, map, Scope::Region(r))?;
    }
    if raw.every_population {
        every_population(&mut out, pops.len());
    }
    out.sort_by_key(|t| (t.scope(), t.metric()));
    Ok(out)
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
