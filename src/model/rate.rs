//! Time-varying arrival rates: a 24-hour profile in local time (or a 168-hour
//! one, a week from Monday 00:00 local), turned into a piecewise-constant rate
//! over UTC time that repeats every day (or week; time 0 is then Monday
//! 00:00 UTC).
//!
//! Piecewise-constant rates let the engine sample the non-homogeneous Poisson
//! process exactly by inversion of its integrated rate (no thinning waste), and
//! make the integral of the rate over any window exact for validation.

/// Seconds in a day.
pub const DAY_S: f64 = 86_400.0;
/// Arrivals later than this (seconds, about 31 700 years, far past any allowed
/// horizon) are reported as none: it bounds the sampler's loop for every
/// positive rate, however tiny, before clock arithmetic loses whole segments.
pub const LAST_ARRIVAL_S: f64 = 1e12;
const HOUR_S: f64 = 3_600.0;
/// Seconds in a week.
pub const WEEK_S: f64 = 7.0 * DAY_S;

/// Named 24-hour shapes, local time, peak normalised to 1.
pub fn named_profile(name: &str) -> Option<[f64; 24]> {
    Some(match name {
        "flat" => [1.0; 24],
        // Work tools: office hours peak around 10:00 and 15:00.
        "business" => [
            0.05, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.35, 0.65, 0.9, 1.0, 0.95, 0.8, 0.9, 1.0,
            0.95, 0.85, 0.65, 0.4, 0.25, 0.18, 0.13, 0.1, 0.07,
        ],
        // Consumer apps: a daytime plateau and an evening peak around 21:00.
        "evening" => [
            0.3, 0.18, 0.1, 0.06, 0.05, 0.06, 0.12, 0.25, 0.38, 0.45, 0.5, 0.55, 0.6, 0.58, 0.55,
            0.55, 0.6, 0.68, 0.78, 0.88, 0.96, 1.0, 0.85, 0.55,
        ],
        // A smooth day: a sinusoid peaking at 14:00 with a trough of 0.2 at 02:00.
        "diurnal" => {
            let mut p = [0.0; 24];
            for (h, v) in p.iter_mut().enumerate() {
                let phase = (h as f64 + 0.5 - 14.0) / 24.0 * std::f64::consts::TAU;
                *v = 0.6 + 0.4 * phase.cos();
            }
            p
        }
        _ => return None,
    })
}

/// The names [`named_profile`] knows, for error messages and docs.
pub const PROFILE_NAMES: &[&str] = &["flat", "business", "evening", "diurnal"];

/// A piecewise-constant rate (arrivals per second) over UTC time that repeats
/// every day, or every week for a weekly profile.
#[derive(Debug, Clone)]
pub struct DailyRate {
    /// Segment starts within the period (seconds), ascending, first is 0.
    starts: Vec<f64>,
    /// Rate in each segment, arrivals per second.
    rates: Vec<f64>,
    /// Integral of the rate over one period.
    daily_integral: f64,
    max_rate: f64,
    /// The period: a day, or a week.
    period: f64,
}

/// Where an arrival process stands in its rate function: the sampler's state.
#[derive(Debug, Clone, Copy, Default)]
pub struct RateCursor {
    seg: usize,
    day_start: f64,
}

