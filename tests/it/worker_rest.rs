//! Worker pools at rest: a pool whose figures are all settled (no load
//! change for long enough, no noise on a registered worker, no worker
//! provisioning) skips its sample and report ticks until something in it
//! changes, and takes them then, in order. And a pool's passes stop at its
//! highest live worker, skipping the gone ones above it. Skipping may change
//! nothing but the count of events.

use regionsim::engine::{simulate, simulate_without_skips};
use regionsim::model::World;
use regionsim::stats::RunStats;
use serde_json::{json, Value};

fn doc(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(crate::common::repo(rel)).unwrap()).unwrap()
}

fn parse(v: &Value) -> World {
    regionsim::scenario::parse(std::path::Path::new("t.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every figure of a run but its count of events, which resting lowers.
fn figures(mut stats: RunStats) -> String {
    stats.events = 0;
    crate::common::fingerprint(&stats)
}

/// Three workers of ten sessions with the platform's sampling (0.5 s, five
/// samples) and reporting (2.5 s) and an idle load of `base`, serving users
/// in the first hour of each UTC day only (an hourly profile of 1 then 0).
fn idle_after_first_hour(base: f64, horizon: &str) -> Value {
    let mut v = doc("scenarios/tests/workers-erlang-b.json");
    v["deployments"][0]["workers"] = json!({
        "count": 3, "load": { "base": base, "per_session": 0.06 },
        "sample_interval": "0.5s", "report_interval": "2.5s" });
    let pop = &mut v["populations"][0];
    pop["utc_offset_h"] = json!(0);
    let mut profile = vec![0.0; 24];
    profile[0] = 1.0;
    pop["rate"]["profile"] = json!(profile);
    v["run"] =
        json!({ "horizon": horizon, "warmup": "0s", "seed": 3, "replications": 1, "bin": "1h" });
    v
}

/// Regression guard for resting and for passes that stop at the highest
/// live worker: on pools that rest between bursts, pools that never do,
/// autoscaled pools (whose evaluations go on at rest, and whose workers go
/// and leave gone indices below and above live ones), pools that scale to
/// zero with noisy load (which rest only with no worker registered), exact
/// measurement with reports, and three pools ticking together, the run is
/// that of pools that take every sample and report over every index.
#[test]
fn a_pool_at_rest_gives_the_very_same_run_as_one_that_ticks() {
    let mut worlds: Vec<(String, World, bool)> = Vec::new();
    for (rel, hours) in [
        ("scenarios/livekit-workers.json", 6.0),
        ("scenarios/tests/workers-autoscale.json", 12.0),
        ("scenarios/tests/workers-scale-to-zero.json", 12.0),
        ("scenarios/reference-3x100-workers.json", 2.0),
    ] {
        let mut world = crate::common::world(rel);
        world
            .edit_run(|r| r.horizon_s = hours * 3600.0)
            .expect("valid run settings");
        worlds.push((rel.into(), world, false));
    }
    for base in [0.0, 0.1] {
        let v = idle_after_first_hour(base, "3h");
        worlds.push((format!("idle, base {base}"), parse(&v), true));
    }
    let mut exact = idle_after_first_hour(0.1, "3h");
    exact["deployments"][0]["workers"]["sample_interval"] = json!(0);
    worlds.push(("idle, exact measure".into(), parse(&exact), true));
    let mut autoscaled = idle_after_first_hour(0.1, "3h");
    let w = &mut autoscaled["deployments"][0]["workers"];
    w.as_object_mut().unwrap().remove("count");
    w["autoscale"] = json!({
        "min": 1, "max": 6, "target_load": 0.5, "interval": "15s", "cooldown": "1min",
        "provisioning": { "type": "uniform", "min": "5s", "max": "10s" } });
    worlds.push(("idle, autoscaled".into(), parse(&autoscaled), true));
    for (name, world, rests) in worlds {
        let (rested, ticked) = (
            simulate(&world, 0, &()),
            simulate_without_skips(&world, 0, &()),
        );
        assert!(rested.events <= ticked.events, "{name}");
        if rests {
            assert!(rested.events < ticked.events, "{name}");
        }
        assert_eq!(figures(rested), figures(ticked), "{name}");
    }
}

/// An idle pool costs no event: with users in the first hour only, a run of
/// 3 h processes exactly the events of a run of 2 h (the last session ends
/// long before 2 h), yet its third hour holds every worker's reports of its
/// idle load, one per worker every 2.5 s.
#[test]
fn an_idle_worker_pool_processes_no_events() {
    let two = simulate(&parse(&idle_after_first_hour(0.0, "2h")), 0, &());
    let three = simulate(&parse(&idle_after_first_hour(0.0, "3h")), 0, &());
    assert!(two.events > 1000, "{}", two.events);
    assert_eq!(two.events, three.events);
    let idle = &three.workers[0].bins[2];
    assert_eq!((idle.reports, idle.reported_sum), (3 * 1440, 0.0));
    assert_eq!(three.workers[0].bins[1].reports, 3 * 1440);
}
