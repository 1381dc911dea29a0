//! `regionsim plan`: the cheapest capacities per deployment that meet the
//! scenario's planning targets (and `--target`s) with confidence. Refuses a
//! shard (each candidate depends on the ones before it, so a plan cannot be
//! split), reads its flags (`flags`; bad ones exit 2), shows progress, and maps
//! the outcome to an exit status: 0 verified, 3 infeasible or unverified, 130
//! interrupted.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

mod flags;
#[cfg(test)]
mod fuzz;
mod hourly;
mod sites;

use super::{bad, list_written, progress::Bar, Common};
use regionsim::engine::Progress;
use regionsim::experiment::plan::{self, Spec, Status};
use regionsim::experiment::Cancelled;
use regionsim::model::target::Target;
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
    /// overflow, rejection and abandonment targets (overall and per
    /// population) hold in every hour,
    /// the others over the window; the static plan under the same targets is
    /// planned too, for comparison.
    #[arg(long)]
    hourly: bool,
    /// Every population must meet each overall target (but utilisation) too,
    /// hour by hour under --hourly where the target is hourly: sets the
    /// scenario's `slo.every_population`.
    #[arg(long)]
    every_population: bool,
    /// A target that must also hold while any one deployment is down for
    /// its busiest two hours (repeatable; alone:
    /// `rejection_abandonment_rate<=0.05`, the share of users who never got
    /// an agent, rejected or gave up waiting): sets the scenario's
    /// `slo.resilience.targets`.
    #[arg(long = "survive-outage", value_name = "METRIC[SCOPE]<=V", num_args = 0..=1, default_missing_value = "rejection_abandonment_rate<=0.05")]
    survive_outage: Vec<String>,
    /// A region the plan may open a deployment in (repeatable; replaces the
    /// scenario's `plan.candidates`): every set of candidates is planned and
    /// the cheapest verified one chosen.
    #[arg(long = "candidate", value_name = "REGION")]
    candidates: Vec<String>,
    /// Most deployments open at once (sets `plan.max_deployments`).
    #[arg(long, value_name = "K")]
    max_deployments: Option<u32>,
    /// Cost of one open deployment per day, in cost-weighted slot-hours
    /// (sets `plan.open_cost`).
    #[arg(long, value_name = "COST")]
    open_cost: Option<f64>,
}

/// No plan within the bounds meets the targets (or none passed verification): exit 3.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Infeasible(pub String);

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
                b.set_message(format!("{}: {m}", world.name()));
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
    let (world, spec) = match check(&args)? {
        Checked::Sites { world, targets } => {
            let max_candidates = args.max_candidates.max(1);
            let flags = (args.step.as_slice(), args.bounds.as_slice());
            return sites::run(c, &world, targets, flags, (max_candidates, args.hourly));
        }
        Checked::Hourly { world, spec } => return hourly::run(c, &world, spec),
        Checked::Static { world, spec } => (world, spec),
    };
    let (out_dir, opts) = c.prepare(std::slice::from_ref(&world), 1, "-plan", "plan")?;
    let pool = c.pool()?;
    let spin = Spinner::new(c.quiet);
    let started = Instant::now();
    let outcome = pool.install(|| plan::plan(&world, &spec, &spin, &mut spin.note(&world)));
    spin.finish();
    let planned = planned_scenario(c, &world, &spec, &outcome, &out_dir)?;
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

/// What `plan` was asked, every flag checked against the scenario; nothing
/// simulated or written yet, so a bad flag is refused before any work.
enum Checked {
    /// Where to run: candidate regions (the targets checked with every
    /// candidate open; each open set gets its own variables).
    Sites { world: World, targets: Vec<Target> },
    /// Capacity schedules per UTC hour (`--hourly`).
    Hourly { world: World, spec: Spec },
    /// One capacity per deployment.
    Static { world: World, spec: Spec },
}