impl DailyRate {
    /// Build from a peak rate (per second), hourly multipliers in local time
    /// (24, or 168 for a week from Monday 00:00 local) and the population's
    /// UTC offset in hours (may be fractional, e.g. +5.5).
    pub fn from_local_profile(peak_per_s: f64, profile: &[f64], utc_offset_h: f64) -> Self {
        let hours = profile.len() as f64;
        let period = hours * HOUR_S;
        // Local hour h covers UTC hours [h - offset, h - offset + 1) modulo the period.
        let mut pieces: Vec<(f64, f64)> = Vec::with_capacity(profile.len() + 2);
        for (h, m) in profile.iter().enumerate() {
            let start = (h as f64 - utc_offset_h).rem_euclid(hours) * HOUR_S;
            let end = start + HOUR_S;
            let rate = peak_per_s * m;
            if end <= period + 1e-9 {
                pieces.push((start, rate));
            } else {
                pieces.push((start, rate));
                pieces.push((0.0, rate)); // the part after the period's start
            }
        }
        pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Drop zero-length pieces produced by rounding (same start twice).
        let mut starts = Vec::with_capacity(pieces.len());
        let mut rates = Vec::with_capacity(pieces.len());
        for (s, r) in pieces {
            if let Some(last) = starts.last() {
                if (s - last) < 1e-6 {
                    // Same start: the later-sorted piece is the one that truly starts here
                    // only if it is the wrapped tail; keep the first (the sort is stable).
                    continue;
                }
            }
            starts.push(s);
            rates.push(r);
        }
        let mut daily_integral = 0.0;
        for i in 0..starts.len() {
            let end = starts.get(i + 1).copied().unwrap_or(period);
            daily_integral += rates[i] * (end - starts[i]);
        }
        let max_rate = rates.iter().copied().fold(0.0, f64::max);
        Self {
            starts,
            rates,
            daily_integral,
            max_rate,
            period,
        }
    }

    /// The period after which the rate repeats: a day or a week, seconds.
    pub fn period(&self) -> f64 {
        self.period
    }

    /// The rate at absolute time t (seconds since the run's UTC midnight).
    pub fn rate_at(&self, t: f64) -> f64 {
        let tod = t.rem_euclid(self.period);
        let i = self.starts.partition_point(|s| *s <= tod).saturating_sub(1);
        self.rates[i]
    }

    /// Highest rate of the day.
    pub fn max_rate(&self) -> f64 {
        self.max_rate
    }

    /// Integral of the rate over [a, b]: the expected number of arrivals.
    pub fn integral(&self, a: f64, b: f64) -> f64 {
        if b <= a {
            return 0.0;
        }
        self.cumulative(b) - self.cumulative(a)
    }

    fn cumulative(&self, t: f64) -> f64 {
        let days = (t / self.period).floor();
        let tod = t - days * self.period;
        let mut acc = days * self.daily_integral;
        for i in 0..self.starts.len() {
            let s = self.starts[i];
            if s >= tod {
                break;
            }
            let e = self
                .starts
                .get(i + 1)
                .copied()
                .unwrap_or(self.period)
                .min(tod);
            acc += self.rates[i] * (e - s);
        }
        acc
    }

    /// A cursor positioned at time t.
    pub fn cursor_at(&self, t: f64) -> RateCursor {
        let day_start = (t / self.period).floor() * self.period;
        let tod = t - day_start;
        let seg = self.starts.partition_point(|s| *s <= tod).saturating_sub(1);
        RateCursor { seg, day_start }
    }

