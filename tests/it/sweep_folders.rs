//! A sweep's folder at every instant: the previous complete set, the new
//! complete set, or a new set marked incomplete. A killed sweep once destroyed
//! the previous complete folder and left a partial one nothing marked as
//! partial; the finished points now go beside a complete set until the new
//! one is whole.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::repo;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A two-point sweep of the tiny scenario into `out`, to completion.
fn small_sweep(out: &Path) {
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(["sweep", repo("scenarios/tests/tiny.json").to_str().unwrap()])
        .args(["--set", "deployments[0].capacity=4,6", "--horizon=2h"])
        .args(["--replications=2", "--no-charts", "--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn a_killed_sweep_keeps_the_previous_complete_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    small_sweep(&out);
    let before = std::fs::read(out.join("sweep.json")).unwrap();
    assert_eq!(json(&out.join("sweep.json"))["complete"], true);

    let values: Vec<String> = (0..40).map(|i| (100 + i).to_string()).collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("regionsim"))
        .args([
            "sweep",
            repo("scenarios/reference-3x100.json").to_str().unwrap(),
        ])
        .arg("--set")
        .arg(format!("deployments[0].capacity={}", values.join(",")))
        // --force: the folder holds reports of another scenario file.
        .args(["--set", "run.horizon=360000", "--quiet", "--force", "--out"])
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = dir.path().join("s.incomplete");
    let start = Instant::now();
    while !staging.join("sweep.csv").exists() && start.elapsed() < Duration::from_secs(120) {
        assert!(child.try_wait().unwrap().is_none(), "the sweep ran");
        // Meanwhile the previous set stays whole under its name.
        assert_eq!(std::fs::read(out.join("sweep.json")).unwrap(), before);
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        staging.join("sweep.csv").exists(),
        "the first point was written"
    );
    assert_eq!(std::fs::read(out.join("sweep.json")).unwrap(), before);

    let partial = json(&staging.join("sweep.json"));
    assert_eq!(partial["complete"], false);
    assert_eq!(partial["points_planned"].as_array().unwrap().len(), 40);
    assert_eq!(
        partial["points_planned"][39]["deployments[0].capacity"],
        139
    );
    let done = partial["points"].as_array().unwrap().len();
    assert!((1..40).contains(&done), "{done} points");
    let mark = json(&staging.join(regionsim::report::MARKER));
    assert_eq!(mark["complete"], false);
    assert_eq!(
        (mark["done"].as_u64(), mark["planned"].as_u64()),
        (Some(done as u64), Some(40))
    );

    // A sweep that finishes replaces the complete set and removes the partial one.
    small_sweep(&out);
    assert!(!staging.exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["s"]);
}

/// Without a complete set to keep, the finished points go to the target
/// itself, marked incomplete until the last one.
#[test]
fn a_sweep_marks_its_set_complete_only_with_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    small_sweep(&out);
    let whole = json(&out.join("sweep.json"));
    assert_eq!(whole["complete"], true);
    assert_eq!(
        whole["points_planned"],
        serde_json::json!([
            { "deployments[0].capacity": 4 },
            { "deployments[0].capacity": 6 }
        ])
    );
    let mark = json(&out.join(regionsim::report::MARKER));
    assert!(mark.get("complete").is_none(), "{mark}");
}

#[test]
fn a_sweep_draws_no_chart_of_a_metric_zero_at_every_point_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let run = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(["sweep", repo("scenarios/tests/tiny.json").to_str().unwrap()])
        .args(["--set", "deployments[0].capacity=40,60", "--horizon=2h"])
        .args(["--replications=2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    // Room for everyone: nobody overflows, so there is no overflow chart.
    assert!(!out.join("sweep-overflow_rate.png").exists());
    assert!(
        stderr.contains("note: no chart of overflow_rate: it is zero at every point"),
        "{stderr}"
    );
    assert!(out.join("sweep-media_rtt_ms-p95.png").exists());
}
