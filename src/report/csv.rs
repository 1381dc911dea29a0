//! `timeseries.csv`: one row per time bin, averaged over replications.

use std::fmt::Write;

use crate::experiment::Estimate;
use crate::model::World;

/// The `timeseries.csv` text.
pub fn timeseries_csv(world: &World, est: &Estimate) -> String {
    let ts = &est.pooled.series;
    let runs = ts.runs as f64;
    let mut s = String::from("bin_start_s,bin_end_s,arrivals,served,overflow,rejected,abandoned");
    for r in &world.regions {
        let _ = write!(s, ",{0}_concurrency,{0}_peak,{0}_capacity", r.id);
    }
    s.push('\n');
    for (b, c) in ts.counts.iter().enumerate() {
        let start = b as f64 * ts.bin_s;
        let end = (start + ts.bin_s).min(world.run.horizon_s);
        let width = end - start;
        let _ = write!(
            s,
            "{start},{end},{},{},{},{},{}",
            c.arrivals as f64 / runs,
            c.served as f64 / runs,
            c.overflow as f64 / runs,
            c.rejected as f64 / runs,
            c.abandoned as f64 / runs
        );
        for r in 0..ts.regions {
            let i = b * ts.regions + r;
            let _ = write!(
                s,
                ",{:.4},{},{:.4}",
                ts.busy_area[i] / (width * runs),
                ts.peak[i],
                ts.capacity_area[i] / (width * runs)
            );
        }
        s.push('\n');
    }
    s
}
