//! The decision space: one variable per capacity the planner may set, each with
//! bounds and a step, and the lattices the search walks from coarse to fine.
//!
//! A variable names a deployment and the period its capacity holds for: the
//! whole run (a static capacity) or one hour of the UTC day (an hourly
//! schedule: 24 variables per deployment, applied as a timeline `capacity`
//! event with `hourly` values). A variable is paid for the hours of the
//! statistics window its period covers, so costs and slot-hours need no other
//! knowledge of what the capacities mean.

use super::knob::{self, Knob};
pub use super::lattice::Lattice;
use crate::model::timeline::{Action, EventKind, Step, TimelineEvent};
use crate::model::World;

/// When a variable's capacity applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole run: a static capacity.
    Whole,
    /// One hour of the UTC day (0..23), every day of the run.
    Hour(u8),
}

/// One capacity the planner chooses. Its fields are private: the
/// constructor and the `with_` methods keep min <= max, a step of at least
/// one slot and a finite, non-negative cost, so every lattice is well formed.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// Index into `World::deployments`.
    deployment: usize,
    /// When it applies.
    period: Period,
    /// Smallest allowed capacity, slots.
    min: u32,
    /// Largest allowed capacity, slots.
    max: u32,
    /// Capacities are min + k step (and max).
    step: u32,
    /// Relative cost of one slot-hour (the region's `slo.cost`).
    cost: f64,
    /// What it sets on its deployment (slots unless `with_knob` says otherwise).
    knob: Knob,
}

impl Variable {
    /// Deployment `deployment`'s capacity over `period`, between `min` and
    /// `max` in steps of `step`, at `cost` per slot-hour.
    pub fn new(
        deployment: usize,
        period: Period,
        (min, max, step): (u32, u32, u32),
        cost: f64,
    ) -> Result<Variable, String> {
        if min > max {
            return Err(format!("the lower bound exceeds the upper ({min} > {max})"));
        }
        if step == 0 {
            return Err("a step must be at least 1 slot".into());
        }
        if !(cost.is_finite() && cost >= 0.0) {
            return Err(format!("a cost must be a finite number >= 0, got {cost}"));
        }
        Ok(Variable {
            deployment,
            period,
            min,
            max,
            step,
            cost,
            knob: Knob::Slots,
        })
    }

    /// The same variable setting `knob` instead (its bounds in the knob's
    /// lattice units, see `knob`).
    pub fn with_knob(self, knob: Knob) -> Variable {
        Variable { knob, ..self }
    }

    /// What it sets on its deployment.
    #[inline]
    pub fn knob(&self) -> Knob {
        self.knob
    }

    /// The same variable with other bounds (checked again).
    pub fn with_bounds(&self, min: u32, max: u32) -> Result<Variable, String> {
        Variable::new(
            self.deployment,
            self.period,
            (min, max, self.step),
            self.cost,
        )
        .map(|v| v.with_knob(self.knob))
    }

    /// The same variable with another step (checked again).
    pub fn with_step(&self, step: u32) -> Result<Variable, String> {
        Variable::new(
            self.deployment,
            self.period,
            (self.min, self.max, step),
            self.cost,
        )
        .map(|v| v.with_knob(self.knob))
    }

    /// The same variable for one UTC hour.
    pub fn at_hour(&self, h: u8) -> Variable {
        Variable {
            period: Period::Hour(h),
            ..self.clone()
        }
    }

    /// Index into `World::deployments`.
    #[inline]
    pub fn deployment(&self) -> usize {
        self.deployment
    }

    /// When it applies.
    #[inline]
    pub fn period(&self) -> Period {
        self.period
    }

    /// Smallest allowed capacity, slots.
    #[inline]
    pub fn min(&self) -> u32 {
        self.min
    }

    /// Largest allowed capacity, slots.
    #[inline]
    pub fn max(&self) -> u32 {
        self.max
    }

    /// Capacities are min + k step (and max).
    #[inline]
    pub fn step(&self) -> u32 {
        self.step
    }

    /// Relative cost of one slot-hour (the region's `slo.cost`).
    #[inline]
    pub fn cost(&self) -> f64 {
        self.cost
    }

    /// The lattice of allowed values at factor `f` (steps of `step * f` from
    /// `min`, plus `max`), computed from the index on demand: bounds as wide as
    /// `0:4294967295` cost nothing until a value is asked for.
    pub fn lattice(&self, f: u32) -> Lattice {
        Lattice::new(self.min, self.max, u64::from(self.step) * u64::from(f))
    }

    /// The smallest allowed value at factor `f` that is >= x (max if none).
    pub fn snap_up(&self, x: u32, f: u32) -> u32 {
        let l = self.lattice(f);
        l.ceil_index(x).map_or(self.max, |i| l.get(i))
    }
}

/// Capacities, one per variable.
pub type Capacities = Vec<u32>;

/// Hours the capacities are paid for: the statistics window.
pub fn window_hours(world: &World) -> f64 {
    (world.run().horizon_s - world.run().warmup_s) / 3600.0
}

