//! `--shard K/N` on the simulating commands: which shard this process is (from
//! the flag, or from a cluster scheduler's array index), and the writing of its
//! partial result. The study's units are split in contiguous blocks
//! (`experiment::shard`); `regionsim merge` puts the parts back together.

use std::ops::Range;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{bad, guard, progress::Bar, Common};
use regionsim::experiment::shard::{Shard, SweepUnits};
use regionsim::experiment::Cancelled;
use regionsim::model::World;
use regionsim::report::partial::{self, PartHeader, PartWriter};
use regionsim::report::provenance;
use regionsim::stats::RunStats;

/// Sharding options shared by `run`, `compare` and `sweep`.
#[derive(Args, Default)]
pub struct ShardArgs {
    /// Run only shard K of N (0 <= K < N) of the study's replications (sweep:
    /// points x replications) and write its partial result into --out;
    /// `regionsim merge` joins the parts. Without it, Slurm's
    /// SLURM_ARRAY_TASK_ID is used when set.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Number of shards when the index comes from the scheduler: required with
    /// Kubernetes' JOB_COMPLETION_INDEX; with Slurm, the task ID is then the
    /// shard index (so `sbatch --array=3` reruns shard 3 alone).
    #[arg(long, value_name = "N", conflicts_with = "shard")]
    shards: Option<u32>,
}

/// A shard and where its index came from (printed for the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub shard: Shard,
    pub source: String,
}

fn number(name: &str, text: &str) -> Result<u32> {
    text.trim()
        .parse()
        .map_err(|_| bad(format!("{name}=`{text}` is not a whole number")))
}

fn shard_of(index: u32, count: u32, what: &str) -> Result<Shard> {
    Shard::new(index, count).ok_or_else(|| {
        bad(format!(
            "{what}: shard {index} of {count} does not exist (0 <= index < count <= {})",
            regionsim::experiment::shard::MAX_SHARDS
        ))
    })
}

impl ShardArgs {
    /// The shard this process runs, from `--shard`, else Slurm's array
    /// variables, else Kubernetes' completion index with `--shards`; None for
    /// a whole run. `env` reads an environment variable.
    pub fn resolve(&self, env: impl Fn(&str) -> Option<String>) -> Result<Option<Resolved>> {
        if let Some(spec) = &self.shard {
            let (k, n) = spec
                .split_once('/')
                .ok_or_else(|| bad(format!("--shard `{spec}`: expected K/N, e.g. 0/4")))?;
            let shard = shard_of(number("--shard K", k)?, number("--shard N", n)?, "--shard")?;
            return Ok(Some(Resolved {
                shard,
                source: "--shard".into(),
            }));
        }
        if let Some(id) = env("SLURM_ARRAY_TASK_ID") {
            return self.slurm(&id, &env).map(Some);
        }
        match (env("JOB_COMPLETION_INDEX"), self.shards) {
            (Some(i), Some(n)) => {
                let shard = shard_of(
                    number("JOB_COMPLETION_INDEX", &i)?,
                    n,
                    "JOB_COMPLETION_INDEX",
                )?;
                Ok(Some(Resolved {
                    shard,
                    source: format!("JOB_COMPLETION_INDEX={} with --shards {n}", i.trim()),
                }))
            }
            (None, Some(_)) => Err(bad(
                "--shards N needs the shard's index: set by Slurm (SLURM_ARRAY_TASK_ID) or \
                 Kubernetes (JOB_COMPLETION_INDEX), or give --shard K/N instead",
            )),
            (_, None) => Ok(None),
        }
    }

    /// With `--shards N` the task ID is the shard index itself, so one index
    /// can be rerun alone (`sbatch --array=3`); without it the array's own
    /// range gives index and count.
    fn slurm(&self, id: &str, env: &impl Fn(&str) -> Option<String>) -> Result<Resolved> {
        let task = number("SLURM_ARRAY_TASK_ID", id)?;
        let what = "SLURM_ARRAY_TASK_ID (arrays must be a plain range such as --array=0-6, without a step)";
        if let Some(n) = self.shards {
            return Ok(Resolved {
                shard: shard_of(task, n, what)?,
                source: format!("SLURM_ARRAY_TASK_ID={task} with --shards {n}"),
            });
        }
        let min = match env("SLURM_ARRAY_TASK_MIN") {
            Some(m) => number("SLURM_ARRAY_TASK_MIN", &m)?,
            None => 0,
        };
        let count =
            match (env("SLURM_ARRAY_TASK_COUNT"), env("SLURM_ARRAY_TASK_MAX")) {
                (Some(c), _) => number("SLURM_ARRAY_TASK_COUNT", &c)?,
                (None, Some(m)) => number("SLURM_ARRAY_TASK_MAX", &m)?.saturating_sub(min) + 1,
                (None, None) => {
                    return Err(bad("SLURM_ARRAY_TASK_ID is set but not the array's size \
                     (SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX): give --shards N"))
                }
            };
        let index = task.checked_sub(min).ok_or_else(|| {
            bad(format!(
                "SLURM_ARRAY_TASK_ID={task} is below SLURM_ARRAY_TASK_MIN={min}"
            ))
        })?;
        Ok(Resolved {
            shard: shard_of(index, count, what)?,
            source: format!("SLURM_ARRAY_TASK_ID={task} (array from {min}, {count} tasks)"),
        })
    }
}

