//! Streaming, mergeable statistics of a run. Memory depends on the numbers of
//! populations, regions and time bins, never on the number of sessions; merging
//! two runs' statistics gives exactly the statistics of their union.
//!
//! The engine calls the recording methods; `summary` turns the totals into the
//! numbers reports show. No I/O, no serde.

mod histogram;
pub mod metrics;
mod records;
mod summary;
pub(crate) use summary::ratio;
mod timeline;
mod timeseries;
mod workers;

pub use histogram::{chunks_spanned, DistParts, Distribution, CHUNK_BYTES};
pub use metrics::{Metric, Scalar, Stat, Unit};
use records::LaneLevel;
pub use records::{Layout, PopulationStats, RegionStats, Served};
pub use summary::{DistSummary, PopulationSummary, RegionSummary, Summary, ValueKind};
pub use timeline::{Impact, Outcome, Outcomes, TimelineStats};
pub use timeseries::{BinCounts, PopulationBin, TimeSeries};
pub use workers::{WorkerBin, WorkerLevel, WorkerStats, WorkerSummary};

/// All statistics of one run, or the merge of several.
#[derive(Debug, Clone)]
pub struct RunStats {
    /// The run's shape.
    pub layout: Layout,
    /// Per population.
    pub populations: Vec<PopulationStats>,
    /// Per region.
    pub regions: Vec<RegionStats>,
    /// Sum of slot holding times of served window sessions, seconds.
    pub hold_sum_s: f64,
    /// Window sessions still waiting or being re-dispatched at the horizon.
    pub pending_at_horizon: u64,
    /// Window sessions holding a slot at the horizon.
    pub running_at_horizon: u64,
    /// Window sessions rejected because their deployment's queue was full
    /// (`max_queue`); included in the rejections.
    pub queue_full: u64,
    /// Window sessions whose agent finished with them before the horizon:
    /// served = completed + running at the horizon.
    pub completed: u64,
    /// Per-bin series.
    pub series: TimeSeries,
    /// What each timeline event did.
    pub timeline: TimelineStats,
    /// Per deployment that runs on workers, in deployment order (empty without).
    pub workers: Vec<WorkerStats>,
    /// Current level of each deployment lane of the series.
    lanes: Vec<LaneLevel>,
    /// Events processed (for throughput figures).
    pub events: u64,
    /// Runs merged into this.
    pub runs: u32,
}

impl RunStats {
    /// Empty statistics for a run of this shape; admission limit per region at time 0.
    pub fn new(layout: Layout, limit: &[u32]) -> Self {
        let regions = limit
            .iter()
            .map(|&c| RegionStats {
                limit: c,
                ..RegionStats::default()
            })
            .collect();
        let populations = (0..layout.populations)
            .map(|_| PopulationStats {
                sessions: 0,
                served_home: 0,
                overflow: 0,
                rejected: 0,
                abandoned: 0,
                interrupted: 0,
                redispatched: 0,
                waited: 0,
                served_by: vec![0; layout.regions],
                slo_met: [0; 3],
                rtt: Distribution::new(),
                join: Distribution::new(),
                wait: Distribution::new(),
            })
            .collect();
        let series = TimeSeries::new(
            layout.horizon_s,
            layout.bin_s,
            layout.regions,
            layout.deployment_lanes,
            if layout.population_series {
                layout.populations
            } else {
                0
            },
        );
        let lanes = vec![LaneLevel::default(); layout.deployment_lanes];
        let timeline = TimelineStats::new(layout.event_windows.clone());
        Self {
            timeline,
            workers: Vec::new(),
            lanes,
            layout,
            populations,
            regions,
            hold_sum_s: 0.0,
            pending_at_horizon: 0,
            running_at_horizon: 0,
            completed: 0,
            queue_full: 0,
            series,
            events: 0,
            runs: 1,
        }
    }

    /// A session arrived at t; `counted` when t is inside the window. Forced
    /// inline, like [`RunStats::served`]: the engine is compiled once per
    /// event-list heap, and LLVM would otherwise call it out of line.
    #[inline(always)]
    pub fn arrival(&mut self, pop: usize, t: f64, counted: bool) {
        if counted {
            self.populations[pop].sessions += 1;
        }
        if let Some(b) = self.series.at(t) {
            b.arrivals += 1;
        }
        if let Some(c) = self.series.population_at(t, pop) {
            c.arrivals += 1;
        }
    }

