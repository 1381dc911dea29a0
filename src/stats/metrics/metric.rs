//! What a metric is: its unit, the statistics a distribution is read at, and
//! where its numbers live in a summary struct. Kept apart from the catalogue
//! (`catalogue.rs`) so an entry there is one line of these terms, and every
//! report reads any metric through the same accessors.

use crate::stats::summary::{DistSummary, ValueKind};

/// What a figure measures; fixes how it is printed and how a difference reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Sessions per replication.
    Count,
    /// A share in [0, 1]: printed as a percentage, differences in percentage points.
    Share,
    /// Milliseconds.
    Ms,
    /// Agent slots (capacity, concurrency, Little's L).
    Slots,
    /// Slots squared (variance of concurrency).
    SlotsSquared,
    /// Hours (worker-hours).
    Hours,
    /// Workers (time-averaged).
    Workers,
    /// A worker's load: its sessions' demand over its capacity (1 is full).
    Load,
}

/// One statistic of a distribution; each is a metric of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    /// Mean (aggregated as the mean of the replications' means).
    Mean,
    /// Median.
    P50,
    /// 90th percentile.
    P90,
    /// 95th percentile.
    P95,
    /// 99th percentile.
    P99,
    /// 99.9th percentile.
    P999,
}

impl Stat {
    /// Every statistic, in report order.
    pub const ALL: [Stat; 6] = [
        Stat::Mean,
        Stat::P50,
        Stat::P90,
        Stat::P95,
        Stat::P99,
        Stat::P999,
    ];

    /// Name in `summary.json`.
    pub fn key(self) -> &'static str {
        match self {
            Stat::Mean => "mean",
            Stat::P50 => "p50",
            Stat::P90 => "p90",
            Stat::P95 => "p95",
            Stat::P99 => "p99",
            Stat::P999 => "p999",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Stat::P999 => "p99.9",
            s => s.key(),
        }
    }

    /// Percentiles of pooled replications are more accurate than the mean of
    /// per-replication percentiles; the mean is exact either way.
    pub fn kind(self) -> ValueKind {
        match self {
            Stat::Mean => ValueKind::Mean,
            _ => ValueKind::Pooled,
        }
    }

    /// The value in a distribution summary.
    pub fn of(self, d: &DistSummary) -> f64 {
        let mut d = *d;
        *self.of_mut(&mut d)
    }

    /// The slot in a distribution summary.
    pub fn of_mut(self, d: &mut DistSummary) -> &mut f64 {
        match self {
            Stat::Mean => &mut d.mean,
            Stat::P50 => &mut d.p50,
            Stat::P90 => &mut d.p90,
            Stat::P95 => &mut d.p95,
            Stat::P99 => &mut d.p99,
            Stat::P999 => &mut d.p999,
        }
    }
}

/// Where a metric's numbers live in its summary struct `S`.
pub enum Value<S: 'static> {
    /// One number.
    Scalar(fn(&S) -> f64, fn(&mut S) -> &mut f64),
    /// A distribution: one number per [`Stat`].
    Dist(fn(&S) -> &DistSummary, fn(&mut S) -> &mut DistSummary),
    /// One number per region, in region order.
    PerRegion(fn(&S) -> &[f64], fn(&mut S) -> &mut Vec<f64>),
}

/// One metric of a summary struct `S` (`Summary`, `RegionSummary`, `PopulationSummary`).
pub struct Metric<S: 'static> {
    /// Stable name: the `summary.json` key, dotted for a nested object.
    pub key: &'static str,
    /// Name for people (table rows and chart axes).
    pub label: &'static str,
    /// Unit, which fixes formatting.
    pub unit: Unit,
    /// Where the numbers live.
    pub value: Value<S>,
    /// The statistics comparisons and sweeps tabulate ([`Stat::Mean`] alone
    /// stands for a scalar); empty for none.
    pub headline: &'static [Stat],
    /// Whether `summary.md` and `report.html` give it a column or row; the
    /// figures kept out (to keep tables readable) are in `summary.json`.
    pub tabulated: bool,
    /// For a scalar, how replications give its point estimate: the mean of
    /// theirs (counts, times) or the pooled replications' own (ratios of
    /// sums, peaks).
    pub kind: ValueKind,
}
