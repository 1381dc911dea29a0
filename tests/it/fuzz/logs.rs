//! Property-based fuzzing of the CSV inputs: the session log `fit` reads and
//! the trace a scenario replays (the same reader, with a scenario around it).
//!
//! Seeds are a slice of the shipped log (`scenarios/data/app-week.csv`: every
//! column, both time forms, countries and coordinates) and a minimal log;
//! each input is a seed with one to four mutations: a field replaced by an
//! odd value (extreme or special numbers, dates out of range, quotes, control
//! characters, a long run of digits), a header name replaced or repeated, a
//! column dropped or two swapped, a row repeated, line ends turned into CRLF,
//! or a blind edit of the bytes (`mutate.rs`). A log must be refused in one
//! short located line naming the file, or read with every row counted (good
//! or bad, each bad one listed with its line and a short reason), fitted
//! into finite figures and written as a report. A trace must be refused with
//! the scenario's located one-line error, or replay with the invariants of
//! `fuzz.rs`. No panic, no hang.

use std::path::Path;

use proptest::prelude::*;

use super::mutate::{edit_op, mutate, Op};
use super::{check_refusal, keep, Tally};

/// Rows of the shipped log kept as a seed (with its header).
const SEED_ROWS: usize = 60;

/// Odd values for a field.
const ODD_FIELDS: [&str; 24] = [
    "",
    "-0",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "1e309",
    "-1e-320",
    "4.9e-324",
    "18446744073709551616",
    "99999999999999999999999999999999999999",
    "1704067200000",
    "-62135596800",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "2024-02-30T10:00:00Z",
    "2024-03-04T09:30:00+25:00",
    "\"quoted, with a comma\"",
    "\"unterminated",
    "a\"b",
    "red\u{1b}[31m",
    "nul\u{0}",
    "ZZ",
    " 60 ",
];

/// Header names: the known ones of every column, repeated or odd.
const HEADER_NAMES: [&str; 12] = [
    "start",
    "duration_s",
    "country",
    "lat",
    "lon",
    "region",
    "join_ms",
    "rtt_ms",
    "",
    "START",
    "duration\u{7}",
    "\"start\"",
];

/// One change to a CSV, its targets chosen by index modulo what exists.
#[derive(Debug, Clone)]
enum CsvOp {
    /// Field `c` of data row `r` replaced by odd value `k`.
    Field(usize, usize, usize),
    /// Header column `c` renamed to name `k`.
    Header(usize, usize),
    /// Column `c` dropped from every line.
    DropColumn(usize),
    /// Columns `a` and `b` swapped in the header only.
    SwapHeader(usize, usize),
    /// Data row `r` repeated right after itself.
    RepeatRow(usize),
    /// Every line ended by CRLF.
    CrLf,
    /// A blind edit of the bytes.
    Bytes(Op),
}

fn csv_op() -> impl Strategy<Value = CsvOp> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(r, c, k)| CsvOp::Field(r, c, k)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(c, k)| CsvOp::Header(c, k)),
        1 => any::<usize>().prop_map(CsvOp::DropColumn),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| CsvOp::SwapHeader(a, b)),
        1 => any::<usize>().prop_map(CsvOp::RepeatRow),
        1 => Just(CsvOp::CrLf),
        2 => edit_op().prop_map(CsvOp::Bytes),
    ]
}

/// The seeds: the shipped log's first rows, and a minimal log.
fn seeds() -> Vec<Vec<u8>> {
    let week = std::fs::read_to_string(crate::common::repo("scenarios/data/app-week.csv")).unwrap();
    let slice: String = week
        .lines()
        .take(SEED_ROWS + 1)
        .flat_map(|l| [l, "\n"])
        .collect();
    let minimal = "start,duration_s,country\n2024-01-01T10:00:00Z,60,FR\n1704103200,30.5,us\n";
    vec![slice.into_bytes(), minimal.as_bytes().to_vec()]
}

