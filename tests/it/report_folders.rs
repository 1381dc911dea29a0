//! Report folders are always one coherent set: a rerun leaves no stale file,
//! a killed run's leftovers go, a folder that is not a report folder is never
//! replaced, and an output folder that cannot be written fails before any
//! simulating. Each test is named after the defect it guards against.

use std::path::Path;

use serde_json::{json, Value};

use crate::common::{repo, run_cli};
use crate::robustness::{regionsim, scenario_file, tiny};

/// `run` of ten billion sessions into `out`: were it simulated before the
/// output folder is checked, the test's timeout would kill it.
fn run_huge_study_into(cwd: &Path, out: &str) -> (Option<i32>, String) {
    let scenario = repo("scenarios/reference-3x100.json");
    let args = [
        "run",
        scenario.to_str().unwrap(),
        "--replications",
        "1000",
        "--force",
        "--out",
        out,
    ];
    regionsim(cwd, &args)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn rerun_without_charts_leaves_no_stale_files_of_the_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    run_cli("scenarios/tests/tiny.json", &out, &["--horizon", "2h"]);
    assert!(out.join("report.html").exists());
    run_cli(
        "scenarios/tests/tiny.json",
        &out,
        &["--horizon", "2h", "--no-charts", "--seed", "2"],
    );
    assert_eq!(
        names(&out),
        [
            ".provenance.json",
            "replications.csv",
            "summary.json",
            "summary.md",
            "timeseries.csv"
        ]
    );
    let v: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["seed"], json!(2));
    // Nothing is left beside the folder either.
    assert_eq!(names(dir.path()), ["r"]);
}

#[test]
fn leftovers_of_killed_runs_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    // A dead process's temporary set, a superseded set, and a file of the old
    // per-file mechanism inside the folder.
    std::fs::create_dir_all(dir.path().join(".r.tmp-999999999-0")).unwrap();
    std::fs::create_dir_all(dir.path().join(".r.old-999999999-3")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".summary.json.tmp-999999999"), "half").unwrap();
    run_cli("scenarios/tests/tiny.json", &out, &["--horizon", "2h"]);
    assert_eq!(names(dir.path()), ["r"]);
    assert!(!names(&out).iter().any(|n| n.contains(".tmp-")));
}

#[cfg(unix)]
#[test]
fn temporary_names_never_follow_a_planted_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep"), "precious").unwrap();
    let pid = std::process::id();
    for n in 0..64 {
        let link = dir.path().join(format!(".f.tmp-{pid}-{n}"));
        std::os::unix::fs::symlink(victim.join("keep"), &link).unwrap();
    }
    let target = dir.path().join("f");
    regionsim::report::write_atomic(&target, b"new").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"new");
    assert_eq!(std::fs::read(victim.join("keep")).unwrap(), b"precious");
}

#[test]
fn output_folder_under_a_regular_file_fails_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "x").unwrap();
    let (code, err) = run_huge_study_into(dir.path(), "file/sub/out");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
}

#[test]
fn output_folder_name_too_long_fails_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(230);
    let (code, err) = regionsim(
        dir.path(),
        &[
            "run",
            repo("scenarios/tests/tiny.json").to_str().unwrap(),
            "--out",
            &long,
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("at most 200"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.len() < 300, "{err}");
}

#[test]
fn a_folder_that_is_not_a_report_folder_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "thesis").unwrap();
    let (code, err) = regionsim(
        dir.path(),
        &[
            "run",
            repo("scenarios/tests/tiny.json").to_str().unwrap(),
            "--out",
            "mine",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a report folder"), "{err}");
    assert_eq!(std::fs::read(out.join("notes.txt")).unwrap(), b"thesis");
}

#[test]
fn default_folder_distinguishes_the_policy_label() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo("scenarios/tests/policies.json");
    let name: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let name = name["name"].as_str().unwrap();
    for extra in [&[][..], &["--policy", "no_spill"][..]] {
        let mut args = vec!["run", file.to_str().unwrap(), "--quiet", "--no-charts"];
        args.extend_from_slice(&["--horizon", "2h", "--replications", "1"]);
        args.extend_from_slice(extra);
        let (code, err) = regionsim(dir.path(), &args);
        assert_eq!(code, Some(0), "{err}");
    }
    let reports = dir.path().join("reports");
    assert_eq!(
        names(&reports),
        [name.to_string(), format!("{name}-no_spill")]
    );
}

/// A copy of a scenario that keeps its name (say, a plan's `planned.json`)
/// would write into the original's default folder: refused in one line naming
/// the folder and the file that wrote it, nothing replaced, unless `--force`.
#[test]
fn a_folder_written_from_another_scenario_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario_file(dir.path(), "a.json", &tiny());
    let mut other = tiny();
    other["description"] = json!("another study");
    let b = scenario_file(dir.path(), "b.json", &other);
    let run = |f: &Path, extra: &[&str]| {
        let mut args = vec!["run", f.to_str().unwrap(), "--no-charts"];
        args.extend_from_slice(&["--horizon", "1h"]);
        args.extend_from_slice(extra);
        regionsim(dir.path(), &args)
    };
    let (code, first) = run(&a, &[]);
    assert_eq!(code, Some(0), "{first}");
    assert!(!first.contains("replaced"), "{first}");
    let name = tiny()["name"].as_str().unwrap().to_string();
    let folder = dir.path().join("reports").join(&name);
    let before = std::fs::read(folder.join("summary.json")).unwrap();

    let (code, err) = run(&b, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for part in [name.as_str(), "a.json", "--out", "--force"] {
        assert!(err.contains(part), "`{part}` missing: {err}");
    }
    assert_eq!(std::fs::read(folder.join("summary.json")).unwrap(), before);

    // The same file under another spelling is the same scenario, and so is a
    // byte-identical copy: replaced.
    let dotted = format!("./{}", a.file_name().unwrap().to_str().unwrap());
    let (code, err) = run(Path::new(&dotted), &["--seed", "9"]);
    assert_eq!(code, Some(0), "{err}");
    std::fs::copy(&a, dir.path().join("copy.json")).unwrap();
    let (code, err) = run(&dir.path().join("copy.json"), &[]);
    assert_eq!(code, Some(0), "{err}");

    let (code, err) = run(&b, &["--force"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("will be replaced"), "{err}");
    let v: Value =
        serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["description"], "another study");
}

/// `merge`, which has no `--force`, refuses such a folder too.
#[test]
fn merge_into_a_folder_written_from_another_scenario_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario_file(dir.path(), "a.json", &tiny());
    let mut other = tiny();
    other["description"] = json!("another study");
    let b = scenario_file(dir.path(), "b.json", &other);
    let out = dir.path().join("out");
    let parts = dir.path().join("parts");
    let common = ["--no-charts", "--horizon", "1h", "--replications", "2"];
    let mut args = vec!["run", a.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(&common);
    assert_eq!(regionsim(dir.path(), &args).0, Some(0));
    let mut args = vec!["run", b.to_str().unwrap(), "--shard", "0/1"];
    args.extend_from_slice(&["--out", parts.to_str().unwrap()]);
    args.extend_from_slice(&common);
    assert_eq!(regionsim(dir.path(), &args).0, Some(0));
    let (code, err) = regionsim(
        dir.path(),
        &[
            "merge",
            parts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a.json") && err.contains("--out"), "{err}");
    assert!(!err.contains("--force"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_output_folder_fails_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run_huge_study_into(dir.path(), "/proc/regionsim/out");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("cannot create it"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
