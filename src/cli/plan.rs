//! `regionsim plan`: the cheapest capacities per deployment that meet the
//! scenario's planning targets (and `--target`s) with confidence. Refuses a
//! shard (each candidate depends on the ones before it, so a plan cannot be
//! split), parses targets, costs and bounds (bad ones exit 2), shows progress,
//! and maps the outcome to an exit status: 0 verified, 3 infeasible or
//! unverified, 130 interrupted.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{bad, list_written, progress::Bar, Common};
use regionsim::engine::Progress;
use regionsim::experiment::plan::{self, Spec, Status, Variable};
use regionsim::experiment::Cancelled;
use regionsim::model::target::{check_limit, Metric, Scope, Sense, Target, METRICS};
use regionsim::model::World;
use regionsim::report;

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    common: Common,
    /// A target, e.g. `overflow_rate<=0.05`, `media_rtt_ms.p95[india]<=150`,
    /// `utilization[us-east]>=0.5` (repeatable; replaces the scenario's target on
    /// the same metric and scope).
    #[arg(long = "target", value_name = "METRIC[SCOPE]<=V")]
    targets: Vec<String>,
    /// Relative slot-hour cost per region, e.g. `us-east=1.0,ap-south=0.8`.
    #[arg(long, value_delimiter = ',', value_name = "REGION=W")]
    cost: Vec<String>,
    /// Capacity bounds per deployment, e.g. `us-east=100:600` (either side may be empty).
    #[arg(long, value_delimiter = ',', value_name = "DEPLOYMENT=MIN:MAX")]
    bounds: Vec<String>,
    /// Capacity step: one number for all deployments, or `us-east=10,...`.
    #[arg(long, value_delimiter = ',', value_name = "N|DEPLOYMENT=N")]
    step: Vec<String>,
    /// Most candidates the search evaluates.
    #[arg(long, default_value_t = 2000)]
    max_candidates: usize,
    /// Plan a 24-hour capacity schedule per deployment (UTC hours): the
    /// overall overflow, rejection and abandonment targets hold in every hour,
    /// the others over the window; the static plan under the same targets is
    /// planned too, for comparison.
    #[arg(long)]
    hourly: bool,
}

/// No plan within the bounds meets the targets (or none passed verification): exit 3.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Infeasible(pub String);

fn number(s: &str, what: &str) -> Result<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| bad(format!("{what}: `{s}` is not a finite number")))
}

/// `METRIC[SCOPE] OP VALUE` -> a checked target.
fn parse_target(world: &World, s: &str) -> Result<Target> {
    let at = s.find(['<', '>', '=']).ok_or_else(|| {
        bad(format!(
            "--target `{s}`: expected METRIC<=V, METRIC>=V or METRIC=V"
        ))
    })?;
    let (lhs, rest) = s.split_at(at);
    let (op, value) = ["<=", ">=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v)))
        .ok_or_else(|| bad(format!("--target `{s}`: use <=, >= or =")))?;
    let (name, scope) = match lhs.trim().split_once('[') {
        Some((n, sc)) => (
            n,
            Some(
                sc.strip_suffix(']')
                    .ok_or_else(|| bad(format!("--target `{s}`: unclosed `[`")))?,
            ),
        ),
        None => (lhs.trim(), None),
    };
    let metric = Metric::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = METRICS.iter().map(|m| m.1).collect();
        bad(format!(
            "--target `{s}`: unknown metric `{name}`; use one of {}",
            known.join(", ")
        ))
    })?;
    let scope = match scope {
        None => Scope::Overall,
        Some(id) if metric == Metric::Utilization => Scope::Region(
            world
                .regions
                .iter()
                .position(|r| r.id == id)
                .ok_or_else(|| bad(format!("--target `{s}`: unknown region `{id}`")))?,
        ),
        Some(p) => Scope::Population(
            world
                .populations
                .iter()
                .position(|q| q.name == p)
                .ok_or_else(|| bad(format!("--target `{s}`: unknown population `{p}`")))?,
        ),
    };
    let sense = metric.sense();
    let wrong = (op == "<=" && sense == Sense::AtLeast) || (op == ">=" && sense == Sense::AtMost);
    if wrong {
        let right = if sense == Sense::AtMost { "<=" } else { ">=" };
        return Err(bad(format!("--target `{s}` contradicts its metric: `{name}` takes {right} (more capacity moves it the other way)")));
    }
    let limit = number(value, &format!("--target `{s}`"))?;
    check_limit(metric, scope, limit).map_err(|m| bad(format!("--target `{s}`: {m}")))?;
    Ok(Target {
        metric,
        scope,
        limit,
    })
}

