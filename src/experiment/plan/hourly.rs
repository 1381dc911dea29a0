//! Hourly schedules: 24 capacities per deployment (UTC hours), as cheap as the
//! search finds, whose targets hold hour by hour (docs/planner.md, "Hourly
//! schedules"). An autoscaled pool is scheduled by its floor (the
//! autoscaler's minimum per hour), its other knobs, and a fixed pool's size,
//! held at the static comparison's plan ([`held`]).
//!
//! The formulation: a target that the time series measures per hour (the
//! overflow, rejection, abandonment and rejection + abandonment shares,
//! overall or of one population, and a worker pool's cold-start share) must
//! hold in every UTC hour of the window, the usual interval service level
//! of staffing, which has an exact answer (the per-hour inverse) where hours
//! are independent; every other target holds over the whole window. Each
//! (target, hour) pair is one check of the confidence rule, so Bonferroni runs
//! over all checks. The static plan under the same checks is planned first:
//! it is the comparison a planner cares about (the saving), and its verified
//! plan is a valid flat schedule if the hourly search is interrupted.

use super::analytic;
use super::evaluate::{Evaluator, Rule};
use super::hourly_search::HourlySearch;
use super::knob::{self, Knob};
use super::measure::{checked_hour, hourly_metric, Span};
use super::space::{Capacities, Period, Variable};
use super::{attempt_alpha, plan_with, Outcome, Room, Spec, Status};
use crate::engine::Progress;
use crate::model::target::{Scope, Target, TargetMetric};
use crate::model::World;

/// The hourly plan and its static comparison.
#[derive(Debug, Clone)]
pub struct HourlyOutcome {
    /// The schedule's search, verifications and effort (variables: deployment-major, 24 each).
    pub schedule: Outcome,
    /// The static plan under the same checks (None: not asked for, or
    /// interrupted before it verified any plan).
    pub fixed: Option<Outcome>,
    /// Offered load per deployment and UTC hour under home assignment, Erlangs:
    /// the highest from one mean session before the hour to its end (what the
    /// analytic start inverts).
    pub loads: Vec<[f64; 24]>,
    /// The same, averaged over the hour (the demand charts draw).
    pub mean_loads: Vec<[f64; 24]>,
    /// The worker pools' knobs the schedule holds (deployment, knob, value):
    /// the static plan's; the floor's is the start of its hourly schedule.
    pub held: Vec<(usize, Knob, u32)>,
}

/// The world the planner simulates (hourly and static plans): hour-long
/// time-series bins, so each bin is one UTC hour, with counts per population.
pub fn hourly_world(world: &World) -> World {
    let mut w = world.clone();
    w.edit_run(|r| {
        r.bin_s = 3600.0;
        r.population_series = true;
    })
    .expect("an hour is a valid bin");
    w
}

/// The world a search's candidates run: the planner's world without
/// per-population counts in the time series unless a check reads them (an
/// hourly target of one population). Those counts feed nothing else a
/// candidate is judged by, so every candidate's figures are the same either
/// way; the verification, whose run backs the Populations table, keeps them.
pub fn search_world(world: &World, rule: &Rule) -> World {
    let reads = (rule.targets.iter().zip(&rule.spans))
        .any(|(t, sp)| matches!(sp, Span::Hour(_)) && matches!(t.scope(), Scope::Population(_)));
    let mut w = world.clone();
    if !reads {
        w.edit_run(|r| r.population_series = false)
            .expect("dropping a series keeps the run valid");
    }
    w
}

/// Why `targets` cannot be planned hour by hour, if they cannot.
pub fn unsupported(world: &World, targets: &[Target]) -> Option<String> {
    if targets
        .iter()
        .any(|t| t.metric() == TargetMetric::Utilization)
    {
        return Some(
            "utilisation floors are not planned hour by hour; drop them or plan static capacities"
                .into(),
        );
    }
    if let Some((i, e)) = world
        .timeline()
        .iter()
        .enumerate()
        .find(|(_, e)| e.kind.sets_capacity())
    {
        return Some(format!(
            "timeline[{i}]: the `{}` event `{}` sets capacities itself; hourly plans need a timeline without capacity, deploy or migrate events (plan static capacities instead)",
            e.kind.name(),
            e.label
        ));
    }
    let scheduled = |d: &crate::model::Deployment| {
        d.is_open() && d.workers.as_ref().is_none_or(|w| w.autoscale.is_some())
    };
    if !world.deployments().iter().any(scheduled) {
        return Some(
            "no deployment has an hourly knob (slots, or an autoscaled pool's floor): fixed worker pools are planned statically, without --hourly".into(),
        );
    }
    if !(0..24).any(|h| checked_hour(world, h)) {
        return Some("the statistics window holds no whole UTC hour".into());
    }
    None
}

