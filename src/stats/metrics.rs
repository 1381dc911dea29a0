//! The metric catalogue: every figure a [`Summary`] reports, defined once with its
//! stable name (the `summary.json` key), label, unit, how replications are
//! aggregated and whether comparisons and sweeps tabulate it.
//!
//! Aggregation over replications ([`Summary::visit`]) and every report
//! (`summary.json`, `summary.md`, `report.html`, sweep and comparison tables,
//! `replications.csv`) walk these lists, so adding a metric to a summary means
//! one field computed in `summary.rs` and one entry here. A field left out of
//! the catalogue is caught by the `summary_visit_reaches_every_field` test.

use super::summary::{DistSummary, PopulationSummary, RegionSummary, Summary, ValueKind};
use super::workers::WorkerSummary;

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

const YES: &[Stat] = &[Stat::Mean];
const NO: &[Stat] = &[];

macro_rules! scalar {
    ($($f:ident).+) => {
        Value::Scalar(|s| s.$($f).+, |s| &mut s.$($f).+)
    };
}

macro_rules! dist {
    ($f:ident) => {
        Value::Dist(|s| &s.$f, |s| &mut s.$f)
    };
}

macro_rules! metric {
    ($key:literal, $label:literal, $unit:ident, $value:expr, $headline:expr) => {
        Metric {
            key: $key,
            label: $label,
            unit: Unit::$unit,
            value: $value,
            headline: $headline,
            tabulated: true,
            kind: ValueKind::Mean,
        }
    };
    ($key:literal, $label:literal, $unit:ident, $value:expr, $headline:expr, untabulated) => {
        Metric {
            tabulated: false,
            ..metric!($key, $label, $unit, $value, $headline)
        }
    };
    ($key:literal, $label:literal, $unit:ident, $value:expr, $headline:expr, pooled) => {
        Metric {
            kind: ValueKind::Pooled,
            ..metric!($key, $label, $unit, $value, $headline)
        }
    };
}

/// Run-wide metrics, in `summary.json` order.
#[rustfmt::skip]
pub const SUMMARY_METRICS: &[Metric<Summary>] = &[
    metric!("sessions", "sessions", Count, scalar!(sessions), YES),
    metric!("served", "served", Count, scalar!(served), NO),
    metric!("served_home", "served in their home region", Count, scalar!(served_home), NO),
    metric!("overflow", "served elsewhere (overflow)", Count, scalar!(overflow), NO),
    metric!("rejected", "rejected", Count, scalar!(rejected), NO),
    metric!("abandoned", "abandoned", Count, scalar!(abandoned), NO),
    metric!("pending_at_horizon", "pending at the horizon", Count, scalar!(pending_at_horizon), NO),
    metric!("running_at_horizon", "holding a slot at the horizon", Count, scalar!(running_at_horizon), NO),
    metric!("completed", "completed before the horizon", Count, scalar!(completed), NO),
    metric!("interrupted", "interrupted (cut by a drain or an outage)", Count, scalar!(interrupted), NO),
    metric!("redispatched", "redispatched after a failure", Count, scalar!(redispatched), NO),
    metric!("rejected_queue_full", "rejected: queue full (max_queue)", Count, scalar!(rejected_queue_full), NO),
    metric!("overflow_rate", "overflow rate", Share, scalar!(overflow_rate), YES),
    metric!("rejection_rate", "rejection rate", Share, scalar!(rejection_rate), YES),
    metric!("abandonment_rate", "abandonment rate", Share, scalar!(abandonment_rate), YES),
    metric!("rejection_abandonment_rate", "without an agent (rejected or abandoned)", Share, scalar!(rejection_abandonment_rate), NO),
    metric!("interruption_rate", "interrupted (share of served)", Share, scalar!(interruption_rate), NO),
    metric!("redispatch_rate", "redispatched (share of served)", Share, scalar!(redispatch_rate), NO),
    metric!("wait_probability", "waited for an agent (share of served)", Share, scalar!(wait_probability), NO),
    metric!("media_rtt_ms", "media RTT", Ms, dist!(media_rtt_ms), &[Stat::Mean, Stat::P50, Stat::P95, Stat::P99]),
    metric!("join_latency_ms", "join latency", Ms, dist!(join_latency_ms), &[Stat::Mean, Stat::P95, Stat::P99]),
    metric!("wait_ms", "wait", Ms, dist!(wait_ms), YES),
    metric!("slo_attainment.media_rtt", "SLO attainment: media RTT", Share, scalar!(slo_rtt), YES),
    metric!("slo_attainment.join_latency", "SLO attainment: join latency", Share, scalar!(slo_join), YES),
    metric!("slo_attainment.both", "SLO attainment: both", Share, scalar!(slo_both), YES),
    metric!("utilization", "utilisation (all regions)", Share, scalar!(utilization), NO),
    metric!("littles_law.l", "Little's law: L (busy slots)", Slots, scalar!(little_l), NO),
    metric!("littles_law.lambda_w", "Little's law: λW", Slots, scalar!(little_lambda_w), NO),
];

