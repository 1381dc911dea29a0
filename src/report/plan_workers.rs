//! The worker pools of a plan, as `plan.json` and `plan.md` state them: each
//! knob's row (its value in its own unit: workers, replicas, or a target load
//! as a fraction), the worker-hours the plan pays for and those its
//! verification measured. Slot deployments never reach this file, so the
//! plans of slot scenarios read exactly as before.

use serde_json::{json, Map, Value};

use super::json_values::num;
use super::plan_words::deployment_label;
use crate::experiment::plan::{worker_hours, Knob, Outcome, Spec, Variable, Verification};
use crate::model::World;

/// `us-east` for slots, `us-east/max_replicas` for a pool's knob.
pub fn variable_label(world: &World, v: &Variable) -> String {
    let d = deployment_label(world, v.deployment());
    match v.knob() {
        Knob::Slots => d,
        k => format!("{d}/{}", k.name()),
    }
}

/// The knob's value in the scenario, as its lattice holds it.
pub fn scenario_code(world: &World, v: &Variable) -> u32 {
    let dep = &world.deployments()[v.deployment()];
    let (Some(w), k) = (&dep.workers, v.knob()) else {
        return dep.capacity;
    };
    let a = w.autoscale.as_ref();
    match k {
        Knob::Slots => dep.capacity,
        Knob::Workers => w.count,
        Knob::MaxReplicas => a.map_or(0, |a| a.max),
        Knob::MinReplicas => a.map_or(0, |a| a.min),
        Knob::TargetLoad => a.and_then(|a| k.code(a.target_load)).unwrap_or(0),
    }
}

/// A pool knob's row of `plan.json`'s `deployments`: values in the knob's
/// unit (a target load's lower bound is its lattice's upper end).
pub fn knob_row(world: &World, v: &Variable, j: usize, out: &Outcome, x: Option<&[u32]>) -> Value {
    let d = &world.deployments()[v.deployment()];
    let k = v.knob();
    let (lo, hi) = match k {
        Knob::TargetLoad => (k.value(v.max()), k.value(v.min())),
        _ => (k.value(v.min()), k.value(v.max())),
    };
    let step = match k {
        Knob::TargetLoad => f64::from(v.step()) / 100.0,
        _ => f64::from(v.step()),
    };
    json!({
        "deployment": deployment_label(world, v.deployment()),
        "agent": d.agent,
        "region": world.regions()[d.region].id,
        "knob": k.name(),
        "value": x.map(|x| num(k.value(x[j]))),
        "scenario_value": num(k.value(scenario_code(world, v))),
        "analytic_start": num(k.value(out.start[j])),
        "peak_offered_load_erlangs": num(out.peak_loads[v.deployment()]),
        "min": num(lo), "max": num(hi), "step": num(step), "cost_weight": num(v.cost()),
        "sessions_per_worker": d.workers.as_ref().map(|w| w.sessions_at_threshold()),
    })
}

/// Whether the plan has a worker knob.
pub fn has_workers(spec: &Spec) -> bool {
    spec.variables.iter().any(|v| v.knob().on_workers())
}

/// Whether the plan has a knob on slots.
pub fn has_slots(spec: &Spec) -> bool {
    spec.variables.iter().any(|v| !v.knob().on_workers())
}

/// What the plan's cost counts, as the plan's text and its chart's axis
/// name it: the hours of whichever kind of capacity it plans.
pub fn cost_words(spec: &Spec) -> &'static str {
    match (has_slots(spec), has_workers(spec)) {
        (true, true) => "cost-weighted slot-hours and worker-hours",
        (false, true) => "cost-weighted worker-hours",
        _ => "cost-weighted slot-hours",
    }
}

/// The objective in words.
pub fn objective_words(spec: &Spec) -> String {
    let what = cost_words(spec);
    if has_workers(spec) {
        format!("{what} (a fixed pool's workers, an autoscaled pool's most replicas)")
    } else {
        what.to_string()
    }
}

/// `plan.json`'s worker-hours of the plan: paid for (workers or most
/// replicas times hours) and measured in its verification (per worker
/// deployment and in all); nothing without workers.
pub fn plan_fields(world: &World, spec: &Spec, v: &Verification, plan: &mut Value) {
    if !has_workers(spec) {
        return;
    }
    let Some(obj) = plan.as_object_mut() else {
        return;
    };
    let paid = worker_hours(world, &spec.variables, &v.capacities);
    obj.insert("worker_hours".into(), num(paid));
    let labels = (0..world.deployments().len())
        .filter(|&d| world.deployments()[d].workers.is_some())
        .map(|d| deployment_label(world, d));
    let per: Map<String, Value> = labels
        .zip(&v.worker_hours)
        .map(|(l, &h)| (l, num(h)))
        .collect();
    obj.insert(
        "measured_worker_hours".into(),
        num(v.measured_worker_hours().unwrap_or(0.0)),
    );
    obj.insert(
        "measured_worker_hours_by_deployment".into(),
        Value::Object(per),
    );
}

/// `plan.md`'s sentence on worker-hours (empty without workers).
pub fn md_total(world: &World, spec: &Spec, v: &Verification) -> String {
    if !has_workers(spec) {
        return String::new();
    }
    format!(
        " Worker pools: {:.0} worker-hours paid for at most (fixed pools' workers and autoscaled pools' most replicas over the window); their verification ran {:.1} worker-hours per replication.",
        worker_hours(world, &spec.variables, &v.capacities),
        v.measured_worker_hours().unwrap_or(0.0)
    )
}
