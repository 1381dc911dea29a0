//! How a pool's workers measure their load and whether each would take a
//! job: the integral of true load since the last sample, the last `window`
//! samples, their running sum, the moving average, the last report, and the
//! eligibility that follows from them. Each worker's figures are one plain
//! record in a flat array, and every ring of samples lives in one flat array
//! of the pool, rather than a heap-allocated ring per worker.
//!
//! The sample tick visits every worker of a pool every half second or so:
//! laid out this way it is one pass over contiguous memory with no pointer to
//! chase and no bounds check per worker, and each worker's eligibility is
//! refreshed in the same pass. The arithmetic and its order are exactly those
//! of a worker sampling on its own, so outputs do not change.

use rand_distr::{Distribution, StandardNormal};

use crate::engine::rng::SimRng;
use crate::model::workers::{WorkerSpec, LOAD_EPS};

/// What decides whether a ready worker takes a job.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    per_session: f64,
    threshold: f64,
    /// No sampling: the worker knows its true load at every instant.
    exact_measure: bool,
    /// No reporting: the server sees the worker's current measurement.
    exact_report: bool,
}

impl Rules {
    pub(super) fn new(spec: &WorkerSpec) -> Self {
        Self {
            per_session: spec.load.per_session,
            threshold: spec.measure.threshold,
            exact_measure: spec.measure.sample_interval_s == 0.0,
            exact_report: spec.measure.report_interval_s == 0.0,
        }
    }
}

/// One worker's measurement and standing.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Gauge {
    /// Its true load now (`base + per_session x sessions`, whatever its state).
    pub(super) load: f64,
    /// Integral of true load since the last sample, and when it was last brought up to date.
    area: f64,
    last_t: f64,
    /// The running sum of its ring of samples.
    sum: f64,
    /// The moving average of the samples.
    measured: f64,
    /// The measurement last reported to the server.
    reported: f64,
    /// Jobs taken since the last sample (not yet in any sample).
    pub(super) reserved: u32,
    /// Its ring's next slot, and how many of its slots are filled.
    head: u32,
    filled: u32,
    /// Registered (ready or draining): measured, reported, its load counted.
    pub(super) reg: bool,
    /// Ready: may take jobs on its measurement.
    pub(super) ready: bool,
    /// Would take a job now.
    takes: bool,
}

impl Gauge {
    /// Its measurement (its true load when it knows it exactly).
    #[inline]
    pub(super) fn measured(&self, r: &Rules) -> f64 {
        if r.exact_measure {
            self.load
        } else {
            self.measured
        }
    }

    /// The load the server last heard from it.
    #[inline]
    pub(super) fn reported(&self, r: &Rules) -> f64 {
        if r.exact_report {
            self.measured(r)
        } else {
            self.reported
        }
    }

    /// Whether a ready worker would be offered a job and accept it.
    #[inline]
    fn would_take(&self, r: &Rules) -> bool {
        let reserved = if r.exact_measure { 0 } else { self.reserved };
        self.reported(r) < r.threshold
            && self.measured(r) + f64::from(reserved + 1) * r.per_session <= r.threshold + LOAD_EPS
    }

    /// Bring a registered worker's integral up to `t`.
    #[inline]
    fn touch(&mut self, t: f64) {
        if t > self.last_t {
            self.area += self.load * (t - self.last_t);
            self.last_t = t;
        }
    }
}

/// The gauges and sample rings of every worker index of one pool.
#[derive(Debug, Clone)]
pub(super) struct Meter {
    rules: Rules,
    /// Samples in the moving average.
    window: usize,
    pub(super) g: Vec<Gauge>,
    /// `window` samples per worker, worker after worker (each worker's own
    /// ring, so summing it afresh adds the same values in the same order).
    ring: Vec<f64>,
    /// Workers that would take a job now.
    pub(super) takers: u32,
}

impl Meter {
    pub(super) fn new(spec: &WorkerSpec) -> Self {
        Self {
            rules: Rules::new(spec),
            window: spec.measure.window as usize,
            g: Vec::new(),
            ring: Vec::new(),
            takers: 0,
        }
    }

    pub(super) fn rules(&self) -> &Rules {
        &self.rules
    }

    /// A fresh gauge for worker `i` (a new index when `i` is the count of
    /// workers so far), its integral starting at `t`; it takes no job yet.
    pub(super) fn reset(&mut self, i: usize, t: f64) {
        let g = Gauge {
            last_t: t,
            ..Gauge::default()
        };
        if i == self.g.len() {
            self.g.push(g);
            self.ring.extend(std::iter::repeat_n(0.0, self.window));
        } else {
            self.set_takes(i, false);
            self.g[i] = g;
            self.ring[i * self.window..(i + 1) * self.window].fill(0.0);
        }
    }

