//! `regionsim fit`: a log drawn from known rates and a known duration law
//! gives them back within the reported intervals; every kind of bad input gets
//! one located line, exit 2 and nothing written.

use std::path::Path;

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal, Poisson};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;

/// Monday 2024-01-01T00:00:00Z.
const MONDAY: f64 = 1_704_067_200.0;

/// Sessions per UTC hour of a place: a day shape, halved at weekends if asked.
fn rate(h: usize, peak: f64, weekend_half: bool) -> f64 {
    let hod = (h % 24) as f64;
    let r = peak * (0.25 + 0.75 * (-((hod - 13.0) / 4.0).powi(2)).exp());
    if weekend_half && h / 24 >= 5 {
        r / 2.0
    } else {
        r
    }
}

/// A week of sessions from DE (daily) and JP (weekends halved), lognormal
/// durations of median 150 s and sigma 0.7; rows are written in time order per
/// hour, RFC 3339 for DE and Unix seconds for JP.
fn write_log(path: &Path) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let law = LogNormal::new(150f64.ln(), 0.7).unwrap();
    let mut text = String::from("start,duration_s,country,region\n");
    for h in 0..168 {
        for (cc, peak, weekend) in [("DE", 90.0, false), ("JP", 60.0, true)] {
            let n = Poisson::new(rate(h, peak, weekend))
                .unwrap()
                .sample(&mut rng) as u64;
            for _ in 0..n {
                let t = MONDAY + (h as f64 + rng.random::<f64>()) * 3600.0;
                let d: f64 = law.sample(&mut rng);
                let start = if cc == "DE" {
                    regionsim::data::time::format_rfc3339(t)
                } else {
                    format!("{t:.3}")
                };
                text.push_str(&format!("{start},{d:.3},{cc},eu-central\n"));
            }
        }
    }
    std::fs::write(path, text).unwrap();
}

fn fit(log: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("regionsim")
        .unwrap()
        .args([
            "fit",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .args(extra)
        .assert()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn fit_gives_back_known_rates_profiles_and_duration_law() {
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("week.csv"), dir.path().join("fit"));
    write_log(&log);
    // 24 + 168 hourly checks and 2 law parameters, at 99 % jointly.
    let level = 1.0 - 0.01 / 194.0;
    fit(
        &log,
        &out,
        &["--no-charts", "--confidence", &level.to_string()],
    )
    .success();
    let f = json(&out.join("fit.json"));
    let pops = f["populations"].as_array().unwrap();
    assert_eq!(pops.len(), 2, "{pops:?}");
    for p in pops {
        let (weekend, peak) = match p["name"].as_str().unwrap() {
            "germany" => (false, 90.0),
            "japan" => (true, 60.0),
            other => panic!("unexpected population {other}"),
        };
        let expected = if weekend { "weekly" } else { "daily" };
        assert_eq!(
            p["profile"], expected,
            "{}: {}",
            p["name"], p["weekly_test"]
        );
        for r in p["rates_utc"].as_array().unwrap() {
            let h = r["utc_hour"].as_u64().unwrap() as usize;
            let truth = rate(h, peak, weekend);
            let (lo, hi) = (r["low"].as_f64().unwrap(), r["high"].as_f64().unwrap());
            assert!(
                lo <= truth && truth <= hi,
                "{} hour {h}: {truth} not in [{lo}, {hi}]",
                p["name"]
            );
        }
    }
    let laws = &f["durations"]["laws"];
    assert_eq!(f["durations"]["chosen"], "lognormal", "{laws}");
    let best = &laws[0];
    for (name, truth) in [("mu", 150f64.ln()), ("sigma", 0.7)] {
        let (v, hw) = (
            best["parameters"][name].as_f64().unwrap(),
            best["half_widths"][name].as_f64().unwrap(),
        );
        assert!((v - truth).abs() <= hw, "{name}: {v} ± {hw} misses {truth}");
    }
    // The fragment is a valid scenario's populations, weekly profile included.
    let frag = json(&out.join("populations.json"));
    let japan = frag["populations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "japan")
        .unwrap();
    assert_eq!(japan["rate"]["profile"].as_array().unwrap().len(), 168);
    assert_eq!(japan["utc_offset_h"], 9);
    let mut scenario: Value = serde_json::from_str(
        r#"{"name": "fitted", "regions": ["us-east", "eu-central", "ap-south"],
            "deployments": [{"agent": "a", "region": "eu-central", "capacity": 100}],
            "populations": [], "policy": {"type": "nearest"}}"#,
    )
    .unwrap();
    scenario["populations"] = frag["populations"].clone();
    let text = serde_json::to_string(&scenario).unwrap();
    regionsim::scenario::parse(Path::new("fitted.json"), &text).unwrap_or_else(|e| panic!("{e}"));
}

/// Fit `text` as a log; return stderr after checking exit 2 and nothing written.
fn refuse(text: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("log.csv"), dir.path().join("out"));
    std::fs::write(&log, text).unwrap();
    let a = fit(&log, &out, extra).code(2);
    assert!(!out.exists(), "nothing may be written for a bad log");
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("log.csv"), "names the file: {stderr}");
    stderr
}