/// The scenario's targets with the command line's replacing those on the same metric and scope.
fn targets(world: &World, args: &[String]) -> Result<Vec<Target>> {
    let mut cli: Vec<Target> = Vec::new();
    for s in args {
        let t = parse_target(world, s)?;
        if cli
            .iter()
            .any(|o| o.metric == t.metric && o.scope == t.scope)
        {
            return Err(bad(format!(
                "--target `{s}`: {} is given twice; keep one",
                t.label(world)
            )));
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
        return Err(bad(format!(
            "{}: no planning targets; add `slo.targets` to the scenario or give --target (docs/planner.md)",
            world.name
        )));
    }
    Ok(all)
}

fn key_value<'a>(s: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    s.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| bad(format!("{what} `{s}`: expected NAME=VALUE")))
}

fn deployment(world: &World, name: &str, what: &str) -> Result<usize> {
    (0..world.deployments.len())
        .find(|&d| report::deployment_label(world, d) == name)
        .ok_or_else(|| {
            let known: Vec<String> = (0..world.deployments.len())
                .map(|d| report::deployment_label(world, d))
                .collect();
            bad(format!(
                "{what}: unknown deployment `{name}`; this scenario has {}",
                known.join(", ")
            ))
        })
}

fn whole(s: &str, what: &str) -> Result<u32> {
    s.trim()
        .parse::<u32>()
        .map_err(|_| bad(format!("{what}: `{s}` is not a whole number of slots")))
}

/// The scenario's variables with the command line's costs, steps and bounds.
fn variables(world: &World, a: &PlanArgs, targets: &[Target]) -> Result<Vec<Variable>> {
    let mut probe = world.clone();
    probe.slo.targets = targets.to_vec();
    let mut vars = plan::default_spec(&probe).variables;
    for s in &a.cost {
        let (id, w) = key_value(s, "--cost")?;
        let r = world
            .regions
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| bad(format!("--cost `{s}`: unknown region `{id}`")))?;
        let w = number(w, &format!("--cost `{s}`"))?;
        if w <= 0.0 {
            return Err(bad(format!("--cost `{s}`: a cost must be > 0")));
        }
        for v in vars
            .iter_mut()
            .filter(|v| world.deployments[v.deployment].region == r)
        {
            v.cost = w;
        }
    }
    for s in &a.step {
        match s.split_once('=') {
            None => {
                let n = whole(s, "--step")?;
                vars.iter_mut().for_each(|v| v.step = n);
            }
            Some((name, n)) => {
                vars[deployment(world, name.trim(), "--step")?].step = whole(n, "--step")?
            }
        }
    }
    for s in &a.bounds {
        let (name, range) = key_value(s, "--bounds")?;
        let v = &mut vars[deployment(world, name, "--bounds")?];
        let (lo, hi) = range
            .split_once(':')
            .ok_or_else(|| bad(format!("--bounds `{s}`: expected DEPLOYMENT=MIN:MAX")))?;
        if !lo.trim().is_empty() {
            v.min = whole(lo, "--bounds")?;
            v.max = v.max.max(v.min);
        }
        if !hi.trim().is_empty() {
            v.max = whole(hi, "--bounds")?;
        }
        if v.min > v.max {
            return Err(bad(format!(
                "--bounds `{s}`: min {} > max {}",
                v.min, v.max
            )));
        }
    }
    if vars.iter().any(|v| v.step == 0) {
        return Err(bad("--step must be at least 1"));
    }
    Ok(vars)
}

/// A spinner with the search's latest note and the simulated time so far (in
/// days, all candidates and replications), plus the Ctrl-C flag.
pub(super) struct Spinner {
    stop: Bar,
    bar: Option<ProgressBar>,
}

impl Progress for Spinner {
    fn advance(&self, sim_seconds: f64) {
        if let Some(b) = &self.bar {
            b.inc(sim_seconds.max(0.0) as u64);
        }
    }
    fn cancelled(&self) -> bool {
        self.stop.cancelled()
    }
}

