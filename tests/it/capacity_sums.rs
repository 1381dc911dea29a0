//! The rule that all capacities together fit a 32-bit count, applied to every
//! capacity a deployment can reach: timeline steps, each hour of a schedule,
//! deployments the timeline creates and worker pools at their most workers.
//! A region's total above it used to wrap silently (capacity 9, exit 0).

use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Value};

/// Two deployments of 5 in us-east, agent `b` named by the events.
fn two_in_us_east(timeline: Value) -> Value {
    json!({
        "name": "sums",
        "regions": ["us-east", "eu-central"],
        "deployments": [
            { "agent": "a", "region": "us-east", "capacity": 5 },
            { "agent": "b", "region": "us-east", "capacity": 5 }
        ],
        "populations": [{ "name": "p", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.05 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest", "agent": "a" },
        "timeline": timeline,
        "run": { "horizon": "4h", "warmup": "0s", "seed": 1, "replications": 1, "bin": "1h" }
    })
}

/// The JSON path a scenario is refused at, or None if it loads.
fn refused_at(v: &Value) -> Option<String> {
    match regionsim::scenario::parse(Path::new("inline.json"), &v.to_string()) {
        Ok(_) => None,
        Err(e) => Some(e.invalid().expect("located").path.clone()),
    }
}

#[test]
fn timeline_capacities_count_against_the_32_bit_capacity_sum() {
    let over = u32::MAX - 4;
    let mut hourly = vec![1; 24];
    hourly[23] = over;
    let cases = [
        (
            json!([{ "type": "capacity", "at": "1h", "region": "us-east", "agent": "b",
                "capacity": u32::MAX }]),
            "timeline[0].capacity",
        ),
        (
            json!([{ "type": "capacity", "at": "1h", "region": "us-east", "agent": "b",
                "hourly": hourly }]),
            "timeline[0].hourly[23]",
        ),
        (
            json!([{ "type": "deploy", "at": "1h", "region": "eu-central", "agent": "c",
                "capacity": over }]),
            "timeline[0].capacity",
        ),
        (
            json!([{ "type": "migrate", "at": "1h", "from": "us-east", "agent": "b",
                "to": "eu-central", "capacity": over }]),
            "timeline[0].capacity",
        ),
        (
            json!([
                { "type": "capacity", "at": "1h", "region": "us-east", "agent": "a",
                    "capacity": 2_000_000_000u32 },
                { "type": "capacity", "at": "2h", "region": "us-east", "agent": "a",
                    "capacity": 5 },
                { "type": "capacity", "at": "3h", "region": "us-east", "agent": "b",
                    "capacity": 2_300_000_000u32 }
            ]),
            "timeline[2].capacity",
        ),
    ];
    for (timeline, path) in cases {
        let v = two_in_us_east(timeline.clone());
        assert_eq!(refused_at(&v).as_deref(), Some(path), "{timeline}");
    }
    // Up to the limit itself everything loads.
    let fits = json!([{ "type": "capacity", "at": "1h", "region": "us-east", "agent": "b",
        "capacity": u32::MAX - 5 }]);
    assert_eq!(refused_at(&two_in_us_east(fits)), None);
}

#[test]
fn worker_pools_count_at_their_most_workers() {
    let mut v = two_in_us_east(json!([]));
    v["deployments"][1] = json!({ "agent": "b", "region": "eu-central", "workers": {
        "autoscale": { "min": 1, "max": 100000, "target_load": 0.5 },
        "load": { "sessions_per_worker": 1000000 } } });
    assert_eq!(
        refused_at(&v).as_deref(),
        Some("deployments[1].workers.autoscale.max")
    );
}

/// The report's case through the command line: refused with the field's
/// place, exit 2, instead of a region capacity that wrapped to 9.
#[test]
fn a_timeline_capacity_over_the_sum_is_refused_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wrap.json");
    let v = two_in_us_east(
        json!([{ "type": "capacity", "at": "1h", "region": "us-east",
        "agent": "b", "capacity": u32::MAX }]),
    );
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out = Command::cargo_bin("regionsim")
        .unwrap()
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("at `timeline[0].capacity` (line ") && err.contains("at most 4294967295"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
