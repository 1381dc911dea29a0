//! Property-based fuzzing of the scenario loader and a short simulation.
//!
//! Inputs are the shipped scenarios and the tricky files of tests/fuzz-corpus/,
//! mutated (`mutate.rs`: values of other types, extreme numbers, odd strings
//! and durations, control characters in labels and keys, keys given twice,
//! truncation, stray closers, a byte-order mark, bytes that are not UTF-8),
//! and random byte strings (`bytes.rs`). Every input must give either a
//! located one-line error in plain words without control characters, or a
//! world that simulates (its horizon shortened so the expected events stay
//! bounded) with sessions conserved and capacities respected. No panic, no hang.
//!
//! Two kinds of mutated inputs, half each: *structured* mutations (values of
//! the document changed, the text still JSON) and *edits* (of the text and the
//! bytes, blind ones included). Each test prints its tally on one line,
//! `fuzz tally: kind=K inputs=N refused=N ...`, for the campaign script.
//!
//! `cargo test` runs a fast pass (1000 inputs, fixed seed); the long campaign
//! is `scripts/fuzz_campaign.py` (docs/robustness.md), which runs these tests
//! with `REGIONSIM_FUZZ_CASES`, `REGIONSIM_FUZZ_BYTES_CASES` and
//! `REGIONSIM_FUZZ_SEED` set. With `REGIONSIM_FUZZ_FAILURES=DIR`, each input
//! is written to `DIR/<kind>-in-flight.bin` before it is tried (what a hang or
//! an abort leaves behind) and the smallest failing input to
//! `DIR/<kind>-failure.bin`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use regionsim::model::World;

use mutate::{edit_op, mutate, structured_op, Op};

mod bytes;
mod logs;
mod mutate;
mod overrides;
use regionsim::scenario::limits::Workload;

/// Expected events a fuzzed run may cost: the horizon is shortened to fit.
const EVENTS_PER_RUN: f64 = 20_000.0;
/// Runs with more total capacity than this are only validated, not simulated:
/// since the engine no longer sizes anything per slot, that is every valid run.
const MAX_SIMULATED_CAPACITY: u64 = u32::MAX as u64;

/// Every seed: shipped scenarios and the corpus.
fn corpus() -> Vec<PathBuf> {
    crate::common::json_files(&[
        "scenarios",
        "scenarios/tests",
        "scenarios/validation",
        "tests/fuzz-corpus",
    ])
}

/// What one input did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    inputs: u64,
    refused: u64,
    simulated: u64,
    validated_only: u64,
}

impl Tally {
    /// The line the campaign script reads.
    fn line(&self, kind: &str) -> String {
        format!(
            "fuzz tally: kind={kind} inputs={} refused={} simulated={} validated_only={}",
            self.inputs, self.refused, self.simulated, self.validated_only
        )
    }
}

/// Where a campaign wants inputs kept (`REGIONSIM_FUZZ_FAILURES`), if it does.
fn failures_dir() -> Option<PathBuf> {
    std::env::var_os("REGIONSIM_FUZZ_FAILURES").map(PathBuf::from)
}

/// Keep `bytes` as `DIR/<kind>-<what>.bin` when a campaign asks for inputs.
pub fn keep(kind: &str, what: &str, bytes: &[u8]) {
    if let Some(dir) = failures_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{kind}-{what}.bin")), bytes).unwrap();
    }
}

/// One line shorter than `max` bytes with nothing a terminal would act on:
/// what every refusal of every input must be.
fn assert_visible_line(msg: &str, max: usize) {
    assert!(
        !msg.chars().any(char::is_control) && msg.len() < max,
        "not one short line of visible text: {msg:?}"
    );
}

/// The form every refusal must have: located, one short line in plain words,
/// nothing a terminal would act on.
pub fn check_refusal(e: &regionsim::scenario::ScenarioError) {
    let inv = e.invalid().expect("bytes, not a file, were given");
    let msg = e.to_string();
    if std::env::var_os("REGIONSIM_FUZZ_SHOW").is_some() {
        eprintln!("refused: {msg}");
    }
    assert!(inv.line.is_some(), "not located: {msg}");
    assert_visible_line(&msg, 600);
    let jargon = [
        "expected u",
        "expected f64",
        "enum ",
        "struct ",
        "EOF",
        "`?`",
        "sequence",
        ": map",
        " map,",
        "variant",
    ];
    for jargon in jargon {
        assert!(!msg.contains(jargon), "jargon `{jargon}`: {msg}");
    }
}

