//! What a decision variable sets on its deployment: a slot capacity, or one
//! knob of a worker pool (its fixed size; or, autoscaled, its most and fewest
//! replicas and its target load). The search walks every knob as a lattice of
//! whole numbers on which more means more capacity, so a target load (less
//! means more workers) is carried as its headroom below 1 in hundredths:
//! `100 - 100 x target_load`. A pool's knobs are applied through
//! `World::set_workers`, which checks the worker model's own rules, so no rule
//! is repeated here. A leaf: it knows deployments and knobs, not the
//! variables that carry them (`space`).

use crate::model::workers::{WorkerSpec, MAX_WORKERS};
use crate::model::World;

/// One setting a variable chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// A slot deployment's capacity (slots).
    Slots,
    /// A fixed pool's `workers.count`.
    Workers,
    /// An autoscaled pool's `autoscale.min` (the warm floor).
    MinReplicas,
    /// An autoscaled pool's `autoscale.max`.
    MaxReplicas,
    /// An autoscaled pool's `autoscale.target_load`, as headroom in hundredths.
    TargetLoad,
}

/// Hundredths: the unit of a target load's lattice.
const PER: f64 = 100.0;

/// The default grid of target loads: 0.05 (five hundredths).
pub const TARGET_LOAD_STEP: u32 = 5;

impl Knob {
    /// Every knob with its name on the command line and in reports.
    pub const NAMES: [(Knob, &'static str); 5] = [
        (Knob::Slots, "slots"),
        (Knob::Workers, "workers"),
        (Knob::MinReplicas, "min_replicas"),
        (Knob::MaxReplicas, "max_replicas"),
        (Knob::TargetLoad, "target_load"),
    ];

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("?", |(_, n)| n)
    }

    /// The knob named `name`.
    pub fn from_name(name: &str) -> Option<Knob> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(k, _)| *k)
    }

    /// Whether its value is paid for by the hour: slots, a fixed pool's
    /// workers, and an autoscaled pool's most replicas (what it may run;
    /// the floor and the target load cost nothing of their own).
    pub fn paid(self) -> bool {
        matches!(self, Knob::Slots | Knob::Workers | Knob::MaxReplicas)
    }

    /// Whether it sets a worker pool.
    pub fn on_workers(self) -> bool {
        self != Knob::Slots
    }

    /// The value people read: a target load as a fraction, else the count.
    pub fn value(self, v: u32) -> f64 {
        match self {
            Knob::TargetLoad => (PER - f64::from(v)) / PER,
            _ => f64::from(v),
        }
    }

    /// The lattice value of a figure people give (a target load as a
    /// fraction on the hundredths grid, else a whole count); None when it is
    /// not on the grid.
    pub fn code(self, x: f64) -> Option<u32> {
        let c = match self {
            Knob::TargetLoad => PER - x * PER,
            _ => x,
        };
        let r = c.round();
        ((c - r).abs() < 1e-6 && (0.0..=f64::from(u32::MAX)).contains(&r)).then_some(r as u32)
    }

    /// A value as reports write it: `0.55` for a target load, else `12`.
    pub fn show(self, v: u32) -> String {
        match self {
            Knob::TargetLoad => format!("{:.2}", self.value(v)),
            _ => v.to_string(),
        }
    }
}

/// The knobs a deployment is planned by: slots, a fixed pool's size, or an
/// autoscaled pool's most replicas, fewest replicas and target load (in the
/// order the search takes them: the paid one first).
pub fn knobs_of(world: &World, d: usize) -> &'static [Knob] {
    match &world.deployments()[d].workers {
        None => &[Knob::Slots],
        Some(w) if w.autoscale.is_none() => &[Knob::Workers],
        Some(_) => &[Knob::MaxReplicas, Knob::MinReplicas, Knob::TargetLoad],
    }
}

/// Workers a pool of `spec` needs for `slots` sessions at the threshold;
/// autoscaled, the count its rule asks for with `slots` sessions running
/// (`per_session x slots / (target - base)`).
fn workers_for(spec: &WorkerSpec, slots: u32) -> u32 {
    let k = f64::from(spec.sessions_at_threshold().max(1));
    let n = match &spec.autoscale {
        None => f64::from(slots) / k,
        Some(a) => spec.load.per_session * f64::from(slots) / (a.target_load - spec.load.base),
    };
    (n - 1e-9).ceil().clamp(1.0, f64::from(MAX_WORKERS)) as u32
}

/// Where the search starts knob `k` of deployment `d`, from the analytic
/// start in slots: the workers those slots need, or the scenario's own
/// floor and target load.
pub fn start(world: &World, d: usize, k: Knob, slots: u32) -> u32 {
    let Some(spec) = &world.deployments()[d].workers else {
        return slots;
    };
    let auto = spec.autoscale.as_ref();
    match k {
        Knob::Slots => slots,
        Knob::Workers | Knob::MaxReplicas => workers_for(spec, slots),
        Knob::MinReplicas => auto.map_or(0, |a| a.min),
        Knob::TargetLoad => auto.and_then(|a| k.code(a.target_load)).unwrap_or(50),
    }
}

