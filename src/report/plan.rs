//! `plan.json` and `plan.md`: the plan, every target with its estimate and
//! one-sided bound, the binding targets, the marginal effect of one step more or
//! less per deployment, the candidates evaluated and the simulation effort.

use std::fmt::Write;

use serde_json::{json, Value};

use super::json_values::num;
use super::plan_words::{
    change_text, check_label, deployment_label, limit_text, missed_text, value_text,
};
use crate::experiment::plan::{
    slot_hours, unmet, window_hours, Candidate, Outcome, Rule, Spec, Stage, Status, TargetEstimate,
    Variable, Verification,
};
use crate::model::World;

/// Version of the `plan.json` layout.
pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// How a status is spelled in reports.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Verified => "verified",
        Status::Infeasible => "infeasible",
        Status::Unverified => "unverified",
        Status::Interrupted => "interrupted",
    }
}

fn estimates(world: &World, rule: &Rule, est: &[TargetEstimate]) -> Value {
    let rows: Vec<Value> = rule
        .targets
        .iter()
        .zip(est)
        .enumerate()
        .map(|(i, (t, e))| {
            json!({
                "target": check_label(world, rule, i),
                "relation": t.relation(),
                "limit": num(t.limit()),
                "estimate": num(e.point),
                "bound": num(e.bound(t)),
                "met": e.meets(t),
            })
        })
        .collect();
    Value::Array(rows)
}

fn candidate(world: &World, spec: &Spec, rule: &Rule, c: &Candidate) -> Value {
    json!({
        "capacities": c.capacities,
        "cost": num(c.cost),
        "slot_hours": num(slot_hours(world, &spec.variables, &c.capacities)),
        "replications": c.replications,
        "feasible": c.verdict.feasible(),
        "short": c.verdict.short,
        "over": c.verdict.over,
        "estimates": c.estimates.iter().map(|e| num(e.point)).collect::<Vec<_>>(),
        "bounds": rule.targets.iter().zip(&c.estimates).map(|(t, e)| num(e.bound(t))).collect::<Vec<_>>(),
    })
}

/// Why a verification ran, in words.
pub fn purpose_name(p: Stage) -> String {
    match p {
        Stage::Checkpoint(l) => format!("checkpoint after level {l}"),
        Stage::Final(a) => format!("final, attempt {a}"),
        Stage::HourlyCheckpoint(n) => format!("hourly checkpoint {n}"),
        Stage::HourlyFinal(a) => format!("hourly final, attempt {a}"),
    }
}

fn verification(world: &World, rule: &Rule, v: &Verification) -> Value {
    let purpose = purpose_name(v.purpose);
    json!({
        "purpose": purpose,
        "capacities": v.capacities,
        "seed": v.seed,
        "replications": v.replications,
        "sessions": num(v.sessions),
        "family_error": num(v.alpha),
        "per_target_confidence": num(1.0 - v.alpha / rule.targets.len() as f64),
        "passed": v.passed(),
        "targets": estimates(world, rule, &v.estimates),
    })
}

fn marginals(world: &World, spec: &Spec, out: &Outcome) -> Value {
    let Some(at) = &out.at_plan else {
        return Value::Array(Vec::new());
    };
    let side = |c: &Option<Candidate>| -> Value {
        c.as_ref().map_or(Value::Null, |c| {
            let effects: serde_json::Map<String, Value> = c
                .estimates
                .iter()
                .zip(&at.estimates)
                .enumerate()
                .map(|(i, (e, base))| (check_label(world, &out.rule, i), num(e.point - base.point)))
                .collect();
            json!({ "capacities": c.capacities, "feasible": c.verdict.feasible(), "change": effects })
        })
    };
    let rows: Vec<Value> = out
        .marginals
        .iter()
        .map(|m| {
            let v = &spec.variables[m.variable];
            json!({
                "deployment": deployment_label(world, v.deployment()),
                "one_step_less": side(&m.minus),
                "one_step_more": side(&m.plus),
            })
        })
        .collect();
    Value::Array(rows)
}

fn deployments(world: &World, spec: &Spec, out: &Outcome, x: Option<&[u32]>) -> Value {
    let rows: Vec<Value> = spec
        .variables
        .iter()
        .enumerate()
        .map(|(j, v)| {
            if v.knob().on_workers() {
                return super::plan_workers::knob_row(world, v, j, out, x);
            }
            let d = &world.deployments()[v.deployment()];
            json!({
                "deployment": deployment_label(world, v.deployment()),
                "agent": d.agent,
                "region": world.regions()[d.region].id,
                "capacity": x.map(|x| x[j]),
                "scenario_capacity": d.capacity,
                "analytic_start": out.start[j],
                "peak_offered_load_erlangs": num(out.peak_loads[v.deployment()]),
                "min": v.min(), "max": v.max(), "step": v.step(), "cost_weight": num(v.cost()),
            })
        })
        .collect();
    Value::Array(rows)
}

