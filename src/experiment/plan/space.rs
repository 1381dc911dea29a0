//! The decision space: one variable per capacity the planner may set, each with
//! bounds and a step, and the lattices the search walks from coarse to fine.
//!
//! A variable names a deployment and the period its capacity holds for. Today
//! the only period is the whole run (static capacity); an hourly schedule adds
//! 24 variables per deployment (`Period::Hour`) once the engine can change
//! capacity over time, without changing the search, which sees only a vector of
//! integers with bounds, steps and costs.

use crate::model::World;

/// When a variable's capacity applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole run: a static capacity.
    Whole,
}

/// One capacity the planner chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// Index into `World::deployments`.
    pub deployment: usize,
    /// When it applies.
    pub period: Period,
    /// Smallest allowed capacity, slots.
    pub min: u32,
    /// Largest allowed capacity, slots.
    pub max: u32,
    /// Capacities are min + k step (and max).
    pub step: u32,
    /// Relative cost of one slot-hour (the region's `slo.cost`).
    pub cost: f64,
}

impl Variable {
    /// Allowed values at a lattice factor `f` (steps of `step * f` from `min`,
    /// plus `max`), ascending.
    pub fn values(&self, f: u32) -> Vec<u32> {
        let stride = u64::from(self.step) * u64::from(f);
        let mut v: Vec<u32> = (0..)
            .map(|k: u64| u64::from(self.min) + k * stride)
            .take_while(|&x| x < u64::from(self.max))
            .map(|x| x as u32)
            .collect();
        v.push(self.max);
        v
    }

    /// The smallest allowed value at factor `f` that is >= x (max if none).
    pub fn snap_up(&self, x: u32, f: u32) -> u32 {
        self.values(f)
            .into_iter()
            .find(|&v| v >= x)
            .unwrap_or(self.max)
    }
}

/// Capacities, one per variable.
pub type Decision = Vec<u32>;

/// Hours the capacities are paid for: the statistics window.
pub fn window_hours(world: &World) -> f64 {
    (world.run.horizon_s - world.run.warmup_s) / 3600.0
}

/// Slot-hours of a decision over the window.
pub fn slot_hours(world: &World, x: &[u32]) -> f64 {
    x.iter().map(|&c| f64::from(c)).sum::<f64>() * window_hours(world)
}

/// Cost-weighted slot-hours: what the planner minimises.
pub fn cost(world: &World, vars: &[Variable], x: &[u32]) -> f64 {
    vars.iter()
        .zip(x)
        .map(|(v, &c)| v.cost * f64::from(c))
        .sum::<f64>()
        * window_hours(world)
}

/// The order the search minimises in: cost-weighted slots in millionths, so
/// that costs equal up to rounding tie exactly (and ties go to the smaller
/// capacities in variable order, compared after this key).
pub fn cost_key(vars: &[Variable], x: &[u32]) -> i64 {
    let weighted: f64 = vars
        .iter()
        .zip(x)
        .map(|(v, &c)| v.cost * f64::from(c))
        .sum();
    (weighted * 1e6).round() as i64
}

/// The world with the decision's capacities.
pub fn apply(world: &World, vars: &[Variable], x: &[u32]) -> World {
    let mut w = world.clone();
    for (v, &c) in vars.iter().zip(x) {
        match v.period {
            Period::Whole => w.deployments[v.deployment].capacity = c,
        }
    }
    w
}

/// The coarsest power-of-two factor giving at most `points` values per variable.
pub fn coarsest(vars: &[Variable], points: u32) -> u32 {
    let mut f = 1u32;
    while f < (1 << 20)
        && vars
            .iter()
            .any(|v| (v.max - v.min) / (v.step * f) > points.saturating_sub(1))
    {
        f *= 2;
    }
    f
}

/// `a <= b` in every coordinate.
pub fn below(a: &[u32], b: &[u32]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y)
}
