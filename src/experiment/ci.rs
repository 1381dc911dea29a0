//! Confidence intervals across replications: Welford's streaming mean and
//! variance per scalar, and Student-t half-widths.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::Summary;

/// Streaming mean and variance of every scalar of a series of summaries.
#[derive(Debug, Clone, Default)]
pub struct Welford {
    /// Summaries seen.
    pub n: u32,
    /// Running means, in `Summary::visit` order.
    pub mean: Vec<f64>,
    m2: Vec<f64>,
}

impl Welford {
    /// Add one replication's summary (taken `&mut` only to walk it).
    pub fn push(&mut self, s: &mut Summary) {
        self.n += 1;
        let n = self.n as f64;
        let mut i = 0;
        let first = self.n == 1;
        s.visit(&mut |_, v| {
            if first {
                self.mean.push(*v);
                self.m2.push(0.0);
            } else {
                let d = *v - self.mean[i];
                self.mean[i] += d / n;
                self.m2[i] += d * (*v - self.mean[i]);
            }
            i += 1;
        });
    }

    /// Sample variance of scalar i (n - 1 denominator; 0 with one sample).
    pub fn variance(&self, i: usize) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2[i] / (self.n - 1) as f64
        }
    }
}

/// Half-width of the two-sided Student-t confidence interval of a mean.
pub fn half_width(variance: f64, n: u32, confidence: f64) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    let dof = (n - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, dof)
        .expect("dof > 0")
        .inverse_cdf(0.5 + confidence / 2.0);
    t * (variance / n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_matches_tables() {
        // t_{0.975, 9} = 2.262; half-width = t * s / sqrt(n).
        let hw = half_width(1.0, 10, 0.95);
        assert!((hw - 2.2622 / 10f64.sqrt()).abs() < 1e-3, "{hw}");
    }
}
