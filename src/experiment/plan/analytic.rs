//! The analytic start: each deployment's offered load at its own peak under the
//! policy's home assignment (every user at the deployment it would get if nothing
//! were full), and per deployment the smallest capacity Erlang B or C says meets
//! the rate targets. Exact for one region or pinned populations with flat load;
//! elsewhere a starting point the simulation search corrects.
//!
//! Hourly schedules get the same inverse per UTC hour, on the hour's offered
//! load: its largest value from one mean session before the hour to the hour's
//! end (sessions hold across the hour boundary, so the load still in service
//! at the start of the hour counts), over every day of the window.

use crate::engine::policy::{AnyPolicy, Load, Policy, Request};
use crate::model::target::{Scope, Target, TargetMetric};
use crate::model::{OnFull, Patience, PolicySpec, World};
use crate::validation::exact::{erlang_c, erlang_c_mean_wait};

/// Largest capacity the inverses look at.
const MAX_SLOTS: u32 = 1_000_000;

/// Share of population p's users at home at each deployment: the home the
/// engine's policy gives each of its cities with every deployment existing but
/// closed candidates (one
/// definition of home, [`Policy::home`], for the engine and the planner).
fn home_shares(world: &World, policy: &AnyPolicy, p: usize) -> Vec<(usize, f64)> {
    let pop = &world.populations()[p];
    let weight = |k: usize| match k {
        _ if pop.city_cdf.is_empty() => 1.0,
        0 => pop.city_cdf[0],
        _ => pop.city_cdf[k] - pop.city_cdf[k - 1],
    };
    let n = world.deployments().len();
    let live: Vec<bool> = world.deployments().iter().map(|d| d.is_open()).collect();
    let (busy, limit) = (vec![0; n], vec![1; n]);
    let load = Load {
        busy: &busy,
        limit: &limit,
        live: &live,
    };
    pop.cities
        .iter()
        .enumerate()
        .map(|(k, &city)| {
            let req = Request {
                population: p,
                city,
                attempt: 0,
            };
            (policy.home(&req, load), weight(k))
        })
        .collect()
}

/// Offered load per deployment at time `t` under home assignment.
fn loads_at(world: &World, shares: &[Vec<(usize, f64)>], t: f64, load: &mut [f64]) {
    load.iter_mut().for_each(|l| *l = 0.0);
    for (p, pop) in world.populations().iter().enumerate() {
        let a = pop.rate.rate_at(t) * pop.session.mean();
        for &(d, w) in &shares[p] {
            load[d] += a * w;
        }
    }
}

/// Per deployment, the largest offered load at the `steps` midpoints of [from, to).
fn peak_over(world: &World, shares: &[Vec<(usize, f64)>], from: f64, to: f64, peak: &mut [f64]) {
    let steps = ((to - from) / 300.0).ceil().max(1.0) as usize;
    let mut load = vec![0.0; world.deployments().len()];
    for i in 0..steps {
        let t = from + (i as f64 + 0.5) * (to - from) / steps as f64;
        loads_at(world, shares, t, &mut load);
        for (pk, l) in peak.iter_mut().zip(&load) {
            *pk = pk.max(*l);
        }
    }
}

fn all_shares(world: &World) -> Vec<Vec<(usize, f64)>> {
    let policy = AnyPolicy::from_world(world);
    (0..world.populations().len())
        .map(|p| home_shares(world, &policy, p))
        .collect()
}

/// Per deployment and population, the population's peak offered load
/// (Erlangs) that is at home there: which users a deployment is open for.
pub fn home_loads(world: &World) -> Vec<Vec<f64>> {
    let shares = all_shares(world);
    let mut out = vec![vec![0.0; world.populations().len()]; world.deployments().len()];
    for (p, pop) in world.populations().iter().enumerate() {
        let a = pop.rate.max_rate() * pop.session.mean();
        for &(d, w) in &shares[p] {
            out[d][p] += a * w;
        }
    }
    out
}

