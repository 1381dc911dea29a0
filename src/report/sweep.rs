//! `sweep.csv` and `sweep.json`: one row / entry per grid point with the headline
//! metrics and their confidence half-widths. `sweep.json` also says whether
//! every planned point is there (`complete`) and lists the planned points'
//! settings, so a set written before the sweep finished is never mistaken
//! for a whole one.

use serde_json::{json, Map, Value};

use super::csv_table::{render, Cell};
use super::headline::headlines;
use super::json::{metrics, SCHEMA_VERSION};
use super::provenance::Provenance;
use crate::experiment::SweepPoint;
use crate::model::World;
use crate::scenario::value_text;
use crate::stats::metrics::{headline, POPULATION_METRICS, REGION_METRICS};
use crate::stats::Summary;

/// A grid point's settings: (scenario path, value) per swept field.
pub type Settings = Vec<(String, Value)>;

/// One column pair of `sweep.csv`: a name and how to read a summary.
type Column = (String, Box<dyn Fn(&Summary) -> f64>);

/// The run-wide headline metrics, then each region's and each population's.
fn columns(world: &World) -> Vec<Column> {
    let mut cols: Vec<Column> = headlines()
        .into_iter()
        .map(|m| (m.key(), Box::new(move |s: &Summary| m.get(s)) as _))
        .collect();
    for (r, region) in world.regions.iter().enumerate() {
        for m in headline(REGION_METRICS) {
            let name = format!("regions.{}.{}", region.id, m.key());
            cols.push((name, Box::new(move |s: &Summary| m.get(&s.regions[r]))));
        }
    }
    for (i, pop) in world.populations.iter().enumerate() {
        for m in headline(POPULATION_METRICS) {
            let name = format!("populations.{}.{}", pop.name, m.key());
            cols.push((name, Box::new(move |s: &Summary| m.get(&s.populations[i]))));
        }
    }
    cols
}

/// The `sweep.csv` text: the settings, then each headline metric and its
/// half-width, run-wide, per region and per population.
pub fn sweep_csv(world: &World, points: &[SweepPoint]) -> String {
    let Some(first) = points.first() else {
        return String::new();
    };
    let cols = columns(world);
    let header: Vec<String> = first
        .settings
        .iter()
        .map(|(path, _)| path.clone())
        .chain(
            cols.iter()
                .flat_map(|(n, _)| [n.clone(), format!("{n}_ci")]),
        )
        .collect();
    let rows: Vec<Vec<Cell>> = points
        .iter()
        .map(|p| {
            p.settings
                .iter()
                .map(|(_, v)| match v {
                    Value::Number(n) => Cell::Num(n.to_string()),
                    other => Cell::Text(value_text(other)),
                })
                .chain(cols.iter().flat_map(|(_, get)| {
                    let hw = p.half_width.as_ref().map_or(f64::NAN, get);
                    [Cell::num(get(&p.point)), Cell::num(hw)]
                }))
                .collect()
        })
        .collect();
    render(&header, &rows)
}

/// The `sweep.json` text: settings and full metrics of every finished point,
/// and the settings of every `planned` point.
pub fn sweep_json(
    world: &World,
    points: &[SweepPoint],
    planned: &[Settings],
    prov: &Provenance,
) -> String {
    let entries: Vec<Value> = points
        .iter()
        .map(|p| {
            let settings: Map<String, Value> = p.settings.iter().cloned().collect();
            json!({ "settings": settings, "metrics": metrics(world, &p.point, p.half_width.as_ref()) })
        })
        .collect();
    let planned: Vec<Value> = planned
        .iter()
        .map(|s| Value::Object(s.iter().cloned().collect()))
        .collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name,
        "seed": world.run.seed,
        "replications": world.run.replications,
        "confidence": world.run.confidence,
        "policy": world.policy.name(),
        "complete": points.len() >= planned.len(),
        "provenance": prov.to_json(world),
        "points_planned": planned,
        "points": entries,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}
