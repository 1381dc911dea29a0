//! How each identity of the suite is checked: the exact values derived from a
//! case's parsed world (Erlang B, C and A, the loss network's Markov chain,
//! arrival integrals, over-admission pairs) set against the replications'
//! estimates. The table of cases that uses them is in `cases.rs`.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::ctmc::LossNetwork;
use super::exact::{erlang_a, erlang_b, erlang_c, erlang_c_mean_wait};
use super::{mean_and_half_width, Check, Runs, Test};
use crate::model::timeline::Action;
use crate::model::{PolicySpec, World};
use crate::stats::RunStats;

/// Over-admission of the case's world (exact load: none) and its paired
/// increase at each longer sampling interval (reports every 5 samples), on the
/// same seeds.
pub(super) fn stale_load(r: &Runs) -> Vec<Check> {
    let over = |s: &RunStats| {
        s.workers
            .first()
            .map_or(f64::NAN, |w| w.over_admission_rate())
    };
    let mut out = vec![r.check("over-admitted share with exact load", 0.0, |s, _| over(s))];
    let mut prev: Vec<f64> = r.stats.iter().map(over).collect();
    let mut from = 0.0;
    for interval in [0.25, 1.0, 4.0] {
        let mut w = r.world.clone();
        w.set_worker_measurement(interval, interval * 5.0)
            .expect("positive intervals");
        let next: Vec<f64> = Runs::simulate(r.case, w).stats.iter().map(over).collect();
        let diffs: Vec<f64> = next.iter().zip(&prev).map(|(b, a)| b - a).collect();
        let (mean, hw) = mean_and_half_width(&diffs, r.world.run().confidence);
        out.push(Check {
            case: r.case,
            quantity: format!("over-admission increase, sampling {from} s -> {interval} s"),
            exact: 0.0,
            simulated: mean,
            half_width: hw,
            test: Test::Above,
        });
        (prev, from) = (next, interval);
    }
    out
}

/// Slots of deployment `d` as the exact formulas see them: its capacity, or
/// for workers with exact load, workers x floor((threshold - base) / per-session load).
fn slots(w: &World, d: usize) -> u32 {
    let dep = &w.deployments()[d];
    match &dep.workers {
        Some(spec) => spec.count * spec.sessions_at_threshold(),
        None => dep.capacity,
    }
}

/// A steady state carries as much work into the window as out of it.
pub(super) fn steady_state(_: &World) -> Option<f64> {
    Some(0.0)
}

/// Expected work still to do at `to` (session-seconds) from sessions that
/// arrived in [from, to) and started at once with exponential lengths of mean m:
/// the integral of lambda(t) m exp(-(to - t) / m). The rate is constant on each
/// one-second piece (profiles and flash crowds change on whole seconds), where the integral is
/// exact; pieces older than 50 m weigh less than e^-50 and are skipped.
/// None when that would take more than ten million pieces.
fn residual_work(rate: impl Fn(f64) -> f64, m: f64, from: f64, to: f64) -> Option<f64> {
    let start = from.max(to - 50.0 * m);
    if to - start > 1e7 {
        return None;
    }
    let mut total = 0.0;
    let mut a = start;
    while a < to {
        let b = (a.floor() + 1.0).min(to);
        let weight = (-(to - b) / m).exp() - (-(to - a) / m).exp();
        total += rate((a + b) / 2.0) * m * m * weight;
        a = b;
    }
    Some(total)
}

/// L - lambda W of a window when every session starts on arrival and lasts an
/// exponential time: (work carried in at the warm-up - work carried out at the
/// horizon) / window length. None where that theory does not hold; that no
/// session ever waits is the case's design (100 000 slots for a 60-Erlang peak).
pub(super) fn edge_work_gap(w: &World) -> Option<f64> {
    let pop = match w.populations().as_slice() {
        [p] => p,
        _ => return None,
    };
    let mean = pop.session.exponential_mean()?;
    let (warmup, horizon) = (w.run().warmup_s, w.run().horizon_s);
    let rate = |t| crate::model::surge::rate_at(&pop.rate, &pop.surges, t);
    let carried_in = residual_work(rate, mean, 0.0, warmup)?;
    let carried_out = residual_work(rate, mean, warmup, horizon)?;
    Some((carried_in - carried_out) / (horizon - warmup))
}

