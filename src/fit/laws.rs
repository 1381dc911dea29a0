//! The session-duration law: lognormal, gamma and Weibull fitted by maximum
//! likelihood from the bounded [`Durations`], each with its log-likelihood
//! (all three have two parameters, so the highest wins, as AIC would choose),
//! asymptotic confidence intervals of its parameters from the Fisher
//! information, and its Kolmogorov-Smirnov distance to the data.
//!
//! Lognormal and gamma use their sufficient statistics exactly; Weibull has
//! none and is fitted on the histogram of ln x (bins 0.1 % wide, each value
//! moved at most 0.05 %), solving the profile-likelihood equation for the
//! shape by bisection.

use statrs::distribution::{ContinuousCDF, Gamma, Normal};
use statrs::function::gamma::{checked_gamma_lr, digamma, ln_gamma};

use super::durations::{Durations, HIST_MIN_S, HIST_WIDTH};

/// Euler-Mascheroni constant.
const EULER: f64 = 0.577_215_664_901_532_9;

/// A family of duration laws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// ln X ~ N(mu, sigma²); parameters (mu, sigma).
    LogNormal,
    /// Shape k and scale theta; parameters (k, theta).
    Gamma,
    /// Shape k and scale lambda; parameters (k, lambda).
    Weibull,
}

impl Family {
    /// The scenario's `type` name.
    pub fn name(self) -> &'static str {
        match self {
            Self::LogNormal => "lognormal",
            Self::Gamma => "gamma",
            Self::Weibull => "weibull",
        }
    }

    /// The native parameters' names.
    pub fn params(self) -> [&'static str; 2] {
        match self {
            Self::LogNormal => ["mu", "sigma"],
            Self::Gamma => ["shape", "scale_s"],
            Self::Weibull => ["shape", "scale_s"],
        }
    }
}

/// One fitted law.
#[derive(Debug, Clone)]
pub struct LawFit {
    /// Which family.
    pub family: Family,
    /// Native parameters (see [`Family::params`]).
    pub params: [f64; 2],
    /// Confidence half-widths of the parameters (asymptotic normal).
    pub half_width: [f64; 2],
    /// Log-likelihood of the durations > 0.
    pub log_lik: f64,
    /// Kolmogorov-Smirnov distance to the data, on the histogram's bin edges.
    pub ks: f64,
}

/// The standard normal quantile of `p`.
pub fn z(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// The trigamma function (recurrence to x >= 10, then the asymptotic series).
pub fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    acc + 1.0 / x
        + x2 / 2.0
        + x2 / x * (1.0 / 6.0 - x2 * (1.0 / 30.0 - x2 * (1.0 / 42.0 - x2 / 30.0)))
}

impl LawFit {
    /// P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        let [a, b] = self.params;
        if x <= 0.0 {
            return 0.0;
        }
        match self.family {
            Family::LogNormal => Normal::standard().cdf((x.ln() - a) / b),
            Family::Gamma => match x / b {
                // The limits, which the incomplete gamma refuses.
                y if y <= 0.0 => 0.0,
                y if y.is_infinite() => 1.0,
                y => checked_gamma_lr(a, y).unwrap_or(f64::NAN),
            },
            Family::Weibull => -(-(x / b).powf(a)).exp_m1(),
        }
    }

    /// The p-quantile, seconds.
    pub fn quantile(&self, p: f64) -> f64 {
        let [a, b] = self.params;
        match self.family {
            Family::LogNormal => (a + b * z(p)).exp(),
            Family::Gamma => Gamma::new(a, 1.0 / b).map_or(f64::NAN, |g| g.inverse_cdf(p)),
            Family::Weibull => b * (-(-p).ln_1p()).powf(1.0 / a),
        }
    }

    /// Mean, seconds.
    pub fn mean(&self) -> f64 {
        let [a, b] = self.params;
        match self.family {
            Family::LogNormal => (a + b * b / 2.0).exp(),
            Family::Gamma => a * b,
            Family::Weibull => b * ln_gamma(1.0 + 1.0 / a).exp(),
        }
    }

    /// Coefficient of variation.
    pub fn cv(&self) -> f64 {
        let [a, _] = self.params;
        match self.family {
            Family::LogNormal => self.params[1].powi(2).exp_m1().sqrt(),
            Family::Gamma => 1.0 / a.sqrt(),
            Family::Weibull => {
                let g1 = ln_gamma(1.0 + 1.0 / a).exp();
                let g2 = ln_gamma(1.0 + 2.0 / a).exp();
                (g2 / (g1 * g1) - 1.0).max(0.0).sqrt()
            }
        }
    }
}

/// Fit every family that the data allow (at least two distinct durations > 0),
/// best log-likelihood first.
pub fn fit_all(d: &Durations, confidence: f64) -> Vec<LawFit> {
    if d.n < 2 {
        return Vec::new();
    }
    let zq = z(0.5 + confidence / 2.0);
    // A law whose estimates overflow or vanish (durations spread over
    // hundreds of orders of magnitude) is no fit: left out, not reported.
    let finite =
        |f: &LawFit| f.params.iter().all(|x| x.is_finite() && *x != 0.0) && f.log_lik.is_finite();
    let mut fits: Vec<LawFit> = [lognormal(d, zq), gamma(d, zq), weibull(d, zq)]
        .into_iter()
        .flatten()
        .filter(finite)
        .collect();
    for f in &mut fits {
        f.ks = ks(d, f);
    }
    fits.sort_by(|a, b| b.log_lik.total_cmp(&a.log_lik));
    fits
}

