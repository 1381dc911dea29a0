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
