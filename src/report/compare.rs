//! `compare.json` and `compare.md`: each policy's figures on common random
//! numbers and its paired difference from the baseline (the first policy).

use serde_json::{json, Map, Value};

use super::charts::Chart;
use super::format::{difference, estimate};
use super::headline::headlines;
use super::json::{metrics, SCHEMA_VERSION};
use super::json_values::num;
use super::markdown::heading;
use super::markdown::provenance_section;
use super::provenance::{parameter_rows, policy_parameters, Provenance};
use super::table::{md_escape, to_markdown, Doc, Table};
use crate::experiment::Comparison;
use crate::model::World;

/// The `compare.json` text.
pub fn compare_json(world: &World, cmp: &Comparison, prov: &Provenance) -> String {
    let policies: Vec<Value> = cmp
        .labels
        .iter()
        .zip(&cmp.estimates)
        .map(|(label, est)| {
            json!({
                "label": label,
                "policy": world.policy_named(label).map_or("", |p| p.name()),
                "parameters": world.policy_named(label).map(|p| Value::Object(policy_parameters(world, p))),
                "metrics": metrics(world, &est.point, est.half_width.as_ref()),
            })
        })
        .collect();
    let differences: Vec<Value> = cmp
        .differences
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut m = Map::new();
            for h in headlines() {
                m.insert(
                    h.key(),
                    json!({
                        "mean": num(h.get(&d.mean)),
                        "paired_ci": num(h.get(&d.paired_half_width)),
                        "unpaired_ci": num(h.get(&d.unpaired_half_width)),
                    }),
                );
            }
            json!({ "label": cmp.labels[i + 1], "versus": cmp.labels[0], "metrics": m })
        })
        .collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name(),
        "seed": world.run().seed,
        "replications": cmp.estimates[0].replications,
        "confidence": world.run().confidence,
        "baseline": cmp.labels[0],
        "provenance": prov.to_json(world),
        "policies": policies,
        "differences": differences,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}

/// The `compare.md` text, linking the charts' PNGs.
pub fn compare_md(world: &World, cmp: &Comparison, prov: &Provenance, charts: &[Chart]) -> String {
    let n = cmp.estimates[0].replications;
    let mut d = Doc::default();
    d.heading(1, format!("{} — policy comparison", world.name()));
    d.para(format!(
        "Seed {}, {n} replications per policy on common random numbers (every policy sees the same users); ± = {:.0} % confidence half-width. Differences of rates and shares are in percentage points (pp).",
        world.run().seed,
        world.run().confidence * 100.0
    ));
    let mut t = Table::new(std::iter::once("metric".to_string()).chain(cmp.labels.iter().cloned()));
    for h in headlines() {
        let cells = cmp.estimates.iter().map(|e| {
            estimate(
                h.unit(),
                h.get(&e.point),
                e.half_width.as_ref().map(|w| h.get(w)),
            )
        });
        t.row(std::iter::once(heading(&h)).chain(cells));
    }
    d.table(t);
    for (i, diff) in cmp.differences.iter().enumerate() {
        d.heading(2, format!("{} minus {}", cmp.labels[i + 1], cmp.labels[0]));
        let mut t = Table::new(["metric", "difference (paired ±)", "unpaired ±"]);
        for h in headlines() {
            t.row([
                heading(&h),
                difference(
                    h.unit(),
                    h.get(&diff.mean),
                    Some(h.get(&diff.paired_half_width)),
                ),
                difference(h.unit(), h.get(&diff.unpaired_half_width), None),
            ]);
        }
        d.table(t);
    }
    policies_section(&mut d, world, cmp);
    provenance_section(&mut d, world, prov);
    let mut s = to_markdown(&d);
    for ch in charts {
        let title = md_escape(&ch.title);
        s.push_str(&format!("\n![{title}]({}.png)\n", ch.stem));
    }
    s
}

/// Each policy compared with its type and parameters, the baseline first:
/// the provenance names only the scenario's main policy.
fn policies_section(d: &mut Doc, world: &World, cmp: &Comparison) {
    d.heading(2, "Policies");
    let mut t = Table::new(["policy", "type", "parameters"]);
    for (i, label) in cmp.labels.iter().enumerate() {
        let Some(p) = world.policy_named(label) else {
            continue;
        };
        let params = parameter_rows(world, p)
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"));
        let base = if i == 0 { " (baseline)" } else { "" };
        t.row([
            format!("{label}{base}"),
            p.name().to_string(),
            params.collect::<Vec<_>>().join("; "),
        ]);
    }
    d.table(t);
}