fn lognormal(d: &Durations, zq: f64) -> Option<LawFit> {
    let n = d.n as f64;
    let mu = d.mean_ln();
    let var = (d.sum_ln2 / n - mu * mu).max(0.0);
    let sigma = var.sqrt();
    if sigma.is_nan() || sigma <= 1e-9 {
        return None;
    }
    let log_lik = -d.sum_ln - n * sigma.ln() - n / 2.0 * ((2.0 * std::f64::consts::PI).ln() + 1.0);
    Some(LawFit {
        family: Family::LogNormal,
        params: [mu, sigma],
        half_width: [zq * sigma / n.sqrt(), zq * sigma / (2.0 * n).sqrt()],
        log_lik,
        ks: 0.0,
    })
}

fn gamma(d: &Durations, zq: f64) -> Option<LawFit> {
    let n = d.n as f64;
    let mean = d.sum / n;
    let s = mean.ln() - d.mean_ln();
    if s.is_nan() || s <= 1e-12 {
        return None;
    }
    // Minka's start, then Newton on ln k - digamma(k) = s.
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..50 {
        let f = k.ln() - digamma(k) - s;
        let step = f / (1.0 / k - trigamma(k));
        let next = (k - step).max(k / 10.0);
        if (next - k).abs() <= 1e-12 * k {
            k = next;
            break;
        }
        k = next;
    }
    let theta = mean / k;
    let log_lik = (k - 1.0) * d.sum_ln - d.sum / theta - n * k * theta.ln() - n * ln_gamma(k);
    let t1 = trigamma(k);
    let det = k * t1 - 1.0;
    Some(LawFit {
        family: Family::Gamma,
        params: [k, theta],
        half_width: [
            zq * (k / (n * det)).sqrt(),
            zq * theta * (t1 / (n * det)).sqrt(),
        ],
        log_lik,
        ks: 0.0,
    })
}

/// Sum over bins of count x e^{k y}, y = ln x - m, as (shift a, sum of
/// count e^{k y - a}, sum of count y e^{k y - a}).
fn tilted(bins: &[(f64, f64)], k: f64) -> (f64, f64, f64) {
    let a = bins
        .iter()
        .map(|&(y, _)| k * y)
        .fold(f64::NEG_INFINITY, f64::max);
    let (mut s0, mut s1) = (0.0, 0.0);
    for &(y, c) in bins {
        let w = c * (k * y - a).exp();
        s0 += w;
        s1 += w * y;
    }
    (a, s0, s1)
}

fn weibull(d: &Durations, zq: f64) -> Option<LawFit> {
    let n = d.n as f64;
    let m = d.mean_ln();
    let bins: Vec<(f64, f64)> = d.binned().map(|(x, c)| (x.ln() - m, c)).collect();
    let ybar: f64 = bins.iter().map(|&(y, c)| y * c).sum::<f64>() / n;
    if bins.len() < 2 {
        return None;
    }
    // g(k) = E_k[y] - ybar - 1/k is increasing in k: bisection on ln k.
    let g = |k: f64| {
        let (_, s0, s1) = tilted(&bins, k);
        s1 / s0 - ybar - 1.0 / k
    };
    let (mut lo, mut hi) = (1e-3f64.ln(), 1e3f64.ln());
    if g(lo.exp()) > 0.0 || g(hi.exp()) < 0.0 {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if g(mid.exp()) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    let k = (0.5 * (lo + hi)).exp();
    let (a, s0, _) = tilted(&bins, k);
    let ln_lambda = m + (a + s0.ln() - n.ln()) / k;
    let lambda = ln_lambda.exp();
    // At the optimum the sum of (x/lambda)^k over the data is n.
    let log_lik = n * k.ln() - n * k * ln_lambda + (k - 1.0) * d.sum_ln - n;
    let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
    let var_k = k * k / (pi2_6 * n);
    let var_l = lambda * lambda * (1.0 + (1.0 - EULER).powi(2) / pi2_6) / (k * k * n);
    Some(LawFit {
        family: Family::Weibull,
        params: [k, lambda],
        half_width: [zq * var_k.sqrt(), zq * var_l.sqrt()],
        log_lik,
        ks: 0.0,
    })
}

/// Largest gap between the empirical and the fitted CDF at the bins' edges.
fn ks(d: &Durations, f: &LawFit) -> f64 {
    let n = d.n as f64;
    let (mut below, mut worst) = (0u64, 0.0f64);
    for (i, &c) in d.hist.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let lower = (HIST_MIN_S.ln() + i as f64 * HIST_WIDTH).exp();
        let upper = Durations::bin_upper(i);
        worst = worst.max((f.cdf(lower) - below as f64 / n).abs());
        below += c;
        worst = worst.max((f.cdf(upper) - below as f64 / n).abs());
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigamma_matches_known_values() {
        let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
        assert!((trigamma(1.0) - pi2_6).abs() < 1e-10);
        assert!((trigamma(0.5) - 3.0 * pi2_6).abs() < 1e-9);
        assert!((trigamma(10.0) - 0.105_166_335_681_685_3).abs() < 1e-10);
    }
}
