//! `regionsim plan --hourly`: a 24-hour capacity schedule per deployment, with
//! the static plan under the same targets for comparison, and `planned.json`
//! carrying the schedule as timeline `capacity` events with `hourly` values.

use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use super::{conclude, Spinner};
use crate::cli::Common;
use regionsim::experiment::plan::{self, hourly, schedules, Spec, Status};
use regionsim::model::timeline::TimelineEvent;
use regionsim::model::World;
use regionsim::report;

/// Plan the schedule of `spec`'s deployments (static variables, expanded here).
pub fn run(c: &Common, world: &World, fixed: Spec) -> Result<()> {
    let (spec, fixed) = hourly::specs(fixed);
    // The workload guard's estimate, at the replications the schedule runs.
    let mut probe = world.clone();
    probe
        .edit_run(|r| r.replications = spec.replications)
        .expect("valid run settings");
    let (out_dir, opts) = c.prepare(std::slice::from_ref(&probe), 1, "-plan-hourly", "plan")?;
    let pool = c.pool()?;
    let spin = Spinner::new(c.quiet);
    let started = Instant::now();
    let out =
        pool.install(|| hourly::plan(world, &spec, Some(&fixed), &spin, &mut spin.note(world)));
    spin.finish();
    let s = &out.schedule;
    let planned = match &s.plan {
        Some(v) => Some(planned_scenario(
            c,
            world,
            &spec,
            &out,
            &v.capacities,
            &out_dir,
        )?),
        None => None,
    };
    let files = if s.plan.is_none() && s.status == Status::Interrupted {
        Vec::new()
    } else {
        report::write_plan_hourly(&out_dir, world, &spec, &fixed, &out, planned, opts)
            .with_context(|| format!("cannot write the plan to {}", out_dir.display()))?
    };
    let head = report::plan_hourly_headline(world, &spec, &out);
    let seconds = started.elapsed().as_secs_f64();
    conclude(c.quiet, out.schedule.status, head, &files, |head| {
        tell(world, &spec, &fixed, &out, head, seconds)
    })
}

/// The scenario file with each planned deployment's schedule appended to its
/// `timeline` as a `capacity` event with `hourly` values from t = 0 (UTC), and
/// its `capacity` set to the schedule's first hour; each worker pool with the
/// knobs the schedule held and its floor per UTC hour (`min_hourly`); named
/// `<name>-planned-hourly` for `out_dir`; checked by loading it back.
pub(super) fn planned_scenario(
    c: &Common,
    world: &World,
    spec: &Spec,
    out: &hourly::HourlyOutcome,
    x: &[u32],
    out_dir: &std::path::Path,
) -> Result<String> {
    let src = c.source()?;
    let mut doc: Value = regionsim::scenario::document(src.path(), src.text()?)?;
    let planned = hourly::planned_world(world, spec, out, x);
    let mut pools: Vec<usize> = out.held.iter().map(|h| h.0).collect();
    pools.dedup();
    for d in pools {
        let fields: Vec<(String, Value)> = (plan::written_fields(&planned, d).into_iter())
            .map(|(f, v)| (f, regionsim::scenario::override_number(v)))
            .collect();
        regionsim::scenario::set_fields(&mut doc, &fields).map_err(anyhow::Error::msg)?;
    }
    for (d, hours) in plan::floor_schedules(&spec.variables, x) {
        regionsim::scenario::set_floor_schedule(&mut doc, &world.deployments()[d], &hours)
            .map_err(anyhow::Error::msg)?;
    }
    let mut events = Vec::new();
    let mut opened = Vec::new();
    for (d, schedule) in schedules(&spec.variables, x) {
        let dep = &world.deployments()[d];
        // A deployment the timeline creates gets its schedule from its creation on.
        let (hour, _) = TimelineEvent::hour_of(dep.created_at_s, 0.0);
        match regionsim::scenario::capacity_field(dep) {
            Some(field) => {
                let start = vec![(field, json!(schedule[hour]))];
                regionsim::scenario::set_fields(&mut doc, &start).map_err(anyhow::Error::msg)?;
            }
            None => opened.push(json!({
                "agent": dep.agent,
                "region": world.regions()[dep.region].id,
                "capacity": schedule[hour],
            })),
        }
        events.push(json!({
            "type": "capacity",
            "label": format!("planned hourly capacity, {}", report::deployment_label(world, d)),
            "at": format!("{}s", dep.created_at_s),
            "region": world.regions()[dep.region].id,
            "agent": dep.agent,
            "hourly": schedule.to_vec(),
            "utc_offset_h": 0,
        }));
    }
    super::settle_candidates(world, &mut doc, opened);
    match doc.get_mut("timeline").and_then(Value::as_array_mut) {
        Some(list) => list.extend(events),
        None => doc["timeline"] = Value::Array(events),
    }
    crate::cli::planned::finish(&c.scenario, doc, "-planned-hourly", out_dir)
}

/// The closing lines on stderr: what was established, the effort, the saving.
pub(super) fn tell(
    world: &World,
    spec: &Spec,
    fixed: &Spec,
    out: &hourly::HourlyOutcome,
    head: &str,
    seconds: f64,
) {
    let s = &out.schedule;
    let mut e = s.effort;
    if let Some(f) = &out.fixed {
        e.candidates += f.effort.candidates;
        e.search_replications += f.effort.search_replications;
        e.verification_replications += f.effort.verification_replications;
    }
    say!(
        "{}: {head}\n  {} candidates, {} search + {} verification replications, static comparison included ({seconds:.1} s)",
        world.name(), e.candidates, e.search_replications, e.verification_replications,
    );
    let Some(v) = &s.plan else {
        return;
    };
    let fixed_plan = out.fixed.as_ref().and_then(|f| f.plan.as_ref());
    if !plan::schedules(&spec.variables, &v.capacities).is_empty() {
        let hourly = plan::slot_hours(world, &spec.variables, &v.capacities);
        let flat = fixed_plan.map(|p| plan::slot_hours(world, &fixed.variables, &p.capacities));
        match flat {
            Some(flat) => say!(
                "  {hourly:.0} slot-hours hourly against {flat:.0} static ({:.1} % saved)",
                100.0 * (1.0 - hourly / flat)
            ),
            None => say!("  {hourly:.0} slot-hours hourly"),
        }
    }
    if let Some(hours) = v.measured_worker_hours() {
        let flat = (fixed_plan.and_then(|p| p.measured_worker_hours()))
            .map_or(String::new(), |f| format!(" against {f:.1} static"));
        say!("  {hours:.1} worker-hours measured per replication{flat}");
    }
}
