//! The validation suite: the queueing identities the model must reproduce as cases that
//! compare the simulator's estimates with exact queueing results through
//! confidence intervals from independent replications (fixed seeds, so every
//! outcome is reproducible). Owns the case list, the runner and the result
//! table; `exact` and `ctmc` hold the theory, `cases` the comparisons.
//!
//! No I/O: case scenarios are embedded at build time (the files under
//! `scenarios/validation/` stay runnable with `regionsim run`), and the table
//! comes back as text for the caller to print.

mod cases;
mod checks;
pub mod ctmc;
pub mod exact;
mod outage;
mod plan;

pub use cases::CASES;
pub use plan::{PlanCase, PLAN_CASES};

/// Confidence that the whole suite passes when the simulator is right.
pub const FAMILY_CONFIDENCE: f64 = 0.99;

/// Most statistical checks the suite may hold (intervals and critical values;
/// a planned capacity's equality with its formula uses no level); the
/// per-check level is set for this many.
pub const MAX_CHECKS: usize = 80;

/// Confidence level of each check's interval (Bonferroni): with at most
/// [`MAX_CHECKS`] checks at this level, a correct simulator passes them all with
/// probability at least [`FAMILY_CONFIDENCE`]. At 99 % per check, ~45 checks
/// would miss once in three suites by chance alone, and every change to how the
/// engine draws random numbers would re-roll which one.
pub const CONFIDENCE: f64 = 1.0 - (1.0 - FAMILY_CONFIDENCE) / MAX_CHECKS as f64;

/// Mean of `xs` (one value per replication) and its confidence half-width.
pub(crate) fn mean_and_half_width(xs: &[f64], confidence: f64) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() < 2 {
        0.0
    } else {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    };
    (mean, half_width(var, xs.len() as u32, confidence))
}

/// The name and identity of every case whose name contains `filter` (all
/// with `None`), simulation cases first, then planner cases: the cases
/// [`run`] runs with that filter.
pub fn list(filter: Option<&str>) -> Vec<(&'static str, &'static str)> {
    CASES
        .iter()
        .map(|c| (c.name, c.identity))
        .chain(PLAN_CASES.iter().map(|c| (c.name, c.identity)))
        .filter(|(name, _)| chosen(name, filter))
        .collect()
}

/// Whether the case `name` is one `filter` names.
fn chosen(name: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| name.contains(f))
}

use std::fmt::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::engine::simulate;
use crate::experiment::half_width;
use crate::model::World;
use crate::scenario::{self, ScenarioError};
use crate::stats::{RunStats, Summary};

/// How a simulated figure is judged against the exact one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// Pass when the exact value lies inside simulated ± half-width.
    Interval,
    /// Pass when the simulated statistic does not exceed the exact critical value
    /// (a goodness-of-fit statistic against its chi-square quantile).
    AtMost,
    /// Pass when the result equals the exact value (a planned capacity against
    /// the inverse of a formula).
    Equal,
    /// Pass when the whole interval lies above the exact value (an effect
    /// that must be there: a paired increase above 0).
    Above,
}

/// One comparison: a quantity of a case, its exact value and the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Case name.
    pub case: &'static str,
    /// What is compared.
    pub quantity: String,
    /// Exact value (NaN if the theory has no answer, which fails the check).
    pub exact: f64,
    /// Simulated estimate: mean over replications, or the test statistic.
    pub simulated: f64,
    /// Confidence half-width of `simulated` (NaN for `AtMost`).
    pub half_width: f64,
    /// How it is judged.
    pub test: Test,
}

impl Check {
    /// Whether the simulator reproduces the exact value.
    pub fn passed(&self) -> bool {
        match self.test {
            Test::Interval => {
                self.exact.is_finite()
                    && self.simulated.is_finite()
                    && self.half_width.is_finite()
                    && (self.simulated - self.exact).abs() <= self.half_width
            }
            Test::AtMost => self.exact.is_finite() && self.simulated <= self.exact,
            Test::Equal => self.exact.is_finite() && self.simulated == self.exact,
            Test::Above => {
                self.exact.is_finite()
                    && self.half_width.is_finite()
                    && self.simulated - self.half_width > self.exact
            }
        }
    }
}

/// A validation case: a scenario and the exact results it must reproduce.
pub struct Case {
    /// Short name, also the scenario file's stem under `scenarios/validation/`.
    pub name: &'static str,
    /// The identity it checks, in one line.
    pub identity: &'static str,
    /// The scenario JSON.
    pub scenario: &'static str,
    /// The comparisons, given the replications.
    checks: fn(&Runs) -> Vec<Check>,
    /// Exact expected L - lambda W of the window (None: the theory does not apply).
    little_gap: fn(&World) -> Option<f64>,
}

