//! The published JSON Schema of scenario files: current, accepted by an
//! independent validator (boon) for every shipped scenario, and in agreement
//! with the parser on files that are malformed in shape.

use serde_json::{json, Value};

use crate::common::repo;

fn compiled() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource(
            "scenario.schema.json",
            regionsim::scenario::scenario_schema(),
        )
        .unwrap();
    let idx = compiler
        .compile("scenario.schema.json", &mut schemas)
        .unwrap();
    (schemas, idx)
}

fn shipped() -> Vec<std::path::PathBuf> {
    crate::common::json_files(&["scenarios", "scenarios/tests", "scenarios/validation"])
}

#[test]
fn committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(repo(regionsim::scenario::SCHEMA_PATH)).unwrap();
    assert!(
        committed == regionsim::scenario::scenario_schema_text(),
        "schema/scenario.schema.json is stale: regenerate it with `cargo run -- schema > schema/scenario.schema.json`"
    );
}

#[test]
fn every_shipped_scenario_validates_against_the_schema() {
    let (schemas, idx) = compiled();
    let files = shipped();
    assert!(files.len() >= 10);
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        if let Err(e) = schemas.validate(&doc, idx) {
            panic!("{}: {e}", f.display());
        }
    }
}

/// A minimal valid scenario, changed by each case below.
fn base() -> Value {
    json!({
        "$schema": "../schema/scenario.schema.json",
        "name": "s",
        "regions": ["us-east"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 10 }],
        "populations": [{ "name": "p", "lat": 40.0, "lon": -74.0, "utc_offset_h": -5,
            "rate": { "peak_per_hour": 100, "profile": "business" },
            "session": { "type": "exponential", "mean": "3min" } }],
        "policy": { "type": "nearest" }
    })
}

#[test]
fn schema_and_parser_agree_on_malformed_files() {
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit)] = &[
        ("unknown top-level field", |v| v["colour"] = json!("red")),
        ("missing name", |v| {
            v.as_object_mut().unwrap().remove("name");
        }),
        ("capacity as a string", |v| {
            v["deployments"][0]["capacity"] = json!("10")
        }),
        ("negative capacity", |v| {
            v["deployments"][0]["capacity"] = json!(-1)
        }),
        ("unknown policy type", |v| {
            v["policy"] = json!({ "type": "random" })
        }),
        ("unknown policy field", |v| v["policy"]["colour"] = json!(1)),
        ("duration with an unknown unit", |v| {
            v["populations"][0]["session"]["mean"] = json!("5 parsecs")
        }),
        ("unknown distribution", |v| {
            v["populations"][0]["session"] = json!({ "type": "zipf" })
        }),
        ("profile of 23 hours", |v| {
            v["populations"][0]["rate"]["profile"] = json!(vec![1.0; 23])
        }),
        ("unknown profile name", |v| {
            v["populations"][0]["rate"]["profile"] = json!("weekend")
        }),
        ("region as a number", |v| v["regions"][0] = json!(7)),
        ("patience as a boolean", |v| {
            v["populations"][0]["patience"] = json!(true)
        }),
        ("on_full not wait or reject", |v| {
            v["policy"]["on_full"] = json!("maybe")
        }),
        ("route as a number", |v| {
            v["policy"] = json!({ "type": "explicit", "routes": { "p": 3 } })
        }),
        ("unknown run field", |v| v["run"] = json!({ "seeds": 3 })),
    ];
    let (schemas, idx) = compiled();
    let path = std::path::Path::new("case.json");
    let ok = base();
    assert!(schemas.validate(&ok, idx).is_ok(), "the base case is valid");
    regionsim::scenario::parse(path, &ok.to_string()).expect("the parser accepts the base case");
    for (name, edit) in cases {
        let mut v = base();
        edit(&mut v);
        assert!(
            schemas.validate(&v, idx).is_err(),
            "the schema accepts: {name}"
        );
        assert!(
            regionsim::scenario::parse(path, &v.to_string()).is_err(),
            "the parser accepts: {name}"
        );
    }
}

