//! The metric catalogue: every figure a [`Summary`](super::Summary) reports,
//! defined once with its stable name (the `summary.json` key), label, unit, how
//! replications are aggregated and whether comparisons and sweeps tabulate it.
//!
//! Aggregation over replications ([`Summary::visit`](super::Summary::visit))
//! and every report (`summary.json`, `summary.md`, `report.html`, sweep and
//! comparison tables, `replications.csv`) walk these lists, so adding a metric
//! to a summary means one field computed in `summary.rs` and one entry in
//! `catalogue.rs`. A field left out of the catalogue is caught by the
//! `summary_visit_reaches_every_field` test.
//!
//! What a metric is (`metric.rs`), the lists themselves (`catalogue.rs`), and
//! the ways they are read (number by number in `scalar.rs`, every number for
//! aggregation in `visit.rs`, one number by name in `pick.rs`) are kept
//! apart; everything is re-exported here, so callers name it all as
//! `stats::metrics::X`.

mod catalogue;
mod metric;
mod pick;
mod scalar;
mod visit;

pub use catalogue::{POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS};
pub use metric::{Metric, Stat, Unit, Value};
pub use pick::Pick;
pub use scalar::{headline, scalars, Scalar};
pub use visit::visited;
