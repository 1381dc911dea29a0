//! The metric catalogue laid out as JSON values: every figure beside its
//! `_ci` half-width, dotted keys as nested objects. One place, shared by
//! `summary.json` and its timeline and worker sections, so the sections need
//! not call one another.

use serde_json::{Map, Value};

use crate::model::World;
use crate::stats::metrics::{self, Metric};
use crate::stats::Stat;

/// A JSON number, or null for NaN.
pub(crate) fn num(x: f64) -> Value {
    // NaN (e.g. a percentile of no sessions) becomes null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Insert `value` at a dotted `key`, creating nested objects in order.
fn insert_at(map: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('.') {
        None => {
            map.insert(key.into(), value);
        }
        Some((head, rest)) => {
            let child = map.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = child {
                insert_at(m, rest, value);
            }
        }
    }
}

/// `key` and its half-width `key_ci` (null without replications to spread).
fn put(map: &mut Map<String, Value>, key: &str, point: f64, hw: Option<f64>) {
    insert_at(map, key, num(point));
    insert_at(map, &format!("{key}_ci"), hw.map_or(Value::Null, num));
}

/// Every metric of `catalogue` into `map`, in catalogue order; `regions` names
/// the keys of per-region metrics.
pub(super) fn put_all<S>(
    map: &mut Map<String, Value>,
    catalogue: &'static [Metric<S>],
    p: &S,
    h: Option<&S>,
    world: &World,
) {
    for m in catalogue {
        match &m.value {
            metrics::Value::Scalar(get, _) => put(map, m.key, get(p), h.map(get)),
            metrics::Value::Dist(get, _) => {
                let mut o = Map::new();
                for st in Stat::ALL {
                    put(&mut o, st.key(), st.of(get(p)), h.map(|h| st.of(get(h))));
                }
                insert_at(map, m.key, Value::Object(o));
            }
            metrics::Value::PerRegion(get, _) => {
                // Regions that never serve this population are left out.
                let (v, hv) = (get(p), h.map(get));
                let mut by = Map::new();
                let mut by_ci = Map::new();
                for (r, region) in world.regions().iter().enumerate() {
                    if v[r] > 0.0 || hv.is_some_and(|h| h[r] > 0.0) {
                        by.insert(region.id.clone(), num(v[r]));
                        by_ci.insert(region.id.clone(), hv.map_or(Value::Null, |h| num(h[r])));
                    }
                }
                insert_at(map, m.key, Value::Object(by));
                insert_at(map, &format!("{}_ci", m.key), Value::Object(by_ci));
            }
        }
    }
}

/// How many JSON values (numbers, nulls and objects) `put_all` writes for
/// one item of `catalogue` with each of `regions` regions listed (the most
/// a per-region metric lists): the memory estimate counts `summary.json`'s
/// tree from the layout itself, not from a second account of it.
pub(crate) fn values_put<S>(catalogue: &'static [Metric<S>], regions: usize) -> usize {
    let mut heads: Vec<&str> = Vec::new();
    let mut n = 0;
    for m in catalogue {
        // A dotted key's head is an object of its own, made once.
        if let Some((head, _)) = m.key.split_once('.') {
            if !heads.contains(&head) {
                heads.push(head);
                n += 1;
            }
        }
        n += match &m.value {
            metrics::Value::Scalar(..) => 2,
            metrics::Value::Dist(..) => 1 + 2 * Stat::ALL.len(),
            metrics::Value::PerRegion(..) => 2 + 2 * regions,
        };
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::metrics::POPULATION_METRICS;

    /// The count agrees with the tree `put_all` builds, objects included.
    #[test]
    fn values_put_counts_what_put_all_writes() {
        fn values(v: &Value) -> usize {
            match v {
                Value::Object(m) => 1 + m.values().map(values).sum::<usize>(),
                _ => 1,
            }
        }
        let world = crate::scenario::parse(
            std::path::Path::new("t.json"),
            include_str!("../../scenarios/tests/tiny.json"),
        )
        .unwrap();
        let est = crate::experiment::replicate(&world, &()).unwrap();
        let regions = world.regions().len();
        let p = &est.point.populations[0];
        let mut m = Map::new();
        put_all(&mut m, POPULATION_METRICS, p, Some(p), &world);
        // Every region listed: the population is served by each.
        let served = p.served_by.iter().filter(|&&x| x > 0.0).count();
        let full = values_put(POPULATION_METRICS, regions);
        assert_eq!(values(&Value::Object(m)) - 1, full - 2 * (regions - served));
    }
}