/// Per-region metrics, in `summary.json` order.
#[rustfmt::skip]
pub const REGION_METRICS: &[Metric<RegionSummary>] = &[
    metric!("capacity", "capacity", Slots, scalar!(capacity), NO),
    metric!("utilization", "utilisation", Share, scalar!(utilization), YES),
    metric!("mean_concurrency", "mean concurrency", Slots, scalar!(mean_concurrency), NO),
    metric!("concurrency_variance", "concurrency variance", SlotsSquared, scalar!(concurrency_variance), NO),
    metric!("peak_concurrency", "peak concurrency", Slots, scalar!(peak_concurrency), NO),
    metric!("served", "served", Count, scalar!(served), NO),
    metric!("overflow_in", "overflow in", Count, scalar!(overflow_in), YES),
    metric!("interrupted", "interrupted", Count, scalar!(interrupted), NO),
    metric!("redispatched", "redispatched away", Count, scalar!(redispatched), NO),
];

/// Per-population metrics, in `summary.json` order.
#[rustfmt::skip]
pub const POPULATION_METRICS: &[Metric<PopulationSummary>] = &[
    metric!("sessions", "sessions", Count, scalar!(sessions), NO),
    metric!("served", "served", Count, scalar!(served), NO),
    metric!("overflow_rate", "overflow", Share, scalar!(overflow_rate), YES),
    metric!("rejection_rate", "rejection", Share, scalar!(rejection_rate), NO),
    metric!("abandonment_rate", "abandonment", Share, scalar!(abandonment_rate), NO),
    metric!("rejection_abandonment_rate", "without an agent", Share, scalar!(rejection_abandonment_rate), NO, untabulated),
    metric!("wait_probability", "waited", Share, scalar!(wait_probability), NO),
    metric!("interruption_rate", "interrupted", Share, scalar!(interruption_rate), NO),
    metric!("redispatch_rate", "redispatched", Share, scalar!(redispatch_rate), NO),
    metric!("served_by", "served by", Share, Value::PerRegion(|s| &s.served_by, |s| &mut s.served_by), NO),
    metric!("media_rtt_ms", "RTT", Ms, dist!(media_rtt_ms), &[Stat::P95]),
    metric!("join_latency_ms", "join", Ms, dist!(join_latency_ms), NO),
    metric!("wait_ms", "wait", Ms, dist!(wait_ms), NO, untabulated),
    metric!("slo_attainment.media_rtt", "SLO: RTT", Share, scalar!(slo_rtt), NO, untabulated),
    metric!("slo_attainment.join_latency", "SLO: join", Share, scalar!(slo_join), NO, untabulated),
    metric!("slo_attainment.both", "within both SLO targets", Share, scalar!(slo_both), NO),
];

