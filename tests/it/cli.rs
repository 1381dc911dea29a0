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

/// `--version` names the build commit that every output's provenance carries,
/// so a binary can be matched with the reports it wrote.
#[test]
fn version_names_the_build_commit() {
    let out = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .arg("--version")
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let commit = regionsim::report::provenance::commit().map_or("unknown", |c| &c[..12]);
    assert_eq!(
        text.trim(),
        format!(
            "regionsim {} (commit {commit})",
            regionsim::report::provenance::VERSION
        )
    );
}

/// `--quiet` prints nothing but errors: no shard line, no warning, no note
/// about the folder it replaces, no closing summary.
#[test]
fn quiet_prints_nothing_but_errors() {
    use crate::robustness::{regionsim, scenario_file, tiny};
    let dir = tempfile::tempdir().unwrap();
    // A warning-worthy scenario: a UTC offset far from the place's solar time.
    let mut v = tiny();
    v["populations"][1]["utc_offset_h"] = serde_json::json!(-7);
    let f = scenario_file(dir.path(), "s.json", &v);
    let f = f.to_str().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let parts = dir.path().join("parts");
    let parts = parts.to_str().unwrap();
    let base = ["--no-charts", "--horizon", "1h", "--replications", "2"];
    let loud = |extra: &[&str]| {
        let mut a = vec!["run", f];
        a.extend_from_slice(&base);
        a.extend_from_slice(extra);
        regionsim(dir.path(), &a)
    };
    // Without --quiet each of them speaks (so the quiet runs below are tested).
    let (code, err) = loud(&["--out", out]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("warning:"), "{err}");
    let (code, err) = loud(&["--out", out, "--seed", "5"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("wrote"), "{err}");
    let (code, err) = loud(&["--shard", "0/2", "--out", parts]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("shard 0/2"), "{err}");
    // The same with --quiet: silence; a note-worthy replacement (other content).
    let mut v2 = v.clone();
    v2["description"] = serde_json::json!("edited");
    scenario_file(dir.path(), "s.json", &v2);
    for extra in [
        &["--out", out][..],
        &["--shard", "1/2", "--out", parts][..],
        &["--shards", "2", "--out", parts][..],
    ] {
        let mut a = extra.to_vec();
        a.push("--quiet");
        let mut cmd = assert_cmd::Command::cargo_bin("regionsim").unwrap();
        cmd.current_dir(dir.path())
            .args(["run", f])
            .args(base)
            .args(&a);
        if extra.contains(&"--shards") {
            cmd.env("SLURM_ARRAY_TASK_ID", "1");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{:?}", o);
        assert!(
            o.stderr.is_empty() && o.stdout.is_empty(),
            "{extra:?} --quiet printed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Errors still show.
    let (code, err) = loud(&["--out", out, "--quiet", "--seed", "x"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("error"), "{err}");
}
