//! The work of one replication, in events: an arrival and a departure per
//! session (and a waiting timer where users may wait), every flash crowd's
//! arrivals included; the timeline's steps; and each worker pool's ticks and
//! its passes over its workers, counted as the events of equal cost.
//!
//! A pool's passes grow with its workers, not with the events it schedules:
//! each sample or report tick visits every worker, each session placed scans
//! them (the weighted pick, the summed load), and the pool's sample ring is
//! laid out (window x workers values) once for a fixed pool and, for an
//! autoscaled one, again whenever its room runs out, half as large again, so
//! growing to N workers copies about 3 x window x N values. Their costs were
//! measured against an event of the reference scenario (about 70 ns of CPU).

use crate::model::timeline::Action;
use crate::model::workers::WorkerSpec;
use crate::model::{Patience, World};

/// Workers visited by tick passes per event of equal cost.
const TICK_VISITS_PER_EVENT: f64 = 64.0;
/// Workers scanned for the sessions placed per event of equal cost.
const SESSION_SCANS_PER_EVENT: f64 = 16.0;
/// Sample-ring values copied per event of equal cost.
const RING_COPIES_PER_EVENT: f64 = 12.0;

/// A worker pool as the estimate sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pool {
    /// Its deployment.
    pub deployment: usize,
    /// The most workers it is expected to hold at once.
    pub workers: f64,
    /// Samples in its moving average.
    pub window: f64,
    /// Its share of the sessions (its capacity at that many workers over
    /// every deployment's).
    pub share: f64,
    /// It is autoscaled, so its sample ring grows with its workers (a fixed
    /// pool's is laid out once, for its count).
    pub grows: bool,
}

/// The worker pools of `world`, each at the most workers it is expected to hold.
pub(super) fn pools(world: &World) -> Vec<Pool> {
    let load = offered_load(world);
    let mut v: Vec<(usize, &WorkerSpec, f64)> = Vec::new();
    let mut capacity = 0.0;
    for (d, dep) in world.deployments().iter().enumerate() {
        match &dep.workers {
            Some(w) => {
                let n = peak_workers(w, load);
                capacity += n * f64::from(w.sessions_at_threshold());
                v.push((d, w, n));
            }
            None => capacity += f64::from(dep.capacity),
        }
    }
    v.into_iter()
        .map(|(deployment, w, n)| Pool {
            deployment,
            workers: n,
            window: f64::from(w.measure.window),
            share: n * f64::from(w.sessions_at_threshold()) / capacity.max(1.0),
            grows: w.autoscale.is_some(),
        })
        .collect()
}

/// Sessions in progress at the busiest hour if every population peaked at
/// once, flash crowds included: a bound on what any pool is offered.
fn offered_load(world: &World) -> f64 {
    (0..world.populations().len())
        .map(|p| {
            let surge = world.populations()[p]
                .surges
                .iter()
                .map(|s| s.factor)
                .fold(1.0, f64::max);
            world.peak_offered_load(p) * surge
        })
        .sum()
}

/// A fixed pool's count; an autoscaler's workers for all of `load` at its
/// target (each worker's base load included), with a quarter's margin,
/// within [initial, max].
fn peak_workers(w: &WorkerSpec, load: f64) -> f64 {
    match &w.autoscale {
        None => f64::from(w.count),
        Some(a) => {
            let want = 1.25 * w.load.per_session * load / (a.target_load - w.load.base) + 1.0;
            let want = if want.is_nan() { f64::MAX } else { want.ceil() };
            want.clamp(f64::from(a.initial), f64::from(a.max))
        }
    }
}

/// One replication's work.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Work {
    /// Expected arrivals.
    pub sessions: f64,
    /// Expected events, worker passes as the events of equal cost.
    pub events: f64,
    /// The field behind the largest term, when it is a flash crowd or a pool.
    pub cause: Option<String>,
}

/// The work of one replication of `world`.
pub(super) fn of(world: &World, pools: &[Pool]) -> Work {
    let horizon = world.run().horizon_s;
    let (mut sessions, mut events) = (0.0, 0.0);
    // The largest term with a field to blame, and its size.
    let mut top: (f64, Option<String>) = (0.0, None);
    let mut blame = |n: f64, cause: String| {
        if n > top.0 || top.1.is_none() {
            top = (n, Some(cause));
        }
    };
    for (i, p) in world.populations().iter().enumerate() {
        let n = world.expected_arrivals(i, 0.0, horizon);
        // An arrival and a departure each; a waiting timer where users may wait.
        let per = if matches!(p.patience, Patience::None) {
            2.0
        } else {
            3.0
        };
        sessions += n;
        events += n * per;
        for s in &p.surges {
            let (a, b) = (s.start_s.min(horizon), s.end_s.min(horizon));
            let extra = (s.factor - 1.0) * p.rate.integral(a, b) * per;
            blame(extra, format!("timeline[{}].factor", s.event));
        }
    }
    events += timeline_steps(world);
    for pool in pools {
        let (ticks, passes, field) = pool_work(world, pool, sessions);
        events += ticks + passes;
        let path = format!("deployments[{}].workers.{field}", pool.deployment);
        blame(ticks + passes, path);
    }
    // Blame a field only when it brings most of the work.
    let cause = top.1.filter(|_| top.0 > 0.5 * events);
    Work {
        sessions,
        events,
        cause,
    }
}

/// Timeline steps, each hourly schedule once an hour.
fn timeline_steps(world: &World) -> f64 {
    let steps = world.timeline().iter().flat_map(|e| &e.steps);
    steps
        .map(|s| match s.action {
            Action::Hourly { .. } => 1.0 + (world.run().horizon_s - s.at_s).max(0.0) / 3600.0,
            _ => 1.0,
        })
        .sum()
}

/// A pool's ticks and its passes over its workers (as events of equal cost)
/// over a replication of `sessions` arrivals, and the field that weighs most
/// in them.
fn pool_work(world: &World, pool: &Pool, sessions: f64) -> (f64, f64, &'static str) {
    let horizon = world.run().horizon_s;
    let w = world.deployments()[pool.deployment]
        .workers
        .as_ref()
        .expect("a pool is a deployment with workers");
    let per = |interval: f64| {
        if interval > 0.0 {
            horizon / interval
        } else {
            0.0
        }
    };
    let (samples, reports) = (
        per(w.measure.sample_interval_s),
        per(w.measure.report_interval_s),
    );
    let evaluations = w
        .autoscale
        .as_ref()
        .filter(|a| a.min < a.max)
        .map_or(0.0, |a| per(a.interval_s));
    let n = pool.workers;
    let visits = (3.0 * samples + 2.0 * reports + evaluations) * n / TICK_VISITS_PER_EVENT;
    let scans = sessions * pool.share * n / SESSION_SCANS_PER_EVENT;
    // A fixed pool's ring is laid out once; a growing one's again each time
    // its room runs out, half as large again, so about 3 x window x N
    // values are copied in all.
    let copies = if pool.grows { 3.0 } else { 1.0 };
    let ring = copies * pool.window * n / RING_COPIES_PER_EVENT;
    let field = if ring >= visits.max(scans) {
        "window"
    } else if visits >= scans {
        "sample_interval"
    } else if w.autoscale.is_some() {
        "autoscale.max"
    } else {
        "count"
    };
    (
        samples + reports + evaluations,
        visits + scans + ring,
        field,
    )
}
