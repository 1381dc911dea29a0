//! Property-based fuzzing of the command line's field overrides, the
//! `--set PATH=VALUES` of `sweep` (and of every flag that sets a field, which
//! goes through the same code): the values' text, then the path and value
//! applied to a shipped scenario.
//!
//! Paths are the scenario's own fields (every leaf, found by walking it),
//! sometimes changed: an index out of range, `[*]` for an index, a key that
//! does not exist, a key quoted in brackets, a control character, a path cut
//! short or left empty. Values are texts from pieces of numbers, ranges and
//! words (`0..1e300:1e-300`, `-`, `,`, `90s`, ...), or a third of the time the
//! value the file holds. The values' text must be
//! refused in one visible line or give at most 10 000 values per range; the
//! override must be refused in one visible line naming the file, or load
//! into a world that simulates with the invariants of `fuzz.rs`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use super::{keep, Tally};

/// Pieces a value's text is made of.
const PIECES: [&str; 24] = [
    "0",
    "1",
    "7",
    "25",
    "300",
    ".",
    "..",
    ":",
    ",",
    "-",
    "e",
    "e-300",
    "e300",
    "1e18",
    "0.1",
    "9",
    "18446744073709551615",
    "nan",
    "inf",
    "90s",
    "us-east",
    "wait",
    " ",
    "\u{1b}",
];

/// Every leaf of `v` as a `--set` path, with its value as typed after `=`.
fn leaves(v: &Value, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if k.contains('.') || k.contains('[') {
                    regionsim::scenario::quote_key(k)
                } else if at.is_empty() {
                    k.clone()
                } else {
                    format!(".{k}")
                };
                leaves(x, format!("{at}{key}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, format!("{at}[{i}]"), out);
            }
        }
        x if !at.is_empty() && !at.starts_with('$') => {
            out.push((at, regionsim::scenario::value_text(x)))
        }
        _ => {}
    }
}

/// A path changed by change `k` (0: none).
fn changed(path: &str, k: usize) -> String {
    match k % 10 {
        0..=3 => path.to_string(),
        4 => path.replacen("[0]", "[99]", 1),
        5 => path.replacen("[0]", "[*]", 1),
        6 => format!("{path}.nonexistent"),
        7 => path
            .rsplit_once('.')
            .map_or(String::new(), |(a, _)| a.to_string()),
        8 => format!("{path}\u{7}"),
        _ => path.replacen('.', "[\"", 1) + "\"]",
    }
}

/// The shipped scenarios the overrides apply to.
fn seeds() -> Vec<(PathBuf, Vec<(String, String)>)> {
    crate::common::json_files(&["scenarios", "scenarios/tests"])
        .into_iter()
        .filter_map(|p| {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            let mut out = Vec::new();
            leaves(&v, String::new(), &mut out);
            (!out.is_empty()).then_some((p, out))
        })
        .collect()
}

/// One visible line, longer than a file's refusal may be: it repeats the
/// override (`(with PATH=VALUE)`) before the field's own message.
fn check_line(msg: &str) {
    assert!(!msg.is_empty());
    super::assert_visible_line(msg, 800);
}

fn drive(file: &Path, path: &str, text: &str, tally: &mut Tally) {
    tally.inputs += 1;
    let values = match regionsim::scenario::parse_set_values(text) {
        Err(e) => {
            tally.refused += 1;
            return check_line(&e);
        }
        Ok(v) => v,
    };
    assert!(
        values.len() <= 10_000 * (text.matches(',').count() + 1),
        "{text}"
    );
    let Some(value) = values.first() else { return };
    let set = [(path.to_string(), value.clone())];
    match regionsim::scenario::load_with(file, &set) {
        Err(e) => {
            tally.refused += 1;
            let msg = e.to_string();
            check_line(&msg);
            let name = file.file_name().unwrap().to_string_lossy();
            assert!(msg.contains(name.as_ref()), "does not name the file: {msg}");
        }
        Ok(world) => super::run_checked(world, tally),
    }
}

#[test]
fn mutated_overrides_are_refused_in_one_line_or_run_keeping_the_invariants() {
    let seeds = seeds();
    let mut runner = super::side_runner(200);
    let input = (
        (0..seeds.len(), any::<usize>(), any::<usize>()),
        prop::collection::vec(0..PIECES.len(), 1..7),
    );
    let tally = std::cell::RefCell::new(Tally::default());
    let result = runner.run(&input, |((s, leaf, k), pieces)| {
        let (file, leaves) = &seeds[s];
        let (path, typed) = &leaves[leaf % leaves.len()];
        let path = changed(path, k);
        // A third of the values as the file has them, so that the changed
        // paths are tried with values their fields take.
        let text: String = if k % 3 == 0 {
            typed.clone()
        } else {
            pieces.iter().map(|&i| PIECES[i]).collect()
        };
        keep(
            "overrides",
            "in-flight",
            format!("{path}={text}").as_bytes(),
        );
        drive(file, &path, &text, &mut tally.borrow_mut());
        Ok(())
    });
    if let Err(e) = &result {
        panic!("{e}");
    }
    let t = *tally.borrow();
    eprintln!("{}", t.line("overrides"));
    assert!(t.refused > 0 && t.simulated > 0, "{t:?}");
}
