//! The "Populations" section of a plan's reports (static and hourly): each
//! population's worst UTC hour in the verification run, its figures, and a
//! flag where the overall targets hide an unfair hour. The table's columns are
//! defined once, here, and rendered both into `plan.md` (through the
//! format-neutral [`super::table`]) and into `plan.json`'s `populations`.

use serde_json::{json, Value};

use super::json_values::num;
use super::table::{to_markdown, Doc, Table};
use crate::experiment::plan::{fairness, Fairness, Verification, WorstHour};
use crate::model::target::Target;
use crate::model::World;

/// A column: its Markdown heading, its `plan.json` key, and a row's cell as
/// text and as a JSON value.
struct Column {
    head: &'static str,
    key: &'static str,
    cell: fn(&World, &Fairness, &WorstHour) -> (String, Value),
}

fn share(x: f64) -> (String, Value) {
    (format!("{:.2} %", x * 100.0), num(x))
}

fn times(r: Option<f64>) -> (String, Value) {
    match r.filter(|r| r.is_finite()) {
        Some(r) => (format!("{r:.2}"), num(r)),
        None => ("–".into(), Value::Null),
    }
}

/// The figures a population is flagged on, by name.
fn flags(f: &Fairness, r: &WorstHour) -> Vec<&'static str> {
    let mut out = Vec::new();
    if r.overflow_flagged(f.factor) {
        out.push("overflow");
    }
    if r.rtt_flagged(f.factor) {
        out.push("media RTT");
    }
    out
}

/// The table, once: `plan.md` and `plan.json` both walk it.
const COLUMNS: &[Column] = &[
    Column {
        head: "population",
        key: "population",
        cell: |w, _, r| {
            let n = w.populations()[r.population].name.clone();
            (n.clone(), Value::String(n))
        },
    },
    Column {
        head: "worst UTC hour (overflow share)",
        key: "worst_hour_utc",
        cell: |_, _, r| match r.hour {
            Some(h) => (format!("{h:02}:00-{:02}:00", (h + 1) % 24), json!(h)),
            None => ("– (no arrivals)".into(), Value::Null),
        },
    },
    Column {
        head: "arrivals in it",
        key: "arrivals",
        cell: |_, _, r| (r.arrivals.to_string(), json!(r.arrivals)),
    },
    Column {
        head: "overflow share",
        key: "overflow_share",
        cell: |_, _, r| share(r.overflow_share),
    },
    Column {
        head: "× overall overflow target",
        key: "overflow_vs_target",
        cell: |_, _, r| times(r.overflow_ratio),
    },
    Column {
        head: "rejection share",
        key: "rejection_share",
        cell: |_, _, r| share(r.rejection_share),
    },
    Column {
        head: "mean media RTT",
        key: "media_rtt_mean_ms",
        cell: |_, _, r| {
            if r.rtt_mean_ms.is_finite() {
                (format!("{:.1} ms", r.rtt_mean_ms), num(r.rtt_mean_ms))
            } else {
                ("–".into(), Value::Null)
            }
        },
    },
    Column {
        head: "× media RTT reference",
        key: "media_rtt_vs_reference",
        cell: |_, _, r| times(Some(r.rtt_ratio)),
    },
    Column {
        head: "flagged",
        key: "flagged",
        cell: |_, f, r| {
            let which = flags(f, r);
            let text = if which.is_empty() {
                String::new()
            } else {
                format!("FLAGGED: {}", which.join(", "))
            };
            (text, json!(which))
        },
    },
];

/// `plan.json`'s `populations` for the verification that backs a plan
/// (null without one), judged against the overall targets among `targets`.
pub fn json_of(world: &World, targets: &[Target], v: Option<&Verification>) -> Value {
    v.map_or(Value::Null, |v| {
        json(world, &fairness(world, targets, &v.hours))
    })
}

/// `plan.md`'s Populations section (after a blank line) for the verification
/// that backs a plan.
pub fn section(world: &World, targets: &[Target], v: &Verification) -> String {
    format!(
        "\n{}",
        markdown(world, &fairness(world, targets, &v.hours), v)
    )
}

/// `plan.json`'s `populations`: the references, the factor and one object
/// per population with the table's columns as keys.
fn json(world: &World, f: &Fairness) -> Value {
    let rows: Vec<Value> = f
        .rows
        .iter()
        .map(|r| {
            let m: serde_json::Map<String, Value> = COLUMNS
                .iter()
                .map(|c| (c.key.to_string(), (c.cell)(world, f, r).1))
                .collect();
            Value::Object(m)
        })
        .collect();
    json!({
        "worst_hour_by": "overflow share",
        "media_rtt": "mean of the sessions served in the hour",
        "fairness_factor": num(f.factor),
        "overflow_target": f.overflow_limit.map(num),
        "media_rtt_reference_ms": num(f.rtt_limit),
        "media_rtt_reference": f.rtt_source,
        "rows": rows,
    })
}

/// The `## Populations` section of `plan.md`.
fn markdown(world: &World, f: &Fairness, v: &Verification) -> String {
    let mut doc = Doc::default();
    doc.heading(2, "Populations");
    let overflow = match f.overflow_limit {
        Some(l) => format!(
            "its overflow share is more than {} times the overall overflow target ({:.2} %)",
            factor_text(f.factor),
            l * 100.0
        ),
        None => "(no overall overflow target: overflow is not compared)".into(),
    };
    doc.para(format!(
        "Each population's worst UTC hour by overflow share in the verification run (seed {}, {} replications), counts pooled over the hour's days in the window and the replications; media RTT is the mean of the sessions served in that hour (a percentile per population and hour would need a distribution each). A population is flagged when, in that hour, {overflow} or its mean media RTT is more than {} times the reference, `{}` ({:.1} ms); the factor is `slo.fairness_factor`.",
        v.seed,
        v.replications,
        factor_text(f.factor),
        f.rtt_source,
        f.rtt_limit,
    ));
    let mut t = Table::new(COLUMNS.iter().map(|c| c.head));
    for r in &f.rows {
        t.row(COLUMNS.iter().map(|c| (c.cell)(world, f, r).0));
    }
    doc.table(t);
    let flagged: Vec<String> = f
        .flagged()
        .map(|r| world.populations()[r.population].name.clone())
        .collect();
    doc.para(if flagged.is_empty() {
        "No population is flagged.".to_string()
    } else {
        format!(
            "Flagged: {}. `slo.every_population: true` (or `--every-population`) makes every population meet the overall targets.",
            flagged.join(", ")
        )
    });
    to_markdown(&doc)
}

/// A factor as written: `2`, `1.5`.
fn factor_text(f: f64) -> String {
    let s = format!("{f:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
