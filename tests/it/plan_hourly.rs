//! Hourly schedules: the plan equals the per-hour Erlang B inverses where hours
//! are independent, `planned.json` runs and meets every hourly check on a fresh
//! seed, the files are byte-identical at any thread count, Ctrl-C keeps a
//! verified schedule (or the static comparison's, as a flat one), bad hourly
//! input exits 2 with nothing written, and unreachable targets exit 3.

use std::path::Path;

use predicates::str::contains;
use regionsim::experiment::plan::{
    self, erlang_b_inverse, hourly, verify, Spec, Stage, Status, Verification,
};
use regionsim::model::World;

use crate::common::{repo, world};

const HOURLY_B: &str = "scenarios/validation/plan-hourly-erlang-b.json";

/// The scenario's hourly problem and its static comparison.
fn specs(w: &World) -> (Spec, Spec) {
    hourly::specs(plan::default_spec(w))
}

/// `regionsim plan SCENARIO --hourly ...`.
fn plan_cli(scenario: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut args = vec!["--hourly"];
    args.extend_from_slice(extra);
    crate::plan::plan_cli(scenario, out, &args)
}

#[test]
fn the_hourly_plan_equals_the_per_hour_erlang_b_inverses() {
    let w = world(HOURLY_B);
    let (spec, _) = specs(&w);
    let out = hourly::plan(&w, &spec, None, &(), &mut |_| {}).schedule;
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    let pop = &w.populations()[0];
    let exact: Vec<u32> = (0..24)
        .map(|h| {
            let a = pop.rate.rate_at(h as f64 * 3600.0 + 1800.0) * pop.session.mean();
            erlang_b_inverse(a, 0.1)
        })
        .collect();
    assert_eq!(out.plan.unwrap().capacities, exact);
    // The analytic start already over-provisions the hours after a busier one
    // (sessions held across the boundary): the search had to lower them.
    assert_ne!(out.start, exact);
}

/// Two pinned regions taking turns (explicit dispatch, no fallbacks): each
/// hour's busy region gets its Erlang B inverse and the idle one nothing, so
/// the descent lowers both deployments hour by hour to the exact answer.
#[test]
fn an_hourly_plan_over_regions_taking_turns_equals_the_per_hour_inverses() {
    let w = world("scenarios/tests/plan-hourly-explicit.json");
    let (spec, _) = specs(&w);
    let out = hourly::plan(&w, &spec, None, &(), &mut |_| {}).schedule;
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    let exact: Vec<u32> = (0..2)
        .flat_map(|p| {
            let pop = &w.populations()[p];
            (0..24).map(move |h| {
                let a = pop.rate.rate_at(h as f64 * 3600.0 + 1800.0) * pop.session.mean();
                if a > 0.0 {
                    erlang_b_inverse(a, 0.1)
                } else {
                    0
                }
            })
        })
        .collect();
    assert_eq!(out.plan.unwrap().capacities, exact);
}

#[test]
fn hourly_plan_files_are_identical_at_any_thread_count_and_planned_json_meets_the_targets() {
    let (dir, one) =
        crate::plan::plan_at_one_and_two_threads(&repo(HOURLY_B), &["--hourly"], "hourly");
    let doc = crate::plan::plan_doc(&one);
    let hours: f64 = doc["plan"]["slot_hours"].as_f64().unwrap();
    let flat: f64 = doc["plan"]["static_slot_hours"].as_f64().unwrap();
    assert!(hours < flat, "hourly {hours} vs static {flat}");
    // planned.json is a scenario `run` accepts, and on a seed no search or
    // verification used it meets every hourly check.
    crate::plan::run_planned(&one, dir.path());
    let mut planned = regionsim::scenario::load(&one.join("planned.json")).unwrap();
    planned
        .edit_run(|r| r.seed = 0x5eed_f00d)
        .expect("valid run settings");
    let planned = hourly::hourly_world(&planned);
    let (spec, _) = specs(&world(HOURLY_B));
    let rule = hourly::rule(&planned, &spec);
    let v = verify(
        &planned,
        &[],
        &rule,
        &[],
        Stage::HourlyFinal(1),
        0.05,
        16,
        &(),
    )
    .unwrap();
    assert!(v.passed(), "{:?}", v.unmet);
}

/// The hourly plan with its static comparison, Ctrl-C pressed when a note
/// starting with `at` appears; the kept verification and the headline.
fn interrupted_at(scenario: &str, at: &str) -> (Verification, String) {
    use crate::plan::Stop;
    use std::sync::atomic::{AtomicBool, Ordering};
    let w = world(scenario);
    let (spec, fixed) = specs(&w);
    let stop = Stop(AtomicBool::new(false));
    let out = hourly::plan(&w, &spec, Some(&fixed), &stop, &mut |note| {
        if note.starts_with(at) {
            stop.0.store(true, Ordering::SeqCst);
        }
    });
    assert_eq!(out.schedule.status, Status::Interrupted);
    let kept = out.schedule.plan.clone().expect("a verified plan kept");
    assert!(kept.passed());
    let note = regionsim::report::plan_hourly_headline(&w, &spec, &out);
    assert!(note.starts_with("INTERRUPTED"), "{note}");
    (kept, note)
}

