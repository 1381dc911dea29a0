//! Supply and demand that change during a run: exact invariants and limit cases
//! of the timeline (conservation with interrupted sessions, a step at t = 0,
//! drain, start-up), and located messages for bad events. The statistical
//! identities (an outage under spill-anywhere, flash-crowd arrivals) are in the
//! validation suite.

use std::path::Path;

use assert_cmd::Command;
use regionsim::engine::simulate;
use regionsim::model::World;
use regionsim::stats::RunStats;
use serde_json::{json, Value};

use crate::common::*;

const TIMELINE: &str = "scenarios/tests/timeline.json";

fn doc(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo(rel)).unwrap()).unwrap()
}

fn world_of(v: &Value) -> World {
    regionsim::scenario::parse(Path::new("inline.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn served(s: &RunStats) -> u64 {
    s.populations
        .iter()
        .map(|p| p.served_home + p.overflow)
        .sum()
}

/// Every window session ends in exactly one first outcome, and every served one
/// completed, was interrupted, or was still running (or waiting for a new agent
/// after a failure) at the horizon.
#[test]
fn conservation_holds_with_interrupted_and_redispatched_sessions() {
    let w = world(TIMELINE);
    let mut moved = 0;
    for rep in 0..w.run().replications {
        let s = simulate(&w, rep, &());
        let p = &s.populations;
        let arrived: u64 = p.iter().map(|p| p.sessions).sum();
        let first: u64 = p.iter().map(|p| p.rejected + p.abandoned).sum::<u64>()
            + served(&s)
            + s.pending_at_horizon;
        assert_eq!(arrived, first, "rep {rep}");
        let interrupted: u64 = p.iter().map(|p| p.interrupted).sum();
        assert_eq!(
            served(&s),
            s.completed + interrupted + s.running_at_horizon,
            "rep {rep}"
        );
        let per_event: u64 = s.timeline.impacts.iter().map(|i| i.interrupted).sum();
        assert_eq!(per_event, interrupted, "rep {rep}");
        moved += p.iter().map(|p| p.redispatched).sum::<u64>();
    }
    assert!(moved > 0, "the outage moves sessions");
}

/// A capacity step at t = 0 is the static model: same seed, same metrics, byte
/// for byte.
#[test]
fn a_capacity_step_at_time_zero_gives_the_static_results() {
    let dir = tempfile::tempdir().unwrap();
    let base = doc("scenarios/tests/tiny.json");
    let mut stepped = base.clone();
    let cap = stepped["deployments"][0]["capacity"].clone();
    let region = stepped["deployments"][0]["region"].clone();
    stepped["deployments"][0]["capacity"] = json!(1);
    stepped["timeline"] =
        json!([{ "type": "capacity", "at": "0s", "region": region, "capacity": cap }]);
    let metrics = |v: &Value, name: &str| {
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, v.to_string()).unwrap();
        let out = dir.path().join(name);
        Command::cargo_bin("regionsim")
            .unwrap()
            .args(["run", file.to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--quiet", "--no-charts"])
            .assert()
            .success();
        let summary: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        summary["metrics"].to_string()
    };
    assert_eq!(metrics(&base, "static"), metrics(&stepped, "stepped"));
}

/// One deployment deleted at 2 h with a 30 min drain, nowhere else to go.
fn drained(drain: &str, horizon: &str) -> World {
    world_of(&json!({
        "name": "drain",
        "regions": ["us-east"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 40 }],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.1 },
            "session": { "type": "lognormal", "mean": "600s", "cv": 1.2 } }],
        "policy": { "type": "nearest", "on_full": "reject" },
        "timeline": [{ "type": "delete", "at": "2h", "region": "us-east", "drain": drain }],
        "run": { "horizon": horizon, "warmup": "10min", "seed": 4, "replications": 6, "bin": "15min" }
    }))
}

/// Nothing runs on a deleted deployment after its drain; the drain's end cuts
/// exactly the window sessions running then (the same run stopped at that
/// instant, without the cut, has them running at its horizon).
#[test]
fn a_drain_cuts_exactly_the_sessions_still_running_at_its_end() {
    let (cut, uncut) = (drained("30min", "4h"), drained("10h", "150min"));
    let mut total = 0;
    for rep in 0..cut.run().replications {
        let a = simulate(&cut, rep, &());
        let b = simulate(&uncut, rep, &());
        assert_eq!(
            a.timeline.impacts[0].interrupted, b.running_at_horizon,
            "rep {rep}"
        );
        total += b.running_at_horizon;
        assert_eq!(a.running_at_horizon, 0);
        let ts = &a.series;
        let drain_end_bin = (9000.0 / ts.bin_s) as usize;
        for bin in drain_end_bin..ts.bins() {
            assert_eq!(
                ts.busy_area[bin * ts.lanes],
                0.0,
                "bin {bin} after the drain"
            );
        }
        assert!(ts.busy_area[(drain_end_bin - 1) * ts.lanes] > 0.0);
    }
    assert!(total > 0, "long sessions outlast a 30 min drain");
}

