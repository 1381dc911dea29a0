//! `plan.md` of an hourly schedule: the plans' totals (the static plan's and
//! the schedule's slot-hours or measured worker-hours, with the saving), the
//! knobs held, the capacities per UTC hour beside the offered load, each
//! target's tightest check, and the search's effort. Every figure is the
//! outcome's; `plan_hourly.rs` writes the same outcome as `plan.json`.

use std::fmt::Write;

use super::plan::{capacities_line, md_head};
use super::plan_hourly::{floor_worker_hours, headline, static_slot_hours};
use super::plan_words::{check_label, deployment_label, limit_text, value_text};
use crate::experiment::plan::hourly::HourlyOutcome;
use crate::experiment::plan::{hourly_groups, slot_hours, Knob, Rule, Spec, Verification};
use crate::model::World;

/// Hour rows: each deployment's planned capacity (a pool's floor) and
/// offered load.
fn schedule_md(s: &mut String, world: &World, spec: &Spec, out: &HourlyOutcome, x: &[u32]) {
    let sched = hourly_groups(&spec.variables, x);
    let names: Vec<String> = sched
        .iter()
        .map(|(d, k, _)| match k {
            Knob::Slots => format!("{} slots", deployment_label(world, *d)),
            _ => format!("{} floor, workers", deployment_label(world, *d)),
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

/// The schedule's saving against the static plan's figure, if it has one
/// (or what it costs more: measured worker-hours may rise by noise).
fn saving(hourly: f64, flat: Option<f64>) -> String {
    match flat {
        Some(flat) if flat > 0.0 => {
            let less = 100.0 * (1.0 - hourly / flat);
            match less >= 0.0 {
                true => format!(" ({less:.1} % less)"),
                false => format!(" ({:.1} % more)", -less),
            }
        }
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

#[cfg(test)]
mod tests {
    use super::saving;

    #[test]
    fn a_schedule_that_costs_more_says_more_not_a_negative_less() {
        assert_eq!(saving(90.0, Some(100.0)), " (10.0 % less)");
        assert_eq!(saving(101.0, Some(100.0)), " (1.0 % more)");
        assert_eq!(saving(100.0, Some(100.0)), " (0.0 % less)");
        assert_eq!(saving(5.0, None), "");
        assert_eq!(saving(5.0, Some(0.0)), "");
    }
}