/// Per worker deployment, in `summary.json`'s `workers` order.
#[rustfmt::skip]
pub const WORKER_METRICS: &[Metric<WorkerSummary>] = &[
    metric!("worker_hours", "worker-hours", Hours, scalar!(worker_hours), NO),
    metric!("mean_workers", "mean workers", Workers, scalar!(mean_workers), NO),
    metric!("cold_starts", "cold starts", Count, scalar!(cold_starts), NO),
    metric!("process_starts", "process starts", Count, scalar!(process_starts), NO),
    metric!("jobs", "jobs", Count, scalar!(jobs), NO),
    metric!("over_admission_rate", "over-admitted", Share, scalar!(over_admission_rate), NO, pooled),
    metric!("overloaded_session_share", "overloaded", Share, scalar!(overloaded_session_share), NO, pooled),
    metric!("cold_start_job_share", "jobs that waited for a cold start", Share, scalar!(cold_start_job_share), NO, pooled),
    metric!("peak_true_load", "peak true load", Load, scalar!(peak_true_load), NO, pooled),
    metric!("peak_reported_load", "peak reported load", Load, scalar!(peak_reported_load), NO, pooled),
    metric!("mean_true_load", "mean true load", Load, scalar!(mean_true_load), NO, pooled),
    metric!("join_split_ms.dispatch", "join split: dispatch", Ms, scalar!(dispatch_ms), NO, pooled),
    metric!("join_split_ms.process_start", "join split: process start", Ms, scalar!(process_start_ms), NO, pooled),
    metric!("join_split_ms.cold_start", "join split: cold start", Ms, scalar!(cold_start_ms), NO, pooled),
    metric!("join_latency_ms", "join latency", Ms, dist!(join_latency_ms), NO),
];

/// One number of a metric: the metric itself, or one statistic of a distribution.
pub struct Scalar<S: 'static> {
    /// The metric.
    pub metric: &'static Metric<S>,
    /// The statistic, for a distribution.
    pub stat: Option<Stat>,
}

// By hand: a derive would require `S: Copy`.
impl<S> Clone for Scalar<S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S> Copy for Scalar<S> {}

impl<S> Scalar<S> {
    /// Stable name, e.g. `overflow_rate` or `media_rtt_ms.p95`.
    pub fn key(&self) -> String {
        match self.stat {
            Some(st) => format!("{}.{}", self.metric.key, st.key()),
            None => self.metric.key.to_string(),
        }
    }

    /// Name for people, e.g. `media RTT p95 (ms)`.
    pub fn label(&self) -> String {
        match self.stat {
            Some(st) => format!("{} {}", self.metric.label, st.label()),
            None => self.metric.label.to_string(),
        }
    }

    /// Unit.
    pub fn unit(&self) -> Unit {
        self.metric.unit
    }

    /// The value in `s` (NaN for a per-region metric, which is not a scalar).
    pub fn get(&self, s: &S) -> f64 {
        match (&self.metric.value, self.stat) {
            (Value::Scalar(get, _), _) => get(s),
            (Value::Dist(get, _), Some(st)) => st.of(get(s)),
            _ => f64::NAN,
        }
    }
}

/// Every scalar of a catalogue, distributions expanded, in catalogue order.
pub fn scalars<S>(metrics: &'static [Metric<S>]) -> Vec<Scalar<S>> {
    metrics
        .iter()
        .flat_map(|m| match m.value {
            Value::Scalar(..) => vec![Scalar {
                metric: m,
                stat: None,
            }],
            Value::Dist(..) => Stat::ALL
                .iter()
                .map(|&st| Scalar {
                    metric: m,
                    stat: Some(st),
                })
                .collect(),
            Value::PerRegion(..) => Vec::new(),
        })
        .collect()
}

/// The scalars comparisons and sweeps tabulate, in catalogue order.
pub fn headline<S>(metrics: &'static [Metric<S>]) -> Vec<Scalar<S>> {
    scalars(metrics)
        .into_iter()
        .filter(|s| s.metric.headline.contains(&s.stat.unwrap_or(Stat::Mean)))
        .collect()
}