/// Load `bytes`; check the error's form or simulate the world shortly and
/// check the invariants. Panics (a failed case) on any broken promise.
fn drive(bytes: &[u8], tally: &mut Tally) {
    tally.inputs += 1;
    let file = Path::new("fuzzed.json");
    match regionsim::scenario::parse_bytes(file, bytes) {
        Err(e) => {
            tally.refused += 1;
            check_refusal(&e);
        }
        Ok(mut world) => {
            check_texts(&world);
            let cap: u64 = world
                .deployments()
                .iter()
                .map(|d| u64::from(d.capacity))
                .sum();
            if cap > MAX_SIMULATED_CAPACITY || !shorten(&mut world) {
                tally.validated_only += 1;
                return;
            }
            tally.simulated += 1;
            check_invariants(&world);
        }
    }
}

/// A world loaded from a fuzzed input, its horizon shortened, simulated and
/// its invariants checked (or only validated when it cannot be shortened).
fn run_checked(mut world: World, tally: &mut Tally) {
    if !shorten(&mut world) {
        tally.validated_only += 1;
        return;
    }
    tally.simulated += 1;
    check_invariants(&world);
}

/// Texts that reach reports, charts (SVG) and terminals hold no control
/// character (the description may break lines and tab).
fn check_texts(world: &World) {
    let shown = world
        .regions()
        .iter()
        .flat_map(|r| [&r.id, &r.name])
        .chain(world.cities().iter().map(|c| &c.name))
        .chain(world.populations().iter().map(|p| &p.name))
        .chain(world.timeline().iter().map(|e| &e.label));
    for text in shown {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
    let breaks = |c: char| matches!(c, '\n' | '\t');
    let description = &world.description();
    assert!(
        !description.chars().any(|c| c.is_control() && !breaks(c)),
        "{description:?}"
    );
}

/// Shorten the run as the CLI's `--horizon` and `--replications` overrides do,
/// so the expected events fit [`EVENTS_PER_RUN`]; false if it cannot.
fn shorten(world: &mut World) -> bool {
    world
        .edit_run(|r| r.replications = 1)
        .expect("valid run settings");
    let work = Workload::of(world, 1, 1);
    if !(work.events.is_finite() && work.memory_bytes < 64e6) {
        return false;
    }
    let scale = (EVENTS_PER_RUN / work.events.max(1.0)).min(1.0);
    let horizon = (world.run().horizon_s * scale).min(6.0 * 3600.0);
    if horizon / world.run().bin_s > 10_000.0 || horizon <= 0.0 {
        return false;
    }
    world
        .edit_run(|r| {
            r.horizon_s = horizon;
            r.warmup_s = r.warmup_s.min(horizon / 2.0);
        })
        .expect("valid run settings");
    true
}

fn check_invariants(world: &World) {
    let est = regionsim::experiment::replicate(world, &()).expect("not cancelled");
    let pooled = &est.pooled;
    let sessions: u64 = pooled.populations.iter().map(|p| p.sessions).sum();
    let accounted: u64 = pooled
        .populations
        .iter()
        .map(|p| p.served_home + p.overflow + p.rejected + p.abandoned)
        .sum::<u64>()
        + pooled.pending_at_horizon;
    assert_eq!(sessions, accounted, "conservation");
    for p in &pooled.populations {
        assert_eq!(p.served_by.iter().sum::<u64>(), p.served_home + p.overflow);
    }
    let served: u64 = pooled
        .populations
        .iter()
        .map(|p| p.served_home + p.overflow)
        .sum();
    let interrupted: u64 = pooled.populations.iter().map(|p| p.interrupted).sum();
    assert_eq!(
        served,
        pooled.completed + interrupted + pooled.running_at_horizon,
        "served sessions completed, were cut, or still run"
    );
    let cap = most_capacity(world);
    for (r, reg) in pooled.regions.iter().enumerate() {
        assert!(reg.peak as u64 <= cap[r], "region {r} over capacity");
    }
}

/// The most each region can ever hold: every deployment at the largest
/// capacity the scenario or its timeline gives it.
fn most_capacity(world: &World) -> Vec<u64> {
    use regionsim::model::timeline::Action;
    let mut most: Vec<u64> = world
        .deployments()
        .iter()
        .map(|d| match &d.workers {
            Some(w) => worker_bound(w),
            None => u64::from(d.capacity),
        })
        .collect();
    for step in world.timeline().iter().flat_map(|e| &e.steps) {
        let c = match &step.action {
            Action::Capacity { capacity, .. } => u64::from(*capacity),
            Action::Hourly { hourly, .. } => hourly.iter().copied().max().map_or(0, u64::from),
            _ => continue,
        };
        let d = step.action.deployment();
        most[d] = most[d].max(c);
    }
    let mut per_region = vec![0; world.regions().len()];
    for (d, dep) in world.deployments().iter().enumerate() {
        per_region[dep.region] += most[d];
    }
    per_region
}

/// The most a worker deployment can hold: its most workers times the
/// sessions one takes (with stale load, at most that many per sample interval
/// over the window and the interval in progress).
fn worker_bound(w: &regionsim::model::workers::WorkerSpec) -> u64 {
    let workers = w.autoscale.as_ref().map_or(w.count, |a| a.max);
    let per_worker = if w.measure.sample_interval_s == 0.0 {
        1
    } else {
        u64::from(w.measure.window) + 2
    };
    u64::from(workers) * u64::from(w.sessions_at_threshold()) * per_worker
}

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The seed files' bytes, and a runner of `cases` inputs (overridden by
/// `cases_var`). A fixed seed keeps `cargo test` reproducible; campaigns pick
/// their own.
fn setup(cases_var: &str, cases: u32) -> (Vec<Vec<u8>>, TestRunner) {
    let seeds = corpus().iter().map(|p| std::fs::read(p).unwrap()).collect();
    let runner = TestRunner::new(Config {
        cases: env(cases_var).unwrap_or(cases),
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(env("REGIONSIM_FUZZ_SEED").unwrap_or(14)),
        ..Config::default()
    });
    (seeds, runner)
}

/// A runner for the inputs beside the scenario file (logs, traces,
/// overrides): `cases` inputs, or `REGIONSIM_FUZZ_LOG_CASES`, from the fixed
/// seed or the campaign's.
fn side_runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: env("REGIONSIM_FUZZ_LOG_CASES").unwrap_or(cases),
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(env("REGIONSIM_FUZZ_SEED").unwrap_or(14)),
        ..Config::default()
    })
}

