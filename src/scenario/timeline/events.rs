//! Each supply event of the timeline (deploy, delete, migrate, outage,
//! capacity) validated into the model's event with its primitive steps.

use super::super::field::{err, region_index, secs, VErr, R};
use super::super::raw::{RawEvent, RawFailover, RawScenario};
use super::super::units::Secs;
use super::{find, DEFAULT_DETECT_S, DEFAULT_DRAIN_S};
use crate::model::timeline::{Action, EventKind, Failover, Step, TimelineEvent};
use crate::model::{Deployment, Region};

pub(super) struct Ctx<'a> {
    regions: &'a [Region],
    deps: &'a [Deployment],
    horizon: f64,
    pub(super) notes: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(regions: &'a [Region], deps: &'a [Deployment], horizon: f64) -> Self {
        Self {
            regions,
            deps,
            horizon,
            notes: Vec::new(),
        }
    }

    pub(super) fn time(&self, path: &str, at: Secs) -> R<f64> {
        let t = secs(&format!("{path}.at"), at)?;
        if t > self.horizon {
            return err(
                format!("{path}.at"),
                format!(
                    "must be within the run (0 to the horizon, {} s), got {t} s",
                    self.horizon
                ),
            );
        }
        Ok(t)
    }

    fn label(&self, d: usize) -> String {
        self.deps[d].label(self.regions)
    }

    /// The creation event of a deployment declared with `created_at` or
    /// `ready_after` (those created by timeline events get theirs there).
    pub(super) fn creation(
        &self,
        d: usize,
        dep: &Deployment,
        raw: &RawScenario,
    ) -> Option<TimelineEvent> {
        let declared = d < raw.deployments.len();
        if !declared || (dep.created_at_s == 0.0 && dep.ready_after_s == 0.0) {
            return None;
        }
        Some(self.deploy_event(d, format!("deploy {}", self.label(d))))
    }

    fn deploy_event(&self, d: usize, label: String) -> TimelineEvent {
        let dep = &self.deps[d];
        TimelineEvent {
            label,
            kind: EventKind::Deploy,
            at_s: dep.created_at_s,
            end_s: (dep.created_at_s + dep.ready_after_s).min(self.horizon),
            steps: deploy_steps(d, dep),
        }
    }

    fn drain(&mut self, path: &str, deleted_at: f64, drain: Option<Secs>) -> R<f64> {
        let drain = match drain {
            Some(s) => secs(&format!("{path}.drain"), s)?,
            None => DEFAULT_DRAIN_S,
        };
        if deleted_at + drain > self.horizon {
            self.notes.push(format!(
                "{path}: the drain ends after the horizon, so sessions still running at the horizon are not cut"
            ));
        }
        Ok(drain)
    }

    /// A supply event (everything but flash crowds) with its steps.
    pub(super) fn supply(&mut self, path: &str, e: &RawEvent) -> R<TimelineEvent> {
        match e {
            RawEvent::Deploy {
                at,
                label,
                agent,
                region,
                ..
            } => {
                let d = self.find(path, "region", region, Some(agent))?;
                self.time(path, *at)?;
                let label = label.clone().unwrap_or(format!("deploy {}", self.label(d)));
                Ok(self.deploy_event(d, label))
            }
            RawEvent::Delete {
                at,
                label,
                agent,
                region,
                drain,
            } => self.delete(path, *at, label, agent.as_deref(), region, *drain),
            RawEvent::Migrate {
                at,
                label,
                agent,
                from,
                to,
                overlap,
                drain,
                ..
            } => {
                let old = self.find(path, "from", from, agent.as_deref())?;
                let agent = Some(self.deps[old].agent.as_str());
                let new = self.find(path, "to", to, agent)?;
                self.migrate(path, *at, label, (old, new), *overlap, *drain)
            }
            RawEvent::Outage {
                at,
                label,
                agent,
                region,
                duration,
                sessions,
                detect,
            } => {
                let failover = failover(path, *sessions, *detect)?;
                self.outage(
                    path,
                    *at,
                    label,
                    agent.as_deref(),
                    region,
                    *duration,
                    failover,
                )
            }
            RawEvent::Capacity {
                at,
                label,
                agent,
                region,
                capacity,
                hourly,
                utc_offset_h,
            } => {
                let d = self.find(path, "region", region, agent.as_deref())?;
                let at = self.time(path, *at)?;
                let action = capacity_action(path, d, *capacity, hourly.as_deref(), *utc_offset_h)?;
                Ok(self.capacity_event(d, at, label, hourly.is_some(), action))
            }
            RawEvent::Rate { .. } => unreachable!("flash crowds are handled by the caller"),
        }
    }

    /// Deployment `d`'s capacity set at `at` (a step, or an hourly schedule)
    /// for the rest of the run.
    fn capacity_event(
        &self,
        d: usize,
        at: f64,
        label: &Option<String>,
        hourly: bool,
        action: Action,
    ) -> TimelineEvent {
        let what = if hourly {
            "hourly capacity"
        } else {
            "capacity"
        };
        TimelineEvent {
            label: label.clone().unwrap_or(format!("{what} {}", self.label(d))),
            kind: EventKind::Capacity,
            at_s: at,
            end_s: self.horizon,
            steps: vec![Step { at_s: at, action }],
        }
    }

    /// The deployment of `agent` in the region named by `field` (with no
    /// agent given, the region's only deployment).
    fn find(&self, path: &str, field: &str, region: &str, agent: Option<&str>) -> R<usize> {
        find(self.deps, self.regions, path, field, region, agent)
    }

    fn delete(
        &mut self,
        path: &str,
        at: Secs,
        label: &Option<String>,
        agent: Option<&str>,
        region: &str,
        drain: Option<Secs>,
    ) -> R<TimelineEvent> {
        let d = self.find(path, "region", region, agent)?;
        let at = self.time(path, at)?;
        let drain = self.drain(path, at, drain)?;
        Ok(TimelineEvent {
            label: label.clone().unwrap_or(format!("delete {}", self.label(d))),
            kind: EventKind::Delete,
            at_s: at,
            end_s: (at + drain).min(self.horizon),
            steps: delete_steps(d, at, drain),
        })
    }

    /// Create `new` (its time and start-up were set when it was created) and
    /// delete `old` after the overlap.
    fn migrate(
        &mut self,
        path: &str,
        at: Secs,
        label: &Option<String>,
        (old, new): (usize, usize),
        overlap: Option<Secs>,
        drain: Option<Secs>,
    ) -> R<TimelineEvent> {
        let at = self.time(path, at)?;
        let overlap = match overlap {
            Some(s) => secs(&format!("{path}.overlap"), s)?,
            None => 0.0,
        };
        let drain = self.drain(path, at + overlap, drain)?;
        let mut steps = deploy_steps(new, &self.deps[new]);
        steps.extend(delete_steps(old, at + overlap, drain));
        let ready = at + self.deps[new].ready_after_s;
        let to = &self.regions[self.deps[new].region].id;
        Ok(TimelineEvent {
            label: label
                .clone()
                .unwrap_or(format!("migrate {} to {to}", self.label(old))),
            kind: EventKind::Migrate,
            at_s: at,
            end_s: (at + overlap + drain).max(ready).min(self.horizon),
            steps,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn outage(
        &self,
        path: &str,
        at: Secs,
        label: &Option<String>,
        agent: Option<&str>,
        region: &str,
        duration: Secs,
        failover: Failover,
    ) -> R<TimelineEvent> {
        let at = self.time(path, at)?;
        let end = at + secs(&format!("{path}.duration"), duration)?;
        let targets: Vec<usize> = match agent {
            Some(_) => vec![self.find(path, "region", region, agent)?],
            None => {
                let r = region_index(self.regions, &format!("{path}.region"), region)?;
                let v: Vec<usize> = (0..self.deps.len())
                    .filter(|&d| self.deps[d].region == r)
                    .collect();
                if v.is_empty() {
                    return err(
                        format!("{path}.region"),
                        format!("no deployment in region `{region}`"),
                    );
                }
                v
            }
        };
        let mut steps = Vec::with_capacity(2 * targets.len());
        for &d in &targets {
            steps.push(Step {
                at_s: at,
                action: Action::Down {
                    deployment: d,
                    failover,
                },
            });
            steps.push(Step {
                at_s: end,
                action: Action::Up { deployment: d },
            });
        }
        let what = match agent {
            Some(_) => self.label(targets[0]),
            None => region.to_string(),
        };
        Ok(TimelineEvent {
            label: label.clone().unwrap_or(format!("outage {what}")),
            kind: EventKind::Outage,
            at_s: at,
            end_s: end.min(self.horizon),
            steps,
        })
    }
}

/// What an outage does to running sessions: lost, or re-dispatched after the
/// failure is detected.
pub(in crate::scenario) fn failover(
    path: &str,
    sessions: RawFailover,
    detect: Option<Secs>,
) -> R<Failover> {
    Ok(match sessions {
        RawFailover::Lose => {
            if detect.is_some() {
                return err(
                    format!("{path}.detect"),
                    "only goes with `sessions: \"redispatch\"` (lost sessions are not re-dispatched)",
                );
            }
            Failover::Lose
        }
        RawFailover::Redispatch => Failover::Redispatch {
            detect_s: match detect {
                Some(s) => secs(&format!("{path}.detect"), s)?,
                None => DEFAULT_DETECT_S,
            },
        },
    })
}

fn deploy_steps(d: usize, dep: &Deployment) -> Vec<Step> {
    let mut v = Vec::with_capacity(2);
    if dep.created_at_s > 0.0 {
        v.push(Step {
            at_s: dep.created_at_s,
            action: Action::Create { deployment: d },
        });
    }
    if dep.ready_after_s > 0.0 {
        v.push(Step {
            at_s: dep.created_at_s + dep.ready_after_s,
            action: Action::Ready { deployment: d },
        });
    }
    v
}

fn delete_steps(d: usize, at: f64, drain: f64) -> Vec<Step> {
    vec![
        Step {
            at_s: at,
            action: Action::Delete { deployment: d },
        },
        Step {
            at_s: at + drain,
            action: Action::DrainEnd { deployment: d },
        },
    ]
}

fn capacity_action(
    path: &str,
    d: usize,
    capacity: Option<u32>,
    hourly: Option<&[u32]>,
    utc_offset_h: Option<f64>,
) -> R<Action> {
    match (capacity, hourly) {
        (Some(c), None) => {
            if utc_offset_h.is_some() {
                return err(
                    format!("{path}.utc_offset_h"),
                    "only goes with `hourly` (the clock of the schedule)",
                );
            }
            Ok(Action::Capacity {
                deployment: d,
                capacity: c,
            })
        }
        (None, Some(h)) => {
            let hourly: [u32; 24] = h.try_into().map_err(|_| VErr {
                path: format!("{path}.hourly"),
                message: format!(
                    "must have 24 capacities (hours 0..23 of the schedule's clock), got {}",
                    h.len()
                ),
            })?;
            let offset = utc_offset_h.unwrap_or(0.0);
            if !(offset.is_finite() && (-12.0..=14.0).contains(&offset)) {
                return err(
                    format!("{path}.utc_offset_h"),
                    format!("must be between -12 and 14 hours, got {offset}"),
                );
            }
            Ok(Action::Hourly {
                deployment: d,
                hourly: Box::new(hourly),
                utc_offset_h: offset,
            })
        }
        _ => err(
            path,
            "give exactly one of `capacity` (a step) and `hourly` (24 values)",
        ),
    }
}
