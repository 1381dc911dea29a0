//! A pool's measurement at rest: when no worker's load has changed for long
//! enough, every sample, moving average, report and eligibility it would
//! take is the one it holds, so its sample and report ticks can be skipped
//! and accounted for when something next changes. Kept apart from the tick's
//! arithmetic so that the one condition that allows the skip is stated once.

use super::*;

impl Meter {
    /// Whether a sample or report now would leave every figure bit for bit
    /// as it is: each registered worker free of noise, untouched since the
    /// last sample (each future sample is then its load exactly, see
    /// `integrate`), its window full of that one sample, its running sum the
    /// very sum a re-summing gives, nothing reserved, and its report equal
    /// to its measurement. Workers not registered hold nothing that is read
    /// before they register, which clears them.
    pub(in crate::engine::workers) fn at_rest(&self, noise: f64) -> bool {
        let (n, w, r) = (self.load.len(), self.window, self.rules);
        (0..n).filter(|&i| self.reg[i]).all(|i| {
            if noise > 0.0 {
                // Draws are made for registered workers only, so a pool
                // without one rests whatever its noise.
                return false;
            }
            let measured = r.measured(self.load[i], self.measured[i]);
            let reported = r.exact_report() || self.reported[i] == measured;
            if r.exact_measure() {
                return reported;
            }
            let x = self.sampled[i];
            let column = (0..w).map(|s| self.ring[s * self.cap + i]);
            let uniform = column.clone().all(|v| v == x);
            let fresh = column.reduce(|a, b| a + b).unwrap_or(0.0);
            debug_assert!(self.last_t[i] != self.last_sample || self.area[i] == 0.0);
            reported
                && self.last_t[i] == self.last_sample
                && self.filled[i] == w as f64
                && self.reserved[i] == 0.0
                && uniform
                && self.sum[i] == fresh
        })
    }

    /// `count` samples skipped at rest, the last at `t`: each would have
    /// written every worker's load over itself and moved the slot on.
    pub(in crate::engine::workers) fn skip_samples(&mut self, count: u64, t: f64) {
        let w = self.window as u64;
        self.slot = ((self.slot as u64 + count % w) % w) as usize;
        self.last_sample = t;
        self.last_t.fill(t);
    }
}
