//! The numbers a report shows, computed from a run's (or a merge's) totals. The
//! same struct holds point estimates and, in a second instance, confidence
//! half-widths: `visit` walks every scalar the metric catalogue (`metrics.rs`)
//! defines, in a fixed order, so the experiment layer can aggregate replications
//! field by field without knowing the fields.

use super::workers::WorkerSummary;
use super::{Distribution, PopulationStats, RegionStats, RunStats};

/// How a scalar is aggregated across replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Point estimate = mean of the replications' values.
    Mean,
    /// Point estimate = the value of the pooled (merged) distribution.
    Pooled,
}

/// Location and spread of a distribution, ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DistSummary {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
}

impl DistSummary {
    /// From a streaming distribution.
    pub fn of(d: &Distribution) -> Self {
        let [p50, p90, p95, p99, p999] = d.quantiles([0.5, 0.9, 0.95, 0.99, 0.999]);
        Self {
            mean: d.mean(),
            p50,
            p90,
            p95,
            p99,
            p999,
        }
    }
}

/// One region's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionSummary {
    /// Time-averaged capacity, slots.
    pub capacity: f64,
    /// Time-averaged busy / capacity.
    pub utilization: f64,
    /// Time-averaged concurrency.
    pub mean_concurrency: f64,
    /// Time-averaged variance of concurrency: equal to the mean for Poisson
    /// occupancy (unlimited capacity), larger for peaked load.
    pub concurrency_variance: f64,
    /// Highest concurrency.
    pub peak_concurrency: f64,
    /// Sessions served here.
    pub served: f64,
    /// Sessions served here whose home is elsewhere.
    pub overflow_in: f64,
    /// Sessions cut on this region's deployments (timeline events).
    pub interrupted: f64,
    /// Sessions moved away from this region's failed deployments.
    pub redispatched: f64,
}

/// One population's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopulationSummary {
    /// Arrivals in the window.
    pub sessions: f64,
    /// Got an agent.
    pub served: f64,
    /// Served elsewhere / sessions.
    pub overflow_rate: f64,
    /// Rejected / sessions.
    pub rejection_rate: f64,
    /// Abandoned / sessions.
    pub abandonment_rate: f64,
    /// (Rejected + abandoned) / sessions: users who never got an agent.
    pub rejection_abandonment_rate: f64,
    /// Share of served sessions that waited for an agent.
    pub wait_probability: f64,
    /// Served sessions cut before their end / served.
    pub interruption_rate: f64,
    /// Moves to another agent after a failure / served.
    pub redispatch_rate: f64,
    /// Share of served sessions per serving region.
    pub served_by: Vec<f64>,
    /// Media RTT of served sessions.
    pub media_rtt_ms: DistSummary,
    /// Join latency of served sessions.
    pub join_latency_ms: DistSummary,
    /// Wait before an agent was assigned, served sessions.
    pub wait_ms: DistSummary,
    /// Share of served sessions within the RTT target.
    pub slo_rtt: f64,
    /// Share of served sessions within the join target.
    pub slo_join: f64,
    /// Share of served sessions within both.
    pub slo_both: f64,
}

