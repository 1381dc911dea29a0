//! Property test of `plan`'s own flags (`--target`, `--survive-outage`,
//! `--cost`, `--bounds`, `--step`, `--candidate`, `--max-deployments`,
//! `--open-cost`, `--every-population`, `--hourly`) on three shipped
//! scenarios (slots, workers, candidate regions): each flag's text is made of
//! real names, operators and numbers, and pieces that break them (quotes and
//! brackets that could reach another field, control characters, empty parts).
//! Whatever clap accepts must then be checked by [`super::check`], the one
//! place a plan's input is validated, and either pass, with every `--cost`
//! set on the region it names, or be refused as bad input (exit 2) in one
//! visible line naming the flag or the scenario file, and never with a type
//! error on a value the flag wrote itself.

use clap::Parser;
use proptest::prelude::*;

use super::{check, Checked};
use crate::cli::{BadInput, Cli, Command};
use regionsim::scenario::ScenarioError;

const SCENARIOS: [&str; 3] = [
    "scenarios/livekit-global.json",
    "scenarios/livekit-workers.json",
    "scenarios/validation/plan-sites.json",
];

const METRIC: [&str; 7] = [
    "overflow_rate",
    "rejection_rate",
    "media_rtt_ms.p95",
    "utilization",
    "slo_attainment.both",
    "cold_start_job_share",
    "wait_ms.mean",
];
/// Regions, populations and deployments, real or not (the last would reach
/// a field inside `us-east` if a flag quoted it as it is).
const PLACE: [&str; 10] = [
    "us-east",
    "ap-south",
    "eu-central",
    "us-west",
    "india",
    "london",
    "americas",
    "agent@us-east",
    "nowhere",
    "us-east\"][\"x",
];
const KNOB: [&str; 7] = [
    "",
    "/workers",
    "/target_load",
    "/min_replicas",
    "/max_replicas",
    "/slots",
    "/x",
];
const OP: [&str; 3] = ["<=", ">=", "="];
const NUMBER: [&str; 10] = [
    "0", "1", "0.55", "0.05", "10", "150", "-3", "1e400", "nan", "",
];
/// Pieces that break names and values: quotes and brackets that could reach
/// another field, control characters, separators.
const PIECES: [&str; 14] = [
    "[", "]", "\"]", "[\"", "\\", "=", "<", ":", "/", ".", " ", "\u{1b}", "\n", "x",
];

/// A text of one to four pieces, names and numbers.
fn text() -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = [&PIECES[..], &PLACE, &METRIC, &NUMBER].concat();
    prop::collection::vec(prop::sample::select(all), 1..5).prop_map(|v| v.concat())
}

/// One of `list`, five times in six; else a [`text`].
fn part(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        5 => prop::sample::select(list).prop_map(str::to_string),
        1 => text(),
    ]
}

/// A flag's text in its own form (`METRIC[SCOPE]OP V`, `DEPLOYMENT/KNOB=MIN:MAX`,
/// `REGION=W`, ...), each part one of its kind or any text.
fn value(flag: &'static str) -> impl Strategy<Value = String> {
    let scope = prop_oneof![
        Just(String::new()),
        part(&PLACE).prop_map(|p| format!("[{p}]"))
    ];
    let parts = (part(&METRIC), scope, part(&OP), part(&NUMBER));
    let more = (part(&PLACE), part(&KNOB), part(&NUMBER), any::<bool>());
    (parts, more).prop_map(move |((m, sc, op, x), (p, k, y, one))| match flag {
        "--target" | "--survive-outage" => format!("{m}{sc}{op}{x}"),
        "--bounds" => format!("{p}{k}={x}:{y}"),
        "--step" if one => x,
        "--step" => format!("{p}{k}={x}"),
        "--cost" => format!("{p}={x}"),
        "--candidate" => p,
        _ => x,
    })
}

/// A command line: a scenario and up to four flags with their values.
fn command_line() -> impl Strategy<Value = Vec<String>> {
    const FLAGS: [&str; 8] = [
        "--target",
        "--survive-outage",
        "--cost",
        "--bounds",
        "--step",
        "--candidate",
        "--max-deployments",
        "--open-cost",
    ];
    let flag = (prop::sample::select(&FLAGS[..]), any::<bool>())
        .prop_flat_map(|(f, alone)| (Just(f), value(f), Just(alone)));
    let switches = prop::sample::subsequence(vec!["--every-population", "--hourly"], 0..=2);
    let scenario = prop::sample::select(&SCENARIOS[..]);
    (scenario, prop::collection::vec(flag, 1..4), switches).prop_map(|(s, flags, switches)| {
        let mut argv: Vec<String> = ["regionsim", "plan", s, "--quiet"].map(String::from).into();
        for (f, v, alone) in flags {
            // `--flag=VALUE` keeps a value starting with `-` a value.
            if alone && !v.starts_with('-') {
                argv.extend([f.to_string(), v]);
            } else {
                argv.push(format!("{f}={v}"));
            }
        }
        argv.extend(switches.into_iter().map(String::from));
        argv
    })
}

/// The region and weight of each `--cost REGION=W` that `argv` gives.
fn costs(argv: &[String]) -> Vec<(String, f64)> {
    let values = argv
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match a.strip_prefix("--cost") {
            Some("") => argv.get(i + 1).cloned(),
            Some(v) => v.strip_prefix('=').map(str::to_string),
            None => None,
        });
    // clap splits on commas.
    let pairs = values.flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>());
    pairs
        .filter_map(|p| {
            let (k, w) = p.split_once('=')?;
            Some((k.trim().to_string(), w.trim().parse().ok()?))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 384,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn plan_flags_are_set_where_they_say_or_refused_in_one_visible_line(argv in command_line()) {
        // Tests run from the package root, where the scenarios are.
        let Ok(Cli { command: Command::Plan(args) }) = Cli::try_parse_from(&argv) else {
            // clap's own refusal (a number flag given text): its message and exit 2.
            return Ok(());
        };
        match check(&args) {
            Ok(Checked::Sites { world, .. } | Checked::Hourly { world, .. } | Checked::Static { world, .. }) => {
                for (region, w) in costs(&argv) {
                    let r = world.regions().iter().position(|x| x.id == region);
                    let r = r.unwrap_or_else(|| panic!("{argv:?}: --cost named no region `{region}`"));
                    prop_assert_eq!(world.slo().cost[r], w, "{:?}", argv);
                }
            }
            Err(e) => {
                let line = regionsim::input::visible(&format!("{e:#}"));
                prop_assert!(!line.contains(['\n', '\r']), "{:?}: {}", argv, line);
                prop_assert!(!line.chars().any(char::is_control), "{:?}: {}", argv, line);
                let bad = e.downcast_ref::<BadInput>().is_some()
                    || e.downcast_ref::<ScenarioError>().is_some();
                prop_assert!(bad, "{:?}: not refused as bad input: {}", argv, line);
                let named = line.starts_with("--") || line.starts_with(argv[2].as_str());
                prop_assert!(named, "{:?}: names neither a flag nor the file: {}", argv, line);
                // The scenarios are valid and a flag writes its field's value
                // itself: a type error is the flag's fault (a name that reached
                // another field, a NaN written as null), never the user's.
                let typed = line.contains("invalid type");
                prop_assert!(!typed, "{:?}: the flag set a wrong field: {}", argv, line);
                prop_assert!(line.chars().count() <= 600, "{:?}: {} characters: {}", argv, line.chars().count(), line);
            }
        }
    }
}
