//! `plan.json` of an hourly schedule and the headline both its files open
//! with: the 24 capacities per deployment beside each hour's offered load, the
//! slot-hours against the static plan under the same targets (the saving),
//! every check (a target in one hour, or over the window) with its estimate
//! and one-sided bound, the candidates and the simulation effort of both
//! searches. `plan.md` is `plan_hourly_md.rs`.

use serde_json::{json, Value};

use super::json_values::num;
use super::plan::{json_head, json_text, purpose_name, status_name};
use super::plan_words::{check_label, deployment_label, missed_text};
use crate::experiment::plan::hourly::HourlyOutcome;
use crate::experiment::plan::{
    cost, floor_hours, hourly_groups, slot_hours, unmet, Knob, Outcome, Rule, Span, Spec, Stage,
    Status, TargetEstimate, Verification,
};
use crate::model::World;

fn checks_json(world: &World, rule: &Rule, est: &[TargetEstimate]) -> Value {
    let rows = est.iter().enumerate().map(|(i, e)| {
        let t = &rule.targets[i];
        json!({
            "check": check_label(world, rule, i),
            "target": t.label(world),
            "hour_utc": match rule.spans[i] { Span::Hour(h) => json!(h), Span::Window | Span::Failure(_) => Value::Null },
            "relation": t.relation(),
            "limit": num(t.limit()),
            "estimate": num(e.point),
            "bound": num(e.bound(t)),
            "met": e.meets(&rule.targets[i]),
        })
    });
    Value::Array(rows.collect())
}

fn verification(world: &World, rule: &Rule, v: &Verification) -> Value {
    json!({
        "purpose": purpose_name(v.purpose),
        "capacities": v.capacities,
        "seed": v.seed,
        "replications": v.replications,
        "sessions": num(v.sessions),
        "family_error": num(v.alpha),
        "per_check_confidence": num(1.0 - v.alpha / rule.targets.len().max(1) as f64),
        "passed": v.passed(),
        "checks": checks_json(world, rule, &v.estimates),
    })
}

/// The static plan's slot-hours, if it was verified.
pub(super) fn static_slot_hours(world: &World, fixed: &Spec, out: &HourlyOutcome) -> Option<f64> {
    let p = out.fixed.as_ref()?.plan.as_ref().filter(|v| v.passed())?;
    Some(slot_hours(world, &fixed.variables, &p.capacities))
}

fn effort(o: &Outcome) -> Value {
    let e = &o.effort;
    json!({
        "candidates": e.candidates,
        "search_replications": e.search_replications,
        "search_sessions": num(e.search_sessions),
        "verification_replications": e.verification_replications,
        "verification_sessions": num(e.verification_sessions),
    })
}

fn schedule_json(world: &World, spec: &Spec, out: &HourlyOutcome) -> Value {
    let s = &out.schedule;
    let x = s.plan.as_ref().map(|v| v.capacities.as_slice());
    let starts = hourly_groups(&spec.variables, &s.start);
    let planned = x.map(|x| hourly_groups(&spec.variables, x));
    let rows = starts.iter().enumerate().map(|(k, (d, knob, start))| {
        let v = &spec.variables[k * 24];
        let dep = &world.deployments()[*d];
        json!({
            "deployment": deployment_label(world, *d),
            "knob": knob.name(),
            "agent": dep.agent,
            "region": world.regions()[dep.region].id,
            "hourly": planned.as_ref().map(|p| p[k].2.to_vec()),
            "analytic_start": start.to_vec(),
            "offered_load_erlangs": out.mean_loads[*d].iter().map(|&a| num(a)).collect::<Vec<_>>(),
            "planning_load_erlangs": out.loads[*d].iter().map(|&a| num(a)).collect::<Vec<_>>(),
            "scenario_capacity": dep.capacity,
            "min": v.min(), "max": v.max(), "step": v.step(), "cost_weight": num(v.cost()),
        })
    });
    Value::Array(rows.collect())
}

fn static_json(world: &World, fixed: &Spec, out: &HourlyOutcome) -> Value {
    let Some(f) = &out.fixed else {
        return Value::Null;
    };
    json!({
        "status": status_name(f.status),
        "capacities": f.plan.as_ref().map(|v| v.capacities.clone()),
        "slot_hours": f.plan.as_ref().map(|v| num(slot_hours(world, &fixed.variables, &v.capacities))),
        "measured_worker_hours": f.plan.as_ref().and_then(Verification::measured_worker_hours).map(num),
        "verification": f.plan.as_ref().map(|v| verification(world, &f.rule, v)),
        "effort": effort(f),
    })
}

/// The worker pools' knobs the schedule held at the static plan's values.
fn held_json(world: &World, out: &HourlyOutcome) -> Value {
    let rows = out.held.iter().map(|&(d, k, v)| {
        json!({
            "deployment": deployment_label(world, d),
            "knob": k.name(),
            "value": num(k.value(v)),
        })
    });
    Value::Array(rows.collect())
}

/// Worker-hours the floors keep warm at least, None without a floor schedule.
pub(super) fn floor_worker_hours(world: &World, spec: &Spec, x: &[u32]) -> Option<f64> {
    let floors = spec.variables.iter().any(|v| v.knob() == Knob::MinReplicas);
    floors.then(|| floor_hours(world, &spec.variables, x))
}

