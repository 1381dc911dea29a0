//! Session durations in bounded memory: the sufficient statistics of the
//! lognormal (sum ln x, sum ln² x) and gamma (sum x, sum ln x) laws, the
//! project's [`Distribution`] for empirical quantiles, and a fixed histogram
//! of ln x (bins 0.001 wide, so values 0.1 % apart) that the Weibull fit, the
//! Kolmogorov-Smirnov statistics and the QQ plot read. Memory is the same for
//! ten rows or ten billion.

use crate::stats::Distribution;

/// Smallest duration the histogram resolves, seconds (smaller ones share its
/// first bin).
pub const HIST_MIN_S: f64 = 1e-3;
/// Largest (about 115 days; larger ones share its last bin).
pub const HIST_MAX_S: f64 = 1e7;
/// Bin width in ln x.
pub const HIST_WIDTH: f64 = 1e-3;

/// Durations seen so far.
#[derive(Debug, Clone)]
pub struct Durations {
    /// Durations > 0 (the laws' support).
    pub n: u64,
    /// Durations of exactly 0, left out of the laws.
    pub zeros: u64,
    /// Sum of x.
    pub sum: f64,
    /// Sum of ln x.
    pub sum_ln: f64,
    /// Sum of (ln x)².
    pub sum_ln2: f64,
    /// All durations (ms), zeros included: the empirical quantiles.
    pub dist: Distribution,
    /// Counts per bin of ln x.
    pub hist: Vec<u64>,
}

impl Default for Durations {
    fn default() -> Self {
        Self::new()
    }
}

fn bins() -> usize {
    ((HIST_MAX_S.ln() - HIST_MIN_S.ln()) / HIST_WIDTH).ceil() as usize
}

impl Durations {
    /// No durations yet.
    pub fn new() -> Self {
        Self {
            n: 0,
            zeros: 0,
            sum: 0.0,
            sum_ln: 0.0,
            sum_ln2: 0.0,
            dist: Distribution::new(),
            hist: vec![0; bins()],
        }
    }

    /// Add one duration (seconds, >= 0).
    #[inline]
    pub fn record(&mut self, x: f64) {
        self.dist.record(x * 1000.0);
        if x <= 0.0 {
            self.zeros += 1;
            return;
        }
        let l = x.ln();
        self.n += 1;
        self.sum += x;
        self.sum_ln += l;
        self.sum_ln2 += l * l;
        let i = ((l - HIST_MIN_S.ln()) / HIST_WIDTH).floor();
        let i = (i.max(0.0) as usize).min(self.hist.len() - 1);
        self.hist[i] += 1;
    }

    /// The representative value of bin `i` (its geometric middle), seconds.
    pub fn bin_value(i: usize) -> f64 {
        (HIST_MIN_S.ln() + (i as f64 + 0.5) * HIST_WIDTH).exp()
    }

    /// The upper edge of bin `i`, seconds.
    pub fn bin_upper(i: usize) -> f64 {
        (HIST_MIN_S.ln() + (i as f64 + 1.0) * HIST_WIDTH).exp()
    }

    /// Non-empty bins as (value, count).
    pub fn binned(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.hist
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (Self::bin_value(i), c as f64))
    }

    /// Mean of ln x over durations > 0.
    pub fn mean_ln(&self) -> f64 {
        self.sum_ln / self.n as f64
    }

    /// Empirical quantile of the durations > 0 from the histogram, seconds
    /// (the bin's middle; within 0.05 %).
    pub fn hist_quantile(&self, p: f64) -> f64 {
        let target = (p * self.n as f64).ceil().max(1.0) as u64;
        let mut acc = 0;
        for (i, &c) in self.hist.iter().enumerate() {
            acc += c;
            if acc >= target {
                return Self::bin_value(i);
            }
        }
        Self::bin_value(self.hist.len() - 1)
    }
}
