//! The bare limit of the worker reference (`scenarios/reference-3x100-workers.json`,
//! docs/performance.md): the tightest loop of the worker model one can write for
//! it, with nothing the model does not need. Three Poisson populations and
//! exponential sessions as in `bare_loop.rs`; each region's 100 slots are 10
//! workers of 0.07 load per session under the 0.7 threshold. Every 0.5 s every
//! worker samples its load (the interval's mean), keeps a 5-sample moving
//! average and, every 2.5 s, reports it; a worker takes a job while its report
//! is below the threshold and its average plus the jobs taken since its last
//! sample, one more included, stays within it. A job goes to a taker of the
//! nearest region with one, picked at random weighted by 1 - reported load,
//! and waits for a warm process if the worker's 4 are all starting (1 s each).
//! Counters only, no statistics.
//!
//! `exact`: the platform's sampling and reporting off (the worker and the
//! server see the true load at every instant), hence no ticks: the cost of the
//! worker layer's sessions alone, beside the ticks'.
//!
//! The state is one array per figure over the 30 workers, so that a tick is a
//! few passes the compiler vectorises. The loop takes the bare loop's sessions
//! and draws its picks from the engine's own stream, and does the engine's
//! arithmetic in the engine's order, so both simulate the same run. A
//! submodule of the bare loop, shared as it is by `examples/bare_loop.rs`
//! (timing: `bare_loop HORIZON SEED workers`) and the integration tests.

// The passes index several arrays by worker, as the engine's do, so that
// they vectorise the same way.
#![allow(clippy::needless_range_loop)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::Rng;
use regionsim::engine::rng::{stream, Purpose};

use super::{Sessions, ORDER};

/// Workers per region, and in all.
const K: usize = 10;
const N: usize = 3 * K;
/// Load per session, the threshold and the engine's tolerance on it.
const PER_SESSION: f64 = 0.07;
const THRESHOLD: f64 = 0.7;
const EPS: f64 = 1e-9;
/// Sample interval (a power of two: the engine multiplies by its inverse),
/// samples in the moving average (a report every `WINDOW` samples).
const DT: f64 = 0.5;
const WINDOW: usize = 5;
/// Warm processes per worker and the time to start one.
const PROCS: usize = 4;
const PROC_START_S: f64 = 1.0;

/// What one run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sessions that arrived.
    pub sessions: u64,
    /// Served outside their nearest region.
    pub overflow: u64,
    /// Found no worker that would take them in any region.
    pub rejected: u64,
    /// Jobs that took a worker's true load over the threshold.
    pub over_admitted: u64,
    /// Jobs that waited for a process.
    pub process_waits: u64,
    /// Events: arrivals, departures and ticks.
    pub events: u64,
}

/// Every worker's figures, one array per figure.
struct Pools {
    exact: bool,
    sessions: [u32; N],
    load: [f64; N],
    area: [f64; N],
    last_t: [f64; N],
    ring: [[f64; N]; WINDOW],
    sum: [f64; N],
    filled: [f64; N],
    measured: [f64; N],
    reported: [f64; N],
    reserved: [u32; N],
    takes: [bool; N],
    takers: [u32; 3],
    /// When each worker's processes are (or were) ready.
    procs: [[f64; PROCS]; N],
    weights: [f64; K],
}

impl Pools {
    fn new(exact: bool) -> Self {
        Self {
            exact,
            sessions: [0; N],
            load: [0.0; N],
            area: [0.0; N],
            last_t: [0.0; N],
            ring: [[0.0; N]; WINDOW],
            sum: [0.0; N],
            filled: [0.0; N],
            measured: [0.0; N],
            reported: [0.0; N],
            reserved: [0; N],
            takes: [true; N],
            takers: [K as u32; 3],
            procs: [[0.0; PROCS]; N],
            weights: [0.0; K],
        }
    }

    /// Whether worker `i` would take a job now.
    #[inline(always)]
    fn would_take(&self, i: usize) -> bool {
        let (seen, m, reserved) = if self.exact {
            (self.load[i], self.load[i], 0)
        } else {
            (self.reported[i], self.measured[i], self.reserved[i])
        };
        (seen < THRESHOLD) & (m + f64::from(reserved + 1) * PER_SESSION <= THRESHOLD + EPS)
    }

    /// Worker `i` gains (`up`) or loses a session at `t`.
    #[inline(always)]
    fn step(&mut self, i: usize, t: f64, up: bool) {
        if t > self.last_t[i] {
            self.area[i] += self.load[i] * (t - self.last_t[i]);
            self.last_t[i] = t;
        }
        let s = if up {
            self.sessions[i] + 1
        } else {
            self.sessions[i] - 1
        };
        self.sessions[i] = s;
        self.load[i] = PER_SESSION * f64::from(s);
        self.reserved[i] += u32::from(up);
        let takes = self.would_take(i);
        let r = i / K;
        self.takers[r] = self.takers[r] - u32::from(self.takes[i]) + u32::from(takes);
        self.takes[i] = takes;
    }