    /// The time of the next arrival after `t`, given `e` ~ Exp(1): the s with
    /// integral(t, s) = e. `None` if the rate is zero all day or the arrival
    /// would come after [`LAST_ARRIVAL_S`]. Every call ends after at most two
    /// days' segments: whole days are skipped arithmetically and a clock past
    /// `LAST_ARRIVAL_S` (or not finite) stops the walk.
    #[inline]
    pub fn next_arrival(&self, cur: &mut RateCursor, mut t: f64, mut e: f64) -> Option<f64> {
        if !(self.daily_integral > 0.0 && self.daily_integral.is_finite()) {
            return None;
        }
        // Whole days first, so a long quiet stretch costs O(segments), not O(days).
        loop {
            let end = cur.day_start + self.starts.get(cur.seg + 1).copied().unwrap_or(self.period);
            let r = self.rates[cur.seg];
            let cap = r * (end - t);
            if r > 0.0 && e <= cap {
                let at = t + e / r;
                return (at <= LAST_ARRIVAL_S).then_some(at);
            }
            e -= cap;
            t = end;
            cur.seg += 1;
            if cur.seg == self.starts.len() {
                cur.seg = 0;
                cur.day_start += self.period;
                if e > self.daily_integral {
                    let skip = (e / self.daily_integral).floor() - 1.0;
                    if skip > 0.0 {
                        e -= skip * self.daily_integral;
                        cur.day_start += skip * self.period;
                        t = cur.day_start;
                    }
                }
                // Also false for a clock that overflowed to infinity or NaN.
                if cur.day_start.is_nan() || cur.day_start > LAST_ARRIVAL_S {
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_is_shifted_by_utc_offset() {
        let mut p = [0.0; 24];
        p[9] = 1.0; // 09:00-10:00 local
        let r = DailyRate::from_local_profile(2.0, &p, 5.5); // India
                                                             // 09:00 IST = 03:30 UTC
        assert_eq!(r.rate_at(3.5 * HOUR_S + 1.0), 2.0);
        assert_eq!(r.rate_at(3.5 * HOUR_S - 1.0), 0.0);
        assert_eq!(r.rate_at(4.5 * HOUR_S + 1.0), 0.0);
        assert!((r.integral(0.0, DAY_S) - 2.0 * HOUR_S).abs() < 1e-6);
    }

    #[test]
    fn negative_offsets_wrap_around_midnight() {
        let mut p = [0.0; 24];
        p[20] = 1.0; // 20:00 local in New York (UTC-5) = 01:00 UTC next day
        let r = DailyRate::from_local_profile(1.0, &p, -5.0);
        assert_eq!(r.rate_at(HOUR_S + 10.0), 1.0);
        assert!((r.integral(0.0, 3.0 * DAY_S) - 3.0 * HOUR_S).abs() < 1e-6);
    }

    #[test]
    fn inversion_walks_segments_exactly() {
        let mut p = [0.0; 24];
        p[1] = 1.0;
        let r = DailyRate::from_local_profile(0.5, &p, 0.0);
        let mut cur = r.cursor_at(0.0);
        // integral needed 1.0 at rate 0.5 inside [3600, 7200): arrival at 3602.
        let t = r.next_arrival(&mut cur, 0.0, 1.0).unwrap();
        assert!((t - 3602.0).abs() < 1e-9);
        // A full day's integral (1800) plus 1 lands a day later.
        let t2 = r.next_arrival(&mut cur, t, 1800.0).unwrap();
        assert!((t2 - (3602.0 + DAY_S)).abs() < 1e-6, "{t2}");
        let mut cur = r.cursor_at(0.0);
        let far = r.next_arrival(&mut cur, 0.0, 1800.0 * 10.0 + 1.0).unwrap();
        assert!((far - (10.0 * DAY_S + 3602.0)).abs() < 1e-6, "{far}");
    }

    #[test]
    fn tiny_and_subnormal_rates_end_instead_of_spinning() {
        for peak in [1e-310, 5e-324, 1e-300, 1e-20, 1e-12] {
            let r = DailyRate::from_local_profile(peak, &[1.0; 24], 5.5);
            let mut cur = r.cursor_at(0.0);
            for e in [1e-300, 1e-9, 1.0, 50.0] {
                let t = r.next_arrival(&mut cur, 0.0, e);
                assert!(t.is_none_or(|t| t <= LAST_ARRIVAL_S), "{peak} {e} {t:?}");
            }
        }
    }

    #[test]
    fn weekly_profile_repeats_every_week() {
        let mut p = vec![0.0; 168];
        p[24 + 9] = 1.0; // Tuesday 09:00-10:00 local
        let r = DailyRate::from_local_profile(1.0, &p, 2.0);
        assert_eq!(r.period(), 7.0 * DAY_S);
        assert_eq!(r.rate_at(DAY_S + 7.5 * HOUR_S), 1.0);
        assert_eq!(r.rate_at(2.0 * DAY_S + 7.5 * HOUR_S), 0.0);
        assert_eq!(r.rate_at(8.0 * DAY_S + 7.5 * HOUR_S), 1.0);
        assert!((r.integral(0.0, 14.0 * DAY_S) - 2.0 * HOUR_S).abs() < 1e-6);
        let mut cur = r.cursor_at(0.0);
        let t = r.next_arrival(&mut cur, 0.0, HOUR_S + 1.0).unwrap();
        assert!((t - (8.0 * DAY_S + 7.0 * HOUR_S + 1.0)).abs() < 1e-6, "{t}");
    }

    #[test]
    fn zero_rate_never_arrives() {
        let r = DailyRate::from_local_profile(0.0, &[1.0; 24], 0.0);
        let mut cur = r.cursor_at(0.0);
        assert!(r.next_arrival(&mut cur, 0.0, 1.0).is_none());
    }
}
