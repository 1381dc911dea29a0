//! Validated probability distributions of times (session length, patience,
//! dispatch and start-up delays, jitter), all in seconds.
//!
//! Constructors check their parameters and return `Result`, so a `TimeDist` that
//! exists can always be sampled: the engine never re-validates.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, StandardNormal};

/// A distribution of non-negative times in seconds. Its law is private: the
/// only way to one is a constructor below, which checks the parameters.
#[derive(Debug, Clone)]
pub struct TimeDist(Law);

/// The law and its parameters, as the constructors checked them.
#[derive(Debug, Clone)]
enum Law {
    /// Always the same value.
    Deterministic(f64),
    /// Exponential with the given mean.
    Exponential {
        /// Mean, seconds.
        mean: f64,
    },
    /// Uniform on [min, max].
    Uniform {
        /// Lower bound, seconds.
        min: f64,
        /// Upper bound, seconds.
        max: f64,
    },
    /// Lognormal: ln X ~ N(mu, sigma^2).
    LogNormal {
        /// Location of ln X.
        mu: f64,
        /// Scale of ln X.
        sigma: f64,
    },
    /// Gamma with shape k and scale theta, its mean and coefficient of variation.
    Gamma(Gamma<f64>, f64, f64),
    /// Weibull with shape k and scale lambda.
    Weibull {
        /// Shape k.
        shape: f64,
        /// Scale lambda, seconds.
        scale: f64,
    },
    /// Pareto with index alpha truncated to [min, max] (sampled by inversion).
    BoundedPareto {
        /// Tail index.
        alpha: f64,
        /// Lower bound, seconds.
        min: f64,
        /// Upper bound, seconds.
        max: f64,
    },
    /// Resampling of observed values, each equally likely.
    Empirical(Vec<f64>),
}

/// Why distribution parameters were refused.
pub type ParamError = String;

fn positive(name: &str, v: f64) -> Result<f64, ParamError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("`{name}` must be a finite number > 0, got {v}"))
    }
}

fn non_negative(name: &str, v: f64) -> Result<f64, ParamError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("`{name}` must be a finite number >= 0, got {v}"))
    }
}

impl TimeDist {
    /// A constant.
    pub fn deterministic(value: f64) -> Result<Self, ParamError> {
        Ok(Self(Law::Deterministic(non_negative("value", value)?)))
    }

    /// Exponential by its mean.
    pub fn exponential(mean: f64) -> Result<Self, ParamError> {
        Ok(Self(Law::Exponential {
            mean: positive("mean", mean)?,
        }))
    }

    /// Uniform on [min, max].
    pub fn uniform(min: f64, max: f64) -> Result<Self, ParamError> {
        let min = non_negative("min", min)?;
        let max = non_negative("max", max)?;
        if max < min {
            return Err(format!("`max` ({max}) must be >= `min` ({min})"));
        }
        Ok(Self(Law::Uniform { min, max }))
    }