    /// The worker of region `r` a job goes to, `u` uniform in [0, 1): the
    /// engine's weighted pick and walk.
    #[inline(always)]
    fn pick(&mut self, r: usize, u: f64) -> usize {
        let at = r * K;
        let seen = if self.exact {
            &self.load[at..at + K]
        } else {
            &self.reported[at..at + K]
        };
        let takes = &self.takes[at..at + K];
        for i in 0..K {
            let x = (1.0 - seen[i]).max(0.0);
            self.weights[i] = if takes[i] { x } else { 0.0 };
        }
        let mut u = u * self.weights.iter().fold(0.0, |s, &x| s + x);
        let (mut hit, mut last) = (usize::MAX, usize::MAX);
        for i in 0..K {
            let (x, t) = (self.weights[i], takes[i]);
            hit = if t & (u < x) & (hit == usize::MAX) {
                i
            } else {
                hit
            };
            last = if t { i } else { last };
            u -= x;
        }
        at + if hit == usize::MAX { last } else { hit }
    }

    /// A process for a job on worker `i` at `t`: the wait for it (the
    /// earliest ready, whose replacement starts at once).
    #[inline(always)]
    fn take_process(&mut self, i: usize, t: f64) -> f64 {
        let p = &mut self.procs[i];
        let mut j = 0;
        for k in 1..PROCS {
            j = if p[k] < p[j] { k } else { j };
        }
        let wait = (p[j] - t).max(0.0);
        p[j] = t + PROC_START_S;
        wait
    }

    /// Sample `k` at `t` for every worker; every `WINDOW`-th also re-sums
    /// the windows and reports. Then every worker's eligibility afresh.
    fn tick(&mut self, k: u64, t: f64) {
        let slot = ((k - 1) % WINDOW as u64) as usize;
        let ring = &mut self.ring[slot];
        let per_dt = 1.0 / DT;
        for i in 0..N {
            let s = (self.area[i] + self.load[i] * (t - self.last_t[i])) * per_dt;
            self.sum[i] += s - ring[i];
            ring[i] = s;
            self.area[i] = 0.0;
            self.last_t[i] = t;
            self.filled[i] = (self.filled[i] + 1.0).min(WINDOW as f64);
            self.measured[i] = (self.sum[i] / self.filled[i]).max(0.0);
        }
        self.reserved = [0; N];
        if slot == WINDOW - 1 {
            let mut acc = self.ring[0];
            for row in &self.ring[1..] {
                for (a, &x) in acc.iter_mut().zip(row) {
                    *a += x;
                }
            }
            self.sum = acc;
            for i in 0..N {
                self.measured[i] = (acc[i] / self.filled[i]).max(0.0);
            }
            self.reported = self.measured;
        }
        let mut takes = [false; N];
        for (i, x) in takes.iter_mut().enumerate() {
            *x = (self.reported[i] < THRESHOLD)
                & (self.measured[i] + f64::from(self.reserved[i] + 1) * PER_SESSION
                    <= THRESHOLD + EPS);
        }
        self.takes = takes;
        for r in 0..3 {
            self.takers[r] = takes[r * K..(r + 1) * K]
                .iter()
                .map(|&x| u32::from(x))
                .sum();
        }
    }
}

/// Simulate [0, horizon_s] with the engine's streams for (seed, replication 0).
pub fn run(horizon_s: f64, seed: u64, exact: bool) -> Counts {
    let mut sessions = Sessions::new(seed);
    let mut picks = stream(seed, 0, Purpose::Workers, 0);
    // Departure times as bits (non-negative floats order like their bits) and worker.
    let mut heap: BinaryHeap<Reverse<(u64, u8)>> = BinaryHeap::with_capacity(3 * 128);
    let mut pools = Pools::new(exact);
    let (mut k, mut tick_at) = (1u64, if exact { f64::INFINITY } else { DT });
    let mut c = Counts::default();
    loop {
        let (p, t) = sessions.peek();
        if t > horizon_s {
            break;
        }
        // Departures and ticks up to the arrival, in time order.
        loop {
            let d = heap
                .peek()
                .map_or(f64::INFINITY, |Reverse((d, _))| f64::from_bits(*d));
            if d <= tick_at {
                if d > t {
                    break;
                }
                let Some(Reverse((_, w))) = heap.pop() else {
                    break;
                };
                pools.step(usize::from(w), d, false);
            } else {
                if tick_at > t {
                    break;
                }
                pools.tick(k, tick_at);
                k += 1;
                tick_at = k as f64 * DT;
            }
            c.events += 1;
        }
        c.sessions += 1;
        c.events += 1;
        let length = sessions.take(p, t);
        match ORDER[p].iter().find(|&&r| pools.takers[r] > 0) {
            Some(&r) => {
                let w = pools.pick(r, picks.random::<f64>());
                pools.step(w, t, true);
                c.over_admitted += u64::from(pools.load[w] > THRESHOLD + EPS);
                let wait = pools.take_process(w, t);
                c.process_waits += u64::from(wait > 0.0);
                c.overflow += u64::from(r != ORDER[p][0]);
                heap.push(Reverse(((t + (wait + length)).to_bits(), w as u8)));
            }
            None => c.rejected += 1,
        }
    }
    c
}
