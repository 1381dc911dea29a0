//! Capacity planning: the cheapest capacities per deployment that meet every
//! planning target with stated confidence (docs/planner.md).
//!
//! The method, in files: `analytic` (peak-hour offered load under the policy's
//! home assignment, inverse Erlang B/C per deployment: the start), `evaluate`
//! (candidates on common random numbers, replications added only while a
//! decision is close), `verdict` (the confidence rule), `search` (coarse-to-fine
//! descent with branch and bound), `verify` (an independent run of the chosen
//! plan on fresh seeds, marginal effects), `grid` (the exhaustive reference the
//! tests compare with). `space` holds the decision variables (`knob`: what
//! each sets, slots or a worker pool's size, replicas or target load;
//! `lattice`: their allowed values); `fairness` each population's worst hour
//! in the verification run.

mod analytic;
mod evaluate;
mod fairness;
mod grid;
pub mod hourly;
mod hourly_search;
mod knob;
mod lattice;
mod measure;
mod phases;
mod resilience;
mod room;
mod search;
mod sites;
mod space;
mod verdict;
mod verify;

pub use analytic::{
    erlang_b_inverse, erlang_c_inverse, home_loads, peak_loads, start as analytic_start,
};
pub use evaluate::{Candidate, Rule};
pub use fairness::{fairness, Fairness, WorstHour};
pub use grid::{exhaustive, Grid};
pub use knob::{written_fields, Knob, TARGET_LOAD_STEP};
pub use measure::PopulationHours;
pub use measure::{hour_bins, hourly_metric, value_in_hour, Span, TargetEstimate};
pub use resilience::{failures, Failure, Skipped};
pub use room::{Room, FIRST_MISS, RARE_ROOM};
pub use sites::{open_sets, plan_sites, set_label, OpenSet, SetPlan, SitesOutcome};
pub use space::{
    apply, cost, floor_hours, floor_schedules, hourly_groups, hours_in, schedules, slot_hours,
    window_hours, worker_hours, Capacities, Period, Variable,
};
pub use verdict::{unmet, Verdict};
pub use verify::{fresh_seed, verify, Marginal, Stage, Verification};

use evaluate::Evaluator;
use search::Search;

use crate::engine::Progress;
use crate::model::target::Target;
use crate::model::World;

/// What to plan and how sure to be.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Targets every plan must meet (at least one).
    pub targets: Vec<Target>,
    /// The capacities to choose (at least one).
    pub variables: Vec<Variable>,
    /// Confidence that the verified plan meets every target at once, e.g. 0.95.
    pub confidence: f64,
    /// Replications of each verification, and the most a search candidate gets.
    pub replications: u32,
    /// Most candidates the search evaluates.
    pub max_candidates: usize,
    /// Targets that must also hold in each failure scenario (empty: none).
    pub resilience: Vec<Target>,
    /// The failure scenarios: one deployment down for a window each.
    pub failures: Vec<Failure>,
    /// Deployments not failed, and why.
    pub not_failed: Vec<Skipped>,
}

/// How a planning run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A plan passed its final verification.
    Verified,
    /// No capacities within the bounds meet the targets.
    Infeasible,
    /// Every final verification attempt failed.
    Unverified,
    /// Stopped by the user; `plan` is the best checkpoint that passed, if any.
    Interrupted,
}

/// Simulation effort.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Effort {
    /// Candidates the search evaluated.
    pub candidates: usize,
    /// Replications the search ran.
    pub search_replications: u64,
    /// Sessions the search simulated.
    pub search_sessions: f64,
    /// Replications of all verifications.
    pub verification_replications: u64,
    /// Sessions of all verifications.
    pub verification_sessions: f64,
}

