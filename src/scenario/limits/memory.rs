//! What a command holds at its peak, term by term: the world (replayed
//! traces included); while simulating, the statistics of every replication
//! in flight (time series, latency distributions) and the engines of the
//! running ones (event list, worker pools' sample rings); then the pooled
//! statistics and the reports, all rendered before anything is written
//! (`timeseries.csv`, a row per timeline event in the summaries, the charts).
//!
//! Each term counts the bytes its data structures hold; the reports' terms
//! (text cells, SVG paths and marker lines, each again in `report.html`)
//! were measured. The process's fixed share (code, font) is left out.

use super::work::Pool;
use distributions::{distributions, held};

mod distributions;
mod figures;

use super::Command;
use crate::model::World;
pub(super) use figures::kept;

/// Bytes per cell of `timeseries.csv` while it is built: the cell with its
/// row's spare room, its text on the heap, its share of the file.
const CSV_CELL: f64 = 80.0;
/// Bytes per timeline event in the summaries (JSON tree, Markdown rows) and
/// the world.
const EVENT_ROWS: f64 = 3_000.0;
/// Bytes per timeline event and replication: its figures kept per
/// replication for the confidence intervals.
const EVENT_FIGURES: f64 = 200.0;
/// Bytes per timeline event on a chart over time: its marker line (4.8 kB
/// of SVG: a dash is an element) and label, twice: the chart's text and its
/// copy in `report.html`.
const EVENT_MARKS: f64 = 9_600.0;
/// The same for the fainter line where the event's effect ends (a recovery,
/// a drain's end), when drawn: finer dashes, 6.5 kB of SVG. Measured: a
/// hundred outages with their recoveries on three charts took 7.7 MB of
/// resident memory above a trivial run, a hundred capacity changes 1.9 MB.
const EVENT_END_MARKS: f64 = 13_000.0;

/// A timeline event on a chart over time when the timeline is too dense for
/// a labelled line each: a short tick, twice (the chart, and its copy in
/// `report.html`).
const EVENT_TICK: f64 = 500.0;
/// Bytes per time bin of a curve on a chart over time, SVG and `report.html`.
const BIN_CURVE: f64 = 35.0;
/// Bytes per point of a dashed curve, SVG and `report.html`: a dash is an
/// element of about 100 bytes every 12 pixels of path, and a jagged curve
/// (values at random between its extremes) travels a third of the plot's
/// height, about 180 pixels, from one point to the next.
const DASHED_POINT: f64 = 3_000.0;
/// The least bytes of a dashed curve: however few its points, it crosses
/// the plot's width, about 900 pixels, some seventy dashes (a step at every
/// point but the last, so a curve of one bin is a line from edge to edge).
/// Measured: forty deployment lanes over one bin take 7 kB of SVG each,
/// again in `report.html`, and 50-65 kB each of resident memory with the
/// strings' building and the lane's other curves (GNU time, five runs).
const DASHED_WIDTH: f64 = 45_000.0;

/// Bytes per city while the scenario is read: its record in the JSON tree
/// that the command line's settings (`--seed`, `--horizon`, a sweep's or a
/// plan's fields) are applied to, about 800 bytes, and its parsed form
/// (about 350 bytes without settings, when this term is generous). Measured
/// on 500 cities: 0.46 MB of heap with `--seed`, 0.17 MB without.
const CITY_READ: f64 = 900.0;

/// Bytes per deployment beyond the engine's: its record in the scenario's
/// JSON tree while it is read, its parsed form with its label, and its
/// lines in the reports. Measured: 10 000 deployments of slots took 1.2 kB
/// a deployment of resident memory.
const DEPLOYMENT_READ: f64 = 1_100.0;

/// The peak and the field behind its largest term.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Memory {
    pub bytes: f64,
    pub cause: Option<String>,
}

/// The shape of a world's statistics.
struct Shape {
    bins: f64,
    regions: f64,
    /// Regions that host a deployment (the time series' columns).
    hosting: f64,
    /// Region lanes and deployment lanes.
    lanes: f64,
    events: f64,
    /// Timeline events whose end is marked on the charts too.
    ended: f64,
    pools: f64,
}

