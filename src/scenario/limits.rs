//! Bounds on the work and memory a scenario may ask for.
//!
//! Two kinds. *Shape limits* (regions, populations, cities, deployments, the
//! horizon) are checked during validation, before anything is allocated per
//! region pair or per city, and cannot be lifted: beyond them the world itself
//! would not fit or times would lose millisecond resolution. *Workload limits*
//! (events, memory) are checked on the validated world with the command line's
//! overrides applied; the commands refuse a scenario above them unless `--force`
//! is given, so an absurd workload is refused in milliseconds with its estimate
//! and, where one field brings most of it (a flash crowd's factor, a worker
//! pool's window, the time bins), that field's place. The estimate's terms:
//! `work.rs` (events, worker pools' passes) and `memory.rs` (peak bytes).

mod memory;
mod work;

use std::path::Path;

use super::field::{err, R};
use super::raw::RawScenario;
use crate::model::World;

/// Largest scenario file, bytes.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// Most regions a scenario may define (the backbone is regions x regions).
pub const MAX_REGIONS: usize = 1_000;
/// Most deployments.
pub const MAX_DEPLOYMENTS: usize = 10_000;
/// Most populations.
pub const MAX_POPULATIONS: usize = 10_000;
/// Most cities over all populations.
pub const MAX_CITIES: usize = 100_000;
/// Most (city, region) pairs: each city keeps its RTT to every region.
pub const MAX_CITY_REGION_PAIRS: usize = 20_000_000;
/// Longest horizon, seconds (about 100 years): beyond it simulated clocks lose
/// sub-millisecond resolution.
pub const MAX_HORIZON_S: f64 = 3.2e9;
/// Most events a command may process over all its replications without `--force`.
pub const MAX_EVENTS: f64 = 1e10;
/// Most memory (bytes) a command may take without `--force`.
pub const MAX_MEMORY_BYTES: f64 = 4e9;

/// The shape limits, checked on the raw file before the world is built.
pub(super) fn check_shape(raw: &RawScenario) -> R<()> {
    let cities: usize = raw
        .populations
        .iter()
        .map(|p| p.cities.as_ref().map_or(1, Vec::len))
        .sum();
    let counts = [
        ("regions", raw.regions.len(), MAX_REGIONS),
        ("deployments", raw.deployments.len(), MAX_DEPLOYMENTS),
        ("populations", raw.populations.len(), MAX_POPULATIONS),
        ("populations", cities, MAX_CITIES),
        (
            "populations",
            cities.saturating_mul(raw.regions.len()),
            MAX_CITY_REGION_PAIRS,
        ),
    ];
    let what = [
        "regions",
        "deployments",
        "populations",
        "cities",
        "city x region pairs",
    ];
    for ((path, n, max), what) in counts.into_iter().zip(what) {
        if n > max {
            return err(
                path,
                format!("{n} {what}; at most {max} (see docs/scenarios.md, limits)"),
            );
        }
    }
    Ok(())
}

/// How a command runs a world: policies per replication, worker threads,
/// whether it draws charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// Policies run on each replication.
    pub runs: usize,
    /// Worker threads (each holds the statistics of two replications in flight).
    pub threads: usize,
    /// Whether the reports include charts.
    pub charts: bool,
}

/// What a command is about to ask of the machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Expected arrivals per replication (warm-up and flash crowds included).
    pub sessions: f64,
    /// Expected events over all replications, worker pools' passes over their
    /// workers counted as the events of equal cost.
    pub events: f64,
    /// Whether `events` counts worker pools' passes (the run then processes
    /// fewer events than this, each costing more).
    pub worker_passes: bool,
    /// Replications.
    pub replications: u32,
    /// Approximate peak memory of the world, the statistics, the engines and
    /// the reports, bytes.
    pub memory_bytes: f64,
    /// The scenario field (JSON path) behind most of the events, if one is.
    pub events_cause: Option<String>,
    /// The scenario field behind most of the memory, if one is.
    pub memory_cause: Option<String>,
}

/// Why a workload is refused without `--force`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Which limit it exceeds, and by how much.
    pub reason: String,
    /// The scenario field behind most of it, if one is.
    pub path: Option<String>,
}

impl Workload {
    /// Estimate the workload of `runs` policies x the world's replications, with
    /// `threads` worker threads, reports without charts.
    pub fn of(world: &World, runs: usize, threads: usize) -> Self {
        let cmd = Command {
            runs,
            threads,
            charts: false,
        };
        Self::estimate(world, &cmd)
    }

