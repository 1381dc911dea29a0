//! Sharded runs: for run, compare and sweep split into N parts, `merge` writes
//! byte for byte what one machine writes; merge refuses parts that do not
//! belong together; the shard index comes from Slurm and Kubernetes variables;
//! the deployment manifests name what they must.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::repo;
use crate::merge_damage::resealed;

const TINY: &str = "scenarios/tests/tiny.json";
const POLICIES: &str = "scenarios/tests/policies.json";
const TIMELINE: &str = "scenarios/tests/timeline.json";
const SCHEDULER_VARS: [&str; 6] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "JOB_COMPLETION_INDEX",
    "SLURM_JOB_ID",
];

/// `regionsim ARGS`, with no scheduler variable inherited.
pub(crate) fn regionsim(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("regionsim").unwrap();
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    c.args(args);
    c
}

/// A small study of each command: (command and its arguments, suffix-free).
pub(crate) fn study(command: &str) -> Vec<String> {
    let s = |x: &str| x.to_string();
    let mut a = match command {
        "run" => vec![s("run"), repo(TINY).display().to_string()],
        // Outages, drains, moves and flash crowds: every timeline statistic.
        "timeline" => {
            let file = repo(TIMELINE).display().to_string();
            return ["run", &file, "--replications=5", "--quiet"]
                .map(s)
                .to_vec();
        }
        // Workers: autoscaling, scale to zero, stale load, warm pools.
        "workers" => {
            let file = repo("scenarios/tests/workers-scale-to-zero.json")
                .display()
                .to_string();
            return ["run", &file, "--replications=5", "--quiet"]
                .map(s)
                .to_vec();
        }
        "compare" => vec![
            s("compare"),
            repo(POLICIES).display().to_string(),
            s("--policies=nearest,explicit,least_loaded"),
        ],
        _ => vec![
            s("sweep"),
            repo(TINY).display().to_string(),
            s("--set=deployments[0].capacity=4,6"),
            s("--set=deployments[1].capacity=3,5"),
        ],
    };
    // 7 replications, or 4 points x 2: every shard of 7 holds a unit or more.
    let reps = if command == "sweep" { 2 } else { 7 };
    a.extend([
        "--horizon=4h".into(),
        format!("--replications={reps}"),
        s("--quiet"),
    ]);
    a
}

/// Every file under `dir` (hidden ones included) with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn assert_same_files(single: &Path, merged: &Path) {
    let (a, b) = (files(single), files(merged));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "file lists differ"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs after the merge");
    }
}

/// Run `args` as `n` shards into `parts`.
fn shards(args: &[String], n: u32, parts: &Path) {
    for k in 0..n {
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        let spec = format!("--shard={k}/{n}");
        a.extend([spec.as_str(), "--out", parts.to_str().unwrap()]);
        regionsim(&a).assert().success();
    }
}

pub(crate) fn merge(parts: &[&Path], out: &Path) -> assert_cmd::assert::Assert {
    let mut a = vec!["merge", "--quiet", "--out", out.to_str().unwrap()];
    a.extend(parts.iter().map(|p| p.to_str().unwrap()));
    regionsim(&a).assert()
}

fn merged_equals_single_machine(command: &str, counts: &[u32]) {
    let tmp = tempfile::tempdir().unwrap();
    let args = study(command);
    let single = tmp.path().join("single");
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend(["--out", single.to_str().unwrap()]);
    regionsim(&a).assert().success();
    for &n in counts {
        let parts = tmp.path().join(format!("parts-{n}"));
        shards(&args, n, &parts);
        let merged = tmp.path().join(format!("merged-{n}"));
        merge(&[&parts], &merged).success();
        assert_same_files(&single, &merged);
    }
}

#[test]
fn sharded_run_merges_to_the_single_machine_files() {
    merged_equals_single_machine("run", &[1, 2, 3, 7]);
}

#[test]
fn sharded_run_with_a_timeline_merges_to_the_single_machine_files() {
    merged_equals_single_machine("timeline", &[3]);
}

#[test]
fn sharded_worker_run_merges_to_the_single_machine_files() {
    merged_equals_single_machine("workers", &[3]);
}

#[test]
fn sharded_compare_merges_to_the_single_machine_files() {
    merged_equals_single_machine("compare", &[1, 2, 3, 7]);
}

#[test]
fn sharded_sweep_merges_to_the_single_machine_files() {
    merged_equals_single_machine("sweep", &[1, 2, 3, 7]);
}

/// Three parts of the tiny run, in `dir/parts`.
pub(crate) fn three_parts(dir: &Path) -> Vec<PathBuf> {
    let parts = dir.join("parts");
    shards(&study("run"), 3, &parts);
    (0..3)
        .map(|k| parts.join(format!("run-{k}-of-3.part")))
        .collect()
}

/// Merge must fail with status 2, one line naming `file` and saying `problem`,
/// and write nothing.
pub(crate) fn refused(parts: &[&Path], file: &str, problem: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("merged");
    let result = merge(parts, &out).code(2);
    let err = String::from_utf8_lossy(&result.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(file) && err.contains(problem),
        "expected `{file}` and `{problem}` in: {err}"
    );
    assert!(!out.exists(), "merge wrote {}", out.display());
}

