//! One replication's [`RunStats`] as JSON, exactly: every count, sum, area,
//! histogram count, time-series cell and timeline impact, so a merge on
//! another machine folds the very numbers the shard computed.
//!
//! Floating-point numbers travel as text (Rust's shortest round-trip form,
//! `inf` and `NaN` included) and are read back with Rust's correctly rounded
//! parser: the same bits come back. The conversions destructure and build the
//! statistics' structs field by field, so a field added to them fails to
//! compile here until it is carried.

use serde::{Deserialize, Serialize};

use super::exact::{same, DistRec, F};
use super::series::{
    build_series, build_timeline, series_rec, timeline_rec, SeriesRec, TimelineRec,
};
use super::UnitShape;
use crate::stats::{Layout, PopulationStats, RunStats};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutRec {
    populations: usize,
    regions: usize,
    warmup_s: F,
    horizon_s: F,
    bin_s: F,
    slo_rtt_ms: F,
    slo_join_ms: F,
    event_windows: Vec<(F, F)>,
    deployment_lanes: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PopRec {
    counts: [u64; 8],
    served_by: Vec<u64>,
    slo_met: [u64; 3],
    rtt: DistRec,
    join: DistRec,
    wait: DistRec,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionRec {
    areas: [F; 3],
    peak: u32,
    counts: [u64; 4],
}

/// One replication's statistics in their carried form.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRec {
    layout: LayoutRec,
    populations: Vec<PopRec>,
    regions: Vec<RegionRec>,
    hold_sum_s: F,
    /// Pending, running at the horizon, completed, rejected on a full queue.
    horizon: [u64; 4],
    series: SeriesRec,
    timeline: TimelineRec,
    /// Worker deployments (absent without any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    workers: Vec<super::workers::WorkerRec>,
    events: u64,
    runs: u32,
}

fn layout_rec(l: &Layout) -> LayoutRec {
    let Layout {
        populations,
        regions,
        warmup_s,
        horizon_s,
        bin_s,
        slo_rtt_ms,
        slo_join_ms,
        event_windows,
        deployment_lanes,
        // Derived from the scenario, which a merge checks by its digest.
        true_load_seen: _,
        // Set by the planner only, which is never sharded; the series says
        // whether it holds population counts.
        population_series: _,
    } = l;
    LayoutRec {
        populations: *populations,
        regions: *regions,
        warmup_s: F(*warmup_s),
        horizon_s: F(*horizon_s),
        bin_s: F(*bin_s),
        slo_rtt_ms: F(*slo_rtt_ms),
        slo_join_ms: F(*slo_join_ms),
        event_windows: event_windows.iter().map(|&(a, b)| (F(a), F(b))).collect(),
        deployment_lanes: *deployment_lanes,
    }
}

fn pop_rec(p: &PopulationStats) -> PopRec {
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
    } = p;
    PopRec {
        counts: [
            *sessions,
            *served_home,
            *overflow,
            *rejected,
            *abandoned,
            *interrupted,
            *redispatched,
            *waited,
        ],
        served_by: served_by.clone(),
        slo_met: *slo_met,
        rtt: DistRec::of(rtt),
        join: DistRec::of(join),
        wait: DistRec::of(wait),
    }
}

impl RunRec {
    /// The carried form of `s`.
    pub fn of(s: &RunStats) -> Self {
        let RunStats {
            layout,
            populations,
            regions,
            hold_sum_s,
            pending_at_horizon,
            running_at_horizon,
            completed,
            queue_full,
            series,
            timeline,
            workers,
            events,
            runs,
            ..
        } = s;
        let regions = regions
            .iter()
            .map(|r| RegionRec {
                areas: [F(r.busy_area), F(r.busy_sq_area), F(r.limit_area)],
                peak: r.peak,
                counts: [r.served, r.overflow_in, r.interrupted, r.redispatched],
            })
            .collect();
        Self {
            layout: layout_rec(layout),
            populations: populations.iter().map(pop_rec).collect(),
            regions,
            hold_sum_s: F(*hold_sum_s),
            horizon: [
                *pending_at_horizon,
                *running_at_horizon,
                *completed,
                *queue_full,
            ],
            series: series_rec(series),
            timeline: timeline_rec(timeline),
            workers: workers.iter().map(super::workers::worker_rec).collect(),
            events: *events,
            runs: *runs,
        }
    }

