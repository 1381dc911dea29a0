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
use super::Command;
use crate::model::{OnFull, Patience, Population, World};
use crate::scenario::warnings::on_full;
use crate::stats::{chunks_spanned, CHUNK_BYTES};

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

/// Bytes per value of `summary.json` while it is written: its entry in an
/// object (key, value, hash, the index's slot, the spare room of growing by
/// doubling) and its pretty-printed text, about 30 bytes. Measured (GNU
/// time, above the estimate's other terms): 10 000 populations of 76 values
/// each took 16.6 kB a population more, 10 000 worker deployments of 49
/// values 15 kB a deployment.
const SUMMARY_VALUE: f64 = 350.0;

/// Bytes per value of `sweep.json`'s text: about 28 bytes pretty-printed, in
/// a string that grows by doubling (and is copied as it does). Measured: a
/// sweep of 40 points of 184 000 figures each wrote 205 MB.
const SUMMARY_TEXT: f64 = 80.0;

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
    let (figures, row) = figures(world, pools.len());
    // Each replication's row of run-wide figures, kept for replications.csv.
    let rows_kept = runs * reps * row;
    let simulating = runs * (batch * stats + pooled * pooled_stats + threads.min(reps) * engine)
        + runs * figures * (4.0 + 2.0 * batch)
        + rows_kept;
    let csv = s.bins * s.columns() * CSV_CELL;
    let rows = s.events * (EVENT_ROWS + EVENT_FIGURES * reps);
    let (marks, curves) = if cmd.charts {
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
    } else {
        (0.0, 0.0)
    };
    // The summaries' distributions over every population, merged.
    let overall = pooled_dists.min(3.0 * query);
    // The point and half-width estimates and the estimators' means and
    // spreads they come from; replications.csv's cells.
    let replications_csv = reps * (row / 8.0 + 1.0) * CSV_CELL;
    let reporting = runs * pooled_stats
        + overall
        + csv
        + rows
        + marks
        + curves
        + summary(world, &s, pools.len())
        + runs * 4.0 * figures
        + rows_kept
        + replications_csv;
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

