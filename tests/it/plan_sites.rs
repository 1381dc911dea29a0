//! Where to run (`plan.candidates`, `--candidate`): every open set planned,
//! the cheapest verified one chosen. The exact optimum of the validation case
//! `plan-sites` (open only the region India's RTT target needs, each region
//! the Erlang B inverse of its own population) is checked here set by set; the
//! pooled alternative when no target needs a new region; the limit on open
//! deployments; the files a user gets; and refusals.

use regionsim::experiment::plan::{self, erlang_b_inverse, open_sets, Spec, Status};
use regionsim::model::target::{Scope, Target, TargetMetric};
use serde_json::{json, Value};

use crate::common::{repo, world};
use crate::plan::{plan_cli, run_planned};
use crate::scenario_errors::reject;

const SITES: &str = "scenarios/validation/plan-sites.json";

/// The capacities of the chosen set's plan, by region id.
fn chosen(out: &plan::SitesOutcome) -> Vec<(String, u32)> {
    let set = &out.sets[out.chosen.expect("a verified set")];
    let v = set.outcome().plan.as_ref().unwrap();
    set.spec
        .variables
        .iter()
        .zip(&v.capacities)
        .map(|(var, &c)| {
            let dep = &set.world.deployments()[var.deployment()];
            (set.world.regions()[dep.region].id.clone(), c)
        })
        .collect()
}

/// India's RTT target rules out us-east and eu-central: only the sets with
/// ap-south verify, and the cheaper (fewer deployments on a tie) is chosen.
#[test]
fn the_planner_opens_only_the_region_a_target_needs() {
    let w = world(SITES);
    let out = plan::plan_sites(&w, &plan::default_spec, false, &(), &mut |_| {});
    let statuses: Vec<(Vec<usize>, Status)> = out
        .sets
        .iter()
        .map(|s| (s.opened.clone(), s.outcome().status))
        .collect();
    assert_eq!(
        statuses,
        [
            (vec![], Status::Infeasible),
            (vec![0], Status::Verified),
            (vec![1], Status::Infeasible),
            (vec![0, 1], Status::Verified),
        ]
    );
    assert_eq!(out.sets[out.chosen.unwrap()].opened, [0]);
    assert_eq!(
        chosen(&out),
        [
            ("us-east".into(), erlang_b_inverse(8.0, 0.04)),
            ("ap-south".into(), erlang_b_inverse(4.0, 0.04)),
        ]
    );
}

/// Without the RTT target nothing needs a new region, and one pool of 12
/// Erlangs (17 slots at 5 %: B(17, 12) = 4.1 %, B(16, 12) = 6.0 %) is
/// cheaper than two (13 + 8): the scenario's own deployment alone wins.
#[test]
fn pooling_wins_when_no_target_needs_a_new_region() {
    let w = world(SITES);
    let make = |w: &regionsim::model::World| {
        let targets = (0..2)
            .map(|p| Target::new(TargetMetric::RejectionRate, Scope::Population(p), 0.05).unwrap())
            .collect();
        Spec {
            targets,
            ..plan::default_spec(w)
        }
    };
    let out = plan::plan_sites(&w, &make, false, &(), &mut |_| {});
    assert_eq!(out.sets[out.chosen.unwrap()].opened, Vec::<usize>::new());
    assert_eq!(
        chosen(&out),
        [("us-east".into(), erlang_b_inverse(12.0, 0.05))]
    );
    assert_eq!(erlang_b_inverse(12.0, 0.05), 17);
}

/// The scenario's own deployment as a candidate: one region for everyone
/// (12 Erlangs pooled at ap-south, 17 slots at 5 %: B(17, 12) = 4.1 %,
/// B(16, 12) = 6.0 %) beats us-east and ap-south apart (13 + 8), and only
/// ap-south meets India's RTT target: the plan closes us-east.
#[test]
fn a_plan_closes_the_scenarios_own_deployment_when_one_region_serves_all() {
    let text = std::fs::read_to_string(repo(SITES)).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["plan"] = json!({"candidates": ["us-east", "ap-south"]});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("close.json");
    std::fs::write(&file, v.to_string()).unwrap();
    let w = regionsim::scenario::load(&file).unwrap();
    let make = |w: &regionsim::model::World| {
        let mut targets: Vec<Target> = (0..2)
            .map(|p| Target::new(TargetMetric::RejectionRate, Scope::Population(p), 0.05).unwrap())
            .collect();
        targets.push(Target::new(TargetMetric::MediaRttP95, Scope::Population(1), 100.0).unwrap());
        Spec {
            targets,
            ..plan::default_spec(w)
        }
    };
    let out = plan::plan_sites(&w, &make, false, &(), &mut |_| {});
    let sets: Vec<(String, Status)> = out
        .sets
        .iter()
        .map(|s| (plan::set_label(&s.world), s.outcome().status))
        .collect();
    assert_eq!(
        sets,
        [
            ("us-east".into(), Status::Infeasible),
            ("ap-south".into(), Status::Verified),
            ("us-east + ap-south".into(), Status::Verified),
        ]
    );
    assert_eq!(out.sets[out.chosen.unwrap()].opened, [1]);
    assert_eq!(
        chosen(&out),
        [("ap-south".into(), erlang_b_inverse(12.0, 0.05))]
    );
}