/// A deployment created at 1 h with a 30 min start-up serves nobody before 1.5 h.
#[test]
fn a_deployment_serves_nobody_before_it_is_ready() {
    let w = world_of(&json!({
        "name": "ready",
        "regions": ["us-east", "eu-central"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 100 }],
        "populations": [{ "name": "paris", "lat": 48.86, "lon": 2.35, "utc_offset_h": 1,
            "rate": { "peak_per_s": 0.2 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest", "on_full": "reject" },
        "timeline": [{ "type": "deploy", "at": "1h", "agent": "a", "region": "eu-central",
            "capacity": 50, "ready_after": "30min" }],
        "run": { "horizon": "3h", "seed": 5, "replications": 3, "bin": "15min" }
    }));
    for rep in 0..3 {
        let s = simulate(&w, rep, &());
        let ts = &s.series;
        for bin in 0..ts.bins() {
            let eu = ts.busy_area[bin * ts.lanes + 1];
            if (bin as f64 + 1.0) * ts.bin_s <= 5400.0 {
                assert_eq!(eu, 0.0, "bin {bin}: eu-central serves before it is ready");
            } else {
                assert!(eu > 0.0, "bin {bin}: eu-central serves once ready");
            }
        }
        // Before it exists, Paris's home is us-east; while it starts, eu-central is
        // home, so its users overflow; once ready they are served at home.
        let p = &s.populations[0];
        assert!(p.overflow > 0 && p.served_home > 0);
    }
}

/// No region admits beyond the capacity in force: every change of the test
/// scenario falls on a bin boundary, so each bin's capacity is constant and its
/// peak may not exceed it (ap-south, which drains above its zero limit, aside).
#[test]
fn capacity_in_force_is_never_exceeded() {
    let w = world(TIMELINE);
    let est = estimate(&w);
    let ts = &est.pooled.series;
    let runs = f64::from(ts.runs);
    for bin in 0..ts.bins() {
        for r in [0, 1, 3] {
            let i = bin * ts.lanes + r;
            let cap = ts.limit_area[i] / (ts.bin_s * runs);
            assert!(
                f64::from(ts.peak[i]) <= cap + 1e-9,
                "bin {bin} region {r}: peak {} over capacity {cap}",
                ts.peak[i]
            );
        }
    }
}

/// Sessions moved after a failure get their new agent no sooner than the
/// platform notices the failure (15 s by default).
#[test]
fn redispatched_sessions_rejoin_after_detection() {
    let s = simulate(&world(TIMELINE), 0, &());
    let rejoin = &s.timeline.rejoin;
    assert!(rejoin.count() > 0);
    assert!(
        rejoin.quantile(0.0) >= 15_000.0 * 0.999,
        "{}",
        rejoin.quantile(0.0)
    );
}

#[test]
fn bad_timeline_events_get_located_messages() {
    let base = doc(TIMELINE);
    let with = |events: Value| {
        let mut v = base.clone();
        v["timeline"] = events;
        v
    };
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "unknown region",
            with(json!([{ "type": "outage", "at": "1h", "region": "mars", "duration": "1h" }])),
            "timeline[0].region",
            "unknown region `mars`",
        ),
        (
            "after the horizon",
            with(json!([{ "type": "capacity", "at": "9h", "region": "us-east", "capacity": 3 }])),
            "timeline[0].at",
            "must be within the run",
        ),
        (
            "overlapping outages",
            with(json!([
                { "type": "outage", "at": "1h", "region": "us-east", "duration": "1h" },
                { "type": "outage", "at": "90min", "region": "us-east", "duration": "1h" }
            ])),
            "timeline[1].at",
            "overlaps the outage of timeline[0]",
        ),
        (
            "schedule of the wrong length",
            with(
                json!([{ "type": "capacity", "at": "0s", "region": "us-east", "hourly": [1, 2, 3] }]),
            ),
            "timeline[0].hourly",
            "must have 24 capacities",
        ),
        (
            "deleted twice",
            with(json!([
                { "type": "delete", "at": "1h", "region": "us-east" },
                { "type": "delete", "at": "2h", "region": "us-east" }
            ])),
            "timeline[1]",
            "already deleted by timeline[0]",
        ),
        (
            "unknown deployment",
            with(json!([{ "type": "delete", "at": "1h", "region": "ap-southeast" }])),
            "timeline[0].region",
            "no deployment in region `ap-southeast`",
        ),
        (
            "resized after deletion",
            with(json!([
                { "type": "delete", "at": "1h", "region": "us-east" },
                { "type": "capacity", "at": "2h", "region": "us-east", "capacity": 5 }
            ])),
            "timeline[1].at",
            "deleted by timeline[0] before this event",
        ),
    ];
    for (what, v, path, message) in cases {
        let err = regionsim::scenario::parse(Path::new("bad.json"), &v.to_string())
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"))
            .to_string();
        assert!(err.contains(path), "{what}: {err}");
        assert!(err.contains(message), "{what}: {err}");
        assert!(err.contains("line "), "{what}: located: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
    }
}

/// A drain that outlasts the horizon is allowed and said in the world's notes.
#[test]
fn a_drain_past_the_horizon_is_noted() {
    let w = drained("10h", "4h");
    assert!(
        w.notes()
            .iter()
            .any(|n| n.contains("drain ends after the horizon")),
        "{:?}",
        w.notes()
    );
}

/// A run with a timeline draws the per-deployment chart and marks its events
/// on the time charts; every SVG stays valid XML.
#[test]
fn timeline_charts_show_deployments_and_event_markers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    run_cli(TIMELINE, &out, &["--replications", "1"]);
    for stem in ["deployments", "concurrency", "overflow"] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
        assert!(svg.contains("outage eu-central"), "{stem}: event label");
        assert!(out.join(format!("{stem}.png")).exists());
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Timeline") && html.contains("migrate agent@ap-south to ap-southeast"));
}
