//! The headline scalars comparisons and sweeps tabulate: the entries of the
//! metric catalogue marked as headline, looked up by their stable name.

use crate::stats::metrics::{self, Scalar, SUMMARY_METRICS};
use crate::stats::Summary;

/// A headline scalar of a summary.
pub type Headline = Scalar<Summary>;

/// Headline metrics, in catalogue order. Names match `summary.json` paths.
pub fn headlines() -> Vec<Headline> {
    metrics::headline(SUMMARY_METRICS)
}

/// Look a metric up by its stable name (any scalar of the catalogue, e.g.
/// `wait_probability` or `media_rtt_ms.p999`).
pub fn headline(name: &str) -> Option<Headline> {
    metrics::scalars(SUMMARY_METRICS)
        .into_iter()
        .find(|s| s.key() == name)
}