fn with_row(row: &str) -> String {
    let mut s = String::from("start,duration_s,country\n");
    for i in 0..20 {
        s.push_str(&format!("2024-01-01T10:{i:02}:00Z,60,FR\n"));
        if i == 1 {
            s.push_str(row);
            s.push('\n');
        }
    }
    s
}

#[test]
fn every_kind_of_bad_log_gets_one_located_line_and_exit_2() {
    let cases = [
        (
            "2024-13-01T00:00:00Z,60,FR",
            "log.csv:4: unreadable start time",
        ),
        (
            "1704067200000,60,FR",
            "log.csv:4: start time 1704067200000 is outside",
        ),
        (
            "2024-01-01T10:00:00Z,-5,FR",
            "log.csv:4: negative or infinite duration -5",
        ),
        (
            "2024-01-01T10:00:00Z,1e308,FR",
            "log.csv:4: duration 1e308 s is longer than 3.2e9 s",
        ),
        (
            "2024-01-01T10:00:00Z,long,FR",
            "log.csv:4: unreadable duration `long`",
        ),
        (
            "2024-01-01T10:00:00Z,60,XX",
            "log.csv:4: unknown country `XX`",
        ),
        ("2024-01-01T10:00:00Z,60,", "log.csv:4: no location"),
        (
            "2024-01-01T10:00:00Z,60",
            "log.csv:4: 2 fields where the header has 3",
        ),
    ];
    for (row, expected) in cases {
        let e = refuse(&with_row(row), &[]);
        assert!(e.contains(expected), "{row}: {e}");
        assert!(
            e.contains("1 of 21 rows are bad") && e.contains("--max-bad-share"),
            "{e}"
        );
    }
    let header = refuse("start,country\n2024-01-01T10:00:00Z,FR\n", &[]);
    assert!(header.contains("log.csv:1: no duration column"), "{header}");
    let location = refuse("start,duration_s\n2024-01-01T10:00:00Z,3\n", &[]);
    assert!(
        location.contains("log.csv:1: no location column"),
        "{location}"
    );
    let empty = refuse("start,duration_s,country\n", &[]);
    assert!(empty.contains("header but no rows"), "{empty}");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(&log, with_row("x,60,FR")).unwrap();
    let a = fit(&log, &dir.path().join("out"), &["--max-bad-share", "2"]).code(2);
    let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        e.contains("--max-bad-share must be a share from 0 to 1"),
        "{e}"
    );
    let missing = fit(&dir.path().join("nope.csv"), &dir.path().join("out"), &[]).code(2);
    let e = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(
        e.contains("nope.csv: cannot read") && e.trim().lines().count() == 1,
        "{e}"
    );
}

