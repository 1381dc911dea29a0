//! The memory estimate against what a run really takes: worlds that stress
//! each of its terms (time bins, deployment lanes, timeline events on charts
//! with and without the end of their effect marked,
//! a worker pool's sample ring, a pool of the most workers, the latency
//! distributions of users who wait,
//! dashed curves over many bins, a replayed trace, many cities) are run as child
//! processes, and the estimate
//! printed before simulating must lie within a factor of 2 of the child's
//! peak resident memory (read by GNU time) above that of a trivial run.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

/// GNU time, which reports a command's peak resident memory.
const TIME: &str = "/usr/bin/time";

/// A small world: one population in us-east, one deployment, hourly bins.
fn small() -> Value {
    json!({
        "name": "memory",
        "regions": ["us-east", "eu-central"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 10 }],
        "populations": [{ "name": "p", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.05 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest" },
        "run": { "horizon": "1h", "warmup": "0s", "seed": 1, "replications": 1, "bin": "1h" }
    })
}

/// Rows of the replayed trace world.
const TRACE_ROWS: usize = 300_000;

/// A session log of [`TRACE_ROWS`] sessions, one every 0.2 s, in `dir`.
fn write_trace(dir: &Path) {
    let mut text = String::from("started_at,duration_s,lat,lon\n");
    for i in 0..TRACE_ROWS {
        let start = 1_704_067_200.0 + i as f64 * 0.2;
        text.push_str(&format!("{start:.1},{},40.71,-74.01\n", 10 + i % 90));
    }
    std::fs::write(dir.join("trace.csv"), text).unwrap();
}

/// `n` capacity steps in us-east, one every `every_s` seconds.
fn capacity_steps(n: u32, every_s: u32) -> Value {
    (0..n)
        .map(|i| {
            json!({ "type": "capacity", "at": format!("{}s", every_s * i), "region": "us-east",
            "capacity": 10 + i % 3 })
        })
        .collect()
}

/// The worlds, each stressing one term, whether it is run with charts, and
/// the command line's further arguments.
/// `n` small populations along the equator, over twenty regions' meridians.
fn spread_populations(n: i32) -> Value {
    (0..n)
        .map(|i| {
            json!({ "name": format!("p{i}"), "lat": 10, "lon": -170 + (i % 20) * 17,
            "utc_offset_h": 0, "rate": { "peak_per_s": 0.01 },
            "session": { "type": "exponential", "mean": "60s" } })
        })
        .collect()
}

fn stress_worlds() -> Vec<(&'static str, Value, bool, &'static [&'static str])> {
    let mut bins = small();
    bins["run"]["horizon"] = json!("60000s");
    bins["run"]["bin"] = json!("1s");
    let mut lanes = small();
    lanes["deployments"] = (0..40)
        .map(|i| {
            let region = ["us-east", "eu-central"][i % 2];
            json!({ "agent": format!("a{i}"), "region": region, "capacity": 10 })
        })
        .collect();
    lanes["policy"]["agent"] = json!("a0");
    lanes["run"]["horizon"] = json!("2h");
    lanes["run"]["bin"] = json!("1s");
    let mut events = small();
    events["populations"][0]["rate"]["peak_per_s"] = json!(0.001);
    events["run"]["horizon"] = json!("2000h");
    events["timeline"] = (0..600)
        .map(|i| {
            json!({ "type": "capacity", "at": format!("{i}h"), "region": "us-east",
            "capacity": 10 + i % 3 })
        })
        .collect();
    // Charts: the events' markers and the curves over many bins.
    let mut charted = events.clone();
    charted["timeline"] = capacity_steps(60, 500);
    charted["run"]["horizon"] = json!("30000s");
    charted["run"]["bin"] = json!("1s");
    let mut ring = small();
    ring["deployments"][0] = json!({ "agent": "a", "region": "us-east",
        "workers": { "count": 100, "window": 10000, "load": { "sessions_per_worker": 4 } } });
    ring["run"]["horizon"] = json!("60s");
    // A pool of the most workers a pool may have: its columns and its ring
    // (whose layout, once per worker added, made building it quadratic).
    let mut workers = small();
    workers["deployments"][0] = json!({ "agent": "a", "region": "us-east",
        "workers": { "count": 100_000, "load": { "sessions_per_worker": 4 } } });
    workers["run"]["horizon"] = json!("60s");
    // Forty populations in a queue near saturation, waiting up to minutes,
    // with RTT jitter: each latency distribution spans many octaves (found
    // by the fuzz campaign: 16 kB per population was counted, ten times
    // less than such distributions hold).
    let mut waits = small();
    waits["populations"] = (0..40)
        .map(|i| {
            json!({ "name": format!("p{i}"), "lat": 40.71, "lon": -74.01 + f64::from(i),
            "utc_offset_h": -5, "rate": { "peak_per_s": 0.5 },
            "session": { "type": "exponential", "mean": "60s" },
            "patience": { "type": "exponential", "mean": "1min" } })
        })
        .collect();
    waits["deployments"][0]["capacity"] = json!(1150);
    waits["latency"] = json!({ "jitter": { "type": "exponential", "mean": "20ms" } });
    waits["run"]["horizon"] = json!("2h");
    waits["run"]["replications"] = json!(8);
    // A worker pool's noisy reported load over 20 000 one-second bins, a
    // dashed curve on the charts: one SVG element per dash, so its size
    // followed the curve's jagged path (found by the fuzz campaign).
    let mut dashed = small();
    dashed["deployments"][0] = json!({ "agent": "a", "region": "us-east",
        "workers": { "count": 5, "load": { "sessions_per_worker": 4, "noise": 0.2 },
                     "sample_interval": "1s", "report_interval": "1s" } });
    dashed["populations"][0]["rate"]["peak_per_s"] = json!(0.3);
    dashed["run"]["horizon"] = json!("20000s");
    dashed["run"]["bin"] = json!("1s");
    // Sixty outages (the most marked with a line each) of two seconds over
    // one time bin: each draws a
    // dashed line where it starts and a finer one where it ends, on three
    // charts and again in `report.html` (found by the fuzz campaign: the
    // estimate counted the start's line alone, and the report grew by
    // doubling through copies of itself).
    let mut ends = small();
    ends["timeline"] = (0..60)
        .map(|i| {
            json!({ "type": "outage", "at": format!("{}s", 10 * i + 5),
            "region": "us-east", "duration": "2s" })
        })
        .collect();
    ends["run"]["horizon"] = json!("1100s");
    ends["run"]["bin"] = json!("1100s");
    // Two thousand capacity steps over a day: too dense for a line each,
    // drawn as ticks along the plots' top edge.
    let mut dense = small();
    dense["timeline"] = capacity_steps(2000, 40);
    dense["run"]["horizon"] = json!("24h");
    // Five thousand cities read with a setting on the command line, which
    // reads the file as a JSON tree first: about 1.2 kB a city (found by
    // the fuzz campaign: 500 cities held 0.95 MB where 0.28 MB was estimated).
    let mut cities = small();
    let people = cities["populations"][0].as_object_mut().unwrap();
    people.remove("lat");
    people.remove("lon");
    cities["populations"][0]["cities"] = (0..5000)
        .map(|i| {
            json!({ "name": format!("city {i}"), "lat": f64::from(i % 140) - 70.0,
            "lon": f64::from((i * 13) % 340) - 170.0, "weight": 1 + i % 5 })
        })
        .collect();
    // Thousands of worker deployments, and of populations: each has some
    // fifty to eighty figures in `summary.json`, whose tree took 15-17 kB
    // an item (found by probing the limits: 10 000 worker deployments used
    // 177 MB where the estimate, counting their statistics alone, said 29 MB).
    let mut pools = small();
    pools["deployments"] = (0..2500)
        .map(|i| {
            let region = ["us-east", "eu-central"][i % 2];
            json!({ "agent": format!("a{i}"), "region": region,
            "workers": { "count": 1, "load": { "sessions_per_worker": 4 } } })
        })
        .collect();
    pools["policy"]["agent"] = json!("a0");
    pools["run"]["horizon"] = json!("10min");
    let mut populations = small();
    populations["populations"] = (0..2500)
        .map(|i| {
            json!({ "name": format!("p{i}"), "lat": f64::from(i % 140) - 70.0,
            "lon": f64::from((i * 13) % 340) - 170.0, "utc_offset_h": 0,
            "rate": { "peak_per_s": 0.001 }, "session": { "type": "exponential", "mean": "60s" } })
        })
        .collect();
    populations["run"]["horizon"] = json!("10min");
    // Thousands of replications of a world of many populations and
    // regions: each replication's row of replications.csv is all it keeps
    // (found by probing the limits: 20 000 replications of 200 populations
    // in 20 regions held every replication's every figure, 1.75 GB where
    // 18 MB was estimated).
    let mut replications = small();
    replications["regions"] = (0..20)
        .map(|i| json!({ "id": format!("r{i}"), "lat": 0, "lon": -170 + 17 * i }))
        .collect();
    replications["deployments"] = (0..20)
        .map(|i| json!({ "agent": "a", "region": format!("r{i}"), "capacity": 5 }))
        .collect();
    replications["populations"] = spread_populations(200);
    replications["run"]["horizon"] = json!("1min");
    replications["run"]["bin"] = json!("1min");
    replications["run"]["replications"] = json!(3000);
    // A sweep keeps every point's world and summaries, and wrote sweep.json
    // from one tree of them all (found by probing the limits: 40 points of
    // 2 000 populations in 200 regions held 4.0 GB where one point's run,
    // 131 MB, was estimated).
    let mut points = replications.clone();
    points["run"]["replications"] = json!(1);
    points["populations"] = spread_populations(500);
    let mut trace = small();
    trace["populations"] = json!([{ "name": "logged", "arrivals": { "trace": "trace.csv" } }]);
    trace["run"]["horizon"] = json!("10min");
    const NO: &[&str] = &[];
    vec![
        ("time bins", bins, false, NO),
        ("deployment lanes", lanes, false, NO),
        ("timeline events", events, false, NO),
        ("timeline events and bins on charts", charted, true, NO),
        ("worker sample ring", ring, false, NO),
        ("a pool of the most workers", workers, false, NO),
        ("latency distributions of users who wait", waits, false, NO),
        ("dashed curves over many bins on charts", dashed, true, NO),
        ("timeline events that end, on charts", ends, true, NO),
        ("a dense timeline on charts", dense, true, NO),
        ("replayed trace", trace, false, NO),
        ("thousands of worker deployments", pools, false, NO),
        ("thousands of populations", populations, false, NO),
        (
            "thousands of replications of many figures",
            replications,
            false,
            NO,
        ),
        (
            "a sweep of many figures",
            points,
            false,
            &[
                "sweep",
                "--set",
                "deployments[0].capacity=1,2,3,4,5,6,7,8,9,10,11,12",
            ],
        ),
        (
            "many cities read with a setting",
            cities,
            false,
            &["--seed", "2"],
        ),
    ]
}

/// Run `regionsim run FILE` (one thread, with or without charts) as a child:
/// the estimate it prints, bytes, and its peak resident memory, bytes.
///
/// The peak is read by GNU time, which forks the run from its own small
/// process: a child spawned from this test process would count this
/// process's own peak in its `ru_maxrss` (Linux carries the peak of the
/// address space a process replaces at exec into the new one's).
fn measured(dir: &Path, name: &str, v: &Value, charts: bool, extra: &[&str]) -> (f64, f64) {
    let stem = name.replace(' ', "-");
    let file = dir.join(format!("{stem}.json"));
    std::fs::write(&file, v.to_string()).unwrap();
    let peak_file = dir.join(format!("{stem}.peak"));
    let mut cmd = Command::new(TIME);
    cmd.args(["-f", "%M", "-o"]).arg(&peak_file);
    cmd.arg(env!("CARGO_BIN_EXE_regionsim"));
    // A stress world may name the command first (`sweep` and its settings).
    let (command, extra) = match extra {
        ["sweep", rest @ ..] => ("sweep", rest),
        _ => ("run", extra),
    };
    cmd.arg(command)
        .arg(&file)
        .args(["--threads", "1", "--out"]);
    cmd.arg(dir.join(format!("out-{stem}")));
    if !charts {
        cmd.arg("--no-charts");
    }
    cmd.args(extra);
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{name}: {text}");
    let peak_kb: f64 = std::fs::read_to_string(&peak_file)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    (estimate_of(&text), peak_kb * 1024.0)
}

/// The bytes in "estimated ..., 12.3 MB of memory".
fn estimate_of(stderr: &str) -> f64 {
    let line = stderr.lines().find(|l| l.starts_with("estimated")).unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "of").unwrap();
    let scale = match words[at - 1] {
        "B" => 1.0,
        "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        u => panic!("unit {u} in {line}"),
    };
    words[at - 2].parse::<f64>().unwrap() * scale
}

#[test]
fn the_memory_estimate_is_within_a_factor_of_2_of_the_measured_peak() {
    assert!(
        Path::new(TIME).is_file(),
        "this test reads peak memory with GNU time ({TIME})"
    );
    let dir = tempfile::tempdir().unwrap();
    write_trace(dir.path());
    // What any run takes (code, allocator, fonts for charts): not estimated.
    let baseline =
        [false, true].map(|charts| measured(dir.path(), "trivial", &small(), charts, &[]).1);
    let mut table = Vec::new();
    for (name, v, charts, extra) in stress_worlds() {
        let (estimate, peak) = measured(dir.path(), name, &v, charts, extra);
        let above = peak - baseline[usize::from(charts)];
        table.push(format!(
            "{name}: estimated {:.1} MB, measured {:.1} MB above the trivial run",
            estimate / 1e6,
            above / 1e6
        ));
        let ratio = estimate / above.max(1.0);
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{name}: estimate / measured = {ratio:.2}\n{}",
            table.join("\n")
        );
    }
    eprintln!("{}", table.join("\n"));
}
