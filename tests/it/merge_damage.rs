//! `merge` given damaged parts: one changed byte once panicked ("capacity
//! overflow", exit 101) and a layout count of 1e12 aborted on a 304 TB
//! allocation. Every part's checksum is now verified before its content is
//! trusted, and every size checked against the scenario's layout before
//! anything is allocated: a damaged part is refused with one line and exit 2,
//! and nothing is written. Fuzzed too: random single-byte edits of a valid part.
//! And the other way round: a valid part reads back exactly.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::shard::{altered, merge, refused, three_parts};
use regionsim::report::partial::{PartReader, UnitShape};

/// A copy of `part` whose line `at` (0: the header) is changed by `edit`,
/// with the closing line's SHA-256 recomputed, as another build or a
/// deliberate edit would write it: the checks past the checksum must catch it.
pub(crate) fn resealed(
    part: &Path,
    dir: &Path,
    name: &str,
    at: usize,
    edit: impl Fn(&str) -> String,
) -> PathBuf {
    let text = std::fs::read_to_string(part).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let edited = edit(&lines[at]);
    assert_ne!(edited, lines[at], "{name}: the edit changed nothing");
    lines[at] = edited;
    let end: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    let body: String = lines[..lines.len() - 1]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    let closing = serde_json::json!({ "end": { "units": end["end"]["units"], "sha256": regionsim::report::provenance::sha256_hex(body.as_bytes()) } });
    let path = dir.join(name);
    std::fs::write(&path, format!("{body}{closing}\n")).unwrap();
    path
}

#[test]
fn merge_checks_the_checksum_before_reading_any_unit() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    // The byte the fuzzing found: a bin width of 0 gave an infinite bin count.
    let zero_bins = altered(&p[1], tmp.path(), "bins.part", |b| {
        let t = String::from_utf8(b.clone()).unwrap();
        *b = t
            .replacen("\"bin_s\":\"1800\"", "\"bin_s\":\"0000\"", 1)
            .into_bytes();
    });
    refused(
        &[&p[0], &zero_bins, &p[2]],
        "bins.part",
        "does not match its SHA-256",
    );
    // One closing line altered: its own unit count.
    let count = altered(&p[1], tmp.path(), "count.part", |b| {
        let t = String::from_utf8(b.clone()).unwrap();
        *b = t
            .replacen("{\"end\":{\"units\":2", "{\"end\":{\"units\":3", 1)
            .into_bytes();
    });
    refused(&[&p[0], &count, &p[2]], "count.part", "altered");
}

#[test]
fn merge_checks_every_size_against_the_layout_before_allocating() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    let d = tmp.path();
    let layout = "do not match the layout of its scenario";
    for (name, from, to, problem) in [
        (
            "bins.part",
            "\"bin_s\":\"1800\"",
            "\"bin_s\":\"0000\"",
            layout,
        ),
        (
            "pops.part",
            "\"populations\":2,",
            "\"populations\":1000000000000,",
            layout,
        ),
        (
            "regions.part",
            "\"regions\":3,",
            "\"regions\":100000000000,",
            layout,
        ),
        (
            "served.part",
            "\"served_by\":[",
            "\"served_by\":[0,",
            layout,
        ),
        ("runs.part", "\"runs\":1}", "\"runs\":4000000000}", layout),
        (
            "sum.part",
            "\"rtt\":{\"counts\":[[",
            "\"rtt\":{\"counts\":[[0,[18446744073709551615]],[",
            "do not add up",
        ),
    ] {
        let part = resealed(&p[1], d, name, 1, |l| l.replacen(from, to, 1));
        refused(&[&p[0], &part, &p[2]], name, problem);
    }
    // A histogram run moved past the end of the histogram, its counts unchanged.
    let index = resealed(&p[1], d, "index.part", 1, |l| {
        let k = "\"rtt\":{\"counts\":[[";
        let i = l.find(k).unwrap() + k.len();
        let j = i + l[i..].find(',').unwrap();
        format!("{}18446744073709551615{}", &l[..i], &l[j..])
    });
    refused(&[&p[0], &index, &p[2]], "index.part", "outside the layout");
    let header =
        |name: &str, from: &str, to: &str| resealed(&p[1], d, name, 0, |l| l.replacen(from, to, 1));
    let backwards = header("backwards.part", "\"units\":[2,4]", "\"units\":[4,2]");
    refused(&[&p[0], &backwards, &p[2]], "backwards.part", "units 4..2");
    let per_unit = header(
        "per-unit.part",
        "\"stats_per_unit\":1",
        "\"stats_per_unit\":0",
    );
    refused(
        &[&p[0], &per_unit, &p[2]],
        "per-unit.part",
        "no statistics per unit",
    );
}