#[test]
fn crlf_and_cr_logs_name_the_line_an_editor_shows() {
    for end in ["\r\n", "\r"] {
        let text = with_row("2024-01-01T10:00:00Z,60,XX").replace('\n', end);
        let e = refuse(&text, &[]);
        assert!(
            e.contains("log.csv:4: unknown country `XX`"),
            "{end:?}: {e}"
        );
    }
}

#[test]
fn control_characters_of_a_bad_field_are_escaped_in_its_reason() {
    let e = refuse(&with_row("2024-01-01T10:00:00Z,60,\u{1b}[31mX"), &[]);
    assert!(e.contains("unknown country `\\u{1b}[31mX`"), "{e}");
}

#[test]
fn bad_rows_under_the_allowed_share_are_listed_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("log.csv"), dir.path().join("out"));
    std::fs::write(&log, with_row("2024-01-01T10:00:00Z,60,XX")).unwrap();
    let args = ["--max-bad-share", "0.1", "--no-charts"];
    let a = Command::cargo_bin("regionsim")
        .unwrap()
        .arg("fit")
        .arg(&log)
        .args(args)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr.contains("warning: ") && stderr.contains("log.csv:4: unknown country `XX`"),
        "{stderr}"
    );
    // With --quiet, nothing but errors: the row is in fit.md and fit.json.
    fit(&log, &dir.path().join("quiet"), &args)
        .success()
        .stderr("");
    let f = json(&out.join("fit.json"));
    assert_eq!(f["rows"]["bad"], 1);
    assert_eq!(f["bad_rows"]["listed"][0]["line"], 4);
    let md = std::fs::read_to_string(out.join("fit.md")).unwrap();
    assert!(md.contains("line 4: unknown country `XX`"), "{md}");
}

#[test]
fn fit_charts_render_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("log.csv"), dir.path().join("out"));
    std::fs::write(&log, with_row("2024-01-01T10:00:00Z,90,DE")).unwrap();
    fit(&log, &out, &[]).success();
    for stem in ["durations-qq", "hourly-france", "hourly-germany"] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
        assert!(
            std::fs::metadata(out.join(format!("{stem}.png")))
                .unwrap()
                .len()
                > 1000
        );
    }
}

#[test]
fn the_shipped_example_fit_is_current() {
    // scenarios/data/app-week-fitted.json and docs/fit-example/populations.json
    // are what `fit` gives for the shipped log and template (regenerate with the
    // command in README.md, "From your own data to a plan").
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    Command::cargo_bin("regionsim")
        .unwrap()
        .current_dir(crate::common::repo(""))
        .args([
            "fit",
            "scenarios/data/app-week.csv",
            "--template",
            "scenarios/data/app-base.json",
        ])
        .args(["--out", out.to_str().unwrap(), "--no-charts", "--quiet"])
        .assert()
        .success()
        // Quiet as every command is: its 5 bad rows are in fit.md, not on stderr.
        .stderr("");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let shipped = crate::common::repo("scenarios/data/app-week-fitted.json");
    assert_eq!(
        read(&out.join("scenario.json")),
        read(&shipped),
        "regenerate the shipped example"
    );
    let fragment = crate::common::repo("docs/fit-example/populations.json");
    assert_eq!(read(&out.join("populations.json")), read(&fragment));
    let fit = json(&out.join("fit.json"));
    assert_eq!(fit["rows"]["bad"], 5);
    // The replay of the same log loads, its bad rows left out and noted.
    let replay = crate::common::world("scenarios/data/app-week-replay.json");
    let trace = replay.populations()[0].trace.as_ref().unwrap();
    assert_eq!(trace.left_out.0, 5);
    assert_eq!(
        trace.rows.len() as u64,
        fit["rows"]["good"].as_u64().unwrap()
    );
}