/// Hours of the statistics window that UTC hour `h` covers (over every day).
pub fn hours_in(world: &World, h: u8) -> f64 {
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    let mut start = f64::from(h) * 3600.0;
    let mut s = 0.0;
    while start < to {
        s += ((start + 3600.0).min(to) - start.max(from)).max(0.0);
        start += 86_400.0;
    }
    s / 3600.0
}

/// Hours a variable is paid for: the part of the statistics window its
/// deployment exists in (from its creation to its deletion by the timeline),
/// or of its hour.
pub fn paid_hours(world: &World, v: &Variable) -> f64 {
    match v.period {
        Period::Whole => {
            let (born, gone) = life(world, v.deployment);
            let from = world.run().warmup_s.max(born);
            let to = world.run().horizon_s.min(gone);
            (to - from).max(0.0) / 3600.0
        }
        Period::Hour(h) => hours_in(world, h),
    }
}

/// When deployment `d` is created and deleted (infinity if never).
fn life(world: &World, d: usize) -> (f64, f64) {
    let gone = world
        .timeline()
        .iter()
        .flat_map(|e| &e.steps)
        .filter(|s| matches!(s.action, Action::Delete { deployment } if deployment == d))
        .map(|s| s.at_s)
        .fold(f64::INFINITY, f64::min);
    (world.deployments()[d].created_at_s, gone)
}

/// Value-hours over the window of the variables whose knob `keep` takes:
/// each value times the hours its period covers, summed in variable order.
fn hours_of(world: &World, vars: &[Variable], x: &[u32], keep: impl Fn(Knob) -> bool) -> f64 {
    vars.iter()
        .zip(x)
        .filter(|(v, _)| keep(v.knob))
        .map(|(v, &c)| f64::from(c) * paid_hours(world, v))
        .fold(0.0, |a, b| a + b)
}

/// Slot-hours of a decision over the window.
pub fn slot_hours(world: &World, vars: &[Variable], x: &[u32]) -> f64 {
    hours_of(world, vars, x, |k| k == Knob::Slots)
}

/// Worker-hours a decision pays for over the window: a fixed pool's workers,
/// an autoscaled pool's most replicas, times the hours.
pub fn worker_hours(world: &World, vars: &[Variable], x: &[u32]) -> f64 {
    hours_of(world, vars, x, |k| k.paid() && k.on_workers())
}

/// Worker-hours the pools' floors keep warm at least over the window (each
/// floor times the hours its period covers; the floors are not paid for as
/// such, so this is a figure, not part of the cost).
pub fn floor_hours(world: &World, vars: &[Variable], x: &[u32]) -> f64 {
    hours_of(world, vars, x, |k| k == Knob::MinReplicas)
}

/// Cost-weighted slot-hours and worker-hours: what the planner minimises
/// (knobs that are not paid for by the hour add nothing).
pub fn cost(world: &World, vars: &[Variable], x: &[u32]) -> f64 {
    vars.iter()
        .zip(x)
        .filter(|(v, _)| v.knob.paid())
        .map(|(v, &c)| v.cost * f64::from(c) * paid_hours(world, v))
        .sum()
}

/// The order the search minimises in: cost-weighted slot-hours per window
/// hour in millionths, so that costs equal up to rounding tie exactly (and
/// ties go to the smaller capacities in variable order, compared after this
/// key). Depends on the world only through each period's paid hours.
pub fn cost_key(world: &World, vars: &[Variable], x: &[u32]) -> i64 {
    let weighted = cost(world, vars, x) / window_hours(world).max(1e-9);
    (weighted * 1e6).round() as i64
}

/// The world with the decision's capacities: static ones set in place, hourly
/// slot capacities as one schedule per deployment from t = 0 (appended to the
/// timeline, so the scenario's own events keep their index), hourly floors as
/// the pool's `min_hourly`.
pub fn apply(world: &World, vars: &[Variable], x: &[u32]) -> World {
    let mut w = world.clone();
    for (d, schedule) in schedules(vars, x) {
        w.set_capacity(d, schedule[0]);
        let horizon_s = w.run().horizon_s;
        w.push_event(TimelineEvent {
            label: "planned hourly capacity".into(),
            kind: EventKind::Capacity,
            at_s: 0.0,
            end_s: horizon_s,
            steps: vec![Step {
                at_s: 0.0,
                action: Action::Hourly {
                    deployment: d,
                    hourly: Box::new(schedule),
                    utc_offset_h: 0.0,
                },
            }],
        })
        .expect("a planned deployment exists and its schedule starts at 0");
    }
    for (v, &c) in vars.iter().zip(x) {
        if v.period == Period::Whole && v.knob == Knob::Slots {
            w.set_capacity(v.deployment, c);
        }
    }
    let pools: Vec<(usize, Knob, u32)> = (vars.iter().zip(x))
        .filter(|(v, _)| v.period == Period::Whole)
        .map(|(v, &c)| (v.deployment, v.knob, c))
        .collect();
    knob::apply_workers(&mut w, &pools)
        .expect("every worker knob's bounds were checked against the pool's rules");
    for (d, hours) in floor_schedules(vars, x) {
        knob::apply_floor_schedule(&mut w, d, hours)
            .expect("every floor's bounds were checked against the pool's rules");
    }
    w
}