/// A seed file and its mutations: structured ones only, or edits only.
fn input(seeds: usize) -> impl Strategy<Value = (usize, Vec<Op>)> {
    prop_oneof![
        (0..seeds, prop::collection::vec(structured_op(), 1..4)),
        (0..seeds, prop::collection::vec(edit_op(), 1..4)),
    ]
}

/// The kind of an input: `structured` or `edits`.
fn kind(ops: &[Op]) -> &'static str {
    if ops.iter().all(Op::is_structured) {
        "structured"
    } else {
        "edits"
    }
}

#[test]
fn mutated_scenarios_give_located_errors_or_runs_that_keep_the_invariants() {
    let (seeds, mut runner) = setup("REGIONSIM_FUZZ_CASES", 1000);
    let tallies = std::cell::RefCell::new([Tally::default(); 2]);
    let result = runner.run(&input(seeds.len()), |(seed, ops)| {
        let bytes = mutate(&seeds[seed], &ops);
        let k = kind(&ops);
        keep("mutated", "in-flight", &bytes);
        drive(&bytes, &mut tallies.borrow_mut()[usize::from(k == "edits")]);
        Ok(())
    });
    if let Err(e) = &result {
        if let proptest::test_runner::TestError::Fail(_, (seed, ops)) = e {
            keep("mutated", "failure", &mutate(&seeds[*seed], ops));
        }
        panic!("{e}");
    }
    let [structured, edits] = *tallies.borrow();
    eprintln!("{}", structured.line("structured"));
    eprintln!("{}", edits.line("edits"));
    for t in [structured, edits] {
        assert!(t.refused > 0, "{t:?}");
    }
    assert!(structured.simulated > 0, "{structured:?}");
}

#[test]
fn every_corpus_file_is_refused_with_a_located_error_or_runs() {
    let mut t = Tally::default();
    for p in corpus() {
        drive(&std::fs::read(&p).unwrap(), &mut t);
    }
    assert!(t.refused >= 8 && t.simulated >= 8, "{t:?}");
}

/// The real command on mutated files: exit 0 or 2, an error is one line.
#[test]
fn check_on_mutated_files_exits_0_or_2_with_one_line_errors() {
    let (seeds, mut runner) = setup("REGIONSIM_FUZZ_CLI_CASES", 24);
    let dir = tempfile::tempdir().unwrap();
    runner
        .run(&input(seeds.len()), |(seed, ops)| {
            let file = dir.path().join("fuzzed.json");
            std::fs::write(&file, mutate(&seeds[seed], &ops)).unwrap();
            let out = assert_cmd::Command::cargo_bin("regionsim")
                .unwrap()
                .arg("check")
                .arg(&file)
                .timeout(std::time::Duration::from_secs(30))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            let errors = err.lines().filter(|l| !l.starts_with("warning: ")).count();
            assert!(err.lines().all(|l| l.len() < 600), "{err}");
            match out.status.code() {
                Some(0) => assert_eq!(errors, 0, "{err}"),
                Some(2) => assert_eq!(errors, 1, "{err}"),
                other => panic!("exit {other:?}: {err}"),
            }
            Ok(())
        })
        .unwrap();
}