/// Everything a report states about a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Arrivals in the window.
    pub sessions: f64,
    /// Got an agent (home or elsewhere).
    pub served: f64,
    /// Served in their home region.
    pub served_home: f64,
    /// Served elsewhere.
    pub overflow: f64,
    /// Rejected.
    pub rejected: f64,
    /// Gave up waiting.
    pub abandoned: f64,
    /// Still waiting or being re-dispatched at the horizon.
    pub pending_at_horizon: f64,
    /// Holding a slot at the horizon (included in `served`).
    pub running_at_horizon: f64,
    /// Served sessions whose agent finished with them before the horizon.
    pub completed: f64,
    /// Rejected because the deployment's queue was full (included in `rejected`).
    pub rejected_queue_full: f64,
    /// Served sessions cut before their end (timeline events): served =
    /// completed + interrupted + running at the horizon.
    pub interrupted: f64,
    /// Moves of served sessions to another agent after theirs failed.
    pub redispatched: f64,
    /// overflow / sessions.
    pub overflow_rate: f64,
    /// rejected / sessions.
    pub rejection_rate: f64,
    /// abandoned / sessions.
    pub abandonment_rate: f64,
    /// (rejected + abandoned) / sessions: users who never got an agent.
    pub rejection_abandonment_rate: f64,
    /// interrupted / served.
    pub interruption_rate: f64,
    /// redispatched / served.
    pub redispatch_rate: f64,
    /// Share of served sessions that waited (wait > 0) for an agent: P(wait).
    pub wait_probability: f64,
    /// Media RTT, served sessions.
    pub media_rtt_ms: DistSummary,
    /// Join latency (wait + dispatch + start-up), served sessions.
    pub join_latency_ms: DistSummary,
    /// Wait before an agent was assigned, served sessions.
    pub wait_ms: DistSummary,
    /// Share of served sessions within the RTT target.
    pub slo_rtt: f64,
    /// Share of served sessions within the join target.
    pub slo_join: f64,
    /// Share of served sessions within both.
    pub slo_both: f64,
    /// Time-averaged busy slots over capacity, all regions together.
    pub utilization: f64,
    /// Little's law, L: time-averaged busy slots over all regions.
    pub little_l: f64,
    /// Little's law, lambda x W: served per second x mean slot holding time.
    pub little_lambda_w: f64,
    /// Per region.
    pub regions: Vec<RegionSummary>,
    /// Per population.
    pub populations: Vec<PopulationSummary>,
    /// Per deployment that runs on workers, in deployment order (empty without).
    pub workers: Vec<WorkerSummary>,
}

/// `a / b` as a share, 0 when there is nothing to share (no arrivals): how
/// every count ratio of the summaries and the planner's hourly checks reads.
pub(crate) fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl PopulationSummary {
    /// One population's figures from its totals.
    fn of(p: &PopulationStats) -> Self {
        let served = p.served_home + p.overflow;
        Self {
            sessions: p.sessions as f64,
            served: served as f64,
            overflow_rate: ratio(p.overflow, p.sessions),
            rejection_rate: ratio(p.rejected, p.sessions),
            abandonment_rate: ratio(p.abandoned, p.sessions),
            rejection_abandonment_rate: ratio(p.rejected + p.abandoned, p.sessions),
            wait_probability: ratio(p.waited, served),
            interruption_rate: ratio(p.interrupted, served),
            redispatch_rate: ratio(p.redispatched, served),
            served_by: p.served_by.iter().map(|&n| ratio(n, served)).collect(),
            media_rtt_ms: DistSummary::of(&p.rtt),
            join_latency_ms: DistSummary::of(&p.join),
            wait_ms: DistSummary::of(&p.wait),
            slo_rtt: ratio(p.slo_met[0], served),
            slo_join: ratio(p.slo_met[1], served),
            slo_both: ratio(p.slo_met[2], served),
        }
    }
}

impl RegionSummary {
    /// One region's figures from its integrals over `span` seconds (the
    /// window times the runs summed).
    fn of(r: &RegionStats, span: f64) -> Self {
        let mean = r.busy_area / span;
        Self {
            capacity: r.limit_area / span,
            utilization: if r.limit_area > 0.0 {
                r.busy_area / r.limit_area
            } else {
                0.0
            },
            mean_concurrency: mean,
            // Clamped: rounding may leave a tiny negative for a constant level.
            concurrency_variance: (r.busy_sq_area / span - mean * mean).max(0.0),
            peak_concurrency: r.peak as f64,
            served: r.served as f64,
            overflow_in: r.overflow_in as f64,
            interrupted: r.interrupted as f64,
            redispatched: r.redispatched as f64,
        }
    }
}

