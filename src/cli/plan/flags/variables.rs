//! `--step` and `--bounds`: the decision variables' lattices, each flag's
//! `DEPLOYMENT[/KNOB]=...` resolved against the scenario's deployments and
//! their knobs, and bounds a knob can take (the model's own rules decide).

use anyhow::Result;

use super::{key_value, number, refuse, whole};
use regionsim::experiment::plan::{self, Knob, Variable};
use regionsim::model::World;
use regionsim::report;

/// The index of deployment `name` (its `agent@region` label, or its region
/// when that holds one deployment, as reports name them).
fn deployment(world: &World, flag: &str, given: &str, name: &str) -> Result<usize> {
    (0..world.deployments().len())
        .find(|&d| report::deployment_label(world, d) == name)
        .ok_or_else(|| {
            let known: Vec<String> = (0..world.deployments().len())
                .map(|d| report::deployment_label(world, d))
                .collect();
            let msg = format!(
                "unknown deployment `{name}`; this scenario has {}",
                known.join(", ")
            );
            refuse(flag, given, msg)
        })
}

/// The variable `name` names: `DEPLOYMENT` (its first knob: slots, a fixed
/// pool's workers or an autoscaled pool's most replicas) or
/// `DEPLOYMENT/KNOB` (`/` is never part of an identifier).
fn variable(
    world: &World,
    vars: &[Variable],
    flag: &str,
    given: &str,
    name: &str,
) -> Result<Option<usize>> {
    let (dep, knob) = match name.split_once('/') {
        Some((d, k)) => (d.trim(), Some(k.trim())),
        None => (name, None),
    };
    let d = deployment(world, flag, given, dep)?;
    let mine: Vec<usize> = (0..vars.len())
        .filter(|&j| vars[j].deployment() == d)
        .collect();
    // A closed candidate has no variable: its bounds apply where it is open.
    let Some(&first) = mine.first() else {
        return Ok(None);
    };
    let Some(k) = knob else {
        return Ok(Some(first));
    };
    mine.iter()
        .copied()
        .find(|&j| Knob::from_name(k) == Some(vars[j].knob()))
        .map(Some)
        .ok_or_else(|| {
            let known: Vec<&str> = mine.iter().map(|&j| vars[j].knob().name()).collect();
            let msg = format!(
                "`{dep}` has no knob `{k}`; it is planned by {}",
                known.join(", ")
            );
            refuse(flag, given, msg)
        })
}

/// A value of `knob` as given: a target load as a fraction on the hundredths
/// grid (`0.55`), else a whole number.
fn knob_value(flag: &str, given: &str, knob: Knob, s: &str) -> Result<u32> {
    if knob != Knob::TargetLoad {
        return whole(flag, given, s);
    }
    let x = number(flag, given, s)?;
    knob.code(x)
        .filter(|_| (0.0..=1.0).contains(&x))
        .ok_or_else(|| {
            refuse(
                flag,
                given,
                format!(
                    "a target load is a fraction in [0, 1] in hundredths (0.55), got `{}`",
                    s.trim()
                ),
            )
        })
}

/// `--step N` (every deployment's first knob) or `--step DEPLOYMENT[/KNOB]=N`,
/// N at least 1 (a target load's step a fraction: `target_load=0.05`).
fn apply_step(world: &World, vars: &mut [Variable], s: &str) -> Result<()> {
    let (which, n) = match s.split_once('=') {
        None => (None, s),
        Some((name, n)) => match variable(world, vars, "--step", s, name.trim())? {
            Some(j) => (Some(j), n),
            None => return Ok(()),
        },
    };
    let chosen: Vec<usize> = match which {
        Some(j) => vec![j],
        None => (0..vars.len())
            .filter(|&j| vars[j].knob() == knobs_first(vars, j))
            .collect(),
    };
    for j in chosen {
        let n = match vars[j].knob() {
            Knob::TargetLoad => {
                let x = number("--step", s, n)?;
                Knob::TargetLoad.code(1.0 - x).unwrap_or(0)
            }
            _ => whole("--step", s, n)?,
        };
        if n == 0 {
            return Err(refuse(
                "--step",
                s,
                "a step must be at least 1 slot (a target load's at least 0.01)",
            ));
        }
        vars[j] = vars[j].with_step(n).map_err(|m| refuse("--step", s, m))?;
    }
    Ok(())
}

/// The knob of the first variable of variable `j`'s deployment.
fn knobs_first(vars: &[Variable], j: usize) -> Knob {
    let d = vars[j].deployment();
    vars.iter()
        .find(|v| v.deployment() == d)
        .map_or(Knob::Slots, Variable::knob)
}

/// `--bounds DEPLOYMENT[/KNOB]=MIN:MAX`, either side empty for the default;
/// each end must meet the worker model's rules (`plan::admissible`).
fn apply_bounds(world: &World, vars: &mut [Variable], s: &str) -> Result<()> {
    let (name, range) = key_value("--bounds", s, "DEPLOYMENT=MIN:MAX")?;
    let Some(j) = variable(world, vars, "--bounds", s, name)? else {
        return Ok(());
    };
    let v = &mut vars[j];
    let (lo, hi) = range
        .split_once(':')
        .ok_or_else(|| refuse("--bounds", s, "expected DEPLOYMENT=MIN:MAX"))?;
    let (mut min, mut max) = (v.min(), v.max());
    // A target load's lattice runs the other way (headroom): its MIN is the lattice's max.
    let (lo, hi) = if v.knob() == Knob::TargetLoad {
        (hi, lo)
    } else {
        (lo, hi)
    };
    if !lo.trim().is_empty() {
        min = knob_value("--bounds", s, v.knob(), lo)?;
        max = max.max(min);
    }
    if !hi.trim().is_empty() {
        max = knob_value("--bounds", s, v.knob(), hi)?;
    }
    *v = v
        .with_bounds(min, max)
        .map_err(|m| refuse("--bounds", s, m))?;
    admissible_ends(world, v, "--bounds", s)
}

/// Both ends of a worker knob's bounds meet the worker model's rules.
fn admissible_ends(world: &World, v: &Variable, flag: &str, given: &str) -> Result<()> {
    for c in [v.min(), v.max()] {
        plan::admissible(world, v, c).map_err(|m| {
            let at = format!("{}={}", v.knob().name(), v.knob().show(c));
            refuse(flag, given, format!("{at}: {m}"))
        })?;
    }
    Ok(())
}

/// The scenario's variables (their costs its `slo.cost`, `--cost` included)
/// with the command line's steps and bounds.
pub fn variables(world: &World, step: &[String], bounds: &[String]) -> Result<Vec<Variable>> {
    let mut vars = plan::default_spec(world).variables;
    for s in step {
        apply_step(world, &mut vars, s)?;
    }
    for s in bounds {
        apply_bounds(world, &mut vars, s)?;
    }
    for v in &vars {
        let name = format!(
            "{}/{}",
            report::deployment_label(world, v.deployment()),
            v.knob().name()
        );
        admissible_ends(world, v, "--bounds", &format!("{name} (default)"))?;
    }
    Ok(vars)
}