/// The `plan.json` text.
pub fn plan_json(world: &World, spec: &Spec, out: &Outcome, prov: &super::Provenance) -> String {
    let x = out.plan.as_ref().map(|v| v.capacities.as_slice());
    let head = json_head(world, spec, out.status, headline(world, spec, out), prov);
    let body = json!({
        "targets": spec.targets.iter().map(|t| json!({
            "target": t.label(world), "metric": t.metric().name(), "relation": t.relation(), "limit": num(t.limit()),
        })).collect::<Vec<_>>(),
        "plan": out.plan.as_ref().map(|v| {
            let mut p = json!({
                "slot_hours": num(slot_hours(world, &spec.variables, &v.capacities)),
                "cost": num(crate::experiment::plan::cost(world, &spec.variables, &v.capacities)),
                "verification": verification(world, &out.rule, v),
            });
            super::plan_workers::plan_fields(world, spec, v, &mut p);
            p
        }),
        "populations": super::plan_populations::json_of(world, &spec.targets, out.plan.as_ref()),
        "deployments": deployments(world, spec, out, x),
        "binding": out.binding.iter().map(|&i| check_label(world, &out.rule, i)).collect::<Vec<_>>(),
        "marginal": marginals(world, spec, out),
        "best_effort": out.best_effort.as_ref().map(|c| json!({
            "candidate": candidate(world, spec, &out.rule, c),
            "targets": estimates(world, &out.rule, &c.estimates),
        })),
        "search": {
            "per_target_confidence": num(1.0 - out.rule.alpha),
            "first_replications": out.rule.first,
            "most_replications": out.rule.most,
            "budget_hit": out.budget_hit,
            "candidates": out.candidates.iter().map(|c| candidate(world, spec, &out.rule, c)).collect::<Vec<_>>(),
        },
        "verifications": out.verifications.iter().map(|v| verification(world, &out.rule, v)).collect::<Vec<_>>(),
        "effort": {
            "candidates": out.effort.candidates,
            "search_replications": out.effort.search_replications,
            "search_sessions": num(out.effort.search_sessions),
            "verification_replications": out.effort.verification_replications,
            "verification_sessions": num(out.effort.verification_sessions),
        },
    });
    let mut body = body;
    if let Some(r) = super::plan_resilience::json_of(world, spec, &out.rule, out.plan.as_ref()) {
        body["resilience"] = r;
    }
    json_text(head, body)
}

/// The opening fields of a `plan.json`, up to the window's length.
pub fn json_head(
    world: &World,
    spec: &Spec,
    status: Status,
    note: String,
    prov: &super::Provenance,
) -> Value {
    json!({
        "schema_version": PLAN_SCHEMA_VERSION,
        "scenario": world.name(),
        "status": status_name(status),
        "note": note,
        "policy": world.policy().name(),
        "seed": world.run().seed,
        "provenance": prov.to_json(world),
        "confidence": num(spec.confidence),
        "replications": spec.replications,
        "objective": format!("{} over the statistics window", super::plan_workers::objective_words(spec)),
        "window_hours": num(window_hours(world)),
    })
}

/// `head` followed by `body`'s fields, pretty-printed with a final newline.
pub fn json_text(mut head: Value, body: Value) -> String {
    if let (Some(h), Value::Object(b)) = (head.as_object_mut(), body) {
        h.extend(b);
    }
    let mut s = serde_json::to_string_pretty(&head).expect("a Value always serialises");
    s.push('\n');
    s
}