/// The result of [`plan`].
#[derive(Debug, Clone)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Peak-hour offered load per deployment under home assignment, Erlangs.
    pub peak_loads: Vec<f64>,
    /// The analytic start, per variable.
    pub start: Capacities,
    /// The verification that backs the plan (Verified; Interrupted: best checkpoint).
    pub plan: Option<Verification>,
    /// The search's incumbent when the run ended (even if unverified).
    pub incumbent: Option<Capacities>,
    /// What the search chose before any final verification (the grid's equal).
    pub searched: Option<Capacities>,
    /// Infeasible: the most capable candidate tried, with its unmet targets.
    pub best_effort: Option<Candidate>,
    /// Every verification run, in order.
    pub verifications: Vec<Verification>,
    /// The plan on the search's replications.
    pub at_plan: Option<Candidate>,
    /// One step less and more per variable.
    pub marginals: Vec<Marginal>,
    /// Targets unmet one step below the plan (indices into the targets).
    pub binding: Vec<usize>,
    /// Every candidate the search evaluated, in order.
    pub candidates: Vec<Candidate>,
    /// The search's confidence rule.
    pub rule: Rule,
    /// Whether the candidate budget cut a branch and bound short.
    pub budget_hit: bool,
    /// Simulation effort.
    pub effort: Effort,
}

/// Error probability of final attempt `i` (1-based): alpha/2, alpha/4, alpha/4,
/// which sum to alpha.
pub(crate) fn attempt_alpha(alpha: f64, i: u32) -> f64 {
    alpha / f64::from(1u32 << i.clamp(1, FINAL_ATTEMPTS - 1))
}

/// Final verification attempts before giving up.
pub(crate) const FINAL_ATTEMPTS: u32 = 3;

/// The search's rule: per-target level of the first final attempt, the room a
/// verification on the spec's replications needs, four replications at the
/// first look.
/// (Each resilience target is one more check per failure scenario.)
pub fn rule(spec: &Spec) -> Rule {
    let alpha = 1.0 - spec.confidence;
    let (mut targets, mut spans) = (spec.targets.clone(), vec![Span::Window; spec.targets.len()]);
    for (t, sp) in resilience::checks(spec) {
        targets.push(t);
        spans.push(sp);
    }
    let level = attempt_alpha(alpha, 1) / targets.len().max(1) as f64;
    let most = spec.replications.max(2);
    Rule {
        alpha: level,
        room: Room::new(level, most, targets.len()),
        targets,
        spans,
        first: spec.replications.clamp(2, 4),
        most,
        failures: spec.failures.clone(),
    }
}

/// The scenario's own planning problem: its `slo.targets` and `slo.cost`, one
/// variable per slot deployment (but closed candidates) from 0 to max(2 x
/// analytic start, 2 x scenario capacity, 20) in steps of 1, a worker
/// deployment's knobs (`knob`), its confidence, and its replications (at
/// least 4).
pub fn default_spec(world: &World) -> Spec {
    let targets = world.slo().targets.clone();
    let (_, start) = analytic::start(world, &targets);
    let variables = world
        .deployments()
        .iter()
        .enumerate()
        .filter(|(_, dep)| dep.is_open())
        .flat_map(|(d, dep)| {
            let cost = world.slo().cost[dep.region];
            if dep.workers.is_some() {
                return pool_variables(world, d, start[d], cost);
            }
            let max = start[d]
                .saturating_mul(2)
                .max(dep.capacity.saturating_mul(2))
                .max(20);
            vec![Variable::new(d, Period::Whole, (0, max, 1), cost).expect("a validated cost")]
        })
        .collect();
    let (failures, not_failed) = match &world.slo().resilience {
        Some(r) => resilience::failures(world, r),
        None => (Vec::new(), Vec::new()),
    };
    Spec {
        targets,
        variables,
        confidence: world.run().confidence,
        replications: world.run().replications.max(4),
        max_candidates: 2000,
        resilience: world
            .slo()
            .resilience
            .as_ref()
            .map_or_else(Vec::new, |r| r.targets.clone()),
        failures,
        not_failed,
    }
}

/// Every knob of worker deployment `d` over the whole run at `cost` per paid
/// unit-hour, with its default bounds from the analytic start `slots`.
fn pool_variables(world: &World, d: usize, slots: u32, cost: f64) -> Vec<Variable> {
    knob::knobs_of(world, d)
        .iter()
        .map(|&k| {
            let bounds = knob::default_bounds(world, d, k, slots);
            Variable::new(d, Period::Whole, bounds, cost)
                .expect("default bounds are ordered, steps at least 1, a validated cost")
                .with_knob(k)
        })
        .collect()
}