/// Ctrl-C during the hourly search of a single deployment (whose only
/// verification is the final one) keeps the static comparison's verified
/// plan as a flat schedule, and says so.
#[test]
fn an_interrupted_hourly_plan_keeps_a_verified_schedule() {
    let (kept, note) = interrupted_at(HOURLY_B, "hourly: lowering");
    assert!(
        matches!(kept.purpose, Stage::Final(1)),
        "{:?}",
        kept.purpose
    );
    assert_eq!(kept.capacities, vec![kept.capacities[0]; 24]);
    assert!(note.contains("as a flat schedule"), "{note}");
}

/// With two deployments the schedule after the costlier one's descent is
/// verified once: Ctrl-C during the second's keeps that checkpoint.
#[test]
fn an_hourly_plan_interrupted_after_its_checkpoint_keeps_it() {
    let (kept, note) = interrupted_at(
        "scenarios/tests/plan-hourly-explicit.json",
        "hourly: lowering deployment 2/",
    );
    assert_eq!(kept.purpose, Stage::HourlyCheckpoint(1));
    assert!(note.contains("a checkpoint"), "{note}");
}

/// Ctrl-C during the static comparison keeps its verified checkpoint as a
/// flat schedule (24 equal hours), marked as such.
#[test]
fn an_hourly_plan_interrupted_in_the_static_comparison_keeps_a_flat_schedule() {
    let (kept, note) = interrupted_at(HOURLY_B, "static comparison: level 2/");
    assert!(matches!(kept.purpose, Stage::Checkpoint(1)));
    assert_eq!(kept.capacities, vec![kept.capacities[0]; 24]);
    assert!(note.contains("as a flat schedule"), "{note}");
}

#[test]
fn bad_hourly_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str], &str)] = &[
        (
            HOURLY_B,
            &["--bounds", "us-east=9:3"],
            "--bounds us-east=9:3: the lower bound exceeds the upper",
        ),
        (
            HOURLY_B,
            &["--target", "utilization>=0.5"],
            "utilisation floors are not planned hour by hour",
        ),
        (
            "scenarios/tests/timeline.json",
            &["--target", "overflow_rate<=0.1"],
            "hourly plans need a timeline without capacity",
        ),
        (HOURLY_B, &["--step", "0"], "at least 1"),
    ];
    for (scenario, args, message) in cases {
        let out = dir.path().join("never");
        plan_cli(&repo(scenario), &out, args)
            .code(2)
            .stderr(contains(*message));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn unreachable_hourly_targets_exit_3_naming_the_hours_and_the_best_achieved() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    // Five slots cannot hold rejection under 10 % at 3.9 Erlangs and more.
    plan_cli(&repo(HOURLY_B), &out, &["--bounds", "us-east=0:5"])
        .code(3)
        .stderr(contains("Infeasible within the bounds"))
        .stderr(contains(
            "rejection_rate in 09:00-10:00 UTC ≤ 10 % (best achieved",
        ));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(doc["status"], "infeasible");
    assert!(!out.join("planned.json").exists());
}

/// `plan --hourly` writes its own folder (`<name>-plan-hourly`), never over
/// the static plan's, and its `planned.json` has its own name
/// (`<name>-planned-hourly`) and a `$schema` link that resolves.
#[test]
fn an_hourly_plan_has_its_own_folder_and_planned_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = crate::plan::scenario_with_schema_link(d, HOURLY_B);
    let name = world(HOURLY_B).name().clone();
    let static_plan = d.join(format!("reports/{name}-plan"));
    std::fs::create_dir_all(&static_plan).unwrap();
    std::fs::write(static_plan.join("plan.json"), "{}").unwrap();
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .current_dir(d)
        .args(["plan", &file, "--hourly", "--no-charts", "--quiet"])
        .assert()
        .success();
    let folder = d.join(format!("reports/{name}-plan-hourly"));
    crate::plan::assert_planned(&folder, &format!("{name}-planned-hourly"));
    assert_eq!(
        std::fs::read_to_string(static_plan.join("plan.json")).unwrap(),
        "{}"
    );
}

/// A search's candidates run without the time series' per-population counts
/// unless a check reads them: every check's figures are the same either way
/// (the counts feed nothing a candidate is judged by), and a population's
/// hourly target keeps them.
#[test]
fn candidates_judge_the_same_without_the_per_population_counts() {
    let w = hourly::hourly_world(&world("scenarios/tests/plan-hourly-explicit.json"));
    let (spec, _) = specs(&w);
    let rule = hourly::rule(&w, &spec);
    let lean = hourly::search_world(&w, &rule);
    assert!(w.run().population_series && !lean.run().population_series);
    let x = hourly::start(&w, &spec.targets, &spec.variables, &vec![[5.0; 24]; 2]);
    let run = |world: &World| {
        verify(
            world,
            &spec.variables,
            &rule,
            &x,
            Stage::HourlyFinal(1),
            0.05,
            4,
            &(),
        )
        .unwrap()
    };
    let (full, thin) = (run(&w), run(&lean));
    assert_eq!(full.estimates, thin.estimates);
    assert!(full.sessions > 1000.0, "{}", full.sessions);
    assert_eq!(full.sessions, thin.sessions);
    use regionsim::model::target::{Scope, Target, TargetMetric};
    let mut per_pop = spec.clone();
    let t = Target::new(TargetMetric::OverflowRate, Scope::Population(0), 0.1).unwrap();
    per_pop.targets.push(t);
    let rule = hourly::rule(&w, &per_pop);
    assert!(hourly::search_world(&w, &rule).run().population_series);
}