/// Capacity of the deployments not down at the start of the run (an outage
/// lasting the whole run takes its deployments out of the pool).
fn capacity_up(w: &World) -> u32 {
    let down: Vec<usize> = w
        .timeline()
        .iter()
        .flat_map(|e| &e.steps)
        .filter(|s| s.at_s == 0.0 && matches!(s.action, Action::Down { .. }))
        .map(|s| s.action.deployment())
        .collect();
    (0..w.deployments().len())
        .filter(|d| !down.contains(d))
        .map(|d| w.deployments()[d].capacity)
        .sum()
}

/// Arrival rate (per second, at the peak: the cases use flat profiles) and
/// mean session length of population p.
fn rate_and_mean(w: &World, p: usize) -> (f64, f64) {
    let pop = &w.populations()[p];
    (pop.rate.max_rate(), pop.session.mean())
}

pub(super) fn offered(w: &World, p: usize) -> f64 {
    let (lambda, mean) = rate_and_mean(w, p);
    lambda * mean
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

pub(super) fn erlang_b_single(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let (c, a) = (slots(w, 0), offered(w, 0));
    vec![r.check(
        format!("rejection = Erlang B({c}, {a:.3})"),
        erlang_b(c, a),
        |_, m| m.rejection_rate,
    )]
}

pub(super) fn spill_anywhere(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let c = capacity_up(w);
    let a: f64 = (0..w.populations().len()).map(|p| offered(w, p)).sum();
    let exact = erlang_b(c, a);
    let mut out = vec![r.check(
        format!("total rejection = Erlang B({c}, {a:.3})"),
        exact,
        |_, m| m.rejection_rate,
    )];
    for (p, pop) in w.populations().iter().enumerate() {
        out.push(r.check(
            format!("{} rejection = Erlang B({c}, {a:.3})", pop.name),
            exact,
            move |_, m| m.populations[p].rejection_rate,
        ));
    }
    out
}

pub(super) fn explicit_no_fallback(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let PolicySpec::Explicit { routes, .. } = &w.policy() else {
        return vec![no_theory(r, "the case needs explicit dispatch")];
    };
    let mut out = Vec::new();
    for (p, pop) in w.populations().iter().enumerate() {
        let Some(&d) = routes.get(p).and_then(|route| route.chain.first()) else {
            out.push(no_theory(r, "a population has no route"));
            continue;
        };
        let (c, a) = (w.deployments()[d].capacity, offered(w, p));
        out.push(r.check(
            format!("{} rejection = Erlang B({c}, {a:.3})", pop.name),
            erlang_b(c, a),
            move |_, m| m.populations[p].rejection_rate,
        ));
    }
    out
}

/// A failing check standing for a case whose world does not fit its theory.
pub(super) fn no_theory(r: &Runs, why: &str) -> Check {
    Check {
        case: r.case,
        quantity: why.into(),
        exact: f64::NAN,
        simulated: f64::NAN,
        half_width: f64::NAN,
        test: Test::Interval,
    }
}

/// Nearest dispatch as a loss network: each (single-city) population's
/// preference order computed as the policy does (deployments by ascending media
/// RTT, ties in scenario order, within the extra-RTT budget) and its spill
/// threshold. None unless the chain is exact: one city per population,
/// exponential sessions of one common mean (the state holds occupancies only),
/// and nobody waits.
fn nearest_network(w: &World) -> Option<LossNetwork> {
    use crate::model::{OnFull, Patience};
    let PolicySpec::Nearest {
        deployments,
        spill,
        on_full,
    } = &w.policy()
    else {
        return None;
    };
    let mean_s = w.populations().first()?.session.mean();
    let markovian = w.populations().iter().all(|p| {
        p.session.exponential_mean() == Some(mean_s)
            && p.cities.len() == 1
            && (*on_full == OnFull::Reject || matches!(p.patience, Patience::None))
    });
    if !markovian {
        return None;
    }
    let mut classes = Vec::new();
    for (p, pop) in w.populations().iter().enumerate() {
        let city = w.cities().get(*pop.cities.first()?)?;
        let rtt = |d: usize| city.rtt_ms[w.deployments()[d].region];
        let mut order: Vec<usize> = (0..deployments.len()).collect();
        order.sort_by(|&a, &b| rtt(deployments[a]).total_cmp(&rtt(deployments[b])));
        let home = rtt(deployments[*order.first()?]);
        order.retain(|&i| rtt(deployments[i]) - home <= spill.max_extra_rtt_ms);
        classes.push((rate_and_mean(w, p).0, order));
    }
    Some(LossNetwork {
        capacity: deployments
            .iter()
            .map(|&d| w.deployments()[d].capacity)
            .collect(),
        mean_s,
        classes,
        threshold: spill.utilization_threshold,
    })
}

pub(super) fn spill_ctmc(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let Some(net) = nearest_network(w) else {
        return vec![no_theory(
            r,
            "the chain needs nearest dispatch, one city per population, exponential sessions of one mean, no waiting",
        )];
    };
    let Some(shares) = net.solve() else {
        return vec![no_theory(r, "the Markov chain is too large or invalid")];
    };
    let PolicySpec::Nearest { deployments, .. } = &w.policy() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (p, pop) in w.populations().iter().enumerate() {
        for &i in &net.classes[p].1 {
            let region = w.deployments()[deployments[i]].region;
            let home = net.classes[p].1.first() == Some(&i);
            let label = if home { "at home" } else { "in" };
            out.push(r.check(
                format!("{} served {label} {}", pop.name, w.regions()[region].id),
                shares.served[p][i],
                move |s, _| {
                    let q = &s.populations[p];
                    ratio(q.served_by[region], q.sessions)
                },
            ));
        }
        out.push(r.check(
            format!("{} rejected", pop.name),
            shares.rejected[p],
            move |s, _| ratio(s.populations[p].rejected, s.populations[p].sessions),
        ));
    }
    out
}

pub(super) fn erlang_c_case(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let c = slots(w, 0);
    let (lambda, mean) = rate_and_mean(w, 0);
    let a = lambda * mean;
    vec![
        r.check(
            format!("P(wait) = Erlang C({c}, {a:.3})"),
            erlang_c(c, a).unwrap_or(f64::NAN),
            |_, m| m.wait_probability,
        ),
        r.check(
            "mean wait, s = C / (c mu - lambda)",
            erlang_c_mean_wait(c, lambda, mean).unwrap_or(f64::NAN),
            |_, m| m.wait_ms.mean / 1000.0,
        ),
    ]
}

pub(super) fn erlang_a_case(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let c = w.deployments()[0].capacity;
    let (lambda, mean) = rate_and_mean(w, 0);
    let patience = match &w.populations()[0].patience {
        crate::model::Patience::Dist(d) => d.mean(),
        _ => f64::NAN,
    };
    let Some(x) = erlang_a(c, lambda, mean, patience) else {
        return vec![no_theory(r, "the case needs exponential patience")];
    };
    vec![
        r.check("abandonment", x.abandonment, |_, m| m.abandonment_rate),
        r.check(
            "P(wait), served users",
            x.wait_probability_served,
            |_, m| m.wait_probability,
        ),
        r.check(
            "mean wait of served users, s",
            x.mean_wait_served_s,
            |_, m| m.wait_ms.mean / 1000.0,
        ),
    ]
}

pub(super) fn unlimited_capacity(r: &Runs) -> Vec<Check> {
    let a = offered(&r.world, 0);
    vec![
        r.check("mean concurrency = A", a, |_, m| {
            m.regions[0].mean_concurrency
        }),
        r.check("concurrency variance = A", a, |_, m| {
            m.regions[0].concurrency_variance
        }),
    ]
}

pub(super) fn time_varying_arrivals(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let integral = |a: f64, b: f64| w.expected_arrivals(0, a, b);
    let (warmup, horizon) = (w.run().warmup_s, w.run().horizon_s);
    let mut out = vec![r.check(
        "arrivals per run = integral of the rate",
        integral(warmup, horizon),
        |s, _| s.populations[0].sessions as f64,
    )];
    // Pooled counts per bin against reps x integral over the bin: chi-square
    // with one degree of freedom per bin (nothing is fitted).
    let reps = r.stats.len() as f64;
    let Some((first, rest)) = r.stats.split_first() else {
        return out;
    };
    let mut series = first.series.clone();
    for s in rest {
        series.merge(&s.series);
    }
    let bin = series.bin_s;
    let (mut chi2, mut dof) = (0.0, 0u32);
    for (b, counts) in series.counts.iter().enumerate() {
        let (from, to) = (b as f64 * bin, ((b + 1) as f64 * bin).min(horizon));
        let expected = reps * integral(from, to);
        if expected > 0.0 {
            chi2 += (counts.arrivals as f64 - expected).powi(2) / expected;
            dof += 1;
        }
    }
    let critical = ChiSquared::new(f64::from(dof))
        .map(|d| d.inverse_cdf(super::CONFIDENCE))
        .unwrap_or(f64::NAN);
    out.push(Check {
        case: r.case,
        quantity: format!(
            "chi-square of arrivals per bin ({dof} bins) vs its {:.2} % quantile",
            super::CONFIDENCE * 100.0
        ),
        exact: critical,
        simulated: chi2,
        half_width: f64::NAN,
        test: Test::AtMost,
    });
    out
}
