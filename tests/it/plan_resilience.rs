//! Surviving a failure (`slo.resilience`, `--survive-outage`): one failure
//! scenario per deployment at its busiest window, measured over the window
//! alone, verified with the plan; the exact answer (the survivor an Erlang
//! loss system of all the load) is the validation case `plan-resilience`.
//! Here: where the windows fall, what the reports say, byte-identical files
//! at any thread count, the hourly planner honouring failure checks, and
//! refusals.

use predicates::str::contains;
use regionsim::experiment::plan::{self, hourly, Span, Status};
use regionsim::model::target::Resilience;
use serde_json::{json, Value};

use crate::common::{repo, world};
use crate::plan::{plan_at_one_and_two_threads, plan_cli, plan_doc, run_planned};
use crate::scenario_errors::reject;

const SPILL: &str = "scenarios/tests/plan-spill.json";
const RESILIENCE: &str = "scenarios/validation/plan-resilience.json";

/// Two-hour failures at each deployment's busiest window, sessions lost.
fn two_hours(w: &regionsim::model::World) -> Resilience {
    Resilience {
        targets: w.slo().targets.clone(),
        duration_s: 7200.0,
        at_s: None,
        failover: regionsim::model::timeline::Failover::Lose,
    }
}

/// Constant rates: every window of the same length carries the same load,
/// so each deployment fails at the first whole hour of the statistics
/// window; `slo.resilience.at` puts every failure there instead.
#[test]
fn failures_start_at_the_busiest_whole_hour_or_where_the_scenario_says() {
    let w = world(SPILL);
    let r = two_hours(&w);
    let (failures, skipped) = plan::failures(&w, &r);
    assert!(skipped.is_empty());
    let windows: Vec<(usize, f64, f64)> = failures
        .iter()
        .map(|f| (f.deployment, f.at_s, f.end_s))
        .collect();
    assert_eq!(
        windows,
        [
            (0, 3600.0, 10800.0),
            (1, 3600.0, 10800.0),
            (2, 3600.0, 10800.0)
        ]
    );
    // A window reaching past the horizon ends there.
    let late = Resilience {
        at_s: Some(11.0 * 3600.0),
        ..r
    };
    let (failures, _) = plan::failures(&w, &late);
    assert!(failures
        .iter()
        .all(|f| f.at_s == 11.0 * 3600.0 && f.end_s == w.run().horizon_s));
}

/// Worker pools scale themselves and the timeline's outage steps act on slot
/// supply only, so a deployment on workers is not failed, and says why.
#[test]
fn deployments_on_workers_are_not_failed_and_say_why() {
    let w = world("scenarios/livekit-workers.json");
    let (failures, skipped) = plan::failures(&w, &two_hours(&w));
    assert!(failures.is_empty());
    assert_eq!(skipped.len(), w.deployments().len());
    assert!(skipped.iter().all(|s| s.reason.contains("runs on workers")));
}

/// A diurnal day: three populations whose rate peaks at 14:00-16:00 local
/// time, at UTC offsets -5, +1 and +5, each at home in its own region: each
/// deployment fails over its own population's peak, 19:00, 13:00 and 09:00
/// UTC.
#[test]
fn each_deployment_fails_at_its_own_peak() {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SPILL)).unwrap()).unwrap();
    let mut profile = vec![0.2; 24];
    (profile[13], profile[14], profile[15], profile[16]) = (0.5, 1.0, 1.0, 0.5);
    for (p, offset) in [-5.0, 1.0, 5.0].into_iter().enumerate() {
        v["populations"][p]["utc_offset_h"] = json!(offset);
        v["populations"][p]["rate"]["profile"] = json!(profile);
    }
    v["run"]["horizon"] = json!("25h");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("diurnal.json");
    std::fs::write(&file, v.to_string()).unwrap();
    let w = regionsim::scenario::load(&file).unwrap();
    let r = two_hours(&w);
    let (failures, _) = plan::failures(&w, &r);
    let starts: Vec<f64> = failures.iter().map(|f| f.at_s / 3600.0).collect();
    assert_eq!(starts, [19.0, 13.0, 9.0]);
}

