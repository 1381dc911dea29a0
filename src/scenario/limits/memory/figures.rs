//! What the summaries' figures cost: each replication's scalars (a share
//! per population and region among them) while it is folded in, the
//! estimators' means and spreads, the point and half-width estimates, each
//! replication's row for `replications.csv`, `summary.json`'s tree while it
//! is written, and what a sweep holds of each finished point. A world of
//! many populations and regions has millions of figures, so these terms,
//! small for most worlds, can be most of its peak.

use super::{world_bytes, Shape, CSV_CELL};
use crate::model::World;
use crate::scenario::limits::work::Pool;

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

/// What the figures add to the peak while simulating and while reporting.
pub(super) struct Figures {
    pub simulating: f64,
    pub reporting: f64,
}

/// The figures of `runs` policies over the world's replications, `batch` of
/// them in flight at once.
pub(super) fn of(world: &World, s: &Shape, pools: usize, runs: f64, batch: f64) -> Figures {
    let reps = f64::from(world.run().replications);
    let (figures, row) = figures(world, pools);
    // Each replication's row of run-wide figures, kept for replications.csv.
    let rows_kept = runs * reps * row;
    let replications_csv = reps * (row / 8.0 + 1.0) * CSV_CELL;
    Figures {
        // A replication in flight holds its summary and its scalars; the
        // estimators a mean and a spread of each.
        simulating: runs * figures * (4.0 + 2.0 * batch) + rows_kept,
        // The point and half-width estimates and the means and spreads they
        // come from; summary.json; replications.csv's cells.
        reporting: summary_values(world, s, pools) * SUMMARY_VALUE
            + runs * 4.0 * figures
            + rows_kept
            + replications_csv,
    }
}

/// The values of `summary.json`: every figure of the run, of each region,
/// population and worker pool, and its half-width, as
/// `report::json_values` lays them out. A per-region figure lists the
/// regions that served the population: at most those hosting agents, and
/// at most one per session it is likely to have over the replications.
fn summary_values(world: &World, s: &Shape, pools: usize) -> f64 {
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
    values as f64
}

/// Bytes a sweep holds of each point beyond its run: its world (a sweep
/// builds every point's world before the first runs), its point and
/// half-width estimates once it has run, and its text in `sweep.json`,
/// written a point at a time into one string (its figures laid out as in
/// `summary.json`, `SUMMARY_TEXT` bytes each).
pub(in crate::scenario::limits) fn kept(world: &World, pools: &[Pool]) -> f64 {
    let s = Shape::of(world, pools.len());
    let text = summary_values(world, &s, pools.len()) * SUMMARY_TEXT;
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
