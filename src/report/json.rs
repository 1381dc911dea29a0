//! `summary.json`, the stable machine interface. Names listed in DESIGN.md are
//! never renamed without bumping [`SCHEMA_VERSION`]. Every scalar that varies
//! across replications has a sibling `<name>_ci` holding its confidence
//! half-width (null with a single replication).

use serde_json::{json, Map, Value};

use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::{DistSummary, Summary};

/// Version of the `summary.json` layout.
pub const SCHEMA_VERSION: u32 = 1;

pub(crate) fn num(x: f64) -> Value {
    // NaN (e.g. a percentile of no sessions) becomes null.
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Puts `key` and `key_ci`.
#[derive(Default)]
struct Obj {
    map: Map<String, Value>,
}

impl Obj {
    fn put(&mut self, key: &str, point: f64, hw: Option<f64>) {
        self.map.insert(key.into(), num(point));
        self.map
            .insert(format!("{key}_ci"), hw.map_or(Value::Null, num));
    }
    fn raw(&mut self, key: &str, v: Value) {
        self.map.insert(key.into(), v);
    }
    fn done(self) -> Value {
        Value::Object(self.map)
    }
}

fn dist(p: &DistSummary, h: Option<&DistSummary>) -> Value {
    let mut o = Obj::default();
    o.put("mean", p.mean, h.map(|h| h.mean));
    o.put("p50", p.p50, h.map(|h| h.p50));
    o.put("p90", p.p90, h.map(|h| h.p90));
    o.put("p95", p.p95, h.map(|h| h.p95));
    o.put("p99", p.p99, h.map(|h| h.p99));
    o.put("p999", p.p999, h.map(|h| h.p999));
    o.done()
}

/// The `metrics` object of a summary and its half-widths.
pub(crate) fn metrics(world: &World, p: &Summary, h: Option<&Summary>) -> Value {
    let mut m = Obj::default();
    m.put("sessions", p.sessions, h.map(|h| h.sessions));
    m.put("served", p.served, h.map(|h| h.served));
    m.put("served_home", p.served_home, h.map(|h| h.served_home));
    m.put("overflow", p.overflow, h.map(|h| h.overflow));
    m.put("rejected", p.rejected, h.map(|h| h.rejected));
    m.put("abandoned", p.abandoned, h.map(|h| h.abandoned));
    m.put(
        "pending_at_horizon",
        p.pending_at_horizon,
        h.map(|h| h.pending_at_horizon),
    );
    m.put(
        "running_at_horizon",
        p.running_at_horizon,
        h.map(|h| h.running_at_horizon),
    );
    m.put("overflow_rate", p.overflow_rate, h.map(|h| h.overflow_rate));
    m.put(
        "rejection_rate",
        p.rejection_rate,
        h.map(|h| h.rejection_rate),
    );
    m.put(
        "abandonment_rate",
        p.abandonment_rate,
        h.map(|h| h.abandonment_rate),
    );
    m.put(
        "wait_probability",
        p.wait_probability,
        h.map(|h| h.wait_probability),
    );
    m.raw(
        "media_rtt_ms",
        dist(&p.media_rtt_ms, h.map(|h| &h.media_rtt_ms)),
    );
    m.raw(
        "join_latency_ms",
        dist(&p.join_latency_ms, h.map(|h| &h.join_latency_ms)),
    );
    m.raw("wait_ms", dist(&p.wait_ms, h.map(|h| &h.wait_ms)));
    let mut slo = Obj::default();
    slo.put("media_rtt", p.slo_rtt, h.map(|h| h.slo_rtt));
    slo.put("join_latency", p.slo_join, h.map(|h| h.slo_join));
    slo.put("both", p.slo_both, h.map(|h| h.slo_both));
    m.raw("slo_attainment", slo.done());
    let mut little = Obj::default();
    little.put("l", p.little_l, h.map(|h| h.little_l));
    little.put("lambda_w", p.little_lambda_w, h.map(|h| h.little_lambda_w));
    m.raw("littles_law", little.done());
    let regions = world
        .regions
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let (r, rh) = (&p.regions[i], h.map(|h| &h.regions[i]));
            let mut o = Obj::default();
            o.raw("id", json!(region.id));
            o.raw("name", json!(region.name));
            o.put("capacity", r.capacity, rh.map(|h| h.capacity));
            o.put("utilization", r.utilization, rh.map(|h| h.utilization));
            o.put(
                "mean_concurrency",
                r.mean_concurrency,
                rh.map(|h| h.mean_concurrency),
            );
            o.put(
                "concurrency_variance",
                r.concurrency_variance,
                rh.map(|h| h.concurrency_variance),
            );
            o.put(
                "peak_concurrency",
                r.peak_concurrency,
                rh.map(|h| h.peak_concurrency),
            );
            o.put("served", r.served, rh.map(|h| h.served));
            o.put("overflow_in", r.overflow_in, rh.map(|h| h.overflow_in));
            o.done()
        })
        .collect();
    m.raw("regions", Value::Array(regions));
    let pops = world
        .populations
        .iter()
        .enumerate()
        .map(|(i, pop)| {
            let (q, qh) = (&p.populations[i], h.map(|h| &h.populations[i]));
            let mut o = Obj::default();
            o.raw("name", json!(pop.name));
            o.raw("peak_offered_load_erlangs", num(world.peak_offered_load(i)));
            o.put("sessions", q.sessions, qh.map(|h| h.sessions));
            o.put("served", q.served, qh.map(|h| h.served));
            o.put(
                "overflow_rate",
                q.overflow_rate,
                qh.map(|h| h.overflow_rate),
            );
            o.put(
                "rejection_rate",
                q.rejection_rate,
                qh.map(|h| h.rejection_rate),
            );
            o.put(
                "abandonment_rate",
                q.abandonment_rate,
                qh.map(|h| h.abandonment_rate),
            );
            o.put(
                "wait_probability",
                q.wait_probability,
                qh.map(|h| h.wait_probability),
            );
            let mut by = Map::new();
            let mut by_ci = Map::new();
            for (r, region) in world.regions.iter().enumerate() {
                if q.served_by[r] > 0.0 || qh.is_some_and(|h| h.served_by[r] > 0.0) {
                    by.insert(region.id.clone(), num(q.served_by[r]));
                    by_ci.insert(
                        region.id.clone(),
                        qh.map_or(Value::Null, |h| num(h.served_by[r])),
                    );
                }
            }
            o.raw("served_by", Value::Object(by));
            o.raw("served_by_ci", Value::Object(by_ci));
            o.raw(
                "media_rtt_ms",
                dist(&q.media_rtt_ms, qh.map(|h| &h.media_rtt_ms)),
            );
            o.raw(
                "join_latency_ms",
                dist(&q.join_latency_ms, qh.map(|h| &h.join_latency_ms)),
            );
            o.done()
        })
        .collect();
    m.raw("populations", Value::Array(pops));
    m.done()
}

/// The `summary.json` text (pretty-printed, trailing newline).
pub fn summary_json(world: &World, est: &Estimate) -> String {
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
        "metrics": metrics(world, &est.point, est.half_width.as_ref()),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}
