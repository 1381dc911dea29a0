//! Lifecycle rules per deployment, over the whole timeline: nothing before its
//! creation or after its deletion, one deletion, outages that do not overlap.

use super::super::field::{err, R};
use super::super::raw::RawScenario;
use crate::model::timeline::{Action, Step, TimelineEvent};
use crate::model::Deployment;

/// Check every deployment's life. Events built from declared deployments come
/// first in `events`, then one per raw timeline entry (whose index names them).
pub(super) fn check(raw: &RawScenario, events: &[TimelineEvent], deps: &[Deployment]) -> R<()> {
    let offset = events.len() - raw.timeline.len();
    let entries: Vec<&TimelineEvent> = events[offset..].iter().collect();
    for (d, dep) in deps.iter().enumerate() {
        let deleted = one_life(d, dep, &entries)?;
        if let Some((t, j)) = deleted {
            nothing_after_deletion(d, t, j, &entries)?;
        }
    }
    Ok(())
}

/// Walk `d`'s steps: created before touched, deleted once, outages apart.
/// Returns when and by which entry it is deleted.
fn one_life(d: usize, dep: &Deployment, entries: &[&TimelineEvent]) -> R<Option<(f64, usize)>> {
    let mut deleted: Option<(f64, usize)> = None;
    let mut outages: Vec<(f64, f64, usize)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let path = format!("timeline[{i}]");
        let mine: Vec<&Step> = e
            .steps
            .iter()
            .filter(|s| s.action.deployment() == d)
            .collect();
        let Some(first) = mine.first() else { continue };
        let creates = matches!(first.action, Action::Create { .. } | Action::Ready { .. });
        if !creates && first.at_s < dep.created_at_s {
            return err(
                format!("{path}.at"),
                format!(
                    "deployment {} is created at {} s; this event comes before",
                    dep.agent, dep.created_at_s
                ),
            );
        }
        for s in &mine {
            match s.action {
                Action::Delete { .. } => {
                    if let Some((_, j)) = deleted {
                        return err(
                            path,
                            format!("deletes a deployment already deleted by timeline[{j}]"),
                        );
                    }
                    deleted = Some((s.at_s, i));
                }
                Action::Down { .. } => {
                    let end = mine
                        .iter()
                        .find(|u| matches!(u.action, Action::Up { .. }))
                        .map_or(s.at_s, |u| u.at_s);
                    if let Some(&(_, _, j)) = outages.iter().find(|o| s.at_s < o.1 && o.0 < end) {
                        return err(
                            format!("{path}.at"),
                            format!("overlaps the outage of timeline[{j}] on the same deployment"),
                        );
                    }
                    outages.push((s.at_s, end, i));
                }
                _ => {}
            }
        }
    }
    Ok(deleted)
}

/// No resize or outage of `d` after its deletion at `t` by entry `j`.
fn nothing_after_deletion(d: usize, t: f64, j: usize, entries: &[&TimelineEvent]) -> R<()> {
    for (i, e) in entries.iter().enumerate() {
        let late = e.steps.iter().any(|s| {
            s.action.deployment() == d
                && s.at_s > t
                && matches!(
                    s.action,
                    Action::Capacity { .. } | Action::Hourly { .. } | Action::Down { .. }
                )
        });
        if late {
            return err(
                format!("timeline[{i}].at"),
                format!("the deployment is deleted by timeline[{j}] before this event"),
            );
        }
    }
    Ok(())
}