fn cases(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(var: &str, default: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(var, default),
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(cases("REGIONSIM_FUZZ_SEED", 14).into()),
        ..Config::default()
    })
}

/// Reading a part with one byte changed anywhere fails with a message naming
/// it; it never panics and never allocates from a damaged number.
#[test]
fn a_part_with_any_single_byte_changed_is_refused_when_read() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    let original = std::fs::read(&p[1]).unwrap();
    let set = [
        ("run.horizon".to_string(), serde_json::json!("4h")),
        ("run.replications".to_string(), serde_json::json!(7)),
    ];
    let tiny = crate::common::repo("scenarios/tests/tiny.json");
    let world = regionsim::scenario::load_with(&tiny, &set).unwrap();
    let shape = UnitShape::of(&world);
    let file = tmp.path().join("edited.part");
    let strategy = (0..original.len(), any::<u8>());
    runner("REGIONSIM_FUZZ_PART_CASES", 400)
        .run(&strategy, |(at, byte)| {
            prop_assume!(original[at] != byte);
            let mut b = original.clone();
            b[at] = byte;
            std::fs::write(&file, &b).unwrap();
            let read = PartReader::open(&file).and_then(|mut r| {
                while r.next_unit(|_| &shape)?.is_some() {}
                Ok(())
            });
            let e = read.expect_err("a changed byte was read as a valid part");
            prop_assert!(e.to_string().contains("edited.part"), "{e}");
            Ok(())
        })
        .unwrap();
}

/// `regionsim merge` on a part with one byte changed: exit 2, one line, nothing
/// written (exit 101 or an abort is what this guards against).
#[test]
fn merge_of_a_part_with_any_single_byte_changed_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let p = three_parts(tmp.path());
    let original = std::fs::read(&p[1]).unwrap();
    let edited = tmp.path().join("edited");
    std::fs::create_dir(&edited).unwrap();
    let file = edited.join("run-1-of-3.part");
    let out = tmp.path().join("merged");
    let strategy = (0..original.len(), any::<u8>());
    runner("REGIONSIM_FUZZ_MERGE_CASES", 48)
        .run(&strategy, |(at, byte)| {
            prop_assume!(original[at] != byte);
            let mut b = original.clone();
            b[at] = byte;
            std::fs::write(&file, &b).unwrap();
            let result = merge(&[&p[0], &file, &p[2]], &out);
            let output = result.get_output();
            let err = String::from_utf8_lossy(&output.stderr);
            prop_assert_eq!(
                output.status.code(),
                Some(2),
                "byte {} -> {}: {}",
                at,
                byte,
                err
            );
            prop_assert_eq!(err.lines().count(), 1, "{}", err);
            prop_assert!(!out.exists());
            Ok(())
        })
        .unwrap();
}

/// A part read back and written again is the same file: every statistic a
/// part carries comes back exactly (the conversions name every field, so
/// nothing is left out of the file itself).
#[test]
fn partial_results_round_trip_every_statistic_exactly() {
    use regionsim::experiment::shard::run_units;
    use regionsim::report::partial::{
        PartHeader, PartReader, PartWriter, UnitShape, FORMAT, FORMAT_VERSION,
    };
    let world = crate::common::world("scenarios/tests/timeline.json");
    let mut units = Vec::new();
    run_units(&world, world.policy(), 0..3, &(), |_, s| units.push(s)).unwrap();
    let header = PartHeader {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        tool_version: "test".into(),
        commit: None,
        command: "run".into(),
        scenario_file: "scenarios/tests/timeline.json".into(),
        scenario_sha256: "0".into(),
        seed: world.run().seed,
        options: Vec::new(),
        shard: [0, 1],
        units: [0, 3],
        total_units: 3,
        stats_per_unit: 1,
    };
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, units: &[Vec<regionsim::stats::RunStats>]| {
        let mut w = PartWriter::create(&tmp.path().join(name), &header).unwrap();
        for (u, s) in units.iter().enumerate() {
            w.unit(u as u64, s).unwrap();
        }
        std::fs::read(w.finish().unwrap()).unwrap()
    };
    let first = write("a.part", &units);
    let mut reader = PartReader::open(&tmp.path().join("a.part")).unwrap();
    let mut back = Vec::new();
    let shape = UnitShape::of(&world);
    while let Some((_, s)) = reader.next_unit(|_| &shape).unwrap() {
        back.push(s);
    }
    assert_eq!(back.len(), 3);
    assert!(
        write("b.part", &back) == first,
        "a part changed on the way back"
    );
}