/// `--survive-outage` alone asks rejection + abandonment <= 5 % with each
/// deployment down (users who never got an agent, whatever `on_full` says):
/// the plan's files say which failure binds and every failure check holds,
/// the same bytes on one thread and two, and `planned.json` runs.
#[test]
fn survive_outage_plans_files_are_identical_at_any_thread_count() {
    let (dir, one) = plan_at_one_and_two_threads(&repo(SPILL), &["--survive-outage"], "search");
    let d = plan_doc(&one);
    assert_eq!(d["status"], "verified");
    let r = &d["resilience"];
    assert_eq!(r["targets"], json!(["rejection_abandonment_rate"]));
    let failures = r["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 3, "one failure per deployment");
    for f in failures {
        let c = &f["checks"][0];
        assert_eq!(c["limit"], 0.05);
        assert_eq!(c["met"], true, "{f}");
    }
    assert!(r["binding"].is_string());
    let md = std::fs::read_to_string(one.join("plan.md")).unwrap();
    assert!(md.contains("## Surviving a failure"), "{md}");
    assert!(md.contains("Binding failure: **"), "{md}");
    assert!(md.contains("| rejection_abandonment_rate with us-east down 01:00-03:00 UTC | ≤ 5 % |"));
    run_planned(&one, dir.path());
}

/// Without resilience targets a plan has no failure checks and its
/// `plan.json` no `resilience` key: plans keep their shape.
#[test]
fn a_plan_without_resilience_targets_has_no_failure_checks() {
    let w = world(SPILL);
    let spec = plan::default_spec(&w);
    assert!(spec.failures.is_empty() && spec.resilience.is_empty());
    let rule = plan::rule(&spec);
    assert!(rule.spans.iter().all(|s| *s == Span::Window));
}

/// The hourly planner raises the hours of a failure window when a failure
/// check misses: the schedule verifies and meets every failure check.
#[test]
fn an_hourly_schedule_survives_each_failure() {
    let w = world(RESILIENCE);
    let spec = plan::default_spec(&w);
    let (hourly_spec, _) = hourly::specs(spec);
    let out = hourly::plan(&w, &hourly_spec, None, &(), &mut |_| {}).schedule;
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    let v = out.plan.as_ref().unwrap();
    let failure_checks: Vec<usize> = (0..out.rule.spans.len())
        .filter(|&i| matches!(out.rule.spans[i], Span::Failure(_)))
        .collect();
    assert_eq!(failure_checks.len(), 2);
    assert!(v.passed());
    // Both deployments carry all 8 Erlangs alone in the failure hours: at
    // least the static answer's 13 slots in each hour the window covers.
    for d in 0..2 {
        let hours = &v.capacities[d * 24..(d + 1) * 24];
        for h in 3..24 {
            assert!(hours[h] >= 13, "deployment {d} hour {h}: {hours:?}");
        }
    }
}

fn with_resilience(r: Value) -> String {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SPILL)).unwrap()).unwrap();
    v["slo"]["resilience"] = r;
    serde_json::to_string_pretty(&v).unwrap()
}

/// Bad resilience settings exit 2 with one line naming the field.
#[test]
fn bad_resilience_settings_exit_2_naming_the_field() {
    let cases = [
        (json!({}), "slo.resilience.targets", "at least one target"),
        (
            json!({"targets": {"regions": {"us-east": {"utilization": 0.5}}}}),
            "slo.resilience.targets.regions.us-east.utilization",
            "not a resilience target",
        ),
        (
            json!({"targets": {"rejection_rate": 0.05}, "duration": "0s"}),
            "slo.resilience.duration",
            "longer than 0",
        ),
        (
            json!({"targets": {"rejection_rate": 0.05}, "at": "30m"}),
            "slo.resilience.at",
            "statistics window",
        ),
        (
            json!({"targets": {"rejection_rate": 0.05}, "sessions": "lose", "detect": "5s"}),
            "slo.resilience.detect",
            "only goes with",
        ),
        (
            json!({"targets": {"bogus": 0.05}}),
            "slo.resilience.targets.bogus",
            "unknown target metric",
        ),
        (
            json!({"targets": {"rejection_rate": 0.05}, "window": "2h"}),
            "slo.resilience",
            "window",
        ),
    ];
    for (r, path, words) in cases {
        let msg = reject(&with_resilience(r.clone()));
        assert!(msg.contains(path), "{r}: {msg}");
        assert!(msg.contains(words), "{r}: {msg}");
    }
}

/// `--survive-outage` goes through the same rules as the scenario's field,
/// its complaints carried back to the flag.
#[test]
fn bad_survive_outage_flags_exit_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    for (given, words) in [
        ("overflow_rate>=0.1", "contradicts its metric"),
        ("utilization[us-east]>=0.5", "not a resilience target"),
        ("rejection_rate<=2", "--survive-outage rejection_rate<=2"),
    ] {
        let out = dir.path().join("out");
        plan_cli(&repo(SPILL), &out, &["--survive-outage", given])
            .code(2)
            .stderr(contains(words));
        assert!(!out.exists());
    }
}
