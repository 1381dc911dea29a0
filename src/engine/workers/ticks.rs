//! When a pool's periodic duties fall due: load samples, load reports and
//! autoscaler evaluations, each at whole multiples of its own interval (k x
//! interval, never a running sum of intervals, so instants do not drift).
//!
//! The intervals are fixed for a run, so they and each duty's next instant
//! are computed once per duty performed rather than at every tick.

use crate::model::workers::WorkerSpec;

/// Which of a pool's periodic duties are due: sample, report, evaluate.
pub(super) const SAMPLE: usize = 0;
pub(super) const REPORT: usize = 1;
pub(super) const EVAL: usize = 2;

/// A pool's duty schedule.
#[derive(Debug, Clone)]
pub(super) struct Ticks {
    /// The pool is at rest: its samples and reports are skipped (only its
    /// evaluations fall due) until something in it changes.
    pub(super) resting: bool,
    /// The least time after the last change before the pool may be at rest:
    /// a window to fill, another for each worker's sum to be taken afresh
    /// at its own slot, and a report (a bound that spares busy pools the
    /// exact test of rest, not the test itself).
    pub(super) settle_s: f64,
    /// Each duty's interval; 0 = the duty never runs.
    every: [f64; 3],
    /// Each duty's next instant is `next x every`.
    next: [u64; 3],
    /// That instant, computed when `next` moves (infinite for a duty that
    /// never runs).
    at: [f64; 3],
}

impl Ticks {
    pub(super) fn new(spec: &WorkerSpec) -> Self {
        let m = &spec.measure;
        let every = [
            m.sample_interval_s,
            // No reporting interval: the server sees each measurement as it
            // is taken, a report at every sample (none without sampling,
            // where the reported load is the true load at every instant).
            if m.report_interval_s == 0.0 {
                m.sample_interval_s
            } else {
                m.report_interval_s
            },
            // An autoscaler held at one count never acts: no evaluation.
            spec.autoscale
                .as_ref()
                .filter(|a| a.min < a.max)
                .map_or(0.0, |a| a.interval_s),
        ];
        let window = f64::from(m.window);
        Self {
            resting: false,
            settle_s: (2.0 * window + 1.0) * every[SAMPLE] + every[REPORT],
            every,
            next: [1; 3],
            // 1 x interval is the interval itself, bit for bit.
            at: every.map(|e| if e > 0.0 { e } else { f64::INFINITY }),
        }
    }

    /// The duties due at `t`, each moved on to its next instant.
    pub(super) fn take_due(&mut self, t: f64) -> [bool; 3] {
        std::array::from_fn(|i| {
            let due = self.at[i] <= t;
            if due {
                self.next[i] += 1;
                self.at[i] = self.next[i] as f64 * self.every[i];
            }
            due
        })
    }

    /// The index of the last sample taken or skipped (sample `k` falls due
    /// at `k x interval`; 0 before the first).
    pub(super) fn last_sample(&self) -> u64 {
        self.next[SAMPLE] - 1
    }

    /// The earliest instant a duty falls due (None: the pool has no duty);
    /// at rest, only evaluations.
    pub(super) fn next_at(&self) -> Option<f64> {
        let t = if self.resting {
            self.at[EVAL]
        } else {
            self.at[0].min(self.at[1]).min(self.at[2])
        };
        (t < f64::INFINITY).then_some(t)
    }

    /// Move the sample and report duties past every instant at or before
    /// `t` (skipped at rest). Returns how many samples that skips and the
    /// last one's instant, and the indices of the reports skipped (report
    /// `k` was due at `k x interval`, see [`Self::report_at`]).
    pub(super) fn skip_to(&mut self, t: f64) -> (u64, f64, std::ops::Range<u64>) {
        let [samples, reports] = [SAMPLE, REPORT].map(|d| {
            let (first, e) = (self.next[d], self.every[d]);
            if self.at[d] <= t {
                // The last instant at or before `t`, true to how products round.
                let mut k = ((t / e) as u64).max(first);
                while (k + 1) as f64 * e <= t {
                    k += 1;
                }
                while k > first && k as f64 * e > t {
                    k -= 1;
                }
                self.next[d] = k + 1;
                self.at[d] = self.next[d] as f64 * e;
            }
            first..self.next[d]
        });
        let last = samples.end.saturating_sub(1) as f64 * self.every[SAMPLE];
        (samples.end - samples.start, last, reports)
    }

    /// The instant of report `k`.
    pub(super) fn report_at(&self, k: u64) -> f64 {
        k as f64 * self.every[REPORT]
    }
}