    /// The statistics back, with the layout and every size checked against
    /// `want` (the unit's world) before anything is allocated from them.
    pub fn build(self, want: &UnitShape) -> Result<RunStats, String> {
        if !self.fits(want) {
            return Err("the statistics do not match the layout of its scenario".into());
        }
        let layout = want.layout.clone();
        let shape = RunStats::new(layout.clone(), &vec![0; layout.regions]);
        let mut regions = shape.regions.clone();
        for (r, rec) in regions.iter_mut().zip(self.regions) {
            [r.busy_area, r.busy_sq_area, r.limit_area] = rec.areas.map(|a| a.0);
            r.peak = rec.peak;
            [r.served, r.overflow_in, r.interrupted, r.redispatched] = rec.counts;
        }
        let populations = self
            .populations
            .into_iter()
            .map(build_pop)
            .collect::<Result<Vec<_>, _>>()?;
        // Built on `shape` so the state only a simulation uses (current levels)
        // keeps its fresh value.
        let mut out = shape.clone();
        out.series = build_series(self.series, &shape.series)?;
        out.timeline = build_timeline(self.timeline)?;
        let bins = shape.series.counts.len();
        out.workers = self
            .workers
            .into_iter()
            .map(|w| super::workers::build_worker(w, bins))
            .collect::<Result<_, _>>()?;
        out.layout = layout;
        out.populations = populations;
        out.regions = regions;
        out.hold_sum_s = self.hold_sum_s.0;
        [
            out.pending_at_horizon,
            out.running_at_horizon,
            out.completed,
            out.queue_full,
        ] = self.horizon;
        out.events = self.events;
        out.runs = self.runs;
        Ok(out)
    }
}

impl RunRec {
    /// Whether the carried layout is `want`'s and every size agrees with it
    /// (the time series' and worker bins' are checked as they are built).
    fn fits(&self, want: &UnitShape) -> bool {
        let (l, w) = (&self.layout, &want.layout);
        let windows = |v: &[(F, F)]| {
            v.len() == w.event_windows.len()
                && v.iter()
                    .zip(&w.event_windows)
                    .all(|(a, b)| same(a.0 .0, b.0) && same(a.1 .0, b.1))
        };
        let same_layout = l.populations == w.populations
            && l.regions == w.regions
            && [
                l.warmup_s,
                l.horizon_s,
                l.bin_s,
                l.slo_rtt_ms,
                l.slo_join_ms,
            ]
            .map(|x| x.0.to_bits())
                == [
                    w.warmup_s,
                    w.horizon_s,
                    w.bin_s,
                    w.slo_rtt_ms,
                    w.slo_join_ms,
                ]
                .map(f64::to_bits)
            && windows(&l.event_windows)
            && l.deployment_lanes == w.deployment_lanes;
        same_layout
            && self.runs == 1
            && self.populations.len() == w.populations
            && self.regions.len() == w.regions
            && self
                .populations
                .iter()
                .all(|p| p.served_by.len() == w.regions)
            && self.timeline.fits(&w.event_windows)
            && self.series.fits(w.bin_s)
            && self
                .workers
                .iter()
                .map(|r| r.deployment())
                .eq(want.workers.iter().copied())
    }
}

fn build_pop(p: PopRec) -> Result<PopulationStats, String> {
    let [sessions, served_home, overflow, rejected, abandoned, interrupted, redispatched, waited] =
        p.counts;
    Ok(PopulationStats {
        sessions,
        served_home,
        overflow,
        rejected,
        abandoned,
        interrupted,
        redispatched,
        waited,
        served_by: p.served_by,
        slo_met: p.slo_met,
        rtt: p.rtt.build()?,
        join: p.join.build()?,
        wait: p.wait.build()?,
    })
}