/// The hourly rule: each hourly target once per checked hour, the others over
/// the window; per-check level alpha / (2K) for K checks.
pub fn rule(world: &World, spec: &Spec) -> Rule {
    let mut targets = Vec::new();
    let mut spans = Vec::new();
    for t in &spec.targets {
        if hourly_metric(t) {
            for h in (0..24).filter(|&h| checked_hour(world, h)) {
                targets.push(*t);
                spans.push(Span::Hour(h));
            }
        } else {
            targets.push(*t);
            spans.push(Span::Window);
        }
    }
    for (t, sp) in super::resilience::checks(spec) {
        targets.push(t);
        spans.push(sp);
    }
    let alpha = 1.0 - spec.confidence;
    let level = attempt_alpha(alpha, 1) / targets.len().max(1) as f64;
    let most = spec.replications.max(2);
    Rule {
        alpha: level,
        room: Room::new(level, most, targets.len()),
        failures: spec.failures.clone(),
        targets,
        spans,
        first: spec.replications.clamp(2, 4),
        most,
    }
}

/// Fewest replications of an hourly plan's candidates and verifications. Each
/// hourly target is checked in every hour, so a plan has dozens of checks near
/// their limits; with 8 replications the spread's own estimate varies so much
/// that some check of a plan accepted with two margins of room fails its
/// fresh verification most of the time (the flagship did, three times out of
/// three); with 16 the t quantile drops by a quarter and the spread's estimate
/// steadies.
pub const MIN_REPLICATIONS: u32 = 16;

/// The hourly problem of a static one: 24 variables per deployment and at
/// least [`MIN_REPLICATIONS`]; returns (hourly, static comparison).
pub fn specs(fixed: Spec) -> (Spec, Spec) {
    let fixed = Spec {
        replications: fixed.replications.max(MIN_REPLICATIONS),
        ..fixed
    };
    let hourly = Spec {
        variables: variables(&fixed.variables),
        ..fixed.clone()
    };
    (hourly, fixed)
}

/// The hourly variables of static ones: 24 per slot deployment and per
/// autoscaled pool's floor, same bounds, step and cost, deployment-major. A
/// pool's other knobs (its size, most replicas and target load) are not
/// scheduled: the hourly search holds them at the static plan's ([`held`]).
pub fn variables(fixed: &[Variable]) -> Vec<Variable> {
    fixed
        .iter()
        .filter(|v| scheduled(v.knob()))
        .flat_map(|v| (0..24u8).map(move |h| v.at_hour(h)))
        .collect()
}

/// Whether a knob gets an hourly schedule: slots, and an autoscaled pool's
/// floor (the scheduled minimum of a real autoscaler). The most replicas is
/// a quota the autoscaler only reaches at the peak, so a schedule of it
/// would save nothing a pool really runs; a target load and a fixed pool's
/// size have no schedule in the worker model.
fn scheduled(k: Knob) -> bool {
    matches!(k, Knob::Slots | Knob::MinReplicas)
}

/// The pool knobs an hourly plan holds (deployment, knob, value): the static
/// plan's, when it verified one, else the scenario's own (the analytic
/// start's, clamped to the bounds, for none); the floor too, which is the
/// flat start its hourly schedule descends from.
pub fn held(world: &World, fixed: &Spec, plan: Option<&[u32]>) -> Vec<(usize, Knob, u32)> {
    let x = plan.map_or_else(
        || {
            let (_, slots) = analytic::start(world, &fixed.targets);
            (fixed.variables.iter())
                .map(|v| {
                    let d = v.deployment();
                    knob::start(world, d, v.knob(), slots[d]).clamp(v.min(), v.max())
                })
                .collect()
        },
        <[u32]>::to_vec,
    );
    (fixed.variables.iter().zip(x))
        .filter(|(v, _)| v.knob().on_workers())
        .map(|(v, c)| (v.deployment(), v.knob(), c))
        .collect()
}

/// `world` with the held pool knobs set.
fn with_held(world: &World, held: &[(usize, Knob, u32)]) -> World {
    let mut w = world.clone();
    knob::apply_workers(&mut w, held).expect("the held knobs are within their checked bounds");
    w
}

