//! The records the statistics keep: the run's shape, per-population and
//! per-region totals, a served session as the engine reports it, and the level
//! of a deployment lane. `RunStats` (in `mod.rs`) updates and merges them.

use super::Distribution;

/// What the statistics need to know about the run's shape.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Number of populations.
    pub populations: usize,
    /// Number of regions.
    pub regions: usize,
    /// Statistics window start (warm-up end), seconds.
    pub warmup_s: f64,
    /// Statistics window end, seconds.
    pub horizon_s: f64,
    /// Time-series bin width, seconds.
    pub bin_s: f64,
    /// Media RTT target, ms.
    pub slo_rtt_ms: f64,
    /// Join latency target, ms.
    pub slo_join_ms: f64,
    /// Each timeline event's window [start, end), seconds.
    pub event_windows: Vec<(f64, f64)>,
    /// Deployments with a lane of their own in the time series (0: regions only).
    pub deployment_lanes: usize,
    /// Whether the time series keeps outcome counts per population and bin
    /// (the planner's runs: per-population hourly checks and tables).
    pub population_series: bool,
    /// Per worker deployment (in deployment order): whether the server sees
    /// its workers' true load at every instant (no sampling, no reporting
    /// interval), so the load it was told is the true load.
    pub true_load_seen: Vec<bool>,
}

/// Per-population outcome totals and distributions.
#[derive(Debug, Clone)]
pub struct PopulationStats {
    /// Sessions that arrived in the window.
    pub sessions: u64,
    /// Served in their home region.
    pub served_home: u64,
    /// Served in another region.
    pub overflow: u64,
    /// Rejected.
    pub rejected: u64,
    /// Gave up waiting.
    pub abandoned: u64,
    /// Served sessions cut before their end (a drain's end, an outage without
    /// failover, or a failover that found no agent).
    pub interrupted: u64,
    /// Served sessions moved to another agent after theirs failed (counted once
    /// per move).
    pub redispatched: u64,
    /// Served sessions that waited (wait > 0) before an agent was assigned: the
    /// numerator of P(wait), which Erlang C predicts.
    pub waited: u64,
    /// Served sessions per serving region.
    pub served_by: Vec<u64>,
    /// Served sessions meeting the RTT target, the join target, both.
    pub slo_met: [u64; 3],
    /// Media RTT of served sessions, ms.
    pub rtt: Distribution,
    /// Join latency of served sessions, ms.
    pub join: Distribution,
    /// Wait before an agent was assigned, served sessions, ms.
    pub wait: Distribution,
}

impl PopulationStats {
    /// Fold another run's figures of the same population in.
    pub(super) fn merge(&mut self, b: &PopulationStats) {
        let PopulationStats {
            sessions,
            served_home,
            overflow,
            rejected,
            abandoned,
            interrupted,
            redispatched,
            waited,
            served_by,
            slo_met,
            rtt,
            join,
            wait,
        } = b;
        self.sessions += sessions;
        self.served_home += served_home;
        self.overflow += overflow;
        self.rejected += rejected;
        self.abandoned += abandoned;
        self.interrupted += interrupted;
        self.redispatched += redispatched;
        self.waited += waited;
        for (x, y) in self.served_by.iter_mut().zip(served_by) {
            *x += y;
        }
        for (x, y) in self.slo_met.iter_mut().zip(slo_met) {
            *x += y;
        }
        self.rtt.merge(rtt);
        self.join.merge(join);
        self.wait.merge(wait);
    }
}

/// Per-region occupancy over the statistics window.
#[derive(Debug, Clone, Default)]
pub struct RegionStats {
    /// Integral of concurrency over the window, session-seconds.
    pub busy_area: f64,
    /// Integral of squared concurrency over the window: with `busy_area` it gives
    /// the time-averaged variance of concurrency (how peaked the load is).
    pub busy_sq_area: f64,
    /// Integral of the admission limit (what could be admitted) over the window, slot-seconds: the reports' "capacity".
    pub limit_area: f64,
    /// Highest concurrency in the window.
    pub peak: u32,
    /// Sessions served here (window arrivals).
    pub served: u64,
    /// Of those, sessions whose home is elsewhere.
    pub overflow_in: u64,
    /// Sessions cut on this region's deployments.
    pub interrupted: u64,
    /// Sessions moved away from this region's failed deployments.
    pub redispatched: u64,
    pub(super) level: u32,
    pub(super) limit: u32,
    pub(super) last_t: f64,
}

impl RegionStats {
    /// Fold another run's figures of the same region in: areas and counts
    /// add, the peak is the larger one. The level, admission limit and clock are
    /// where a run stood while it ran, meaningless once pooled.
    pub(super) fn merge(&mut self, b: &RegionStats) {
        let RegionStats {
            busy_area,
            busy_sq_area,
            limit_area,
            peak,
            served,
            overflow_in,
            interrupted,
            redispatched,
            level: _,
            limit: _,
            last_t: _,
        } = b;
        self.busy_area += busy_area;
        self.busy_sq_area += busy_sq_area;
        self.limit_area += limit_area;
        self.peak = self.peak.max(*peak);
        self.served += served;
        self.overflow_in += overflow_in;
        self.interrupted += interrupted;
        self.redispatched += redispatched;
    }
}

/// Where a deployment lane of the time series stands.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LaneLevel {
    pub(super) level: u32,
    pub(super) limit: u32,
    pub(super) last_t: f64,
}

/// A session that just got an agent, as the statistics need it.
#[derive(Debug, Clone, Copy)]
pub struct Served {
    /// Population index.
    pub pop: usize,
    /// Region of the serving deployment.
    pub region: usize,
    /// The session's home region (the policy's first choice for it).
    pub home_region: usize,
    /// Whether it is served in its home region.
    pub home: bool,
    /// When the agent was assigned, seconds.
    pub t: f64,
    /// Media RTT, ms.
    pub rtt_ms: f64,
    /// Arrival to agent joined, ms.
    pub join_ms: f64,
    /// Arrival to agent assigned, ms.
    pub wait_ms: f64,
    /// How long the session holds its slot, seconds.
    pub hold_s: f64,
    /// Whether the session arrived inside the statistics window.
    pub counted: bool,
}
