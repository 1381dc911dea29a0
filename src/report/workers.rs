//! The worker deployments' figures rendered: `summary.json`'s `workers`
//! object (only when some deployment runs on workers, so other reports stay as
//! they were), laid out from the catalogue's `WORKER_METRICS`, and the
//! summary document's table. Every number is the summary's
//! (`stats::WorkerSummary`); nothing is computed here.

use serde_json::{json, Map, Value};

use super::format::pct;
use super::json_values::put_all;
use super::table::{Doc, Table};
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::metrics::WORKER_METRICS;
use crate::stats::{Summary, WorkerSummary};

/// The deployment a worker summary is about, its sizing and its sessions per
/// worker, as the scenario states them.
fn described(world: &World, est: &Estimate, k: usize) -> (String, String, u32) {
    let dep = &world.deployments()[est.pooled.workers[k].deployment];
    debug_assert_eq!(
        worker_labels(world)[k],
        dep.label(world.regions()),
        "the worker statistics follow the deployments on workers in order"
    );
    let spec = dep
        .workers
        .as_ref()
        .expect("worker statistics name a worker deployment");
    let sizing = match &spec.autoscale {
        Some(a) if a.min_hourly.is_some() => format!(
            "autoscale {}-{} (floor by UTC hour) at {}",
            a.min, a.max, a.target_load
        ),
        Some(a) => format!("autoscale {}-{} at {}", a.min, a.max, a.target_load),
        None => format!("{} fixed", spec.count),
    };
    (
        dep.label(world.regions()),
        sizing,
        spec.sessions_at_threshold(),
    )
}

/// Worker deployment `k`'s summary and its half-widths (None with one replication).
fn summaries(est: &Estimate, k: usize) -> (&WorkerSummary, Option<&WorkerSummary>) {
    let hw = est.half_width.as_ref().map(|h| &h.workers[k]);
    (&est.point.workers[k], hw)
}

/// The labels (`agent@region`) of the deployments on workers, in the order
/// of a summary's `workers` (the engine keeps a pool per such deployment, in
/// deployment order).
pub fn worker_labels(world: &World) -> Vec<String> {
    let deps = world.deployments().iter().filter(|d| d.workers.is_some());
    deps.map(|d| d.label(world.regions())).collect()
}

/// The `workers` object of `summary.json` (`None` without worker deployments).
/// Every figure carries a `_ci` half-width (null with one replication).
pub fn workers_json(world: &World, est: &Estimate) -> Option<Value> {
    figures_json(world, &est.point, est.half_width.as_ref(), |k, m| {
        let (_, sizing, per_worker) = described(world, est, k);
        m.insert("sizing".into(), json!(sizing));
        m.insert("sessions_per_worker".into(), json!(per_worker));
    })
}

/// A `workers` object (`None` without worker deployments): per deployment
/// its label, what `more` adds, and every figure of the catalogue with its
/// `_ci` half-width. A sweep's points carry it with nothing more (their
/// settings say what changed).
pub fn figures_json(
    world: &World,
    point: &Summary,
    hw: Option<&Summary>,
    mut more: impl FnMut(usize, &mut Map<String, Value>),
) -> Option<Value> {
    if point.workers.is_empty() {
        return None;
    }
    let labels = worker_labels(world);
    let deps: Vec<Value> = (0..point.workers.len())
        .map(|k| {
            let mut m = Map::new();
            m.insert("deployment".into(), json!(labels[k]));
            more(k, &mut m);
            let h = hw.map(|h| &h.workers[k]);
            put_all(&mut m, WORKER_METRICS, &point.workers[k], h, world);
            Value::Object(m)
        })
        .collect();
    Some(json!({ "deployments": deps }))
}

/// The workers section of the summary document (nothing without workers).
pub fn workers_section(d: &mut Doc, world: &World, est: &Estimate) {
    if est.point.workers.is_empty() {
        return;
    }
    d.heading(2, "Workers");
    d.para(
        "Per worker deployment, per replication over the window: cost (worker-hours, mean \
         workers), cold starts (workers provisioned) and process starts, jobs over-admitted \
         (placed on a worker whose true load then exceeded the threshold, because the load it \
         measured or reported was stale), session-seconds on an overloaded worker (true load \
         above 1), and the worker's part of the mean join latency: dispatch, the wait for a \
         process and the cold start (the rest of a join is any wait for a full region and the \
         agent's start-up).",
    );
    let mut t = Table::new([
        "deployment",
        "workers",
        "worker-hours",
        "cold starts",
        "over-admitted",
        "overloaded",
        "peak load true / reported",
        "join split ms (dispatch / process / cold)",
        "join p50 / p99 / p99.9 ms",
    ]);
    for k in 0..est.point.workers.len() {
        let (label, sizing, per_worker) = described(world, est, k);
        let (f, h) = summaries(est, k);
        let hw = |x: fn(&WorkerSummary) -> f64, show: &dyn Fn(f64) -> String| {
            h.map_or(String::new(), |h| format!(" ± {}", show(x(h))))
        };
        let j = &f.join_latency_ms;
        t.row([
            label,
            format!("{sizing} ({per_worker} per worker)"),
            format!(
                "{:.1}{} (mean {:.2})",
                f.worker_hours,
                hw(|w| w.worker_hours, &|h| format!("{h:.1}")),
                f.mean_workers
            ),
            format!("{:.1}", f.cold_starts),
            format!(
                "{}{}",
                pct(f.over_admission_rate),
                hw(|w| w.over_admission_rate, &pct)
            ),
            pct(f.overloaded_session_share),
            format!("{:.2} / {:.2}", f.peak_true_load, f.peak_reported_load),
            format!(
                "{:.0} / {:.0} / {:.0}",
                f.dispatch_ms, f.process_start_ms, f.cold_start_ms
            ),
            format!("{:.0} / {:.0} / {:.0}", j.p50, j.p99, j.p999),
        ]);
    }
    d.table(t);
}
