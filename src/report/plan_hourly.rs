//! `plan.json` and `plan.md` of an hourly schedule: the 24 capacities per
//! deployment beside each hour's offered load, the slot-hours against the static
//! plan under the same targets (the saving), every check (a target in one hour,
//! or over the window) with its estimate and one-sided bound, the candidates and
//! the simulation effort of both searches.

use std::fmt::Write;

use serde_json::{json, Value};

use super::json_values::num;
use super::plan::{capacities_line, json_head, json_text, md_head, purpose_name, status_name};
use super::plan_words::{check_label, deployment_label, limit_text, missed_text, value_text};
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
fn static_slot_hours(world: &World, fixed: &Spec, out: &HourlyOutcome) -> Option<f64> {
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
fn floor_worker_hours(world: &World, spec: &Spec, x: &[u32]) -> Option<f64> {
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

/// Hour rows: each deployment's planned capacity (a pool's floor) and
/// offered load.
fn schedule_md(s: &mut String, world: &World, spec: &Spec, out: &HourlyOutcome, x: &[u32]) {
    let sched = hourly_groups(&spec.variables, x);
    let names: Vec<String> = sched
        .iter()
        .map(|(d, k, _)| match k {
            Knob::Slots => format!("{} slots", deployment_label(world, *d)),
            _ => format!("{} floor (workers)", deployment_label(world, *d)),
        })
        .collect();
    let _ = writeln!(
        s,
        "| UTC hour | {} |\n| --- |{}",
        names
            .iter()
            .map(|n| format!("{n} (mean load, Erlangs)"))
            .collect::<Vec<_>>()
            .join(" | "),
        " --- |".repeat(names.len())
    );
    for h in 0..24 {
        let cells: Vec<String> = sched
            .iter()
            .map(|(d, _, c)| format!("{} ({:.1})", c[h], out.mean_loads[*d][h]))
            .collect();
        let _ = writeln!(s, "| {h:02}:00 | {} |", cells.join(" | "));
    }
}

/// The plans' table: the static plan's and the schedule's slot-hours (when
/// it plans slots), with worker pools the worker-hours each verification
/// measured per replication, each with the schedule's saving; then the
/// worker-hours the floors keep warm.
fn totals_md(
    s: &mut String,
    world: &World,
    (spec, fixed): (&Spec, &Spec),
    out: &HourlyOutcome,
    v: &Verification,
) {
    let slots = super::plan_workers::has_slots(spec);
    let hours = slot_hours(world, &spec.variables, &v.capacities);
    let flat = static_slot_hours(world, fixed, out);
    let fixed_plan = out.fixed.as_ref().and_then(|f| f.plan.as_ref());
    let pools = v.measured_worker_hours();
    let flat_pools = fixed_plan.and_then(|p| p.measured_worker_hours());
    let mut head = String::from("| plan |");
    if slots {
        head.push_str(" slot-hours |");
    }
    if pools.is_some() {
        head.push_str(" worker-hours (measured per replication) |");
    }
    let columns = head.matches('|').count() - 1;
    let _ = writeln!(s, "{head} capacities |\n|{}", " --- |".repeat(columns + 1));
    if let (Some(flat), Some(p)) = (flat, fixed_plan) {
        let mut row = String::from("| static (same targets) |");
        if slots {
            let _ = write!(row, " {flat:.0} |");
        }
        if let Some(h) = flat_pools {
            let _ = write!(row, " {h:.1} |");
        }
        let caps = capacities_line(world, &fixed.variables, &p.capacities);
        let _ = writeln!(s, "{row} {caps} |");
    }
    let mut row = String::from("| hourly |");
    if slots {
        let _ = write!(row, " {hours:.0}{} |", saving(hours, flat));
    }
    if let Some(h) = pools {
        let _ = write!(row, " {h:.1}{} |", saving(h, flat_pools));
    }
    let _ = writeln!(s, "{row} below |\n");
    if let Some(f) = floor_worker_hours(world, spec, &v.capacities) {
        let _ = writeln!(s, "The floors keep {f:.0} worker-hours warm at least.\n");
    }
}

/// The schedule's saving against the static plan's figure, if it has one.
fn saving(hourly: f64, flat: Option<f64>) -> String {
    match flat {
        Some(flat) if flat > 0.0 => format!(" ({:.1} % less)", 100.0 * (1.0 - hourly / flat)),
        _ => String::new(),
    }
}

/// The pools' knobs held at the static plan's values, one line.
fn held_md(s: &mut String, world: &World, out: &HourlyOutcome) {
    if out.held.is_empty() {
        return;
    }
    let knobs: Vec<String> = (out.held.iter())
        .filter(|h| h.1 != Knob::MinReplicas)
        .map(|&(d, k, v)| format!("{}/{}={}", deployment_label(world, d), k.name(), k.show(v)))
        .collect();
    let _ = writeln!(
        s,
        "Worker pools are held at the static plan's {} and scheduled by their floor per UTC hour (the autoscaler's scheduled minimum).\n",
        knobs.join(", ")
    );
}

/// Per target, the check with the least room (its hour, for hourly targets).
fn tightest_md(s: &mut String, world: &World, spec: &Spec, rule: &Rule, v: &Verification) {
    let _ = writeln!(s, "\n## Checks (verification: seed {}, {} replications, {:.0} sessions, {} checks at {:.3} % each)\n\nA check is met when its one-sided bound is within the limit; the row shows each target's check with the least room.\n\n| target | tightest check | limit | estimate | one-sided bound | all met (every check's bound within the limit) |\n| --- | --- | --- | --- | --- | --- |",
        v.seed, v.replications, v.sessions, rule.targets.len(), (1.0 - v.alpha / rule.targets.len().max(1) as f64) * 100.0);
    for t in &spec.targets {
        let idx: Vec<usize> = (0..rule.targets.len())
            .filter(|&i| rule.targets[i] == *t)
            .collect();
        let room = |i: usize| {
            let b = v.estimates[i].bound(t);
            (t.limit() - b).abs() / t.limit().abs().max(1e-12)
        };
        let Some(&i) = idx.iter().min_by(|&&a, &&b| room(a).total_cmp(&room(b))) else {
            continue;
        };
        let all = idx.iter().all(|&j| v.estimates[j].meets(&rule.targets[j]));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            t.label(world),
            check_label(world, rule, i),
            limit_text(t),
            value_text(t, v.estimates[i].point),
            value_text(t, v.estimates[i].bound(t)),
            if all { "yes" } else { "**no**" }
        );
    }
}

/// The `plan.md` text of an hourly plan; `chart` names the hourly chart's PNG.
pub fn plan_hourly_md(
    world: &World,
    spec: &Spec,
    fixed: &Spec,
    out: &HourlyOutcome,
    chart: Option<&str>,
) -> String {
    let sc = &out.schedule;
    let mut s = md_head(
        world,
        spec,
        "Hourly capacity plan",
        &headline(world, spec, out),
        " The overflow, rejection and abandonment targets (overall and per population) and the cold-start share of jobs hold in every UTC hour, the others over the window.",
    );
    if let Some(v) = &sc.plan {
        totals_md(&mut s, world, (spec, fixed), out, v);
        held_md(&mut s, world, out);
        schedule_md(&mut s, world, spec, out, &v.capacities);
        tightest_md(&mut s, world, spec, &sc.rule, v);
        s.push_str(&super::plan_resilience::section(world, spec, &sc.rule, v));
        s.push_str(&super::plan_populations::section(world, &spec.targets, v));
    }
    if let Some(c) = &sc.best_effort {
        let _ = writeln!(s, "\n## Best achieved\n");
        schedule_md(&mut s, world, spec, out, &c.capacities);
    }
    let e = &sc.effort;
    let _ = writeln!(s, "\n## Search\n\nHourly: {} candidates, {} replications ({:.0} sessions) in the search; {} replications ({:.0} sessions) in {} verification run(s).{}",
        e.candidates, e.search_replications, e.search_sessions, e.verification_replications, e.verification_sessions, sc.verifications.len(),
        if sc.budget_hit { " The candidate budget cut the search short: a cheaper schedule may exist." } else { "" });
    if let Some(f) = &out.fixed {
        let e = &f.effort;
        let _ = writeln!(
            s,
            "\nStatic comparison: {} candidates, {} + {} replications.",
            e.candidates, e.search_replications, e.verification_replications
        );
    }
    if let Some(c) = chart {
        let _ = writeln!(s, "\n![Capacity per UTC hour]({c})");
    }
    if sc.plan.is_some() {
        let _ = writeln!(s, "\n`planned.json` is the scenario with the schedule as timeline `capacity` events (`hourly`, UTC); `regionsim run planned.json` simulates it.");
    }
    s
}
