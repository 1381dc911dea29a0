//! A streaming distribution of non-negative values in milliseconds: exact count,
//! sum and maximum, and an HDR histogram (0.1 % relative precision) for
//! percentiles. Fixed memory whatever the number of values; merging is exact.

use hdrhistogram::Histogram;

/// Values are stored in microseconds of the reported millisecond unit.
const SCALE: f64 = 1000.0;
/// Highest trackable value: 10^11 us = about 28 hours; larger values saturate.
const HIGHEST: u64 = 100_000_000_000;

/// Streaming distribution of millisecond values.
#[derive(Debug, Clone)]
pub struct Distribution {
    hist: Histogram<u64>,
    count: u64,
    sum: f64,
    max: f64,
}

impl Default for Distribution {
    fn default() -> Self {
        Self::new()
    }
}

impl Distribution {
    /// An empty distribution.
    pub fn new() -> Self {
        Self {
            hist: Histogram::new_with_bounds(1, HIGHEST, 3).expect("constant bounds are valid"),
            count: 0,
            sum: 0.0,
            max: 0.0,
        }
    }

    /// Add one value (ms).
    #[inline]
    pub fn record(&mut self, ms: f64) {
        self.hist.saturating_record((ms * SCALE) as u64);
        self.count += 1;
        self.sum += ms;
        if ms > self.max {
            self.max = ms;
        }
    }

    /// Fold another distribution in.
    pub fn merge(&mut self, other: &Distribution) {
        self.hist.add(&other.hist).expect("same bounds");
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// Largest value seen.
    pub fn max(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.max
        }
    }

    /// The q-quantile, 0 <= q <= 1 (NaN when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.hist.value_at_quantile(q) as f64 / SCALE
        }
    }

    /// Share of values <= x (ms), within histogram precision.
    pub fn cdf(&self, x: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let v = (x * SCALE) as u64;
        let below: u64 = self
            .hist
            .iter_recorded()
            .filter(|i| i.value_iterated_to() <= v)
            .map(|i| i.count_at_value())
            .sum();
        below as f64 / self.hist.len() as f64
    }

    /// (value ms, cumulative share) points, one per recorded bucket: for CDF charts.
    pub fn cdf_points(&self) -> Vec<(f64, f64)> {
        let total = self.hist.len() as f64;
        let mut acc = 0u64;
        self.hist
            .iter_recorded()
            .map(|i| {
                acc += i.count_at_value();
                (i.value_iterated_to() as f64 / SCALE, acc as f64 / total)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_precision_and_merge_is_exact() {
        let mut a = Distribution::new();
        let mut b = Distribution::new();
        for i in 1..=1000 {
            if i % 2 == 0 {
                a.record(i as f64)
            } else {
                b.record(i as f64)
            }
        }
        a.merge(&b);
        assert_eq!(a.count(), 1000);
        assert!((a.mean() - 500.5).abs() < 1e-9);
        assert!((a.quantile(0.5) - 500.0).abs() <= 0.5);
        assert!((a.quantile(0.99) - 990.0).abs() <= 1.0);
        assert_eq!(a.max(), 1000.0);
        assert!(Distribution::new().mean().is_nan());
    }
}