/// Offered load (Erlangs) at each deployment's busiest moment of the window.
pub fn peak_loads(world: &World) -> Vec<f64> {
    let mut peak = vec![0.0f64; world.deployments().len()];
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    peak_over(world, &all_shares(world), from, to, &mut peak);
    peak
}

/// Per deployment, the start of its busiest window of `duration_s`: the whole
/// hour of the statistics window from which its offered home load, summed
/// over the window (cut at the horizon), is largest; the earliest on a tie.
/// Loads are read on a five-minute grid, as the peak is.
pub fn busiest_windows(world: &World, duration_s: f64) -> Vec<f64> {
    const STEP: f64 = 300.0;
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    let first = (from / 3600.0).ceil() * 3600.0;
    let first = if first < to { first } else { from };
    let n = world.deployments().len();
    let shares = all_shares(world);
    let points = ((to - first) / STEP).ceil() as usize;
    // prefix[i][d]: load of d summed over the first i grid points.
    let mut prefix = vec![vec![0.0f64; n]];
    let mut load = vec![0.0f64; n];
    for i in 0..points {
        loads_at(world, &shares, first + (i as f64 + 0.5) * STEP, &mut load);
        let next: Vec<f64> = prefix[i].iter().zip(&load).map(|(p, l)| p + l).collect();
        prefix.push(next);
    }
    let per_hour = (3600.0 / STEP) as usize;
    let span = ((duration_s / STEP).ceil() as usize).max(1);
    let mut best: Vec<Option<(f64, f64)>> = vec![None; n];
    for start in (0..points.max(1)).step_by(per_hour) {
        let end = (start + span).min(points);
        for (d, b) in best.iter_mut().enumerate() {
            let sum = prefix[end][d] - prefix[start.min(end)][d];
            // Above by more than rounding: equal windows keep the earliest.
            if b.is_none_or(|(top, _)| sum > top + 1e-9 * top.abs().max(1.0)) {
                *b = Some((sum, first + start as f64 * STEP));
            }
        }
    }
    best.into_iter().map(|b| b.map_or(first, |b| b.1)).collect()
}

/// Mean offered load (Erlangs) per deployment and UTC hour over the window's
/// occurrences of the hour: the demand an hourly chart draws.
pub fn hourly_mean_loads(world: &World) -> Vec<[f64; 24]> {
    let shares = all_shares(world);
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    let mut out = vec![[0.0f64; 24]; world.deployments().len()];
    let mut load = vec![0.0f64; world.deployments().len()];
    for h in 0..24u8 {
        let mut n = 0u32;
        let mut start = f64::from(h) * 3600.0;
        while start < to {
            for i in 0..12 {
                let t = start + (f64::from(i) + 0.5) * 300.0;
                if t < from || t >= to {
                    continue;
                }
                loads_at(world, &shares, t, &mut load);
                n += 1;
                for (o, l) in out.iter_mut().zip(&load) {
                    o[usize::from(h)] += l;
                }
            }
            start += 86_400.0;
        }
        for o in &mut out {
            o[usize::from(h)] /= f64::from(n.max(1));
        }
    }
    out
}

/// Offered load (Erlangs) per deployment and UTC hour: the largest from one
/// mean session (the longest population's) before the hour to its end, over
/// every occurrence of the hour in the window.
pub fn hourly_loads(world: &World) -> Vec<[f64; 24]> {
    let shares = all_shares(world);
    let lag = world
        .populations()
        .iter()
        .map(|p| p.session.mean())
        .fold(0.0, f64::max)
        .min(3600.0);
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    let mut out = vec![[0.0f64; 24]; world.deployments().len()];
    let mut peak = vec![0.0f64; world.deployments().len()];
    for h in 0..24u8 {
        peak.iter_mut().for_each(|p| *p = 0.0);
        let mut start = f64::from(h) * 3600.0;
        while start < to {
            if start + 3600.0 > from {
                // The lag and the hour apart, so a short lag is not stepped over.
                peak_over(world, &shares, start - lag, start, &mut peak);
                peak_over(world, &shares, start, start + 3600.0, &mut peak);
            }
            start += 86_400.0;
        }
        for (o, p) in out.iter_mut().zip(&peak) {
            o[usize::from(h)] = *p;
        }
    }
    out
}

