//! A target measured hour by hour: which targets can be, the time series'
//! hour-long bins of one UTC hour inside the window, and each population's
//! counts per UTC hour, summed over days and replications. Hourly plans check
//! their schedules with these; a plan's fairness check (each population's
//! worst hour in a verification) reads the population hours.

use crate::model::target::{Scope, Target, TargetMetric};
use crate::model::World;
use crate::stats::{ratio, PopulationBin, RunStats};

/// Whether a target can be measured hour by hour from the time series: the
/// shares of sessions overflowed, rejected or abandoned, overall or of one
/// population, and the share of a worker deployment's jobs that waited for a
/// cold start (the worst deployment's, from its own hourly counts).
pub fn hourly_metric(t: &Target) -> bool {
    match t.metric() {
        TargetMetric::OverflowRate
        | TargetMetric::RejectionRate
        | TargetMetric::AbandonmentRate
        | TargetMetric::RejectionAbandonmentRate => {
            matches!(t.scope(), Scope::Overall | Scope::Population(_))
        }
        TargetMetric::ColdStartJobShare => t.scope() == Scope::Overall,
        _ => false,
    }
}

/// The time-series bins (hour-long) of UTC hour `h` lying wholly in the window.
pub fn hour_bins(s: &RunStats, h: u8) -> impl Iterator<Item = usize> + '_ {
    let l = &s.layout;
    (usize::from(h)..s.series.bins())
        .step_by(24)
        .filter(move |&b| {
            let start = b as f64 * l.bin_s;
            start >= l.warmup_s && start + l.bin_s <= l.horizon_s
        })
}

/// Per population and UTC hour, the counts of whole hours inside the window,
/// summed over the days of the window and the replications of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopulationHours {
    /// Index: population, then UTC hour.
    pub cells: Vec<[PopulationBin; 24]>,
}

impl PopulationHours {
    /// Add one replication's series (hour-long bins with population counts;
    /// a series without them adds nothing).
    pub fn add_run(&mut self, s: &RunStats) {
        let pops = s.series.populations;
        if pops == 0 {
            return;
        }
        if self.cells.is_empty() {
            self.cells = vec![[PopulationBin::default(); 24]; pops];
        }
        for h in 0..24u8 {
            for b in hour_bins(s, h) {
                for (p, cells) in self.cells.iter_mut().enumerate() {
                    cells[usize::from(h)].add(s.series.population_cell(b, p));
                }
            }
        }
    }
}

/// Whether UTC hour `h` has a whole hour inside the window on some day (it
/// then has checks and its capacities are searched).
pub fn checked_hour(world: &World, h: u8) -> bool {
    let (from, to) = (world.run().warmup_s, world.run().horizon_s);
    let mut start = f64::from(h) * 3600.0;
    while start + 3600.0 <= to {
        if start >= from {
            return true;
        }
        start += 86_400.0;
    }
    false
}

/// An hourly target's figure in UTC hour `h`: outcomes in its bins over arrivals
/// in them (0 with no arrivals); a population's from its own counts.
pub fn value_in_hour(t: &Target, s: &RunStats, h: u8) -> f64 {
    if t.metric() == TargetMetric::ColdStartJobShare {
        return cold_start_share_in_hour(s, h);
    }
    let (mut num, mut arrivals) = (0u64, 0u64);
    for b in hour_bins(s, h) {
        let (a, overflow, rejected, abandoned) = match t.scope() {
            Scope::Population(p) => {
                let c = s.series.population_cell(b, p);
                (c.arrivals, c.overflow, c.rejected, c.abandoned)
            }
            _ => {
                let c = &s.series.counts[b];
                (c.arrivals, c.overflow, c.rejected, c.abandoned)
            }
        };
        arrivals += a;
        num += match t.metric() {
            TargetMetric::OverflowRate => overflow,
            TargetMetric::RejectionRate => rejected,
            TargetMetric::AbandonmentRate => abandoned,
            _ => rejected + abandoned,
        };
    }
    ratio(num, arrivals)
}

/// The worst worker deployment's share of jobs in UTC hour `h` that waited
/// for a cold start (0 for a deployment without jobs then).
fn cold_start_share_in_hour(s: &RunStats, h: u8) -> f64 {
    s.workers
        .iter()
        .map(|w| {
            let (jobs, cold) = hour_bins(s, h)
                .filter_map(|b| w.bins.get(b))
                .fold((0, 0), |(j, c), b| (j + b.jobs, c + b.cold_start_jobs));
            ratio(cold, jobs)
        })
        .fold(0.0, f64::max)
}