impl ShardArgs {
    /// Why this process must not run `command` unsharded: a shard asked for
    /// by a flag or a scheduler's index (`env` reads the environment). For
    /// the commands whose work cannot be split, so a job array does not run
    /// the whole study N times, each copy believing it is one shard.
    fn refusal(&self, command: &str, env: impl Fn(&str) -> Option<String>) -> Option<String> {
        let why = format!("`{command}` cannot be sharded (each step depends on the ones before it); run it once, outside a job array");
        if let Some(spec) = &self.shard {
            return Some(format!("--shard {spec}: {why}"));
        }
        if let Some(n) = self.shards {
            return Some(format!("--shards {n}: {why}"));
        }
        ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]
            .into_iter()
            .find_map(|var| env(var).map(|v| format!("{var}={} is set: {why}", v.trim())))
    }
}

/// Refuse to run `command`, which cannot be sharded, as a shard (exit 2).
pub fn refuse_for(c: &Common, command: &str, env: impl Fn(&str) -> Option<String>) -> Result<()> {
    match c.shard.refusal(command, env) {
        Some(why) => Err(bad(why)),
        None => Ok(()),
    }
}

/// The shard of this process from `--shard`/`--shards` and the environment.
pub fn from_env(c: &Common) -> Result<Option<Resolved>> {
    c.shard.resolve(|k| std::env::var(k).ok())
}

/// What a command shards: its worlds (one per sweep point, else one), its
/// policies per unit and the extra arguments that shape its results.
pub struct Study<'a> {
    pub command: &'static str,
    pub suffix: &'static str,
    pub extra_args: Vec<String>,
    pub worlds: &'a [World],
    pub runs: usize,
}

/// Sink receiving each finished unit, in unit order.
pub type Sink<'s> = dyn FnMut(u64, Vec<RunStats>) + Send + 's;

/// This shard's share of the study: each point's world with only the
/// replications the shard runs (points it has none of left out).
fn share(study: &Study, layout: &SweepUnits, units: &Range<u64>) -> Vec<World> {
    (0..study.worlds.len())
        .filter_map(|p| {
            let reps = layout.reps_of(p, units);
            let mut w = study.worlds[p].clone();
            w.edit_run(|r| r.replications = reps.end - reps.start)
                .ok()?;
            Some(w)
        })
        .collect()
}

