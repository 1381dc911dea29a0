//! Range rules that keep a valid scenario computable: capacity totals that fit
//! the engine's counters (every capacity the timeline and worker pools can
//! reach included), a horizon within the clock's resolution, and arrival rates
//! whose daily integral, flash crowds included, is a finite number.

use super::field::{err, R};
use super::limits::MAX_HORIZON_S;
use super::raw::{RawEvent, RawRate, RawScenario};
use crate::model::rate::DAY_S;
use crate::model::timeline::{Action, TimelineEvent};
use crate::model::{Deployment, Population};

/// The capacities of the declared deployments together fit a 32-bit count,
/// each counted at the largest capacity it can reach by itself (a worker
/// pool's most workers times the sessions each holds).
pub fn capacity_total(deps: &[Deployment]) -> R<()> {
    CapacityBound::declared(deps).map(|_| ())
}

/// The rule that all deployments together hold at most `u32::MAX` sessions,
/// applied to the largest capacity each can ever have: its own, a worker
/// pool's most workers times sessions each, and every capacity the timeline
/// gives it (steps, each hour of a schedule, the capacity of a deployment it
/// creates). A sum over those maxima bounds every region's total at every
/// instant, so the engine's 32-bit region totals cannot wrap.
pub(super) struct CapacityBound {
    /// Per deployment, the largest capacity seen so far (0 for deployments
    /// the timeline has not created yet).
    most: Vec<u64>,
    total: u64,
}

impl CapacityBound {
    /// The deployments the scenario declares (the first `deps.len()`), each
    /// at the most it can hold by itself.
    pub(super) fn declared(deps: &[Deployment]) -> R<Self> {
        let mut b = Self {
            most: Vec::with_capacity(deps.len()),
            total: 0,
        };
        for (i, d) in deps.iter().enumerate() {
            b.most.push(0);
            let (most, field) = match &d.workers {
                None => (u64::from(d.capacity), "capacity".to_string()),
                Some(w) if w.autoscale.is_some() => {
                    (w.most_capacity(), "workers.autoscale.max".to_string())
                }
                Some(w) => (w.most_capacity(), "workers.count".to_string()),
            };
            b.reach(i, most, || format!("deployments[{i}].{field}"))?;
        }
        Ok(b)
    }

    /// Deployment `d` (appended if new) may hold `capacity`, given at `path`.
    pub(super) fn reach(
        &mut self,
        d: usize,
        capacity: u64,
        path: impl FnOnce() -> String,
    ) -> R<()> {
        if d >= self.most.len() {
            self.most.resize(d + 1, 0);
        }
        if capacity > self.most[d] {
            self.total += capacity - self.most[d];
            self.most[d] = capacity;
        }
        if self.total > u64::from(u32::MAX) {
            return err(
                path(),
                format!(
                    "the capacities add up to {} (each deployment at the largest it can reach); all deployments together may hold at most {} sessions",
                    self.total,
                    u32::MAX
                ),
            );
        }
        Ok(())
    }
}

/// [`CapacityBound`] over the timeline in the scenario's order, `events[i]`
/// being what `raw.timeline[i]` became: every deployment a `deploy` or
/// `migrate` creates at its capacity, every capacity step and every hour of
/// every schedule.
pub(super) fn timeline_capacities(
    raw: &RawScenario,
    deps: &[Deployment],
    events: &[TimelineEvent],
) -> R<()> {
    let mut created = raw.deployments.len();
    let mut bound = CapacityBound::declared(&deps[..created])?;
    for (i, (r, e)) in raw.timeline.iter().zip(events).enumerate() {
        if let RawEvent::Deploy { .. } | RawEvent::Migrate { .. } = r {
            let field = match r {
                RawEvent::Migrate { capacity: None, .. } => "to",
                _ => "capacity",
            };
            let capacity = u64::from(deps[created].capacity);
            bound.reach(created, capacity, || format!("timeline[{i}].{field}"))?;
            created += 1;
            continue;
        }
        for step in &e.steps {
            match &step.action {
                &Action::Capacity {
                    deployment,
                    capacity,
                } => bound.reach(deployment, capacity.into(), || {
                    format!("timeline[{i}].capacity")
                })?,
                Action::Hourly {
                    deployment, hourly, ..
                } => {
                    for (h, &c) in hourly.iter().enumerate() {
                        bound.reach(*deployment, c.into(), || {
                            format!("timeline[{i}].hourly[{h}]")
                        })?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// A horizon in (0, [`MAX_HORIZON_S`]].
pub fn horizon(path: &str, h: f64) -> R<()> {
    if !(h > 0.0 && h <= MAX_HORIZON_S) {
        return err(
            path,
            format!("must be > 0 and at most {MAX_HORIZON_S:e} s (about 100 years), got {h} s"),
        );
    }
    Ok(())
}

/// The peak rate times the largest hourly multiplier, over a day, is finite.
pub fn rate(pop_path: &str, raw: &RawRate, peak_per_s: f64, profile: &[f64]) -> R<()> {
    let top = profile.iter().copied().fold(0.0, f64::max);
    if !(peak_per_s * top * DAY_S).is_finite() {
        let field = if raw.peak_per_hour.is_some() {
            "peak_per_hour"
        } else {
            "peak_per_s"
        };
        return err(
            format!("{pop_path}.rate.{field}"),
            "is too large: the arrivals of a day would not be a finite number",
        );
    }
    Ok(())
}

/// The arrivals a flash crowd brings are a finite number: over each stretch
/// of `pop`'s flattened surges within the horizon, the factor in force
/// (overlapping crowds multiply) times the arrivals its rate brings there;
/// refused at the largest factor over the stretch.
pub(super) fn surge_arrivals(pop: &Population, horizon: f64) -> R<()> {
    for seg in &pop.surges {
        let (a, b) = (seg.start_s.min(horizon), seg.end_s.min(horizon));
        if !(seg.factor.is_finite() && (seg.factor * pop.rate.integral(a, b)).is_finite()) {
            return err(
                format!("timeline[{}].factor", seg.event),
                "is too large: the arrivals of this flash crowd would not be a finite number",
            );
        }
    }
    Ok(())
}