impl Spinner {
    /// What the search says, shown after the scenario's name.
    pub(super) fn note<'a>(&'a self, world: &'a World) -> impl FnMut(&str) + 'a {
        move |m: &str| {
            if let Some(b) = &self.bar {
                b.set_message(format!("{}: {m}", world.name));
            }
        }
    }

    /// Clear the spinner before the closing lines.
    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    pub(super) fn new(quiet: bool) -> Self {
        let stop = Bar::new(0.0, true, "");
        let bar = (!quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let b = ProgressBar::new_spinner();
            let style =
                ProgressStyle::with_template("{spinner} {elapsed} {msg} ({days} days simulated)")
                    .expect("static template")
                    .with_key(
                        "days",
                        |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{}", s.pos() / 86_400);
                        },
                    );
            b.set_style(style);
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Self { stop, bar }
    }
}

pub fn run(args: PlanArgs) -> Result<()> {
    let c = &args.common;
    super::shard::refuse_for(c, "plan", |k| std::env::var(k).ok())?;
    let world = c.world(&[])?;
    if let Some(why) = plan::unsupported(&world) {
        return Err(bad(format!("{}: {why}", c.scenario.display())));
    }
    let targets = targets(&world, &args.targets)?;
    let variables = variables(&world, &args, &targets)?;
    let spec = Spec {
        targets,
        variables,
        max_candidates: args.max_candidates.max(1),
        ..plan::default_spec(&world)
    };
    if args.hourly {
        if let Some(why) = plan::hourly::unsupported(&world, &spec.targets) {
            return Err(bad(format!("{}: --hourly: {why}", c.scenario.display())));
        }
        return super::plan_hourly::run(c, &world, spec);
    }
    let (out_dir, opts) = c.prepare(std::slice::from_ref(&world), 1, "-plan", "plan")?;
    let pool = c.pool()?;
    let spin = Spinner::new(c.quiet);
    let started = Instant::now();
    let outcome = pool.install(|| plan::plan(&world, &spec, &spin, &mut spin.note(&world)));
    spin.finish();
    let planned = planned_scenario(c, &spec, &outcome)?;
    let files = if outcome.plan.is_none() && outcome.status == Status::Interrupted {
        Vec::new()
    } else {
        report::write_plan(&out_dir, &world, &spec, &outcome, planned, opts)
            .with_context(|| format!("cannot write the plan to {}", out_dir.display()))?
    };
    let head = report::plan_headline(&world, &spec, &outcome);
    let seconds = started.elapsed().as_secs_f64();
    conclude(c.quiet, outcome.status, head, &files, |head| {
        tell(&world, &spec, &outcome, head, seconds)
    })
}

/// The closing summary (unless quiet), the files written, and the exit status
/// of a planning run: 0 verified, 3 infeasible or unverified, 130 interrupted.
pub(super) fn conclude(
    quiet: bool,
    status: Status,
    head: String,
    files: &[std::path::PathBuf],
    tell: impl FnOnce(&str),
) -> Result<()> {
    if !quiet {
        tell(&head);
    }
    list_written(quiet, files);
    match status {
        Status::Verified => Ok(()),
        Status::Interrupted => Err(Cancelled.into()),
        Status::Infeasible | Status::Unverified => Err(Infeasible(head).into()),
    }
}

/// The scenario with the plan's capacities, when there is a verified plan (a
/// finished one, or the best checkpoint of an interrupted run).
fn planned_scenario(c: &Common, spec: &Spec, out: &plan::Outcome) -> Result<Option<String>> {
    let Some(v) = &out.plan else {
        return Ok(None);
    };
    let set: Vec<(String, f64)> = spec
        .variables
        .iter()
        .zip(&v.capacities)
        .map(|(var, &cap)| {
            (
                format!("deployments[{}].capacity", var.deployment),
                f64::from(cap),
            )
        })
        .collect();
    Ok(Some(regionsim::scenario::rewrite(&c.scenario, &set)?))
}

/// The closing lines on stderr: what was established, the effort, the plan.
fn tell(world: &World, spec: &Spec, out: &plan::Outcome, head: &str, seconds: f64) {
    let e = &out.effort;
    eprintln!(
        "{}: {head}\n  {} candidates, {} search + {} verification replications ({seconds:.1} s)",
        world.name, e.candidates, e.search_replications, e.verification_replications,
    );
    if let Some(v) = &out.plan {
        eprintln!(
            "  plan: {}",
            report::capacities_line(world, &spec.variables, &v.capacities)
        );
    }
}