/// Bytes of `summary.json` while it is written: every figure of the run, of
/// each region, population and worker pool, and its half-width, as
/// `report::json_values` lays them out. A per-region figure lists the
/// regions that served the population: at most those hosting agents, and
/// at most one per session it is likely to have over the replications.
fn summary(world: &World, s: &Shape, pools: usize) -> f64 {
    use crate::report::json_values::values_put;
    use crate::stats::metrics::{
        POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS,
    };
    let (hosting, horizon) = (s.hosting as usize, world.run().horizon_s);
    let reps = f64::from(world.run().replications);
    // Each item's object and its fields beside the catalogue's (id and name,
    // the peak loads, the label, sizing and sessions a worker).
    let populations: usize = (0..world.populations().len())
        .map(|i| {
            let sessions = world.expected_arrivals(i, 0.0, horizon) * reps + 1.0;
            4 + values_put(POPULATION_METRICS, hosting.min(sessions.ceil() as usize))
        })
        .sum();
    let values = values_put(SUMMARY_METRICS, hosting)
        + world.regions().len() * (3 + values_put(REGION_METRICS, hosting))
        + populations
        + pools * (4 + values_put(WORKER_METRICS, hosting));
    values as f64 * SUMMARY_VALUE
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

/// Bytes a sweep holds of each point beyond its run: its world (a sweep
/// builds every point's world before the first runs), its point and
/// half-width estimates once it has run, and its text in `sweep.json`,
/// written a point at a time into one string (its figures laid out as in
/// `summary.json`, `SUMMARY_TEXT` bytes each).
pub(super) fn kept(world: &World, pools: &[Pool]) -> f64 {
    let s = Shape::of(world, pools.len());
    let text = summary(world, &s, pools.len()) / SUMMARY_VALUE * SUMMARY_TEXT;
    world_bytes(world, &s).0 + 2.0 * figures(world, pools.len()).0 + text
}

/// Bytes of a summary's scalars (every number the metric catalogue defines
/// for the run, its regions, populations and worker pools: a population
/// holds a share for each region), and of a replication's row of run-wide
/// ones. The scalars are copied in each replication in flight (its summary
/// and its scalars) and in the estimators (a mean and a spread each): in a
/// world of 10 000 populations and 1 000 regions, 80 MB a copy.
fn figures(world: &World, pools: usize) -> (f64, f64) {
    use crate::stats::metrics::{
        visited, POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS,
    };
    let regions = world.regions().len();
    let run = visited(SUMMARY_METRICS, regions);
    let all = run
        + regions * visited(REGION_METRICS, regions)
        + world.populations().len() * visited(POPULATION_METRICS, regions)
        + pools * visited(WORKER_METRICS, regions);
    // A row is a vector of its own: its numbers and the allocation's header.
    (8.0 * all as f64, 8.0 * run as f64 + 48.0)
}

/// Bytes of the latency distributions of statistics over `reps`
/// replications: each population's media RTT, join latency and wait, each
/// worker pool's join latency, the timeline's rejoin latency. A distribution
/// allocates a chunk of counts (`stats/histogram.rs`) for each stretch of
/// values one lands in: at most as many as the values it is likely to take
/// span (their range, from the distributions that make them: patience, dispatch,
/// start-up, a worker pool's cold and process starts, jitter, the cities'
/// RTTs), and at most one per value recorded.
/// An upper bound: how many users wait, and how long, is up to the run.
fn distributions(world: &World, pools: usize, reps: f64) -> f64 {
    let horizon = world.run().horizon_s;
    let values: Vec<f64> = (0..world.populations().len())
        .map(|i| world.expected_arrivals(i, 0.0, horizon) * reps + 1.0)
        .collect();
    let all: f64 = values.iter().sum();
    let delays = &world.delays();
    let (dispatch, startup) = (delays.dispatch.span(all), delays.startup.span(all));
    let jitter = delays.jitter.span(all);
    // A job on a worker pool may also wait for a worker's cold start (and
    // the autoscaler's next look) and for a job process to start.
    let pool_wait = (world.deployments().iter())
        .filter_map(|d| d.workers.as_ref())
        .map(|w| {
            let cold =
                (w.autoscale.as_ref()).map_or(0.0, |a| a.provisioning.span(all).1 + a.interval_s);
            cold + w.process_start.span(all).1
        })
        .fold(0.0, f64::max);
    let mut total = 0.0;
    let mut widest_join = (f64::INFINITY, 0.0f64);
    // Users wait only where the policy queues them.
    let queues = on_full(world.policy()) == OnFull::Wait;
    for (p, &values) in world.populations().iter().zip(&values) {
        let wait_s = if queues {
            longest_wait(p, values, horizon)
        } else {
            0.0
        };
        let join_s = (
            dispatch.0 + startup.0,
            wait_s + pool_wait + dispatch.1 + startup.1,
        );
        widest_join = (widest_join.0.min(join_s.0), widest_join.1.max(join_s.1));
        let (rtt, distinct) = rtts(world, p);
        let rtt = (rtt.0 + 1e3 * jitter.0, rtt.1 + 1e3 * jitter.1);
        let rtt_values = if jitter.1 > 0.0 {
            values
        } else {
            values.min(distinct)
        };
        total += held(rtt, rtt_values)
            + held((1e3 * join_s.0, 1e3 * join_s.1), values)
            + held((0.0, 1e3 * wait_s), values);
    }
    if widest_join.0.is_finite() {
        // Each pool's join latency, and every job joins one pool: however
        // many pools share them, the values allocate one chunk each at most.
        let (chunks, listed) = chunks_spanned(1e3 * widest_join.0, 1e3 * widest_join.1);
        let pools = pools as f64;
        total += (pools * chunks as f64).min(all.max(pools)) * CHUNK_BYTES as f64
            + pools.min(all) * 8.0 * listed as f64;
    }
    if !world.timeline().is_empty() {
        // A rejoin after a failure: detection, waiting, dispatch, start-up.
        let longest = horizon + pool_wait + dispatch.1 + startup.1;
        total += held((0.0, 1e3 * longest), all);
    }
    total
}

/// Bytes of one distribution of `values` values in `range` (ms).
fn held(range: (f64, f64), values: f64) -> f64 {
    let (chunks, listed) = chunks_spanned(range.0, range.1);
    (chunks as f64).min(values.max(1.0)) * CHUNK_BYTES as f64 + 8.0 * listed as f64
}

/// The longest one of `values` users of `p` is likely to wait, seconds (0:
/// nobody waits).
fn longest_wait(p: &Population, values: f64, horizon: f64) -> f64 {
    match &p.patience {
        Patience::None => 0.0,
        Patience::Unlimited => horizon,
        Patience::Dist(d) => d.span(values).1.min(horizon),
    }
}

/// The least and the most base media RTT (ms) from `p`'s cities to any
/// region, and how many distinct values there are at most.
fn rtts(world: &World, p: &Population) -> ((f64, f64), f64) {
    let mut range = (f64::INFINITY, 0.0f64);
    let mut n = 0usize;
    for &c in &p.cities {
        for &r in &world.cities()[c].rtt_ms {
            range = (range.0.min(r), range.1.max(r));
            n += 1;
        }
    }
    if n == 0 {
        range = (0.0, 0.0);
    }
    (range, n as f64)
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