/// The `plan.json` text of an hourly plan.
pub fn plan_hourly_json(
    world: &World,
    spec: &Spec,
    fixed: &Spec,
    out: &HourlyOutcome,
    prov: &super::Provenance,
) -> String {
    let s = &out.schedule;
    let rule = &s.rule;
    let flat = static_slot_hours(world, fixed, out);
    let head = json_head(world, spec, s.status, headline(world, spec, out), prov);
    let body = json!({
        "decision": "hourly",
        "formulation": "overflow, rejection and abandonment shares (overall and per population) and the cold-start share of jobs hold in every UTC hour of the window; other targets over the window",
        "targets": spec.targets.iter().map(|t| json!({
            "target": t.label(world), "metric": t.metric().name(), "relation": t.relation(), "limit": num(t.limit()),
            "span": if crate::experiment::plan::hourly_metric(t) { "every hour" } else { "window" },
        })).collect::<Vec<_>>(),
        "plan": s.plan.as_ref().map(|v| {
            let hours = slot_hours(world, &spec.variables, &v.capacities);
            json!({
                "slot_hours": num(hours),
                "floor_worker_hours": floor_worker_hours(world, spec, &v.capacities).map(num),
                "measured_worker_hours": v.measured_worker_hours().map(num),
                "cost": num(cost(world, &spec.variables, &v.capacities)),
                "static_slot_hours": flat.map(num),
                "saving_share": flat.map(|f| num(1.0 - hours / f)),
                "verification": verification(world, rule, v),
            })
        }),
        "populations": super::plan_populations::json_of(world, &spec.targets, s.plan.as_ref()),
        "schedule": schedule_json(world, spec, out),
        "held": held_json(world, out),
        "static_plan": static_json(world, fixed, out),
        "best_effort": s.best_effort.as_ref().map(|c| json!({
            "capacities": c.capacities,
            "checks": checks_json(world, rule, &c.estimates),
        })),
        "search": {
            "checks": rule.targets.len(),
            "per_check_confidence": num(1.0 - rule.alpha),
            "replications": rule.most,
            "budget_hit": s.budget_hit,
            "candidates": s.candidates.iter().map(|c| json!({
                "capacities": c.capacities,
                "cost": num(c.cost),
                "slot_hours": num(slot_hours(world, &spec.variables, &c.capacities)),
                "replications": c.replications,
                "feasible": c.verdict.feasible(),
                "unmet_checks": unmet(&rule.targets, &c.estimates).len(),
            })).collect::<Vec<_>>(),
        },
        "verifications": s.verifications.iter().map(|v| verification(world, rule, v)).collect::<Vec<_>>(),
        "effort": effort(s),
    });
    let mut body = body;
    if let Some(r) = super::plan_resilience::json_of(world, spec, rule, s.plan.as_ref()) {
        body["resilience"] = r;
    }
    json_text(head, body)
}

/// One sentence saying what the hourly run established.
pub fn headline(world: &World, spec: &Spec, out: &HourlyOutcome) -> String {
    let s = &out.schedule;
    let pct = spec.confidence * 100.0;
    let k = s.rule.targets.len();
    match (s.status, &s.plan) {
        (Status::Verified, Some(_)) => format!("Verified: an independent run on fresh seeds meets all {k} checks (each hourly target in every hour, the others over the window) at {pct:.0} % joint confidence."),
        (Status::Interrupted, Some(v)) if matches!(v.purpose, Stage::HourlyFinal(_)) => "INTERRUPTED after the schedule passed its final verification: the schedule stands.".into(),
        (Status::Interrupted, Some(v)) if matches!(v.purpose, Stage::HourlyCheckpoint(_)) => "INTERRUPTED: this is the best schedule verified so far (a checkpoint); the search did not finish, so a cheaper schedule may exist.".into(),
        (Status::Interrupted, Some(_)) => "INTERRUPTED before the hourly search verified a schedule: this is a static plan verified under the same checks, as a flat schedule; a cheaper schedule may exist.".into(),
        (Status::Interrupted, None) => "INTERRUPTED before any plan was verified.".into(),
        (Status::Infeasible, _) => {
            let rule = &s.rule;
            let failing: Vec<usize> = s.best_effort.as_ref().map_or(Vec::new(), |c| {
                (0..c.estimates.len())
                    .filter(|&i| !c.estimates[i].meets(&rule.targets[i]))
                    .collect()
            });
            let more = match failing.len() {
                n if n > 5 => format!(" (and {} more)", n - 5),
                _ => String::new(),
            };
            let unmet: Vec<String> = s.best_effort.as_ref().map_or(Vec::new(), |c| {
                failing
                    .iter()
                    .take(5)
                    .copied()
                    .map(|i| missed_text(world, rule, i, &c.estimates[i]))
                    .collect()
            });
            format!("Infeasible within the bounds: {}{more}.", unmet.join("; "))
        }
        _ => "Unverified: no schedule passed its verification on fresh seeds; widen the bounds or raise --replications.".into(),
    }
}