    /// Lognormal by mean and coefficient of variation, the way planners state it.
    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, ParamError> {
        let mean = positive("mean", mean)?;
        let cv = positive("cv", cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        // Beyond it cv^2 is infinite and every draw NaN (a session ending at
        // NaN seconds).
        if !sigma2.is_finite() {
            return Err(format!("`cv` must be at most 1e154, got {cv}"));
        }
        Ok(Self(Law::LogNormal {
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }))
    }

    /// Gamma by mean and coefficient of variation (shape = 1/cv^2).
    pub fn gamma(mean: f64, cv: f64) -> Result<Self, ParamError> {
        let mean = positive("mean", mean)?;
        let cv = positive("cv", cv)?;
        let shape = 1.0 / (cv * cv);
        let scale = mean / shape;
        let g = Gamma::new(shape, scale).map_err(|e| format!("invalid gamma parameters: {e}"))?;
        Ok(Self(Law::Gamma(g, mean, cv)))
    }

    /// Weibull by shape and scale.
    pub fn weibull(shape: f64, scale: f64) -> Result<Self, ParamError> {
        Ok(Self(Law::Weibull {
            shape: positive("shape", shape)?,
            scale: positive("scale", scale)?,
        }))
    }

    /// Bounded Pareto on [min, max] with tail index alpha.
    pub fn bounded_pareto(alpha: f64, min: f64, max: f64) -> Result<Self, ParamError> {
        let alpha = positive("alpha", alpha)?;
        let min = positive("min", min)?;
        let max = positive("max", max)?;
        if max <= min {
            return Err(format!("`max` ({max}) must be > `min` ({min})"));
        }
        Ok(Self(Law::BoundedPareto { alpha, min, max }))
    }

    /// Resampling from a non-empty list of observed values.
    pub fn empirical(values: Vec<f64>) -> Result<Self, ParamError> {
        if values.is_empty() {
            return Err("`values` must hold at least one value".into());
        }
        for (i, v) in values.iter().enumerate() {
            non_negative(&format!("values[{i}]"), *v)?;
        }
        Ok(Self(Law::Empirical(values)))
    }

    /// The mean, used for offered load (A = lambda x mean) and reports.
    pub fn mean(&self) -> f64 {
        match &self.0 {
            Law::Deterministic(v) => *v,
            Law::Exponential { mean } => *mean,
            Law::Uniform { min, max } => (min + max) / 2.0,
            Law::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Law::Gamma(_, mean, _) => *mean,
            Law::Weibull { shape, scale } => {
                scale * statrs::function::gamma::gamma(1.0 + 1.0 / shape)
            }
            Law::BoundedPareto { alpha, min, max } => {
                let (a, l, h) = (*alpha, *min, *max);
                if (a - 1.0).abs() < 1e-12 {
                    (h * l / (h - l)) * (h / l).ln()
                } else {
                    let la = l.powf(a);
                    la / (1.0 - (l / h).powf(a))
                        * (a / (a - 1.0))
                        * (1.0 / l.powf(a - 1.0) - 1.0 / h.powf(a - 1.0))
                }
            }
            Law::Empirical(v) => v.iter().sum::<f64>() / v.len() as f64,
        }
    }

    /// An interval, seconds, likely to hold all of `n` samples: bounds each
    /// sample falls outside with a chance of about e^-3 / n, so one of the
    /// `n` does with a chance of about 5 %, and then by little (the whole
    /// support where it is bounded). What a latency distribution of such
    /// samples is asked to hold, for memory estimates.
    pub fn span(&self, n: f64) -> (f64, f64) {
        let t = n.max(1.0).ln() + 3.0;
        match &self.0 {
            Law::Deterministic(v) => (*v, *v),
            // P(X < m e^-t) is about e^-t, P(X > m t) = e^-t.
            Law::Exponential { mean } => (mean * (-t).exp(), mean * t),
            Law::Uniform { min, max } | Law::BoundedPareto { min, max, .. } => (*min, *max),
            // sqrt(2t) standard deviations of ln X either side: a normal
            // tail below e^-t.
            Law::LogNormal { mu, sigma } => {
                let z = (2.0 * t).sqrt();
                ((mu - sigma * z).exp(), (mu + sigma * z).exp())
            }
            // Shape k = 1/cv^2, scale theta = mean cv^2: 2X/theta is
            // chi-square with 2k degrees, whose tails beyond
            // 2k -+ 2 sqrt(2kt) (+ 2t above) are below e^-t (Laurent and
            // Massart, 2000).
            Law::Gamma(_, mean, cv) => {
                let (k, theta) = (1.0 / (cv * cv), mean * cv * cv);
                let spread = (2.0 * k * t).sqrt();
                (theta * (k - spread).max(0.0), theta * (k + spread + t))
            }
            // P(X < scale e^(-t/shape)) is about e^-t, P(X > scale t^(1/shape)) = e^-t.
            Law::Weibull { shape, scale } => {
                (scale * (-t / shape).exp(), scale * t.powf(1.0 / shape))
            }
            Law::Empirical(v) => v.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            }),
        }
    }

    /// No time at all: every sample is 0 (a delay the scenario leaves out).
    pub const ZERO: Self = Self(Law::Deterministic(0.0));

    /// The mean of an exponential law (None for any other): where exact
    /// queueing results apply.
    pub fn exponential_mean(&self) -> Option<f64> {
        match self.0 {
            Law::Exponential { mean } => Some(mean),
            _ => None,
        }
    }

    /// Whether every sample is zero (lets the engine skip the stream draw's effect).
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Law::Deterministic(v) if v == 0.0)
    }

    /// One sample, in seconds. The two laws of most session attributes (constants
    /// and exponentials) are inlined at the call site; the others, which need
    /// transcendental functions anyway, stay out of line so the hot caller stays small.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.0 {
            Law::Deterministic(v) => *v,
            Law::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            _ => self.sample_other(rng),
        }
    }

    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.0 {
            Law::Deterministic(v) => *v,
            Law::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Law::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Law::LogNormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Law::Gamma(g, ..) => g.sample(rng),
            Law::Weibull { shape, scale } => {
                let u: f64 = rng.random::<f64>();
                scale * (-(1.0 - u).ln()).powf(1.0 / shape)
            }
            Law::BoundedPareto { alpha, min, max } => {
                let u: f64 = rng.random::<f64>();
                let (la, ha) = (min.powf(*alpha), max.powf(*alpha));
                let x = -(u * ha - u * la - ha) / (ha * la);
                x.powf(-1.0 / alpha)
            }
            Law::Empirical(v) => v[rng.random_range(0..v.len())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn sample_mean(d: &TimeDist, n: usize) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let x = d.sample(&mut rng);
            assert!(x >= 0.0 && x.is_finite());
            s += x;
            s2 += x * x;
        }
        let m = s / n as f64;
        let var = s2 / n as f64 - m * m;
        (m, (var / n as f64).sqrt())
    }

    /// Sample means fall within 4 standard errors of the analytic mean.
    #[test]
    fn sample_means_match_analytic_means() {
        let dists = [
            TimeDist::exponential(120.0).unwrap(),
            TimeDist::uniform(1.0, 3.0).unwrap(),
            TimeDist::lognormal(120.0, 1.5).unwrap(),
            TimeDist::gamma(120.0, 0.5).unwrap(),
            TimeDist::weibull(1.5, 100.0).unwrap(),
            TimeDist::bounded_pareto(1.5, 10.0, 1000.0).unwrap(),
            TimeDist::bounded_pareto(1.0, 10.0, 1000.0).unwrap(),
            TimeDist::empirical(vec![1.0, 2.0, 6.0]).unwrap(),
        ];
        for d in &dists {
            let (m, se) = sample_mean(d, 400_000);
            assert!(
                (m - d.mean()).abs() < 4.0 * se + 1e-12,
                "{d:?}: {m} vs {}",
                d.mean()
            );
        }
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(TimeDist::exponential(0.0).is_err());
        assert!(TimeDist::exponential(f64::NAN).is_err());
        assert!(TimeDist::uniform(3.0, 1.0).is_err());
        assert!(TimeDist::bounded_pareto(1.0, 5.0, 5.0).is_err());
        assert!(TimeDist::empirical(vec![]).is_err());
        assert!(TimeDist::deterministic(-1.0).is_err());
    }

    /// A cv whose square overflows made every draw NaN (found by the event
    /// list's check that nothing is scheduled before now).
    #[test]
    fn a_lognormal_whose_spread_overflows_is_refused() {
        let e = TimeDist::lognormal(60.0, 1.0000000000000002e155).unwrap_err();
        assert!(e.contains("`cv`"), "{e}");
        let d = TimeDist::lognormal(60.0, 1e154).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for _ in 0..1000 {
            assert!(!d.sample(&mut rng).is_nan());
        }
    }
}
