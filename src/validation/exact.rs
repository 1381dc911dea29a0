//! Exact queueing results the simulator is checked against: Erlang B, Erlang C
//! and the M/M/c+M (Erlang A) birth-death chain. Pure numerics, no simulation.
//!
//! Everything is computed by numerically stable recursions or in log space, so
//! large loads (hundreds of Erlangs) neither overflow nor lose precision.

/// Erlang B blocking probability of c slots offered A Erlangs, by the stable
/// recursion B(k) = A B(k-1) / (k + A B(k-1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C: probability that an arrival waits in M/M/c with offered load A < c.
/// Derived from Erlang B, C = c B / (c - A (1 - B)), which stays stable where the
/// textbook sum of A^k / k! would overflow. `None` when A >= c (no steady state).
pub fn erlang_c(c: u32, a: f64) -> Option<f64> {
    let cf = f64::from(c);
    if !(a >= 0.0 && a < cf) {
        return None;
    }
    let b = erlang_b(c, a);
    Some(cf * b / (cf - a * (1.0 - b)))
}

/// Mean wait in M/M/c, all arrivals: C(c, A) / (c mu - lambda), seconds, with
/// `lambda` in arrivals per second and `mean_s` the mean service time.
pub fn erlang_c_mean_wait(c: u32, lambda: f64, mean_s: f64) -> Option<f64> {
    let a = lambda * mean_s;
    let p = erlang_c(c, a)?;
    Some(p / (f64::from(c) / mean_s - lambda))
}

/// Steady state of M/M/c+M (Erlang A): c slots, Poisson arrivals, exponential
/// service, FCFS queue, each waiting user leaves after an exponential patience.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// Share of arrivals that abandon.
    pub abandonment: f64,
    /// Share of served users who waited (wait > 0).
    pub wait_probability_served: f64,
    /// Mean wait of served users, seconds.
    pub mean_wait_served_s: f64,
    /// Mean wait of all arrivals (served or not), seconds: E[queue length] / lambda.
    pub mean_wait_all_s: f64,
    /// Highest number in system kept by the truncation.
    pub truncated_at: usize,
}

/// Solve M/M/c+M exactly: the birth-death chain on the number in system n has
/// birth rate lambda and death rate min(n, c) mu + max(n - c, 0) theta. Its
/// stationary law is truncated where the tail falls below 1e-18 of the mass
/// (death rates grow linearly, so the tail decays faster than geometrically).
///
/// Served-user waits follow from the tagged-user chain: at queue position i a
/// user moves up at rate c mu + (i - 1) theta (a service ends or someone ahead
/// leaves) and leaves at rate theta; by PASTA an arrival sees the stationary law.
pub fn erlang_a(c: u32, lambda: f64, mean_s: f64, patience_mean_s: f64) -> Option<ErlangA> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if c == 0 || !ok(lambda) || !ok(mean_s) || !ok(patience_mean_s) {
        return None;
    }
    let (mu, theta, cf) = (1.0 / mean_s, 1.0 / patience_mean_s, f64::from(c));
    // Unnormalised log pi_n, growing until the tail is negligible.
    let mut log_pi = vec![0.0f64];
    let mut peak = 0.0f64;
    const MAX_STATES: usize = 1_000_000;
    loop {
        let n = log_pi.len();
        let death = if n <= c as usize {
            n as f64 * mu
        } else {
            cf * mu + (n - c as usize) as f64 * theta
        };
        let next = log_pi[n - 1] + (lambda / death).ln();
        log_pi.push(next);
        peak = peak.max(next);
        if (n > c as usize && next < peak - 41.5) || n >= MAX_STATES {
            break;
        }
    }
    let weights: Vec<f64> = log_pi.iter().map(|l| (l - peak).exp()).collect();
    let total: f64 = weights.iter().sum();
    let pi: Vec<f64> = weights.iter().map(|w| w / total).collect();
    let c_us = c as usize;
    // Tagged user at queue position i: chance of being served, and E[W 1{served}].
    let (mut served_from, mut wait_served) = (1.0f64, 0.0f64);
    let (mut p_served, mut p_waited_served, mut w_served, mut queue_len) = (0.0, 0.0, 0.0, 0.0);
    for (n, &p) in pi.iter().enumerate() {
        if n < c_us {
            p_served += p;
            continue;
        }
        let i = (n - c_us + 1) as f64;
        let advance = cf * mu + (i - 1.0) * theta;
        let rate = advance + theta;
        let q = advance / rate;
        wait_served = q * (served_from / rate + wait_served);
        served_from *= q;
        p_served += p * served_from;
        p_waited_served += p * served_from;
        w_served += p * wait_served;
        queue_len += p * (n - c_us) as f64;
    }
    Some(ErlangA {
        abandonment: 1.0 - p_served,
        wait_probability_served: p_waited_served / p_served,
        mean_wait_served_s: w_served / p_served,
        mean_wait_all_s: queue_len / lambda,
        truncated_at: pi.len() - 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_b_reference_values() {
        assert!((erlang_b(300, 285.0) - 0.0190).abs() < 5e-5);
        assert!((erlang_b(10, 8.0) - 0.12166).abs() < 5e-5);
        assert_eq!(erlang_b(0, 3.0), 1.0);
    }

    #[test]
    fn erlang_c_design_example() {
        // The textbook case: 100 arrivals per 30 min, 3 min mean, 14 slots.
        let lambda = 100.0 / 1800.0;
        let c = erlang_c(14, lambda * 180.0).unwrap();
        assert!((c - 0.174).abs() < 5e-4, "{c}");
        let w = erlang_c_mean_wait(14, lambda, 180.0).unwrap();
        assert!((w - 7.8).abs() < 0.05, "{w}");
        assert!(erlang_c(5, 5.0).is_none());
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_with_endless_patience() {
        let lambda = 100.0 / 1800.0;
        let a = erlang_a(14, lambda, 180.0, 1e9).unwrap();
        let c = erlang_c(14, 10.0).unwrap();
        assert!((a.wait_probability_served - c).abs() < 1e-5);
        assert!(a.abandonment < 1e-6);
        let w = erlang_c_mean_wait(14, lambda, 180.0).unwrap();
        assert!((a.mean_wait_served_s - w).abs() < 1e-3);
        assert!((a.mean_wait_all_s - w).abs() < 1e-3);
    }

    #[test]
    fn erlang_a_balances_abandonment_with_queue_length() {
        // Abandonment flow theta E[Lq] equals lambda P(ab).
        let (lambda, mean, patience) = (1.2, 10.0, 4.0);
        let a = erlang_a(10, lambda, mean, patience).unwrap();
        let lq = a.mean_wait_all_s * lambda;
        assert!((lq / patience - lambda * a.abandonment).abs() < 1e-9);
        // Served waits are shorter than all waits' share would suggest.
        assert!(a.mean_wait_served_s > 0.0 && a.abandonment > 0.0 && a.abandonment < 1.0);
    }
}
