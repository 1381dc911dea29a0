//! The verdict that opens `summary.md` and `report.html`: each SLO target met or
//! missed with its interval, the users lost, the worst populations, and the
//! regions at capacity and when. A target is judged at the 95th percentile of
//! served sessions ("p95 media RTT within 150 ms"), and only called met or missed
//! when the whole confidence interval is on one side of it.

use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::{DistSummary, Summary};

/// A region counts as at capacity in a time bin when it is, on average over the
/// bin and the replications, at least this busy.
pub const AT_CAPACITY: f64 = 0.95;

/// Populations losing at most this share of their arrivals are not named:
/// a handful of users in a day is noise, not a finding.
const LOSS_FLOOR: f64 = 0.001;

/// How many populations the verdict names.
const WORST: usize = 3;

/// Met, missed, or too close to call at this confidence.
fn judge(value: f64, hw: Option<f64>, target: f64) -> &'static str {
    let hw = hw.filter(|h| h.is_finite()).unwrap_or(0.0);
    if value.is_nan() {
        "no sessions served"
    } else if value + hw <= target {
        "met"
    } else if value - hw > target {
        "MISSED"
    } else {
        "too close to call at this confidence"
    }
}

fn pm(v: f64, hw: Option<f64>, digits: usize) -> String {
    match hw.filter(|h| h.is_finite()) {
        Some(h) => format!("{v:.digits$} ± {h:.digits$}"),
        None => format!("{v:.digits$}"),
    }
}

fn target(
    name: &str,
    target_ms: f64,
    target_text: &str,
    d: (&DistSummary, Option<&DistSummary>),
    share: (f64, Option<f64>),
) -> String {
    let (p, h) = d;
    format!(
        "{name} target {target_text}: {} (p95 {} ms; {} % of served sessions within it)",
        judge(p.p95, h.map(|h| h.p95), target_ms),
        pm(p.p95, h.map(|h| h.p95), 1),
        pm(share.0 * 100.0, share.1.map(|x| x * 100.0), 2)
    )
}

fn lost(p: &Summary, h: Option<&Summary>) -> String {
    let hw = h.map(|h| (h.rejection_rate, h.abandonment_rate));
    format!(
        "Users without an agent: {} % rejected, {} % abandoned while waiting; {} % served outside their home region.",
        pm(p.rejection_rate * 100.0, hw.map(|x| x.0 * 100.0), 2),
        pm(p.abandonment_rate * 100.0, hw.map(|x| x.1 * 100.0), 2),
        pm(p.overflow_rate * 100.0, h.map(|h| h.overflow_rate * 100.0), 2),
    )
}

/// Populations ranked by a figure, worst first, those above `floor` only.
fn worst(world: &World, p: &Summary, key: impl Fn(usize) -> f64, floor: f64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..world.populations().len())
        .filter(|&i| key(i) > floor)
        .collect();
    // Deterministic: by figure, then by scenario order.
    idx.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    idx.truncate(WORST.min(p.populations.len()));
    idx
}

fn worst_populations(world: &World, p: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    let rtt = |i: usize| p.populations[i].media_rtt_ms.p95;
    let slow = worst(world, p, rtt, world.slo().media_rtt_ms);
    if !slow.is_empty() {
        let names: Vec<String> = slow
            .iter()
            .map(|&i| format!("{} ({:.0} ms)", world.populations()[i].name, rtt(i)))
            .collect();
        out.push(format!(
            "Worst media RTT p95, above the target: {}.",
            names.join(", ")
        ));
    }
    let lost = |i: usize| p.populations[i].rejection_rate + p.populations[i].abandonment_rate;
    let losing = worst(world, p, lost, LOSS_FLOOR);
    if !losing.is_empty() {
        let names: Vec<String> = losing
            .iter()
            .map(|&i| format!("{} ({:.2} %)", world.populations()[i].name, lost(i) * 100.0))
            .collect();
        out.push(format!(
            "Most users without an agent (rejected + abandoned, above 0.1 %): {}.",
            names.join(", ")
        ));
    }
    out
}

/// A UTC clock time of simulated seconds, with the day after the first.
fn clock(s: f64) -> String {
    let m = (s / 60.0).round() as u64;
    let (day, m) = (m / 1440, m % 1440);
    let t = format!("{:02}:{:02}", m / 60, m % 60);
    if day == 0 {
        t
    } else {
        format!("{t} (day {})", day + 1)
    }
}

/// How many regions the verdict names at capacity, and how many spans of
/// each: a world of hundreds of busy regions, or a month of daily peaks,
/// would otherwise turn one line of the verdict into a page. The rest are
/// counted, and every bin is in `timeseries.csv`.
const MOST_REGIONS: usize = 5;
const MOST_SPANS: usize = 4;

