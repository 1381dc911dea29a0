//! Sessions moved after a failure keep their users' own end: exact
//! consequences on a world whose sessions all last 60 s and whose arrivals
//! stop at the failure, so that the same world without the outage tells which
//! sessions were running at the failure and when each would have ended.
//! (The count of sessions moved per failure against its exact expectation in
//! a loss region is the validation case `outage-redispatch`.)

use std::path::Path;

use regionsim::engine::simulate;
use regionsim::model::World;
use regionsim::stats::RunStats;
use serde_json::json;

/// The failure, the sessions' length and the detection delay, seconds.
const FAIL: f64 = 3600.0;
const LENGTH: f64 = 60.0;
const DETECT: f64 = 15.0;

/// New York users nearest to us-east (ample room), eu-central (ample room)
/// further away; arrivals stop at 1 h; with `outage`, us-east fails at 1 h
/// and its sessions are dispatched again 15 s later.
fn world(outage: bool, horizon_s: f64) -> World {
    let mut timeline = vec![json!({ "type": "rate", "at": "1h", "factor": 0, "duration": "1h" })];
    if outage {
        timeline.push(json!({ "type": "outage", "at": "1h", "region": "us-east",
            "duration": "30min", "sessions": "redispatch", "detect": "15s" }));
    }
    let v = json!({
        "name": "kept-end",
        "regions": ["us-east", "eu-central"],
        "deployments": [
            { "agent": "a", "region": "us-east", "capacity": 1000 },
            { "agent": "a", "region": "eu-central", "capacity": 1000 }
        ],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.5 }, "session": { "type": "deterministic", "value": "60s" } }],
        "latency": { "dispatch": { "type": "deterministic", "value": 0 } },
        "policy": { "type": "nearest", "on_full": "reject" },
        "timeline": timeline,
        "run": { "horizon": format!("{horizon_s}s"), "warmup": "0s", "seed": 31,
            "replications": 6, "bin": "15s" }
    });
    regionsim::scenario::parse(Path::new("kept-end.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn total(s: &RunStats, f: impl Fn(&regionsim::stats::PopulationStats) -> u64) -> u64 {
    s.populations.iter().map(f).sum()
}

/// Busy session-seconds of region `r`'s lane over the bins from `from_s` on.
fn busy_from(s: &RunStats, r: usize, from_s: f64) -> f64 {
    let ts = &s.series;
    let first = (from_s / ts.bin_s) as usize;
    (first..ts.bins())
        .map(|b| ts.lane_cell(b, ts.region_lane(r)).0)
        .sum()
}

/// Of the sessions running at the failure, exactly those whose end comes
/// after the detection are moved, the others are interrupted; the moved ones
/// hold their new agent until their original end and not a moment longer.
#[test]
fn a_moved_session_keeps_its_users_own_end() {
    let failed = world(true, 2.0 * FAIL);
    let (at_failure, at_detection, unfailed) = (
        world(false, FAIL),
        world(false, FAIL + DETECT),
        world(false, 2.0 * FAIL),
    );
    let mut moved_total = 0;
    for rep in 0..failed.run().replications {
        let s = simulate(&failed, rep, &());
        let running = simulate(&at_failure, rep, &()).running_at_horizon;
        let still = simulate(&at_detection, rep, &()).running_at_horizon;
        let moved = total(&s, |p| p.redispatched);
        assert_eq!(
            moved, still,
            "rep {rep}: moved = still running at detection"
        );
        assert_eq!(
            total(&s, |p| p.interrupted),
            running - still,
            "rep {rep}: the others end during the detection"
        );
        moved_total += moved;
        // Every moved session gets a slot in eu-central at the detection...
        let ts = &s.series;
        let bin = ((FAIL + DETECT) / ts.bin_s) as usize;
        assert_eq!(u64::from(ts.lane_cell(bin, ts.region_lane(1)).2), moved);
        // ... and leaves it at its original end: nothing runs there once every
        // session running at the failure has ended,
        assert_eq!(busy_from(&s, 1, FAIL + LENGTH), 0.0, "rep {rep}");
        // and what it holds from the detection on is what the same sessions
        // held in us-east without the failure. The break points are the
        // same instants up to rounding (a few 1e-12 s each), far below the
        // 15 s per moved session of keeping the whole remaining length.
        let kept = busy_from(&simulate(&unfailed, rep, &()), 0, FAIL + DETECT);
        let held = busy_from(&s, 1, FAIL + DETECT);
        assert!(
            (held - kept).abs() < 1e-6,
            "rep {rep}: {held} against {kept}"
        );
    }
    assert!(moved_total > 0, "some sessions outlast the detection");
}
