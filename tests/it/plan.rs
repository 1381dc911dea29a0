//! The capacity planner: its plan against an exhaustive grid on a small spill
//! network (same plan, at least 5x less simulation), a verified plan re-run on a
//! fresh seed, byte-identical output at any thread count, and bad input. The
//! exact inverses (Erlang B, Erlang C, per-region explicit) run in the
//! validation suite (`regionsim validate --case plan`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use regionsim::experiment::plan::{self, exhaustive, Outcome, Spec, Status};
use regionsim::model::World;

use crate::common::{repo, world};

const SPILL: &str = "scenarios/tests/plan-spill.json";

/// The spill network with every capacity from 2 to 9 slots: 512 candidates.
fn spill() -> (World, Spec) {
    let w = world(SPILL);
    let mut spec = plan::default_spec(&w);
    for v in &mut spec.variables {
        *v = v.with_bounds(2, 9).unwrap();
    }
    (w, spec)
}

/// The spill network's plan, computed once for the tests that read it.
fn planned() -> &'static Outcome {
    static OUT: OnceLock<Outcome> = OnceLock::new();
    OUT.get_or_init(|| {
        let (w, spec) = spill();
        plan::plan(&w, &spec, &(), &mut |_| {})
    })
}

#[test]
fn the_plan_equals_the_exhaustive_grid_optimum_with_five_times_fewer_sessions() {
    let (w, spec) = spill();
    let out = planned();
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    let grid = exhaustive(&w, &spec.variables, &plan::rule(&spec), &()).unwrap();
    let planned = out.plan.as_ref().unwrap().capacities.clone();
    eprintln!(
        "plan {planned:?}: search {} candidates, {:.0} sessions; grid {} candidates, {:.0} sessions",
        out.effort.candidates,
        out.effort.search_sessions,
        grid.candidates.len(),
        grid.sessions
    );
    // The grid's decisions are monotone in capacity on these common random
    // numbers: the precondition under which pruning by dominance is exact.
    for a in grid.candidates.iter().filter(|c| c.verdict.feasible()) {
        for b in &grid.candidates {
            let above = a.capacities.iter().zip(&b.capacities).all(|(x, y)| x <= y);
            assert!(!above || b.verdict.feasible(), "{a:?} feasible, {b:?} not");
        }
    }
    assert_eq!(out.searched, grid.optimum);
    assert_eq!(
        Some(planned),
        grid.optimum,
        "the plan passed verification at once"
    );
    assert!(
        grid.sessions >= 5.0 * out.effort.search_sessions,
        "grid {} vs search {} sessions",
        grid.sessions,
        out.effort.search_sessions
    );
}

#[test]
fn a_verified_plan_meets_its_targets_on_a_fresh_seed() {
    let (w, spec) = spill();
    let verified = planned().plan.as_ref().expect("a verified plan");
    let mut again = w.clone();
    for (v, &c) in spec.variables.iter().zip(&verified.capacities) {
        again.set_capacity(v.deployment(), c);
    }
    again
        .edit_run(|r| {
            r.seed = 90_210;
            r.replications = 16;
        })
        .expect("valid run settings");
    let est = crate::common::estimate(&again);
    for t in &spec.targets {
        let got = match t.metric() {
            regionsim::model::target::TargetMetric::RejectionRate => est.point.rejection_rate,
            regionsim::model::target::TargetMetric::OverflowRate => est.point.overflow_rate,
            m => panic!("the case has no {m:?} target"),
        };
        assert!(t.holds(got), "{} = {got} on a fresh seed", t.label(&w));
    }
}

/// The plan's files (and chart `chart`) are the same bytes in folders `a` and `b`.
pub fn same_files(a: &Path, b: &Path, chart: &str) {
    let png = format!("{chart}.png");
    let svg = format!("{chart}.svg");
    for f in ["plan.json", "plan.md", "planned.json", &png, &svg] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between thread counts");
    }
}

