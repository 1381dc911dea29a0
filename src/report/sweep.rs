//! `sweep.csv` and `sweep.json`: one row / entry per grid point with the headline
//! metrics and their confidence half-widths (regions that host no deployment
//! left out; worker deployments' figures too), and the metrics a sweep
//! charts, by those names. `sweep.json`
//! also says whether every planned point is there (`complete`) and lists the
//! planned points' settings, so a set written before the sweep finished is
//! never mistaken for a whole one.

use serde_json::{json, Map, Value};

use super::csv_table::{render, Cell};
use super::headline::headlines;
use super::json::{metrics, SCHEMA_VERSION};
use super::provenance::Provenance;
use super::workers::{figures_json, worker_labels};
use crate::experiment::SweepPoint;
use crate::model::World;
use crate::scenario::value_text;
use crate::stats::metrics::{
    headline, scalars, Pick, Scalar, Unit, POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS,
    WORKER_METRICS,
};
use crate::stats::{PopulationSummary, RegionSummary, Summary, WorkerSummary};

/// A grid point's settings: (scenario path, value) per swept field.
pub type Settings = Vec<(String, Value)>;

/// A metric of a sweep: run-wide, or one region's or one population's, named
/// as in `sweep.csv` (`overflow_rate`, `regions.ap-south.utilization`,
/// `populations.india.media_rtt_ms.p95`).
#[derive(Clone)]
pub struct SweepMetric {
    key: String,
    label: String,
    pick: Pick,
}

impl SweepMetric {
    fn run(m: Scalar<Summary>) -> Self {
        Self {
            key: m.key(),
            label: m.label(),
            pick: Pick::Run(m),
        }
    }

    fn region(world: &World, r: usize, m: Scalar<RegionSummary>) -> Self {
        let id = &world.regions()[r].id;
        Self {
            key: format!("regions.{id}.{}", m.key()),
            label: format!("{id} {}", m.label()),
            pick: Pick::Region(r, m),
        }
    }

    fn worker(dep: &str, k: usize, m: Scalar<WorkerSummary>) -> Self {
        Self {
            key: format!("workers.{dep}.{}", m.key()),
            label: format!("{dep} {}", m.label()),
            pick: Pick::Worker(k, m),
        }
    }

    fn population(world: &World, p: usize, m: Scalar<PopulationSummary>) -> Self {
        let name = &world.populations()[p].name;
        Self {
            key: format!("populations.{name}.{}", m.key()),
            label: format!("{name} {}", m.label()),
            pick: Pick::Population(p, m),
        }
    }

    /// Its name, as in `sweep.csv`.
    pub fn key(&self) -> String {
        self.key.clone()
    }

    /// Its name for people: `overflow rate`, `ap-south utilisation`.
    pub fn label(&self) -> String {
        self.label.clone()
    }

    /// The name of the metric itself, without the region or population
    /// (`media_rtt_ms.p95`), which says what SLO target applies.
    pub fn metric_key(&self) -> String {
        self.pick.key()
    }

    /// Its unit.
    pub fn unit(&self) -> Unit {
        self.pick.unit()
    }

    /// Its value in a summary (NaN when the summary lacks the region or population).
    pub fn get(&self, s: &Summary) -> f64 {
        self.pick.get(s)
    }
}

/// Regions that host a deployment: only they have sweep columns (an
/// edge-only region's would be zero at every point).
fn hosting(world: &World) -> Vec<usize> {
    (0..world.regions().len())
        .filter(|&r| world.deployments().iter().any(|d| d.region == r))
        .collect()
}

/// The columns of `sweep.csv`: the run-wide headline metrics, then each
/// hosting region's, each population's and each worker deployment's.
fn columns(world: &World) -> Vec<SweepMetric> {
    let mut cols: Vec<SweepMetric> = headlines().into_iter().map(SweepMetric::run).collect();
    for r in hosting(world) {
        cols.extend(
            headline(REGION_METRICS)
                .into_iter()
                .map(|m| SweepMetric::region(world, r, m)),
        );
    }
    for p in 0..world.populations().len() {
        cols.extend(
            headline(POPULATION_METRICS)
                .into_iter()
                .map(|m| SweepMetric::population(world, p, m)),
        );
    }
    for (k, dep) in worker_labels(world).iter().enumerate() {
        cols.extend(
            headline(WORKER_METRICS)
                .into_iter()
                .map(|m| SweepMetric::worker(dep, k, m)),
        );
    }
    cols
}