/// Every replication of one case, kept separately so that derived quantities
/// (differences, ratios of counts) get their own across-replication interval.
pub struct Runs {
    /// Case name.
    pub case: &'static str,
    /// The case's world.
    pub world: World,
    /// Statistics of each replication, in replication order.
    pub stats: Vec<RunStats>,
    /// Summary of each replication.
    pub summaries: Vec<Summary>,
}

impl Runs {
    /// Replicate `world` with its own settings; replication i uses the same
    /// random streams as replication i of `regionsim run`.
    pub fn simulate(case: &'static str, world: World) -> Self {
        let stats: Vec<RunStats> = (0..world.run().replications)
            .into_par_iter()
            .map(|rep| simulate(&world, rep, &()))
            .collect();
        let summaries = stats.iter().map(Summary::of).collect();
        Self {
            case,
            world,
            stats,
            summaries,
        }
    }

    /// Mean over replications of `f` and its confidence half-width.
    pub fn interval(&self, f: impl Fn(&RunStats, &Summary) -> f64) -> (f64, f64) {
        let xs: Vec<f64> = self
            .stats
            .iter()
            .zip(&self.summaries)
            .map(|(s, m)| f(s, m))
            .collect();
        mean_and_half_width(&xs, self.world.run().confidence)
    }

    /// An interval check of `f` against `exact`.
    pub fn check(
        &self,
        quantity: impl Into<String>,
        exact: f64,
        f: impl Fn(&RunStats, &Summary) -> f64,
    ) -> Check {
        let (simulated, half_width) = self.interval(f);
        Check {
            case: self.case,
            quantity: quantity.into(),
            exact,
            simulated,
            half_width,
            test: Test::Interval,
        }
    }
}

impl Case {
    /// Parse the case's scenario.
    pub fn world(&self) -> Result<World, ScenarioError> {
        let file = format!("scenarios/validation/{}.json", self.name);
        scenario::parse(Path::new(&file), self.scenario)
    }

    /// Simulate and compare. Little's law (L = lambda W, time-averaged busy slots
    /// against throughput times mean holding time) is checked on every case; the
    /// window's edges make L - lambda W differ from 0 by the work carried in at
    /// the warm-up minus the work carried out at the horizon, which cancel in a
    /// steady state and are computed exactly otherwise.
    pub fn run(&self) -> Result<Vec<Check>, ScenarioError> {
        let mut world = self.world()?;
        world
            .edit_run(|r| r.confidence = CONFIDENCE)
            .expect("a confidence level");
        let runs = Runs::simulate(self.name, world);
        let mut checks = (self.checks)(&runs);
        let gap = (self.little_gap)(&runs.world).unwrap_or(f64::NAN);
        checks.push(runs.check("Little's law: L - lambda W", gap, |_, m| {
            m.little_l - m.little_lambda_w
        }));
        Ok(checks)
    }
}

/// Run the cases whose name contains `filter` (all with `None`), in parallel,
/// then the planner cases; checks come back in case order whatever the thread
/// count.
pub fn run(filter: Option<&str>) -> Result<Vec<Check>, ScenarioError> {
    let cases: Vec<&Case> = CASES.iter().filter(|c| chosen(c.name, filter)).collect();
    let mut per_case: Vec<Result<Vec<Check>, ScenarioError>> =
        cases.par_iter().map(|c| c.run()).collect();
    // Planner cases parallelise inside (replications), so they run one by one.
    per_case.extend(
        PLAN_CASES
            .iter()
            .filter(|c| chosen(c.name, filter))
            .map(PlanCase::run),
    );
    let mut all = Vec::new();
    for r in per_case {
        all.extend(r?);
    }
    Ok(all)
}

fn number(x: f64) -> String {
    number_as(x, x)
}

/// `x` with the decimals `like` is shown with (1 from 100, 3 from 1, else
/// 5): a half-width reads in its estimate's decimals (`6.432 ± 0.215`).
fn number_as(x: f64, like: f64) -> String {
    let a = like.abs();
    if !x.is_finite() {
        "–".into()
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.5}")
    }
}

/// The results as a Markdown table: case, quantity, exact, simulated ± interval, pass.
pub fn table(checks: &[Check]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| case | quantity | exact | simulated ± {:.2} % interval ({:.0} % jointly) | pass |\n| --- | --- | --- | --- | --- |",
        CONFIDENCE * 100.0,
        FAMILY_CONFIDENCE * 100.0
    );
    for c in checks {
        let simulated = match c.test {
            Test::Interval => format!(
                "{} ± {}",
                number(c.simulated),
                number_as(c.half_width, c.simulated)
            ),
            Test::AtMost => format!("{} (must not exceed the exact column)", number(c.simulated)),
            Test::Equal => format!("{} (planned)", c.simulated),
            Test::Above => format!(
                "{} ± {} (must lie above)",
                number(c.simulated),
                number_as(c.half_width, c.simulated)
            ),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            c.case,
            c.quantity,
            number(c.exact),
            simulated,
            if c.passed() { "yes" } else { "**NO**" }
        );
    }
    s
}
