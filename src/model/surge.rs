//! Flash crowds: a population's arrival rate multiplied by a factor over a time
//! window, on top of its daily profile.
//!
//! Windows are flattened into disjoint segments with one multiplier each (the
//! product of the windows covering it), so the rate stays piecewise constant and
//! the next arrival is still found exactly by inverting the integrated rate, one
//! segment at a time.

use super::rate::{DailyRate, RateCursor};

/// A stretch of time over which a population's rate is multiplied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Surge {
    /// Start, seconds from the run's start.
    pub start_s: f64,
    /// End (exclusive), seconds.
    pub end_s: f64,
    /// Rate multiplier (0 silences the population).
    pub factor: f64,
    /// The flash crowd behind it (its index in the scenario's `timeline`);
    /// for a flattened stretch, the one with the largest factor over it, so
    /// messages about the stretch point at the field that weighs most.
    pub event: usize,
}

/// Disjoint, sorted segments equivalent to possibly overlapping `windows`.
pub fn flatten(windows: &[Surge]) -> Vec<Surge> {
    let mut cuts: Vec<f64> = windows.iter().flat_map(|w| [w.start_s, w.end_s]).collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|c| {
            let mid = 0.5 * (c[0] + c[1]);
            let covering = || windows.iter().filter(|w| w.start_s <= mid && mid < w.end_s);
            let top = covering().reduce(|a, b| if b.factor > a.factor { b } else { a })?;
            Some(Surge {
                start_s: c[0],
                end_s: c[1],
                factor: covering().fold(1.0, |acc, w| acc * w.factor),
                event: top.event,
            })
        })
        .collect()
}

/// The multiplier in force at `t` and when it next changes.
fn at(segments: &[Surge], t: f64) -> (f64, f64) {
    for s in segments {
        if t < s.start_s {
            return (1.0, s.start_s);
        }
        if t < s.end_s {
            return (s.factor, s.end_s);
        }
    }
    (1.0, f64::INFINITY)
}

/// The next arrival after `t` of `rate` multiplied by `segments` (flattened),
/// given `e` ~ Exp(1): the s with integral(t, s) of the multiplied rate = e.
/// `None` if no arrival ever comes.
pub fn next_arrival(
    rate: &DailyRate,
    segments: &[Surge],
    cur: &mut RateCursor,
    mut t: f64,
    mut e: f64,
) -> Option<f64> {
    loop {
        let (m, until) = at(segments, t);
        if m > 0.0 {
            let s = rate.next_arrival(cur, t, e / m)?;
            if s < until {
                return Some(s);
            }
            e = (e - m * rate.integral(t, until)).max(0.0);
        }
        if until == f64::INFINITY {
            return None;
        }
        t = until;
        *cur = rate.cursor_at(t);
    }
}

/// The multiplied rate at `t`, arrivals per second.
pub fn rate_at(rate: &DailyRate, segments: &[Surge], t: f64) -> f64 {
    at(segments, t).0 * rate.rate_at(t)
}

/// Integral of the multiplied rate over [a, b]: the expected number of arrivals.
pub fn integral(rate: &DailyRate, segments: &[Surge], a: f64, b: f64) -> f64 {
    let mut total = rate.integral(a, b);
    for s in segments {
        let (lo, hi) = (s.start_s.max(a), s.end_s.min(b));
        if hi > lo {
            total += (s.factor - 1.0) * rate.integral(lo, hi);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_windows_multiply() {
        let w = [
            Surge {
                start_s: 0.0,
                end_s: 10.0,
                factor: 2.0,
                event: 0,
            },
            Surge {
                start_s: 5.0,
                end_s: 15.0,
                factor: 3.0,
                event: 1,
            },
        ];
        let f = flatten(&w);
        let got: Vec<_> = f.iter().map(|s| (s.start_s, s.end_s, s.factor)).collect();
        assert_eq!(
            got,
            vec![(0.0, 5.0, 2.0), (5.0, 10.0, 6.0), (10.0, 15.0, 3.0)]
        );
        // Each stretch names the crowd with the largest factor over it.
        let events: Vec<_> = f.iter().map(|s| s.event).collect();
        assert_eq!(events, vec![0, 1, 1]);
    }

    #[test]
    fn inversion_crosses_segments_exactly() {
        let rate = DailyRate::from_local_profile(1.0, &[1.0; 24], 0.0);
        let seg = flatten(&[Surge {
            start_s: 10.0,
            end_s: 20.0,
            factor: 4.0,
            event: 0,
        }]);
        let mut cur = rate.cursor_at(0.0);
        // 10 units before the surge, then 4 per second: 12 units land at 10.5.
        let t = next_arrival(&rate, &seg, &mut cur, 0.0, 12.0).unwrap();
        assert!((t - 10.5).abs() < 1e-12, "{t}");
        // Past the surge: 10 + 40 = 50 units reach 20; 5 more land at 25.
        let mut cur = rate.cursor_at(0.0);
        let t = next_arrival(&rate, &seg, &mut cur, 0.0, 55.0).unwrap();
        assert!((t - 25.0).abs() < 1e-9, "{t}");
        assert!((integral(&rate, &seg, 0.0, 25.0) - 55.0).abs() < 1e-9);
    }

    #[test]
    fn a_silenced_window_is_skipped() {
        let rate = DailyRate::from_local_profile(1.0, &[1.0; 24], 0.0);
        let seg = flatten(&[Surge {
            start_s: 0.0,
            end_s: 100.0,
            factor: 0.0,
            event: 0,
        }]);
        let mut cur = rate.cursor_at(0.0);
        let t = next_arrival(&rate, &seg, &mut cur, 0.0, 1.0).unwrap();
        assert!((t - 101.0).abs() < 1e-9, "{t}");
    }
}
