//! Provenance: what produced a report, stamped into every output so a number can
//! be traced back to the code, the scenario file and the options that shaped it.
//!
//! Only what is the same for two runs of the same study goes in: tool version,
//! build commit, scenario file hash, policy label and parameters, seed,
//! replications, confidence, horizon and field overrides. No date, host, thread
//! count or path, so byte-identical outputs for the same seed stay a guarantee.

use serde_json::{json, Map, Value};

use crate::model::{OnFull, PolicySpec, SpillRule, World};

/// The tool's version (from Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the binary was built from, when the build could tell.
pub fn commit() -> Option<&'static str> {
    Some(env!("REGIONSIM_GIT_COMMIT")).filter(|c| !c.is_empty())
}

/// What a report was produced from, beyond the world itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// SHA-256 of the scenario file's bytes, lower-case hex (None for a world
    /// built in memory).
    pub scenario_sha256: Option<String>,
    /// The policy label the run used (`--policy`); None for the scenario's
    /// main policy.
    pub policy_label: Option<String>,
    /// Fields changed from the file, as (JSON path, value), in the order applied.
    pub overrides: Vec<(String, Value)>,
}

pub use crate::input::sha256_hex;

impl Provenance {
    /// Provenance of a scenario file: the digest of the bytes that were read
    /// and simulated.
    pub fn of_source(src: &crate::scenario::Source) -> Self {
        Self {
            scenario_sha256: Some(src.sha256().to_string()),
            ..Self::default()
        }
    }

    /// The `provenance` object of a JSON output.
    pub fn to_json(&self, world: &World) -> Value {
        let label = self
            .policy_label
            .clone()
            .unwrap_or_else(|| world.policy().name().to_string());
        let overrides: Map<String, Value> = self.overrides.iter().cloned().collect();
        json!({
            "tool": "regionsim",
            "version": VERSION,
            "commit": commit(),
            "scenario_sha256": self.scenario_sha256,
            "policy": {
                "label": label,
                "type": world.policy().name(),
                "parameters": Value::Object(policy_parameters(world, world.policy())),
            },
            "options": {
                "seed": world.run().seed,
                "replications": world.run().replications,
                "confidence": world.run().confidence,
                "horizon_s": world.run().horizon_s,
                "warmup_s": world.run().warmup_s,
                "overrides": overrides,
            },
        })
    }

    /// The same facts as (setting, value) rows for Markdown and HTML tables.
    pub fn rows(&self, world: &World) -> Vec<[String; 2]> {
        let mut rows = vec![[
            "tool".to_string(),
            format!(
                "regionsim {VERSION}{}",
                commit().map_or(String::new(), |c| format!(" ({c})"))
            ),
        ]];
        if let Some(h) = &self.scenario_sha256 {
            rows.push(["scenario SHA-256".into(), h.clone()]);
        }
        if let Some(l) = &self.policy_label {
            rows.push(["policy label".into(), l.clone()]);
        }
        rows.push(["policy".into(), world.policy().name().into()]);
        for (k, v) in parameter_rows(world, world.policy()) {
            rows.push([format!("policy.{k}"), v]);
        }
        for (k, v) in &self.overrides {
            rows.push([format!("override {k}"), text(v)]);
        }
        rows
    }
}

/// A policy's parameters as (name, text) rows for Markdown and HTML tables:
/// lists read as text, and a per-population map (routes, fences) by its size
/// alone, its entries staying in the JSON output.
pub fn parameter_rows(world: &World, spec: &PolicySpec) -> Vec<(String, String)> {
    let rows = policy_parameters(world, spec).into_iter().map(|(k, v)| {
        let t = match &v {
            Value::Object(m) => format!("{} populations (each in the JSON output)", m.len()),
            _ => text(&v),
        };
        (k, t)
    });
    rows.collect()
}

/// A JSON value as plain text (strings without quotes, lists comma-separated).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn on_full(o: &OnFull) -> &'static str {
    match o {
        OnFull::Reject => "reject",
        OnFull::Wait => "wait",
    }
}

fn spill(m: &mut Map<String, Value>, s: &SpillRule) {
    m.insert(
        "spill.utilization_threshold".into(),
        json!(s.utilization_threshold),
    );
    m.insert("spill.max_extra_rtt_ms".into(), json!(s.max_extra_rtt_ms));
}

/// `agent@region` of a deployment index.
fn deployment(world: &World, d: usize) -> String {
    let dep = &world.deployments()[d];
    format!("{}@{}", dep.agent, world.regions()[dep.region].id)
}

/// A policy's parameters by name; deployments as `agent@region`.
pub fn policy_parameters(world: &World, spec: &PolicySpec) -> Map<String, Value> {
    let mut m = Map::new();
    let deps = |ds: &[usize]| json!(ds.iter().map(|&d| deployment(world, d)).collect::<Vec<_>>());
    match spec {
        PolicySpec::Nearest {
            deployments,
            spill: s,
            on_full: o,
        } => {
            m.insert("deployments".into(), deps(deployments));
            spill(&mut m, s);
            m.insert("on_full".into(), json!(on_full(o)));
        }
        PolicySpec::GeoFenced {
            deployments,
            allowed,
            spill: s,
            on_full: o,
        } => {
            m.insert("deployments".into(), deps(deployments));
            let fences: Map<String, Value> = world
                .populations()
                .iter()
                .zip(allowed)
                .map(|(p, a)| (p.name.clone(), deps(a)))
                .collect();
            m.insert("allowed".into(), Value::Object(fences));
            spill(&mut m, s);
            m.insert("on_full".into(), json!(on_full(o)));
        }
        PolicySpec::Explicit {
            routes,
            redispatch_delay_s,
            on_full: o,
        } => {
            let r: Map<String, Value> = world
                .populations()
                .iter()
                .zip(routes)
                .map(|(p, r)| (p.name.clone(), deps(&r.chain)))
                .collect();
            m.insert("routes".into(), Value::Object(r));
            m.insert("redispatch_delay_s".into(), json!(redispatch_delay_s));
            m.insert("on_full".into(), json!(on_full(o)));
        }
        PolicySpec::LeastLoaded {
            deployments,
            max_extra_rtt_ms,
            on_full: o,
        } => {
            m.insert("deployments".into(), deps(deployments));
            m.insert("max_extra_rtt_ms".into(), json!(max_extra_rtt_ms));
            m.insert("on_full".into(), json!(on_full(o)));
        }
        PolicySpec::PowerOfTwo {
            deployments,
            k,
            on_full: o,
        } => {
            m.insert("deployments".into(), deps(deployments));
            m.insert("k".into(), json!(k));
            m.insert("on_full".into(), json!(on_full(o)));
        }
        PolicySpec::Score {
            deployments,
            load_penalty_ms,
            on_full: o,
        } => {
            m.insert("deployments".into(), deps(deployments));
            m.insert("load_penalty_ms".into(), json!(load_penalty_ms));
            m.insert("on_full".into(), json!(on_full(o)));
        }
    }
    m
}
