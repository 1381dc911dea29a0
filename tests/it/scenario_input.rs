//! What reaches the loader as bytes and what leaves it as text: special files
//! and endless pipes are cut at the size limit, a stray closer is a located
//! error rather than a hang, a byte-order mark is accepted, bytes that are not
//! UTF-8 are located; labels that reach charts and reports hold no control
//! character, paths and numbers in messages print as one readable line, and
//! durations may be compound. Each test is named after the defect it guards.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::robustness::{regionsim, scenario_file, tiny};
use crate::scenario_errors::reject;

/// `regionsim ARGS` on stdin from `feed` (which writes until the pipe
/// breaks), killed after 60 s; returns (status, stderr).
fn with_endless_stdin(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("regionsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let block = vec![b' '; 1 << 16];
        while stdin.write_all(&block).is_ok() {}
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("regionsim {args:?} still reads an endless pipe after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_stray_closing_brace_in_an_array_is_located_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    for (text, column) in [("[}", 2), (r#"{"name":"x","regions":[}"#, 24)] {
        let f = dir.path().join("stray.json");
        std::fs::write(&f, text).unwrap();
        let out = dir.path().join("out");
        for command in ["check", "run", "plan"] {
            let mut args = vec![command, f.to_str().unwrap()];
            if command != "check" {
                args.extend(["--out", out.to_str().unwrap()]);
            }
            let (code, err) = regionsim(dir.path(), &args);
            assert_eq!(code, Some(2), "{command} {text}: {err}");
            assert!(err.contains("expected a value"), "{command} {text}: {err}");
            assert!(
                err.contains(&format!("(line 1, column {column})")),
                "{command} {text}: {err}"
            );
            assert!(!out.exists());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_device_or_endless_pipe_is_refused_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = regionsim(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("goes on past the limit"), "{err}");
    assert!(err.contains("at most 67108864 bytes"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let (code, err) = with_endless_stdin(&["check", "/dev/stdin"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("at most 67108864"), "{err}");
}

#[cfg(unix)]
#[test]
fn merge_refuses_a_device_as_a_part_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    let (code, err) = regionsim(dir.path(), &["merge", "/dev/zero", "--out", out_arg]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regionsim partial result"), "{err}");
    assert!(!out.exists());
}

/// A scenario file written with `prefix` before the tiny scenario's text.
fn tiny_with_prefix(dir: &Path, prefix: &[u8]) -> PathBuf {
    let f = dir.join("prefixed.json");
    let mut bytes = prefix.to_vec();
    bytes.extend(serde_json::to_vec_pretty(&tiny()).unwrap());
    std::fs::write(&f, bytes).unwrap();
    f
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let f = tiny_with_prefix(dir.path(), b"\xEF\xBB\xBF");
    let (code, err) = regionsim(dir.path(), &["check", f.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let seed = [("run.seed".to_string(), json!(9))];
    let w = regionsim::scenario::load_with(&f, &seed).unwrap();
    assert_eq!(w.run().seed, 9);
    let src = regionsim::scenario::Source::read(&f).unwrap();
    assert!(regionsim::scenario::rewrite(&src, &[("run.seed".into(), 4.0)]).is_ok());
}

/// A scenario is read once: what a command validates, the digest it stamps
/// and the plan it writes back all come from those bytes, even when the file
/// changes (or goes) meanwhile. A second read once described bytes that were
/// not simulated, and a rewrite panicked on a changed file.
#[test]
fn a_scenario_read_once_is_not_read_again_when_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let f = tiny_with_prefix(dir.path(), b"");
    let original = std::fs::read(&f).unwrap();
    let src = regionsim::scenario::Source::read(&f).unwrap();
    std::fs::write(&f, b"{ not json").unwrap();
    let world = regionsim::scenario::load_source(&src, &[]).unwrap();
    assert_eq!(world.name(), "tiny");
    let text = regionsim::scenario::rewrite(&src, &[("run.seed".into(), 4.0)]).unwrap();
    assert!(text.contains("\"seed\": 4"), "{text}");
    let prov = regionsim::report::Provenance::of_source(&src);
    assert_eq!(
        prov.scenario_sha256.as_deref(),
        Some(regionsim::report::provenance::sha256_hex(&original).as_str())
    );
    std::fs::remove_file(&f).unwrap();
    assert!(regionsim::scenario::rewrite(&src, &[("run.seed".into(), 5.0)]).is_ok());
}

#[test]
fn invalid_utf8_is_located_at_its_first_bad_byte() {
    let mut text = serde_json::to_vec_pretty(&tiny()).unwrap();
    let at = text.windows(6).position(|w| w == b"\"tiny\"").unwrap() + 3;
    text[at] = 0xFF;
    let line = text[..at].iter().filter(|&&c| c == b'\n').count() + 1;
    let column = at - text[..at].iter().rposition(|&c| c == b'\n').unwrap();
    let err = regionsim::scenario::parse_bytes(Path::new("f.json"), &text).unwrap_err();
    let inv = err.invalid().unwrap();
    assert_eq!((inv.line, inv.column), (Some(line), Some(column)), "{err}");
    assert!(err.to_string().contains("0xFF is not UTF-8"), "{err}");
}

#[test]
fn control_characters_in_timeline_labels_are_refused() {
    let mut v = tiny();
    v["timeline"] = json!([{ "type": "rate", "at": "1h", "factor": 2, "duration": "10min",
        "label": "surge\u{1b}[31m" }]);
    let err = reject(&v.to_string());
    assert!(err.contains("`timeline[0].label`"), "{err}");
    assert!(err.contains("U+001B"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn json_paths_in_messages_hold_no_line_breaks_or_escape_sequences() {
    let mut v = tiny();
    v["policies"] = json!({ "a\nb\u{1b}[2J": { "type": "nearest" } });
    let err = reject(&v.to_string());
    assert!(err.contains(r"policies.a\nb\u{1b}[2J"), "{err}");
    assert!(!err.trim_end().chars().any(char::is_control), "{err}");
}

#[test]
fn the_largest_float_prints_with_one_exponent_in_messages() {
    let max = "1.7976931348623157e+308";
    let mut as_number = tiny();
    as_number["regions"][2]["lat"] = json!(f64::MAX);
    let as_number = as_number.to_string().replace("1.7976931348623157e308", max);
    let mut in_text = tiny();
    in_text["deployments"][0]["region"] = json!(max);
    for text in [as_number, in_text.to_string()] {
        let err = reject(&text);
        assert!(err.contains("1.798e308"), "{err}");
        assert!(!err.contains("e0e") && !err.contains("e+308"), "{err}");
    }
}

fn horizon(v: Value, duration: &str) -> Result<f64, String> {
    let mut v = v;
    v["run"]["horizon"] = json!(duration);
    regionsim::scenario::parse(Path::new("d.json"), &v.to_string())
        .map(|w| w.run().horizon_s)
        .map_err(|e| e.to_string())
}

#[test]
fn compound_durations_are_accepted() {
    for (text, secs) in [
        ("1h30min", 5400.0),
        ("2h 15min", 8100.0),
        ("1d2h", 93_600.0),
        ("1e5s", 1e5),
    ] {
        assert_eq!(horizon(tiny(), text), Ok(secs), "{text}");
    }
}

#[test]
fn a_malformed_duration_says_what_is_allowed() {
    for (text, why) in [
        ("1h30", "the number `30` has no unit"),
        ("1 fortnight", "unknown unit `fortnight`"),
        ("soon", "a number is missing"),
    ] {
        let err = horizon(tiny(), text).unwrap_err();
        assert!(err.contains("`run.horizon`"), "{err}");
        assert!(err.contains(why), "{err}");
        assert!(err.contains("\"1h30min\""), "{err}");
    }
}

#[test]
fn shipped_scenarios_still_load_through_the_bounded_reader() {
    let dir = tempfile::tempdir().unwrap();
    let f = scenario_file(dir.path(), "tiny.json", &tiny());
    assert!(regionsim::scenario::load(&f).is_ok());
    assert!(regionsim::scenario::read_bytes(&f).unwrap().len() > 100);
}
