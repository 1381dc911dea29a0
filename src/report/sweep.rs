//! `sweep.csv` and `sweep.json`: one row / entry per grid point with the headline
//! metrics and their confidence half-widths.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::headline::HEADLINE;
use super::json::{metrics, num, SCHEMA_VERSION};
use crate::experiment::SweepPoint;
use crate::model::World;

/// The `sweep.csv` text.
pub fn sweep_csv(points: &[SweepPoint]) -> String {
    let mut s = String::new();
    let Some(first) = points.first() else {
        return s;
    };
    for (path, _) in &first.settings {
        let _ = write!(s, "{path},");
    }
    let cols: Vec<String> = HEADLINE
        .iter()
        .flat_map(|(n, _)| [n.to_string(), format!("{n}_ci")])
        .collect();
    s.push_str(&cols.join(","));
    s.push('\n');
    for p in points {
        for (_, v) in &p.settings {
            let _ = write!(s, "{v},");
        }
        let cells: Vec<String> = HEADLINE
            .iter()
            .flat_map(|(_, get)| {
                let hw = p.half_width.as_ref().map_or(f64::NAN, get);
                [get(&p.point), hw].map(|x| {
                    if x.is_finite() {
                        format!("{x}")
                    } else {
                        String::new()
                    }
                })
            })
            .collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s
}

/// The `sweep.json` text: settings and full metrics of every point.
pub fn sweep_json(world: &World, points: &[SweepPoint]) -> String {
    let entries: Vec<Value> = points
        .iter()
        .map(|p| {
            let settings: Map<String, Value> = p.settings.iter().map(|(k, v)| (k.clone(), num(*v))).collect();
            json!({ "settings": settings, "metrics": metrics(world, &p.point, p.half_width.as_ref()) })
        })
        .collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name,
        "seed": world.run.seed,
        "replications": world.run.replications,
        "confidence": world.run.confidence,
        "policy": world.policy.name(),
        "points": entries,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}