/// The open sets: by size, then candidate order; `max_deployments` caps them.
#[test]
fn open_sets_are_every_subset_within_the_limit() {
    assert_eq!(open_sets(2, 2), [vec![], vec![0], vec![1], vec![0, 1]]);
    assert_eq!(open_sets(3, 1), [vec![], vec![0], vec![1], vec![2]]);
    assert_eq!(open_sets(5, 5).len(), 32);
    assert_eq!(open_sets(4, 0), [Vec::<usize>::new()]);
}

/// `--candidate` replaces the scenario's list; the files name the open sets,
/// are the same bytes on one thread and two, and `planned.json` has the
/// opened region as a deployment and runs.
#[test]
fn candidate_flags_write_where_to_run_and_a_planned_scenario_that_runs() {
    let flags = ["--candidate", "ap-south", "--max-deployments", "2"];
    let (dir, one) = crate::plan::plan_at_one_and_two_threads(&repo(SITES), &flags, "search");
    let doc = crate::plan::plan_doc(&one);
    let sets = doc["sites"]["sets"].as_array().unwrap();
    assert_eq!(
        sets.len(),
        2,
        "the scenario's deployment alone, and with ap-south"
    );
    assert_eq!(sets[1]["open"], json!(["us-east", "ap-south"]));
    assert_eq!(sets[1]["chosen"], true);
    let md = std::fs::read_to_string(one.join("plan.md")).unwrap();
    assert!(md.contains("## Where to run"), "{md}");
    assert!(md.contains("| ap-south | india (4.0 Erlangs) |"), "{md}");
    let planned: Value =
        serde_json::from_slice(&std::fs::read(one.join("planned.json")).unwrap()).unwrap();
    assert_eq!(
        planned["deployments"],
        json!([
            {"agent": "agent", "region": "us-east", "capacity": 13},
            {"agent": "agent", "region": "ap-south", "capacity": 8}
        ])
    );
    assert!(planned.get("plan").is_none());
    run_planned(&one, dir.path());
}

fn with_plan(plan: Value, extra: Option<(&str, Value)>) -> String {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SITES)).unwrap()).unwrap();
    v["plan"] = plan;
    let edge =
        json!({"id": "edge", "lat": 1.35, "lon": 103.82, "agents": false, "media_edge": true});
    v["regions"].as_array_mut().unwrap().push(edge);
    if let Some((key, value)) = extra {
        v[key] = value;
    }
    serde_json::to_string_pretty(&v).unwrap()
}

/// Bad `plan` sections exit 2 with one line naming the field.
#[test]
fn bad_candidates_exit_2_naming_the_field() {
    let outage = json!([{"type": "outage", "at": "2h", "region": "us-east", "duration": "1h"}]);
    let explicit =
        json!({"type": "explicit", "routes": {"americas": "us-east", "india": "us-east"}});
    let cases = [
        (
            json!({"candidates": ["mars"]}),
            None,
            "plan.candidates[0]",
            "mars",
        ),
        (
            json!({"candidates": ["us-east"]}),
            Some(("timeline", outage)),
            "plan.candidates[0]",
            "cannot be closed by a plan: the timeline's",
        ),
        (
            json!({"candidates": ["ap-south", "ap-south"]}),
            None,
            "plan.candidates[1]",
            "named twice",
        ),
        (
            json!({"candidates": ["edge"]}),
            None,
            "plan.candidates[0]",
            "does not host agents",
        ),
        (
            json!({"candidates": ["ap-south"], "open_cost": -1}),
            None,
            "plan.open_cost",
            "finite number >= 0",
        ),
        (
            json!({"candidates": ["ap-south"], "max_deployments": 0}),
            None,
            "plan.max_deployments",
            "at least",
        ),
        (
            json!({"candidates": ["ap-south"]}),
            Some(("policy", explicit.clone())),
            "plan.candidates",
            "would serve nobody",
        ),
        (
            json!({"candidates": ["ap-south", "eu-central", "us-west", "sa-east", "af-south", "ap-northeast"]}),
            None,
            "plan.candidates",
            "at most 5",
        ),
    ];
    for (plan, policy, path, words) in cases {
        let msg = reject(&with_plan(plan.clone(), policy));
        assert!(msg.contains(path), "{plan}: {msg}");
        assert!(msg.contains(words), "{plan}: {msg}");
    }
}

/// With `--hourly` each open set gets a schedule (and its static
/// comparison); the chosen set's `planned.json` adds ap-south with its
/// schedule as a timeline event, and runs.
#[test]
fn an_hourly_plan_chooses_where_to_run_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    plan_cli(&repo(SITES), &out, &["--hourly", "--no-charts"]).success();
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(doc["decision"], "hourly");
    let sets = doc["sites"]["sets"].as_array().unwrap();
    let chosen: Vec<&Value> = sets.iter().filter(|s| s["chosen"] == true).collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0]["open"], json!(["us-east", "ap-south"]));
    let md = std::fs::read_to_string(out.join("plan.md")).unwrap();
    assert!(md.contains("## Where to run"), "{md}");
    let planned: Value =
        serde_json::from_slice(&std::fs::read(out.join("planned.json")).unwrap()).unwrap();
    let regions: Vec<&Value> = planned["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["region"])
        .collect();
    assert_eq!(regions, [&json!("us-east"), &json!("ap-south")]);
    let events = planned["timeline"].as_array().unwrap();
    assert_eq!(events.len(), 2, "one hourly schedule per open deployment");
    assert!(planned.get("plan").is_none());
    run_planned(&out, dir.path());
}
