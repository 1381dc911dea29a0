//! The time series and the timeline impacts of one replication, carried
//! exactly (see [`super::stats`]).

use serde::{Deserialize, Serialize};

use super::exact::{fs, same, unfs, DistRec, F};
use crate::stats::{BinCounts, Impact, Outcomes, PopulationBin, TimeSeries, TimelineStats};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeriesRec {
    bin_s: F,
    regions: usize,
    lanes: usize,
    counts: Vec<[u64; 7]>,
    overflow_out: Vec<u64>,
    busy_area: Vec<F>,
    capacity_area: Vec<F>,
    peak: Vec<u32>,
    /// Per (bin, population): arrivals, served, overflow, rejected,
    /// abandoned, then the media RTT sum. Absent when the series keeps no
    /// population counts (every sharded command), so those parts are
    /// byte-identical to parts written before the field existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    by_population: Vec<([u64; 5], F)>,
    runs: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimelineRec {
    windows: Vec<(F, F)>,
    /// Per event: interrupted, redispatched, then served, overflow, rejected,
    /// abandoned inside its window.
    pub(super) impacts: Vec<[u64; 6]>,
    rejoin: DistRec,
}

impl SeriesRec {
    /// Whether the series is one replication's with bins of `bin_s` (its
    /// sizes are checked against the layout's when it is built).
    pub(super) fn fits(&self, bin_s: f64) -> bool {
        same(self.bin_s.0, bin_s) && self.runs == 1
    }
}

impl TimelineRec {
    /// Whether it holds one impact per timeline event, with their windows.
    pub(super) fn fits(&self, windows: &[(f64, f64)]) -> bool {
        self.impacts.len() == windows.len()
            && self.windows.len() == windows.len()
            && self
                .windows
                .iter()
                .zip(windows)
                .all(|(a, b)| same(a.0 .0, b.0) && same(a.1 .0, b.1))
    }
}

pub(super) fn series_rec(s: &TimeSeries) -> SeriesRec {
    let counts = s
        .counts
        .iter()
        .map(|c| {
            let BinCounts {
                arrivals,
                served,
                overflow,
                rejected,
                abandoned,
                interrupted,
                redispatched,
            } = *c;
            [
                arrivals,
                served,
                overflow,
                rejected,
                abandoned,
                interrupted,
                redispatched,
            ]
        })
        .collect();
    SeriesRec {
        bin_s: F(s.bin_s),
        regions: s.regions,
        lanes: s.lanes,
        counts,
        overflow_out: s.overflow_out.clone(),
        busy_area: fs(&s.busy_area),
        capacity_area: fs(&s.limit_area),
        peak: s.peak.clone(),
        by_population: s.by_population.iter().map(population_rec).collect(),
        runs: s.runs,
    }
}

fn population_rec(c: &PopulationBin) -> ([u64; 5], F) {
    let PopulationBin {
        arrivals,
        served,
        overflow,
        rejected,
        abandoned,
        rtt_sum_ms,
    } = *c;
    (
        [arrivals, served, overflow, rejected, abandoned],
        F(rtt_sum_ms),
    )
}

pub(super) fn timeline_rec(t: &TimelineStats) -> TimelineRec {
    let TimelineStats {
        windows,
        impacts,
        rejoin,
    } = t;
    let impacts = impacts
        .iter()
        .map(|i| {
            let Impact {
                interrupted,
                redispatched,
                inside,
            } = i;
            let Outcomes {
                served,
                overflow,
                rejected,
                abandoned,
            } = *inside;
            [
                *interrupted,
                *redispatched,
                served,
                overflow,
                rejected,
                abandoned,
            ]
        })
        .collect();
    TimelineRec {
        windows: windows.iter().map(|&(a, b)| (F(a), F(b))).collect(),
        impacts,
        rejoin: DistRec::of(rejoin),
    }
}

pub(super) fn build_series(s: SeriesRec, shape: &TimeSeries) -> Result<TimeSeries, String> {
    let cells = shape.bins() * shape.lanes;
    if s.counts.len() != shape.bins()
        || s.regions != shape.regions
        || s.lanes != shape.lanes
        || s.overflow_out.len() != shape.bins() * shape.regions
        || s.busy_area.len() != cells
        || s.capacity_area.len() != cells
        || s.peak.len() != cells
        || s.by_population.len() != shape.by_population.len()
    {
        return Err("the time series does not match its layout".into());
    }
    let mut series = shape.clone();
    series.bin_s = s.bin_s.0;
    series.counts = s
        .counts
        .into_iter()
        .map(|c| {
            let [arrivals, served, overflow, rejected, abandoned, interrupted, redispatched] = c;
            BinCounts {
                arrivals,
                served,
                overflow,
                rejected,
                abandoned,
                interrupted,
                redispatched,
            }
        })
        .collect();
    series.overflow_out = s.overflow_out;
    series.busy_area = unfs(s.busy_area);
    series.limit_area = unfs(s.capacity_area);
    series.peak = s.peak;
    series.by_population = s
        .by_population
        .into_iter()
        .map(
            |([arrivals, served, overflow, rejected, abandoned], rtt)| PopulationBin {
                arrivals,
                served,
                overflow,
                rejected,
                abandoned,
                rtt_sum_ms: rtt.0,
            },
        )
        .collect();
    series.runs = s.runs;
    Ok(series)
}

pub(super) fn build_timeline(t: TimelineRec) -> Result<TimelineStats, String> {
    let impacts = t
        .impacts
        .into_iter()
        .map(
            |[interrupted, redispatched, served, overflow, rejected, abandoned]| Impact {
                interrupted,
                redispatched,
                inside: Outcomes {
                    served,
                    overflow,
                    rejected,
                    abandoned,
                },
            },
        )
        .collect();
    Ok(TimelineStats {
        windows: t.windows.iter().map(|&(a, b)| (a.0, b.0)).collect(),
        impacts,
        rejoin: t.rejoin.build()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A series with counts per population (the planner's) is carried
    /// exactly through a part's text and its shape check; one without them
    /// writes no `by_population` field, so such parts are unchanged.
    #[test]
    fn population_counts_round_trip_exactly_and_are_absent_without_them() {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/tests/tiny.json"
        ));
        let world = crate::scenario::load(path).unwrap();
        let planner = crate::experiment::plan::hourly::hourly_world(&world);
        let s = crate::engine::simulate(&planner, 0, &()).series;
        assert!(s.by_population.iter().any(|c| c.rtt_sum_ms > 0.0));
        let text = serde_json::to_string(&series_rec(&s)).unwrap();
        let back: SeriesRec = serde_json::from_str(&text).unwrap();
        let built = build_series(back, &s).unwrap();
        assert_eq!(built.by_population, s.by_population);
        let plain = crate::engine::simulate(&world, 0, &()).series;
        assert!(plain.by_population.is_empty());
        let text = serde_json::to_string(&series_rec(&plain)).unwrap();
        assert!(!text.contains("by_population"), "{}", &text[..200]);
    }
}