/// A metric a sweep can chart, by its name: any column of `sweep.csv`, and
/// beyond them any scalar of the catalogue, run-wide (`wait_probability`),
/// for a region (`regions.<id>.<metric>`) or a population
/// (`populations.<name>.<metric>`).
pub fn sweep_metric(world: &World, name: &str) -> Option<SweepMetric> {
    sweep_metrics(world).find(|m| m.key == name)
}

/// Every metric a sweep of `world` can chart.
fn sweep_metrics(world: &World) -> impl Iterator<Item = SweepMetric> + '_ {
    let run = scalars(SUMMARY_METRICS).into_iter().map(SweepMetric::run);
    let regions = (0..world.regions().len()).flat_map(move |r| {
        scalars(REGION_METRICS)
            .into_iter()
            .map(move |m| SweepMetric::region(world, r, m))
    });
    let pops = (0..world.populations().len()).flat_map(move |p| {
        scalars(POPULATION_METRICS)
            .into_iter()
            .map(move |m| SweepMetric::population(world, p, m))
    });
    let workers = worker_labels(world)
        .into_iter()
        .enumerate()
        .flat_map(|(k, dep)| {
            scalars(WORKER_METRICS)
                .into_iter()
                .map(move |m| SweepMetric::worker(&dep, k, m))
        });
    run.chain(regions).chain(pops).chain(workers)
}

/// Why `name` is not a metric of `world`'s sweeps, in one short line: the
/// closest names, and the forms names take (the full list runs to hundreds).
pub fn sweep_metric_refusal(world: &World, name: &str) -> String {
    let keys: Vec<String> = sweep_metrics(world).map(|m| m.key).collect();
    let near = crate::input::closest(name, keys.iter().map(String::as_str));
    let hint = match near.as_slice() {
        [] => String::new(),
        some => format!(" (did you mean `{}`?)", some.join("`, `")),
    };
    format!(
        "unknown metric `{}`{hint}; a name of summary.json's scalars: run-wide \
         (`overflow_rate`, `media_rtt_ms.p95`), per region \
         (`regions.<id>.utilization`), per population \
         (`populations.<name>.overflow_rate`) or per worker deployment \
         (`workers.<agent>@<region>.worker_hours`); docs/output.md lists them",
        crate::input::excerpt(name)
    )
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
                .flat_map(|m| [m.key(), format!("{}_ci", m.key())]),
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
                .chain(cols.iter().flat_map(|m| {
                    let hw = p.half_width.as_ref().map_or(f64::NAN, |h| m.get(h));
                    [Cell::num(m.get(&p.point)), Cell::num(hw)]
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
    let planned: Vec<Value> = planned
        .iter()
        .map(|s| Value::Object(s.iter().cloned().collect()))
        .collect();
    let head = json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": world.name(),
        "seed": world.run().seed,
        "replications": world.run().replications,
        "confidence": world.run().confidence,
        "policy": world.policy().name(),
        "complete": points.len() >= planned.len(),
        "provenance": prov.to_json(world),
        "points_planned": planned,
    });
    let Value::Object(head) = head else {
        unreachable!("json! of an object literal is an object")
    };
    let doc = Doc {
        head,
        points: Points { world, points },
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    s.push('\n');
    s
}

/// `sweep.json`: its head, then its points, each laid out as a JSON tree
/// only while it is written. The whole document as one tree took some 500
/// bytes a figure (a sweep of 40 points of 2 000 populations in 200 regions
/// held 4 GB to write 205 MB); the text is the same.
struct Doc<'a> {
    head: Map<String, Value>,
    points: Points<'a>,
}

impl serde::Serialize for Doc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.head.len() + 1))?;
        for (k, v) in &self.head {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("points", &self.points)?;
        m.end()
    }
}

/// The points of a sweep, each made a JSON tree when it is written.
struct Points<'a> {
    world: &'a World,
    points: &'a [SweepPoint],
}

impl serde::Serialize for Points<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.points.len()))?;
        for p in self.points {
            seq.serialize_element(&point_json(self.world, p))?;
        }
        seq.end()
    }
}

/// A point's entry: its settings, its metrics and its worker figures.
fn point_json(world: &World, p: &SweepPoint) -> Value {
    let settings: Map<String, Value> = p.settings.iter().cloned().collect();
    let mut e =
        json!({ "settings": settings, "metrics": metrics(world, &p.point, p.half_width.as_ref()) });
    if let Some(w) = figures_json(world, &p.point, p.half_width.as_ref(), |_, _| {}) {
        e["workers"] = w;
    }
    e
}
