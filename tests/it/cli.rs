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

/// The committed gallery (`docs/gallery/`: the flagship's charts and
/// summaries, shown by the README and docs/charts.md) is what the documented
/// command produces today, so they never show stale numbers. The committed
/// copies carry no build commit (a file cannot hold the hash of the commit
/// that contains it): they are what a build that does not know its commit
/// writes. `REGIONSIM_BLESS_GALLERY=1` rewrites them from the fresh run.
#[test]
fn flagship_gallery_is_current() {
    let dir = tempfile::tempdir().unwrap();
    run("scenarios/livekit-global.json", dir.path(), &[]);
    let gallery = crate::common::repo("docs/gallery");
    let commit = regionsim::report::provenance::commit();
    let without_commit = |name: &str, bytes: Vec<u8>| -> Vec<u8> {
        let Some(c) = commit else { return bytes };
        let text = String::from_utf8(bytes).unwrap();
        let text = if name.ends_with(".json") {
            text.replace(&format!("\"commit\": \"{c}\""), "\"commit\": null")
        } else {
            text.replace(&format!(" ({c})"), "")
        };
        text.into_bytes()
    };
    let mut names: Vec<String> = std::fs::read_dir(&gallery)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "concurrency.png",
            "flows.png",
            "join-latency.png",
            "media-rtt.png",
            "overflow.png",
            "summary.json",
            "summary.md",
            "world.png"
        ]
    );
    let bless = std::env::var_os("REGIONSIM_BLESS_GALLERY").is_some();
    let mut stale = Vec::new();
    for name in &names {
        let mut fresh = std::fs::read(dir.path().join(name)).unwrap();
        if name.starts_with("summary.") {
            fresh = without_commit(name, fresh);
        }
        if bless {
            std::fs::write(gallery.join(name), &fresh).unwrap();
        } else if std::fs::read(gallery.join(name)).unwrap() != fresh {
            stale.push(name.as_str());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/gallery/{{{}}} stale: regenerate with `REGIONSIM_BLESS_GALLERY=1 cargo test --release --test it flagship_gallery_is_current`",
        stale.join(",")
    );
}

/// The README's first command writes `reports/livekit-global/`: nothing under
/// `reports/` is committed and git ignores it, so a fresh clone stays clean
/// (`.ci/run` checks the same on the real command).
#[test]
fn reports_folder_is_ignored_so_the_first_command_leaves_a_clean_tree() {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(crate::common::repo(""))
            .output()
    };
    // Only in a git checkout (not in a packaged source tree).
    if !git(&["rev-parse", "--git-dir"]).is_ok_and(|o| o.status.success()) {
        return;
    }
    let tracked = git(&["ls-files", "reports"]).unwrap();
    assert!(
        tracked.stdout.is_empty(),
        "committed under reports/: {}",
        String::from_utf8_lossy(&tracked.stdout)
    );
    for f in [
        "reports/livekit-global/summary.json",
        "reports/x-plan/planned.json",
    ] {
        let ignored = git(&["check-ignore", "-q", "--no-index", f]).unwrap();
        assert!(ignored.status.success(), "{f} is not ignored by git");
    }
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

/// Whatever a flag's text holds, its error reaches the terminal as one
/// visible line: a terminal's escape sequence in `--target` is shown escaped.
#[test]
fn an_escape_sequence_in_a_flag_is_shown_escaped_in_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(["plan", "scenarios/tests/plan-spill.json", "--target"])
        .arg("rtt\u{1b}[31m<=2")
        .arg("--out")
        .arg(dir.path().join("p"))
        .current_dir(crate::common::repo("."))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let line = stderr.trim_end_matches('\n');
    assert!(!line.chars().any(char::is_control), "{stderr:?}");
    assert!(line.contains("rtt\\u{1b}[31m"), "{stderr:?}");
}

/// A reader that stops reading (`regionsim validate --list | head -3`) ends
/// the output quietly: `validate --list` panicked on the closed pipe, and
/// `run` on a closed standard error. The pipes are closed before the command
/// writes, so every write meets them.
#[test]
fn a_closed_pipe_ends_printed_output_quietly_without_a_panic() {
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("regionsim");
    let tiny = crate::common::repo("scenarios/tests/tiny.json");
    let tiny = tiny.to_str().unwrap();
    for args in [
        &["validate", "--list"][..],
        &["validate", "--case", "erlang-b-exponential"],
        &["check", tiny],
        &["schema"],
        &["completions", "bash"],
        &["man"],
    ] {
        let mut child = Command::new(&bin)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
    // Standard error closed too (`run x.json 2>&1 | head -1`): a run goes on
    // without its messages and writes its reports.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = Command::new(&bin)
        .args(["run", tiny, "--no-charts", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop((child.stdout.take(), child.stderr.take()));
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(out.join("summary.json").is_file());
}