/// Each (deployment, knob) with hourly variables and its 24 values (UTC
/// hours), in the variables' order (deployment-major, as the hourly search
/// groups them); an hour without a variable keeps 0.
pub fn hourly_groups(vars: &[Variable], x: &[u32]) -> Vec<(usize, Knob, [u32; 24])> {
    let mut out: Vec<(usize, Knob, [u32; 24])> = Vec::new();
    for (v, &c) in vars.iter().zip(x) {
        let Period::Hour(h) = v.period else { continue };
        let i = match out
            .iter()
            .position(|s| s.0 == v.deployment && s.1 == v.knob)
        {
            Some(i) => i,
            None => {
                out.push((v.deployment, v.knob, [0; 24]));
                out.len() - 1
            }
        };
        out[i].2[usize::from(h) % 24] = c;
    }
    out
}

/// The hourly groups of one knob: (deployment, 24 values), in deployment order.
fn groups_of(vars: &[Variable], x: &[u32], knob: Knob) -> Vec<(usize, [u32; 24])> {
    let mut out: Vec<(usize, [u32; 24])> = (hourly_groups(vars, x).into_iter())
        .filter(|g| g.1 == knob)
        .map(|(d, _, s)| (d, s))
        .collect();
    out.sort_by_key(|s| s.0);
    out
}

/// Each deployment with hourly slot capacities and its 24 capacities (UTC
/// hours), in deployment order.
pub fn schedules(vars: &[Variable], x: &[u32]) -> Vec<(usize, [u32; 24])> {
    groups_of(vars, x, Knob::Slots)
}

/// Each autoscaled pool with an hourly floor and its 24 floors (UTC hours),
/// in deployment order.
pub fn floor_schedules(vars: &[Variable], x: &[u32]) -> Vec<(usize, [u32; 24])> {
    groups_of(vars, x, Knob::MinReplicas)
}

/// The coarsest power-of-two factor giving at most `points` values per variable.
pub fn coarsest(vars: &[Variable], points: u32) -> u32 {
    let wide = |f: u32| {
        vars.iter().any(|v| {
            u64::from(v.max.saturating_sub(v.min)) / (u64::from(v.step) * u64::from(f)).max(1)
                > u64::from(points.saturating_sub(1))
        })
    };
    let mut f = 1u32;
    while f < (1 << 31) && wide(f) {
        f *= 2;
    }
    f
}

/// `a <= b` in every coordinate.
pub fn below(a: &[u32], b: &[u32]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(min: u32, max: u32, step: u32) -> Variable {
        Variable::new(0, Period::Whole, (min, max, step), 1.0).unwrap()
    }

    /// The listing the lattice replaced: steps of `stride` from min below max, then max.
    fn listed(v: &Variable, f: u32) -> Vec<u32> {
        let stride = u64::from(v.step) * u64::from(f);
        let mut out: Vec<u32> = (0..)
            .map(|k: u64| u64::from(v.min) + k * stride)
            .take_while(|&x| x < u64::from(v.max))
            .map(|x| x as u32)
            .collect();
        out.push(v.max);
        out
    }

    #[test]
    fn the_lattice_computed_from_indices_equals_the_listed_values() {
        for (min, max, step) in [(0, 20, 1), (3, 17, 4), (5, 5, 1), (2, 9, 7), (0, 8, 4)] {
            let v = var(min, max, step);
            for f in [1, 2, 4, 16] {
                let l = v.lattice(f);
                let want = listed(&v, f);
                assert_eq!(
                    l.values().collect::<Vec<_>>(),
                    want,
                    "{min}:{max} step {step} x{f}"
                );
                for x in 0..=max + 2 {
                    let up = want.iter().position(|&y| y >= x).map(|i| i as u64);
                    let down = want.iter().rposition(|&y| y <= x).map(|i| i as u64);
                    assert_eq!(l.ceil_index(x), up, "ceil {x}");
                    assert_eq!(l.floor_index(x), down, "floor {x}");
                    assert_eq!(v.snap_up(x, f), up.map_or(max, |i| want[i as usize]));
                }
            }
        }
    }

    /// `--bounds us-east=0:4294967295` once listed 4.3 G values per lattice.
    #[test]
    fn full_width_bounds_cost_nothing_until_a_value_is_asked_for() {
        let v = var(0, u32::MAX, 1);
        let l = v.lattice(1);
        assert_eq!(l.len(), 1 << 32);
        assert_eq!(l.get(l.len() - 1), u32::MAX);
        assert_eq!(l.within(10, 12), Some((10, 12)));
        assert_eq!(l.floor_index(u32::MAX - 1), Some(u64::from(u32::MAX) - 1));
        let f = coarsest(std::slice::from_ref(&v), 9);
        assert!(v.lattice(f).len() <= 9, "factor {f}");
        let odd = var(1, u32::MAX, 3);
        let f = coarsest(std::slice::from_ref(&odd), 9);
        assert!(odd.lattice(f).len() <= 9, "factor {f}");
        assert_eq!(odd.snap_up(u32::MAX - 1, 1), u32::MAX);
    }
}
