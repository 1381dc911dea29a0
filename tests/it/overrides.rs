//! Scenario overrides from the command line: sweep values (ranges, text) and
//! run options, judged by the scenario's own rules.

use assert_cmd::Command;

use crate::common::repo;

fn cli() -> Command {
    Command::cargo_bin("regionsim").unwrap()
}

/// `--set` takes ranges without float noise and text values; sweep.csv gains
/// per-region and per-population columns; counts print without float noise.
#[test]
fn sweep_takes_ranges_and_text_values_with_per_region_columns() {
    let dir = tempfile::tempdir().unwrap();
    cli()
        .args(["sweep", repo("scenarios/tests/tiny.json").to_str().unwrap()])
        .args(["--set", "policy.spill.utilization_threshold=0.7..0.9:0.1"])
        .args(["--set", "policy.on_full=wait,reject"])
        .args(["--replications", "2", "--no-charts", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let col = |name: &str| {
        rows[0]
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let settings: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        settings,
        [
            ("0.7", "wait"),
            ("0.7", "reject"),
            ("0.8", "wait"),
            ("0.8", "reject"),
            ("0.9", "wait"),
            ("0.9", "reject")
        ]
    );
    for name in [
        "regions.us-east.utilization",
        "populations.europe.media_rtt_ms.p95",
    ] {
        col(name);
    }
    let sessions = col("sessions");
    assert!(
        rows[1..].iter().all(|r| !r[sessions].contains("0000000")),
        "{csv}"
    );
}

/// Command-line overrides go through the scenario's own validation: one line
/// naming the field, status 2, nothing written.
#[test]
fn command_line_overrides_are_validated_by_the_scenario_rules() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, value, field) in [
        ("--replications", "0", "run.replications"),
        ("--confidence", "1.5", "run.confidence"),
        ("--horizon", "5parsec", "run.horizon"),
        ("--horizon", "10min", "run.warmup"),
    ] {
        cli()
            .args([
                "run",
                repo("scenarios/tests/tiny.json").to_str().unwrap(),
                flag,
                value,
                "--out",
            ])
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!("at `{field}`")));
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
