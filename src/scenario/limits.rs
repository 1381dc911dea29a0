//! Bounds on the work and memory a scenario may ask for.
//!
//! Two kinds. *Shape limits* (regions, populations, cities, deployments, the
//! horizon) are checked during validation, before anything is allocated per
//! region pair or per city, and cannot be lifted: beyond them the world itself
//! would not fit or times would lose millisecond resolution. *Workload limits*
//! (events, memory) are checked on the validated world with the command line's
//! overrides applied; the commands refuse a scenario above them unless `--force`
//! is given, so an absurd workload is refused in milliseconds with its estimate.

use super::raw::RawScenario;
use super::validate::{err, R};
use crate::model::{Patience, World};

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
/// Most memory (bytes) the statistics of a command may take without `--force`.
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

/// What a command is about to ask of the machine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    /// Expected arrivals per replication (warm-up included).
    pub sessions: f64,
    /// Expected events over all replications.
    pub events: f64,
    /// Replications.
    pub replications: u32,
    /// Approximate peak memory of the statistics and the world, bytes.
    pub memory_bytes: f64,
}

impl Workload {
    /// Estimate the workload of `runs` policies x the world's replications, with
    /// `workers` threads (each holds the statistics of two replications in flight).
    pub fn of(world: &World, runs: usize, workers: usize) -> Self {
        let horizon = world.run.horizon_s;
        let mut sessions = 0.0;
        let mut events = 0.0;
        for p in &world.populations {
            let n = p.rate.integral(0.0, horizon);
            // An arrival and a departure each; a waiting timer where users may wait.
            let per = if matches!(p.patience, Patience::None) {
                2.0
            } else {
                3.0
            };
            sessions += n;
            events += n * per;
        }
        // Worker pools: one tick per sample, report or evaluation.
        for w in world.deployments.iter().filter_map(|d| d.workers.as_ref()) {
            let every = [
                w.measure.sample_interval_s,
                w.measure.report_interval_s,
                w.autoscale.as_ref().map_or(0.0, |a| a.interval_s),
            ];
            events += every
                .iter()
                .filter(|&&i| i > 0.0)
                .map(|i| horizon / i)
                .sum::<f64>();
        }
        let reps = f64::from(world.run.replications);
        let (regions, pops) = (world.regions.len() as f64, world.populations.len() as f64);
        let bins = (horizon / world.run.bin_s).ceil().max(1.0);
        // Time series: five counts per bin, two areas and a peak per (bin, region);
        // per population: served-by row and three lean distributions.
        let stats = bins * (40.0 + regions * 20.0) + pops * (regions * 8.0 + 16_384.0);
        let world_bytes = (world.cities.len() as f64 + regions) * regions * 8.0;
        let in_flight = (2 * workers.max(1) + 2).min(world.run.replications as usize + 1) as f64;
        Self {
            sessions,
            events: events * reps * runs as f64,
            replications: world.run.replications,
            memory_bytes: world_bytes + stats * in_flight * runs as f64,
        }
    }

    /// One line for the user: sessions, events, memory.
    pub fn describe(&self) -> String {
        format!(
            "about {} sessions per replication, {} events over {} replication{}, {} of statistics",
            si(self.sessions),
            si(self.events),
            self.replications,
            if self.replications == 1 { "" } else { "s" },
            bytes(self.memory_bytes)
        )
    }

    /// Why this workload is refused without `--force`, if it is.
    pub fn over_limit(&self) -> Option<String> {
        if self.events.is_nan() || self.events > MAX_EVENTS {
            return Some(format!(
                "{} events exceed the limit of {}",
                si(self.events),
                si(MAX_EVENTS)
            ));
        }
        if self.memory_bytes.is_nan() || self.memory_bytes > MAX_MEMORY_BYTES {
            return Some(format!(
                "{} of statistics exceed the limit of {}",
                bytes(self.memory_bytes),
                bytes(MAX_MEMORY_BYTES)
            ));
        }
        None
    }
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
