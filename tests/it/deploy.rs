//! The deployment recipes and build claims: `deploy/k8s/run.sh` stops at the
//! first of complete or failed (driven by a stub `kubectl` on PATH), and the
//! Rust version Cargo.toml declares is the one the Dockerfile, the README and
//! CI use.

use std::path::Path;
use std::time::Duration;

use crate::common::repo;

/// A `kubectl` that logs its arguments to `calls` and answers
/// `get job/NAME -o jsonpath=...` (the conditions in force) from the file
/// NAME, one line per call, the last line repeated; the line `ERROR` fails the
/// query. The Failed condition's reason and message are a fixed text.
const STUB: &str = r#"#!/usr/bin/env bash
dir=$(dirname "$0")
echo "$*" >>"$dir/calls"
case "$1" in
get)
    job=${2#job/}
    [ -f "$dir/$job" ] || { echo "Error from server (NotFound): jobs \"$job\" not found" >&2; exit 1; }
    if [[ "$*" == *reason* ]]; then
        printf '%s' "BackoffLimitExceeded: Job has reached the specified backoff limit"
        exit 0
    fi
    n=$(( $(cat "$dir/$job.n" 2>/dev/null || echo 0) + 1 ))
    echo "$n" >"$dir/$job.n"
    last=$(wc -l <"$dir/$job")
    line=$(sed -n "$(( n < last ? n : last ))p" "$dir/$job")
    [ "$line" = ERROR ] && { echo "Unable to connect to the server" >&2; exit 1; }
    printf '%s' "$line"
    ;;
logs) echo "merge log" ;;
esac
"#;

/// Run deploy/k8s/run.sh against the stub answering `shards` and `merge`
/// (None: the Job does not exist); returns (status, stdout, stderr, calls).
fn k8s_run(
    shards: &[&str],
    merge: Option<&[&str]>,
    env: &[(&str, &str)],
) -> (Option<i32>, String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let stub = dir.path().join("kubectl");
    std::fs::write(&stub, STUB).unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&stub)
        .status()
        .unwrap();
    let lines = |v: &[&str]| v.iter().map(|l| format!("{l}\n")).collect::<String>();
    std::fs::write(dir.path().join("regionsim-shards"), lines(shards)).unwrap();
    if let Some(m) = merge {
        std::fs::write(dir.path().join("regionsim-merge"), lines(m)).unwrap();
    }
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = assert_cmd::Command::new("bash")
        .arg(repo("deploy/k8s/run.sh"))
        .env("PATH", path)
        .env("POLL_SECONDS", "0")
        .envs(env.iter().copied())
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(dir.path().join("calls")).unwrap_or_default();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        calls,
    )
}

#[test]
fn k8s_run_stops_at_a_failed_job_saying_so_and_exits_non_zero() {
    // The shards fail: no merge, the reason shown, at once (not after 24 h).
    let (code, _, err, calls) = k8s_run(&["", "", "FailureTarget Failed "], None, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("job/regionsim-shards failed: BackoffLimitExceeded"),
        "{err}"
    );
    assert!(!calls.contains("apply -f merge.json"), "{calls}");
    // The merge fails: its log's tail is shown, exit 1.
    let (code, _, err, calls) = k8s_run(&["Complete "], Some(&["", "Failed "]), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("job/regionsim-shards complete"), "{err}");
    assert!(err.contains("job/regionsim-merge failed"), "{err}");
    assert!(err.contains("merge log"), "{err}");
    assert!(calls.contains("apply -f merge.json"), "{calls}");
}

#[test]
fn k8s_run_merges_once_the_shards_complete() {
    let (code, out, err, calls) = k8s_run(
        &[
            "",
            "ERROR",
            "SuccessCriteriaMet ",
            "SuccessCriteriaMet Complete ",
        ],
        Some(&["Complete "]),
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("job/regionsim-shards complete"), "{err}");
    assert!(out.contains("merge log"), "{out}");
    let order: Vec<&str> = calls.lines().filter(|l| l.starts_with("apply")).collect();
    assert_eq!(
        order,
        [
            "apply -f volume.json",
            "apply -f shards.json",
            "apply -f merge.json"
        ]
    );
}

#[test]
fn k8s_run_gives_up_on_a_job_past_its_time_limit_or_unreadable() {
    let (code, _, err, calls) = k8s_run(&[""], None, &[("SHARDS_TIMEOUT", "0")]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("neither complete nor failed after 0 s"),
        "{err}"
    );
    assert!(!calls.contains("merge.json"), "{calls}");
    // A query failing again and again (no such Job): kubectl's error, exit 1.
    let (code, _, err, _) = k8s_run(&["ERROR"], None, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot read job/regionsim-shards"), "{err}");
}

/// `rust-version` in Cargo.toml (checked in CI by building with exactly that
/// toolchain) is the toolchain the Dockerfile builds with and the README names.
#[test]
fn rust_version_is_the_one_the_dockerfile_readme_and_ci_use() {
    let read = |f: &str| std::fs::read_to_string(repo(f)).unwrap();
    let manifest = read("Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("Cargo.toml declares rust-version");
    let docker = read("deploy/k8s/Dockerfile");
    assert!(
        docker.contains(&format!("FROM rust:{version}-")),
        "deploy/k8s/Dockerfile does not build with Rust {version}"
    );
    assert!(
        read("README.md").contains(&format!("Rust {version} or newer")),
        "README.md does not name Rust {version}"
    );
    let ci = read(".ci/run");
    assert!(
        ci.contains("rust-version = ") && ci.contains(r#"cargo +"$msrv" check --locked"#),
        ".ci/run does not check the build with the rust-version toolchain"
    );
    assert!(Path::new(&repo("Cargo.lock")).exists());
}

/// The cluster recipes run shards without `--quiet`, which would silence the
/// shard line their logs must show.
#[test]
fn shard_recipes_leave_the_shard_line_in_the_logs() {
    for f in ["deploy/k8s/shards.json", "deploy/slurm/shards.sbatch"] {
        let text = std::fs::read_to_string(repo(f)).unwrap();
        assert!(!text.contains("--quiet"), "{f} passes --quiet");
    }
}