/// Smallest c with Erlang B(c, a) <= x.
pub fn erlang_b_inverse(a: f64, x: f64) -> u32 {
    let mut b = 1.0;
    let mut c = 0;
    while b > x && c < MAX_SLOTS {
        c += 1;
        b = a * b / (f64::from(c) + a * b);
    }
    c
}

/// Smallest c with a steady state and `ok(c)`, searching up from the load.
fn first_above(a: f64, ok: impl Fn(u32) -> bool) -> u32 {
    let mut c = a.floor() as u32 + 1;
    while !ok(c) && c < MAX_SLOTS {
        c += 1;
    }
    c
}

/// Smallest c with Erlang C(c, a) <= x (P(wait) in M/M/c).
pub fn erlang_c_inverse(a: f64, x: f64) -> u32 {
    first_above(a, |c| erlang_c(c, a).is_some_and(|p| p <= x))
}

/// Whether users may wait at their home deployment rather than spill or leave.
fn waits(world: &World) -> bool {
    let patient = world
        .populations()
        .iter()
        .any(|p| !matches!(p.patience, Patience::None));
    let on_full = match &world.policy() {
        PolicySpec::Explicit { on_full, .. } => *on_full,
        // These spill to another deployment before anyone waits: blocking at
        // home is Erlang B whatever they do when every deployment is full.
        PolicySpec::Nearest { .. }
        | PolicySpec::LeastLoaded { .. }
        | PolicySpec::PowerOfTwo { .. }
        | PolicySpec::Score { .. }
        | PolicySpec::GeoFenced { .. } => OnFull::Reject,
    };
    patient && on_full == OnFull::Wait
}

/// The capacity one target asks of a deployment offered `a` Erlangs at its peak
/// (`mean_s`: mean session length), if theory gives one.
fn inverse(world: &World, t: &Target, a: f64, mean_s: f64) -> Option<u32> {
    let x = t.limit();
    Some(match t.metric() {
        TargetMetric::OverflowRate => erlang_b_inverse(a, x),
        TargetMetric::RejectionRate
        | TargetMetric::AbandonmentRate
        | TargetMetric::RejectionAbandonmentRate => {
            if waits(world) {
                erlang_c_inverse(a, x)
            } else {
                erlang_b_inverse(a, x)
            }
        }
        TargetMetric::WaitProbability => erlang_c_inverse(a, x),
        TargetMetric::WaitMeanMs => first_above(a, |c| {
            erlang_c_mean_wait(c, a / mean_s, mean_s).is_some_and(|w| w * 1000.0 <= x)
        }),
        _ => return None,
    })
}

/// Per deployment, the largest capacity any applicable target asks for
/// (Erlang B at 1 % when no target has a formula), never below 1.
pub fn start(world: &World, targets: &[Target]) -> (Vec<f64>, Vec<u32>) {
    let loads = peak_loads(world);
    let caps = start_at(world, targets, &loads);
    (loads, caps)
}

/// [`start`] for given per-deployment loads (an hour's, for schedules).
pub fn start_at(world: &World, targets: &[Target], loads: &[f64]) -> Vec<u32> {
    let shares = all_shares(world);
    let mut caps = Vec::with_capacity(loads.len());
    for (d, &a) in loads.iter().enumerate() {
        let homed: Vec<usize> = (0..world.populations().len())
            .filter(|&p| shares[p].iter().any(|&(h, _)| h == d))
            .collect();
        let mean_s = homed
            .iter()
            .map(|&p| world.populations()[p].session.mean())
            .fold(0.0, f64::max)
            .max(1e-9);
        let applies = |t: &&Target| match t.scope() {
            Scope::Population(p) => homed.contains(&p),
            _ => true,
        };
        let c = targets
            .iter()
            .filter(applies)
            .filter_map(|t| inverse(world, t, a, mean_s))
            .max()
            .unwrap_or_else(|| erlang_b_inverse(a, 0.01));
        caps.push(c.max(1));
    }
    caps
}
