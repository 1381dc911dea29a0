//! The workload guard shared by `check` and the simulating commands: estimate
//! sessions, events and memory before running, print the estimate, and refuse
//! above the documented limits unless `--force` is given, at the scenario
//! field behind most of the excess where one is.

use std::path::Path;

use anyhow::Result;

use super::bad;
use regionsim::model::World;
use regionsim::scenario::limits::{located, Command, Workload};

/// Worker threads a command will use.
pub fn workers(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The combined workload of `worlds` run one after the other, `runs` policies
/// each, with charts or without; `kept`: whether each world's results are
/// kept until the last is done (a sweep's report, not a shard's part).
pub fn estimate(
    worlds: &[World],
    runs: usize,
    threads: Option<usize>,
    charts: bool,
    kept: bool,
) -> Workload {
    let cmd = Command {
        runs,
        threads: workers(threads),
        charts,
    };
    Workload::estimate_all(worlds, &cmd, kept)
}

/// The one-line refusal of `w` on `file`, if it is above a limit: the file,
/// the field behind most of the excess with its line and column, the
/// estimate and the limit.
pub fn refusal(file: &Path, w: &Workload) -> Option<String> {
    let r = w.over_limit()?;
    Some(format!(
        "{}: estimated {}: {} (docs/scenarios.md, limits)",
        located(file, r.path.as_deref()),
        w.describe(),
        r.reason
    ))
}

/// The estimate, refused above the limits without `force`; `kept` as for
/// [`estimate`].
pub fn workload(
    file: &Path,
    worlds: &[World],
    runs: usize,
    threads: Option<usize>,
    charts: bool,
    kept: bool,
    force: bool,
) -> Result<Workload> {
    let w = estimate(worlds, runs, threads, charts, kept);
    match refusal(file, &w) {
        Some(why) if !force => Err(bad(format!("{why}; give --force to run it anyway"))),
        _ => Ok(w),
    }
}