/// `seed` changed by `ops` in order: the text ones on its lines and fields
/// (a comma-split, as a person editing the file would see it), the byte ones
/// on its bytes.
fn apply(seed: &[u8], ops: &[CsvOp]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for op in ops {
        bytes = match op {
            CsvOp::Bytes(op) => mutate(&bytes, std::slice::from_ref(op)),
            op => edit_lines(&bytes, op),
        };
    }
    bytes
}

fn edit_lines(bytes: &[u8], op: &CsvOp) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<Vec<String>> = text
        .split('\n')
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    match *op {
        CsvOp::Field(r, c, k) if lines.len() > 1 => {
            let at = 1 + r % (lines.len() - 1);
            let line = &mut lines[at];
            let c = c % line.len();
            line[c] = ODD_FIELDS[k % ODD_FIELDS.len()].to_string();
        }
        CsvOp::Header(c, k) => {
            let head = &mut lines[0];
            let c = c % head.len();
            head[c] = HEADER_NAMES[k % HEADER_NAMES.len()].to_string();
        }
        CsvOp::DropColumn(c) => {
            let c = c % lines[0].len();
            for line in &mut lines {
                if c < line.len() {
                    line.remove(c);
                }
            }
        }
        CsvOp::SwapHeader(a, b) => {
            let n = lines[0].len();
            lines[0].swap(a % n, b % n);
        }
        CsvOp::RepeatRow(r) if lines.len() > 1 => {
            let at = 1 + r % (lines.len() - 1);
            let row = lines[at].clone();
            lines.insert(at, row);
        }
        CsvOp::CrLf => {
            for line in &mut lines {
                if let Some(last) = line.last_mut() {
                    last.push('\r');
                }
            }
        }
        _ => {}
    }
    let joined: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
    joined.join("\n").into_bytes()
}

/// One short line of visible text naming `file`.
fn check_line(msg: &str, file: &str) {
    assert!(msg.contains(file), "does not name {file}: {msg}");
    super::assert_visible_line(msg, 600);
}

/// The lines of `bytes` as an editor counts them: `\n`, `\r\n` and a lone
/// `\r` each end one.
fn lines(bytes: &[u8]) -> u64 {
    let ends = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || bytes[i - 1] != b'\r')))
        .count();
    ends as u64 + 1
}

/// Read `bytes` as a log; check the refusal's form, or the count of every
/// row, the fit's figures and the report.
fn drive_log(dir: &Path, bytes: &[u8], tally: &mut Tally) {
    tally.inputs += 1;
    let log = dir.join("log.csv");
    std::fs::write(&log, bytes).unwrap();
    let pass = match regionsim::fit::read_log(&log) {
        Err(e) => {
            tally.refused += 1;
            return check_line(&e.to_string(), "log.csv");
        }
        Ok(pass) => pass,
    };
    let acc = &pass.acc;
    assert_eq!(acc.rows(), acc.good + acc.bad.count, "every row counted");
    let lines = lines(bytes);
    for (line, why) in &acc.bad.listed {
        assert!((2..=lines + 1).contains(line), "line {line} of {lines}");
        assert!(
            !why.chars().any(char::is_control) && why.len() < 400,
            "{why:?}"
        );
    }
    if acc.good == 0 {
        tally.refused += 1;
        return;
    }
    let fit = regionsim::fit::fit(&pass, regionsim::fit::Options::default());
    let sessions: u64 = fit.populations.iter().map(|p| p.sessions).sum();
    assert_eq!(sessions, acc.good, "every good row in one population");
    for p in &fit.populations {
        assert!(
            p.peak_per_hour.is_finite() && p.peak_per_hour >= 0.0,
            "{p:?}"
        );
        assert!(
            p.local_profile.iter().all(|x| x.is_finite() && *x >= 0.0),
            "{p:?}"
        );
        assert!(!p.name.chars().any(char::is_control), "{:?}", p.name);
    }
    for law in &fit.laws {
        assert!(law.params.iter().all(|x| x.is_finite()), "{law:?}");
    }
    assert!(fit.mean_duration_s.is_finite() && fit.mean_duration_s >= 0.0);
    tally.simulated += 1;
    let src = regionsim::report::FitSource {
        file: log.display().to_string(),
        sha256: pass.sha256.clone(),
        ignored: pass.ignored.clone(),
        max_bad_share: 1.0,
    };
    let out = dir.join(format!("fit-{}", tally.inputs));
    let opts = regionsim::report::Options {
        // The charts of one fit in eight: they cost most of a case.
        charts: tally.simulated % 8 == 1,
        provenance: Default::default(),
        mark: None,
    };
    let written = regionsim::report::write_fit(&out, &src, &fit, None, &opts).expect("written");
    for f in &written {
        assert!(
            std::fs::metadata(f).unwrap().len() > 0,
            "{} is empty",
            f.display()
        );
    }
    let json = std::fs::read_to_string(out.join("fit.json")).unwrap();

    serde_json::from_str::<serde_json::Value>(&json).expect("fit.json is JSON");
    std::fs::remove_dir_all(&out).unwrap();
}