/// One sentence saying what the run established.
pub fn headline(world: &World, spec: &Spec, out: &Outcome) -> String {
    let pct = spec.confidence * 100.0;
    match (out.status, &out.plan) {
        (Status::Verified, Some(_)) => match out.rule.targets.len() {
            1 => format!("Verified: an independent run on fresh seeds meets the target at {pct:.0} % confidence."),
            k => format!("Verified: an independent run on fresh seeds meets all {k} targets at {pct:.0} % joint confidence."),
        },
        (Status::Interrupted, Some(v)) if v.purpose.is_final() => "INTERRUPTED after the plan passed its final verification: the plan stands, the effects of one step more or less are missing.".into(),
        (Status::Interrupted, Some(_)) => "INTERRUPTED: this is the best plan verified so far (a checkpoint); the search did not finish, so a cheaper plan may exist.".into(),
        (Status::Interrupted, None) => "INTERRUPTED before any plan was verified.".into(),
        (Status::Infeasible, _) => {
            let unmet: Vec<String> = out.best_effort.as_ref().map_or(Vec::new(), |c| {
                out.rule.targets.iter().zip(&c.estimates).enumerate()
                    .filter(|(_, (t, e))| !e.meets(t))
                    .map(|(i, (_, e))| missed_text(world, &out.rule, i, e))
                    .collect()
            });
            format!("Infeasible within the bounds: {}.", unmet.join("; "))
        }
        _ => "Unverified: no plan passed its verification on fresh seeds; widen the bounds or raise --replications.".into(),
    }
}

/// The capacity table: plan, scenario, analytic start, peak load, and what one
/// step less or more does, judged as the search judges (on its common random
/// numbers, each estimate's room of margins), with the binding target's
/// figure and bound.
fn deployments_md(s: &mut String, world: &World, spec: &Spec, out: &Outcome) {
    let shown = out.binding.first().copied().unwrap_or(0);
    let _ = writeln!(s, "| deployment | capacity | scenario | analytic start | peak load (Erlangs) | one step less (search) | one step more (search) |\n| --- | --- | --- | --- | --- | --- | --- |");
    let x = out.plan.as_ref().map(|v| v.capacities.clone());
    for (j, v) in spec.variables.iter().enumerate() {
        let m = out.marginals.iter().find(|m| m.variable == j);
        let side = |c: Option<&Candidate>| {
            let (Some(c), Some(at), Some(t)) =
                (c, out.at_plan.as_ref(), out.rule.targets.get(shown))
            else {
                return "–".to_string();
            };
            let e = &c.estimates[shown];
            let bound = e.searched(t);
            let figures = format!(
                "{} ({}), bound {}",
                value_text(t, e.point),
                change_text(t, e.point - at.estimates[shown].point),
                value_text(t, bound)
            );
            let shown_x = v.knob().show(c.capacities[j]);
            if c.verdict.feasible() {
                return format!("{shown_x}: meets; {figures}");
            }
            let missed: Vec<String> = unmet(&out.rule.targets, &c.estimates)
                .into_iter()
                .map(|i| check_label(world, &out.rule, i))
                .collect();
            let which = if missed.is_empty() || missed == [check_label(world, &out.rule, shown)] {
                String::new()
            } else {
                format!(" {}", missed.join(", "))
            };
            format!("{shown_x}: misses{which}; {figures}")
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.1} | {} | {} |",
            super::plan_workers::variable_label(world, v),
            x.as_ref().map_or("–".into(), |x| v.knob().show(x[j])),
            v.knob().show(super::plan_workers::scenario_code(world, v)),
            v.knob().show(out.start[j]),
            out.peak_loads[v.deployment()],
            side(m.and_then(|m| m.minus.as_ref())),
            side(m.and_then(|m| m.plus.as_ref())),
        );
    }
    if let (Some(at), Some(t)) = (out.at_plan.as_ref(), out.rule.targets.get(shown)) {
        let e = &at.estimates[shown];
        let _ = writeln!(
            s,
            "\nOne step less or more: that deployment's capacity one step down or up, the others as planned, judged as the search judges every candidate, on its common random numbers: a target is met when its estimate plus its room of one-sided margins at {:.3} % (the bound; {:.2} margins here, from its {} replications and their spread's tails) is within the limit. Figures are {} ({}); the change is against the plan on the same numbers ({}, bound {}), not against the verification below.",
            (1.0 - out.rule.alpha) * 100.0,
            e.room,
            out.rule.most,
            check_label(world, &out.rule, shown),
            limit_text(t),
            value_text(t, e.point),
            value_text(t, e.searched(t)),
        );
    }
}

/// One row per target: limit, estimate, one-sided bound, met, and (when
/// `binding` is given) whether it binds.
fn target_rows(
    s: &mut String,
    world: &World,
    rule: &Rule,
    est: &[TargetEstimate],
    binding: Option<&[usize]>,
) {
    for (i, (t, e)) in rule.targets.iter().zip(est).enumerate() {
        let met = e.meets(t);
        let bind = match binding {
            Some(b) if b.contains(&i) => " yes |",
            Some(_) => " |",
            None => "",
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |{bind}",
            check_label(world, rule, i),
            limit_text(t),
            value_text(t, e.point),
            value_text(t, e.bound(t)),
            if met { "yes" } else { "**no**" },
        );
    }
}

