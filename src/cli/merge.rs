//! `regionsim merge`: the partial results of a sharded `run`, `compare` or
//! `sweep` back into the very files the unsharded command writes.
//!
//! Every part's header is read first and checked against the others and
//! against this build (same version, scenario content, seed, command and
//! options; every unit held exactly once); then the parts are read one after
//! the other, one unit at a time, in unit order, through the same fold a
//! single machine uses. Nothing is written unless every part reads whole.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser};

use super::{bad, check_report_dir, list_written, Cli, Command, Common};
use regionsim::experiment::shard::{CompareReplay, RunReplay, Shard, SweepReplay, SweepUnits};
use regionsim::report::partial::{PartHeader, PartReader, UnitShape, EXTENSION};
use regionsim::report::provenance;
use regionsim::report::{self, Options};
use regionsim::stats::RunStats;

#[derive(Args)]
pub struct MergeArgs {
    /// Partial results (`*.part`) or folders holding them.
    #[arg(required = true, value_name = "PARTS")]
    parts: Vec<PathBuf>,
    /// Output folder [default: the folder the unsharded command would write].
    #[arg(long)]
    out: Option<PathBuf>,
    /// No closing list of the files written.
    #[arg(long, short)]
    quiet: bool,
}

/// The parts, in unit order, with their headers.
struct Parts {
    files: Vec<PathBuf>,
    headers: Vec<PartHeader>,
}

pub fn merge(args: MergeArgs) -> Result<()> {
    let parts = read_headers(&args.parts)?;
    check_build(&parts)?;
    check_together(&parts)?;
    let parts = check_coverage(parts)?;
    let first = &parts.headers[0];
    let argv = ["regionsim", first.command.as_str()]
        .into_iter()
        .map(str::to_string)
        .chain(first.options.iter().cloned());
    let cli = Cli::try_parse_from(argv).map_err(|e| {
        bad(format!(
            "{}: its options cannot be replayed: {}",
            parts.files[0].display(),
            e.kind()
        ))
    })?;
    let out = args.out.as_deref();
    let written = match cli.command {
        Command::Run(a) => merge_run(&parts, &a.common, out)?,
        Command::Compare(a) => merge_compare(&parts, &a, out)?,
        Command::Sweep(a) => merge_sweep(&parts, &a, out)?,
        _ => {
            return Err(bad(format!(
                "{}: not a sharded command",
                parts.files[0].display()
            )))
        }
    };
    if !args.quiet {
        say!(
            "merged {} parts ({} units) into {}",
            parts.files.len(),
            first.total_units,
            written.0.display()
        );
    }
    list_written(args.quiet, &written.1);
    Ok(())
}

