//! Random byte strings of up to 64 bytes through the loader, made mostly of
//! JSON's pieces (brackets, colons, commas, strings, numbers, a byte-order
//! mark, bytes that are not UTF-8) so that half-formed documents with stray
//! closers are common. Each must end in a located refusal or a world; each
//! runs on its own thread and the test fails if one has not ended within a
//! few seconds, so a scanner loop that stops consuming input is caught
//! without timing anything that works.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// Far longer than any input of 64 bytes takes; only a hang reaches it.
const HANG: Duration = Duration::from_secs(5);

/// Longest input.
const MAX_BYTES: usize = 64;

fn piece() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&[u8]> = vec![
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b"\"k\"",
        b"\"",
        b"\\",
        b"1",
        b"-2.5e3",
        b"true",
        b"nul",
        b" ",
        b"\n",
        b"\xFF",
        b"\xEF\xBB\xBF",
        b"\"1h30min\"",
    ];
    prop_oneof![
        6 => prop::sample::select(pieces).prop_map(<[u8]>::to_vec),
        1 => any::<u8>().prop_map(|b| vec![b]),
    ]
}

/// Pieces joined, cut to [`MAX_BYTES`].
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece(), 0..40).prop_map(|pieces| {
        let mut b = pieces.concat();
        b.truncate(MAX_BYTES);
        b
    })
}

/// Load `bytes` on a thread of its own; panics if it has not ended in [`HANG`].
/// Whether the loader refused them.
fn load_or_hang(bytes: Vec<u8>) -> bool {
    let (tx, rx) = mpsc::channel();
    let shown = String::from_utf8_lossy(&bytes).into_owned();
    std::thread::spawn(move || {
        let result = regionsim::scenario::parse_bytes(Path::new("random.json"), &bytes);
        let _ = tx.send(result.err());
    });
    match rx.recv_timeout(HANG) {
        Ok(Some(e)) => {
            super::check_refusal(&e);
            true
        }
        Ok(None) => false,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the loader hangs on {shown:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the loader panicked on {shown:?}"),
    }
}

#[test]
fn random_bytes_are_refused_with_a_located_error_and_never_hang() {
    // Few shrinking steps: each one of a hanging input costs HANG and a thread.
    let mut runner = TestRunner::new(Config {
        cases: super::env("REGIONSIM_FUZZ_BYTES_CASES").unwrap_or(2000),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(super::env("REGIONSIM_FUZZ_SEED").unwrap_or(14)),
        max_shrink_iters: 8,
        ..Config::default()
    });
    let tally = std::cell::Cell::new(super::Tally::default());
    let result = runner.run(&bytes(), |bytes| {
        super::keep("bytes", "in-flight", &bytes);
        let refused = load_or_hang(bytes);
        let mut t = tally.get();
        t.inputs += 1;
        t.refused += u64::from(refused);
        t.validated_only += u64::from(!refused);
        tally.set(t);
        Ok(())
    });
    if let Err(e) = &result {
        if let proptest::test_runner::TestError::Fail(_, bytes) = e {
            super::keep("bytes", "failure", bytes);
        }
        panic!("{e}");
    }
    eprintln!("{}", tally.get().line("bytes"));
}

#[test]
fn stray_closers_the_fuzzers_found_end_at_once() {
    for text in [
        "[}",
        r#"{"name":"x","regions":[}"#,
        "[[}",
        "{\"a\":[}]}",
        "[,}",
        "\u{feff}[}",
    ] {
        load_or_hang(text.as_bytes().to_vec());
    }
}
