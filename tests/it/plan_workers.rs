//! Planning deployments on workers: a fixed pool with exact load is an Erlang
//! loss system of workers x k servers, so its plan is the inverse Erlang B in
//! whole workers; an autoscaled pool held at its most replicas plans and
//! measures as the fixed pool; bad knobs, bounds and worker targets exit 2;
//! a plan of workers alone speaks of worker-hours only.

use predicates::prelude::*;
use predicates::str::contains;
use regionsim::experiment::plan::{self, erlang_b_inverse, Knob, Spec, Status};
use regionsim::model::World;

use crate::common::{repo, world};
use crate::plan::plan_cli;

const FIXED: &str = "scenarios/tests/plan-workers.json";
const AUTO: &str = "scenarios/tests/plan-workers-autoscale.json";

fn planned(w: &World, spec: &Spec) -> plan::Outcome {
    let out = plan::plan(w, spec, &(), &mut |_| {});
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    out
}

/// 8 Erlangs, rejection <= 4 %, 4 sessions a worker: Erlang B needs 13
/// servers, so 4 workers (16 servers, B = 0.5 %). The confidence rule cannot
/// ask for more: 4 workers meet the limit eight times over, far beyond two
/// margins; nor can it take 3 (12 servers, B = 5.14 %, clearly over 4 %).
/// So the plan is the exact answer, with no tolerance.
#[test]
fn a_fixed_pool_is_planned_as_the_inverse_erlang_b_in_whole_workers() {
    let w = world(FIXED);
    let spec = plan::default_spec(&w);
    assert_eq!(spec.variables.len(), 1);
    assert_eq!(spec.variables[0].knob(), Knob::Workers);
    let k = w.deployments()[0]
        .workers
        .as_ref()
        .unwrap()
        .sessions_at_threshold();
    assert_eq!(k, 4);
    let servers = erlang_b_inverse(8.0, 0.04);
    assert_eq!(servers, 13);
    let out = planned(&w, &spec);
    let x = out.plan.as_ref().unwrap().capacities.clone();
    assert_eq!(x, vec![servers.div_ceil(k)]);
    // The objective is worker-hours: 4 workers over the 49 h window, and the
    // verification measured exactly that many (a fixed pool never changes).
    let v = out.plan.as_ref().unwrap();
    assert_eq!(plan::worker_hours(&w, &spec.variables, &x), 4.0 * 49.0);
    assert_eq!(plan::cost(&w, &spec.variables, &x), 4.0 * 49.0);
    assert!(
        (v.worker_hours[0] - 4.0 * 49.0).abs() < 1e-9,
        "{:?}",
        v.worker_hours
    );
}

/// The same pool autoscaled, its floor bounded at the top (held at the most
/// replicas) and its target load fixed: min = max, a fixed pool. The plan's
/// most replicas equal the fixed pool's workers, and every candidate's and
/// the verification's figures are the fixed pool's, number for number.
#[test]
fn an_autoscaled_pool_with_min_equal_to_max_plans_as_the_fixed_pool() {
    let (wf, wa) = (world(FIXED), world(AUTO));
    let fixed = planned(&wf, &plan::default_spec(&wf));
    let mut spec = plan::default_spec(&wa);
    let knobs: Vec<Knob> = spec.variables.iter().map(|v| v.knob()).collect();
    assert_eq!(
        knobs,
        [Knob::MaxReplicas, Knob::MinReplicas, Knob::TargetLoad]
    );
    let top = spec.variables[0].max();
    spec.variables[1] = spec.variables[1].with_bounds(top, top).unwrap();
    let half = Knob::TargetLoad.code(0.5).unwrap();
    spec.variables[2] = spec.variables[2].with_bounds(half, half).unwrap();
    let auto = planned(&wa, &spec);
    let (f, a) = (fixed.plan.clone().unwrap(), auto.plan.clone().unwrap());
    assert_eq!(a.capacities, vec![f.capacities[0], top, half]);
    assert_eq!(a.estimates, f.estimates);
    assert_eq!(a.worker_hours, f.worker_hours);
    let est = |o: &plan::Outcome| -> Vec<_> {
        o.candidates.iter().map(|c| c.estimates.clone()).collect()
    };
    assert_eq!(est(&auto), est(&fixed));
    // The planned pool written back is min = max = initial.
    let applied = plan::apply(&wa, &spec.variables, &a.capacities);
    let fields = plan::written_fields(&applied, 0);
    let value = |f: &str| fields.iter().find(|(p, _)| p.ends_with(f)).unwrap().1;
    let n = f64::from(f.capacities[0]);
    assert_eq!((value(".min"), value(".max"), value(".initial")), (n, n, n));
    assert_eq!(value(".target_load"), 0.5);
}