/// The scenario with `plan`'s flags applied and checked: the one place a
/// plan's input is validated (the property test of the flags calls it too).
fn check(args: &PlanArgs) -> Result<Checked> {
    let c = &args.common;
    super::shard::refuse_for(c, "plan", |k| std::env::var(k).ok())?;
    let fields = flags::fields(&flags::SloFlags {
        targets: &args.targets,
        cost: &args.cost,
        every: args.every_population,
        survive: &args.survive_outage,
        candidates: &args.candidates,
        max_deployments: args.max_deployments,
        open_cost: args.open_cost,
    })?;
    let world = flags::world(c, &fields)?;
    let steps = (args.step.as_slice(), args.bounds.as_slice());
    if !world.sites().candidates.is_empty() {
        let targets = sites::checked_targets(c, &world, steps, args.hourly)?;
        return Ok(Checked::Sites { world, targets });
    }
    let spec = Spec {
        targets: flags::targets(&c.scenario, &world)?,
        variables: flags::variables(&world, steps.0, steps.1)?,
        max_candidates: args.max_candidates.max(1),
        ..plan::default_spec(&world)
    };
    if !args.hourly {
        return Ok(Checked::Static { world, spec });
    }
    if let Some(why) = plan::hourly::unsupported(&world, &spec.targets) {
        return Err(bad(format!("{}: --hourly: {why}", c.scenario.display())));
    }
    Ok(Checked::Hourly { world, spec })
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

/// The scenario with the plan's capacities, named `<name>-planned` for
/// `out_dir`, when there is a verified plan (a finished one, or the best
/// checkpoint of an interrupted run).
pub(super) fn planned_scenario(
    c: &Common,
    world: &World,
    spec: &Spec,
    out: &plan::Outcome,
    out_dir: &std::path::Path,
) -> Result<Option<String>> {
    let Some(v) = &out.plan else {
        return Ok(None);
    };
    let mut set: Vec<(String, f64)> = Vec::new();
    let mut opened = Vec::new();
    let slots = spec.variables.iter().zip(&v.capacities);
    for (var, &cap) in slots.filter(|(var, _)| var.knob() == plan::Knob::Slots) {
        let dep = &world.deployments()[var.deployment()];
        match regionsim::scenario::capacity_field(dep) {
            Some(field) => set.push((field, f64::from(cap))),
            None => opened.push(serde_json::json!({
                "agent": dep.agent,
                "region": world.regions()[dep.region].id,
                "capacity": cap,
            })),
        }
    }
    // Worker pools: the fields of the pool as planned (the floor held at the
    // most replicas, the workers at the start within them).
    let planned = plan::apply(world, &spec.variables, &v.capacities);
    let mut pools: Vec<usize> = (spec.variables.iter())
        .filter(|var| var.knob().on_workers())
        .map(plan::Variable::deployment)
        .collect();
    pools.dedup();
    for d in pools {
        set.extend(plan::written_fields(&planned, d));
    }
    let text = regionsim::scenario::rewrite(c.source()?, &set)?;
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("rewrite writes JSON");
    settle_candidates(world, &mut doc, opened);
    super::planned::finish(&c.scenario, doc, "-planned", out_dir).map(Some)
}

/// A planned scenario's candidates, decided: the `opened` ones become
/// `deployments` entries, the scenario's own that the plan closes leave, and
/// the `plan` section goes. Call after every field set by index.
pub(super) fn settle_candidates(
    world: &World,
    doc: &mut serde_json::Value,
    opened: Vec<serde_json::Value>,
) {
    if world.sites().candidates.is_empty() {
        return;
    }
    let mut closed: Vec<usize> = (world.deployments().iter())
        .filter(|dep| !dep.is_open())
        .filter_map(|dep| match dep.declared_by {
            regionsim::model::DeclaredBy::Deployments(i) => Some(i),
            _ => None,
        })
        .collect();
    closed.sort_unstable_by(|a, b| b.cmp(a));
    if let Some(list) = doc["deployments"].as_array_mut() {
        for i in closed {
            list.remove(i);
        }
        list.extend(opened);
    }
    if let Some(o) = doc.as_object_mut() {
        o.remove("plan");
    }
}

/// The closing lines on stderr: what was established, the effort, the plan.
pub(super) fn tell(world: &World, spec: &Spec, out: &plan::Outcome, head: &str, seconds: f64) {
    let e = &out.effort;
    say!(
        "{}: {head}\n  {} candidates, {} search + {} verification replications ({seconds:.1} s)",
        world.name(),
        e.candidates,
        e.search_replications,
        e.verification_replications,
    );
    if let Some(v) = &out.plan {
        say!(
            "  plan: {}",
            report::capacities_line(world, &spec.variables, &v.capacities)
        );
    }
}
