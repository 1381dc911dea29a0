//! The independent verification of a plan, and what a plan's neighbours say.
//!
//! A verification simulates the chosen capacities on fresh seeds (streams no
//! search candidate used), so its verdict does not depend on how the plan was
//! chosen: with every target's one-sided interval at alpha / K (Bonferroni over
//! K targets), a plan violating some target passes with probability at most
//! alpha. Marginal effects reuse the search's common random numbers, so one
//! unit more or less is compared on the very same users.

use super::evaluate::{run_into, Candidate, Evaluator, Rule};
use super::measure::PopulationHours;
use super::measure::{Tally, TargetEstimate};
use super::space::{apply, Capacities, Variable};
use super::verdict::unmet;
use crate::engine::rng::mix64;
use crate::engine::Progress;
use crate::experiment::Cancelled;
use crate::model::World;

/// Why a verification ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The incumbent after a coarse level: kept if the search is interrupted.
    Checkpoint(u32),
    /// The final claim, attempt 1, 2, ...
    Final(u32),
    /// An hourly schedule after search phase n: kept if the search is interrupted.
    HourlyCheckpoint(u32),
    /// The final claim of an hourly schedule, attempt 1, 2, ...
    HourlyFinal(u32),
}

impl Stage {
    /// Whether this is a final claim rather than a checkpoint.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Final(_) | Self::HourlyFinal(_))
    }
}

/// One verification run.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// Why it ran.
    pub purpose: Stage,
    /// The capacities verified.
    pub capacities: Capacities,
    /// Its seed (fresh: derived from the scenario seed and the purpose).
    pub seed: u64,
    /// Error probability spent on this claim, over all targets.
    pub alpha: f64,
    /// Replications run.
    pub replications: u32,
    /// Sessions simulated.
    pub sessions: f64,
    /// Every target's estimate, margin one-sided at alpha / K.
    pub estimates: Vec<TargetEstimate>,
    /// Indices of targets not met with confidence (empty: passed).
    pub unmet: Vec<usize>,
    /// Per population and UTC hour, the run's counts (the population table).
    pub hours: PopulationHours,
    /// Measured worker-hours per replication of each worker deployment, in
    /// deployment order (empty without workers).
    pub worker_hours: Vec<f64>,
}

impl Verification {
    /// Every target met with confidence.
    pub fn passed(&self) -> bool {
        self.unmet.is_empty()
    }

    /// Worker-hours per replication the run measured over every worker
    /// deployment (None without workers).
    pub fn measured_worker_hours(&self) -> Option<f64> {
        (!self.worker_hours.is_empty()).then(|| self.worker_hours.iter().sum())
    }
}

/// The seed of a verification: a stream family no search candidate uses.
pub fn fresh_seed(seed: u64, purpose: Stage) -> u64 {
    let tag = match purpose {
        Stage::Checkpoint(level) => 0x100 + u64::from(level),
        Stage::Final(attempt) => u64::from(attempt),
        Stage::HourlyCheckpoint(n) => 0x200 + u64::from(n),
        Stage::HourlyFinal(attempt) => 0x300 + u64::from(attempt),
    };
    mix64(mix64(seed ^ 0x706c_616e_7665_7269) ^ tag)
}

/// Simulate `x` on fresh seeds and judge every check of `rule` at `alpha / K`
/// (K checks).
#[allow(clippy::too_many_arguments)]
pub fn verify(
    world: &World,
    vars: &[Variable],
    rule: &Rule,
    x: &[u32],
    purpose: Stage,
    alpha: f64,
    replications: u32,
    progress: &dyn Progress,
) -> Result<Verification, Cancelled> {
    let w = apply(world, vars, x);
    let seed = fresh_seed(world.run().seed, purpose);
    let targets = &rule.targets;
    let mut tally = Tally::with_hours();
    run_into(&w, seed, 0..replications, rule, &mut tally, progress)?;
    let per_target = alpha / targets.len().max(1) as f64;
    let estimates = tally.estimates(targets, per_target, None);
    Ok(Verification {
        purpose,
        capacities: x.to_vec(),
        seed,
        alpha,
        replications,
        sessions: tally.sessions,
        unmet: unmet(targets, &estimates),
        estimates,
        worker_hours: (tally.worker_hours.iter())
            .map(|h| h / f64::from(replications.max(1)))
            .collect(),
        hours: tally.hours.unwrap_or_default(),
    })
}

/// Verify `x` at `alpha` with the search's rule, on the spec's replications,
/// and record the run in `out`; whether it passed.
pub(super) fn record(
    ev: &Evaluator<'_>,
    world: &World,
    spec: &super::Spec,
    x: &[u32],
    (purpose, alpha): (Stage, f64),
    out: &mut super::Outcome,
) -> Result<bool, Cancelled> {
    let v = verify(
        world,
        &spec.variables,
        ev.rule(),
        x,
        purpose,
        alpha,
        spec.replications.max(2),
        ev.progress(),
    )?;
    let passed = v.passed();
    out.verifications.push(v);
    Ok(passed)
}

/// One variable's neighbours of the plan, on the search's common random numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginal {
    /// The variable.
    pub variable: usize,
    /// One step less (None at the lower bound).
    pub minus: Option<Candidate>,
    /// One step more (None at the upper bound).
    pub plus: Option<Candidate>,
}

/// The plan and its one-step neighbours, all on the search's full replications.
pub fn marginals(
    ev: &mut Evaluator<'_>,
    vars: &[Variable],
    x: &[u32],
) -> Result<(Candidate, Vec<Marginal>), Cancelled> {
    let at = ev.evaluate_full(x)?;
    let mut out = Vec::with_capacity(vars.len());
    for (j, v) in vars.iter().enumerate() {
        let mut side = |delta: i64| -> Result<Option<Candidate>, Cancelled> {
            let c = i64::from(x[j]) + delta * i64::from(v.step());
            if c < i64::from(v.min()) || c > i64::from(v.max()) {
                return Ok(None);
            }
            let mut y = x.to_vec();
            y[j] = c as u32;
            ev.evaluate_full(&y).map(Some)
        };
        let minus = side(-1)?;
        let plus = side(1)?;
        out.push(Marginal {
            variable: j,
            minus,
            plus,
        });
    }
    Ok((at, out))
}

/// Targets that stop some variable from dropping a step: unmet one step below
/// under the search's rule (`room` margins).
pub fn binding(rule: &Rule, marginals: &[Marginal]) -> Vec<usize> {
    let mut b: Vec<usize> = marginals
        .iter()
        .filter_map(|m| m.minus.as_ref())
        .flat_map(|c| unmet(&rule.targets, &c.estimates))
        .collect();
    b.sort_unstable();
    b.dedup();
    b
}
