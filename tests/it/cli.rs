//! The command line as a user meets it: reproducible output files, thread-count
//! independence, and the report folder layout.

use crate::common::run_cli as run;

#[test]
fn same_seed_gives_byte_identical_summary_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    run(
        "scenarios/tests/tiny.json",
        &a,
        &["--threads", "1", "--replications", "4"],
    );
    run(
        "scenarios/tests/tiny.json",
        &b,
        &["--threads", "2", "--replications", "4"],
    );
    run(
        "scenarios/tests/tiny.json",
        &c,
        &["--threads", "2", "--replications", "4", "--seed", "4"],
    );
    for f in ["summary.json", "summary.md", "timeseries.csv"] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    assert_ne!(
        std::fs::read(a.join("summary.json")).unwrap(),
        std::fs::read(c.join("summary.json")).unwrap()
    );
}

#[test]
fn summary_json_keeps_the_contract_names() {
    let dir = tempfile::tempdir().unwrap();
    run("scenarios/tests/tiny.json", dir.path(), &[]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    for k in [
        "schema_version",
        "scenario",
        "seed",
        "replications",
        "policy",
        "metrics",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let m = &v["metrics"];
    for k in [
        "sessions",
        "served",
        "overflow_rate",
        "rejection_rate",
        "abandonment_rate",
    ] {
        assert!(m[k].is_number(), "metrics.{k}");
        assert!(m.get(format!("{k}_ci")).is_some(), "metrics.{k}_ci");
    }
    for d in ["media_rtt_ms", "join_latency_ms"] {
        for q in ["mean", "p50", "p95", "p99"] {
            assert!(m[d][q].is_number(), "metrics.{d}.{q}");
        }
    }
    for r in m["regions"].as_array().unwrap() {
        for k in ["id", "capacity", "utilization", "peak_concurrency"] {
            assert!(r.get(k).is_some(), "regions[].{k}");
        }
    }
    for p in m["populations"].as_array().unwrap() {
        for k in [
            "name",
            "sessions",
            "overflow_rate",
            "rejection_rate",
            "served_by",
        ] {
            assert!(p.get(k).is_some(), "populations[].{k}");
        }
    }
    assert_eq!(v["replications"], 2);
    assert!(
        m["rejection_rate_ci"].is_number(),
        "two replications carry a half-width"
    );
}

/// The committed gallery is what the documented command produces today, so the
/// README and docs/charts.md never show stale numbers.
#[test]
fn flagship_gallery_summary_is_current() {
    let dir = tempfile::tempdir().unwrap();
    run(
        "scenarios/livekit-global.json",
        dir.path(),
        &["--no-charts"],
    );
    // The build commit is the one field that cannot match: a file cannot hold
    // the hash of the commit that contains it.
    let without_commit = |s: String| -> String {
        s.lines()
            .filter(|l| !l.trim_start().starts_with("\"commit\": "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let fresh = without_commit(std::fs::read_to_string(dir.path().join("summary.json")).unwrap());
    let committed = without_commit(
        std::fs::read_to_string(crate::common::repo("reports/livekit-global/summary.json"))
            .unwrap(),
    );
    assert!(
        fresh == committed,
        "reports/livekit-global/summary.json is stale: regenerate it with `cargo run --release -- run scenarios/livekit-global.json`"
    );
}

/// `regionsim <args>`, which must succeed; its standard output.
fn stdout_of(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "regionsim {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The commands `regionsim --help` lists, `help` aside.
fn commands() -> Vec<String> {
    stdout_of(&["--help"])
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn man_pages_cover_every_command_and_every_option_has_a_description() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("man");
    let dir_arg = d.to_str().unwrap();
    stdout_of(&["man", "--dir", dir_arg]);
    let page = |name: &str| {
        std::fs::read_to_string(d.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"))
            .replace("\\-", "-")
    };
    let top = page("regionsim");
    assert_eq!(top, stdout_of(&["man"]).replace("\\-", "-"));
    // Every page the top-level one cites exists.
    let cited: Vec<&str> = top
        .split("regionsim-")
        .skip(1)
        .filter_map(|s| s.split_once("(1)").map(|(name, _)| name))
        .collect();
    let commands = commands();
    assert!(commands.len() >= 10, "{commands:?}");
    assert_eq!(
        cited, commands,
        "the top-level page cites exactly the commands"
    );
    for c in &commands {
        let man = page(&format!("regionsim-{c}"));
        let help = stdout_of(&[c.as_str(), "--help"]);
        // The options section: from `Options:` to the next unindented line.
        let lines: Vec<&str> = help
            .lines()
            .skip_while(|l| !l.starts_with("Options:"))
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with(' '))
            .collect();
        assert!(lines.iter().any(|l| l.contains("--help")), "{help}");
        for (i, line) in lines.iter().enumerate() {
            let flag = line.trim_start();
            if !flag.starts_with('-') {
                continue;
            }
            let long = flag
                .split_whitespace()
                .find(|w| w.starts_with("--"))
                .unwrap_or(flag)
                .trim_end_matches(',');
            assert!(man.contains(long), "regionsim-{c}.1 lacks {long}");
            // A description after the flag on its line, or on the next line,
            // indented deeper (clap's layout for long flags).
            let same_line = flag.split("  ").filter(|p| !p.trim().is_empty()).count() >= 2;
            let indent = |l: &str| l.len() - l.trim_start().len();
            let next_line = lines.get(i + 1).is_some_and(|n| {
                !n.trim().is_empty() && !n.trim_start().starts_with('-') && indent(n) > indent(line)
            });
            let described = same_line || next_line;
            assert!(described, "regionsim {c}: `{flag}` has no description");
        }
    }
}
