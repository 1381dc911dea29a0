//! Demand from a session log: one streaming pass ([`accumulate`]) into
//! bounded structures, then populations (places grouped by solar time zone,
//! weighted by their sessions), each band's arrival profile and peak rate
//! ([`profile`]), and the session-duration law ([`laws`]). No file is written
//! here: `report::write_fit` renders the outcome and `scenario::fragment`
//! spells it as scenario JSON.

pub mod accumulate;
pub mod durations;
pub mod laws;
pub mod places;
pub mod profile;

use std::path::Path;

use accumulate::{Accumulator, BadRows};
use laws::LawFit;
use places::PlaceStats;
use profile::Profile;

use crate::data::time::WEEK_H;
use crate::data::{LogError, LogReader};
use crate::model::geo::LatLon;

/// How `fit` judges the data.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Level of the confidence intervals (rates, law parameters).
    pub confidence: f64,
    /// Level of the weekly-versus-daily test.
    pub alpha: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            confidence: 0.95,
            alpha: 0.01,
        }
    }
}

/// A log read in one pass.
#[derive(Debug)]
pub struct LogPass {
    /// What the rows said.
    pub acc: Accumulator,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Header columns not read.
    pub ignored: Vec<String>,
    /// Whether the log had serving-region, join and RTT columns.
    pub optional: (bool, bool, bool),
}

/// Read a whole log, counting every row.
pub fn read_log(path: &Path) -> Result<LogPass, LogError> {
    let mut rdr = LogReader::open(path)?;
    let ignored = rdr.ignored_columns().to_vec();
    let optional = rdr.has_optional();
    let mut acc = Accumulator::new();
    while let Some(r) = rdr.next_row()? {
        match r {
            Ok(row) => acc.add(&row),
            Err((line, why)) => acc.add_bad(line, &why),
        }
    }
    Ok(LogPass {
        acc,
        sha256: rdr.sha256(),
        ignored,
        optional,
    })
}

/// A place of a fitted population.
#[derive(Debug, Clone)]
pub struct FittedPlace {
    /// Display name.
    pub name: String,
    /// Position.
    pub location: LatLon,
    /// Sessions.
    pub sessions: u64,
}

/// One population of the fitted scenario.
#[derive(Debug, Clone)]
pub struct FittedPopulation {
    /// Identifier.
    pub name: String,
    /// Hours east of UTC (solar: round(lon / 15) of its places).
    pub utc_offset_h: i64,
    /// Sessions.
    pub sessions: u64,
    /// Its places, most sessions first.
    pub places: Vec<FittedPlace>,
    /// The fitted profile in UTC.
    pub profile: Profile,
    /// Peak rate per hour.
    pub peak_per_hour: f64,
    /// Multipliers in local hours (24 or 168, Monday 00:00 local first).
    pub local_profile: Vec<f64>,
    /// Observed join latency (p50, p95, p99), ms, if the log gave it.
    pub join_ms: Option<[f64; 3]>,
    /// Observed media RTT (p50, p95, p99), ms.
    pub rtt_ms: Option<[f64; 3]>,
    /// Sessions per serving region name.
    pub served_by: Vec<(String, u64)>,
    /// Sessions per hour of the week (UTC) and hours observed, for charts.
    pub week_counts: [u64; WEEK_H],
}

/// Everything `fit` found.
#[derive(Debug, Clone)]
pub struct FitOutcome {
    /// Good and bad rows.
    pub good: u64,
    /// Bad rows.
    pub bad: BadRows,
    /// First and last start, Unix seconds.
    pub window: (f64, f64),
    /// Hours observed per hour of the week.
    pub exposure: [u64; WEEK_H],
    /// Populations, most sessions first.
    pub populations: Vec<FittedPopulation>,
    /// Duration laws, best first (empty with fewer than two durations > 0).
    pub laws: Vec<LawFit>,
    /// Empirical duration quantiles (probability, seconds), zeros included.
    pub quantiles: Vec<(f64, f64)>,
    /// (probability, empirical quantile in seconds) of the durations > 0 at
    /// 1 %, 2 %, ..., 99 %, for the QQ plot.
    pub qq: Vec<(f64, f64)>,
    /// Durations of 0 left out of the laws.
    pub zero_durations: u64,
    /// Mean duration, seconds.
    pub mean_duration_s: f64,
    /// The options used.
    pub options: Options,
}

/// Probabilities of the reported empirical quantiles.
pub const QUANTILES: [f64; 9] = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t: String = out.trim_matches(['-', '.']).chars().take(40).collect();
    if t.is_empty() {
        "place".into()
    } else {
        t.trim_end_matches('-').to_string()
    }
}

fn quantiles3(d: &crate::stats::Distribution) -> Option<[f64; 3]> {
    (d.count() > 0).then(|| d.quantiles([0.5, 0.95, 0.99]))
}

/// Turn a log pass into populations, profiles and laws.
pub fn fit(pass: &LogPass, opts: Options) -> FitOutcome {
    let acc = &pass.acc;
    let exposure = profile::exposure(acc.first_s, acc.last_s);
    let mut places: Vec<&PlaceStats> = acc.places.list.iter().collect();
    places.sort_by(|a, b| b.count.cmp(&a.count).then(a.name().cmp(&b.name())));
    let mut pops: Vec<FittedPopulation> = Vec::new();
    for (b, band) in acc.bands.iter().enumerate() {
        let mine: Vec<&&PlaceStats> = places.iter().filter(|p| p.band == b).collect();
        if mine.is_empty() {
            continue;
        }
        let offset = b as i64 - 12;
        let prof = profile::fit(&band.counts, &exposure, opts.alpha, opts.confidence);
        let (peak, shape) = profile::local(&prof.rates, offset);
        pops.push(FittedPopulation {
            name: slug(&mine[0].name()),
            utc_offset_h: offset,
            sessions: band.counts.iter().sum(),
            places: mine
                .iter()
                .map(|p| FittedPlace {
                    name: p.name(),
                    location: p.location(),
                    sessions: p.count,
                })
                .collect(),
            profile: prof,
            peak_per_hour: peak,
            local_profile: shape,
            join_ms: quantiles3(&band.join_ms),
            rtt_ms: quantiles3(&band.rtt_ms),
            served_by: band
                .served_by
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (acc.regions[i].clone(), n))
                .collect(),
            week_counts: band.counts,
        });
    }
    pops.sort_by(|a, b| b.sessions.cmp(&a.sessions).then(a.name.cmp(&b.name)));
    unique_names(&mut pops);
    let d = &acc.durations;
    FitOutcome {
        good: acc.good,
        bad: acc.bad.clone(),
        window: (acc.first_s, acc.last_s),
        exposure,
        populations: pops,
        laws: laws::fit_all(d, opts.confidence),
        quantiles: if d.dist.count() > 0 {
            QUANTILES
                .iter()
                .map(|&p| (p, d.dist.quantile(p) / 1000.0))
                .collect()
        } else {
            Vec::new()
        },
        qq: if d.n > 0 {
            (1..100)
                .map(|i| f64::from(i) / 100.0)
                .map(|p| (p, d.hist_quantile(p)))
                .collect()
        } else {
            Vec::new()
        },
        zero_durations: d.zeros,
        mean_duration_s: d.dist.mean() / 1000.0,
        options: opts,
    }
}

fn unique_names(pops: &mut [FittedPopulation]) {
    for i in 0..pops.len() {
        let base = pops[i].name.clone();
        let mut k = 2;
        while pops[..i].iter().any(|p| p.name == pops[i].name) {
            pops[i].name = format!("{base}-{k}");
            k += 1;
        }
    }
}
