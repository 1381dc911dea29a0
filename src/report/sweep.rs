//! `sweep.csv` and `sweep.json`: one row / entry per grid point with the headline
//! metrics and their confidence half-widths.

use serde_json::{json, Map, Value};

use super::csv_table::{render, Cell};
use super::headline::headlines;
use super::json::{metrics, num, SCHEMA_VERSION};
use super::provenance::Provenance;
use crate::experiment::SweepPoint;
use crate::model::World;

/// The `sweep.csv` text: the settings, then each headline metric and its half-width.
pub fn sweep_csv(points: &[SweepPoint]) -> String {
    let Some(first) = points.first() else {
        return String::new();
    };
    let metrics = headlines();
    let header: Vec<String> = first
        .settings
        .iter()
        .map(|(path, _)| path.clone())
        .chain(
            metrics
                .iter()
                .flat_map(|m| [m.key(), format!("{}_ci", m.key())]),
        )
        .collect();
    let rows: Vec<Vec<Cell>> = points
        .iter()
        .map(|p| {
            p.settings
                .iter()
                .map(|(_, v)| Cell::num(*v))
                .chain(metrics.iter().flat_map(|m| {
                    let hw = p.half_width.as_ref().map_or(f64::NAN, |h| m.get(h));
                    [Cell::num(m.get(&p.point)), Cell::num(hw)]
                }))
                .collect()
        })
        .collect();
    render(&header, &rows)
}

/// The `sweep.json` text: settings and full metrics of every point.
pub fn sweep_json(world: &World, points: &[SweepPoint], prov: &Provenance) -> String {
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
        "provenance": prov.to_json(world),
        "points": entries,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}
