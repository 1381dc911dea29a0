//! Flash crowds and worker pools, the work they bring: arrivals that are not
//! a finite number are refused when the file is loaded, at the crowd's
//! factor, and so are autoscaling targets that can never be met.

use std::path::Path;

use serde_json::{json, Value};

/// One population of 0.05 arrivals/s in us-east over a day.
fn day() -> Value {
    json!({
        "name": "workload",
        "regions": ["us-east", "eu-central"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 10 }],
        "populations": [{ "name": "p", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.05 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest" },
        "run": { "horizon": "24h", "warmup": "0s", "seed": 1, "replications": 1, "bin": "1h" }
    })
}

fn crowd(factor: f64) -> Value {
    let mut v = day();
    v["timeline"] = json!([{ "type": "rate", "at": "1h", "population": "p",
        "factor": factor, "duration": "1h" }]);
    v
}

fn load(v: &Value) -> Result<regionsim::model::World, regionsim::scenario::ScenarioError> {
    regionsim::scenario::parse(Path::new("inline.json"), &v.to_string())
}

/// Arrivals that are not a finite number can never be simulated: refused
/// when the file is loaded, at the factor, even where two crowds overlap.
#[test]
fn a_flash_crowd_with_unbounded_arrivals_is_refused_at_load() {
    let mut two = crowd(1e200);
    two["timeline"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "type": "rate", "at": "90min", "factor": 1e300, "duration": "10min" }));
    for (v, path) in [
        (crowd(1e308), "timeline[0].factor"),
        (two, "timeline[1].factor"),
    ] {
        let e = load(&v).unwrap_err();
        let i = e.invalid().unwrap();
        assert_eq!(i.path, path, "{e}");
        assert!(i.message.contains("not be a finite number"), "{e}");
    }
}

fn pool(workers: Value) -> Value {
    let mut v = day();
    v["deployments"][0] = json!({ "agent": "a", "region": "us-east", "workers": workers });
    v["run"]["horizon"] = json!("1h");
    v
}

/// A target at or below the idle load asks for more workers without end (the
/// autoscaler ran away to 100 000 workers); one at or above the threshold
/// never relieves a full pool.
#[test]
fn autoscaling_targets_that_cannot_be_reached_are_refused() {
    for target in [0.1, 0.2, 0.7, 0.9] {
        let v = pool(
            json!({ "autoscale": { "min": 1, "max": 100000, "target_load": target },
            "load": { "base": 0.2, "sessions_per_worker": 4 } }),
        );
        let e = load(&v).unwrap_err();
        let i = e.invalid().unwrap();
        assert_eq!(
            i.path, "deployments[0].workers.autoscale.target_load",
            "{target}: {e}"
        );
        assert!(i.message.contains("above `load.base` (0.2)"), "{e}");
    }
    let v = pool(
        json!({ "autoscale": { "min": 1, "max": 10, "target_load": 0.5 },
        "load": { "base": 0.2, "sessions_per_worker": 4 } }),
    );
    assert!(load(&v).is_ok());
}