    /// A session got a slot. Forced inline: with the engine compiled once
    /// per event-list heap, LLVM would otherwise call it out of line.
    #[inline(always)]
    pub fn served(&mut self, s: &Served) {
        let Served {
            pop,
            region,
            home_region,
            home,
            t,
            rtt_ms,
            join_ms,
            wait_ms,
            hold_s,
            counted,
        } = *s;
        if let Some(b) = self.series.at(t) {
            b.served += 1;
            b.overflow += u64::from(!home);
        }
        if let Some(c) = self.series.population_at(t, pop) {
            c.served += 1;
            c.overflow += u64::from(!home);
            c.rtt_sum_ms += rtt_ms;
        }
        if !home {
            self.series.overflow_from(t, home_region);
        }
        if !counted {
            return;
        }
        if !self.timeline.is_empty() {
            let o = if home {
                Outcome::Home
            } else {
                Outcome::Overflow
            };
            self.timeline.outcome(t, o);
        }
        let (rtt_target, join_target) = (self.layout.slo_rtt_ms, self.layout.slo_join_ms);
        let p = &mut self.populations[pop];
        if home {
            p.served_home += 1;
        } else {
            p.overflow += 1;
            self.regions[region].overflow_in += 1;
        }
        self.regions[region].served += 1;
        p.served_by[region] += 1;
        let (r_ok, j_ok) = (rtt_ms <= rtt_target, join_ms <= join_target);
        p.slo_met[0] += u64::from(r_ok);
        p.slo_met[1] += u64::from(j_ok);
        p.slo_met[2] += u64::from(r_ok && j_ok);
        p.rtt.record(rtt_ms);
        p.join.record(join_ms);
        p.wait.record(wait_ms);
        p.waited += u64::from(wait_ms > 0.0);
        self.hold_sum_s += hold_s;
    }

    /// A session was rejected at t.
    #[inline]
    pub fn rejected(&mut self, pop: usize, t: f64, counted: bool) {
        if let Some(b) = self.series.at(t) {
            b.rejected += 1;
        }
        if let Some(c) = self.series.population_at(t, pop) {
            c.rejected += 1;
        }
        if counted {
            self.populations[pop].rejected += 1;
            if !self.timeline.is_empty() {
                self.timeline.outcome(t, Outcome::Rejected);
            }
        }
    }

    /// A waiting session gave up at t.
    #[inline]
    pub fn abandoned(&mut self, pop: usize, t: f64, counted: bool) {
        if let Some(b) = self.series.at(t) {
            b.abandoned += 1;
        }
        if let Some(c) = self.series.population_at(t, pop) {
            c.abandoned += 1;
        }
        if counted {
            self.populations[pop].abandoned += 1;
            if !self.timeline.is_empty() {
                self.timeline.outcome(t, Outcome::Abandoned);
            }
        }
    }

    /// A running session was cut at t on a deployment of `region`, because of
    /// timeline event `event`.
    pub fn interrupted(&mut self, pop: usize, region: usize, event: usize, t: f64, counted: bool) {
        if let Some(b) = self.series.at(t) {
            b.interrupted += 1;
        }
        if counted {
            self.populations[pop].interrupted += 1;
            self.regions[region].interrupted += 1;
            self.timeline.impacts[event].interrupted += 1;
        }
    }

    /// A running session's agent in `region` failed at t (event `event`); it will
    /// be dispatched again.
    pub fn redispatched(&mut self, pop: usize, region: usize, event: usize, t: f64, counted: bool) {
        if let Some(b) = self.series.at(t) {
            b.redispatched += 1;
        }
        if counted {
            self.populations[pop].redispatched += 1;
            self.regions[region].redispatched += 1;
            self.timeline.impacts[event].redispatched += 1;
        }
    }

    /// A redispatched session got its new agent `rejoin_ms` after the failure
    /// and holds it for `hold_s`.
    pub fn rejoined(&mut self, rejoin_ms: f64, hold_s: f64, counted: bool) {
        if counted {
            self.timeline.rejoin.record(rejoin_ms);
            self.hold_sum_s += hold_s;
        }
    }

