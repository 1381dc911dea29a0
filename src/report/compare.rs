//! `compare.json` and `compare.md`: each policy's figures on common random
//! numbers and its paired difference from the baseline (the first policy).

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::headline::HEADLINE;
use super::json::{metrics, num, SCHEMA_VERSION};
use crate::experiment::Comparison;
use crate::model::World;

/// The `compare.json` text.
pub fn compare_json(world: &World, cmp: &Comparison) -> String {
    let policies: Vec<Value> = cmp
        .labels
        .iter()
        .zip(&cmp.estimates)
        .map(|(label, est)| {
            json!({
                "label": label,
                "policy": world.policy_named(label).map_or("", |p| p.name()),
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
            for (name, get) in HEADLINE {
                m.insert(
                    (*name).into(),
                    json!({
                        "mean": num(get(&d.mean)),
                        "paired_ci": num(get(&d.paired_half_width)),
                        "unpaired_ci": num(get(&d.unpaired_half_width)),
                    }),
                );
            }
            json!({ "label": cmp.labels[i + 1], "versus": cmp.labels[0], "metrics": m })
        })
        .collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name,
        "seed": world.run.seed,
        "replications": cmp.estimates[0].replications,
        "confidence": world.run.confidence,
        "baseline": cmp.labels[0],
        "policies": policies,
        "differences": differences,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}

/// Rates and shares as percentages, everything else with one decimal.
fn fmt(name: &str, v: f64, hw: f64) -> String {
    let (scale, digits, unit) = if name.ends_with("_rate") || name.starts_with("slo_") {
        (100.0, 2, " %")
    } else {
        (1.0, 1, "")
    };
    if hw.is_finite() {
        format!("{:.digits$} ± {:.digits$}{unit}", v * scale, hw * scale)
    } else {
        format!("{:.digits$}{unit}", v * scale)
    }
}

/// The `compare.md` text.
pub fn compare_md(world: &World, cmp: &Comparison) -> String {
    let mut s = String::new();
    let n = cmp.estimates[0].replications;
    let _ = writeln!(s, "# {} — policy comparison\n", world.name);
    let _ = writeln!(
        s,
        "Seed {}, {n} replications per policy on common random numbers (every policy sees the same users); ± = {:.0} % confidence half-width.\n",
        world.run.seed,
        world.run.confidence * 100.0
    );
    let _ = write!(s, "| metric |");
    for l in &cmp.labels {
        let _ = write!(s, " {l} |");
    }
    let _ = write!(s, "\n| --- |");
    for _ in &cmp.labels {
        s.push_str(" --- |");
    }
    s.push('\n');
    for (name, get) in HEADLINE {
        let _ = write!(s, "| {name} |");
        for est in &cmp.estimates {
            let hw = est.half_width.as_ref().map_or(f64::NAN, get);
            let _ = write!(s, " {} |", fmt(name, get(&est.point), hw));
        }
        s.push('\n');
    }
    for (i, d) in cmp.differences.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n## {} minus {}\n\n| metric | difference (paired ±) | unpaired ± |\n| --- | --- | --- |",
            cmp.labels[i + 1],
            cmp.labels[0]
        );
        for (name, get) in HEADLINE {
            let _ = writeln!(
                s,
                "| {name} | {} | {} |",
                fmt(name, get(&d.mean), get(&d.paired_half_width)),
                fmt(name, get(&d.unpaired_half_width), f64::NAN)
            );
        }
    }
    s
}