/// How many of `n` to name when naming at most `most`: all of them where
/// only one would be left ("and 1 more" says less than its name).
fn named(n: usize, most: usize) -> usize {
    if n > most + 1 {
        most
    } else {
        n
    }
}

/// A region's spans of time bins in which it was at capacity, merged where
/// they touch.
fn spans_at_capacity(world: &World, est: &Estimate, r: usize) -> Vec<(f64, f64)> {
    let s = &est.pooled.series;
    let h = world.run().horizon_s;
    let mut spans: Vec<(f64, f64)> = Vec::new();
    for b in 0..s.bins() {
        let (start, end) = (b as f64 * s.bin_s, ((b + 1) as f64 * s.bin_s).min(h));
        let (busy, cap, _) = s.lane_cell(b, s.region_lane(r));
        let full = cap > 0.0 && busy / cap >= AT_CAPACITY && end > start;
        match spans.last_mut() {
            Some(last) if full && last.1 == start => last.1 = end,
            _ if full => spans.push((start, end)),
            _ => {}
        }
    }
    spans
}

/// Hours in spans of seconds.
fn hours(spans: &[(f64, f64)]) -> f64 {
    spans.iter().map(|(a, b)| b - a).sum::<f64>() / 3600.0
}

/// A region and its first spans at capacity, the rest counted.
fn region_spans(id: &str, spans: &[(f64, f64)]) -> String {
    let when: Vec<String> = (spans.iter().take(named(spans.len(), MOST_SPANS)))
        .map(|&(a, b)| format!("{}–{}", clock(a), clock(b)))
        .collect();
    let more = spans.len() - when.len();
    if more == 0 {
        format!("{id} {}", when.join(", "))
    } else {
        format!(
            "{id} {} and {more} more spans ({:.1} h in all)",
            when.join(", "),
            hours(spans)
        )
    }
}

/// The regions at capacity and when: the `MOST_REGIONS` longest at capacity
/// (ties to the first in the scenario), named in scenario order, the others
/// counted.
fn at_capacity(world: &World, est: &Estimate) -> String {
    let full: Vec<(usize, Vec<(f64, f64)>)> = (0..world.regions().len())
        .map(|r| (r, spans_at_capacity(world, est, r)))
        .filter(|(_, spans)| !spans.is_empty())
        .collect();
    let mut longest: Vec<usize> = (0..full.len()).collect();
    longest.sort_by(|&a, &b| {
        hours(&full[b].1)
            .total_cmp(&hours(&full[a].1))
            .then(a.cmp(&b))
    });
    longest.truncate(named(full.len(), MOST_REGIONS));
    longest.sort_unstable();
    let mut regions: Vec<String> = (longest.iter())
        .map(|&i| region_spans(&world.regions()[full[i].0].id, &full[i].1))
        .collect();
    let more = full.len() - longest.len();
    if more > 0 {
        let rest: f64 = (0..full.len())
            .filter(|i| !longest.contains(i))
            .map(|i| hours(&full[i].1))
            .sum();
        regions.push(format!(
            "and {more} more regions ({rest:.1} h at capacity in all; every bin in timeseries.csv)"
        ));
    }
    let rule = format!(
        "≥ {:.0} % busy on average over a {:.0}-min bin",
        AT_CAPACITY * 100.0,
        est.pooled.series.bin_s / 60.0
    );
    if regions.is_empty() {
        format!("No region at capacity ({rule}).")
    } else {
        format!("Regions at capacity ({rule}), UTC: {}.", regions.join("; "))
    }
}

/// The verdict as bullet items, in reading order.
pub fn verdict(world: &World, est: &Estimate) -> Vec<String> {
    let (p, h) = (&est.point, est.half_width.as_ref());
    let mut items = vec![
        target(
            "Media RTT",
            world.slo().media_rtt_ms,
            &format!("{} ms", world.slo().media_rtt_ms),
            (&p.media_rtt_ms, h.map(|h| &h.media_rtt_ms)),
            (p.slo_rtt, h.map(|h| h.slo_rtt)),
        ),
        target(
            "Join latency",
            world.slo().join_latency_s * 1000.0,
            &format!("{} s", world.slo().join_latency_s),
            (&p.join_latency_ms, h.map(|h| &h.join_latency_ms)),
            (p.slo_join, h.map(|h| h.slo_join)),
        ),
        lost(p, h),
    ];
    items.extend(worst_populations(world, p));
    items.push(at_capacity(world, est));
    items
}