/// The scenario that replays `t.csv` (its times are the shipped log's week).
const REPLAY: &str = r#"{
  "name": "fuzzed-replay",
  "regions": ["us-east", "eu-central", "ap-south"],
  "deployments": [
    { "agent": "a", "region": "us-east", "capacity": 3 },
    { "agent": "a", "region": "eu-central", "capacity": 3 }
  ],
  "populations": [
    { "name": "logged", "arrivals": { "trace": "t.csv" } }
  ],
  "policy": { "type": "nearest" },
  "run": { "horizon": "7d", "seed": 1, "replications": 1, "bin": "1h" }
}"#;

/// Load the replay of `bytes`; check the refusal's form, or simulate it.
fn drive_trace(dir: &Path, bytes: &[u8], tally: &mut Tally) {
    tally.inputs += 1;
    std::fs::write(dir.join("t.csv"), bytes).unwrap();
    let scenario = dir.join("replay.json");
    std::fs::write(&scenario, REPLAY).unwrap();
    match regionsim::scenario::load(&scenario) {
        Err(e) => {
            tally.refused += 1;
            check_line(&e.to_string(), "replay.json");
            if e.invalid().is_some() {
                check_refusal(&e);
            }
        }
        Ok(world) => super::run_checked(world, tally),
    }
}

/// Run `drive` on mutated seeds, keeping the input in flight and the smallest
/// failing one when a campaign asks; returns the tally.
fn campaign(kind: &str, cases: u32, drive: fn(&Path, &[u8], &mut Tally)) -> Tally {
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let tally = std::cell::RefCell::new(Tally::default());
    let input = (0..seeds.len(), prop::collection::vec(csv_op(), 1..5));
    let result = super::side_runner(cases).run(&input, |(seed, ops)| {
        let bytes = apply(&seeds[seed], &ops);
        keep(kind, "in-flight", &bytes);
        drive(dir.path(), &bytes, &mut tally.borrow_mut());
        Ok(())
    });
    if let Err(e) = &result {
        if let proptest::test_runner::TestError::Fail(_, (seed, ops)) = e {
            keep(kind, "failure", &apply(&seeds[*seed], ops));
        }
        panic!("{e}");
    }
    let t = *tally.borrow();
    eprintln!("{}", t.line(kind));
    t
}

#[test]
fn mutated_session_logs_are_refused_in_one_line_or_counted_fitted_and_written() {
    let t = campaign("logs", 200, drive_log);
    assert!(t.refused > 0 && t.simulated > 0, "{t:?}");
}

#[test]
fn mutated_traces_are_refused_in_one_located_line_or_replay_keeping_the_invariants() {
    let t = campaign("traces", 100, drive_trace);
    assert!(t.refused > 0 && t.simulated > 0, "{t:?}");
}