/// `regionsim plan SCENARIO --out OUT --quiet EXTRA...`.
pub fn plan_cli(scenario: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("regionsim")
        .unwrap()
        .args([
            "plan",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .args(extra)
        .assert()
}

/// `regionsim plan SCENARIO EXTRA...` on one thread and on two, whose files
/// must be the same bytes (`chart`: the stem of the plan's chart). Returns
/// the scratch folder (kept alive) and the one-thread plan's folder.
pub fn plan_at_one_and_two_threads(
    scenario: &Path,
    extra: &[&str],
    chart: &str,
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("t1"), dir.path().join("t2"));
    for (out, n) in [(&one, "1"), (&two, "2")] {
        plan_cli(scenario, out, &[extra, &["--threads", n]].concat()).success();
    }
    same_files(&one, &two, chart);
    (dir, one)
}

/// A plan folder's `plan.json`.
pub fn plan_doc(folder: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(folder.join("plan.json")).unwrap()).unwrap()
}

#[test]
fn plan_files_are_identical_at_any_thread_count_and_planned_json_runs() {
    let (dir, one) = plan_at_one_and_two_threads(&repo(SPILL), &[], "search");
    assert_eq!(plan_doc(&one)["status"], "verified");
    run_planned(&one, dir.path());
}

/// `regionsim run` accepts `planned.json` from `folder` as is (output under `scratch`).
pub fn run_planned(folder: &Path, scratch: &Path) {
    Command::cargo_bin("regionsim")
        .unwrap()
        .args(["run", folder.join("planned.json").to_str().unwrap()])
        .args([
            "--out",
            scratch.join("run").to_str().unwrap(),
            "--quiet",
            "--no-charts",
        ])
        .assert()
        .success();
}

#[test]
fn unreachable_targets_exit_3_naming_the_target_and_the_best_achieved() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    plan_cli(
        &repo(SPILL),
        &out,
        &[
            "--target",
            "media_rtt_ms.p95<=1",
            "--bounds",
            "us-east=:12,eu-central=:12,ap-south=:12",
        ],
    )
    .code(3)
    .stderr(contains("Infeasible").and(contains("media_rtt_ms.p95 ≤ 1 ms (best achieved")));
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(doc["status"], "infeasible");
    assert!(!out.join("planned.json").exists());
}

/// The exact inverses (Erlang B without waiting, Erlang C with waiting, one
/// inverse per region under explicit dispatch) run in the validation suite,
/// which `validation::every_validation_case_reproduces_its_exact_values` runs
/// in full; this guards that they stay registered there.
#[test]
fn the_exact_planner_cases_are_in_the_validation_suite() {
    let names: Vec<&str> = regionsim::validation::PLAN_CASES
        .iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        [
            "plan-erlang-b",
            "plan-erlang-c",
            "plan-explicit",
            "plan-hourly-erlang-b",
            "plan-hourly-near-optimal",
            "plan-resilience",
            "plan-sites"
        ]
    );
    let listed: Vec<&str> = regionsim::validation::list(None)
        .iter()
        .map(|c| c.0)
        .collect();
    assert!(names.iter().all(|n| listed.contains(n)));
}

/// A utilisation floor pulls against the other targets: a start over the floor
/// is lowered until both hold, and the verified plan meets the floor.
#[test]
fn a_utilisation_floor_is_met_together_with_the_rate_targets() {
    use regionsim::model::target::{Scope, Target, TargetMetric};
    let (w, mut spec) = spill();
    spec.targets
        .push(Target::new(TargetMetric::Utilization, Scope::Overall, 0.5).expect("a valid target"));
    let out = plan::plan(&w, &spec, &(), &mut |_| {});
    assert_eq!(out.status, Status::Verified);
    let v = out.plan.unwrap();
    assert!(v.passed());
    let (t, e) = (spec.targets.last().unwrap(), v.estimates.last().unwrap());
    assert!(t.holds(e.bound(t)), "utilisation bound {}", e.bound(t));
}

/// A Ctrl-C flag the test raises itself.
pub struct Stop(pub AtomicBool);

