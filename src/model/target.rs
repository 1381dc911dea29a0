//! Planning targets: what `regionsim plan` must keep true, each on one metric,
//! overall or for one population (or, for utilisation, one region).
//!
//! The metric fixes the direction: rates, latencies and waits are upper limits,
//! attainment shares and utilisation are floors. Each metric is a figure of
//! the metric catalogue (`stats::metrics`) under the same name, and the planner
//! reads it from the same summary every report states (the planner's
//! `every_target_metric_is_a_catalogue_entry` test holds the two together), so
//! a target reads like the figure it constrains. Scenario files and the command
//! line both parse targets through [`TargetMetric::from_name`].

/// A figure a target can constrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetMetric {
    /// Served elsewhere / sessions.
    OverflowRate,
    /// Rejected / sessions.
    RejectionRate,
    /// Abandoned / sessions.
    AbandonmentRate,
    /// (Rejected + abandoned) / sessions: users who never got an agent.
    RejectionAbandonmentRate,
    /// Share of served sessions that waited: P(wait).
    WaitProbability,
    /// Mean wait of served sessions, ms.
    WaitMeanMs,
    /// Media RTT 95th percentile, ms.
    MediaRttP95,
    /// Media RTT 99th percentile, ms.
    MediaRttP99,
    /// Join latency 95th percentile, ms.
    JoinLatencyP95,
    /// Join latency 99th percentile, ms.
    JoinLatencyP99,
    /// Share of served sessions within the media RTT threshold (`slo.media_rtt_ms`).
    SloMediaRtt,
    /// Share of served sessions within the join threshold (`slo.join_latency`).
    SloJoinLatency,
    /// Share of served sessions within both thresholds.
    SloBoth,
    /// Time-averaged busy / capacity (a floor: planners ask for it to avoid idle slots).
    Utilization,
    /// Share of a worker deployment's jobs placed on a worker whose true load
    /// then exceeded the threshold (the worst worker deployment's).
    OverAdmissionRate,
    /// Share of a worker deployment's session-seconds on a worker whose true
    /// load was above 1 (the worst worker deployment's).
    OverloadedSessionShare,
    /// Share of a worker deployment's jobs that waited for a cold start (the
    /// worst worker deployment's).
    ColdStartJobShare,
}

/// Whether a target caps a metric or sets a floor under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// value <= limit; more capacity never hurts it.
    AtMost,
    /// value >= limit.
    AtLeast,
}

/// Every metric with its name, in documentation order.
pub const METRICS: &[(TargetMetric, &str)] = &[
    (TargetMetric::OverflowRate, "overflow_rate"),
    (TargetMetric::RejectionRate, "rejection_rate"),
    (TargetMetric::AbandonmentRate, "abandonment_rate"),
    (
        TargetMetric::RejectionAbandonmentRate,
        "rejection_abandonment_rate",
    ),
    (TargetMetric::WaitProbability, "wait_probability"),
    (TargetMetric::WaitMeanMs, "wait_ms.mean"),
    (TargetMetric::MediaRttP95, "media_rtt_ms.p95"),
    (TargetMetric::MediaRttP99, "media_rtt_ms.p99"),
    (TargetMetric::JoinLatencyP95, "join_latency_ms.p95"),
    (TargetMetric::JoinLatencyP99, "join_latency_ms.p99"),
    (TargetMetric::SloMediaRtt, "slo_attainment.media_rtt"),
    (TargetMetric::SloJoinLatency, "slo_attainment.join_latency"),
    (TargetMetric::SloBoth, "slo_attainment.both"),
    (TargetMetric::Utilization, "utilization"),
    (TargetMetric::OverAdmissionRate, "over_admission_rate"),
    (
        TargetMetric::OverloadedSessionShare,
        "overloaded_session_share",
    ),
    (TargetMetric::ColdStartJobShare, "cold_start_job_share"),
];

impl TargetMetric {
    /// The metric named `name` (as in `summary.json`).
    pub fn from_name(name: &str) -> Option<Self> {
        METRICS.iter().find(|(_, n)| *n == name).map(|(m, _)| *m)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        METRICS
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("?", |(_, n)| n)
    }

    /// Direction of a target on it.
    pub fn sense(self) -> Sense {
        match self {
            Self::SloMediaRtt | Self::SloJoinLatency | Self::SloBoth | Self::Utilization => {
                Sense::AtLeast
            }
            _ => Sense::AtMost,
        }
    }

    /// A figure of the worker deployments (the catalogue's `WORKER_METRICS`),
    /// which only a scenario with workers has.
    pub fn on_workers(self) -> bool {
        matches!(
            self,
            Self::OverAdmissionRate | Self::OverloadedSessionShare | Self::ColdStartJobShare
        )
    }