/// Whether variable `v` at value `c`, the rest of its pool as the scenario
/// has it, meets the worker model's rules (`World::set_workers`).
pub fn admissible(world: &World, v: &Variable, c: u32) -> Result<(), String> {
    knob::admissible(world, v.deployment(), v.knob(), c)
}

/// Plan `world`'s capacities; `note` hears what the search is doing.
pub fn plan(
    world: &World,
    spec: &Spec,
    progress: &dyn Progress,
    note: &mut dyn FnMut(&str),
) -> Outcome {
    plan_static(world, spec, rule(spec), Marginals::Measured, progress, note)
}

/// Plan `world`'s static capacities against the checks of `rule`: the hourly
/// planner's static comparison, which judges every hour. Its plan is a
/// reference and a fallback, not a report of its own, so the steps on
/// either side of it are not measured.
pub fn plan_with(
    world: &World,
    spec: &Spec,
    rule: Rule,
    progress: &dyn Progress,
    note: &mut dyn FnMut(&str),
) -> Outcome {
    plan_static(world, spec, rule, Marginals::Skipped, progress, note)
}

/// Whether a verified static plan's marginal effects (one step more and
/// less per variable, what `plan.md` reports and the binding targets come
/// from) are measured: one or two candidates per variable at every
/// replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marginals {
    /// Measured (a static plan's own report).
    Measured,
    /// Not measured (the hourly planner's static comparison).
    Skipped,
}

fn plan_static(
    world: &World,
    spec: &Spec,
    rule: Rule,
    marginals: Marginals,
    progress: &dyn Progress,
    note: &mut dyn FnMut(&str),
) -> Outcome {
    // Hour-long bins with per-population counts: what the population table
    // (and hourly checks) read; the targets over the window do not depend on them.
    let w = hourly::hourly_world(world);
    let world = &w;
    let (peak_loads, start_all) = analytic::start(world, &spec.targets);
    let start: Capacities = spec
        .variables
        .iter()
        .map(|v| {
            knob::start(world, v.deployment(), v.knob(), start_all[v.deployment()])
                .clamp(v.min(), v.max())
        })
        .collect();
    let lean = hourly::search_world(world, &rule);
    let mut ev = Evaluator::new(&lean, &spec.variables, &rule, progress);
    let mut out = Outcome::new(rule.clone(), peak_loads, start.clone());
    let mut search = Search {
        ev: &mut ev,
        vars: &spec.variables,
        world,
        budget: spec.max_candidates,
        budget_hit: false,
    };
    let result = phases::run(&mut search, spec, &start, marginals, &mut out, note);
    out.budget_hit = search.budget_hit;
    if result.is_err() {
        out.status = Status::Interrupted;
        out.plan = out.verifications.iter().rev().find(|v| v.passed()).cloned();
    }
    out.close(&ev);
    out
}

impl Outcome {
    /// An outcome before any search: interrupted, with nothing found yet.
    fn new(rule: Rule, peak_loads: Vec<f64>, start: Capacities) -> Self {
        Self {
            status: Status::Interrupted,
            peak_loads,
            start,
            plan: None,
            incumbent: None,
            searched: None,
            best_effort: None,
            verifications: Vec::new(),
            at_plan: None,
            marginals: Vec::new(),
            binding: Vec::new(),
            candidates: Vec::new(),
            rule,
            budget_hit: false,
            effort: Effort::default(),
        }
    }

    /// Copy the search's candidates and tally the effort of search and verifications.
    fn close(&mut self, ev: &Evaluator<'_>) {
        self.candidates = ev.candidates();
        self.effort.candidates = self.candidates.len();
        self.effort.search_replications = ev.replications;
        self.effort.search_sessions = ev.sessions;
        for v in &self.verifications {
            self.effort.verification_replications += u64::from(v.replications);
            self.effort.verification_sessions += v.sessions;
        }
    }
}
