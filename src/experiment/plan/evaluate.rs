//! Simulating candidates on common random numbers. Every candidate of a search
//! runs replications 0, 1, 2, ... of the same seed, so neighbouring candidates
//! see the same users and their figures differ by the capacity change, not by
//! noise. A candidate starts with a few replications and gets more (doubling)
//! only while some target is neither met nor clearly failed: cheap screening far
//! from the boundary, effort where the decision is close.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::measure::{Runs, Span, Tally, TargetEstimate};
use super::resilience::Failure;
use super::room::Room;
use super::space::{apply, below, cost, Capacities, Variable};
use super::verdict::{judge, Verdict};
use crate::engine::policy::AnyPolicy;
use crate::engine::{simulate_with, Progress};
use crate::experiment::{batched, Cancelled};
use crate::model::target::Target;
use crate::model::World;

/// One evaluated candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Capacities, one per variable.
    pub capacities: Capacities,
    /// Cost-weighted slot-hours.
    pub cost: f64,
    /// Replications it took to decide.
    pub replications: u32,
    /// Every target's estimate at the search's per-target level.
    pub estimates: Vec<TargetEstimate>,
    /// The decision.
    pub verdict: Verdict,
}

/// How a candidate is judged: checks, level and replication budget.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Each check's target (a target measured hour by hour is repeated per hour).
    pub targets: Vec<Target>,
    /// Each check's span, parallel to `targets`.
    pub spans: Vec<Span>,
    /// One-sided level of each target's interval (1 - alpha).
    pub alpha: f64,
    /// Replications of the first look (at least 2).
    pub first: u32,
    /// Most replications a candidate gets.
    pub most: u32,
    /// Margins a target's estimate must keep inside its limit, by replications
    /// (the verification itself: 1).
    pub room: Room,
    /// The failure scenarios `Span::Failure` checks are measured in.
    pub failures: Vec<Failure>,
}

/// Replications `from..to` of `world` (seed `seed`) folded into `tally`: each
/// replication simulates the normal run and, when `rule` has failure checks,
/// every failure scenario on the same seed.
pub fn run_into(
    world: &World,
    seed: u64,
    range: std::ops::Range<u32>,
    rule: &Rule,
    tally: &mut Tally,
    progress: &dyn Progress,
) -> Result<(), Cancelled> {
    let mut w = world.clone();
    w.edit_run(|r| r.seed = seed).expect("any seed");
    let measured = rule.spans.iter().any(|s| matches!(s, Span::Failure(_)));
    let failures: Vec<World> = (rule.failures.iter())
        .filter(|_| measured)
        .map(|f| f.world(&w))
        .collect();
    // The normal run first, then failure k at k + 1 (as `Runs` reads them).
    let worlds: Vec<World> = std::iter::once(w).chain(failures).collect();
    batched(
        range.start..range.end.max(range.start),
        progress,
        |rep| {
            Runs::new(
                worlds
                    .par_iter()
                    .map(|w| simulate_with(w, AnyPolicy::from_spec(w, w.policy()), rep, progress))
                    .collect(),
            )
        },
        |runs| tally.push(&rule.targets, &rule.spans, runs),
    )
}

/// The search's memory: every candidate judged so far, and the replications spent.
pub struct Evaluator<'a> {
    world: &'a World,
    vars: &'a [Variable],
    rule: &'a Rule,
    progress: &'a dyn Progress,
    cache: BTreeMap<Capacities, (Candidate, Tally)>,
    /// Candidates in the order they were first evaluated.
    pub order: Vec<Capacities>,
    /// Replications simulated.
    pub replications: u64,
    /// Sessions simulated.
    pub sessions: f64,
}

impl<'a> Evaluator<'a> {
    /// An empty memory.
    pub fn new(
        world: &'a World,
        vars: &'a [Variable],
        rule: &'a Rule,
        progress: &'a dyn Progress,
    ) -> Self {
        Self {
            world,
            vars,
            rule,
            progress,
            cache: BTreeMap::new(),
            order: Vec::new(),
            replications: 0,
            sessions: 0.0,
        }
    }

    /// The rule candidates are judged by.
    pub fn rule(&self) -> &'a Rule {
        self.rule
    }

    /// The progress sink (and Ctrl-C flag) replications report to.
    pub fn progress(&self) -> &'a dyn Progress {
        self.progress
    }

    /// Mark `x` as short of capacity (a verification on fresh seeds failed it),
    /// so the search looks above it.
    pub fn rule_out(&mut self, x: &[u32]) {
        if let Some((c, _)) = self.cache.get_mut(x) {
            c.verdict.short = true;
        }
    }

    /// The candidate at `x`, if evaluated.
    pub fn get(&self, x: &[u32]) -> Option<&Candidate> {
        self.cache.get(x).map(|c| &c.0)
    }

    /// Every candidate, in evaluation order.
    pub fn candidates(&self) -> Vec<Candidate> {
        self.order
            .iter()
            .filter_map(|x| self.get(x).cloned())
            .collect()
    }

    /// Whether an evaluated candidate shows `x` cannot be feasible: `x` lies below
    /// a candidate short of capacity, or above one over a utilisation floor.
    pub fn implied_infeasible(&self, x: &[u32]) -> bool {
        self.cache.values().any(|(c, _)| {
            (c.verdict.short && below(x, &c.capacities))
                || (c.verdict.over && below(&c.capacities, x))
        })
    }

    /// Judge `x`, adding replications (doubling) while undecided.
    pub fn evaluate(&mut self, x: &[u32]) -> Result<Verdict, Cancelled> {
        self.evaluate_with(x, self.rule.first)
    }

    /// Judge `x` on all `most` replications (for marginal effects and reports).
    pub fn evaluate_full(&mut self, x: &[u32]) -> Result<Candidate, Cancelled> {
        self.evaluate_with(x, self.rule.most)?;
        Ok(self.cache[x].0.clone())
    }

    fn evaluate_with(&mut self, x: &[u32], at_least: u32) -> Result<Verdict, Cancelled> {
        let rule = self.rule;
        let (mut tally, had) = match self.cache.get(x) {
            Some((c, t)) if t.n() >= at_least => return Ok(c.verdict),
            Some((c, t)) if t.n() >= rule.most || (c.verdict.settled() && t.n() >= at_least) => {
                return Ok(c.verdict)
            }
            Some((_, t)) => (t.clone(), true),
            None => (Tally::default(), false),
        };
        let world = apply(self.world, self.vars, x);
        let mut n = tally.n().max(at_least.min(rule.most));
        loop {
            let (from, sessions) = (tally.n(), tally.sessions);
            run_into(
                &world,
                world.run().seed,
                from..n,
                rule,
                &mut tally,
                self.progress,
            )?;
            self.replications += u64::from(n - from);
            self.sessions += tally.sessions - sessions;
            let est = tally.estimates(&rule.targets, rule.alpha, Some(&rule.room));
            let mut verdict = judge(&rule.targets, &est);
            let done = (verdict.settled() && n >= at_least) || n >= rule.most;
            if done {
                if n >= rule.most {
                    verdict = verdict.resolve(&rule.targets, &est);
                }
                let cand = Candidate {
                    capacities: x.to_vec(),
                    cost: cost(self.world, self.vars, x),
                    replications: n,
                    estimates: est,
                    verdict,
                };
                if !had {
                    self.order.push(x.to_vec());
                }
                self.cache.insert(x.to_vec(), (cand, tally));
                return Ok(verdict);
            }
            n = (n * 2).min(rule.most);
        }
    }
}