impl Shape {
    fn of(world: &World, pools: usize) -> Self {
        let regions = world.regions().len();
        let hosting = (0..regions)
            .filter(|&r| world.deployments().iter().any(|d| d.region == r))
            .count();
        let deployment_lanes = if deployment_lanes(world) {
            world.deployments().len()
        } else {
            0
        };
        Self {
            bins: (world.run().horizon_s / world.run().bin_s).ceil().max(1.0),
            regions: regions as f64,
            hosting: hosting as f64,
            lanes: (regions + deployment_lanes) as f64,
            events: world.timeline().len() as f64,
            ended: (world.timeline().iter())
                .filter(|e| e.end_marked(world.run().horizon_s))
                .count() as f64,
            pools: pools as f64,
        }
    }

    /// Deployment lanes.
    fn deployment_lanes(&self) -> f64 {
        self.lanes - self.regions
    }

    /// Columns of `timeseries.csv`.
    fn columns(&self) -> f64 {
        9.0 + 4.0 * self.hosting + 3.0 * self.deployment_lanes() + 3.0 * self.pools
    }

    /// Curves over time on the charts: concurrency, capacity and spill per
    /// hosting region, concurrency and capacity per deployment lane, a pool's
    /// workers and loads (each chart draws at most `MAX_CURVES` regions,
    /// deployments or pools).
    fn curves(&self) -> f64 {
        3.0 * drawn(self.hosting) + 2.0 * drawn(self.deployment_lanes()) + 3.0 * drawn(self.pools)
    }

    /// Dashed curves over time: capacity and spill per hosting region,
    /// capacity per deployment lane, a pool's reported load.
    fn dashed(&self) -> f64 {
        2.0 * drawn(self.hosting) + drawn(self.deployment_lanes()) + drawn(self.pools)
    }

    /// Charts over time that mark the timeline's events.
    fn marked_charts(&self) -> f64 {
        2.0 + f64::from(self.deployment_lanes() > 0.0)
    }
}

/// Whether deployments get time-series lanes of their own (as the engine's
/// layout decides): when supply changes in time or a region holds several.
fn deployment_lanes(world: &World) -> bool {
    let mut seen = vec![false; world.regions().len()];
    !world.timeline().is_empty()
        || world
            .deployments()
            .iter()
            .any(|d| std::mem::replace(&mut seen[d.region], true))
}

/// The timeline's marks and the curves over time on the charts, bytes
/// (none without charts).
fn charted(s: &Shape, cmd: &Command) -> (f64, f64) {
    if !cmd.charts {
        return (0.0, 0.0);
    }
    let each = if s.events > crate::report::charts::MOST_MARKED as f64 {
        s.events * EVENT_TICK
    } else {
        s.events * EVENT_MARKS + s.ended * EVENT_END_MARKS
    };
    let marks = each * s.marked_charts();
    // A dashed curve is drawn through at most DASHED_POINTS points.
    let points = s.bins.min(crate::report::charts::DASHED_POINTS as f64);
    let dashed = s.dashed() * (points * DASHED_POINT).max(DASHED_WIDTH);
    (marks, s.bins * s.curves() * BIN_CURVE + dashed)
}

