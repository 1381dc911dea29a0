//! The analytic start: each deployment's offered load at its own peak under the
//! policy's home assignment (every user at the deployment it would get if nothing
//! were full), and per deployment the smallest capacity Erlang B or C says meets
//! the rate targets. Exact for one region or pinned populations with flat load;
//! elsewhere a starting point the simulation search corrects.

use crate::engine::policy::city_order;
use crate::model::target::{Metric, Scope, Target};
use crate::model::{OnFull, Patience, PolicySpec, World};
use crate::validation::exact::{erlang_c, erlang_c_mean_wait};

/// Largest capacity the inverses look at.
const MAX_SLOTS: u32 = 1_000_000;

/// Share of population p's users at home at each deployment.
fn home_shares(world: &World, p: usize) -> Vec<(usize, f64)> {
    let pop = &world.populations[p];
    let weight = |k: usize| match k {
        _ if pop.city_cdf.is_empty() => 1.0,
        0 => pop.city_cdf[0],
        _ => pop.city_cdf[k] - pop.city_cdf[k - 1],
    };
    let candidates: Vec<usize> = match &world.policy {
        PolicySpec::Explicit { routes, .. } => {
            return vec![(routes[p].chain[0], 1.0)];
        }
        PolicySpec::GeoFenced { allowed, .. } => allowed[p].clone(),
        PolicySpec::Nearest { deployments, .. }
        | PolicySpec::LeastLoaded { deployments, .. }
        | PolicySpec::PowerOfTwo { deployments, .. }
        | PolicySpec::Score { deployments, .. } => deployments.clone(),
    };
    pop.cities
        .iter()
        .enumerate()
        .map(|(k, &city)| {
            (
                city_order(world, city, &candidates)[0].0 as usize,
                weight(k),
            )
        })
        .collect()
}

/// Offered load (Erlangs) at each deployment's busiest moment of the window.
pub fn peak_loads(world: &World) -> Vec<f64> {
    let shares: Vec<Vec<(usize, f64)>> = (0..world.populations.len())
        .map(|p| home_shares(world, p))
        .collect();
    let mut peak = vec![0.0f64; world.deployments.len()];
    let (from, to) = (world.run.warmup_s, world.run.horizon_s);
    let steps = ((to - from) / 300.0).ceil().max(1.0) as usize;
    let mut load = vec![0.0; world.deployments.len()];
    for i in 0..steps {
        let t = from + (i as f64 + 0.5) * (to - from) / steps as f64;
        load.iter_mut().for_each(|l| *l = 0.0);
        for (p, pop) in world.populations.iter().enumerate() {
            let a = pop.rate.rate_at(t) * pop.session.mean();
            for &(d, w) in &shares[p] {
                load[d] += a * w;
            }
        }
        for (pk, l) in peak.iter_mut().zip(&load) {
            *pk = pk.max(*l);
        }
    }
    peak
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
        .populations
        .iter()
        .any(|p| !matches!(p.patience, Patience::None));
    let on_full = match &world.policy {
        PolicySpec::Explicit { on_full, .. } => *on_full,
        // Other policies spill before anyone waits: home blocking is Erlang B.
        _ => OnFull::Reject,
    };
    patient && on_full == OnFull::Wait
}

/// The capacity one target asks of a deployment offered `a` Erlangs at its peak
/// (`mean_s`: mean session length), if theory gives one.
fn inverse(world: &World, t: &Target, a: f64, mean_s: f64) -> Option<u32> {
    let x = t.limit;
    Some(match t.metric {
        Metric::OverflowRate => erlang_b_inverse(a, x),
        Metric::RejectionRate | Metric::AbandonmentRate | Metric::RejectionAbandonmentRate => {
            if waits(world) {
                erlang_c_inverse(a, x)
            } else {
                erlang_b_inverse(a, x)
            }
        }
        Metric::WaitProbability => erlang_c_inverse(a, x),
        Metric::WaitMeanMs => first_above(a, |c| {
            erlang_c_mean_wait(c, a / mean_s, mean_s).is_some_and(|w| w * 1000.0 <= x)
        }),
        _ => return None,
    })
}

/// Per deployment, the largest capacity any applicable target asks for
/// (Erlang B at 1 % when no target has a formula), never below 1.
pub fn start(world: &World, targets: &[Target]) -> (Vec<f64>, Vec<u32>) {
    let loads = peak_loads(world);
    let mut caps = Vec::with_capacity(loads.len());
    for (d, &a) in loads.iter().enumerate() {
        let homed: Vec<usize> = (0..world.populations.len())
            .filter(|&p| home_shares(world, p).iter().any(|&(h, _)| h == d))
            .collect();
        let mean_s = homed
            .iter()
            .map(|&p| world.populations[p].session.mean())
            .fold(0.0, f64::max)
            .max(1e-9);
        let applies = |t: &&Target| match t.scope {
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
    (loads, caps)
}
