//! Command-line front end: argument parsing, progress display, Ctrl-C, exit codes.
//! Bad input (scenario or arguments) exits with status 2, an interruption with
//! 130, an infeasible plan with 3, other failures with 1.

/// A line to standard error: estimates, warnings, summaries, errors. A
/// closed standard error (`regionsim run x.json 2>&1 | head -1`) silences it,
/// where `eprintln!` panicked and abandoned the run.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

mod check;
mod compare;
mod fit;
mod guard;
mod merge;
mod meta;
mod plan;
mod planned;
mod progress;
mod run;
mod sessions;
mod shard;
mod sweep;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand};

use regionsim::experiment::Cancelled;
use regionsim::model::World;
use regionsim::report::Provenance;
use regionsim::scenario::{self, ScenarioError};

/// Simulate where AI agents should run and how dispatch policies serve users.
#[derive(Parser)]
#[command(name = "regionsim", version = version(), about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write its reports.
    Run(run::RunArgs),
    /// Run several policies on the same users and report their paired differences.
    Compare(compare::CompareArgs),
    /// Replicate a scenario over a grid of values of numeric fields.
    Sweep(sweep::SweepArgs),
    /// Find the cheapest capacities that meet the planning targets (docs/planner.md).
    #[command(
        after_help = "--replications sets the replications of each verification run and the most any candidate gets (at least 4; at least 16 with --hourly).\nExit status: 0 a plan was verified; 2 bad input; 3 infeasible within the bounds, or no plan passed verification; 130 interrupted (the best verified checkpoint is kept)."
    )]
    Plan(plan::PlanArgs),
    /// Check the simulator against exact queueing theory (docs/validation.md).
    Validate(validate::ValidateArgs),
    /// Validate scenario files without simulating and print each one's estimated
    /// work (exit 0 when all are valid, 2 otherwise).
    Check(check::CheckArgs),
    /// Print the JSON Schema of scenario files (as published in schema/scenario.schema.json).
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(meta::CompletionsArgs),
    /// Print the man page (roff) generated from this command line, or write
    /// one page per command into a folder (--dir).
    Man(meta::ManArgs),
    /// Merge the partial results of a sharded study into its reports.
    Merge(merge::MergeArgs),
    /// Fit populations, arrival profiles and the session-duration law to a session log (docs/data.md).
    Fit(fit::FitArgs),
}

/// `--version`: the tool's version and the build commit the outputs' provenance
/// carries (its first 12 hex digits), e.g. `0.1.0 (commit 1e9311c0a8f2)`.
fn version() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let commit =
            regionsim::report::provenance::commit().map_or("unknown", |c| c.get(..12).unwrap_or(c));
        format!(
            "{} (commit {commit})",
            regionsim::report::provenance::VERSION
        )
    })
}

/// Options every simulating command shares.
#[derive(Args)]
pub struct Common {
    /// Scenario file (JSON); see docs/scenarios.md.
    scenario: PathBuf,
    /// Output folder [default: reports/<scenario name>, with a suffix for compare/sweep];
    /// with a shard, the folder receiving its partial result [default: that name + `-parts`].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of replications.
    #[arg(long)]
    replications: Option<u32>,
    /// Use this labelled policy (from the scenario's `policies`) instead of `policy`.
    #[arg(long, value_name = "LABEL")]
    policy: Option<String>,
    /// Override the confidence level of intervals (e.g. 0.99).
    #[arg(long)]
    confidence: Option<f64>,
    /// Override the scenario's horizon (e.g. "11700h"): scales a run's length,
    /// and so its number of sessions, without editing the file.
    #[arg(long, value_name = "DURATION")]
    horizon: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Skip the charts (PNG, SVG) and report.html; write only the data files.
    #[arg(long)]
    no_charts: bool,
    /// Print nothing but errors: no progress bar, warning, note, shard line or
    /// closing summary.
    #[arg(long, short)]
    quiet: bool,
    /// Run even when the estimated events or memory exceed the documented
    /// limits, and replace an output folder written from another scenario file.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    shard: shard::ShardArgs,
    /// The scenario file, read once (see [`Common::source`]).
    #[arg(skip)]
    source: std::cell::OnceCell<scenario::Source>,
}

