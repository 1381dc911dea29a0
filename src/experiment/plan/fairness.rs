//! Fairness across populations: a plan can meet every overall target while one
//! small population is served from another continent most of an hour, since
//! its users weigh little in the overall share. From a verification run's
//! per-population counts by UTC hour, each population's worst hour (by
//! overflow share) with its overflow share, rejection share and mean media
//! RTT, and whether its overflow or media RTT exceeds the overall target by
//! more than `slo.fairness_factor` (docs/planner.md, "Fairness across
//! populations").

use super::measure::PopulationHours;
use crate::model::target::{Scope, Target, TargetMetric};
use crate::model::World;
use crate::stats::{ratio, PopulationBin};

/// One population's worst UTC hour in a verification run. Shares and the
/// mean are pooled over the hour's occurrences and the replications (counts
/// summed, then divided).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorstHour {
    /// Population index.
    pub population: usize,
    /// The UTC hour with the highest overflow share, earliest on ties (None:
    /// no arrivals in any whole hour of the window).
    pub hour: Option<u8>,
    /// Arrivals in that hour (all its days, all replications).
    pub arrivals: u64,
    /// Served outside the home region / arrivals.
    pub overflow_share: f64,
    /// Rejected / arrivals.
    pub rejection_share: f64,
    /// Mean media RTT of the sessions served in that hour, ms (NaN: none).
    pub rtt_mean_ms: f64,
    /// Overflow share / the overall overflow target (None without one).
    pub overflow_ratio: Option<f64>,
    /// Mean media RTT / the media RTT reference.
    pub rtt_ratio: f64,
}

impl WorstHour {
    /// Whether the overflow share exceeds the overall target by more than `factor`.
    pub fn overflow_flagged(&self, factor: f64) -> bool {
        self.overflow_ratio.is_some_and(|r| r > factor)
    }

    /// Whether the mean media RTT exceeds the reference by more than `factor`.
    pub fn rtt_flagged(&self, factor: f64) -> bool {
        self.rtt_ratio > factor
    }
}

/// The population table of a plan: each population's worst hour and the
/// references its figures are compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Fairness {
    /// A population is flagged when a worst-hour figure is more than this
    /// many times its reference (`slo.fairness_factor`).
    pub factor: f64,
    /// The overall overflow target's limit, if the plan has one.
    pub overflow_limit: Option<f64>,
    /// What the mean media RTT is compared with, ms: the overall
    /// `media_rtt_ms.p95` target, else the `.p99` one, else the attainment
    /// threshold `slo.media_rtt_ms`.
    pub rtt_limit: f64,
    /// Where `rtt_limit` comes from (`media_rtt_ms.p95`, `media_rtt_ms.p99`
    /// or `slo.media_rtt_ms`).
    pub rtt_source: &'static str,
    /// One row per population, in scenario order.
    pub rows: Vec<WorstHour>,
}

impl Fairness {
    /// Populations flagged on either figure.
    pub fn flagged(&self) -> impl Iterator<Item = &WorstHour> {
        self.rows
            .iter()
            .filter(|r| r.overflow_flagged(self.factor) || r.rtt_flagged(self.factor))
    }
}

/// The overall limit on `m` among `targets`, if any.
fn overall(targets: &[Target], m: TargetMetric) -> Option<f64> {
    targets
        .iter()
        .find(|t| t.scope() == Scope::Overall && t.metric() == m)
        .map(|t| t.limit())
}

/// Each population's worst hour in `hours` (a verification run's), against
/// the overall targets among `targets`.
pub fn fairness(world: &World, targets: &[Target], hours: &PopulationHours) -> Fairness {
    let overflow_limit = overall(targets, TargetMetric::OverflowRate);
    let (rtt_limit, rtt_source) = match (
        overall(targets, TargetMetric::MediaRttP95),
        overall(targets, TargetMetric::MediaRttP99),
    ) {
        (Some(l), _) => (l, "media_rtt_ms.p95"),
        (None, Some(l)) => (l, "media_rtt_ms.p99"),
        _ => (world.slo().media_rtt_ms, "slo.media_rtt_ms"),
    };
    let rows = (0..world.populations().len())
        .map(|p| {
            let empty = [PopulationBin::default(); 24];
            let cells = hours.cells.get(p).unwrap_or(&empty);
            worst(p, cells, overflow_limit, rtt_limit)
        })
        .collect();
    Fairness {
        factor: world.slo().fairness_factor,
        overflow_limit,
        rtt_limit,
        rtt_source,
        rows,
    }
}

fn worst(p: usize, cells: &[PopulationBin; 24], overflow: Option<f64>, rtt: f64) -> WorstHour {
    let mut best: Option<(u8, f64)> = None;
    for (h, c) in (0u8..).zip(cells) {
        let share = ratio(c.overflow, c.arrivals);
        if c.arrivals > 0 && best.is_none_or(|(_, s)| share > s) {
            best = Some((h, share));
        }
    }
    let c = best.map_or(PopulationBin::default(), |(h, _)| cells[usize::from(h)]);
    let overflow_share = ratio(c.overflow, c.arrivals);
    let rtt_mean_ms = if c.served > 0 {
        c.rtt_sum_ms / c.served as f64
    } else {
        f64::NAN
    };
    WorstHour {
        population: p,
        hour: best.map(|(h, _)| h),
        arrivals: c.arrivals,
        overflow_share,
        rejection_share: ratio(c.rejected, c.arrivals),
        rtt_mean_ms,
        overflow_ratio: overflow.map(|l| overflow_share / l),
        rtt_ratio: rtt_mean_ms / rtt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(arrivals: u64, overflow: u64) -> PopulationBin {
        PopulationBin {
            arrivals,
            served: arrivals,
            overflow,
            rtt_sum_ms: 100.0 * arrivals as f64,
            ..PopulationBin::default()
        }
    }

    /// The worst hour is the highest overflow share (not count), the earliest
    /// on ties; hours without arrivals are never it; the flag is strict.
    #[test]
    fn the_worst_hour_is_the_highest_share_and_the_flag_is_strict() {
        let mut cells = [PopulationBin::default(); 24];
        cells[3] = bin(1000, 100);
        cells[5] = bin(10, 2);
        cells[9] = bin(20, 4);
        let w = worst(0, &cells, Some(0.1), 50.0);
        assert_eq!(w.hour, Some(5));
        assert_eq!(w.overflow_share, 0.2);
        assert_eq!(w.overflow_ratio, Some(2.0));
        assert!(!w.overflow_flagged(2.0) && w.overflow_flagged(1.999));
        assert_eq!(w.rtt_ratio, 2.0);
        assert!(!w.rtt_flagged(2.0) && w.rtt_flagged(1.999));
        let none = worst(1, &[PopulationBin::default(); 24], None, 50.0);
        assert_eq!(none.hour, None);
        assert!(!none.overflow_flagged(0.0) && !none.rtt_flagged(0.0));
    }
}