/// `us-east=12, eu-central=9`: static capacities by deployment label.
pub fn capacities_line(world: &World, vars: &[Variable], x: &[u32]) -> String {
    let caps: Vec<String> = vars
        .iter()
        .zip(x)
        .map(|(v, &x)| {
            let label = super::plan_workers::variable_label(world, v);
            format!("{label}={}", v.knob().show(x))
        })
        .collect();
    caps.join(", ")
}

/// What the last candidate of an infeasible search achieved, target by target.
fn best_effort_md(s: &mut String, world: &World, spec: &Spec, rule: &Rule, c: &Candidate) {
    let _ = writeln!(
        s,
        "\n## Best achieved ({}, {} replications)\n\n| target | limit | estimate | one-sided bound | met |\n| --- | --- | --- | --- | --- |",
        capacities_line(world, &spec.variables, &c.capacities),
        c.replications
    );
    target_rows(s, world, rule, &c.estimates, None);
}

/// The opening of a `plan.md`: title, headline in bold, and the run's settings
/// (followed by `more`).
pub fn md_head(world: &World, spec: &Spec, title: &str, head: &str, more: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {title}: {}\n\n**{head}**\n", world.name());
    let _ = writeln!(s, "Policy `{}`, seed {}, {} replications per verification; objective: {} over the {:.0} h window.{more}\n", world.policy().name(), world.run().seed, spec.replications, super::plan_workers::objective_words(spec), window_hours(world));
    s
}

/// The plan's total: its slot-hours when it plans slots, and its cost.
fn total_md(world: &World, spec: &Spec, v: &Verification) -> String {
    let cost = crate::experiment::plan::cost(world, &spec.variables, &v.capacities);
    if super::plan_workers::has_slots(spec) {
        let hours = slot_hours(world, &spec.variables, &v.capacities);
        format!("Total {hours:.0} slot-hours (cost {cost:.0}).")
    } else {
        format!("Total cost {cost:.0}.")
    }
}

/// The `plan.md` text; `chart` names the search chart's PNG, if drawn.
pub fn plan_md(world: &World, spec: &Spec, out: &Outcome, chart: Option<&str>) -> String {
    let mut s = md_head(
        world,
        spec,
        "Capacity plan",
        &headline(world, spec, out),
        "",
    );
    deployments_md(&mut s, world, spec, out);
    if let Some(v) = &out.plan {
        let _ = writeln!(
            s,
            "\n{}{}\n\n## Targets (verification: seed {}, {} replications, {} sessions)\n",
            total_md(world, spec, v),
            super::plan_workers::md_total(world, spec, v),
            v.seed,
            v.replications,
            v.sessions.round()
        );
        let _ = writeln!(s, "A target is met when its one-sided bound ({:.2} % each, {:.0} % jointly) is within its limit; a target is binding when one step less of some deployment misses it.\n\n| target | limit | estimate | one-sided bound ({:.2} % each) | met (bound within the limit) | binding |\n| --- | --- | --- | --- | --- | --- |", (1.0 - v.alpha / out.rule.targets.len() as f64) * 100.0, spec.confidence * 100.0, (1.0 - v.alpha / out.rule.targets.len() as f64) * 100.0);
        target_rows(&mut s, world, &out.rule, &v.estimates, Some(&out.binding));
        s.push_str(&super::plan_resilience::section(world, spec, &out.rule, v));
        s.push_str(&super::plan_populations::section(world, &spec.targets, v));
    }
    if let Some(c) = &out.best_effort {
        best_effort_md(&mut s, world, spec, &out.rule, c);
    }
    let e = &out.effort;
    let _ = writeln!(s, "\n## Search\n\n{} candidates, {} replications ({:.0} sessions) in the search; {} replications ({:.0} sessions) in {} verification run(s). Search rule: each target one-sided at {:.3} %, {} replications first, up to {}.{}",
        e.candidates, e.search_replications, e.search_sessions, e.verification_replications, e.verification_sessions, out.verifications.len(), (1.0 - out.rule.alpha) * 100.0, out.rule.first, out.rule.most,
        if out.budget_hit { " The candidate budget cut the search short: a cheaper plan may exist." } else { "" });
    if let Some(c) = chart {
        let _ = writeln!(s, "\n![Search: cost against the binding target]({c})");
    }
    if out.plan.is_some() {
        let _ = writeln!(s, "\n`planned.json` is the scenario with these capacities; `regionsim run planned.json` simulates it.");
    }
    s
}
