//! `timeseries.csv`: one row per time bin, averaged over replications.

use super::csv_table::{render, Cell};
use crate::experiment::Estimate;
use crate::model::World;

/// The columns: bin bounds and outcome counts, then per hosting region its
/// level, then who spilled, then per deployment lane and worker pool.
fn header(world: &World, est: &Estimate, hosting: &[usize]) -> Vec<String> {
    let ts = &est.pooled.series;
    let mut header: Vec<String> = [
        "bin_start_s",
        "bin_end_s",
        "arrivals",
        "served",
        "overflow",
        "rejected",
        "abandoned",
        "interrupted",
        "redispatched",
    ]
    .map(String::from)
    .to_vec();
    for &r in hosting {
        for col in ["concurrency", "peak", "capacity"] {
            header.push(format!("{}_{col}", world.regions()[r].id));
        }
    }
    for &r in hosting {
        header.push(format!("{}_overflow_out", world.regions()[r].id));
    }
    for d in world.deployments().iter().take(ts.deployment_lanes().len()) {
        for col in ["concurrency", "peak", "capacity"] {
            header.push(format!("{}_{col}", d.label(world.regions())));
        }
    }
    for w in &est.pooled.workers {
        let label = world.deployments()[w.deployment].label(world.regions());
        for col in ["workers", "true_load", "reported_load"] {
            header.push(format!("{label}_{col}"));
        }
    }
    header
}

/// The `timeseries.csv` text.
pub fn timeseries_csv(world: &World, est: &Estimate) -> String {
    let ts = &est.pooled.series;
    let runs = ts.runs as f64;
    // Regions no deployment ever lives in (media edges only) would be all zeros.
    let hosting: Vec<usize> = (0..ts.regions)
        .filter(|&r| world.deployments().iter().any(|d| d.region == r))
        .collect();
    let header = header(world, est, &hosting);
    let rows: Vec<Vec<Cell>> = ts
        .counts
        .iter()
        .enumerate()
        .map(|(b, c)| {
            let start = b as f64 * ts.bin_s;
            let end = (start + ts.bin_s).min(world.run().horizon_s);
            let width = end - start;
            let mut row: Vec<Cell> = [start, end]
                .into_iter()
                .chain(
                    [
                        c.arrivals,
                        c.served,
                        c.overflow,
                        c.rejected,
                        c.abandoned,
                        c.interrupted,
                        c.redispatched,
                    ]
                    .map(|n| n as f64 / runs),
                )
                .map(Cell::num)
                .collect();
            let level = |row: &mut Vec<Cell>, lane: usize| {
                let (busy, capacity, peak) = ts.lane_cell(b, lane);
                row.push(Cell::fixed(busy / (width * runs), 4));
                row.push(Cell::num(peak as f64));
                row.push(Cell::fixed(capacity / (width * runs), 4));
            };
            for &r in &hosting {
                level(&mut row, ts.region_lane(r));
            }
            // Who spilled: overflowed sessions by their home region.
            for &r in &hosting {
                let n = ts.overflow_out[ts.overflow_cell(b, r)];
                row.push(Cell::num(n as f64 / runs));
            }
            for lane in ts.deployment_lanes() {
                level(&mut row, lane);
            }
            for k in 0..est.pooled.workers.len() {
                let [workers, true_load, reported] = est.pooled.worker_levels(k, b, width);
                row.push(Cell::fixed(workers, 4));
                row.push(Cell::fixed(true_load, 4));
                row.push(Cell::fixed(reported, 4));
            }
            row
        })
        .collect();
    render(&header, &rows)
}
