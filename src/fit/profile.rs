//! A band's arrival profile from its hour-of-week counts: the maximum
//! likelihood rate of each hour (sessions / hours observed, a Poisson
//! process's MLE), with exact (Garwood) Poisson intervals, and the choice
//! between one day repeated (24 rates) and a week (168 rates).
//!
//! The choice is a likelihood-ratio (G) test of the 24-hour model inside the
//! 168-hour one: under the daily model the count of weekday w at UTC hour h is
//! Poisson with mean (hours observed at (w, h)) x (rate of h), so
//! G = 2 sum C ln(C / E) is chi-square with (168 - 24) degrees of freedom
//! for a log covering every hour of the week. The week is chosen when the
//! daily model is rejected at level alpha; a log shorter than a week cannot
//! estimate every weekday and keeps the day.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::data::time::{hour_of_week, HOUR_S, WEEK_H};

/// The weekly-versus-daily test.
#[derive(Debug, Clone, Copy)]
pub struct WeeklyTest {
    /// G statistic (0 when not applicable).
    pub g: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// P-value of the daily model (1 when not applicable).
    pub p_value: f64,
    /// Whether every hour of the week was observed.
    pub applicable: bool,
}

/// A fitted profile in UTC hours.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The test's outcome.
    pub test: WeeklyTest,
    /// Rates (sessions per hour) by UTC hour of the day (24) or of the week
    /// (168, Monday 00:00 UTC first).
    pub rates: Vec<f64>,
    /// Their confidence intervals.
    pub intervals: Vec<(f64, f64)>,
    /// Sessions behind each rate.
    pub counts: Vec<u64>,
}

impl Profile {
    /// Whether the profile is weekly.
    pub fn weekly(&self) -> bool {
        self.rates.len() == WEEK_H
    }
}

/// Hours of the log's window [floor(first), floor(last)] falling on each hour
/// of the week.
pub fn exposure(first_s: f64, last_s: f64) -> [u64; WEEK_H] {
    let mut n = [0u64; WEEK_H];
    if first_s.is_nan() || last_s.is_nan() || first_s > last_s {
        return n;
    }
    let (h0, h1) = (
        (first_s / HOUR_S).floor() as i64,
        (last_s / HOUR_S).floor() as i64,
    );
    let span = (h1 - h0 + 1) as u64;
    let (weeks, rest) = (span / WEEK_H as u64, span % WEEK_H as u64);
    n.fill(weeks);
    let start = hour_of_week(h0 as f64 * HOUR_S);
    for k in 0..rest as usize {
        n[(start + k) % WEEK_H] += 1;
    }
    n
}

/// Exact Poisson interval of a rate from `c` events in `t` hours.
pub fn poisson_interval(c: u64, t: f64, confidence: f64) -> (f64, f64) {
    let a = 1.0 - confidence;
    let q = |df: f64, p: f64| ChiSquared::new(df).map_or(f64::NAN, |d| d.inverse_cdf(p)) / 2.0;
    let lo = if c == 0 {
        0.0
    } else {
        q(2.0 * c as f64, a / 2.0)
    };
    let hi = q(2.0 * c as f64 + 2.0, 1.0 - a / 2.0);
    (lo / t, hi / t)
}

/// The G test of the daily model against the weekly one.
pub fn weekly_test(counts: &[u64; WEEK_H], exposure: &[u64; WEEK_H]) -> WeeklyTest {
    let none = WeeklyTest {
        g: 0.0,
        df: 0.0,
        p_value: 1.0,
        applicable: false,
    };
    if exposure.contains(&0) {
        return none;
    }
    let mut g = 0.0;
    for h in 0..24 {
        let cells = (0..7).map(|w| w * 24 + h);
        let c_h: u64 = cells.clone().map(|i| counts[i]).sum();
        let n_h: u64 = cells.clone().map(|i| exposure[i]).sum();
        for i in cells {
            let e = exposure[i] as f64 * c_h as f64 / n_h as f64;
            if counts[i] > 0 {
                g += 2.0 * counts[i] as f64 * (counts[i] as f64 / e).ln();
            }
        }
    }
    let df = (WEEK_H - 24) as f64;
    let p_value = ChiSquared::new(df).map_or(1.0, |d| d.sf(g.max(0.0)));
    WeeklyTest {
        g,
        df,
        p_value,
        applicable: true,
    }
}

/// Fit a band's profile: weekly when the test rejects the day at `alpha`.
pub fn fit(
    counts: &[u64; WEEK_H],
    exposure: &[u64; WEEK_H],
    alpha: f64,
    confidence: f64,
) -> Profile {
    let test = weekly_test(counts, exposure);
    let weekly = test.applicable && test.p_value < alpha;
    let cells: Vec<(u64, u64)> = if weekly {
        (0..WEEK_H).map(|i| (counts[i], exposure[i])).collect()
    } else {
        (0..24)
            .map(|h| {
                let cells = (0..7).map(|w| w * 24 + h);
                (
                    cells.clone().map(|i| counts[i]).sum(),
                    cells.map(|i| exposure[i]).sum(),
                )
            })
            .collect()
    };
    Profile {
        test,
        rates: cells
            .iter()
            .map(|&(c, n)| if n > 0 { c as f64 / n as f64 } else { 0.0 })
            .collect(),
        intervals: cells
            .iter()
            .map(|&(c, n)| {
                if n > 0 {
                    poisson_interval(c, n as f64, confidence)
                } else {
                    (0.0, f64::INFINITY)
                }
            })
            .collect(),
        counts: cells.iter().map(|c| c.0).collect(),
    }
}

/// The profile in local hours of a clock `offset_h` hours east of UTC, as the
/// scenario's peak rate per hour and multipliers (largest 1).
pub fn local(rates_utc: &[f64], offset_h: i64) -> (f64, Vec<f64>) {
    let p = rates_utc.len() as i64;
    let peak = rates_utc.iter().copied().fold(0.0, f64::max);
    let shape = (0..p)
        .map(|l| {
            let r = rates_utc[(l - offset_h).rem_euclid(p) as usize];
            if peak > 0.0 {
                r / peak
            } else {
                0.0
            }
        })
        .collect();
    (peak, shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::time::RUN_EPOCH_UNIX_S;

    #[test]
    fn exposure_counts_whole_weeks_and_the_rest() {
        let n = exposure(RUN_EPOCH_UNIX_S, RUN_EPOCH_UNIX_S + 8.0 * 86_400.0 - 1.0);
        assert_eq!(n[0], 2);
        assert_eq!(n[24], 1);
        assert_eq!(n.iter().sum::<u64>(), 192);
    }

    #[test]
    fn garwood_interval_of_zero_and_many() {
        let (lo, hi) = poisson_interval(0, 1.0, 0.95);
        assert_eq!(lo, 0.0);
        assert!((hi - 3.689).abs() < 1e-3);
        let (lo, hi) = poisson_interval(10, 2.0, 0.95);
        assert!((lo - 4.795 / 2.0).abs() < 1e-3 && (hi - 18.39 / 2.0).abs() < 1e-2);
    }
}
