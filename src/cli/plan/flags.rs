//! `plan`'s own flags: `--target`, `--cost`, `--bounds` and `--step` read into
//! targets and decision variables. Every refusal names the flag and the value
//! as given (`--bounds us-east=5:2: the lower bound exceeds the upper`) and
//! says what is allowed, the way the scenario loader names a file and field,
//! so a long command line points at its own mistake.

use std::path::Path;

use anyhow::Result;

use crate::cli::bad;
use regionsim::experiment::plan::{self, Variable};
use regionsim::model::target::{check_limit, Metric, Scope, Sense, Target, METRICS};
use regionsim::model::World;
use regionsim::report;
use regionsim::scenario::ScenarioError;

/// A refusal of `flag`'s value `given`: exit status 2.
fn refuse(flag: &str, given: &str, problem: impl std::fmt::Display) -> anyhow::Error {
    bad(format!("{flag} {given}: {problem}"))
}

fn number(flag: &str, given: &str, s: &str) -> Result<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| refuse(flag, given, format!("`{s}` is not a finite number")))
}

fn whole(flag: &str, given: &str, s: &str) -> Result<u32> {
    s.trim().parse::<u32>().map_err(|_| {
        refuse(
            flag,
            given,
            format!("`{s}` is not a whole number of slots (0 to {})", u32::MAX),
        )
    })
}

/// `METRIC[SCOPE]` of a target -> the metric's name and the scope's, if any.
fn name_and_scope<'a>(lhs: &'a str, given: &str) -> Result<(&'a str, Option<&'a str>)> {
    match lhs.trim().split_once('[') {
        Some((n, sc)) => {
            let scope = sc
                .strip_suffix(']')
                .ok_or_else(|| refuse("--target", given, "unclosed `[`"))?;
            Ok((n, Some(scope)))
        }
        None => Ok((lhs.trim(), None)),
    }
}

fn scope(world: &World, metric: Metric, scope: Option<&str>, given: &str) -> Result<Scope> {
    Ok(match scope {
        None => Scope::Overall,
        Some(id) if metric == Metric::Utilization => Scope::Region(
            world
                .regions
                .iter()
                .position(|r| r.id == id)
                .ok_or_else(|| refuse("--target", given, format!("unknown region `{id}`")))?,
        ),
        Some(p) => Scope::Population(
            world
                .populations
                .iter()
                .position(|q| q.name == p)
                .ok_or_else(|| refuse("--target", given, format!("unknown population `{p}`")))?,
        ),
    })
}

/// `METRIC[SCOPE] OP VALUE` -> a checked target.
fn parse_target(world: &World, s: &str) -> Result<Target> {
    let at = s
        .find(['<', '>', '='])
        .ok_or_else(|| refuse("--target", s, "expected METRIC<=V, METRIC>=V or METRIC=V"))?;
    let (lhs, rest) = s.split_at(at);
    let (op, value) = ["<=", ">=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v)))
        .ok_or_else(|| refuse("--target", s, "use <=, >= or ="))?;
    let (name, sc) = name_and_scope(lhs, s)?;
    let metric = Metric::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = METRICS.iter().map(|m| m.1).collect();
        refuse(
            "--target",
            s,
            format!("unknown metric `{name}`; use one of {}", known.join(", ")),
        )
    })?;
    let scope = scope(world, metric, sc, s)?;
    let sense = metric.sense();
    if (op == "<=" && sense == Sense::AtLeast) || (op == ">=" && sense == Sense::AtMost) {
        let right = if sense == Sense::AtMost { "<=" } else { ">=" };
        return Err(refuse("--target", s, format!("contradicts its metric: `{name}` takes {right} (more capacity moves it the other way)")));
    }
    let limit = number("--target", s, value)?;
    check_limit(metric, scope, limit).map_err(|m| refuse("--target", s, m))?;
    Ok(Target {
        metric,
        scope,
        limit,
    })
}

/// The scenario's targets with the command line's replacing those on the same
/// metric and scope; none at all is a fault of the scenario's `slo.targets`.
pub fn targets(file: &Path, world: &World, args: &[String]) -> Result<Vec<Target>> {
    let mut cli: Vec<Target> = Vec::new();
    for s in args {
        let t = parse_target(world, s)?;
        if cli
            .iter()
            .any(|o| o.metric == t.metric && o.scope == t.scope)
        {
            let twice = format!("{} is given twice; keep one", t.label(world));
            return Err(refuse("--target", s, twice));
        }
        cli.push(t);
    }
    let mut all: Vec<Target> = world
        .slo
        .targets
        .iter()
        .filter(|t| {
            !cli.iter()
                .any(|o| o.metric == t.metric && o.scope == t.scope)
        })
        .copied()
        .collect();
    all.extend(cli);
    all.sort_by_key(|t| (t.scope, t.metric));
    if all.is_empty() {
        return Err(ScenarioError::at(
            file,
            "slo.targets",
            "no planning targets; add `slo.targets` to the scenario or give --target (docs/planner.md)",
        )
        .into());
    }
    Ok(all)
}

