//! How plan reports name things: a deployment, a check (a target in an hour
//! or a failure), a failure window, a target's figure, limit and change. One
//! wording for `plan.md`, `plan.json`, the hourly report, the failure section
//! and the charts.

use crate::experiment::plan::{Rule, Span, TargetEstimate};
use crate::model::target::Target;
use crate::model::World;

/// `region` or `agent@region` when a region hosts several deployments.
pub fn deployment_label(world: &World, d: usize) -> String {
    let dep = &world.deployments()[d];
    let region = &world.regions()[dep.region].id;
    let shared = world
        .deployments()
        .iter()
        .filter(|o| o.region == dep.region)
        .count()
        > 1;
    if shared {
        format!("{}@{region}", dep.agent)
    } else {
        region.clone()
    }
}

/// A check as people read it: the target's label, with the UTC hour
/// (`rejection_rate in 05:00-06:00 UTC`) or the failure
/// (`rejection_rate with eu-central down 13:00-15:00 UTC`) it is measured in.
pub fn check_label(world: &World, rule: &Rule, i: usize) -> String {
    let t = rule.targets[i].label(world);
    match rule.spans[i] {
        Span::Window => t,
        Span::Hour(h) => format!("{t} in {h:02}:00-{:02}:00 UTC", (h + 1) % 24),
        Span::Failure(k) => {
            let f = &rule.failures[usize::from(k)];
            format!(
                "{t} with {} down {}",
                deployment_label(world, f.deployment),
                window_text(f.at_s, f.end_s)
            )
        }
    }
}

/// `13:00-15:00 UTC`, with the day when the run is longer than one.
pub fn window_text(from: f64, to: f64) -> String {
    let clock = |t: f64| {
        let m = (t / 60.0).round() as i64;
        let day = m.div_euclid(1440);
        let hm = format!("{:02}:{:02}", m.rem_euclid(1440) / 60, m.rem_euclid(60));
        (day, hm)
    };
    let ((d0, a), (d1, b)) = (clock(from), clock(to));
    if d0 == 0 && (d1 == 0 || (d1 == 1 && b == "00:00")) {
        format!("{a}-{b} UTC")
    } else {
        format!("day {} {a} - day {} {b} UTC", d0 + 1, d1 + 1)
    }
}

/// A target's figure as people read it: shares in %, latencies in ms.
pub fn value_text(t: &Target, v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if t.metric().is_share() {
        format!("{:.2} %", v * 100.0)
    } else {
        format!("{v:.1} ms")
    }
}

/// A target's limit with its relation: `≤ 3 %`, `≤ 160 ms`, `≥ 70 %`.
pub fn limit_text(t: &Target) -> String {
    let rel = if t.relation() == "<=" { "≤" } else { "≥" };
    let v = if t.metric().is_share() {
        t.limit() * 100.0
    } else {
        t.limit()
    };
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if t.metric().is_share() {
        format!("{rel} {s} %")
    } else {
        format!("{rel} {s} ms")
    }
}

/// A change of a target's figure: percentage points for shares, ms otherwise.
pub fn change_text(t: &Target, d: f64) -> String {
    if t.metric().is_share() {
        format!("{:+.2} pp", d * 100.0)
    } else {
        format!("{d:+.1} ms")
    }
}

/// A check a best effort missed: `media_rtt_ms.p95 ≤ 160 ms (best achieved
/// 167.0 ms)`, as headlines and the open-set table name it.
pub fn missed_text(world: &World, rule: &Rule, i: usize, e: &TargetEstimate) -> String {
    let t = &rule.targets[i];
    format!(
        "{} {} (best achieved {})",
        check_label(world, rule, i),
        limit_text(t),
        value_text(t, e.point)
    )
}