/// The per-hour analytic start of hourly variables, clamped to their bounds.
pub fn start(
    world: &World,
    targets: &[Target],
    vars: &[Variable],
    loads: &[[f64; 24]],
) -> Capacities {
    let per_hour: Vec<Vec<u32>> = (0..24)
        .map(|h| {
            let l: Vec<f64> = loads.iter().map(|d| d[h]).collect();
            analytic::start_at(world, targets, &l)
        })
        .collect();
    vars.iter()
        .map(|v| {
            let Period::Hour(h) = v.period() else {
                return v.min();
            };
            let d = v.deployment();
            let slots = per_hour[usize::from(h)][d];
            knob::start(world, d, v.knob(), slots).clamp(v.min(), v.max())
        })
        .collect()
}

/// The world an hourly plan runs: the held pool knobs set, then the
/// schedule (`x`, a candidate of `spec`).
pub fn planned_world(world: &World, spec: &Spec, out: &HourlyOutcome, x: &[u32]) -> World {
    super::apply(&with_held(world, &out.held), &spec.variables, x)
}

/// Plan an hourly schedule (`spec.variables` hourly); with `fixed`, plan the
/// static comparison under the same checks first.
pub fn plan(
    world: &World,
    spec: &Spec,
    fixed: Option<&Spec>,
    progress: &dyn Progress,
    note: &mut dyn FnMut(&str),
) -> HourlyOutcome {
    let w = hourly_world(world);
    let rule = rule(&w, spec);
    let loads = analytic::hourly_loads(&w);
    let mean_loads = analytic::hourly_mean_loads(&w);
    let mut fixed_out = None;
    if let Some(fs) = fixed {
        let mut tell = |m: &str| note(&format!("static comparison: {m}"));
        let o = plan_with(&w, fs, rule.clone(), progress, &mut tell);
        fixed_out = Some(o);
    }
    let plan_of = |f: &Outcome| f.plan.as_ref().map(|v| v.capacities.clone());
    let fixed_plan = fixed_out.as_ref().and_then(plan_of);
    let held = fixed.map_or_else(Vec::new, |fs| held(&w, fs, fixed_plan.as_deref()));
    let w = with_held(&w, &held);
    if let (Some(fs), Some(Status::Interrupted)) = (fixed, fixed_out.as_ref().map(|o| o.status)) {
        let mut schedule = schedule_outcome(&w, spec, &rule, &loads);
        schedule.plan = flat_fallback(fixed_out.as_ref(), fs);
        return HourlyOutcome {
            schedule,
            fixed: fixed_out.filter(|o| o.plan.is_some()),
            loads,
            mean_loads,
            held,
        };
    }
    let mut schedule = schedule_outcome(&w, spec, &rule, &loads);
    let lean = search_world(&w, &rule);
    let mut ev = Evaluator::new(&lean, &spec.variables, &rule, progress);
    let mut search = HourlySearch::new(&mut ev, &w, spec);
    let result = search.run(&mut schedule, note);
    if result.is_err() {
        schedule.status = Status::Interrupted;
        schedule.plan = schedule
            .verifications
            .iter()
            .rev()
            .find(|v| v.passed())
            .cloned()
            .or_else(|| fixed.and_then(|fs| flat_fallback(fixed_out.as_ref(), fs)));
    }
    schedule.budget_hit = search.budget_hit;
    schedule.close(&ev);
    HourlyOutcome {
        schedule,
        fixed: fixed_out,
        loads,
        mean_loads,
        held,
    }
}

fn schedule_outcome(w: &World, spec: &Spec, rule: &Rule, loads: &[[f64; 24]]) -> Outcome {
    let peak = loads
        .iter()
        .map(|d| d.iter().copied().fold(0.0, f64::max))
        .collect();
    let x0 = start(w, &spec.targets, &spec.variables, loads);
    Outcome::new(rule.clone(), peak, x0)
}

/// A verified static plan as a flat schedule (what an interrupted hourly run
/// keeps when no schedule was verified yet).
fn flat_fallback(fixed: Option<&Outcome>, fs: &Spec) -> Option<super::Verification> {
    let v = fixed?.plan.as_ref().filter(|v| v.passed())?;
    let mut flat = v.clone();
    flat.capacities = (fs.variables.iter().zip(&v.capacities))
        .filter(|(var, _)| scheduled(var.knob()))
        .flat_map(|(_, &c)| std::iter::repeat_n(c, 24))
        .collect();
    Some(flat)
}