/// The peak of `cmd` on `world` with its worker `pools`.
pub(super) fn of(world: &World, pools: &[Pool], cmd: &Command) -> Memory {
    let s = Shape::of(world, pools.len());
    let (runs, threads) = (cmd.runs as f64, cmd.threads.max(1) as f64);
    let reps = f64::from(world.run().replications);
    let series = s.bins * (56.0 + 8.0 * s.regions + 20.0 * s.lanes + 40.0 * s.pools);
    // A replication's statistics, and the pooled ones of them all, whose
    // distributions hold every replication's values.
    let (dists, pooled_dists) = (
        distributions(world, pools.len(), 1.0),
        distributions(world, pools.len(), reps),
    );
    let per_pop = world.populations().len() as f64 * (8.0 * s.regions + 1_024.0);
    let stats = series + per_pop + dists + s.events * 64.0;
    let pooled_stats = stats - dists + pooled_dists;
    // A sample ring, 8 bytes a sample: a fixed pool's laid out once for its
    // count; a growing one's held with up to half as much room again, and
    // while it grows, the old one and the new at once (2.5 x its workers).
    // Then the worker's other figures and its life: a pool of 100 000
    // workers with a window of 5 holds about 170 bytes a worker beyond its
    // ring, in columns that grow by doubling.
    let rings: f64 = pools
        .iter()
        .map(|p| {
            let copies = if p.grows { 2.5 } else { 1.0 };
            p.workers * (copies * 8.0 * p.window + 300.0)
        })
        .sum();
    // A percentile is read from a histogram of the full layout, built for
    // the query: one at a time on each thread summing up a replication.
    let query = held((0.0, f64::INFINITY), f64::INFINITY);
    let engine = pending(world) * 48.0 + world.deployments().len() as f64 * 128.0 + rings + query;
    let batch = (2.0 * threads).min(reps);
    let pooled = f64::from(reps > 1.0);
    let figures = figures::of(world, &s, pools.len(), runs, batch);
    let simulating = runs * (batch * stats + pooled * pooled_stats + threads.min(reps) * engine)
        + figures.simulating;
    let csv = s.bins * s.columns() * CSV_CELL;
    let rows = s.events * (EVENT_ROWS + EVENT_FIGURES * reps);
    let (marks, curves) = charted(&s, cmd);
    // The summaries' distributions over every population, merged.
    let overall = pooled_dists.min(3.0 * query);
    let reporting = runs * pooled_stats + overall + csv + rows + marks + curves + figures.reporting;
    let (world_bytes, cities) = world_bytes(world, &s);
    let bins = if simulating > reporting {
        runs * (batch + pooled) * series
    } else {
        csv + curves + runs * series
    };
    let ring_share = threads.min(reps) * runs * rings;
    let terms = [
        (bins, "run.bin".to_string()),
        (rows + marks, "timeline".to_string()),
        (
            cities + runs * (batch * dists + pooled * pooled_dists),
            "populations".to_string(),
        ),
        (ring_share, widest_ring(pools)),
    ];
    let bytes = world_bytes + simulating.max(reporting);
    let top = terms.into_iter().max_by(|a, b| a.0.total_cmp(&b.0));
    Memory {
        bytes,
        cause: top.filter(|t| t.0 > 0.5 * bytes).map(|t| t.1),
    }
}

/// Bytes of the world itself, and of its cities alone: their RTT rows and
/// their records while read; a replayed trace's rows, 16 bytes each, read
/// into a vector that grows by doubling (its spare room partly touched);
/// the deployments and timeline events read.
fn world_bytes(world: &World, s: &Shape) -> (f64, f64) {
    let n_cities = world.cities().len() as f64;
    let cities = (n_cities + s.regions) * s.regions * 8.0 + n_cities * CITY_READ;
    let traces: f64 = (world.populations().iter())
        .filter_map(|p| p.trace.as_ref())
        .map(|t| 24.0 * t.rows.len() as f64)
        .sum();
    let deployments = world.deployments().len() as f64 * DEPLOYMENT_READ;
    (cities + traces + deployments + s.events * 400.0, cities)
}

/// The `window` of the pool with the largest sample ring.
fn widest_ring(pools: &[Pool]) -> String {
    let p = pools
        .iter()
        .max_by(|a, b| (a.workers * a.window).total_cmp(&(b.workers * b.window)));
    p.map_or(String::new(), |p| {
        format!("deployments[{}].workers.window", p.deployment)
    })
}

/// Events pending at once: a departure per session in progress at the
/// busiest hour (at most the capacity), a timer per waiting user, each
/// population's next arrival.
fn pending(world: &World) -> f64 {
    let load: f64 = (0..world.populations().len())
        .map(|p| world.peak_offered_load(p))
        .sum();
    let capacity: f64 = world
        .deployments()
        .iter()
        .map(|d| match &d.workers {
            Some(w) => w.most_capacity() as f64,
            None => f64::from(d.capacity),
        })
        .sum();
    1.5 * load.min(capacity) + world.populations().len() as f64 + 16.0
}

/// How many of `n` lanes (regions, deployments, pools) a chart draws.
fn drawn(n: f64) -> f64 {
    n.min(crate::report::charts::MAX_CURVES as f64)
}