impl Summary {
    /// The figures of a run, or of a merge taken as one big run.
    pub fn of(s: &RunStats) -> Self {
        let window = s.layout.horizon_s - s.layout.warmup_s;
        let mut rtt = Distribution::new();
        let mut join = Distribution::new();
        let mut wait = Distribution::new();
        let (mut sessions, mut home, mut over, mut rej, mut ab) = (0, 0, 0, 0, 0);
        let (mut cut, mut moved) = (0, 0);
        let mut waited = 0;
        let mut slo = [0u64; 3];
        let mut populations = Vec::with_capacity(s.populations.len());
        for p in &s.populations {
            rtt.merge(&p.rtt);
            join.merge(&p.join);
            wait.merge(&p.wait);
            sessions += p.sessions;
            home += p.served_home;
            over += p.overflow;
            rej += p.rejected;
            ab += p.abandoned;
            cut += p.interrupted;
            moved += p.redispatched;
            waited += p.waited;
            for (total, met) in slo.iter_mut().zip(&p.slo_met) {
                *total += met;
            }
            populations.push(PopulationSummary::of(p));
        }
        let served = home + over;
        let runs = s.runs as f64;
        let regions: Vec<RegionSummary> = (s.regions.iter())
            .map(|r| RegionSummary::of(r, window * runs))
            .collect();
        let little_l = regions.iter().map(|r| r.mean_concurrency).sum();
        let busy: f64 = s.regions.iter().map(|r| r.busy_area).sum();
        let capacity: f64 = s.regions.iter().map(|r| r.limit_area).sum();
        let little_lambda_w = s.hold_sum_s / (window * runs);
        Self {
            sessions: sessions as f64,
            served: served as f64,
            served_home: home as f64,
            overflow: over as f64,
            rejected: rej as f64,
            abandoned: ab as f64,
            pending_at_horizon: s.pending_at_horizon as f64,
            running_at_horizon: s.running_at_horizon as f64,
            completed: s.completed as f64,
            rejected_queue_full: s.queue_full as f64,
            interrupted: cut as f64,
            redispatched: moved as f64,
            overflow_rate: ratio(over, sessions),
            rejection_rate: ratio(rej, sessions),
            abandonment_rate: ratio(ab, sessions),
            rejection_abandonment_rate: ratio(rej + ab, sessions),
            interruption_rate: ratio(cut, served),
            redispatch_rate: ratio(moved, served),
            wait_probability: ratio(waited, served),
            media_rtt_ms: DistSummary::of(&rtt),
            join_latency_ms: DistSummary::of(&join),
            wait_ms: DistSummary::of(&wait),
            slo_rtt: ratio(slo[0], served),
            slo_join: ratio(slo[1], served),
            slo_both: ratio(slo[2], served),
            utilization: if capacity > 0.0 { busy / capacity } else { 0.0 },
            little_l,
            little_lambda_w,
            regions,
            populations,
            workers: (s.workers.iter().enumerate())
                .map(|(k, w)| {
                    let seen = s.layout.true_load_seen.get(k).copied().unwrap_or(false);
                    WorkerSummary::of(w, runs, window, seen)
                })
                .collect(),
        }
    }

    /// Every scalar, in [`Summary::visit`] order.
    pub fn values(&mut self) -> Vec<f64> {
        let mut v = Vec::new();
        self.visit(&mut |_, x| v.push(*x));
        v
    }

    /// The run-wide scalars, in [`Summary::visit_run_wide`] order.
    pub fn run_values(&mut self) -> Vec<f64> {
        let mut v = Vec::new();
        self.visit_run_wide(&mut |_, x| v.push(*x));
        v
    }

    /// Overwrite the run-wide scalars from `values`, in
    /// [`Summary::visit_run_wide`] order.
    pub fn set_run_values(&mut self, values: &[f64]) {
        let mut i = 0;
        self.visit_run_wide(&mut |_, x| {
            *x = values[i];
            i += 1;
        });
    }

    /// Overwrite the scalars of the given kind (all if `None`) from `values`,
    /// which is in [`Summary::visit`] order.
    pub fn set_values(&mut self, values: &[f64], only: Option<ValueKind>) {
        let mut i = 0;
        self.visit(&mut |kind, x| {
            if only.is_none_or(|k| k == kind) {
                *x = values[i];
            }
            i += 1;
        });
    }
}
