//! The checks of cases whose deployments fail: the capacity left in the pool
//! by an outage covering the run, and how many sessions a failure moves to
//! another agent when their users leave at their own time.

use super::checks::{no_theory, offered};
use super::exact::erlang_b;
use super::{Check, Runs};
use crate::model::timeline::{Action, Failover};
use crate::model::World;

/// Fewest mean session lengths between a failure and the last disturbance
/// (the warm-up, the previous recovery) for the loss system to be back in its
/// stationary law. Its distance from that law decays as e^(-gamma t), the
/// spectral gap gamma being at least mu (M/M/infinity's; truncating to c
/// slots raises it, to 1.52 mu at 10 slots and 8 Erlangs), so 25 means leave
/// less than e^-25 (1e-11) of it.
const SETTLED_MEANS: f64 = 25.0;

/// The failures of a one-deployment world whose each failure finds a settled
/// loss system and lasts beyond its detection: their count and the common
/// detection delay. None when the world does not fit that theory.
fn settled_failures(w: &World, mean: f64) -> Option<(u32, f64)> {
    let (mut count, mut detect, mut settled_from) = (0, None, w.run().warmup_s);
    for e in w.timeline() {
        let [down, up] = e.steps.as_slice() else {
            return None;
        };
        let Action::Down {
            failover: Failover::Redispatch { detect_s },
            ..
        } = down.action
        else {
            return None;
        };
        let one_delay = *detect.get_or_insert(detect_s) == detect_s;
        let settled = down.at_s - settled_from >= SETTLED_MEANS * mean;
        let outlasts = up.at_s > down.at_s + detect_s && up.at_s < w.run().horizon_s;
        if !(one_delay && settled && outlasts && matches!(up.action, Action::Up { .. })) {
            return None;
        }
        (count, settled_from) = (count + 1, up.at_s);
    }
    Some((count, detect?))
}

/// A loss region failing again and again, each time after it settled, with
/// nowhere else to go: each failure finds sessions running in the number of
/// the stationary law, mean a (1 - B(c, a)), and all of them are interrupted
/// (during the detection, or finding the region still down at it). A session
/// is moved only if its user is still there when the platform notices:
/// with exponential lengths of rate mu, the remaining length outlasts the
/// delay d with probability e^(-mu d), whatever the session's age.
pub(super) fn outage_redispatch(r: &Runs) -> Vec<Check> {
    let w = &r.world;
    let Some(mean) = w.populations()[0].session.exponential_mean() else {
        return vec![no_theory(r, "the case needs exponential sessions")];
    };
    let no_delays = w.delays().dispatch.mean() == 0.0 && w.delays().startup.mean() == 0.0;
    let failures = settled_failures(w, mean).filter(|_| no_delays);
    let (Some((n, d)), [dep], [_]) = (failures, &w.deployments()[..], &w.populations()[..]) else {
        return vec![no_theory(
            r,
            "the case needs one deployment and population, no dispatch or start-up delay, and failures with one detection delay, each after the region settled and outlasting its detection",
        )];
    };
    let (c, a) = (dep.capacity, offered(w, 0));
    let running = a * (1.0 - erlang_b(c, a));
    let per_failure = move |x: f64| x / f64::from(n);
    vec![
        r.check(
            format!("moved per failure = a (1 - B({c}, {a:.3})) e^(-d / {mean} s), d = {d} s"),
            running * (-d / mean).exp(),
            move |_, m| per_failure(m.redispatched),
        ),
        r.check(
            format!("interrupted per failure = a (1 - B({c}, {a:.3}))"),
            running,
            move |_, m| per_failure(m.interrupted),
        ),
    ]
}
