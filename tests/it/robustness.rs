//! Nothing a user types can hurt the machine or the results: absurd workloads
//! are refused with their estimate, and tiny or huge numbers neither hang nor
//! overflow (report folders: `report_folders.rs`). Each test is named after the
//! defect it guards against.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::{json, Value};

use crate::common::repo;

pub(crate) fn tiny() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo("scenarios/tests/tiny.json")).unwrap())
        .unwrap()
}

/// Write `v` as `name` in `dir`.
pub(crate) fn scenario_file(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, serde_json::to_string_pretty(v).unwrap()).unwrap();
    f
}

/// `regionsim ARGS` in `cwd`, killed after 60 s; returns (status, stderr).
pub(crate) fn regionsim(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("regionsim")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `regionsim check` on `v` written as `name` in `dir`.
fn check(dir: &Path, name: &str, v: &Value) -> (Option<i32>, String) {
    let f = scenario_file(dir, name, v);
    regionsim(dir, &["check", f.to_str().unwrap()])
}

#[test]
fn absurd_workloads_are_refused_with_their_estimate_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    v["populations"][0]["rate"] = json!({ "peak_per_s": 1e9 });
    v["run"]["horizon"] = json!("365d");
    v["run"]["bin"] = json!("1d");
    let f = scenario_file(dir.path(), "absurd.json", &v);
    let (code, err) = regionsim(dir.path(), &["run", f.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("events exceed the limit"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!dir.path().join("reports").exists());
    let (code, err) = regionsim(dir.path(), &["check", f.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn statistics_memory_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    // A million bins over 300 edge-only regions asked 10.7 GB.
    let regions: Vec<Value> = (0..300)
        .map(|i| json!({"id": format!("e{i}"), "lat": 0.0, "lon": (i as f64) * 0.5 - 75.0, "agents": false}))
        .collect();
    v["regions"].as_array_mut().unwrap().extend(regions);
    v["run"]["bin"] = json!(0.0864);
    let (code, err) = check(dir.path(), "wide.json", &v);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("of memory exceed the limit"), "{err}");
}

#[test]
fn check_validates_without_simulating_and_prints_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("regionsim")
        .unwrap()
        .current_dir(dir.path())
        .args(["check"])
        .arg(repo("scenarios/livekit-global.json"))
        .arg(repo("scenarios/tests/tiny.json"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("sessions per replication") && stdout.contains("events"));
    assert!(!dir.path().join("reports").exists());
    let (code, err) = check(dir.path(), "bad.json", &json!({"name": ".."}));
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_subnormal_arrival_rate_neither_hangs_nor_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    v["populations"][0]["rate"] = json!({ "peak_per_s": 1e-310 });
    v["populations"][1]["rate"] = json!({ "peak_per_s": 5e-324 });
    let f = scenario_file(dir.path(), "slow.json", &v);
    let (code, err) = regionsim(
        dir.path(),
        &["run", f.to_str().unwrap(), "--quiet", "--no-charts"],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn capacities_whose_sum_overflows_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    v["deployments"][0]["capacity"] = json!(4294967295u32);
    v["deployments"][1]["capacity"] = json!(4294967295u32);
    let (code, err) = check(dir.path(), "big.json", &v);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("`deployments[1].capacity`"), "{err}");
}

#[test]
fn suspicious_but_valid_scenarios_get_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    v["deployments"][0]["capacity"] = json!(0);
    v["deployments"][1]["capacity"] = json!(0);
    v["populations"][1]["lat"] = json!(6.96);
    v["populations"][1]["lon"] = json!(-89.0);
    let (code, err) = check(dir.path(), "odd.json", &v);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("every deployment has capacity 0"), "{err}");
    assert!(err.contains("`populations[1].utc_offset_h`"), "{err}");
    let mut v = tiny();
    v["populations"][1]["lat"] = json!(-80.0);
    v["populations"][1]["lon"] = json!(50.94);
    v["populations"][1]["utc_offset_h"] = json!(3);
    v["policy"]["on_full"] = json!("reject");
    let (code, err) = check(dir.path(), "swapped.json", &v);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("`populations[1].lat`") && err.contains("swapped"),
        "{err}"
    );
    assert!(err.contains("`populations[0].patience`"), "{err}");
    for shipped in [
        "scenarios/livekit-global.json",
        "scenarios/tests/policies.json",
    ] {
        let (_, err) = regionsim(dir.path(), &["check", repo(shipped).to_str().unwrap()]);
        assert!(!err.contains("warning"), "{shipped}: {err}");
    }
}

