//! The latency distributions' bytes: each population's media RTT, join
//! latency and wait, each worker pool's join latency, the timeline's rejoin
//! latency, bounded by the range their values are likely to span and by
//! their number.

use crate::model::{OnFull, Patience, Population, World};
use crate::scenario::warnings::on_full;
use crate::stats::{chunks_spanned, CHUNK_BYTES};

/// Bytes of the latency distributions of statistics over `reps`
/// replications: each population's media RTT, join latency and wait, each
/// worker pool's join latency, the timeline's rejoin latency. A distribution
/// allocates a chunk of counts (`stats/histogram.rs`) for each stretch of
/// values one lands in: at most as many as the values it is likely to take
/// span (their range, from the distributions that make them: patience, dispatch,
/// start-up, a worker pool's cold and process starts, jitter, the cities'
/// RTTs), and at most one per value recorded.
/// An upper bound: how many users wait, and how long, is up to the run.
pub(super) fn distributions(world: &World, pools: usize, reps: f64) -> f64 {
    let horizon = world.run().horizon_s;
    let values: Vec<f64> = (0..world.populations().len())
        .map(|i| world.expected_arrivals(i, 0.0, horizon) * reps + 1.0)
        .collect();
    let all: f64 = values.iter().sum();
    let delays = &world.delays();
    let (dispatch, startup) = (delays.dispatch.span(all), delays.startup.span(all));
    let jitter = delays.jitter.span(all);
    // A job on a worker pool may also wait for a worker's cold start (and
    // the autoscaler's next look) and for a job process to start.
    let pool_wait = (world.deployments().iter())
        .filter_map(|d| d.workers.as_ref())
        .map(|w| {
            let cold =
                (w.autoscale.as_ref()).map_or(0.0, |a| a.provisioning.span(all).1 + a.interval_s);
            cold + w.process_start.span(all).1
        })
        .fold(0.0, f64::max);
    let mut total = 0.0;
    let mut widest_join = (f64::INFINITY, 0.0f64);
    // Users wait only where the policy queues them.
    let queues = on_full(world.policy()) == OnFull::Wait;
    for (p, &values) in world.populations().iter().zip(&values) {
        let wait_s = if queues {
            longest_wait(p, values, horizon)
        } else {
            0.0
        };
        let join_s = (
            dispatch.0 + startup.0,
            wait_s + pool_wait + dispatch.1 + startup.1,
        );
        widest_join = (widest_join.0.min(join_s.0), widest_join.1.max(join_s.1));
        let (rtt, distinct) = rtts(world, p);
        let rtt = (rtt.0 + 1e3 * jitter.0, rtt.1 + 1e3 * jitter.1);
        let rtt_values = if jitter.1 > 0.0 {
            values
        } else {
            values.min(distinct)
        };
        total += held(rtt, rtt_values)
            + held((1e3 * join_s.0, 1e3 * join_s.1), values)
            + held((0.0, 1e3 * wait_s), values);
    }
    if widest_join.0.is_finite() {
        // Each pool's join latency, and every job joins one pool: however
        // many pools share them, the values allocate one chunk each at most.
        let (chunks, listed) = chunks_spanned(1e3 * widest_join.0, 1e3 * widest_join.1);
        let pools = pools as f64;
        total += (pools * chunks as f64).min(all.max(pools)) * CHUNK_BYTES as f64
            + pools.min(all) * 8.0 * listed as f64;
    }
    if !world.timeline().is_empty() {
        // A rejoin after a failure: detection, waiting, dispatch, start-up.
        let longest = horizon + pool_wait + dispatch.1 + startup.1;
        total += held((0.0, 1e3 * longest), all);
    }
    total
}

/// Bytes of one distribution of `values` values in `range` (ms).
pub(super) fn held(range: (f64, f64), values: f64) -> f64 {
    let (chunks, listed) = chunks_spanned(range.0, range.1);
    (chunks as f64).min(values.max(1.0)) * CHUNK_BYTES as f64 + 8.0 * listed as f64
}

/// The longest one of `values` users of `p` is likely to wait, seconds (0:
/// nobody waits).
fn longest_wait(p: &Population, values: f64, horizon: f64) -> f64 {
    match &p.patience {
        Patience::None => 0.0,
        Patience::Unlimited => horizon,
        Patience::Dist(d) => d.span(values).1.min(horizon),
    }
}

/// The least and the most base media RTT (ms) from `p`'s cities to any
/// region, and how many distinct values there are at most.
fn rtts(world: &World, p: &Population) -> ((f64, f64), f64) {
    let mut range = (f64::INFINITY, 0.0f64);
    let mut n = 0usize;
    for &c in &p.cities {
        for &r in &world.cities()[c].rtt_ms {
            range = (range.0.min(r), range.1.max(r));
            n += 1;
        }
    }
    if n == 0 {
        range = (0.0, 0.0);
    }
    (range, n as f64)
}
