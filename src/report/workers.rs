//! The worker deployments' figures, defined once and rendered to `summary.json`
//! (a `workers` object, only when some deployment runs on workers, so other
//! reports stay as they were) and to the summary document: cost in
//! worker-hours, cold and process starts, the join latency split, stale-load
//! over-admission and overload.

use serde_json::{json, Map, Value};

use super::json::num;
use super::table::{Doc, Table};
use super::timeline::pct;
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::{DistSummary, WorkerBin, WorkerStats, WORKER_FIGURES};

/// Whether the server sees `w`'s true load at every instant (neither
/// sampled nor reported at intervals): the load it was told is then the true
/// load, so the reported figures are the true ones. (With sampling but no
/// reporting interval, each sample is a report: the engine records them.)
pub fn sees_true_load(world: &World, w: &WorkerStats) -> bool {
    let spec = world.deployments[w.deployment].workers.as_ref();
    spec.is_some_and(|s| s.measure.sample_interval_s == 0.0 && s.measure.report_interval_s == 0.0)
}

/// A worker deployment's levels in one bin of `width` seconds summed over
/// `runs` replications: mean workers, mean true load per registered worker,
/// mean reported load (the true load when the server sees it at every
/// instant; else the mean of the bin's reports, 0 where it has none).
pub fn bin_levels(b: &WorkerBin, width: f64, runs: f64, true_load_seen: bool) -> [f64; 3] {
    let workers = b.workers_s / (width * runs);
    let true_load = if b.ready_s > 0.0 {
        b.true_load_s / b.ready_s
    } else {
        0.0
    };
    let reported = if true_load_seen {
        true_load
    } else if b.reports > 0 {
        b.reported_sum / b.reports as f64
    } else {
        0.0
    };
    [workers, true_load, reported]
}

/// One worker deployment's figures, per replication where a count.
struct Figures {
    label: String,
    sizing: String,
    sessions_per_worker: u32,
    worker_hours: f64,
    mean_workers: f64,
    cold_starts: f64,
    jobs: f64,
    over_admission: f64,
    overloaded: f64,
    peak_true: f64,
    peak_reported: f64,
    mean_load: f64,
    /// Mean dispatch, process-start and cold-start waits per job, ms.
    split_ms: [f64; 3],
    join: DistSummary,
}

fn figures(world: &World, s: &WorkerStats, runs: f64) -> Figures {
    let dep = &world.deployments[s.deployment];
    let spec = dep
        .workers
        .as_ref()
        .expect("worker statistics name a worker deployment");
    let window = world.run.horizon_s - world.run.warmup_s;
    let per_job = |x: f64| {
        if s.jobs > 0 {
            x / s.jobs as f64 * 1000.0
        } else {
            0.0
        }
    };
    Figures {
        label: dep.label(&world.regions),
        sizing: match &spec.autoscale {
            Some(a) => format!("autoscale {}-{} at {}", a.min, a.max, a.target_load),
            None => format!("{} fixed", spec.count),
        },
        sessions_per_worker: spec.sessions_at_threshold(),
        worker_hours: s.worker_s / 3600.0 / runs,
        mean_workers: s.worker_s / window / runs,
        cold_starts: s.cold_starts as f64 / runs,
        jobs: s.jobs as f64 / runs,
        over_admission: s.over_admission_rate(),
        overloaded: s.overloaded_share(),
        peak_true: s.peak_true_load,
        peak_reported: if sees_true_load(world, s) {
            s.peak_true_load
        } else {
            s.peak_reported_load
        },
        mean_load: if s.ready_s > 0.0 {
            s.true_load_s / s.ready_s
        } else {
            0.0
        },
        split_ms: [
            per_job(s.dispatch_s),
            per_job(s.process_s),
            per_job(s.cold_s),
        ],
        join: DistSummary::of(&s.join),
    }
}

fn all(world: &World, est: &Estimate) -> Vec<Figures> {
    let runs = f64::from(est.pooled.runs);
    est.pooled
        .workers
        .iter()
        .map(|s| figures(world, s, runs))
        .collect()
}

