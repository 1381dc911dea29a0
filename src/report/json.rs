//! `summary.json`, the stable machine interface, laid out from the metric
//! catalogue (`stats::metrics`). Names are never renamed without bumping
//! [`SCHEMA_VERSION`]. Every scalar that varies
//! across replications has a sibling `<name>_ci` holding its confidence
//! half-width (null with a single replication).

use serde_json::{json, Map, Value};

use super::provenance::Provenance;
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::metrics::{self, Metric, POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS};
use crate::stats::{Stat, Summary};

/// Version of the `summary.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

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
                for (r, region) in world.regions.iter().enumerate() {
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

/// The `metrics` object of a summary and its half-widths.
pub(crate) fn metrics(world: &World, p: &Summary, h: Option<&Summary>) -> Value {
    let mut m = Map::new();
    put_all(&mut m, SUMMARY_METRICS, p, h, world);
    let regions = world
        .regions
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let mut o = Map::new();
            o.insert("id".into(), json!(region.id));
            o.insert("name".into(), json!(region.name));
            put_all(
                &mut o,
                REGION_METRICS,
                &p.regions[i],
                h.map(|h| &h.regions[i]),
                world,
            );
            Value::Object(o)
        })
        .collect();
    m.insert("regions".into(), Value::Array(regions));
    let pops = world
        .populations
        .iter()
        .enumerate()
        .map(|(i, pop)| {
            let mut o = Map::new();
            o.insert("name".into(), json!(pop.name));
            o.insert(
                "peak_offered_load_erlangs".into(),
                num(world.peak_offered_load(i)),
            );
            o.insert(
                "peak_session_load_erlangs".into(),
                num(world.peak_session_load(i)),
            );
            let (q, qh) = (&p.populations[i], h.map(|h| &h.populations[i]));
            put_all(&mut o, POPULATION_METRICS, q, qh, world);
            Value::Object(o)
        })
        .collect();
    m.insert("populations".into(), Value::Array(pops));
    Value::Object(m)
}

/// The `summary.json` text (pretty-printed, trailing newline).
pub fn summary_json(world: &World, est: &Estimate, prov: &Provenance) -> String {
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name,
        "description": world.description,
        "seed": world.run.seed,
        "replications": est.replications,
        "confidence": est.confidence,
        "policy": world.policy.name(),
        "horizon_s": world.run.horizon_s,
        "warmup_s": world.run.warmup_s,
        "bin_s": world.run.bin_s,
        "slo": { "media_rtt_ms": world.slo.media_rtt_ms, "join_latency_ms": world.slo.join_latency_s * 1000.0 },
        "events": est.pooled.events,
        "provenance": prov.to_json(world),
        "metrics": metrics(world, &est.point, est.half_width.as_ref()),
    });
    let mut doc = doc;
    if let Some(t) = super::timeline::timeline_json(world, est) {
        doc["timeline"] = t;
    }
    if let Some(w) = super::workers::workers_json(world, est) {
        doc["workers"] = w;
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}