/// Walk every number of `s` that `metrics` defines, in catalogue order.
pub(super) fn visit<S>(
    metrics: &'static [Metric<S>],
    s: &mut S,
    f: &mut impl FnMut(ValueKind, &mut f64),
) {
    for m in metrics {
        match m.value {
            Value::Scalar(_, get) => f(m.kind, get(s)),
            Value::Dist(_, get) => {
                let d = get(s);
                for st in Stat::ALL {
                    f(st.kind(), st.of_mut(d));
                }
            }
            Value::PerRegion(_, get) => get(s).iter_mut().for_each(|v| f(ValueKind::Mean, v)),
        }
    }
}

impl Summary {
    /// Walk every number the metric catalogue defines, in a fixed order (the
    /// same for all summaries of a world).
    pub fn visit(&mut self, f: &mut impl FnMut(ValueKind, &mut f64)) {
        visit(SUMMARY_METRICS, self, f);
        for r in &mut self.regions {
            visit(REGION_METRICS, r, f);
        }
        for p in &mut self.populations {
            visit(POPULATION_METRICS, p, f);
        }
        for w in &mut self.workers {
            visit(WORKER_METRICS, w, f);
        }
    }
}

/// One number of a summary, run-wide or one region's or one population's:
/// what a sweep charts and what a planning target constrains, read the same
/// way from the same catalogue.
#[derive(Clone, Copy)]
pub enum Pick {
    /// A run-wide scalar.
    Run(Scalar<Summary>),
    /// A scalar of region `.0`.
    Region(usize, Scalar<RegionSummary>),
    /// A scalar of population `.0`.
    Population(usize, Scalar<PopulationSummary>),
    /// A scalar of the worker deployments: the largest (worst) of theirs.
    Workers(Scalar<WorkerSummary>),
}

fn named<S>(metrics: &'static [Metric<S>], key: &str) -> Option<Scalar<S>> {
    scalars(metrics).into_iter().find(|m| m.key() == key)
}

impl Pick {
    /// The run-wide scalar named `key` (`overflow_rate`, `media_rtt_ms.p95`).
    pub fn run(key: &str) -> Option<Self> {
        named(SUMMARY_METRICS, key).map(Self::Run)
    }

    /// Region `r`'s scalar named `key`.
    pub fn region(r: usize, key: &str) -> Option<Self> {
        named(REGION_METRICS, key).map(|m| Self::Region(r, m))
    }

    /// Population `p`'s scalar named `key`.
    pub fn population(p: usize, key: &str) -> Option<Self> {
        named(POPULATION_METRICS, key).map(|m| Self::Population(p, m))
    }

    /// The worker deployments' scalar named `key`, read at the worst of them.
    pub fn workers(key: &str) -> Option<Self> {
        named(WORKER_METRICS, key).map(Self::Workers)
    }

    /// The metric's own name, without its region or population.
    pub fn key(&self) -> String {
        match self {
            Self::Run(m) => m.key(),
            Self::Region(_, m) => m.key(),
            Self::Population(_, m) => m.key(),
            Self::Workers(m) => m.key(),
        }
    }

    /// The metric's name for people, without its region or population.
    pub fn label(&self) -> String {
        match self {
            Self::Run(m) => m.label(),
            Self::Region(_, m) => m.label(),
            Self::Population(_, m) => m.label(),
            Self::Workers(m) => m.label(),
        }
    }

    /// Its unit.
    pub fn unit(&self) -> Unit {
        match self {
            Self::Run(m) => m.unit(),
            Self::Region(_, m) => m.unit(),
            Self::Population(_, m) => m.unit(),
            Self::Workers(m) => m.unit(),
        }
    }

    /// Its value in `s` (NaN when `s` lacks the region or population, or has
    /// no worker deployment).
    pub fn get(&self, s: &Summary) -> f64 {
        match *self {
            Self::Run(m) => m.get(s),
            Self::Region(r, m) => s.regions.get(r).map_or(f64::NAN, |x| m.get(x)),
            Self::Population(p, m) => s.populations.get(p).map_or(f64::NAN, |x| m.get(x)),
            Self::Workers(m) => s
                .workers
                .iter()
                .map(|w| m.get(w))
                .reduce(f64::max)
                .unwrap_or(f64::NAN),
        }
    }
}