    /// A share in [0, 1] (else a duration in ms).
    pub fn is_share(self) -> bool {
        !matches!(
            self,
            Self::WaitMeanMs
                | Self::MediaRttP95
                | Self::MediaRttP99
                | Self::JoinLatencyP95
                | Self::JoinLatencyP99
        )
    }
}

/// Which sessions or slots a target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Everything (all sessions; all capacity for utilisation).
    Overall,
    /// One population (index into `World::populations`).
    Population(usize),
    /// One region (index into `World::regions`), for utilisation.
    Region(usize),
}

/// One planning target. Its fields are private: [`Target::new`] checks the
/// limit against the metric and the scope, so a target that exists is one the
/// planner can pursue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The figure.
    metric: TargetMetric,
    /// Whose figure.
    scope: Scope,
    /// The limit (a share, or ms).
    limit: f64,
}

impl Target {
    /// A target whose limit its metric allows at its scope ([`check_limit`]).
    pub fn new(metric: TargetMetric, scope: Scope, limit: f64) -> Result<Target, String> {
        check_limit(metric, scope, limit)?;
        Ok(Target {
            metric,
            scope,
            limit,
        })
    }

    /// The same target for another scope, checked again.
    pub fn at(&self, scope: Scope) -> Result<Target, String> {
        Target::new(self.metric, scope, self.limit)
    }

    /// The figure.
    #[inline]
    pub fn metric(&self) -> TargetMetric {
        self.metric
    }

    /// Whose figure.
    #[inline]
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The limit (a share, or ms).
    #[inline]
    pub fn limit(&self) -> f64 {
        self.limit
    }

    /// `metric`, `metric[population]` or `utilization[region]`, for messages and reports.
    pub fn label(&self, world: &super::World) -> String {
        match self.scope {
            Scope::Overall => self.metric.name().to_string(),
            Scope::Population(p) => {
                format!("{}[{}]", self.metric.name(), world.populations()[p].name)
            }
            Scope::Region(r) => format!("{}[{}]", self.metric.name(), world.regions()[r].id),
        }
    }

    /// Whether `value` satisfies the target.
    pub fn holds(&self, value: f64) -> bool {
        match self.metric.sense() {
            Sense::AtMost => value <= self.limit,
            Sense::AtLeast => value >= self.limit,
        }
    }

    /// `<=` or `>=`.
    pub fn relation(&self) -> &'static str {
        match self.metric.sense() {
            Sense::AtMost => "<=",
            Sense::AtLeast => ">=",
        }
    }
}

/// Check a target's limit against its metric; the message says what is allowed.
pub fn check_limit(metric: TargetMetric, scope: Scope, limit: f64) -> Result<(), String> {
    if !limit.is_finite() {
        return Err(format!("must be a finite number, got {limit}"));
    }
    if metric == TargetMetric::Utilization {
        if !(limit > 0.0 && limit < 1.0) {
            return Err(format!(
                "a utilisation floor must be strictly between 0 and 1 (a floor of 1 needs endless load), got {limit}"
            ));
        }
    } else if metric.is_share() {
        if !(0.0..=1.0).contains(&limit) {
            return Err(format!("must be a share between 0 and 1, got {limit}"));
        }
        if metric.sense() == Sense::AtLeast && limit >= 1.0 {
            return Err(
                "an attainment of 1 cannot be shown with confidence; use less than 1".into(),
            );
        }
        if metric.sense() == Sense::AtMost && limit <= 0.0 {
            return Err("a rate of 0 cannot be shown with confidence; use more than 0".into());
        }
    } else if limit <= 0.0 {
        return Err(format!("must be a duration in ms > 0, got {limit}"));
    }
    match (metric, scope) {
        (m, Scope::Population(_) | Scope::Region(_)) if m.on_workers() => Err(format!(
            "`{}` is a worker deployments' figure: overall only (it holds for every worker deployment)",
            m.name()
        )),
        (TargetMetric::Utilization, Scope::Population(_)) => {
            Err("utilisation is per region, not per population".into())
        }
        (m, Scope::Region(_)) if m != TargetMetric::Utilization => Err(format!(
            "`{}` is per population or overall; only utilization is per region",
            m.name()
        )),
        _ => Ok(()),
    }
}

/// Targets that must hold while any one deployment is down (`slo.resilience`):
/// the planner's failure scenarios, each one deployment failing for a window
/// through the timeline's outage mechanics.
#[derive(Debug, Clone, PartialEq)]
pub struct Resilience {
    /// What must hold over each failure's window (never a utilisation floor).
    pub targets: Vec<Target>,
    /// How long each deployment is down, seconds (> 0).
    pub duration_s: f64,
    /// When every failure starts, seconds from the run's start; None: each
    /// deployment fails at its own busiest window.
    pub at_s: Option<f64>,
    /// What happens to the sessions running on the failed deployment.
    pub failover: super::timeline::Failover,
}
