//! Session export and trace replay: a run exported with `--sessions` fits back
//! to its scenario's rates and session law; a replayed trace gives identical
//! results run after run, and with room for everyone serves exactly the
//! trace's sessions at their instants; bad traces are refused, located.

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

fn rows(csv: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(csv).unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
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

/// A day of the known scenario, exported, replayed by a population.
fn replay_setup(dir: &Path, capacity: u32, arrivals: Value) -> std::path::PathBuf {
    let trace = dir.join("trace.csv");
    export(dir, &known("24h", frankfurt()), &trace, "source");
    let mut s = known("24h", json!([{ "name": "logged", "arrivals": arrivals }]));
    s["deployments"][0]["capacity"] = json!(capacity);
    s["deployments"][1]["capacity"] = json!(capacity);
    s["run"]["replications"] = json!(2);
    let file = dir.join("replay.json");
    write_json(&file, &s);
    file
}

#[test]
fn a_replayed_trace_gives_identical_results_twice() {
    let dir = tempfile::tempdir().unwrap();
    let file = replay_setup(dir.path(), 20, json!({ "trace": "trace.csv" }));
    let mut summaries = Vec::new();
    for run in ["a", "b"] {
        let out = dir.path().join(run);
        cli(&[
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
            "-q",
        ])
        .success();
        summaries.push(std::fs::read(out.join("summary.json")).unwrap());
    }
    assert_eq!(summaries[0], summaries[1], "two runs of a replay differ");
}

#[test]
fn with_room_for_everyone_a_replay_serves_exactly_the_traced_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let file = replay_setup(dir.path(), 100_000, json!({ "trace": "trace.csv" }));
    let replayed = dir.path().join("replayed.csv");
    let out = dir.path().join("out");
    let (f, o, r) = (
        file.to_str().unwrap(),
        out.to_str().unwrap(),
        replayed.to_str().unwrap(),
    );
    cli(&["run", f, "--out", o, "--no-charts", "-q", "--sessions", r]).success();
    // start, duration, lat, lon of every session, and every one served at home.
    let key = |rows: Vec<Vec<String>>| {
        let mut k: Vec<[String; 4]> = rows
            .into_iter()
            .map(|r| [r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()])
            .collect();
        k.sort();
        k
    };
    let traced = key(rows(&dir.path().join("trace.csv")));
    let served = rows(&replayed);
    assert!(
        served
            .iter()
            .all(|r| r[11] == "served_home" && r[12] == "0.0"),
        "all served at once"
    );
    assert!(traced.len() > 1000);
    assert_eq!(key(served), traced);
}

#[test]
fn a_rate_factor_duplicates_or_thins_the_trace() {
    let dir = tempfile::tempdir().unwrap();
    let count = |factor: f64, name: &str| {
        let file = replay_setup(
            dir.path(),
            100_000,
            json!({ "trace": "trace.csv", "rate_factor": factor }),
        );
        let csv = dir.path().join(format!("{name}.csv"));
        let out = dir.path().join(name);
        let (f, o, c) = (
            file.to_str().unwrap(),
            out.to_str().unwrap(),
            csv.to_str().unwrap(),
        );
        cli(&["run", f, "--out", o, "--no-charts", "-q", "--sessions", c]).success();
        rows(&csv).len() as f64
    };
    let n = count(1.0, "one");
    assert_eq!(count(2.0, "two"), 2.0 * n);
    let half = count(0.5, "half");
    // Binomial(n, 1/2): within 5 standard deviations.
    assert!(
        (half - n / 2.0).abs() < 5.0 * (n / 4.0).sqrt(),
        "{half} of {n}"
    );
}

#[test]
fn bad_traces_and_export_paths_are_refused_with_one_located_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("bad.csv"),
        "start,duration_s,country\n1704067200,60,FR\n1704067260,60,XX\n",
    )
    .unwrap();
    let cases = [
        (
            json!({ "trace": "missing.csv" }),
            "populations[0].arrivals.trace",
            "missing.csv: cannot read",
        ),
        (
            json!({ "trace": "bad.csv" }),
            "populations[0].arrivals.trace",
            "bad.csv:3: unknown country `XX`",
        ),
        (
            json!({ "trace": "bad.csv" }),
            "populations[0].arrivals.trace",
            "(1 of 2 rows are bad, 50.00 %",
        ),
        (
            json!({ "trace": "bad.csv", "max_bad_share": 2 }),
            "populations[0].arrivals.max_bad_share",
            "a share from 0 to 1",
        ),
        (
            json!({ "trace": "bad.csv", "time_scale": 0 }),
            "populations[0].arrivals.time_scale",
            "must be a finite number > 0",
        ),
        (
            json!({ "trace": "bad.csv", "rate_factor": -1 }),
            "populations[0].arrivals.rate_factor",
            ">= 0",
        ),
        (
            json!({ "trace": "bad.csv", "start": "soon" }),
            "populations[0].arrivals.start",
            "unreadable start time",
        ),
    ];
    for (arrivals, path, message) in cases {
        let file = d.join("s.json");
        write_json(
            &file,
            &known("24h", json!([{ "name": "p", "arrivals": arrivals }])),
        );
        let a = cli(&["check", file.to_str().unwrap()]).code(2);
        let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert_eq!(e.trim().lines().count(), 1, "{e}");
        assert!(
            e.contains(path) && e.contains(message) && e.contains("line"),
            "{path}: {e}"
        );
    }
    let mut both = known("24h", frankfurt());
    std::fs::write(
        d.join("good.csv"),
        "start,duration_s,country\n1704067200,60,FR\n",
    )
    .unwrap();
    both["populations"][0]["arrivals"] = json!({ "trace": "good.csv" });
    let file = d.join("both.json");
    write_json(&file, &both);
    let a = cli(&["check", file.to_str().unwrap()]).code(2);
    let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        e.contains("populations[0].rate") && e.contains("remove this field"),
        "{e}"
    );
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
