//! Confidence intervals across replications: Welford's streaming mean and
//! variance per scalar (with the third and fourth central moments, whose
//! excess kurtosis says how far a spread from few replications can be
//! trusted), and Student-t half-widths (Welch's for two independent samples).

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Streaming mean and variance of each position of a series of equal-length vectors.
#[derive(Debug, Clone, Default)]
pub struct Welford {
    /// Vectors seen.
    pub n: u32,
    mean: Vec<f64>,
    m2: Vec<f64>,
    m3: Vec<f64>,
    m4: Vec<f64>,
    sum: Vec<f64>,
}

impl Welford {
    /// Add one observation vector.
    pub fn push(&mut self, x: &[f64]) {
        self.n += 1;
        if self.n == 1 {
            self.mean = x.to_vec();
            self.sum = x.to_vec();
            self.m2 = vec![0.0; x.len()];
            self.m3 = vec![0.0; x.len()];
            self.m4 = vec![0.0; x.len()];
            return;
        }
        for (s, &v) in self.sum.iter_mut().zip(x) {
            *s += v;
        }
        let n = self.n as f64;
        for (i, &v) in x.iter().enumerate() {
            let d = v - self.mean[i];
            // Higher moments first: their update reads the old M2 and M3
            // (Terriberry's extension of Welford's update).
            let (dn, m2) = (d / n, self.m2[i]);
            let term = d * dn * (n - 1.0);
            self.m4[i] += term * dn * dn * (n * n - 3.0 * n + 3.0) + 6.0 * dn * dn * m2
                - 4.0 * dn * self.m3[i];
            self.m3[i] += term * dn * (n - 2.0) - 3.0 * dn * m2;
            self.mean[i] += d / n;
            self.m2[i] += d * (v - self.mean[i]);
        }
    }

    /// Number of positions.
    pub fn len(&self) -> usize {
        self.sum.len()
    }

    /// Whether no vector was pushed.
    pub fn is_empty(&self) -> bool {
        self.sum.is_empty()
    }

    /// The means, as the plain sum in push order divided by n, so anyone summing
    /// the replications' values in order (replications.csv) gets exactly these.
    /// Welford's running mean serves the variance only.
    pub fn means(&self) -> Vec<f64> {
        let n = self.n as f64;
        self.sum.iter().map(|s| s / n).collect()
    }

    /// The mean at position i, as [`Welford::means`] computes it.
    pub fn mean(&self, i: usize) -> f64 {
        self.sum[i] / self.n as f64
    }

    /// Sample variance at position i (n - 1 denominator; 0 with one sample).
    pub fn variance(&self, i: usize) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2[i] / (self.n - 1) as f64
        }
    }

    /// Sample excess kurtosis at position i (G2, the bias-adjusted estimator;
    /// 0 below four samples or without spread): how much heavier than a
    /// normal's the tails are, so how noisy the variance estimate itself is.
    pub fn excess_kurtosis(&self, i: usize) -> f64 {
        let n = f64::from(self.n);
        if self.n < 4 || self.m2[i] <= 0.0 {
            return 0.0;
        }
        let g2 = n * self.m4[i] / (self.m2[i] * self.m2[i]) - 3.0;
        ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    }

    /// Half-widths of the confidence intervals of every mean.
    pub fn half_widths(&self, confidence: f64) -> Vec<f64> {
        (0..self.mean.len())
            .map(|i| half_width(self.variance(i), self.n, confidence))
            .collect()
    }
}

fn t_quantile(dof: f64, confidence: f64) -> f64 {
    one_sided_t(dof, 0.5 + confidence / 2.0)
}

/// The Student-t quantile with `dof` degrees of freedom below which a share
/// `p` of the distribution lies (the one-sided factor at level `p`).
pub fn one_sided_t(dof: f64, p: f64) -> f64 {
    StudentsT::new(0.0, 1.0, dof)
        .expect("dof > 0")
        .inverse_cdf(p)
}