    /// The combined workload of `worlds` run one after the other (a sweep's
    /// points, or a shard's share of them): their events add up; memory is
    /// the largest run's, and with `kept` every finished point's summaries
    /// besides (a sweep keeps them until its last point is done, then
    /// writes them all into `sweep.json`; a shard's part writes each one's
    /// statistics as it finishes).
    pub fn estimate_all(worlds: &[World], cmd: &Command, kept: bool) -> Self {
        let mut total = Self::estimate(&worlds[0], cmd);
        for w in &worlds[1..] {
            let one = Self::estimate(w, cmd);
            total.events += one.events;
            total.worker_passes |= one.worker_passes;
            if one.memory_bytes > total.memory_bytes {
                total.memory_bytes = one.memory_bytes;
                total.memory_cause = one.memory_cause;
            }
            total.events_cause = total.events_cause.or(one.events_cause);
        }
        if kept && worlds.len() > 1 {
            let points: f64 = (worlds.iter())
                .map(|w| memory::kept(w, &work::pools(w)))
                .sum();
            total.memory_bytes += points;
        }
        total
    }

    /// Estimate the workload of `cmd` on `world`.
    pub fn estimate(world: &World, cmd: &Command) -> Self {
        let pools = work::pools(world);
        let work = work::of(world, &pools);
        let memory = memory::of(world, &pools, cmd);
        let reps = f64::from(world.run().replications);
        Self {
            sessions: work.sessions,
            events: work.events * reps * cmd.runs as f64,
            worker_passes: !pools.is_empty(),
            replications: world.run().replications,
            memory_bytes: memory.bytes,
            events_cause: work.cause,
            memory_cause: memory.cause,
        }
    }

    /// One line for the user: sessions, events, memory.
    pub fn describe(&self) -> String {
        let passes = if self.worker_passes {
            " (the events count worker pools' passes over their workers as events of equal cost)"
        } else {
            ""
        };
        format!(
            "about {} sessions per replication, {} events over {} replication{}, {} of memory{passes}",
            si(self.sessions),
            si(self.events),
            self.replications,
            if self.replications == 1 { "" } else { "s" },
            bytes(self.memory_bytes)
        )
    }

    /// Why this workload is refused without `--force`, if it is.
    pub fn over_limit(&self) -> Option<Refusal> {
        if self.events.is_nan() || self.events > MAX_EVENTS {
            return Some(Refusal {
                reason: format!(
                    "{} events exceed the limit of {}",
                    si(self.events),
                    si(MAX_EVENTS)
                ),
                path: self.events_cause.clone(),
            });
        }
        if self.memory_bytes.is_nan() || self.memory_bytes > MAX_MEMORY_BYTES {
            return Some(Refusal {
                reason: format!(
                    "{} of memory exceed the limit of {}",
                    bytes(self.memory_bytes),
                    bytes(MAX_MEMORY_BYTES)
                ),
                path: self.memory_cause.clone(),
            });
        }
        None
    }
}

/// `file`, and where `path` is in it (as a scenario error names a field):
/// "FILE: at `PATH` (line L, column C)".
pub fn located(file: &Path, path: Option<&str>) -> String {
    let mut s = file.display().to_string();
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        s.push_str(&format!(": at `{p}`"));
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Some((line, column)) = super::locate::locate(&text, p) {
            s.push_str(&format!(" (line {line}, column {column})"));
        }
    }
    s
}

/// 1234567 -> "1.2 M".
fn si(x: f64) -> String {
    if !x.is_finite() {
        return "an unbounded number of".into();
    }
    if x >= 1e15 {
        return format!("{x:.1e}");
    }
    let units = [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")];
    for (scale, unit) in units {
        if x >= scale {
            return format!("{:.1}{unit}", x / scale);
        }
    }
    format!("{x:.0}")
}

fn bytes(x: f64) -> String {
    if !x.is_finite() {
        return "unbounded memory".into();
    }
    let units = [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")];
    for (scale, unit) in units {
        if x >= scale {
            return format!("{:.1} {unit}", x / scale);
        }
    }
    format!("{x:.0} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_well() {
        assert_eq!(si(1_234_567.0), "1.2 M");
        assert_eq!(si(12.0), "12");
        assert_eq!(bytes(4e9), "4.0 GB");
        assert_eq!(si(f64::INFINITY), "an unbounded number of");
        assert_eq!(si(9.46e16), "9.5e16");
    }
}
