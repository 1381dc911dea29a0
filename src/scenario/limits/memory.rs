//! What a command holds at its peak, term by term: the world; while
//! simulating, the statistics of every replication in flight and the engines
//! of the running ones (event list, worker pools' sample rings); then the
//! pooled statistics and the reports, all rendered before anything is written
//! (`timeseries.csv`, a row per timeline event in the summaries, the charts).
//!
//! Each term counts the bytes its data structures hold; the reports' terms
//! (text cells, SVG paths and marker lines, each again in `report.html`)
//! were measured. The process's fixed share (code, font) is left out.

use super::work::Pool;
use super::Command;
use crate::model::World;

/// Bytes per cell of `timeseries.csv` while it is built: the cell with its
/// row's spare room, its text on the heap, its share of the file.
const CSV_CELL: f64 = 80.0;
/// Bytes per timeline event in the summaries (JSON tree, Markdown rows) and
/// the world.
const EVENT_ROWS: f64 = 3_000.0;
/// Bytes per timeline event and replication: its figures kept per
/// replication for the confidence intervals.
const EVENT_FIGURES: f64 = 200.0;
/// Bytes per timeline event on a chart over time: its marker lines and label
/// in the SVG, again in `report.html`, with the strings' spare room.
const EVENT_MARKS: f64 = 12_000.0;
/// Bytes per time bin of a curve on a chart over time, SVG and `report.html`.
const BIN_CURVE: f64 = 35.0;

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
    pools: f64,
}

impl Shape {
    fn of(world: &World, pools: usize) -> Self {
        let regions = world.regions.len();
        let hosting = (0..regions)
            .filter(|&r| world.deployments.iter().any(|d| d.region == r))
            .count();
        let deployment_lanes = if deployment_lanes(world) {
            world.deployments.len()
        } else {
            0
        };
        Self {
            bins: (world.run.horizon_s / world.run.bin_s).ceil().max(1.0),
            regions: regions as f64,
            hosting: hosting as f64,
            lanes: (regions + deployment_lanes) as f64,
            events: world.timeline.len() as f64,
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
    /// workers and loads.
    fn curves(&self) -> f64 {
        3.0 * self.hosting + 2.0 * self.deployment_lanes() + 3.0 * self.pools
    }

    /// Charts over time that mark the timeline's events.
    fn marked_charts(&self) -> f64 {
        2.0 + f64::from(self.deployment_lanes() > 0.0)
    }
}

/// Whether deployments get time-series lanes of their own (as the engine's
/// layout decides): when supply changes in time or a region holds several.
fn deployment_lanes(world: &World) -> bool {
    let mut seen = vec![false; world.regions.len()];
    !world.timeline.is_empty()
        || world
            .deployments
            .iter()
            .any(|d| std::mem::replace(&mut seen[d.region], true))
}

/// The peak of `cmd` on `world` with its worker `pools`.
pub(super) fn of(world: &World, pools: &[Pool], cmd: &Command) -> Memory {
    let s = Shape::of(world, pools.len());
    let (runs, threads) = (cmd.runs as f64, cmd.threads.max(1) as f64);
    let reps = f64::from(world.run.replications);
    let series = s.bins * (56.0 + 8.0 * s.regions + 20.0 * s.lanes + 40.0 * s.pools);
    let per_pop = world.populations.len() as f64 * (8.0 * s.regions + 16_384.0);
    let stats = series + per_pop + s.events * 64.0;
    // Two copies of a ring while a new worker's column is added.
    let rings: f64 = pools
        .iter()
        .map(|p| p.workers * (16.0 * p.window + 256.0))
        .sum();
    let engine = pending(world) * 48.0 + world.deployments.len() as f64 * 128.0 + rings;
    let batch = (2.0 * threads).min(reps);
    let pooled = f64::from(reps > 1.0);
    let simulating = runs * ((batch + pooled) * stats + threads.min(reps) * engine);
    let csv = s.bins * s.columns() * CSV_CELL;
    let rows = s.events * (EVENT_ROWS + EVENT_FIGURES * reps);
    let (marks, curves) = if cmd.charts {
        let marks = s.events * s.marked_charts() * EVENT_MARKS;
        (marks, s.bins * s.curves() * BIN_CURVE)
    } else {
        (0.0, 0.0)
    };
    let reporting = runs * stats + csv + rows + marks + curves;
    let cities = (world.cities.len() as f64 + s.regions) * s.regions * 8.0;
    let world_bytes = cities + s.events * 400.0;
    let bins = if simulating > reporting {
        runs * (batch + pooled) * series
    } else {
        csv + curves + runs * series
    };
    let ring_share = threads.min(reps) * runs * rings;
    let terms = [
        (bins, "run.bin".to_string()),
        (rows + marks, "timeline".to_string()),
        (cities, "populations".to_string()),
        (ring_share, widest_ring(pools)),
    ];
    let bytes = world_bytes + simulating.max(reporting);
    let top = terms.into_iter().max_by(|a, b| a.0.total_cmp(&b.0));
    Memory {
        bytes,
        cause: top.filter(|t| t.0 > 0.5 * bytes).map(|t| t.1),
    }
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
    let load: f64 = (0..world.populations.len())
        .map(|p| world.peak_offered_load(p))
        .sum();
    let capacity: f64 = world
        .deployments
        .iter()
        .map(|d| match &d.workers {
            Some(w) => w.most_capacity() as f64,
            None => f64::from(d.capacity),
        })
        .sum();
    1.5 * load.min(capacity) + world.populations.len() as f64 + 16.0
}
