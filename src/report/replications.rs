//! `replications.csv`: one row per replication with every run-wide scalar of the
//! metric catalogue, so differences, products or other statistics of the figures
//! get honest intervals in pandas or R. Numbers are written in shortest
//! round-trip form: the mean of a column, summed in row order, is exactly the
//! summary's point estimate (percentiles excepted: the summary's come from the
//! pooled distribution, a row's from its own replication).

use super::csv_table::{render, Cell};
use crate::experiment::Estimate;
use crate::stats::metrics::{scalars, SUMMARY_METRICS};

/// The `replications.csv` text.
pub fn replications_csv(est: &Estimate) -> String {
    let cols = scalars(SUMMARY_METRICS);
    let header: Vec<String> = std::iter::once("replication".to_string())
        .chain(cols.iter().map(|s| s.key()))
        .collect();
    let rows: Vec<Vec<Cell>> = (0..est.runs.len())
        .map(|i| {
            let s = est.replication(i);
            std::iter::once(Cell::num(i as f64))
                .chain(cols.iter().map(|c| Cell::num(c.get(&s))))
                .collect()
        })
        .collect();
    render(&header, &rows)
}
