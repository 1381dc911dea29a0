//! The workload guard shared by `check` and the simulating commands: estimate
//! sessions, events and memory before running, print the estimate, and refuse
//! above the documented limits unless `--force` is given.

use std::path::Path;

use anyhow::Result;

use super::bad;
use regionsim::model::World;
use regionsim::scenario::limits::Workload;

/// Worker threads a command will use.
pub fn workers(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The combined workload of `worlds` run one after the other, `runs` policies each.
pub fn estimate(worlds: &[World], runs: usize, threads: Option<usize>) -> Workload {
    let n = workers(threads);
    let mut total = Workload::of(&worlds[0], runs, n);
    for w in &worlds[1..] {
        let one = Workload::of(w, runs, n);
        total.events += one.events;
        total.memory_bytes = total.memory_bytes.max(one.memory_bytes);
    }
    total
}

/// The estimate, refused above the limits without `force`.
pub fn workload(
    file: &Path,
    worlds: &[World],
    runs: usize,
    threads: Option<usize>,
    force: bool,
) -> Result<Workload> {
    let w = estimate(worlds, runs, threads);
    if let Some(reason) = w.over_limit() {
        if !force {
            return Err(bad(format!(
                "{}: estimated {}: {reason} (docs/scenarios.md, limits); give --force to run it anyway",
                file.display(),
                w.describe()
            )));
        }
    }
    Ok(w)
}