fn refused(scenario: &str, extra: &[&str], says: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let a = plan_cli(&repo(scenario), &out, extra).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    for s in says {
        assert!(err.contains(s), "`{s}` not in: {err}");
    }
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!out.exists());
}

/// A target load at or above the threshold, a knob the pool does not have, a
/// floor of zero for a fixed pool's count: each refused with the flag, the
/// value and the worker model's own rule.
#[test]
fn bad_worker_knobs_and_bounds_are_refused() {
    refused(
        AUTO,
        &["--bounds", "us-east/target_load=0.5:0.8"],
        &[
            "--bounds us-east/target_load=0.5:0.8",
            "target_load=0.80",
            "below `load_threshold` (0.7)",
        ],
    );
    refused(
        FIXED,
        &["--bounds", "us-east/min_replicas=1:2"],
        &["`us-east` has no knob `min_replicas`", "workers"],
    );
    refused(
        FIXED,
        &["--bounds", "us-east=0:5"],
        &[
            "--bounds us-east=0:5",
            "workers=0",
            "must be between 1 and 100000",
        ],
    );
    refused(
        AUTO,
        &["--bounds", "us-east/target_load=0.523:0.6"],
        &["a target load is a fraction in [0, 1] in hundredths"],
    );
}

/// A worker deployments' figure as a target needs a deployment on workers:
/// refused on a slot scenario (the flag named), and at its JSON path in a
/// scenario file; per population it is refused too.
#[test]
fn worker_targets_are_refused_without_workers_or_per_population() {
    refused(
        "scenarios/tests/plan-spill.json",
        &["--target", "over_admission_rate<=0.01"],
        &[
            "--target over_admission_rate<=0.01",
            "no deployment has `workers`",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("scenarios/tests/plan-spill.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["slo"]["targets"]["cold_start_job_share"] = serde_json::json!(0.01);
    let file = dir.path().join("spill-cold.json");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    plan_cli(&file, &dir.path().join("never"), &[])
        .code(2)
        .stderr(
            contains("at `slo.targets.cold_start_job_share`")
                .and(contains("no deployment has `workers`")),
        );
    refused(
        FIXED,
        &["--target", "overloaded_session_share[users]<=0.01"],
        &["overall only"],
    );
}

/// Over-admission, overload and cold-start targets plan on a pool: with
/// exact load nothing is over-admitted, overloaded or cold-started, so they
/// hold at the Erlang B plan (a worst deployment's figure of 0, bound 0).
#[test]
fn worker_targets_hold_where_the_pool_measures_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let extra = [
        "--target",
        "over_admission_rate<=0.01",
        "--target",
        "overloaded_session_share<=0.01",
        "--target",
        "cold_start_job_share<=0.01",
        "--no-charts",
    ];
    plan_cli(&repo(FIXED), &out, &extra).success();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(doc["status"], "verified");
    assert_eq!(
        doc["plan"]["verification"]["capacities"],
        serde_json::json!([4])
    );
    for t in doc["plan"]["verification"]["targets"].as_array().unwrap() {
        assert_eq!(t["met"], true, "{t}");
    }
    assert_eq!(doc["deployments"][0]["knob"], "workers");
    let planned = std::fs::read_to_string(out.join("planned.json")).unwrap();
    assert!(planned.contains("\"count\": 4"), "{planned}");
    // A plan of workers alone names its cost in worker-hours (4 workers over
    // the 49 h window) and has no slot-hours to total.
    let md = std::fs::read_to_string(out.join("plan.md")).unwrap();
    assert!(
        md.contains("objective: cost-weighted worker-hours ("),
        "{md}"
    );
    assert!(
        md.contains("Total cost 196. Worker pools: 196 worker-hours"),
        "{md}"
    );
    assert!(!md.contains("slot-hours"), "{md}");
}

/// An autoscaled pool's plan (every knob free) is byte-identical with 1 and
/// 2 threads, and its `planned.json` runs as is.
#[test]
fn a_pool_plan_is_identical_at_any_thread_count_and_its_planned_json_runs() {
    let (dir, one) = crate::plan::plan_at_one_and_two_threads(&repo(AUTO), &[], "search");
    let planned = std::fs::read_to_string(one.join("planned.json")).unwrap();
    assert!(planned.contains("\"target_load\": 0.6"), "{planned}");
    crate::plan::run_planned(&one, dir.path());
}

const FLOOR: &str = "scenarios/tests/plan-hourly-floor.json";

/// `--hourly` on an autoscaled pool schedules its floor (the autoscaler's
/// minimum per UTC hour), its most replicas and target load held at the
/// static plan's. With a cold-start share of at most 5 % in every hour, a
/// pool that sleeps between the night's sessions needs a warm worker there
/// (under 1 Erlang from 03:00 to 09:00 UTC: at floor 0 nearly every job
/// waits for a cold start), while at 8 Erlangs and more (14:00 to 21:00 UTC)
/// it is never idle and needs none. The schedule descends from the static
/// plan's flat floor, so no hour is above it, and the pool runs fewer
/// worker-hours than under the flat floor. The files are the same at any
/// thread count, and `planned.json` carries the schedule as `min_hourly`
/// and runs.
#[test]
fn an_hourly_floor_keeps_a_worker_warm_only_where_the_pool_would_sleep() {
    let (dir, one) =
        crate::plan::plan_at_one_and_two_threads(&repo(FLOOR), &["--hourly"], "hourly");
    let doc = crate::plan::plan_doc(&one);
    assert_eq!(doc["status"], "verified");
    let row = &doc["schedule"][0];
    assert_eq!(row["knob"], "min_replicas");
    let floors: Vec<u64> = (row["hourly"].as_array().unwrap().iter())
        .map(|v| v.as_u64().unwrap())
        .collect();
    let held: Vec<(String, f64)> = (doc["held"].as_array().unwrap().iter())
        .map(|h| {
            (
                h["knob"].as_str().unwrap().to_string(),
                h["value"].as_f64().unwrap(),
            )
        })
        .collect();
    let flat = held.iter().find(|h| h.0 == "min_replicas").unwrap().1 as u64;
    assert!(floors.iter().all(|&f| f <= flat), "{floors:?} above {flat}");
    assert!(floors[3..9].iter().all(|&f| f >= 1), "night: {floors:?}");
    assert!(floors[14..21].iter().all(|&f| f == 0), "day: {floors:?}");
    let plan = &doc["plan"];
    let measured = plan["measured_worker_hours"].as_f64().unwrap();
    let floor_hours = plan["floor_worker_hours"].as_f64().unwrap();
    assert_eq!(floor_hours, floors.iter().sum::<u64>() as f64, "one day");
    let md = std::fs::read_to_string(one.join("plan.md")).unwrap();
    assert!(md.contains("floor, workers (mean load, Erlangs)"), "{md}");
    // The chart counts floors in workers on a panel of their own, not as
    // sessions on the load's axis (where a floor of one is a line on the
    // chart's floor when the load is hundreds of Erlangs).
    let svg = std::fs::read_to_string(one.join("hourly.svg")).unwrap();
    assert!(svg.contains("warm floor, workers"), "no panel of floors");
    assert!(!svg.contains("floor x"), "floors drawn as sessions");
    let planned = std::fs::read_to_string(one.join("planned.json")).unwrap();
    let p: serde_json::Value = serde_json::from_str(&planned).unwrap();
    let a = &p["deployments"][0]["workers"]["autoscale"];
    assert!(a.get("min").is_none(), "{a}");
    let written: Vec<u64> = (a["min_hourly"].as_array().unwrap().iter())
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(written, floors);
    crate::plan::run_planned(&one, dir.path());
    let static_measured = doc["static_plan"]["measured_worker_hours"]
        .as_f64()
        .unwrap();
    assert!(
        measured < static_measured,
        "{measured} >= {static_measured}"
    );
    // The plans' table has no slot-hours column for a plan of workers alone,
    // and gives the schedule's saving in the worker-hours it measured.
    let saving = 100.0 * (1.0 - measured / static_measured);
    let head = "| plan | worker-hours (measured per replication) | capacities |";
    assert!(md.contains(head), "{md}");
    let row = format!("| hourly | {measured:.1} ({saving:.1} % less) | below |");
    assert!(md.contains(&row), "{md}");
}