/// The folder receiving parts: `--out`, else the report folder's name + `-parts`.
fn parts_dir(c: &Common, base: &World, suffix: &str) -> Result<PathBuf> {
    let dir = c.out.clone().unwrap_or_else(|| {
        let mut d = c.out_dir(base, suffix).into_os_string();
        d.push("-parts");
        PathBuf::from(d)
    });
    if dir.exists() && !dir.is_dir() {
        return Err(bad(format!(
            "output folder `{}`: a file of that name exists; give another --out",
            dir.display()
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| bad(format!("output folder `{}`: {e}", dir.display())))?;
    Ok(dir)
}

/// The header of this shard's part.
fn header(
    c: &Common,
    study: &Study,
    shard: Shard,
    units: &Range<u64>,
    total: u64,
) -> Result<PartHeader> {
    let src = c.source()?;
    let mut options = c.shaping_args();
    options.extend(study.extra_args.iter().cloned());
    Ok(PartHeader {
        format: partial::FORMAT.into(),
        format_version: partial::FORMAT_VERSION,
        tool_version: provenance::VERSION.into(),
        commit: provenance::commit().map(str::to_string),
        command: study.command.into(),
        scenario_file: c.scenario.display().to_string(),
        scenario_sha256: src.sha256().to_string(),
        seed: study.worlds[0].run().seed,
        options,
        shard: [shard.index(), shard.count()],
        units: [units.start, units.end],
        total_units: total,
        stats_per_unit: study.runs,
    })
}

/// Run this shard's units of `study` through `simulate` and write its part.
pub fn write_part(
    c: &Common,
    resolved: &Resolved,
    study: Study,
    simulate: impl FnOnce(Range<u64>, &Bar, &mut Sink) -> Result<(), Cancelled>,
) -> Result<()> {
    let layout = SweepUnits::new(study.worlds.iter().map(|w| w.run().replications));
    let units = resolved.shard.units(layout.total());
    let (k, n) = (resolved.shard.index(), resolved.shard.count());
    let base = &study.worlds[0];
    c.warn(base);
    let share = share(&study, &layout, &units);
    if !share.is_empty() {
        // A part holds statistics only; the charts come with the merge.
        // Each unit's statistics are written as it finishes: nothing kept.
        let work = guard::workload(
            &c.scenario,
            &share,
            study.runs,
            c.threads,
            false,
            false,
            c.force,
        )?;
        if !c.quiet {
            say!("estimated {}", work.describe());
        }
    }
    let dir = parts_dir(c, base, study.suffix)?;
    let header = header(c, &study, resolved.shard, &units, layout.total())?;
    // Which shard ran is what a cluster log must show; --quiet silences it too.
    if !c.quiet {
        say!(
            "shard {k}/{n} from {}: units {}..{} of {}",
            resolved.source,
            units.start,
            units.end,
            layout.total()
        );
    }
    let path = dir.join(partial::part_name(study.command, k, n));
    let write = |e: std::io::Error| {
        anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
    };
    let mut writer = PartWriter::create(&path, &header).map_err(write)?;
    let total: f64 = share
        .iter()
        .map(|w| w.run().horizon_s * f64::from(w.run().replications) * study.runs as f64)
        .sum();
    let bar = Bar::new(total, c.quiet, &format!("{} shard {k}/{n}", base.name()));
    let mut failed = None;
    let result = simulate(units, &bar, &mut |u, stats| {
        if failed.is_none() {
            failed = writer.unit(u, &stats).err();
        }
    });
    bar.finish();
    result?;
    if let Some(e) = failed {
        return Err(write(e));
    }
    let written = writer.finish().map_err(write)?;
    super::list_written(c.quiet, &[written]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(
        shard: Option<&str>,
        shards: Option<u32>,
        vars: &[(&str, &str)],
    ) -> Result<Option<Resolved>> {
        let a = ShardArgs {
            shard: shard.map(str::to_string),
            shards,
        };
        a.resolve(|k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
    }

    fn index(r: Result<Option<Resolved>>) -> (u32, u32) {
        let s = r.unwrap().unwrap().shard;
        (s.index(), s.count())
    }

    #[test]
    fn the_index_comes_from_the_flag_then_slurm_then_kubernetes() {
        assert_eq!(
            index(resolve(Some("2/7"), None, &[("SLURM_ARRAY_TASK_ID", "5")])),
            (2, 7)
        );
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "7"),
        ];
        assert_eq!(index(resolve(None, None, &slurm)), (4, 7));
        let min_max = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
        ];
        assert_eq!(index(resolve(None, None, &min_max)), (2, 7));
        assert_eq!(
            index(resolve(None, Some(5), &[("JOB_COMPLETION_INDEX", "4")])),
            (4, 5)
        );
        assert!(resolve(None, None, &[("JOB_COMPLETION_INDEX", "4")])
            .unwrap()
            .is_none());
        assert!(resolve(None, None, &[]).unwrap().is_none());
    }

    #[test]
    fn unshardable_commands_refuse_the_flags_and_the_scheduler_variables() {
        let refusal = |shard: Option<&str>, shards, vars: &[(&str, &str)]| {
            let a = ShardArgs {
                shard: shard.map(str::to_string),
                shards,
            };
            a.refusal("plan", |k| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            })
        };
        assert!(refusal(Some("0/2"), None, &[])
            .unwrap()
            .starts_with("--shard 0/2: `plan`"));
        assert!(refusal(None, Some(3), &[])
            .unwrap()
            .starts_with("--shards 3:"));
        let slurm = refusal(None, None, &[("SLURM_ARRAY_TASK_ID", "4")]).unwrap();
        assert!(slurm.starts_with("SLURM_ARRAY_TASK_ID=4 is set"), "{slurm}");
        let k8s = refusal(None, None, &[("JOB_COMPLETION_INDEX", "1")]).unwrap();
        assert!(k8s.starts_with("JOB_COMPLETION_INDEX=1 is set"), "{k8s}");
        assert_eq!(refusal(None, None, &[("SLURM_JOB_ID", "9")]), None);
    }

    #[test]
    fn inconsistent_indices_are_refused() {
        for (shard, shards, vars) in [
            (Some("7/7"), None, vec![]),
            (Some("x/2"), None, vec![]),
            (Some("1"), None, vec![]),
            (None, Some(3), vec![]),
            (None, Some(3), vec![("JOB_COMPLETION_INDEX", "3")]),
            (None, None, vec![("SLURM_ARRAY_TASK_ID", "1")]),
            (None, Some(4), vec![("SLURM_ARRAY_TASK_ID", "4")]),
            (
                None,
                None,
                vec![
                    ("SLURM_ARRAY_TASK_ID", "4"),
                    ("SLURM_ARRAY_TASK_COUNT", "3"),
                ],
            ),
        ] {
            assert!(
                resolve(shard, shards, &vars).is_err(),
                "{shard:?} {shards:?} {vars:?}"
            );
        }
    }
}
