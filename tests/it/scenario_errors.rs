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
pub fn reject(text: &str) -> String {
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
    // The temporary folder's random name may itself spell jargon ("f64").
    let words = stderr.replace(dir.path().to_str().unwrap(), "<dir>");
    for jargon in [
        "u32", "u64", "f64", "usize", "enum", "struct", "Raw", "EOF", "'?'", "`?`", "os error",
        "variant",
    ] {
        assert!(!words.contains(jargon), "jargon `{jargon}` in: {stderr}");
    }
    assert!(stderr.len() < 600, "a short message: {stderr}");
    stderr
}

fn mutate(f: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    f(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// (what, scenario text, JSON path in the message, words in the message)
type Case = (&'static str, String, &'static str, &'static str);

/// Errors inside objects read as a whole name the innermost field, in plain words.
fn innermost_field_cases() -> Vec<Case> {
    vec![
        (
            "bad duration inside a distribution",
            mutate(|v| {
                v["populations"][0]["session"] = json!({"type": "exponential", "mean": "soon"})
            }),
            "populations[0].session.mean",
            "`soon` is not a duration",
        ),
        (
            "wrong type inside a region object",
            mutate(|v| v["regions"][0] = json!({"id": "x", "lat": "north", "lon": 3})),
            "regions[0].lat",
            "expected a number",
        ),
        (
            "a region missing its longitude",
            mutate(|v| v["regions"][0] = json!({"id": "x", "lat": 3})),
            "regions[0].lon",
            "needs both `lat` and `lon`",
        ),
        (
            "a region defined twice",
            mutate(|v| v["regions"][1] = json!({"id": "us-east", "lat": 1, "lon": 2})),
            "regions[1].id",
            "defined twice",
        ),
        (
            "wrong type inside a policy",
            mutate(|v| v["policy"]["redispatch_delay"] = json!([1])),
            "policy.redispatch_delay",
            "invalid type",
        ),
        (
            "wrong type inside a route",
            mutate(|v| v["policy"]["routes"]["europe"] = json!({"agent": 5})),
            "policy.routes.europe.agent",
            "expected a string",
        ),
        (
            "a whole number, said in words",
            mutate(|v| v["deployments"][0]["capacity"] = json!(1.5)),
            "deployments[0].capacity",
            "a whole number from 0 to 4294967295",
        ),
        (
            "a policy that is not an object",
            mutate(|v| v["policy"] = json!(5)),
            "policy",
            "an object with a `type` (nearest, explicit,",
        ),
    ]
}

/// Names that would escape `reports/` or break an output format, and ranges
/// that would overflow or never end.
fn name_and_range_cases() -> Vec<Case> {
    vec![
        (
            "name `..` would write outside reports/",
            mutate(|v| v["name"] = json!("..")),
            "name",
            "must not start with '.'",
        ),
        (
            "name `.`",
            mutate(|v| v["name"] = json!(".")),
            "name",
            "must not start with '.'",
        ),
        (
            "a path separator in the name",
            mutate(|v| v["name"] = json!("a/b")),
            "name",
            "contains the character '/'",
        ),
        (
            "a formula in a region id",
            mutate(|v| v["regions"][0] = json!({"id": "=HYPERLINK(\"x\")", "lat": 1, "lon": 2})),
            "regions[0].id",
            "contains the character '='",
        ),
        (
            "a newline in a population name",
            mutate(|v| v["populations"][0]["name"] = json!("a\nb")),
            "populations[0].name",
            "U+000A",
        ),
        (
            "a NUL in an agent name",
            mutate(|v| v["deployments"][0]["agent"] = json!("a\u{0}b")),
            "deployments[0].agent",
            "U+0000",
        ),
        (
            "a control character in a region name",
            mutate(|v| v["regions"][0] = json!({"id": "r", "name": "x\u{7}", "lat": 1, "lon": 2})),
            "regions[0].name",
            "control characters",
        ),
        (
            "a huge value is only excerpted",
            mutate(|v| v["populations"][0]["name"] = json!("y".repeat(4_000_000))),
            "populations[0].name",
            "...",
        ),
        (
            "a huge horizon",
            mutate(|v| v["run"]["horizon"] = json!(1e300)),
            "run.horizon",
            "at most 3.2e9 s",
        ),
        (
            "an arrival rate whose day is not finite",
            mutate(|v| {
                v["populations"][0]["rate"] =
                    json!({"peak_per_s": 1e306, "profile": vec![1000.0; 24]})
            }),
            "populations[0].rate.peak_per_s",
            "too large",
        ),
    ]
}

#[test]
fn each_invalid_value_gets_a_located_message() {
    let mut cases: Vec<Case> = vec![
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
            "unknown unit `weeks`",
        ),
        (
            "unknown distribution",
            mutate(|v| v["populations"][0]["session"] = json!({"type": "cauchy", "mean": 3})),
            "populations[0].session.type",
            "unknown type `cauchy`; use one of deterministic,",
        ),
        (
            "bad distribution parameter",
            mutate(|v| {
                v["populations"][0]["session"] =
                    json!({"type": "lognormal", "mean": "60s", "cv": 0})
            }),
            "populations[0].session.cv",
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
    cases.extend(innermost_field_cases());
    cases.extend(name_and_range_cases());
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
    // Cut inside a key: no `?` step, the end of the file is named.
    let err = reject(r#"{"name": "a", "regi"#);
    assert!(err.contains("end of file"), "{err}");
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
    assert_eq!(
        stderr.matches("No such file").count(),
        1,
        "the OS error once: {stderr}"
    );
}

/// Duplicate keys are refused wherever they are (serde keeps the last one
/// silently in maps and buffered objects), located at the second occurrence.
#[test]
fn duplicate_keys_are_refused_everywhere() {
    let full = mutate(|_| {});
    // (where, key inserted before it, the duplicated key's path)
    let cases = [
        (
            "\"name\": \"explicit-fallback\"",
            "\"name\": \"x\", ",
            "name",
        ),
        (
            "\"americas\": {",
            "\"americas\": \"agent-us\", ",
            "policy.routes.americas",
        ),
        (
            "\"capacity\": 5",
            "\"capacity\": 1, ",
            "deployments[0].capacity",
        ),
        (
            "\"peak_per_s\"",
            "\"peak_per_s\": 1, ",
            "populations[0].rate.peak_per_s",
        ),
    ];
    for (needle, dup, path) in cases {
        let at = full
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {full}"));
        let doubled = format!("{}{dup}{}", &full[..at], &full[at..]);
        let err = reject(&doubled);
        assert!(
            err.contains(&format!("`{path}`")) && err.contains("duplicate key"),
            "{path}: {err}"
        );
    }
}

/// Every shipped scenario loads.
#[test]
fn shipped_scenarios_are_valid() {
    for dir in ["scenarios", "scenarios/tests"] {
        for entry in std::fs::read_dir(repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                regionsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}
