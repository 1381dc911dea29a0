//! Every output says what produced it (tool, commit, scenario hash, policy,
//! options; a comparison, each policy it compared) and nothing that differs
//! between two runs of the same study.

use assert_cmd::Command;
use serde_json::Value;

use crate::common::repo;
use regionsim::report::provenance::sha256_hex;

fn regionsim(args: &[&str]) {
    Command::cargo_bin("regionsim")
        .unwrap()
        .args(args)
        .arg("--quiet")
        .assert()
        .success();
}

fn json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn check(prov: &Value, policy: &str, overrides: &[(&str, Value)]) {
    let bytes = std::fs::read(repo("scenarios/tests/policies.json")).unwrap();
    assert_eq!(prov["tool"], "regionsim");
    assert_eq!(prov["version"], env!("CARGO_PKG_VERSION"));
    assert!(prov["commit"].is_string() || prov["commit"].is_null());
    assert_eq!(prov["scenario_sha256"], sha256_hex(&bytes));
    assert_eq!(prov["policy"]["label"], policy);
    assert!(prov["policy"]["parameters"].is_object());
    for (k, v) in overrides {
        assert_eq!(&prov["options"]["overrides"][*k], v, "override {k}");
    }
    assert!(prov["options"]["seed"].is_u64());
}

#[test]
fn every_output_carries_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let d = |s: &str| dir.path().join(s);
    let scenario = repo("scenarios/tests/policies.json");
    let scenario = scenario.to_str().unwrap();
    let run = d("run");
    regionsim(&[
        "run",
        scenario,
        "--out",
        run.to_str().unwrap(),
        "--seed",
        "9",
        "--replications",
        "2",
    ]);
    check(
        &json(&run.join("summary.json"))["provenance"],
        "nearest",
        &[("run.seed", 9.into()), ("run.replications", 2.into())],
    );
    let sha = sha256_hex(&std::fs::read(scenario).unwrap());
    for f in ["summary.md", "report.html"] {
        let text = std::fs::read_to_string(run.join(f)).unwrap();
        assert!(
            text.contains(&sha) && text.contains("rovenance"),
            "{f} lacks provenance"
        );
    }
    let cmp = d("cmp");
    regionsim(&[
        "compare",
        scenario,
        "--out",
        cmp.to_str().unwrap(),
        "--policies",
        "nearest,least_loaded,explicit",
        "--replications",
        "2",
        "--no-charts",
    ]);
    check(
        &json(&cmp.join("compare.json"))["provenance"],
        "nearest",
        &[],
    );
    // The provenance names the scenario's main policy; compare.md names
    // every policy compared, with its parameters (a per-population map by
    // its size).
    let md = std::fs::read_to_string(cmp.join("compare.md")).unwrap();
    for row in [
        "| nearest (baseline) | nearest | deployments: agent@us-east, agent@eu-central, agent@ap-south; ",
        "| least_loaded | least_loaded | deployments: ",
        "| explicit | explicit | routes: 3 populations (each in the JSON output); ",
    ] {
        assert!(md.contains(row), "{row} not in {md}");
    }
    let sweep = d("sweep");
    regionsim(&[
        "sweep",
        scenario,
        "--out",
        sweep.to_str().unwrap(),
        "--set",
        "deployments[0].capacity=50,60",
        "--replications",
        "2",
        "--no-charts",
    ]);
    check(
        &json(&sweep.join("sweep.json"))["provenance"],
        "nearest",
        &[],
    );
}
