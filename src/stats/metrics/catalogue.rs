//! The catalogue itself: every figure a summary reports, one entry each, in
//! `summary.json` order. The entry's position sets its place in every output,
//! so new metrics are appended; the macros keep an entry to one line.

use super::metric::{Metric, Stat, Unit, Value};
use crate::stats::summary::{PopulationSummary, RegionSummary, Summary, ValueKind};
use crate::stats::workers::WorkerSummary;

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

/// Per worker deployment, in `summary.json`'s `workers` order; the headline
/// ones are `sweep.csv`'s columns for each worker deployment.
#[rustfmt::skip]
pub const WORKER_METRICS: &[Metric<WorkerSummary>] = &[
    metric!("worker_hours", "worker-hours", Hours, scalar!(worker_hours), YES),
    metric!("mean_workers", "mean workers", Workers, scalar!(mean_workers), NO),
    metric!("cold_starts", "cold starts", Count, scalar!(cold_starts), YES),
    metric!("process_starts", "process starts", Count, scalar!(process_starts), NO),
    metric!("jobs", "jobs", Count, scalar!(jobs), NO),
    metric!("over_admission_rate", "over-admitted", Share, scalar!(over_admission_rate), YES, pooled),
    metric!("overloaded_session_share", "overloaded", Share, scalar!(overloaded_session_share), YES, pooled),
    metric!("cold_start_job_share", "jobs that waited for a cold start", Share, scalar!(cold_start_job_share), YES, pooled),
    metric!("peak_true_load", "peak true load", Load, scalar!(peak_true_load), YES, pooled),
    metric!("peak_reported_load", "peak reported load", Load, scalar!(peak_reported_load), NO, pooled),
    metric!("mean_true_load", "mean true load", Load, scalar!(mean_true_load), NO, pooled),
    metric!("join_split_ms.dispatch", "join split: dispatch", Ms, scalar!(dispatch_ms), NO, pooled),
    metric!("join_split_ms.process_start", "join split: process start", Ms, scalar!(process_start_ms), NO, pooled),
    metric!("join_split_ms.cold_start", "join split: cold start", Ms, scalar!(cold_start_ms), NO, pooled),
    metric!("join_latency_ms", "join latency", Ms, dist!(join_latency_ms), &[Stat::P95]),
];