    /// A window session left its slot `unused_s` before the end it was admitted
    /// for (cut or moved): its slot holding time, which Little's law sums, is
    /// that much shorter.
    pub fn hold_cut(&mut self, unused_s: f64, counted: bool) {
        if counted {
            self.hold_sum_s -= unused_s;
        }
    }

    /// Region concurrency or admission limit changes at t (call with the new values).
    #[inline(always)]
    pub fn level(&mut self, region: usize, t: f64, level: u32, limit: u32) {
        self.advance(region, t);
        let r = &mut self.regions[region];
        r.level = level;
        r.limit = limit;
        if level > r.peak && t >= self.layout.warmup_s {
            r.peak = level;
        }
    }

    #[inline(always)]
    fn advance(&mut self, region: usize, t: f64) {
        let warmup = self.layout.warmup_s;
        let r = &mut self.regions[region];
        let (from, level, cap) = (r.last_t, r.level, r.limit);
        if t <= from {
            return;
        }
        let w_from = from.max(warmup);
        if t > w_from {
            let (n, dt) = (f64::from(level), t - w_from);
            r.busy_area += n * dt;
            r.busy_sq_area += n * n * dt;
            r.limit_area += cap as f64 * dt;
            // A level carried into the window counts towards its peak.
            r.peak = r.peak.max(level);
        }
        r.last_t = t;
        self.series.integrate(region, from, t, level, cap);
    }

    /// Deployment `d`'s concurrency or admission limit changes at t (call with
    /// the new values); only with deployment lanes.
    pub fn deployment_level(&mut self, d: usize, t: f64, level: u32, limit: u32) {
        let lane = &mut self.lanes[d];
        let (from, old, cap) = (lane.last_t, lane.level, lane.limit);
        *lane = LaneLevel {
            level,
            limit,
            last_t: t,
        };
        if t > from {
            self.series
                .integrate(self.layout.regions + d, from, t, old, cap);
        }
    }

    /// Close the window at the horizon.
    pub fn finish(&mut self, pending: u64, running: u64, events: u64) {
        let h = self.layout.horizon_s;
        for r in 0..self.regions.len() {
            self.advance(r, h);
        }
        for d in 0..self.lanes.len() {
            let LaneLevel { level, limit, .. } = self.lanes[d];
            self.deployment_level(d, h, level, limit);
        }
        self.series.close();
        self.pending_at_horizon = pending;
        self.running_at_horizon = running;
        self.events = events;
    }

    /// Worker deployment `k`'s levels in time bin `b`, taken as `width`
    /// seconds long: mean workers, true and reported load ([`WorkerBin::levels`]).
    pub fn worker_levels(&self, k: usize, b: usize, width: f64) -> [f64; 3] {
        let seen = self.layout.true_load_seen.get(k).copied().unwrap_or(false);
        let w = &self.workers[k];
        let bin = w.bins[b.min(w.bins.len().saturating_sub(1))];
        bin.levels(width, f64::from(self.runs.max(1)), seen)
    }

    /// Fold another run of the same shape in. Every field is named (a new
    /// field is a compile error here until it says how it pools), the same
    /// rule the partial-result format follows.
    pub fn merge(&mut self, other: &RunStats) {
        let RunStats {
            layout: _,
            populations,
            regions,
            hold_sum_s,
            pending_at_horizon,
            running_at_horizon,
            queue_full,
            completed,
            series,
            timeline,
            workers,
            lanes: _,
            events,
            runs,
        } = other;
        // `layout` is the shape both runs share; `lanes` is where a run's own
        // time series stood while it ran, meaningless once pooled.
        for (a, b) in self.populations.iter_mut().zip(populations) {
            a.merge(b);
        }
        for (a, b) in self.regions.iter_mut().zip(regions) {
            a.merge(b);
        }
        self.timeline.merge(timeline);
        for (a, b) in self.workers.iter_mut().zip(workers) {
            a.merge(b);
        }
        self.hold_sum_s += hold_sum_s;
        self.pending_at_horizon += pending_at_horizon;
        self.running_at_horizon += running_at_horizon;
        self.completed += completed;
        self.queue_full += queue_full;
        self.series.merge(series);
        self.events += events;
        self.runs += runs;
    }
}
