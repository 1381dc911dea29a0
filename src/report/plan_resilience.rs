//! A plan's failure scenarios as `plan.md` and `plan.json` show them: each
//! deployment down in turn, the resilience targets measured over its window
//! in the verification that backs the plan, and the binding failure (the one
//! whose tightest target has the least room left). Static and hourly plans
//! render the same section from the same rule.

use std::fmt::Write;

use serde_json::{json, Value};

use super::json_values::num;
use super::plan_words::{check_label, deployment_label, limit_text, value_text, window_text};
use crate::experiment::plan::{Rule, Span, Spec, Verification};
use crate::model::target::{Sense, Target};
use crate::model::timeline::Failover;
use crate::model::World;

/// Room left under (or above) a limit, as a share of the limit: what makes
/// failures comparable across targets of different units.
fn room(t: &Target, bound: f64) -> f64 {
    let scale = t.limit().abs().max(f64::MIN_POSITIVE);
    match t.metric().sense() {
        Sense::AtMost => (t.limit() - bound) / scale,
        Sense::AtLeast => (bound - t.limit()) / scale,
    }
}

/// The checks of failure `k` in `rule` (indices).
fn checks_of(rule: &Rule, k: usize) -> impl Iterator<Item = usize> + '_ {
    (0..rule.spans.len()).filter(move |&i| rule.spans[i] == Span::Failure(k as u16))
}

/// The failure whose tightest check has the least room in `v`.
fn binding(rule: &Rule, v: &Verification) -> Option<usize> {
    let tightest = |k: usize| {
        checks_of(rule, k)
            .map(|i| room(&rule.targets[i], v.estimates[i].bound(&rule.targets[i])))
            .fold(f64::INFINITY, f64::min)
    };
    (0..rule.failures.len()).min_by(|&a, &b| tightest(a).total_cmp(&tightest(b)))
}

/// What happens to the failed deployment's sessions, in words.
fn failover_text(f: Failover) -> String {
    match f {
        Failover::Lose => "its running sessions are lost".into(),
        Failover::Redispatch { detect_s } => {
            format!("its running sessions are dispatched again {detect_s:.0} s after the failure")
        }
    }
}

/// `plan.md`'s section on failures (empty without resilience targets).
pub fn section(world: &World, spec: &Spec, rule: &Rule, v: &Verification) -> String {
    let Some(r) = &world.slo().resilience else {
        return String::new();
    };
    let mut s = String::new();
    let when = match r.at_s {
        Some(_) => "at the window `slo.resilience.at` gives".to_string(),
        None => "at its own busiest window (home load)".to_string(),
    };
    let _ = writeln!(
        s,
        "\n## Surviving a failure\n\nEach deployment in turn is down for {:.1} h {when}; {}. The resilience targets are measured over that window alone, with every capacity as planned, in the verification above (same seeds as the normal day until the failure).\n",
        r.duration_s / 3600.0,
        failover_text(r.failover),
    );
    if let Some(k) = binding(rule, v) {
        let f = &rule.failures[k];
        let _ = writeln!(
            s,
            "Binding failure: **{} down {}**, the one with the least room under its limits.\n",
            deployment_label(world, f.deployment),
            window_text(f.at_s, f.end_s)
        );
    }
    let _ = writeln!(s, "| deployment down | window | target | limit | estimate | one-sided bound | met |\n| --- | --- | --- | --- | --- | --- | --- |");
    for (k, f) in rule.failures.iter().enumerate() {
        for i in checks_of(rule, k) {
            let (t, e) = (&rule.targets[i], &v.estimates[i]);
            let met = e.meets(t);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                deployment_label(world, f.deployment),
                window_text(f.at_s, f.end_s),
                t.label(world),
                limit_text(t),
                value_text(t, e.point),
                value_text(t, e.bound(t)),
                if met { "yes" } else { "**no**" },
            );
        }
    }
    for n in &spec.not_failed {
        let _ = writeln!(
            s,
            "\nNot failed: {} ({}).",
            deployment_label(world, n.deployment),
            n.reason
        );
    }
    s
}

/// `plan.json`'s `resilience` (None without resilience targets, so plans
/// without them keep their shape).
pub fn json_of(world: &World, spec: &Spec, rule: &Rule, v: Option<&Verification>) -> Option<Value> {
    let r = world.slo().resilience.as_ref()?;
    let failures: Vec<Value> = rule
        .failures
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let checks: Vec<Value> = checks_of(rule, k)
                .map(|i| {
                    let t = &rule.targets[i];
                    let e = v.map(|v| v.estimates[i]);
                    json!({
                        "check": check_label(world, rule, i),
                        "target": t.label(world),
                        "limit": num(t.limit()),
                        "estimate": e.map(|e| num(e.point)),
                        "bound": e.map(|e| num(e.bound(t))),
                        "met": e.map(|e| e.meets(t)),
                    })
                })
                .collect();
            json!({
                "deployment": deployment_label(world, f.deployment),
                "from_s": num(f.at_s),
                "to_s": num(f.end_s),
                "window": window_text(f.at_s, f.end_s),
                "checks": checks,
            })
        })
        .collect();
    let (failover, detect) = match r.failover {
        Failover::Lose => ("lose", None),
        Failover::Redispatch { detect_s } => ("redispatch", Some(num(detect_s))),
    };
    Some(json!({
        "targets": spec.resilience.iter().map(|t| t.label(world)).collect::<Vec<_>>(),
        "duration_s": num(r.duration_s),
        "at_s": r.at_s.map(num),
        "sessions": failover,
        "detect_s": detect,
        "failures": failures,
        "binding": v.and_then(|v| binding(rule, v)).map(|k| deployment_label(world, rule.failures[k].deployment)),
        "not_failed": spec.not_failed.iter().map(|n| json!({
            "deployment": deployment_label(world, n.deployment), "reason": n.reason,
        })).collect::<Vec<_>>(),
    }))
}
