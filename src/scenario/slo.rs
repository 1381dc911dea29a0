//! Validation of the `slo` section's planning part: `slo.targets` (metric ->
//! limit overall, per population, per region) and `slo.cost` (region -> relative
//! slot-hour cost). Names, scopes and ranges are checked once here, so the
//! planner receives only targets it can evaluate.

use std::collections::BTreeMap;

use super::field::{err, region_index, R};
use super::raw::RawSlo;
use crate::model::target::{check_limit, Scope, Target, TargetMetric, METRICS};
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
    check_limit(metric, scope, limit).or_else(|m| err(path, m))?;
    out.push(Target {
        metric,
        scope,
        limit,
    });
    Ok(())
}

fn entries(out: &mut Vec<Target>, base: &str, map: &BTreeMap<String, f64>, scope: Scope) -> R<()> {
    for (name, &limit) in map {
        let path = format!("{base}.{name}");
        push(out, &path, metric(&path, name)?, scope, limit)?;
    }
    Ok(())
}

/// The planning targets, overall first, then per population and per region in
/// scenario order.
pub fn targets(raw: &RawSlo, pops: &[Population], regions: &[Region]) -> R<Vec<Target>> {
    let t = &raw.targets;
    let mut out = Vec::new();
    entries(&mut out, "slo.targets", &t.overall, Scope::Overall)?;
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
    out.sort_by_key(|t| (t.scope, t.metric));
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