/// The `workers` object of `summary.json` (`None` without worker deployments).
/// The figures with a spread across replications carry a `_ci` half-width
/// (null with one replication); their point is the pooled figure.
pub fn workers_json(world: &World, est: &Estimate) -> Option<Value> {
    if est.pooled.workers.is_empty() {
        return None;
    }
    let runs = f64::from(est.pooled.runs);
    let deps: Vec<Value> = all(world, est)
        .iter()
        .zip(&est.pooled.workers)
        .enumerate()
        .map(|(k, (f, s))| {
            let mut m = Map::new();
            m.insert("deployment".into(), json!(f.label));
            m.insert("sizing".into(), json!(f.sizing));
            m.insert("sessions_per_worker".into(), json!(f.sessions_per_worker));
            for (i, (key, point)) in WORKER_FIGURES.iter().zip(s.figures(runs)).enumerate() {
                let hw = est.workers_half_width.get(k * WORKER_FIGURES.len() + i);
                m.insert((*key).into(), num(point));
                m.insert(format!("{key}_ci"), hw.map_or(Value::Null, |&h| num(h)));
            }
            let rest = json!({
                "mean_workers": num(f.mean_workers),
                "jobs": num(f.jobs),
                "peak_true_load": num(f.peak_true),
                "peak_reported_load": num(f.peak_reported),
                "mean_true_load": num(f.mean_load),
                "join_split_ms": {
                    "dispatch": num(f.split_ms[0]),
                    "process_start": num(f.split_ms[1]),
                    "cold_start": num(f.split_ms[2]),
                },
                "join_latency_ms": {
                    "mean": num(f.join.mean),
                    "p50": num(f.join.p50),
                    "p95": num(f.join.p95),
                    "p99": num(f.join.p99),
                    "p999": num(f.join.p999),
                },
            });
            if let Value::Object(r) = rest {
                m.extend(r);
            }
            Value::Object(m)
        })
        .collect();
    Some(json!({ "deployments": deps }))
}

/// The workers section of the summary document (nothing without workers).
pub fn workers_section(d: &mut Doc, world: &World, est: &Estimate) {
    if est.pooled.workers.is_empty() {
        return;
    }
    d.heading(2, "Workers");
    d.para(
        "Per worker deployment, per replication over the window: cost (worker-hours, mean \
         workers), cold starts (workers provisioned) and process starts, jobs over-admitted \
         (placed on a worker whose true load then exceeded the threshold, because the load it \
         measured or reported was stale), session-seconds on an overloaded worker (true load \
         above 1), and the mean join latency split into dispatch, process start and cold start.",
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
    // Half-width of figure `i` of deployment `k`, as " ± x" (empty without).
    let hw = |k: usize, i: usize, show: &dyn Fn(f64) -> String| {
        est.workers_half_width
            .get(k * WORKER_FIGURES.len() + i)
            .map_or(String::new(), |&h| format!(" ± {}", show(h)))
    };
    for (k, f) in all(world, est).into_iter().enumerate() {
        t.row([
            f.label.clone(),
            format!("{} ({} per worker)", f.sizing, f.sessions_per_worker),
            format!(
                "{:.1}{} (mean {:.2})",
                f.worker_hours,
                hw(k, 0, &|h| format!("{h:.1}")),
                f.mean_workers
            ),
            format!("{:.1}", f.cold_starts),
            format!("{}{}", pct(f.over_admission), hw(k, 3, &pct)),
            pct(f.overloaded),
            format!("{:.2} / {:.2}", f.peak_true, f.peak_reported),
            format!(
                "{:.0} / {:.0} / {:.0}",
                f.split_ms[0], f.split_ms[1], f.split_ms[2]
            ),
            format!("{:.0} / {:.0} / {:.0}", f.join.p50, f.join.p99, f.join.p999),
        ]);
    }
    d.table(t);
}
