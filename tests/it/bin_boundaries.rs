//! Bin widths whose multiples are not exact in binary (`0.1` s, `0.7` s,
//! `25.634` s). A bin's end divided by the width can round to just below the
//! next index (43 x 0.1 / 0.1 < 43), and the walks that spread concurrency and
//! a worker pool's levels over the bins once stepped to such an end and stayed
//! there: the run never ended (found by the fuzz campaign). Each world must
//! end within a timeout, with every bin integrated once: the capacity area
//! over the bins is capacity x horizon.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

/// Far more than any of these runs takes (milliseconds); only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

fn world(bin: f64, horizon: f64, workers: bool) -> Value {
    let deployment = if workers {
        json!({ "agent": "a", "region": "us-east",
            "workers": { "count": 3, "load": { "sessions_per_worker": 3 },
                         "sample_interval": 0.5, "report_interval": 0 } })
    } else {
        json!({ "agent": "a", "region": "us-east", "capacity": 9 })
    };
    json!({
        "name": "bins",
        "regions": ["us-east"],
        "deployments": [deployment],
        "populations": [{ "name": "p", "lat": 38.9, "lon": -77.0, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.25 }, "session": { "type": "exponential", "mean": "30s" } }],
        "policy": { "type": "nearest" },
        "run": { "horizon": horizon, "bin": bin, "replications": 1 }
    })
}

/// Simulate `v` on a thread of its own; panics if it has not ended in [`HANG`].
fn simulate_or_hang(v: &Value) -> regionsim::experiment::Estimate {
    let world = regionsim::scenario::parse(Path::new("bins.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(regionsim::experiment::replicate(&world, &()).expect("not cancelled"));
    });
    rx.recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("the run never ended (or panicked): {v}"))
}

#[test]
fn runs_end_when_bin_ends_divide_to_just_below_a_whole_number() {
    for bin in [0.1, 0.7, 25.634, 1.0 / 3.0] {
        let horizon = 600.0;
        let est = simulate_or_hang(&world(bin, horizon, false));
        let s = &est.pooled.series;
        let area: f64 = (0..s.bins()).map(|b| s.lane_cell(b, 0).1).sum();
        let want = 9.0 * horizon;
        assert!(
            (area - want).abs() < 1e-6 * want,
            "bin {bin}: capacity area {area} over the bins, not {want}"
        );
        let arrivals: u64 = s.counts.iter().map(|c| c.arrivals).sum();
        let sessions: u64 = est.pooled.populations.iter().map(|p| p.sessions).sum();
        assert!(arrivals >= sessions && arrivals > 0, "bin {bin}");
    }
}

#[test]
fn worker_pools_end_when_bin_ends_divide_to_just_below_a_whole_number() {
    for bin in [0.1, 0.7, 25.634] {
        let est = simulate_or_hang(&world(bin, 600.0, true));
        assert!(est.pooled.events > 0, "bin {bin}");
    }
}
