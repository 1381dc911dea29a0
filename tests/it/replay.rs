//! Session export: a run exported with `--sessions` fits back to its
//! scenario's rates and session law.

use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Value};

fn cli(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("regionsim").unwrap().args(args).assert()
}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
}

/// One population near Frankfurt (UTC+1, business profile), lognormal
/// sessions, room for everyone.
fn known(horizon: &str, populations: Value) -> Value {
    json!({
        "name": "known",
        "regions": ["us-east", "eu-central"],
        "deployments": [
            { "agent": "a", "region": "us-east", "capacity": 100000 },
            { "agent": "a", "region": "eu-central", "capacity": 100000 }
        ],
        "populations": populations,
        "policy": { "type": "nearest" },
        "run": { "horizon": horizon, "seed": 5, "replications": 1 }
    })
}

fn frankfurt() -> Value {
    json!([{ "name": "frankfurt", "lat": 50.11, "lon": 8.68, "utc_offset_h": 1,
             "rate": { "peak_per_hour": 150, "profile": "business" },
             "session": { "type": "lognormal", "mean": "180s", "cv": 0.6 } }])
}

/// Run `scenario` and export its sessions to `csv`.
fn export(dir: &Path, scenario: &Value, csv: &Path, out: &str) {
    let file = dir.join(format!("{out}.json"));
    write_json(&file, scenario);
    let (file, out, csv) = (file.to_str().unwrap(), dir.join(out), csv.to_str().unwrap());
    cli(&[
        "run",
        file,
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
        "-q",
        "--sessions",
        csv,
    ])
    .success();
}

#[test]
fn an_exported_run_fits_back_to_its_rates_and_session_law() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("week.csv");
    export(dir.path(), &known("7d", frankfurt()), &csv, "run");
    let out = dir.path().join("fit");
    let level = (1.0 - 0.01 / 26.0).to_string();
    cli(&[
        "fit",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
        "-q",
        "--confidence",
        &level,
    ])
    .success();
    let f: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fit.json")).unwrap()).unwrap();
    let pops = f["populations"].as_array().unwrap();
    assert_eq!(pops.len(), 1);
    assert_eq!(pops[0]["utc_offset_h"], 1);
    assert_eq!(pops[0]["profile"], "daily", "{}", pops[0]["weekly_test"]);
    let business = regionsim::model::rate::named_profile("business").unwrap();
    for r in pops[0]["rates_utc"].as_array().unwrap() {
        let h = r["utc_hour"].as_u64().unwrap() as usize;
        let truth = 150.0 * business[(h + 1) % 24];
        let (lo, hi) = (r["low"].as_f64().unwrap(), r["high"].as_f64().unwrap());
        assert!(
            lo <= truth && truth <= hi,
            "UTC hour {h}: {truth} not in [{lo}, {hi}]"
        );
    }
    assert_eq!(f["durations"]["chosen"], "lognormal");
    let sigma2 = (1.0f64 + 0.36).ln();
    let law = &f["durations"]["laws"][0];
    for (name, truth) in [("mu", 180f64.ln() - sigma2 / 2.0), ("sigma", sigma2.sqrt())] {
        let v = law["parameters"][name].as_f64().unwrap();
        let hw = law["half_widths"][name].as_f64().unwrap();
        assert!((v - truth).abs() <= hw, "{name}: {v} ± {hw} misses {truth}");
    }
}

#[test]
fn an_unwritable_export_path_is_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = d.join("ok.json");
    write_json(&file, &known("1h", frankfurt()));
    let out = d.join("out");
    let a = cli(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--sessions",
        "/nonexistent/dir/s.csv",
    ])
    .code(2);
    let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        e.contains("--sessions /nonexistent/dir/s.csv: cannot write there"),
        "{e}"
    );
    assert!(!out.exists(), "nothing written");
}
