//! Surviving a deployment's failure: the plan's failure scenarios, one per
//! deployment, each the planned world with that deployment down for a window
//! (the timeline's outage mechanics: nothing admitted there, its running
//! sessions lost or re-dispatched after the detection delay), measured over
//! that window alone. A resilience target is one check per failure scenario,
//! judged by the same confidence rule as every other check, so a plan is
//! verified on every failure as it is on the normal day.
//!
//! Why the window alone: a two-hour failure moves a day's rejection share by
//! a twelfth of what it does while it lasts, so a whole-day figure would hide
//! exactly what a planner asks (can the rest carry the load while one is
//! down?). Each scenario runs from the start of the run to the window's end
//! (its warm-up is everything before the failure), on the same seeds as the
//! normal day, so it sees the same users until the failure.

use super::analytic;
use super::measure::Span;
use super::Spec;
use crate::model::target::Resilience;
use crate::model::target::Target;
use crate::model::timeline::{Action, EventKind, Failover, Step, TimelineEvent};
use crate::model::World;

/// One deployment down for a window.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The deployment that fails.
    pub deployment: usize,
    /// When it fails, seconds from the start of the run.
    pub at_s: f64,
    /// When it is back (the scenario's measurement ends here).
    pub end_s: f64,
    /// What happens to its running sessions.
    pub failover: Failover,
}

impl Failure {
    /// `world` (capacities already applied) with this failure, measured over
    /// its window.
    pub fn world(&self, world: &World) -> World {
        let d = self.deployment;
        let mut w = world.clone();
        w.push_event(TimelineEvent {
            label: format!(
                "failure of {}",
                world.deployments()[d].label(world.regions())
            ),
            kind: EventKind::Outage,
            at_s: self.at_s,
            end_s: self.end_s,
            steps: vec![
                Step {
                    at_s: self.at_s,
                    action: Action::Down {
                        deployment: d,
                        failover: self.failover,
                    },
                },
                Step {
                    at_s: self.end_s,
                    action: Action::Up { deployment: d },
                },
            ],
        })
        .expect("a failure window lies inside the run");
        w.edit_run(|r| {
            r.warmup_s = self.at_s;
            r.horizon_s = self.end_s;
        })
        .expect("a failure window inside the run is a valid window");
        w
    }
}

impl Failure {
    /// The UTC hours of the day the window overlaps (what an hourly schedule
    /// raises when a failure check misses).
    pub fn utc_hours(&self) -> Vec<usize> {
        let first = (self.at_s / 3600.0).floor() as i64;
        let last = (self.end_s / 3600.0).ceil() as i64;
        let mut hours: Vec<usize> = (first..last.max(first + 1))
            .map(|h| h.rem_euclid(24) as usize)
            .collect();
        hours.sort_unstable();
        hours.dedup();
        hours
    }
}

/// Why a deployment is not failed (its failure would not be the scenario's
/// own deployment going down in its normal state).
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The deployment.
    pub deployment: usize,
    /// Why, in words.
    pub reason: String,
}

/// One failure per deployment: each at `r.at_s`, or at its own busiest
/// window of `r.duration_s` (home load, whole UTC hours), cut at the horizon.
/// A deployment the timeline creates, deletes, moves or takes down itself is
/// skipped, with the reason (a resize or a flash crowd is not a reason), and
/// so is one on workers (the timeline's outage steps act on slot supply; a
/// pool scales itself).
pub fn failures(world: &World, r: &Resilience) -> (Vec<Failure>, Vec<Skipped>) {
    let busiest = analytic::busiest_windows(world, r.duration_s);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (d, dep) in world.deployments().iter().enumerate() {
        if !dep.is_open() {
            continue;
        }
        let at_s = r.at_s.unwrap_or(busiest[d]);
        let end_s = (at_s + r.duration_s).min(world.run().horizon_s);
        let touched = world
            .timeline()
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Capacity | EventKind::Rate))
            .find(|e| e.steps.iter().any(|s| s.action.deployment() == d));
        if dep.workers.is_some() {
            skipped.push(Skipped {
                deployment: d,
                reason: "it runs on workers, and outages apply to slot deployments only".into(),
            });
        } else if let Some(e) = touched {
            skipped.push(Skipped {
                deployment: d,
                reason: format!("the timeline's `{}` event changes it", e.label),
            });
        } else if dep.created_at_s + dep.ready_after_s > at_s {
            skipped.push(Skipped {
                deployment: d,
                reason: "not ready when its failure would start".into(),
            });
        } else {
            out.push(Failure {
                deployment: d,
                at_s,
                end_s,
                failover: r.failover,
            });
        }
    }
    (out, skipped)
}

/// The failure checks of `spec`: each resilience target once per failure
/// scenario, failure-major (appended after the normal day's checks).
pub fn checks(spec: &Spec) -> impl Iterator<Item = (Target, Span)> + '_ {
    (0..spec.failures.len()).flat_map(move |k| {
        let k = u16::try_from(k).expect("fewer failure scenarios than deployments");
        spec.resilience.iter().map(move |&t| (t, Span::Failure(k)))
    })
}
