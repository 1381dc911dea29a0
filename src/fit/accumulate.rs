//! One pass over a log: every row lands in fixed-size structures (per band 168
//! hour-of-week counts and two latency distributions, per place a count and a
//! position sum, the durations' statistics), and every bad row is counted by
//! reason with the first [`LISTED`] kept with their line numbers. Memory does
//! not grow with the number of rows.

use super::durations::Durations;
use super::places::{Places, BANDS};
use crate::data::time::{hour_of_week, WEEK_H};
use crate::data::{Row, RowError};
use crate::stats::Distribution;

/// Bad rows kept with their line and reason.
pub const LISTED: usize = 1000;
/// Distinct serving-region names tracked; more are counted as `other`.
pub const MAX_REGIONS: usize = 64;

/// One time-zone band's sessions.
#[derive(Debug, Clone)]
pub struct Band {
    /// Sessions per hour of the week (Monday 00:00 UTC = 0).
    pub counts: [u64; WEEK_H],
    /// Join latencies given, ms.
    pub join_ms: Distribution,
    /// Media RTTs given, ms.
    pub rtt_ms: Distribution,
    /// Sessions per serving region (index into [`Accumulator::regions`]).
    pub served_by: Vec<u64>,
}

impl Default for Band {
    fn default() -> Self {
        Self {
            counts: [0; WEEK_H],
            join_ms: Distribution::new(),
            rtt_ms: Distribution::new(),
            served_by: Vec::new(),
        }
    }
}

/// Bad rows: how many, by reason, and the first ones.
#[derive(Debug, Clone, Default)]
pub struct BadRows {
    /// How many.
    pub count: u64,
    /// (reason kind, count), in order of first appearance.
    pub by_kind: Vec<(&'static str, u64)>,
    /// (line, reason) of the first [`LISTED`].
    pub listed: Vec<(u64, String)>,
}

/// Everything a log pass keeps.
#[derive(Debug)]
pub struct Accumulator {
    /// Good rows.
    pub good: u64,
    /// Bad rows.
    pub bad: BadRows,
    /// Places of the good rows.
    pub places: Places,
    /// Per band, UTC-12 .. UTC+12.
    pub bands: Vec<Band>,
    /// Durations of the good rows.
    pub durations: Durations,
    /// Earliest and latest start, Unix seconds.
    pub first_s: f64,
    /// Latest start.
    pub last_s: f64,
    /// Serving-region names in order of first appearance (`other` last if full).
    pub regions: Vec<String>,
}

impl Default for Accumulator {
    fn default() -> Self {
        Self::new()
    }
}

impl Accumulator {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self {
            good: 0,
            bad: BadRows::default(),
            places: Places::default(),
            bands: vec![Band::default(); BANDS],
            durations: Durations::new(),
            first_s: f64::INFINITY,
            last_s: f64::NEG_INFINITY,
            regions: Vec::new(),
        }
    }

    /// Rows read, good and bad.
    pub fn rows(&self) -> u64 {
        self.good + self.bad.count
    }

    /// Count a good row.
    pub fn add(&mut self, row: &Row<'_>) {
        self.good += 1;
        let place = self.places.add(row.place);
        let b = self.places.list[place].band;
        self.first_s = self.first_s.min(row.start_s);
        self.last_s = self.last_s.max(row.start_s);
        self.durations.record(row.duration_s);
        let region = row.region.map(|r| self.region_index(r));
        let band = &mut self.bands[b];
        band.counts[hour_of_week(row.start_s)] += 1;
        if let Some(j) = row.join_ms {
            band.join_ms.record(j);
        }
        if let Some(r) = row.rtt_ms {
            band.rtt_ms.record(r);
        }
        if let Some(r) = region {
            if band.served_by.len() <= r {
                band.served_by.resize(r + 1, 0);
            }
            band.served_by[r] += 1;
        }
    }

    fn region_index(&mut self, name: &str) -> usize {
        if let Some(i) = self.regions.iter().position(|r| r == name) {
            return i;
        }
        if self.regions.len() + 1 < MAX_REGIONS {
            self.regions.push(name.to_string());
            return self.regions.len() - 1;
        }
        if self.regions.last().is_none_or(|r| r != "other") {
            self.regions.push("other".into());
        }
        self.regions.len() - 1
    }

    /// Count a bad row.
    pub fn add_bad(&mut self, line: u64, why: &RowError) {
        let bad = &mut self.bad;
        bad.count += 1;
        let kind = why.kind();
        match bad.by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => bad.by_kind.push((kind, 1)),
        }
        if bad.listed.len() < LISTED {
            bad.listed.push((line, why.to_string()));
        }
    }
}
