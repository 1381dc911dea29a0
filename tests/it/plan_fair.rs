//! Fairness across populations: a plan can meet the overall targets while a
//! small population is served from another region all day; the population
//! table of `plan.md` / `plan.json` flags it (exactly when its worst hour is
//! more than `slo.fairness_factor` times the target), `--every-population`
//! fixes it (static and hourly, verified on fresh seeds), per-population
//! hourly checks equal the counts recomputed from the sessions, and a bad
//! factor is refused like every other field.

use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;
use regionsim::engine::policy::AnyPolicy;
use regionsim::engine::record::{Outcome, SessionRecord};
use regionsim::experiment::plan::{hourly, value_in_hour};
use regionsim::model::target::{Scope, Target, TargetMetric};
use serde_json::Value;

use crate::common::{repo, world};
use crate::plan::plan_cli;

const FAIR: &str = "scenarios/tests/plan-fair.json";

/// `plan.json` of a folder.
fn doc(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap()
}

/// The population table's row of `name`.
fn row<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["populations"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["population"] == name)
        .unwrap()
}

/// Every target (or check) of the plan's verification met.
fn all_met(doc: &Value) -> bool {
    let v = &doc["plan"]["verification"];
    let rows = v["targets"].as_array().or(v["checks"].as_array()).unwrap();
    !rows.is_empty() && rows.iter().all(|r| r["met"] == true)
}

/// The overall targets hold with us-east empty (the small American
/// population served from Frankfurt all day); with `--every-population` its
/// own overflow must hold too, so us-east gets slots, and the verification
/// on fresh seeds meets every population's targets.
#[test]
fn every_population_raises_the_small_populations_region_until_it_meets_the_overall_targets() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, every) = (dir.path().join("plain"), dir.path().join("every"));
    plan_cli(&repo(FAIR), &plain, &["--no-charts"]).success();
    plan_cli(&repo(FAIR), &every, &["--no-charts", "--every-population"]).success();
    let (a, b) = (doc(&plain), doc(&every));
    for d in [&a, &b] {
        assert_eq!(d["status"], "verified");
        assert!(all_met(d), "{}", d["plan"]);
    }
    let us_east = |d: &Value| d["deployments"][0]["capacity"].as_u64().unwrap();
    assert!(
        us_east(&b) > us_east(&a),
        "{} vs {}",
        us_east(&b),
        us_east(&a)
    );
    // Without the option the overall targets hide a population served abroad.
    assert!(row(&a, "americas")["overflow_share"].as_f64().unwrap() > 0.1);
    assert_ne!(row(&a, "americas")["flagged"], serde_json::json!([]));
    // With it, each population has the overall targets as its own, met.
    let labels: Vec<&str> = b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    for t in ["overflow_rate[americas]", "rejection_rate[europe]"] {
        assert!(labels.contains(&t), "{labels:?}");
    }
    assert!(row(&b, "americas")["overflow_share"].as_f64().unwrap() <= 0.1);
    assert_eq!(row(&b, "americas")["flagged"], serde_json::json!([]));
    assert!(std::fs::read_to_string(every.join("plan.md"))
        .unwrap()
        .contains("No population is flagged."));
}