fn regionsim(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn schema_completions_and_man_page_come_from_the_command_line() {
    assert_eq!(
        regionsim(&["schema"]),
        regionsim::scenario::scenario_schema_text()
    );
    for shell in ["bash", "zsh", "fish"] {
        let script = regionsim(&["completions", shell]);
        assert!(
            script.contains("regionsim") && script.contains("replications"),
            "{shell}"
        );
    }
    let man = regionsim(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH regionsim"),
        "{}",
        &man[..80.min(man.len())]
    );
    assert!(man.contains("sweep"));
}

/// The minimal scenario that opens docs/scenarios.md is complete and valid.
#[test]
fn docs_minimal_scenario_parses_and_validates() {
    let doc = std::fs::read_to_string(repo("docs/scenarios.md")).unwrap();
    let start = doc.find("```json\n").unwrap() + 8;
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let (schemas, idx) = compiled();
    assert!(schemas
        .validate(&serde_json::from_str(text).unwrap(), idx)
        .is_ok());
    regionsim::scenario::parse(std::path::Path::new("minimal.json"), text).unwrap();
}

/// Every text file under `dir` (recursively) whose extension is in `exts`.
fn texts_under(dir: std::path::PathBuf, exts: &[&str], out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            texts_under(p, exts, out);
        } else if p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
            out.push(p);
        }
    }
}

/// README, docs/, the shipped scenarios (their descriptions reach the
/// reports), the benchmark and the sources stand on their own: they cite
/// published sources, not a brief outside the repository.
#[test]
fn docs_do_not_cite_an_outside_brief() {
    let mut files = vec![repo("README.md"), repo("ARCHITECTURE.md")];
    texts_under(repo("docs"), &["md"], &mut files);
    texts_under(repo("scenarios"), &["json"], &mut files);
    texts_under(repo("bench"), &["rs", "py", "sh"], &mut files);
    texts_under(repo("src"), &["rs"], &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("DESIGN"), "{} cites DESIGN", f.display());
    }
}

/// `regionsim check`: one line per file, exit 0 when all are valid, 2 when one
/// is not; the estimated sessions match the integral of the arrival rates.
#[test]
fn check_validates_files_without_simulating() {
    let good = repo("scenarios/livekit-global.json");
    let out = regionsim(&["check", good.to_str().unwrap()]);
    assert!(out.contains("ok, estimated about"), "{out}");
    let k: f64 = out
        .split("about ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let w = crate::common::world("scenarios/livekit-global.json");
    let expected: f64 = (0..w.populations().len())
        .map(|p| w.expected_arrivals(p, 0.0, w.run().horizon_s))
        .sum();
    // Printed to four significant digits.
    assert!(
        (k * 1000.0 - expected).abs() < 0.001 * expected,
        "{k} k vs {expected}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"name\": 3}").unwrap();
    let run = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(["check", good.to_str().unwrap(), bad.to_str().unwrap()])
        .assert()
        .code(2);
    let o = run.get_output();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("at `name` (line 1, column 10)"), "{all}");
}

/// Duration strings made of the pieces durations are written with, in any
/// order, so most are malformed in some small way.
fn duration_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = vec![
        "1", "30", ".5", "1.", "2.5", "1e9", "1E", "e5", "+", "-", ".", " ", "ms", "s", "min", "m",
        "h", "d", "x", "µs", "\t",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..7).prop_map(|v| v.concat())
}

#[test]
fn the_schema_pattern_and_the_parser_accept_the_same_durations() {
    let schema = regionsim::scenario::scenario_schema();
    let pattern = schema["$defs"]["Duration"]["anyOf"][1]["pattern"].clone();
    assert!(pattern.is_string(), "{schema:#}");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let string = json!({ "type": "string", "pattern": pattern });
    compiler.add_resource("duration.json", string).unwrap();
    let idx = compiler.compile("duration.json", &mut schemas).unwrap();
    let config = proptest::test_runner::Config {
        cases: 3000,
        failure_persistence: None,
        ..Default::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    for fixed in ["1h30min", "2h 15min", "1d2h", "1e9s", "1h30", "3 weeks", ""] {
        let by_schema = schemas.validate(&json!(fixed), idx).is_ok();
        let by_parser = regionsim::scenario::parse_duration(fixed).is_ok();
        assert_eq!(by_schema, by_parser, "{fixed:?}");
    }
    runner
        .run(&duration_text(), |s| {
            let by_schema = schemas.validate(&json!(s), idx).is_ok();
            let by_parser = regionsim::scenario::parse_duration(&s).is_ok();
            proptest::prop_assert_eq!(by_schema, by_parser, "{:?}", s);
            Ok(())
        })
        .unwrap();
}