#[test]
fn merge_refuses_parts_that_do_not_belong_together() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    let (p0, p1, p2) = (p[0].as_path(), p[1].as_path(), p[2].as_path());
    refused(&[p0, p2], "shard 1/3", "missing");
    let copy = tmp.path().join("copy.part");
    std::fs::copy(p1, &copy).unwrap();
    refused(&[p0, p1, &copy, p2], "copy.part", "duplicate");
    refused(&[p0, p1, p1, p2], "run-1-of-3.part", "given twice");

    let other = tmp.path().join("other");
    let mut seed = study("run");
    seed.push("--seed=99".into());
    let mut a: Vec<&str> = seed.iter().map(String::as_str).collect();
    a.extend(["--shard=1/3", "--out", other.to_str().unwrap()]);
    regionsim(&a).assert().success();
    refused(
        &[p0, &other.join("run-1-of-3.part"), p2],
        "run-1-of-3.part",
        "seed 99",
    );

    let changed = tmp.path().join("changed.json");
    let text = std::fs::read_to_string(repo(TINY)).unwrap();
    std::fs::write(&changed, text.replace("\"capacity\": 6", "\"capacity\": 7")).unwrap();
    let mut a: Vec<String> = study("run");
    a[1] = changed.display().to_string();
    let mut a: Vec<&str> = a.iter().map(String::as_str).collect();
    let elsewhere = tmp.path().join("elsewhere");
    a.extend(["--shard=2/3", "--out", elsewhere.to_str().unwrap()]);
    regionsim(&a).assert().success();
    refused(
        &[p0, p1, &elsewhere.join("run-2-of-3.part")],
        "run-2-of-3.part",
        "another scenario",
    );
}

/// A copy of `part` in `dir` named `name`, its text changed by `edit`.
pub(crate) fn altered(part: &Path, dir: &Path, name: &str, edit: impl Fn(&mut Vec<u8>)) -> PathBuf {
    let mut bytes = std::fs::read(part).unwrap();
    edit(&mut bytes);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn merge_refuses_damaged_or_foreign_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    let d = tmp.path();
    let v = format!("\"tool_version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    let version = resealed(&p[1], d, "version.part", 0, |l| {
        l.replacen(&v, "\"tool_version\":\"0.0.1\"", 1)
    });
    refused(&[&p[0], &version, &p[2]], "version.part", "regionsim 0.0.1");
    let truncated = altered(&p[1], d, "truncated.part", |b| b.truncate(b.len() / 2));
    refused(&[&p[0], &truncated, &p[2]], "truncated.part", "truncated");
    let cut = altered(&p[1], d, "cut.part", |b| {
        let last = b[..b.len() - 1].iter().rposition(|&c| c == b'\n').unwrap();
        b.truncate(last + 1);
    });
    refused(&[&p[0], &cut, &p[2]], "cut.part", "truncated");
    // A digit changed inside a unit: still valid JSON, caught by the checksum.
    let corrupted = altered(&p[1], d, "corrupted.part", |b| {
        let second = b.iter().position(|&c| c == b'\n').unwrap() + 1;
        let at = second + b[second..].iter().position(|&c| c == b'7').unwrap();
        b[at] = b'8';
    });
    refused(&[&p[0], &corrupted, &p[2]], "corrupted.part", "corrupted");
    let junk = altered(&p[1], d, "junk.part", |b| *b = b"hello\n".to_vec());
    refused(
        &[&p[0], &junk, &p[2]],
        "junk.part",
        "not a regionsim partial result",
    );
}

/// Shard `env` of the tiny run into `parts`; returns stderr.
fn shard_from_env(parts: &Path, env: &[(&str, &str)], extra: &[&str]) -> String {
    let args = study("run");
    let mut a: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|&x| x != "--quiet")
        .collect();
    a.extend(["--out", parts.to_str().unwrap()]);
    a.extend(extra);
    let mut c = regionsim(&a);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.assert().success();
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[test]
fn the_shard_index_comes_from_slurm_or_kubernetes() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts");
    let err = shard_from_env(
        &parts,
        &[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
        &[],
    );
    assert!(
        err.contains("shard 0/3 from SLURM_ARRAY_TASK_ID=0"),
        "{err}"
    );
    let err = shard_from_env(
        &parts,
        &[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "3"),
        ],
        &[],
    );
    assert!(
        err.contains("shard 1/3 from SLURM_ARRAY_TASK_ID=2"),
        "{err}"
    );
    let err = shard_from_env(&parts, &[("JOB_COMPLETION_INDEX", "2")], &["--shards=3"]);
    assert!(
        err.contains("shard 2/3 from JOB_COMPLETION_INDEX=2"),
        "{err}"
    );
    let merged = tmp.path().join("merged");
    merge(&[&parts], &merged).success();
    let single = tmp.path().join("single");
    let args = study("run");
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend(["--out", single.to_str().unwrap()]);
    regionsim(&a).assert().success();
    assert_same_files(&single, &merged);
    // --shards without any index is refused before anything runs.
    let x = tmp.path().join("x");
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend(["--shards=3", "--out", x.to_str().unwrap()]);
    regionsim(&a).assert().code(2);
}

fn manifest(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo(rel)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn kubernetes_manifests_name_the_image_the_index_and_the_merge() {
    let shards = manifest("deploy/k8s/shards.json");
    assert_eq!(shards["kind"], "Job");
    let spec = &shards["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let n = spec["completions"].as_u64().unwrap();
    assert!(n >= 1);
    let c = &spec["template"]["spec"]["containers"][0];
    assert!(c["image"].as_str().is_some_and(|i| !i.is_empty()));
    let args: Vec<&str> = c["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(args.contains(&format!("--shards={n}").as_str()), "{args:?}");
    assert!(!args.iter().any(|a| a.starts_with("--shard=")), "{args:?}");
    let env = c["env"].as_array().unwrap();
    assert!(
        env.iter().any(|e| e["name"] == "JOB_COMPLETION_INDEX"),
        "{env:?}"
    );

    let merge = manifest("deploy/k8s/merge.json");
    assert_eq!(merge["kind"], "Job");
    let m = &merge["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(m["image"], c["image"]);
    assert_eq!(m["args"][0], "merge");
}
