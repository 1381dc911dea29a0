//! Every kind of bad scenario gets one clear message naming the file, the JSON
//! path and line/column where known, exit status 2, and no files written.

use assert_cmd::Command;
use serde_json::{json, Value};

use crate::common::repo;

fn base() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(repo("scenarios/tests/explicit-fallback.json")).unwrap(),
    )
    .unwrap()
}

/// Run the CLI on `text`; return stderr after checking exit 2 and no output.
fn reject(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let assert = Command::cargo_bin("regionsim")
        .unwrap()
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    assert!(!out.exists(), "nothing may be written for a bad scenario");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("bad.json"),
        "message names the file: {stderr}"
    );
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "one clear message: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn mutate(f: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn each_invalid_value_gets_a_located_message() {
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "negative rate",
            mutate(|v| v["populations"][0]["rate"]["peak_per_s"] = json!(-3)),
            "populations[0].rate.peak_per_s",
            "must be a finite number >= 0",
        ),
        (
            "NaN rate",
            mutate(|v| v["populations"][1]["rate"]["peak_per_s"] = json!("NaN")),
            "populations[1].rate.peak_per_s",
            "invalid type",
        ),
        (
            "unknown region",
            mutate(|v| v["deployments"][1]["region"] = json!("mars")),
            "deployments[1].region",
            "unknown region `mars`",
        ),
        (
            "unknown agent name",
            mutate(|v| v["policy"]["routes"]["europe"]["agent"] = json!("agent-xx")),
            "policy.routes.europe",
            "no deployment of agent `agent-xx`",
        ),
        (
            "population routed to nothing",
            mutate(|v| {
                v["policy"]["routes"]
                    .as_object_mut()
                    .unwrap()
                    .remove("europe");
            }),
            "policy.routes",
            "`europe` is routed to nothing",
        ),
        (
            "profile of the wrong length",
            mutate(|v| v["populations"][0]["rate"]["profile"] = json!(vec![1.0; 23])),
            "populations[0].rate.profile",
            "must have 24 hourly multipliers",
        ),
        (
            "unknown profile name",
            mutate(|v| v["populations"][0]["rate"]["profile"] = json!("weekend")),
            "populations[0].rate.profile",
            "unknown profile `weekend`",
        ),
        (
            "wrong type",
            mutate(|v| v["deployments"][0]["capacity"] = json!("ten")),
            "deployments[0].capacity",
            "invalid type",
        ),
        (
            "negative capacity",
            mutate(|v| v["deployments"][0]["capacity"] = json!(-5)),
            "deployments[0].capacity",
            "invalid value",
        ),
        (
            "unknown field",
            mutate(|v| v["run"]["horizon_hours"] = json!(3)),
            "run.horizon_hours",
            "unknown field `horizon_hours`",
        ),
        (
            "bad duration",
            mutate(|v| v["run"]["horizon"] = json!("3 weeks")),
            "run.horizon",
            "unknown time unit",
        ),
        (
            "unknown distribution",
            mutate(|v| v["populations"][0]["session"] = json!({"type": "cauchy", "mean": 3})),
            "populations[0].session.type",
            "unknown variant `cauchy`",
        ),
        (
            "bad distribution parameter",
            mutate(|v| {
                v["populations"][0]["session"] =
                    json!({"type": "lognormal", "mean": "60s", "cv": 0})
            }),
            "populations[0].session",
            "`cv` must be a finite number > 0",
        ),
        (
            "latitude out of range",
            mutate(|v| v["populations"][0]["lat"] = json!(95)),
            "populations[0].lat",
            "latitude must be between -90 and 90",
        ),
        (
            "warm-up past horizon",
            mutate(|v| v["run"]["warmup"] = json!("25h")),
            "run.warmup",
            "must be shorter than the horizon",
        ),
        (
            "fallbacks that are never tried",
            mutate(|v| v["policy"]["on_full"] = json!("wait")),
            "policy.routes.americas.fallbacks",
            "only tried when a full region rejects",
        ),
    ];
    for (what, text, path, message) in cases {
        let err = reject(&text);
        assert!(
            err.contains(&format!("`{path}`")),
            "{what}: path `{path}` missing from: {err}"
        );
        assert!(
            err.contains(message),
            "{what}: `{message}` missing from: {err}"
        );
        assert!(err.contains("(line "), "{what}: no line/column in: {err}");
    }
}

#[test]
fn empty_truncated_and_non_json_files_are_refused() {
    assert!(reject("").contains("the file is empty"));
    assert!(reject("  \n").contains("the file is empty"));
    let full = mutate(|_| {});
    let err = reject(&full[..full.len() / 2]);
    assert!(err.contains("ends early"), "{err}");
    assert!(reject("[1, 2]").contains("invalid type"));
    assert!(reject(&format!("{full} trailing")).contains("trailing characters"));
}

#[test]
fn a_missing_file_is_a_clear_error_with_status_2() {
    let assert = Command::cargo_bin("regionsim")
        .unwrap()
        .args(["run", "no/such/scenario.json"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("no/such/scenario.json") && stderr.contains("cannot read"),
        "{stderr}"
    );
}