/// A scenario of `n` small populations on the three reference regions.
fn many_populations(n: usize) -> Value {
    let pops: Vec<Value> = (0..n)
        .map(|i| {
            let lon = ((i * 7) % 340) as f64 - 169.5;
            json!({
                "name": format!("p{i}"),
                "lat": (i % 120) as f64 - 59.5,
                "lon": lon,
                "utc_offset_h": (lon / 15.0).round(),
                "rate": {"peak_per_hour": 60},
                "session": {"type": "exponential", "mean": "60s"},
                "patience": {"type": "exponential", "mean": "20s"}
            })
        })
        .collect();
    json!({
        "name": "many",
        "regions": ["us-east", "eu-central", "ap-south"],
        "deployments": [
            {"agent": "a", "region": "us-east", "capacity": 20},
            {"agent": "a", "region": "eu-central", "capacity": 20},
            {"agent": "a", "region": "ap-south", "capacity": 20}
        ],
        "populations": pops,
        "policy": {"type": "nearest"},
        "run": {"horizon": "1h", "replications": 2, "bin": "15min"}
    })
}

#[test]
fn per_population_statistics_stay_lean() {
    let text = serde_json::to_string(&many_populations(1000)).unwrap();
    let world = regionsim::scenario::parse(Path::new("many.json"), &text).unwrap();
    let est = crate::common::estimate(&world);
    let pops = &est.pooled.populations;
    let bytes: usize = pops
        .iter()
        .map(|p| p.rtt.heap_bytes() + p.join.heap_bytes() + p.wait.heap_bytes())
        .sum();
    // The full layout held three times 229 kB per population.
    let per_population = bytes / pops.len();
    assert!(per_population < 24 * 1024, "{per_population} bytes");
    assert!(pops.iter().map(|p| p.rtt.count()).sum::<u64>() > 0);
}

#[test]
fn a_regions_by_regions_matrix_past_the_limit_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    // 30 000 regions asked a 7 GB backbone matrix; the limit is 1 000.
    let extra: Vec<Value> = (0..1000)
        .map(|i| json!({"id": format!("e{i}"), "lat": 0.0, "lon": 0.0, "agents": false}))
        .collect();
    v["regions"].as_array_mut().unwrap().extend(extra);
    let (code, err) = check(dir.path(), "regions.json", &v);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("`regions`") && err.contains("at most 1000"),
        "{err}"
    );
}

#[test]
fn a_horizon_override_past_the_clock_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = regionsim(
        dir.path(),
        &[
            "run",
            repo("scenarios/tests/tiny.json").to_str().unwrap(),
            "--horizon",
            "100000000h",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("horizon") && err.contains("at most"), "{err}");
}

#[test]
fn force_lets_check_accept_a_workload_above_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = tiny();
    v["populations"][0]["rate"] = json!({ "peak_per_s": 1e9 });
    let f = scenario_file(dir.path(), "big.json", &v);
    let (code, err) = regionsim(dir.path(), &["check", f.to_str().unwrap(), "--force"]);
    assert_eq!(code, Some(0), "{err}");
}

/// Unlimited patience with too little capacity once grew a queue without bound
/// (0.93 GB at 1 170 h with capacity 1): a deployment's queue holds at most
/// `max_queue` users and rejects the next one, counted apart.
#[test]
fn a_full_queue_rejects_instead_of_growing_without_bound() {
    let text = serde_json::json!({
        "name": "queue",
        "regions": ["us-east"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 1, "max_queue": 50 }],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 1.0 }, "session": { "type": "exponential", "mean": "60s" },
            "patience": "unlimited" }],
        "policy": { "type": "nearest" },
        "run": { "horizon": "2h", "seed": 3, "replications": 2 }
    })
    .to_string();
    let w = regionsim::scenario::parse(std::path::Path::new("queue.json"), &text).unwrap();
    for rep in 0..2 {
        let s = regionsim::engine::simulate(&w, rep, &());
        let p = &s.populations[0];
        assert!(s.pending_at_horizon <= 50, "{}", s.pending_at_horizon);
        assert!(s.queue_full > 0 && p.rejected == s.queue_full);
        assert_eq!(
            p.sessions,
            p.served_home + p.overflow + p.rejected + p.abandoned + s.pending_at_horizon
        );
    }
}

/// `"capacity": 4294967295` aborted the process (the event list reserved one
/// entry per slot up front): a huge capacity now costs only what is used.
#[test]
fn a_huge_capacity_runs_without_reserving_memory_per_slot() {
    let text = serde_json::json!({
        "name": "huge",
        "regions": ["us-east"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 4294967295u64 }],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 1.0 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest", "on_full": "reject" },
        "run": { "horizon": "1h", "seed": 3, "replications": 1 }
    })
    .to_string();
    let w = regionsim::scenario::parse(std::path::Path::new("huge.json"), &text).unwrap();
    let s = regionsim::engine::simulate(&w, 0, &());
    let p = &s.populations[0];
    assert!(p.sessions > 3000 && p.rejected == 0);
}

/// Unwritable even for root: a folder under /proc.
#[test]
fn a_huge_scenario_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.json");
    let file = std::fs::File::create(&f).unwrap();
    file.set_len(65 << 20).unwrap(); // sparse: no disk used
    let (code, err) = regionsim(dir.path(), &["check", f.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("at most 67108864"), "{err}");
}
