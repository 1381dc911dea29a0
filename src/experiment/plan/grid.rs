//! The exhaustive reference: every lattice point of the bounds judged by the
//! same rule on the same common random numbers, and the cheapest feasible one.
//! Only for small spaces: the tests compare the search with it, both for the
//! plan it finds and for the simulation it needs.

use super::evaluate::{Candidate, Evaluator, Rule};
use super::space::{cost_key, Capacities, Variable};
use crate::engine::Progress;
use crate::experiment::Cancelled;
use crate::model::World;

/// Every point of the grid judged.
#[derive(Debug, Clone)]
pub struct Grid {
    /// All points, first variable varying slowest.
    pub candidates: Vec<Candidate>,
    /// The cheapest feasible point (ties: the smaller capacities, in variable order).
    pub optimum: Option<Capacities>,
    /// Replications simulated.
    pub replications: u64,
    /// Sessions simulated.
    pub sessions: f64,
}

/// Judge every point of the variables' lattices (step 1 x `step`).
pub fn exhaustive(
    world: &World,
    vars: &[Variable],
    rule: &Rule,
    progress: &dyn Progress,
) -> Result<Grid, Cancelled> {
    let mut points: Vec<Capacities> = vec![Vec::new()];
    for v in vars {
        points = points
            .into_iter()
            .flat_map(|p| {
                v.lattice(1).values().map(move |c| {
                    let mut q = p.clone();
                    q.push(c);
                    q
                })
            })
            .collect();
    }
    let mut ev = Evaluator::new(world, vars, rule, progress);
    for p in &points {
        ev.evaluate(p)?;
    }
    let candidates = ev.candidates();
    let optimum = candidates
        .iter()
        .filter(|c| c.verdict.feasible())
        .min_by_key(|c| (cost_key(world, vars, &c.capacities), c.capacities.clone()))
        .map(|c| c.capacities.clone());
    Ok(Grid {
        candidates,
        optimum,
        replications: ev.replications,
        sessions: ev.sessions,
    })
}
