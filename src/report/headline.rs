//! The headline scalars comparisons and sweeps tabulate, by stable name.

use crate::stats::Summary;

/// A named scalar of a summary.
pub type Headline = (&'static str, fn(&Summary) -> f64);

/// Headline metrics, in table order. Names match `summary.json` paths.
pub const HEADLINE: &[Headline] = &[
    ("sessions", |s| s.sessions),
    ("overflow_rate", |s| s.overflow_rate),
    ("rejection_rate", |s| s.rejection_rate),
    ("abandonment_rate", |s| s.abandonment_rate),
    ("media_rtt_ms.mean", |s| s.media_rtt_ms.mean),
    ("media_rtt_ms.p50", |s| s.media_rtt_ms.p50),
    ("media_rtt_ms.p95", |s| s.media_rtt_ms.p95),
    ("media_rtt_ms.p99", |s| s.media_rtt_ms.p99),
    ("join_latency_ms.mean", |s| s.join_latency_ms.mean),
    ("join_latency_ms.p95", |s| s.join_latency_ms.p95),
    ("join_latency_ms.p99", |s| s.join_latency_ms.p99),
    ("wait_ms.mean", |s| s.wait_ms.mean),
    ("slo_attainment.media_rtt", |s| s.slo_rtt),
    ("slo_attainment.join_latency", |s| s.slo_join),
    ("slo_attainment.both", |s| s.slo_both),
];

/// Look a headline metric up by name.
pub fn headline(name: &str) -> Option<Headline> {
    HEADLINE.iter().find(|(n, _)| *n == name).copied()
}