/// The same under `--hourly`: per-population shares are checked in every
/// hour; the overall checks alone leave the American population's worst hour
/// over a quarter overflowing, with the option us-east gets more slot-hours
/// and no population is flagged.
#[test]
fn every_population_holds_hour_by_hour_in_an_hourly_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, every) = (dir.path().join("plain"), dir.path().join("every"));
    plan_cli(&repo(FAIR), &plain, &["--no-charts", "--hourly"]).success();
    let args = ["--no-charts", "--hourly", "--every-population"];
    plan_cli(&repo(FAIR), &every, &args).success();
    let (a, b) = (doc(&plain), doc(&every));
    for d in [&a, &b] {
        assert_eq!(d["status"], "verified");
        assert!(all_met(d));
    }
    let checks = b["plan"]["verification"]["checks"].as_array().unwrap();
    let americas = checks
        .iter()
        .filter(|c| c["target"] == "overflow_rate[americas]")
        .count();
    assert_eq!(
        americas, 11,
        "one check per whole hour of the 1-12 h window"
    );
    let span = b["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "overflow_rate[americas]")
        .unwrap()["span"]
        .clone();
    assert_eq!(span, "every hour");
    let hours = |d: &Value| -> Vec<u64> {
        d["schedule"][0]["hourly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect()
    };
    // The window's hours, 1-12 UTC: us-east has more slot-hours in all.
    let (ha, hb) = (hours(&a), hours(&b));
    let sum = |x: &[u64]| x[1..12].iter().sum::<u64>();
    assert!(sum(&hb) > sum(&ha), "{hb:?} vs {ha:?}");
    assert!(row(&a, "americas")["overflow_share"].as_f64().unwrap() > 0.1);
    assert_ne!(row(&a, "americas")["flagged"], serde_json::json!([]));
    assert!(row(&b, "americas")["overflow_share"].as_f64().unwrap() <= 0.1);
    assert_eq!(row(&b, "americas")["flagged"], serde_json::json!([]));
}

/// Per-population hourly checks read the series' counts per population and
/// bin; recomputed from every session of a replication (arrivals at arrival,
/// outcomes when they happen), each population's shares agree hour by hour,
/// on a world with waiting, giving up and start-up delays.
#[test]
fn per_population_hourly_checks_equal_the_counts_recomputed_from_the_sessions() {
    for scenario in ["scenarios/tests/tiny.json", FAIR] {
        let w = hourly::hourly_world(&world(scenario));
        let mut sessions: Vec<SessionRecord> = Vec::new();
        let policy = AnyPolicy::from_spec(&w, w.policy());
        let stats = regionsim::engine::simulate_recorded(&w, policy, 0, &(), &mut sessions);
        let (from, to) = (w.run().warmup_s, w.run().horizon_s);
        // [arrivals, overflow, rejected, abandoned] per population and UTC hour.
        let mut counts = vec![[[0u64; 4]; 24]; w.populations().len()];
        let hour = |t: f64| {
            let b = (t / 3600.0).floor();
            (b * 3600.0 >= from && (b + 1.0) * 3600.0 <= to).then_some(b as usize % 24)
        };
        for s in &sessions {
            let c = &mut counts[s.population];
            if let Some(h) = hour(s.arrival_s) {
                c[h][0] += 1;
            }
            let slot = match s.outcome {
                Outcome::Overflow => 1,
                Outcome::Rejected => 2,
                Outcome::Abandoned => 3,
                _ => continue,
            };
            if let Some(h) = hour(s.arrival_s + s.wait_s) {
                c[h][slot] += 1;
            }
        }
        let metrics = [
            TargetMetric::OverflowRate,
            TargetMetric::RejectionRate,
            TargetMetric::AbandonmentRate,
            TargetMetric::RejectionAbandonmentRate,
        ];
        let mut outcomes = 0;
        for (p, per_hour) in counts.iter().enumerate() {
            for (h, c) in per_hour.iter().enumerate() {
                let [arrivals, overflow, rejected, abandoned] = *c;
                outcomes += overflow + rejected + abandoned;
                let share = |n: u64| {
                    if arrivals == 0 {
                        0.0
                    } else {
                        n as f64 / arrivals as f64
                    }
                };
                let want = [
                    share(overflow),
                    share(rejected),
                    share(abandoned),
                    share(rejected + abandoned),
                ];
                for (m, want) in metrics.iter().zip(want) {
                    let t = Target::new(*m, Scope::Population(p), 0.5).expect("a valid target");
                    let got = value_in_hour(&t, &stats, h as u8);
                    assert_eq!(got, want, "{scenario}: {m:?} of population {p} in hour {h}");
                }
            }
        }
        assert!(
            outcomes > 100,
            "{scenario}: the check has outcomes to count"
        );
    }
}

/// The scenario with `slo.fairness_factor` set to `factor`, written into `dir`.
fn with_factor(dir: &Path, factor: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo(FAIR)).unwrap();
    let text = text.replacen(
        "\"slo\": {",
        &format!("\"slo\": {{\n    \"fairness_factor\": {factor},"),
        1,
    );
    let stem: String = factor.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = dir.join(format!("fair-{stem}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

/// With us-east empty the American population overflows in every hour, so
/// its worst hour's share is exactly 1, ten times the 10 % target: a factor
/// of 10 is the limit (not flagged: the flag is "more than"), 9.99 flags it,
/// in `plan.json` and `plan.md` alike.
#[test]
fn the_flag_appears_exactly_when_the_worst_hour_exceeds_the_factor() {
    let dir = tempfile::tempdir().unwrap();
    for (factor, flagged) in [("10", false), ("9.99", true)] {
        let out = dir.path().join(factor);
        plan_cli(&with_factor(dir.path(), factor), &out, &["--no-charts"]).success();
        let d = doc(&out);
        let r = row(&d, "americas");
        assert_eq!(d["deployments"][0]["capacity"], 0);
        assert_eq!(r["overflow_share"], 1.0);
        assert_eq!(r["overflow_vs_target"], 10.0);
        assert_eq!(
            d["populations"]["fairness_factor"],
            factor.parse::<f64>().unwrap()
        );
        let want = if flagged { vec!["overflow"] } else { vec![] };
        assert_eq!(r["flagged"], serde_json::json!(want), "factor {factor}");
        let md = std::fs::read_to_string(out.join("plan.md")).unwrap();
        let line = md.lines().find(|l| l.starts_with("| americas |")).unwrap();
        assert_eq!(line.contains("FLAGGED: overflow"), flagged, "{line}");
        assert_eq!(md.contains("Flagged: americas."), flagged);
        assert!(!row(&d, "europe")["flagged"]
            .as_array()
            .unwrap()
            .contains(&Value::from("overflow")));
    }
}

/// A factor below 1, negative or not a number is refused with the file, the
/// field and its line and column, in one line, exit 2, nothing written.
#[test]
fn bad_fairness_factors_exit_2_with_a_located_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    for (factor, message) in [
        ("0.5", "must be a finite number >= 1"),
        ("-2", "must be a finite number >= 1"),
        ("\"twice\"", "slo.fairness_factor"),
    ] {
        let path = with_factor(dir.path(), factor);
        let out = dir.path().join("never");
        let assert = plan_cli(&path, &out, &[]).code(2).stderr(
            contains("at `slo.fairness_factor` (line ")
                .and(contains(message))
                .and(contains(path.file_name().unwrap().to_str().unwrap())),
        );
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(!out.exists());
    }
}

/// `slo.every_population` gives each population the overall targets (but
/// utilisation), in the scenario's order after the overall ones; a
/// population's own target on the same metric is kept as written, the way
/// a scenario states an exception.
#[test]
fn every_population_expands_the_overall_targets_and_keeps_a_populations_own() {
    let set = [
        ("slo.every_population".to_string(), Value::Bool(true)),
        (
            r#"slo.targets["populations"]["americas"]["overflow_rate"]"#.to_string(),
            Value::from(0.5),
        ),
    ];
    let w = regionsim::scenario::load_with(&repo(FAIR), &set).unwrap();
    let labels: Vec<String> = w
        .slo()
        .targets
        .iter()
        .map(|t| format!("{} {}", t.label(&w), t.limit()))
        .collect();
    assert_eq!(
        labels,
        [
            "overflow_rate 0.1",
            "rejection_rate 0.02",
            "overflow_rate[europe] 0.1",
            "rejection_rate[europe] 0.02",
            "overflow_rate[americas] 0.5",
            "rejection_rate[americas] 0.02",
        ]
    );
    assert_eq!(w.slo().fairness_factor, 2.0, "the default factor");
}
