//! summary.md and report.html open with a verdict: each target met or missed
//! with its interval, lost users, worst populations, regions at capacity.

use std::collections::{BTreeMap, BTreeSet};

use regionsim::model::World;
use regionsim::report::{write_run_with, Options};

use crate::common::{estimate, repo, world, written};

#[test]
fn reports_open_with_the_verdict() {
    let w = world("scenarios/tests/tiny.json");
    let est = estimate(&w);
    let dir = tempfile::tempdir().unwrap();
    write_run_with(dir.path(), &w, &est, Options::default()).unwrap();
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let first = md.lines().find(|l| l.starts_with("## ")).unwrap();
    assert_eq!(first, "## Verdict");
    // tiny: RTT p95 about 131 ms against 150 ms; join p95 about 12 s against 2 s.
    assert!(md.contains("- Media RTT target 150 ms: met (p95 "), "{md}");
    assert!(
        md.contains("- Join latency target 2 s: MISSED (p95 "),
        "{md}"
    );
    assert!(md.contains("Most users without an agent"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let (v, o) = (
        html.find("<h2>Verdict</h2>").unwrap(),
        html.find("<h2>Outcomes</h2>").unwrap(),
    );
    assert!(v < o && html[v..o].contains("<li>Media RTT target 150 ms: met"));
}

/// Seconds of a verdict clock, `HH:MM` or `HH:MM (day N)`.
fn clock_s(text: &str) -> f64 {
    let (time, day) = match text.split_once(" (day ") {
        Some((t, d)) => (t, d.trim_end_matches(')').parse::<f64>().unwrap()),
        None => (text, 1.0),
    };
    let (h, m) = time.split_once(':').unwrap();
    (day - 1.0) * 86_400.0 + h.parse::<f64>().unwrap() * 3600.0 + m.parse::<f64>().unwrap() * 60.0
}

/// The verdict's regions at capacity, each with the start times of the bins
/// its spans cover.
fn verdict_at_capacity(md: &str, bin_s: f64) -> BTreeMap<String, BTreeSet<u64>> {
    let mut out = BTreeMap::new();
    let line = md
        .lines()
        .find(|l| {
            l.starts_with("- Regions at capacity") || l.starts_with("- No region at capacity")
        })
        .expect("the verdict says which regions were at capacity");
    let Some((_, list)) = line.split_once("UTC: ") else {
        return out;
    };
    for item in list.trim_end_matches('.').split("; ") {
        if item.starts_with("and ") {
            continue; // the regions counted, not named
        }
        let (region, spans) = item.split_once(' ').unwrap();
        let spans = spans.split(" and ").next().unwrap(); // the spans named
        let bins: &mut BTreeSet<u64> = out.entry(region.to_string()).or_default();
        for span in spans.split(", ") {
            let (a, b) = span.split_once('–').unwrap();
            let (mut t, end) = (clock_s(a), clock_s(b));
            while t < end {
                bins.insert(t as u64);
                t += bin_s;
            }
        }
    }
    out
}

/// Per region column of `timeseries.csv`, per bin start: whether the region
/// was at capacity (time-averaged concurrency at least 95 % of the
/// time-averaged capacity), or None where the file's 4 decimals cannot tell.
fn csv_at_capacity(csv_text: &str) -> BTreeMap<String, BTreeMap<u64, Option<bool>>> {
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let regions: Vec<(String, usize, usize)> = (header.iter())
        .filter_map(|h| h.strip_suffix("_concurrency"))
        .filter(|id| !id.contains('@'))
        .map(|id| {
            let cap = col(&format!("{id}_capacity")).unwrap();
            (
                id.to_string(),
                col(&format!("{id}_concurrency")).unwrap(),
                cap,
            )
        })
        .collect();
    let mut out: BTreeMap<String, BTreeMap<u64, Option<bool>>> = BTreeMap::new();
    let (rule, half_ulp) = (regionsim::report::AT_CAPACITY, 0.5e-4);
    for row in rd.records() {
        let row = row.unwrap();
        let num = |i: usize| row[i].parse::<f64>().unwrap();
        let start = num(col("bin_start_s").unwrap()) as u64;
        for (id, busy, cap) in &regions {
            let (busy, cap) = (num(*busy), num(*cap));
            let surely = cap - half_ulp > 0.0 && busy - half_ulp >= rule * (cap + half_ulp);
            let surely_not = cap + half_ulp <= 0.0 || busy + half_ulp < rule * (cap - half_ulp);
            let full = if surely {
                Some(true)
            } else if surely_not {
                Some(false)
            } else {
                None
            };
            out.entry(id.clone()).or_default().insert(start, full);
        }
    }
    out
}

/// Run `w` with two replications and check the verdict's regions at capacity
/// and their windows against `timeseries.csv` of the same run; returns how
/// many bins were at capacity.
fn verdict_matches_timeseries(w: &mut World) -> usize {
    w.edit_run(|r| r.replications = 2)
        .expect("valid run settings");
    let est = estimate(w);
    let dir = written(w, &est);
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let said = verdict_at_capacity(&read("summary.md"), w.run().bin_s);
    let seen = csv_at_capacity(&read("timeseries.csv"));
    for (region, bins) in &said {
        let row = seen.get(region).unwrap_or_else(|| {
            panic!(
                "{}: the verdict names {region}, which hosts no agent",
                w.name()
            )
        });
        for b in bins {
            assert_ne!(
                row.get(b),
                Some(&Some(false)),
                "{}: {region} at {b} s",
                w.name()
            );
        }
    }
    let mut full = 0;
    for (region, row) in &seen {
        for (b, is) in row {
            if *is == Some(true) {
                full += 1;
                let named = said.get(region).is_some_and(|s| s.contains(b));
                assert!(
                    named,
                    "{}: {region} at capacity at {b} s, not named",
                    w.name()
                );
            }
        }
    }
    full
}

/// The timeline worlds give each deployment a lane after the regions'; the
/// autoscaled worker pools never reach their nominal capacity, so there the
/// verdict must name no region at all.
#[test]
fn regions_at_capacity_are_those_the_time_series_shows() {
    for (rel, reaches) in [
        ("scenarios/livekit-outage.json", true),
        ("scenarios/livekit-migration.json", true),
        ("scenarios/livekit-workers.json", false),
    ] {
        let full = verdict_matches_timeseries(&mut world(rel));
        assert_eq!(full > 0, reaches, "{rel}: {full} bins at capacity");
    }
}

/// A schedule as `plan --hourly` writes it: us-east follows 24 hourly
/// capacities (tight through the European and American afternoon), which gives
/// every deployment a lane of its own after the regions'.
#[test]
fn regions_at_capacity_follow_an_hourly_schedule() {
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo("scenarios/livekit-global.json")).unwrap(),
    )
    .unwrap();
    let hourly: Vec<u32> = (0..24)
        .map(|h| if (14..20).contains(&h) { 300 } else { 380 })
        .collect();
    v["timeline"] = serde_json::json!([
        { "type": "capacity", "at": "0s", "region": "us-east", "hourly": hourly }
    ]);
    let mut w = regionsim::scenario::parse(std::path::Path::new("planned.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let full = verdict_matches_timeseries(&mut w);
    assert!(full > 0, "the tight hours put us-east at capacity");
}

/// A world of `regions` regions of 2 slots, each beside a population of
/// hundreds of Erlangs (at capacity whenever it has capacity), over
/// `horizon_h` hours in bins of an hour, with `outages` (region, start hour).
fn saturated(regions: usize, horizon_h: u32, outages: &[(usize, u32)]) -> String {
    let ids: Vec<String> = (0..regions).map(|r| format!("r{r}")).collect();
    let v = serde_json::json!({
        "name": "saturated",
        "policy": { "type": "nearest" },
        "regions": ids.iter().enumerate()
            .map(|(r, id)| serde_json::json!({ "id": id, "lat": 0, "lon": -170 + 40 * r as i64 }))
            .collect::<Vec<_>>(),
        "deployments": ids.iter()
            .map(|id| serde_json::json!({ "agent": "a", "region": id, "capacity": 2 }))
            .collect::<Vec<_>>(),
        "populations": (0..regions)
            .map(|r| serde_json::json!({
                "name": format!("p{r}"), "lat": 0, "lon": -170 + 40 * r as i64, "utc_offset_h": 0,
                "rate": { "peak_per_s": 1 }, "session": { "type": "exponential", "mean": "600s" }
            }))
            .collect::<Vec<_>>(),
        "timeline": outages.iter()
            .map(|&(r, h)| serde_json::json!({
                "type": "outage", "at": format!("{h}h"), "region": format!("r{r}"), "duration": "1h"
            }))
            .collect::<Vec<_>>(),
        "run": { "horizon": format!("{horizon_h}h"), "warmup": "0s", "bin": "1h", "replications": 1 }
    });
    let w = regionsim::scenario::parse(std::path::Path::new("saturated.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let est = estimate(&w);
    let dir = written(&w, &est);
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let line = md.lines().find(|l| l.starts_with("- Regions at capacity"));
    line.expect("the saturated regions are at capacity")
        .to_string()
}

/// Eight regions at capacity, three of them an hour less (an outage): the
/// verdict names the five longest at capacity in scenario order and counts
/// the three others with their hours, instead of a paragraph of regions.
#[test]
fn the_verdict_names_the_regions_longest_at_capacity_and_counts_the_rest() {
    let line = saturated(8, 2, &[(0, 1), (1, 1), (2, 1)]);
    let named = "UTC: r3 00:00–02:00; r4 00:00–02:00; r5 00:00–02:00; r6 00:00–02:00; \
                 r7 00:00–02:00; and 3 more regions (3.0 h at capacity in all; every bin in \
                 timeseries.csv).";
    assert!(line.ends_with(named), "{line}");
}

/// A region at capacity in six spans (outages in between): the verdict
/// gives its first four and counts the rest with the hours of all.
#[test]
fn the_verdict_names_a_regions_first_spans_at_capacity_and_counts_the_rest() {
    let line = saturated(1, 12, &[(0, 1), (0, 3), (0, 5), (0, 7), (0, 9), (0, 11)]);
    let named = "UTC: r0 00:00–01:00, 02:00–03:00, 04:00–05:00, 06:00–07:00 and 2 more spans \
                 (6.0 h in all).";
    assert!(line.ends_with(named), "{line}");
}
