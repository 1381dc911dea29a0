//! The timeline's impact, defined once and rendered to `summary.json` and to
//! the summary document (Markdown and HTML): per event, the sessions it cut or
//! moved, and overflow and lost users while it was in effect against the rest
//! of the run; the rejoin latency of moved sessions; the world's notes.

use serde_json::{json, Value};

use super::format::pct;
use super::json_values::num;
use super::table::{Doc, Table};
use crate::experiment::Estimate;
use crate::model::timeline::EventKind;
use crate::model::World;
use crate::stats::{DistSummary, Outcomes};

/// Rates over a set of outcomes.
struct Rates {
    /// Outcomes decided.
    decided: f64,
    /// Served elsewhere / served.
    overflow: f64,
    /// Rejected or abandoned / decided.
    lost: f64,
}

impl Rates {
    fn of(o: &Outcomes) -> Self {
        let decided = o.served + o.rejected + o.abandoned;
        let share = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Self {
            decided: decided as f64,
            overflow: share(o.overflow, o.served),
            lost: share(o.rejected + o.abandoned, decided),
        }
    }

    fn to_json(&self, runs: f64) -> Value {
        json!({
            "decided": num(self.decided / runs),
            "overflow_rate": num(self.overflow),
            "rejection_abandonment_rate": num(self.lost),
        })
    }
}

/// One event's row.
struct Row<'a> {
    label: &'a str,
    kind: EventKind,
    at_s: f64,
    end_s: f64,
    interrupted: f64,
    redispatched: f64,
    inside: Rates,
    outside: Rates,
}

fn rows<'a>(world: &'a World, est: &Estimate) -> Vec<Row<'a>> {
    let s = &est.pooled;
    let runs = f64::from(s.runs);
    let mut all = Outcomes::default();
    for p in &s.populations {
        all.served += p.served_home + p.overflow;
        all.overflow += p.overflow;
        all.rejected += p.rejected;
        all.abandoned += p.abandoned;
    }
    world
        .timeline()
        .iter()
        .zip(&s.timeline.impacts)
        .map(|(e, imp)| {
            let i = &imp.inside;
            let outside = Outcomes {
                served: all.served - i.served,
                overflow: all.overflow - i.overflow,
                rejected: all.rejected - i.rejected,
                abandoned: all.abandoned - i.abandoned,
            };
            Row {
                label: &e.label,
                kind: e.kind,
                at_s: e.at_s,
                end_s: e.end_s,
                interrupted: imp.interrupted as f64 / runs,
                redispatched: imp.redispatched as f64 / runs,
                inside: Rates::of(i),
                outside: Rates::of(&outside),
            }
        })
        .collect()
}

/// The `timeline` object of `summary.json` (`None` without a timeline).
pub fn timeline_json(world: &World, est: &Estimate) -> Option<Value> {
    if world.timeline().is_empty() && world.notes().is_empty() {
        return None;
    }
    let runs = f64::from(est.pooled.runs);
    let events: Vec<Value> = rows(world, est)
        .iter()
        .map(|r| {
            json!({
                "label": r.label,
                "type": r.kind.name(),
                "at_s": num(r.at_s),
                "end_s": num(r.end_s),
                "interrupted": num(r.interrupted),
                "redispatched": num(r.redispatched),
                "window": r.inside.to_json(runs),
                "outside": r.outside.to_json(runs),
            })
        })
        .collect();
    let rejoin = DistSummary::of(&est.pooled.timeline.rejoin);
    Some(json!({
        "events": events,
        "rejoin_latency_ms": {
            "count": num(est.pooled.timeline.rejoin.count() as f64 / runs),
            "mean": num(rejoin.mean),
            "p50": num(rejoin.p50),
            "p95": num(rejoin.p95),
            "p99": num(rejoin.p99),
        },
        "notes": world.notes(),
    }))
}

fn hours(s: f64) -> String {
    format!("{:.2} h", s / 3600.0)
}

/// The timeline section of the summary document (nothing without a timeline).
pub fn timeline_section(d: &mut Doc, world: &World, est: &Estimate) {
    if world.timeline().is_empty() && world.notes().is_empty() {
        return;
    }
    d.heading(2, "Timeline");
    d.para(
        "Per event, per replication: sessions it cut (interrupted) or moved after a failure \
         (redispatched), and overflow (share of served) and rejection + abandonment (share of \
         decided users) while it was in effect against the rest of the window.",
    );
    let mut t = Table::new([
        "event",
        "from",
        "until",
        "interrupted",
        "redispatched",
        "overflow during / outside",
        "lost during / outside",
    ]);
    for r in rows(world, est) {
        t.row([
            r.label.to_string(),
            hours(r.at_s),
            hours(r.end_s),
            format!("{:.1}", r.interrupted),
            format!("{:.1}", r.redispatched),
            format!("{} / {}", pct(r.inside.overflow), pct(r.outside.overflow)),
            format!("{} / {}", pct(r.inside.lost), pct(r.outside.lost)),
        ]);
    }
    d.table(t);
    let rejoin = &est.pooled.timeline.rejoin;
    if rejoin.count() > 0 {
        let s = DistSummary::of(rejoin);
        d.para(format!(
            "Redispatched sessions got a new agent {:.1} s (median; p95 {:.1} s) after their agent failed.",
            s.p50 / 1000.0,
            s.p95 / 1000.0
        ));
    }
    for n in world.notes() {
        d.para(format!("Note: {n}."));
    }
}