    /// Worker `i` registers at `t` holding `sessions` jobs, none measured yet.
    pub(super) fn register(&mut self, i: usize, t: f64, sessions: u32) {
        let g = &mut self.g[i];
        g.last_t = t;
        g.area = 0.0;
        g.reserved = sessions;
    }

    /// Bring worker `i`'s integral up to `t` if it is registered (before its
    /// session count changes).
    pub(super) fn touch(&mut self, i: usize, t: f64) {
        let g = &mut self.g[i];
        if g.reg {
            g.touch(t);
        }
    }

    /// Whether a ready worker `i` would take a job.
    pub(super) fn would_take(&self, i: usize) -> bool {
        self.g[i].would_take(&self.rules)
    }

    /// Record whether worker `i` would take a job.
    pub(super) fn set_takes(&mut self, i: usize, takes: bool) {
        let g = &mut self.g[i];
        self.takers = self.takers - u32::from(g.takes) + u32::from(takes);
        g.takes = takes;
    }

    /// A load sample at `t` (`dt` after the last) for every registered
    /// worker, each ready one's eligibility refreshed after it.
    pub(super) fn sample(&mut self, t: f64, (dt, noise): (f64, f64), rng: &mut SimRng) {
        // Two copies of the loop: the one without noise calls nothing and
        // keeps everything in registers.
        if noise > 0.0 {
            self.sample_with::<true>(t, dt, noise, rng);
        } else {
            self.sample_with::<false>(t, dt, noise, rng);
        }
    }

    fn sample_with<const NOISE: bool>(&mut self, t: f64, dt: f64, noise: f64, rng: &mut SimRng) {
        let (w, r) = (self.window, self.rules);
        let mut takers = self.takers;
        for (g, ring) in self.g.iter_mut().zip(self.ring.chunks_exact_mut(w)) {
            if !g.reg {
                continue;
            }
            g.touch(t);
            let mut s = g.area / dt;
            if NOISE {
                let z: f64 = StandardNormal.sample(rng);
                s = (s + noise * z).max(0.0);
            }
            g.area = 0.0;
            let h = g.head as usize;
            g.sum += s - ring[h];
            ring[h] = s;
            let h = if h + 1 == w { 0 } else { h + 1 };
            g.head = h as u32;
            g.filled = (g.filled + 1).min(w as u32);
            if h == 0 {
                // Summed afresh once per window: the running sum would
                // otherwise drift over millions of ticks.
                g.sum = ring.iter().sum();
            }
            g.measured = (g.sum / f64::from(g.filled)).max(0.0);
            g.reserved = 0;
            let takes = g.ready && g.would_take(&r);
            takers = takers - u32::from(g.takes) + u32::from(takes);
            g.takes = takes;
        }
        self.takers = takers;
    }

    /// Every registered worker reports its measurement, in index order;
    /// calls `seen` with each load.
    pub(super) fn report(&mut self, mut seen: impl FnMut(f64)) {
        let r = self.rules;
        let mut takers = self.takers;
        for g in self.g.iter_mut().filter(|g| g.reg) {
            let m = g.measured(&r);
            g.reported = m;
            seen(m);
            let takes = g.ready && g.would_take(&r);
            takers = takers - u32::from(g.takes) + u32::from(takes);
            g.takes = takes;
        }
        self.takers = takers;
    }

    /// The worker a job goes to: random among those that would take one,
    /// weighted by max(0, 1 - reported load); None when none would.
    pub(super) fn pick(&self, u: f64) -> Option<usize> {
        let r = &self.rules;
        let weight = |g: &Gauge| (1.0 - g.reported(r)).max(0.0);
        let takers = || self.g.iter().enumerate().filter(|(_, g)| g.takes);
        let total: f64 = takers().map(|(_, g)| weight(g)).sum();
        let mut last = None;
        let mut u = u * total;
        for (i, g) in takers() {
            let x = weight(g);
            if u < x {
                return Some(i);
            }
            u -= x;
            last = Some(i);
        }
        last
    }

    /// The true loads of registered workers summed in index order.
    pub(super) fn true_load(&self) -> f64 {
        let mut sum = 0.0;
        for g in &self.g {
            if g.reg {
                sum += g.load;
            }
        }
        sum
    }
}