/// Half-width of the two-sided Student-t confidence interval of a mean.
pub fn half_width(variance: f64, n: u32, confidence: f64) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    t_quantile((n - 1) as f64, confidence) * (variance / n as f64).sqrt()
}

/// Half-width for the difference of two independent means (Welch), as if the two
/// samples had not been paired.
pub fn welch_half_width(var_a: f64, var_b: f64, n: u32, confidence: f64) -> f64 {
    if n < 2 {
        return f64::NAN;
    }
    let nf = n as f64;
    let (a, b) = (var_a / nf, var_b / nf);
    let se2 = a + b;
    if se2.is_nan() {
        // A figure undefined in some replication (the percentile of a
        // population that had no session there): no interval, as for one mean.
        return f64::NAN;
    }
    if se2 == 0.0 {
        return 0.0;
    }
    let dof = se2 * se2 / (a * a / (nf - 1.0) + b * b / (nf - 1.0));
    // Variances so small that their squares underflow give 0 / 0: the same
    // degrees of freedom from the variances scaled to the larger.
    let dof = if dof.is_finite() && dof > 0.0 {
        dof
    } else {
        let m = a.max(b);
        let (a, b) = (a / m, b / m);
        (nf - 1.0) * (a + b) * (a + b) / (a * a + b * b)
    };
    t_quantile(dof, confidence) * se2.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure undefined in a replication (a percentile of no sessions)
    /// has a NaN variance: the interval is unknown, not a panic (found by
    /// probing: `compare` on 1 000 populations of a session or two each
    /// stopped with "dof > 0").
    #[test]
    fn welch_half_width_of_undefined_or_tiny_variances_is_no_panic() {
        assert!(welch_half_width(f64::NAN, 1.0, 4, 0.95).is_nan());
        assert!(welch_half_width(1.0, f64::NAN, 4, 0.95).is_nan());
        // Squares that underflow: the interval of the scaled variances.
        let (a, b) = (1e-170, 3e-170);
        let tiny = welch_half_width(a, b, 4, 0.95);
        let scaled = welch_half_width(a * 1e160, b * 1e160, 4, 0.95) * 1e-80;
        assert!((tiny / scaled - 1.0).abs() < 1e-12, "{tiny} {scaled}");
    }

    #[test]
    fn t_quantile_matches_tables() {
        // t_{0.975, 9} = 2.262; half-width = t * s / sqrt(n).
        let hw = half_width(1.0, 10, 0.95);
        assert!((hw - 2.2622 / 10f64.sqrt()).abs() < 1e-3, "{hw}");
    }

    #[test]
    fn welford_matches_two_pass_statistics() {
        let mut w = Welford::default();
        let xs = [1.0, 4.0, 2.0, 8.0];
        for x in xs {
            w.push(&[x, 2.0 * x]);
        }
        assert_eq!(w.means()[0], 3.75);
        let var = xs.iter().map(|x| (x - 3.75f64).powi(2)).sum::<f64>() / 3.0;
        assert!((w.variance(0) - var).abs() < 1e-12);
        assert!((w.variance(1) - 4.0 * var).abs() < 1e-12);
    }

    /// The streaming fourth moment against the two-pass G2 formula.
    #[test]
    fn streaming_excess_kurtosis_matches_the_two_pass_estimator() {
        let xs = [0.0, 0.0, 1.0, 0.0, 9.0, 0.0, 2.0, 0.0, 0.0, 1.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.push(&[x, 3.0 + 0.5 * x]));
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let c = |k: i32| xs.iter().map(|x| (x - m).powi(k)).sum::<f64>();
        let g2 = n * c(4) / (c(2) * c(2)) - 3.0;
        let want = ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
        for i in 0..2 {
            assert!(
                (w.excess_kurtosis(i) - want).abs() < 1e-9,
                "{}",
                w.excess_kurtosis(i)
            );
        }
        assert!(
            want > 5.0,
            "one burst among quiet replications is heavy-tailed"
        );
    }
}