impl regionsim::engine::Progress for Stop {
    fn advance(&self, _: f64) {}
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Ctrl-C during the search keeps the best checkpoint that passed its own
/// verification, and says the run was interrupted.
#[test]
fn an_interrupted_plan_keeps_its_best_verified_checkpoint() {
    let w = world(SPILL);
    let spec = plan::default_spec(&w);
    let stop = Stop(AtomicBool::new(false));
    // Stop as soon as the second level starts: after the first checkpoint.
    let out = plan::plan(&w, &spec, &stop, &mut |note| {
        if note.starts_with("level 2/") {
            stop.0.store(true, Ordering::SeqCst);
        }
    });
    assert_eq!(out.status, Status::Interrupted);
    let kept = out.plan.as_ref().expect("a verified checkpoint");
    assert!(kept.passed());
    assert!(matches!(kept.purpose, plan::Stage::Checkpoint(1)));
    let note = regionsim::report::plan_headline(&w, &spec, &out);
    assert!(note.starts_with("INTERRUPTED"), "{note}");
}

#[test]
fn plan_sizes_a_deployment_the_timeline_creates_and_writes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let scenario = repo("scenarios/tests/plan-migration.json");
    let bounds = ["--bounds", "us-east=0:16", "--bounds", "eu-central=0:16"];
    plan_cli(&scenario, &out, &bounds).success();
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join(f)).unwrap()).unwrap()
    };
    let (plan, planned) = (read("plan.json"), read("planned.json"));
    assert_eq!(plan["status"], "verified");
    // The created deployment's capacity is written to the event that creates it.
    let (old, new) = (
        planned["deployments"][0]["capacity"].as_u64().unwrap(),
        planned["timeline"][0]["capacity"].as_u64().unwrap(),
    );
    // Each is paid only while it exists: 4 h before the move, 4 h after.
    assert_eq!(
        plan["plan"]["slot_hours"],
        serde_json::json!(4.0 * (old + new) as f64)
    );
    run_planned(&out, dir.path());
}

/// A copy of `scenario` in `dir/scenarios/` naming the schema as the shipped
/// scenarios do (`../schema/scenario.schema.json`, copied to `dir/schema/`);
/// returns its path relative to `dir`.
pub fn scenario_with_schema_link(dir: &Path, scenario: &str) -> String {
    std::fs::create_dir_all(dir.join("schema")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::copy(
        repo("schema/scenario.schema.json"),
        dir.join("schema/scenario.schema.json"),
    )
    .unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(scenario)).unwrap()).unwrap();
    let mut with = serde_json::Map::new();
    with.insert("$schema".into(), "../schema/scenario.schema.json".into());
    with.extend(v.as_object_mut().unwrap().clone());
    let rel = format!(
        "scenarios/{}",
        Path::new(scenario).file_name().unwrap().to_str().unwrap()
    );
    std::fs::write(dir.join(&rel), serde_json::to_string_pretty(&with).unwrap()).unwrap();
    rel
}

/// `planned.json` in `folder` is named `name` and its `$schema` link, followed
/// from the folder, reaches the schema.
pub fn assert_planned(folder: &Path, name: &str) {
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("planned.json")).unwrap()).unwrap();
    assert_eq!(doc["name"], name);
    let link = doc["$schema"].as_str().expect("a $schema link");
    let target = folder.join(link);
    assert!(
        std::fs::read(&target).ok() == std::fs::read(repo("schema/scenario.schema.json")).ok(),
        "{}: $schema `{link}` does not reach the schema",
        folder.display()
    );
}

/// Running `planned.json` as the README says writes reports of its own
/// (`<name>-planned`), never over the original's, and its `$schema` link
/// resolves wherever the plan is written.
#[test]
fn planned_json_has_its_own_name_and_a_schema_link_that_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = scenario_with_schema_link(d, SPILL);
    let name = world(SPILL).name().clone();
    let cli = |args: &[&str]| {
        Command::cargo_bin("regionsim")
            .unwrap()
            .current_dir(d)
            .args(args)
            .arg("--quiet")
            .assert()
            .success();
    };
    cli(&["run", &file, "--no-charts"]);
    let original = std::fs::read(d.join(format!("reports/{name}/summary.json"))).unwrap();
    cli(&["plan", &file, "--no-charts"]);
    let folder = d.join(format!("reports/{name}-plan"));
    assert_planned(&folder, &format!("{name}-planned"));
    cli(&["plan", &file, "--no-charts", "--out", "deep/er/plan"]);
    assert_planned(&d.join("deep/er/plan"), &format!("{name}-planned"));
    let planned = format!("reports/{name}-plan/planned.json");
    cli(&["run", &planned, "--no-charts"]);
    assert!(d
        .join(format!("reports/{name}-planned/summary.json"))
        .exists());
    assert_eq!(
        std::fs::read(d.join(format!("reports/{name}/summary.json"))).unwrap(),
        original
    );
}