/// Every part file named, folders expanded to their `*.part` files, headers read.
fn read_headers(given: &[PathBuf]) -> Result<Parts> {
    let mut files = Vec::new();
    for p in given {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| bad(format!("{}: cannot read the folder: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == EXTENSION) && f.is_file())
                .collect();
            if inside.is_empty() {
                return Err(bad(format!(
                    "{}: no partial results (*.{EXTENSION}) in this folder",
                    p.display()
                )));
            }
            inside.sort();
            files.extend(inside);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(bad(format!("{}: no such file or folder", p.display())));
        }
    }
    let mut seen = HashMap::new();
    for f in &files {
        let key = f.canonicalize().unwrap_or_else(|_| f.clone());
        if let Some(prev) = seen.insert(key, f) {
            return Err(bad(format!(
                "{}: given twice (also as {})",
                f.display(),
                prev.display()
            )));
        }
    }
    let headers = files
        .iter()
        .map(|f| PartReader::open(f).map(|r| r.header().clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    Ok(Parts { files, headers })
}

/// The parts must come from this very build: reports carry its version and commit.
fn check_build(parts: &Parts) -> Result<()> {
    let this = (provenance::VERSION, provenance::commit());
    for (f, h) in parts.files.iter().zip(&parts.headers) {
        if (h.tool_version.as_str(), h.commit.as_deref()) != this {
            return Err(bad(format!(
                "{}: written by regionsim {} (commit {}), this is regionsim {} (commit {}); \
                 merge with the build that ran the shards",
                f.display(),
                h.tool_version,
                h.commit.as_deref().unwrap_or("unknown"),
                this.0,
                this.1.unwrap_or("unknown")
            )));
        }
    }
    Ok(())
}

/// Every part must be of the same study as the first.
fn check_together(parts: &Parts) -> Result<()> {
    let (a, first) = (&parts.files[0], &parts.headers[0]);
    for (b, h) in parts.files.iter().zip(&parts.headers).skip(1) {
        let problem = if h.scenario_sha256 != first.scenario_sha256 {
            format!(
                "from another scenario (SHA-256 {}..., {} has {}...)",
                &h.scenario_sha256[..h.scenario_sha256.len().min(12)],
                a.display(),
                &first.scenario_sha256[..first.scenario_sha256.len().min(12)]
            )
        } else if h.seed != first.seed {
            format!(
                "seed {}, but {} has seed {}",
                h.seed,
                a.display(),
                first.seed
            )
        } else if h.command != first.command {
            format!(
                "a `{}` part, but {} is a `{}` part",
                h.command,
                a.display(),
                first.command
            )
        } else if h.options != first.options || h.scenario_file != first.scenario_file {
            format!(
                "run with other options ({}), {} with ({})",
                h.options.join(" "),
                a.display(),
                first.options.join(" ")
            )
        } else if h.total_units != first.total_units || h.stats_per_unit != first.stats_per_unit {
            format!(
                "from a study of {} units, {} of {}",
                h.total_units,
                a.display(),
                first.total_units
            )
        } else {
            continue;
        };
        return Err(bad(format!("{}: {problem}", b.display())));
    }
    Ok(())
}

/// Parts sorted by their units, each unit held exactly once; empty parts dropped.
fn check_coverage(parts: Parts) -> Result<Parts> {
    let total = parts.headers[0].total_units;
    let mut order: Vec<usize> = (0..parts.files.len()).collect();
    order.sort_by_key(|&i| (parts.headers[i].units, parts.headers[i].shard));
    let mut next = 0u64;
    let mut holder: Option<usize> = None;
    let mut shard_of: HashMap<[u32; 2], usize> = HashMap::new();
    let mut kept = Vec::new();
    for i in order {
        let (f, h) = (&parts.files[i], &parts.headers[i]);
        let [start, end] = h.units;
        if start > end || end > total {
            return Err(bad(format!(
                "{}: holds units {start}..{end} of a study of {total}",
                f.display()
            )));
        }
        if let Some(j) = shard_of.insert(h.shard, i) {
            return Err(bad(format!(
                "{}: duplicate of {} (both are shard {} of {})",
                f.display(),
                parts.files[j].display(),
                h.shard[0],
                h.shard[1]
            )));
        }
        if start == end {
            continue;
        }
        if start < next {
            let other = holder.map_or(String::new(), |j| parts.files[j].display().to_string());
            return Err(bad(format!(
                "{}: units {start}..{} are also in {other}",
                f.display(),
                next.min(end)
            )));
        }
        if start > next {
            return Err(missing(next, start, total, h.shard[1]));
        }
        next = end;
        holder = Some(i);
        kept.push(i);
    }
    if next < total {
        return Err(missing(next, total, total, parts.headers[0].shard[1]));
    }
    let headers = kept.iter().map(|&i| parts.headers[i].clone()).collect();
    let files = kept.iter().map(|&i| parts.files[i].clone()).collect();
    Ok(Parts { files, headers })
}

/// No part holds units `from..to`: name the shards of an `n`-way split that do.
fn missing(from: u64, to: u64, total: u64, n: u32) -> anyhow::Error {
    let shards: Vec<String> = (0..n)
        .filter_map(|k| Shard::new(k, n))
        .filter(|s| {
            let r = s.units(total);
            r.start < to && from < r.end
        })
        .map(|s| format!("{}/{n}", s.index()))
        .collect();
    bad(format!(
        "no part holds units {from}..{to} of {total}: shard {} is missing; rerun it",
        shards.join(", ")
    ))
}

/// The scenario must be the one the shards ran; then the report options.
fn options(parts: &Parts, c: &Common, command: &str) -> Result<Options> {
    let h = &parts.headers[0];
    let src = c
        .source()
        .map_err(|e| bad(format!("{e} (the scenario the shards ran)")))?;
    if src.sha256() != h.scenario_sha256 {
        return Err(bad(format!(
            "{}: changed since the shards ran (its SHA-256 differs from the one in {})",
            c.scenario.display(),
            parts.files[0].display()
        )));
    }
    c.report_options(command)
}

/// Every unit of every part, in order; `shape_of` gives the shape unit `u`'s
/// statistics must have (its world's layout).
fn stream<'s>(
    parts: &Parts,
    shape_of: impl Fn(u64) -> &'s UnitShape,
    mut each: impl FnMut(u64, Vec<RunStats>),
) -> Result<()> {
    for f in &parts.files {
        let mut r = PartReader::open(f).map_err(|e| bad(e.to_string()))?;
        while let Some((u, stats)) = r.next_unit(&shape_of).map_err(|e| bad(e.to_string()))? {
            each(u, stats);
        }
    }
    Ok(())
}

/// The parts must hold the study the scenario and options now give: `units`
/// units of `per_unit` statistics each.
fn check_units(parts: &Parts, units: u64, per_unit: usize) -> Result<()> {
    let h = &parts.headers[0];
    if units != h.total_units {
        return Err(bad(format!(
            "{}: holds a study of {} units, its scenario and options now give {units}",
            parts.files[0].display(),
            h.total_units
        )));
    }
    if per_unit != h.stats_per_unit {
        return Err(bad(format!(
            "{}: holds {} statistics per unit, its scenario and options now give {per_unit}",
            parts.files[0].display(),
            h.stats_per_unit
        )));
    }
    Ok(())
}

fn target(
    c: &Common,
    out: Option<&Path>,
    world: &regionsim::model::World,
    suffix: &str,
) -> PathBuf {
    out.map_or_else(|| c.out_dir(world, suffix), Path::to_path_buf)
}

type Written = (PathBuf, Vec<PathBuf>);

fn merge_run(parts: &Parts, c: &Common, out: Option<&Path>) -> Result<Written> {
    let world = c.world(&[])?;
    check_units(parts, u64::from(world.run().replications), 1)?;
    let opts = options(parts, c, "run")?;
    let dir = target(c, out, &world, "");
    check_report_dir(&dir, &opts)?;
    let mut replay = RunReplay::default();
    let shape = UnitShape::of(&world);
    stream(
        parts,
        |_| &shape,
        |_, mut stats| replay.push(stats.remove(0)),
    )?;
    let est = replay
        .finish(world.run().confidence)
        .context("no replication merged")?;
    let files = report::write_run_with(&dir, &world, &est, opts)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    Ok((dir, files))
}

fn merge_compare(
    parts: &Parts,
    args: &super::compare::CompareArgs,
    out: Option<&Path>,
) -> Result<Written> {
    let c = &args.common;
    let (world, specs) = super::compare::setup(args)?;
    check_units(parts, u64::from(world.run().replications), specs.len())?;
    let opts = options(parts, c, "compare")?;
    let dir = target(c, out, &world, "-compare");
    check_report_dir(&dir, &opts)?;
    let mut replay = CompareReplay::new(specs.len());
    let shape = UnitShape::of(&world);
    stream(parts, |_| &shape, |_, stats| replay.push(stats))?;
    let labels = specs.into_iter().map(|(l, _)| l).collect();
    let cmp = replay.finish(labels, world.run().confidence);
    let files = report::write_compare(&dir, &world, &cmp, opts)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    Ok((dir, files))
}

fn merge_sweep(
    parts: &Parts,
    args: &super::sweep::SweepArgs,
    out: Option<&Path>,
) -> Result<Written> {
    let c = &args.common;
    let plan = super::sweep::plan(args)?;
    let base = &plan.worlds[0];
    let layout = SweepUnits::new(plan.worlds.iter().map(|w| w.run().replications));
    check_units(parts, layout.total(), 1)?;
    let opts = options(parts, c, "sweep")?;
    let dir = target(c, out, base, "-sweep");
    check_report_dir(&dir, &opts)?;
    let mut replay = SweepReplay::new(plan.points.clone(), &plan.worlds);
    let shapes: Vec<UnitShape> = plan.worlds.iter().map(UnitShape::of).collect();
    let shape_of = |u: u64| &shapes[layout.locate(u).0];
    stream(parts, shape_of, |u, mut stats| {
        replay.push(u, stats.remove(0))
    })?;
    let points = replay.finish();
    let folder = report::SweepFolder::new(&dir, plan.points.clone(), &opts)
        .map_err(|e| bad(e.to_string()))?;
    let charts = opts.charts.then_some(plan.metrics.as_slice());
    let files = folder
        .write(base, &points, charts, &opts)
        .with_context(|| format!("cannot write reports to {}", dir.display()))?;
    Ok((dir, files))
}