/// The input was at fault: exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Shorthand for a [`BadInput`] error.
pub fn bad(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(msg.into()))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Validate(a) => validate::validate(a),
        Command::Check(a) => check::check(a),
        Command::Schema => meta::schema(),
        Command::Completions(a) => meta::completions(a, Cli::command()),
        Command::Man(a) => meta::man(a, Cli::command()),
        Command::Merge(a) => merge::merge(a),
        Command::Fit(a) => fit::fit(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One visible line whatever a message quotes from the user (a
            // flag's text may hold a terminal's escape sequence).
            say!("error: {}", regionsim::input::visible(&format!("{e:#}")));
            if e.downcast_ref::<ScenarioError>().is_some() || e.downcast_ref::<BadInput>().is_some()
            {
                ExitCode::from(2)
            } else if e.downcast_ref::<plan::Infeasible>().is_some() {
                ExitCode::from(3)
            } else if e.downcast_ref::<Cancelled>().is_some() {
                ExitCode::from(130)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

impl Common {
    /// The scenario file's bytes, read on first use and kept: validation, the
    /// provenance digest, the folder's marker, shard headers and a plan
    /// written back all use these bytes, never a second read.
    pub fn source(&self) -> Result<&scenario::Source, ScenarioError> {
        if let Some(src) = self.source.get() {
            return Ok(src);
        }
        let src = scenario::Source::read(&self.scenario)?;
        Ok(self.source.get_or_init(|| src))
    }

    /// Load the scenario with the command-line overrides and `set` fields
    /// changed; the scenario's own validation checks them (no second copy of
    /// its rules here), then pick `--policy`.
    pub fn world(&self, set: &[(String, serde_json::Value)]) -> Result<World> {
        let mut all = self.overrides();
        all.extend_from_slice(set);
        let mut world = scenario::load_source(self.source()?, &all)?;
        if let Some(label) = &self.policy {
            if !world.choose_policy(label) {
                return Err(bad(format!(
                    "{}: no policy labelled `{label}`; this scenario offers: {}",
                    self.scenario.display(),
                    world.policy_labels().join(", ")
                )));
            }
        }
        Ok(world)
    }

    /// The output folder: `--out`, else `reports/<name>[-<policy label>]<suffix>`.
    pub fn out_dir(&self, world: &World, suffix: &str) -> PathBuf {
        self.out.clone().unwrap_or_else(|| {
            let label = self
                .policy
                .as_ref()
                .map_or(String::new(), |l| format!("-{l}"));
            Path::new("reports").join(format!("{}{label}{suffix}", world.name()))
        })
    }

    /// The command-line options that change scenario fields, as (JSON path, value).
    pub fn overrides(&self) -> Vec<(String, serde_json::Value)> {
        let mut v = Vec::new();
        if let Some(seed) = self.seed {
            v.push(("run.seed".into(), seed.into()));
        }
        if let Some(n) = self.replications {
            v.push(("run.replications".into(), n.into()));
        }
        if let Some(c) = self.confidence {
            v.push(("run.confidence".into(), c.into()));
        }
        if let Some(h) = &self.horizon {
            v.push(("run.horizon".into(), h.clone().into()));
        }
        v
    }

    /// Everything checked before simulating: warnings about the scenario, the
    /// workload against the limits, the output folder. Returns the folder and
    /// the report options carrying the run's provenance (stamped into the
    /// outputs) and the folder's marker.
    pub fn prepare(
        &self,
        worlds: &[World],
        runs: usize,
        suffix: &str,
        command: &str,
    ) -> Result<(PathBuf, regionsim::report::Options)> {
        let base = &worlds[0];
        self.warn(base);
        let charts = !self.no_charts;
        // A sweep keeps every point's summaries until its report.
        let work = guard::workload(
            &self.scenario,
            worlds,
            runs,
            self.threads,
            charts,
            true,
            self.force,
        )?;
        let out = self.out_dir(base, suffix);
        let opts = self.report_options(command)?;
        check_folder(&out, &opts, Some(self.force), self.quiet)?;
        if !self.quiet {
            say!("estimated {}", work.describe());
        }
        Ok((out, opts))
    }

    /// Print the scenario's warnings (unless quiet).
    pub fn warn(&self, world: &World) {
        if self.quiet {
            return;
        }
        let Ok(src) = self.source() else {
            return;
        };
        for w in scenario::warnings(src, world) {
            say!("warning: {w}");
        }
    }

    /// The report options of `command`: what to draw, the provenance stamped
    /// into the outputs and the folder's marker.
    pub fn report_options(&self, command: &str) -> Result<regionsim::report::Options> {
        let src = self.source()?;
        let mark = regionsim::report::FolderMark::new(
            command,
            &self.scenario,
            src.bytes(),
            self.policy.as_deref(),
        );
        let mut provenance = Provenance::of_source(src);
        provenance.policy_label = self.policy.clone();
        provenance.overrides = self.overrides();
        Ok(regionsim::report::Options {
            charts: !self.no_charts,
            provenance,
            mark: Some(mark),
        })
    }

    /// The options that shape results, as canonical command-line arguments
    /// (recorded in partial results, replayed by `merge`).
    pub fn shaping_args(&self) -> Vec<String> {
        let mut a = vec![self.scenario.display().to_string()];
        let mut opt = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                a.push(format!("--{name}={v}"));
            }
        };
        opt("seed", self.seed.map(|s| s.to_string()));
        opt("replications", self.replications.map(|n| n.to_string()));
        opt("policy", self.policy.clone());
        opt("confidence", self.confidence.map(|c| c.to_string()));
        opt("horizon", self.horizon.clone());
        if self.no_charts {
            a.push("--no-charts".into());
        }
        a
    }

    /// The thread pool the experiment runs on.
    pub fn pool(&self) -> Result<rayon::ThreadPool> {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = self.threads {
            if n == 0 {
                return Err(bad("--threads must be at least 1"));
            }
            b = b.num_threads(n);
        }
        b.build().context("cannot start worker threads")
    }
}

/// Check that `out` can receive a report set; say whose reports it replaces.
/// A folder written from another scenario file is refused (the command has
/// no `--force`: `merge`).
pub fn check_report_dir(out: &Path, opts: &regionsim::report::Options) -> Result<()> {
    check_folder(out, opts, None, false)
}

/// Check that `out` can receive a report set. A folder whose marker names
/// another scenario file, with other content, is replaced only with `--force`
/// (`force` is None for a command without the option); reports of the same
/// file with other content, another command or policy are replaced with a
/// note (unless quiet).
fn check_folder(
    out: &Path,
    opts: &regionsim::report::Options,
    force: Option<bool>,
    quiet: bool,
) -> Result<()> {
    let previous = regionsim::report::check_out_dir(out, opts.mark.as_ref())
        .map_err(|e| bad(e.to_string()))?;
    let regionsim::report::Previous::Other(what) = previous else {
        return Ok(());
    };
    let old = regionsim::report::FolderMark::of_folder(out);
    let new = opts.mark.as_ref();
    if let (Some(old), Some(new)) = (&old, new) {
        // A byte-identical copy writes the same reports: not another scenario.
        let same = old.scenario_hash == new.scenario_hash
            || same_file(&old.scenario_file, &new.scenario_file);
        if force != Some(true) && !same {
            let how = match force {
                Some(_) => "give another --out, or --force to replace them",
                None => "give another --out",
            };
            return Err(bad(format!(
                "output folder `{}` holds `{}` reports of another scenario file ({}); {how}",
                out.display(),
                old.command,
                old.scenario_file
            )));
        }
    }
    if !quiet {
        say!(
            "note: {} holds {what}; they will be replaced",
            out.display()
        );
    }
    Ok(())
}

/// Whether two scenario paths, as given on command lines, name the same file:
/// equal once `.` components are dropped, or resolving (from the current
/// folder) to the same file.
fn same_file(a: &str, b: &str) -> bool {
    let plain = |p: &str| -> PathBuf {
        Path::new(p)
            .components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect()
    };
    if plain(a) == plain(b) {
        return true;
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Print where files went (unless quiet).
pub fn list_written(quiet: bool, files: &[PathBuf]) {
    if !quiet {
        for f in files {
            say!("  wrote {}", f.display());
        }
    }
}
