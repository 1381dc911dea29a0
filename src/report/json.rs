//! `summary.json`, the stable machine interface, laid out from the metric
//! catalogue (`stats::metrics`). Names are never renamed without bumping
//! [`SCHEMA_VERSION`]. Every scalar that varies
//! across replications has a sibling `<name>_ci` holding its confidence
//! half-width (null with a single replication).

use serde_json::{json, Map, Value};

use super::json_values::{num, put_all};
use super::provenance::Provenance;
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::metrics::{POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS};
use crate::stats::Summary;

/// Version of the `summary.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

/// The `metrics` object of a summary and its half-widths.
pub(crate) fn metrics(world: &World, p: &Summary, h: Option<&Summary>) -> Value {
    let mut m = Map::new();
    put_all(&mut m, SUMMARY_METRICS, p, h, world);
    let regions = world
        .regions()
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
        .populations()
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
        "scenario": world.name(),
        "description": world.description(),
        "seed": world.run().seed,
        "replications": est.replications,
        "confidence": est.confidence,
        "policy": world.policy().name(),
        "horizon_s": world.run().horizon_s,
        "warmup_s": world.run().warmup_s,
        "bin_s": world.run().bin_s,
        "slo": { "media_rtt_ms": world.slo().media_rtt_ms, "join_latency_ms": world.slo().join_latency_s * 1000.0 },
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