/// `NAME=VALUE` split; `form` is what the flag takes, for the refusal.
fn key_value<'a>(flag: &str, s: &'a str, form: &str) -> Result<(&'a str, &'a str)> {
    s.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| refuse(flag, s, format!("expected {form}")))
}

/// The index of deployment `name` (its `agent@region` label, or its region
/// when that holds one deployment, as reports name them).
fn deployment(world: &World, flag: &str, given: &str, name: &str) -> Result<usize> {
    (0..world.deployments.len())
        .find(|&d| report::deployment_label(world, d) == name)
        .ok_or_else(|| {
            let known: Vec<String> = (0..world.deployments.len())
                .map(|d| report::deployment_label(world, d))
                .collect();
            let msg = format!(
                "unknown deployment `{name}`; this scenario has {}",
                known.join(", ")
            );
            refuse(flag, given, msg)
        })
}

/// `--cost REGION=W`: a known region holding a deployment, a weight above 0.
fn apply_cost(world: &World, vars: &mut [Variable], s: &str) -> Result<()> {
    let (id, w) = key_value("--cost", s, "REGION=WEIGHT")?;
    let with: Vec<&str> = world
        .regions
        .iter()
        .enumerate()
        .filter(|(r, _)| world.deployments.iter().any(|d| d.region == *r))
        .map(|(_, reg)| reg.id.as_str())
        .collect();
    let listed = with.join(", ");
    let r = world
        .regions
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(|| {
            let msg = format!("unknown region `{id}`; regions with deployments: {listed}");
            refuse("--cost", s, msg)
        })?;
    if !with.contains(&id) {
        let msg = format!("region `{id}` has no deployment, so no capacity to price; regions with deployments: {listed}");
        return Err(refuse("--cost", s, msg));
    }
    let w = number("--cost", s, w)?;
    if w <= 0.0 {
        return Err(refuse("--cost", s, "a cost must be > 0"));
    }
    for v in vars
        .iter_mut()
        .filter(|v| world.deployments[v.deployment].region == r)
    {
        v.cost = w;
    }
    Ok(())
}

/// `--step N` (every deployment) or `--step DEPLOYMENT=N`, N at least 1.
fn apply_step(world: &World, vars: &mut [Variable], s: &str) -> Result<()> {
    let (which, n) = match s.split_once('=') {
        None => (None, s),
        Some((name, n)) => (Some(deployment(world, "--step", s, name.trim())?), n),
    };
    let n = whole("--step", s, n)?;
    if n == 0 {
        return Err(refuse("--step", s, "a step must be at least 1 slot"));
    }
    match which {
        None => vars.iter_mut().for_each(|v| v.step = n),
        Some(d) => vars[d].step = n,
    }
    Ok(())
}

/// `--bounds DEPLOYMENT=MIN:MAX`, either side empty for the default.
fn apply_bounds(world: &World, vars: &mut [Variable], s: &str) -> Result<()> {
    let (name, range) = key_value("--bounds", s, "DEPLOYMENT=MIN:MAX")?;
    let v = &mut vars[deployment(world, "--bounds", s, name)?];
    let (lo, hi) = range
        .split_once(':')
        .ok_or_else(|| refuse("--bounds", s, "expected DEPLOYMENT=MIN:MAX"))?;
    if !lo.trim().is_empty() {
        v.min = whole("--bounds", s, lo)?;
        v.max = v.max.max(v.min);
    }
    if !hi.trim().is_empty() {
        v.max = whole("--bounds", s, hi)?;
    }
    if v.min > v.max {
        let msg = format!("the lower bound exceeds the upper ({} > {})", v.min, v.max);
        return Err(refuse("--bounds", s, msg));
    }
    Ok(())
}

/// The scenario's variables with the command line's costs, steps and bounds.
pub fn variables(
    world: &World,
    cost: &[String],
    step: &[String],
    bounds: &[String],
    targets: &[Target],
) -> Result<Vec<Variable>> {
    let mut probe = world.clone();
    probe.slo.targets = targets.to_vec();
    let mut vars = plan::default_spec(&probe).variables;
    for s in cost {
        apply_cost(world, &mut vars, s)?;
    }
    for s in step {
        apply_step(world, &mut vars, s)?;
    }
    for s in bounds {
        apply_bounds(world, &mut vars, s)?;
    }
    Ok(vars)
}
