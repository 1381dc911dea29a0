//! Command-line front end: argument parsing, progress display, exit codes.
//! Scenario errors exit with status 2; other failures with 1.

mod progress;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use regionsim::scenario::{self, ScenarioError};
use regionsim::{experiment, report};

/// Simulate where AI agents should run and how dispatch policies serve users.
#[derive(Parser)]
#[command(name = "regionsim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write its reports.
    Run(RunArgs),
}

#[derive(Args)]
struct Common {
    /// Scenario file (JSON); see docs/scenarios.md.
    scenario: PathBuf,
    /// Output folder [default: reports/<scenario name>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of replications.
    #[arg(long)]
    replications: Option<u32>,
    /// Override the scenario's horizon (e.g. "11700h"): scales a run's length,
    /// and so its number of sessions, without editing the file.
    #[arg(long, value_name = "DURATION")]
    horizon: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no closing summary line.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    common: Common,
}

/// Exit status 2: the input was at fault.
#[derive(Debug)]
struct BadInput;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(se) = e.downcast_ref::<ScenarioError>() {
                eprintln!("error: {se}");
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            if e.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid input")
    }
}
impl std::error::Error for BadInput {}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run(args),
    }
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(anyhow::Error::new(BadInput).context("--threads must be at least 1"));
        }
        b = b.num_threads(n);
    }
    b.build().context("cannot start worker threads")
}

fn load(c: &Common) -> Result<regionsim::model::World> {
    let mut world = scenario::load(&c.scenario)?;
    if let Some(seed) = c.seed {
        world.run.seed = seed;
    }
    if let Some(n) = c.replications {
        if n == 0 {
            return Err(anyhow::Error::new(BadInput).context("--replications must be at least 1"));
        }
        world.run.replications = n;
    }
    if let Some(h) = &c.horizon {
        let bad = |why: String| anyhow::Error::new(BadInput).context(format!("--horizon: {why}"));
        let h = scenario::parse_duration(h).map_err(bad)?;
        if !(h.is_finite() && h > world.run.warmup_s) {
            return Err(bad(format!(
                "must be longer than the warm-up ({} s), got {h} s",
                world.run.warmup_s
            )));
        }
        if h / world.run.bin_s > 1e6 {
            return Err(bad(format!(
                "gives more than a million bins of {} s",
                world.run.bin_s
            )));
        }
        world.run.horizon_s = h;
    }
    Ok(world)
}

fn run(args: RunArgs) -> Result<()> {
    let c = &args.common;
    let world = load(c)?;
    let out = c
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&world.name));
    let pool = pool(c.threads)?;
    let total = world.run.horizon_s * world.run.replications as f64;
    let bar = progress::Bar::new(
        total,
        c.quiet,
        &format!("{} ({} replications)", world.name, world.run.replications),
    );
    let started = Instant::now();
    let est = pool.install(|| experiment::replicate(&world, &bar));
    bar.finish();
    let elapsed = started.elapsed().as_secs_f64();
    let files = report::write_run(&out, &world, &est)
        .with_context(|| format!("cannot write reports to {}", out.display()))?;
    if !c.quiet {
        let p = &est.point;
        eprintln!(
            "{}: {:.0} sessions/replication, overflow {:.2} %, rejection {:.2} %, abandonment {:.2} %, RTT p95 {:.1} ms ({:.2} s, {:.2} M events/s)",
            world.name,
            p.sessions,
            p.overflow_rate * 100.0,
            p.rejection_rate * 100.0,
            p.abandonment_rate * 100.0,
            p.media_rtt_ms.p95,
            elapsed,
            est.pooled.events as f64 / elapsed / 1e6
        );
        for f in files {
            eprintln!("  wrote {}", f.display());
        }
    }
    Ok(())
}