/// Knob `k`'s default bounds and step on deployment `d`: counts from 1 (a
/// floor from 0) to max(2 x start, 2 x the scenario's, 20), in steps of 1;
/// target loads on the 0.05 grid strictly between the idle load and the
/// threshold.
pub fn default_bounds(world: &World, d: usize, k: Knob, slots: u32) -> (u32, u32, u32) {
    let Some(spec) = &world.deployments()[d].workers else {
        return (0, slots, 1);
    };
    let most = |own: u32| {
        let s = start(world, d, k, slots);
        s.saturating_mul(2)
            .max(own.saturating_mul(2))
            .clamp(20, MAX_WORKERS)
    };
    match (k, &spec.autoscale) {
        (Knob::TargetLoad, _) => {
            let grid = f64::from(TARGET_LOAD_STEP) / PER;
            let lo = ((spec.load.base / grid).floor() + 1.0) * grid;
            let hi = ((spec.measure.threshold / grid).ceil() - 1.0) * grid;
            let (a, b) = (k.code(hi).unwrap_or(0), k.code(lo).unwrap_or(0));
            (a.min(b), b, TARGET_LOAD_STEP)
        }
        (Knob::MinReplicas, Some(a)) => (0, most(a.max), 1),
        (_, Some(a)) => (1, most(a.max), 1),
        (_, None) => (1, most(spec.count), 1),
    }
}

/// Set one knob on a pool (a floor above the most replicas is held at the
/// most, and the workers at the start are kept within the floor and the most
/// by `settle`).
fn set(spec: &mut WorkerSpec, k: Knob, v: u32) {
    match (k, spec.autoscale.as_mut()) {
        (Knob::Workers, _) => spec.count = v,
        (Knob::MaxReplicas, Some(a)) => a.max = v,
        (Knob::MinReplicas, Some(a)) => a.min = v,
        (Knob::TargetLoad, Some(a)) => a.target_load = k.value(v),
        _ => {}
    }
}

/// An autoscaled pool's floor held at its most replicas, and its workers at
/// the start within the two.
fn settle(spec: &mut WorkerSpec) {
    if let Some(a) = spec.autoscale.as_mut() {
        a.min = a.min.min(a.max);
        a.initial = a.initial.clamp(a.min, a.max);
    }
}

/// Set every worker knob in `values` (deployment, knob, value), one
/// deployment at a time, through the model's checked setter.
pub fn apply_workers(w: &mut World, values: &[(usize, Knob, u32)]) -> Result<(), String> {
    let mut done: Vec<usize> = Vec::new();
    for &(d, k, _) in values {
        if !k.on_workers() || done.contains(&d) {
            continue;
        }
        done.push(d);
        w.set_workers(d, |spec| {
            for &(e, k, c) in values {
                if e == d && k.on_workers() {
                    set(spec, k, c);
                }
            }
            settle(spec);
        })?;
    }
    Ok(())
}

/// Set pool `d`'s floor to follow `hours` (UTC) through the model's checked
/// setter: an hour's floor above the most replicas is held at the most, as
/// a flat floor is, and the workers at the start are kept within the lowest
/// floor and the most (`settle`).
pub fn apply_floor_schedule(w: &mut World, d: usize, hours: [u32; 24]) -> Result<(), String> {
    w.set_workers(d, |spec| {
        if let Some(a) = spec.autoscale.as_mut() {
            let most = a.max;
            a.set_hourly(hours.map(|h| h.min(most)));
        }
        settle(spec);
    })
}

/// Whether knob `k` of deployment `d` at value `c`, the rest of the pool as
/// the scenario has it, meets the worker model's rules (for refusing bounds
/// before a search).
pub fn admissible(world: &World, d: usize, k: Knob, c: u32) -> Result<(), String> {
    if !k.on_workers() {
        return Ok(());
    }
    let mut w = world.clone();
    apply_workers(&mut w, &[(d, k, c)])
}

/// The scenario fields a planned pool writes back (`workers.count`, or the
/// autoscaler's `min`, `max`, `initial` and `target_load`), from the world
/// the plan was applied to.
pub fn written_fields(planned: &World, d: usize) -> Vec<(String, f64)> {
    let dep = &planned.deployments()[d];
    let (Some(spec), crate::model::DeclaredBy::Deployments(i)) = (&dep.workers, dep.declared_by)
    else {
        return Vec::new();
    };
    let at = |f: &str| format!("deployments[{i}].workers.{f}");
    match &spec.autoscale {
        None => vec![(at("count"), f64::from(spec.count))],
        Some(a) => vec![
            (at("autoscale.min"), f64::from(a.min)),
            (at("autoscale.max"), f64::from(a.max)),
            (at("autoscale.initial"), f64::from(a.initial)),
            (at("autoscale.target_load"), a.target_load),
        ],
    }
}
