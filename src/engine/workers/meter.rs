//! How a pool's workers measure their load and whether each would take a
//! job: the integral of true load since the last sample, the last `window`
//! samples, their running sum, the moving average, the last report, and the
//! eligibility that follows from them, one flat array per figure across the
//! pool's workers (structure of arrays).
//!
//! The sample tick visits every worker of a pool every half second or so,
//! which is where the worker model spends most of its work. Laid out this way
//! its arithmetic is one pass over contiguous arrays with the same operations
//! for every worker, which the compiler vectorises: a worker that is not
//! registered samples a load of 0 into a column that is cleared when it
//! registers, so no worker needs a test or a select. All workers sample at
//! the same ticks, so one ring slot per tick serves them all. A worker's
//! window completes at its own slot (the one before its first sample), where
//! its sum is taken afresh: the pool's slots, read from the one after the
//! current, then hold its last `window` samples oldest first, as its own ring
//! would. The arithmetic and its order are exactly those of a worker sampling
//! on its own, so outputs do not change.

use super::rules::Rules;
use crate::engine::rng::item_key;

/// A worker's yes or no in the pool's passes: 0 or 1, as wide as the f64
/// figures beside it, so that a pass over them vectorises in lanes of one
/// width (bytes cost a widening per lane, about a third of the pass).
type Flag = u64;

/// The measurement state of every worker index of one pool.
#[derive(Debug, Clone)]
pub(super) struct Meter {
    rules: Rules,
    /// Samples in the moving average.
    window: usize,
    /// True load now (`base + per_session x sessions`, whatever the state).
    load: Vec<f64>,
    /// The load sampled: the true load of a registered worker, else 0.
    sampled: Vec<f64>,
    /// Integral of true load since the last sample, and when it was last brought up to date.
    area: Vec<f64>,
    last_t: Vec<f64>,
    /// Running sum of the worker's last `window` samples.
    sum: Vec<f64>,
    /// The moving average of the samples.
    measured: Vec<f64>,
    /// The measurement last reported to the server.
    reported: Vec<f64>,
    /// Jobs taken since the last sample (not yet in any sample): a count,
    /// held as f64 (exact far beyond any pool's jobs) for the same lanes as
    /// the flags.
    reserved: Vec<f64>,
    /// The slot whose sample completes each worker's window (the one before
    /// its first), and how many of the window's slots hold one of its samples.
    ends: Vec<u32>,
    filled: Vec<f64>,
    /// Per slot: the registered workers whose window that slot completes
    /// (in no particular order: each is re-summed on its own).
    due: Vec<Vec<u32>>,
    /// Registered (ready or draining): measured, reported, its load counted.
    reg: Vec<bool>,
    /// Ready: may take jobs on its measurement.
    ready: Vec<Flag>,
    /// Provisioning and holding jobs, with room for one more.
    held: Vec<Flag>,
    /// Would take a job now (ready with room by its measurement, or held);
    /// and how many would.
    takes: Vec<Flag>,
    pub(super) takers: u32,
    /// One past the highest index holding a worker (provisioning, ready or
    /// draining; the pool knows which): the passes over the pool stop there.
    /// Indices above it hold gone workers, which are not registered, sample
    /// nothing, take no job, and are cleared before reuse, so skipping them
    /// changes no figure; an autoscaled pool that has shrunk since its peak
    /// then does not pay for its peak at every tick.
    hi: usize,
    /// Never lower `hi`: the passes then reach every index the pool ever
    /// held (to check that stopping early changes nothing).
    pub(super) every_index: bool,
    /// `window` slots of one sample per worker, slot after slot.
    ring: Vec<f64>,
    /// The columns each slot has room for (the ring's stride): the pool's
    /// initial workers at once, then half as many again whenever a new
    /// worker finds it full, so that adding columns one by one lays the
    /// ring out again a logarithmic number of times, not once per worker.
    cap: usize,
    /// The slot the next sample goes to.
    slot: usize,
    /// The instant of the last sample (0 before the first): a worker whose
    /// integral was last brought up to date then has held one load since.
    last_sample: f64,
    /// Scratch, one value per worker: the noise draws of a tick, then the
    /// sums of completed windows; the pick's weights.
    scratch: Vec<f64>,
    /// The key of the workers' load noise (a counter-based stream), and each
    /// worker index's own: worker `i`'s noise at sample `k` is drawn from
    /// `keyed(noise_keys[i], counter_key(k))`.
    noise_key: u64,
    noise_keys: Vec<u64>,
}

impl Meter {
    pub(super) fn new(rules: Rules, window: u32, noise_key: u64) -> Self {
        Self {
            rules,
            window: window as usize,
            load: Vec::new(),
            sampled: Vec::new(),
            area: Vec::new(),
            last_t: Vec::new(),
            sum: Vec::new(),
            measured: Vec::new(),
            reported: Vec::new(),
            reserved: Vec::new(),
            ends: Vec::new(),
            filled: Vec::new(),
            reg: Vec::new(),
            ready: Vec::new(),
            held: Vec::new(),
            takes: Vec::new(),
            takers: 0,
            hi: 0,
            every_index: false,
            ring: Vec::new(),
            cap: 0,
            due: vec![Vec::new(); window as usize],
            slot: 0,
            last_sample: 0.0,
            scratch: Vec::new(),
            noise_key,
            noise_keys: Vec::new(),
        }
    }

    /// Room for `more` workers beyond those so far without laying the ring
    /// out again (a pool's initial workers, known at once).
    pub(super) fn make_room(&mut self, more: usize) {
        let need = self.load.len() + more;
        if need > self.cap {
            self.lay_out(need);
        }
    }

    /// The ring laid out again with room for `cap` columns a slot, the
    /// columns so far copied and the rest empty.
    fn lay_out(&mut self, cap: usize) {
        let n = self.load.len();
        let mut ring = vec![0.0; self.window * cap];
        for s in 0..self.window {
            let (from, to) = (s * self.cap, s * cap);
            ring[to..to + n].copy_from_slice(&self.ring[from..from + n]);
        }
        (self.ring, self.cap) = (ring, cap);
        self.scratch.resize(cap, 0.0);
    }

    /// A fresh measurement for worker `i` (a new index when `i` is the count
    /// of workers so far), its integral starting at `t`; it is not
    /// registered and takes no job yet.
    pub(super) fn reset(&mut self, i: usize, t: f64) {
        let n = self.load.len();
        if i == n {
            // One more column, empty in every slot.
            if n == self.cap {
                self.lay_out(n + n / 2 + 1);
            }
            self.load.push(0.0);
            self.sampled.push(0.0);
            self.area.push(0.0);
            self.last_t.push(0.0);
            self.sum.push(0.0);
            self.measured.push(0.0);
            self.reported.push(0.0);
            self.reserved.push(0.0);
            self.ends.push(0);
            self.filled.push(0.0);
            self.reg.push(false);
            self.ready.push(0);
            self.held.push(0);
            self.takes.push(0);
            self.noise_keys.push(item_key(self.noise_key, i as u64));
        }
        self.set(i, false, false, 0.0);
        self.set_held(i, false);
        self.clear(i, t);
        self.reported[i] = 0.0;
    }

    /// Worker `i`'s measurement as it was before its first sample, its
    /// integral starting at `t` (what a worker that was not registered
    /// sampled is wiped).
    fn clear(&mut self, i: usize, t: f64) {
        (self.area[i], self.last_t[i], self.sum[i]) = (0.0, t, 0.0);
        (self.measured[i], self.reserved[i]) = (0.0, 0.0);
        debug_assert!(!self.reg[i], "only a worker not registered starts afresh");
        let w = self.window;
        (self.ends[i], self.filled[i]) = (((self.slot + w - 1) % w) as u32, 0.0);
        for s in 0..self.window {
            self.ring[s * self.cap + i] = 0.0;
        }
    }

    /// Worker `i`'s true load now.
    #[inline]
    pub(super) fn load(&self, i: usize) -> f64 {
        self.load[i]
    }

    /// Whether worker `i` is registered.
    #[inline]
    pub(super) fn registered(&self, i: usize) -> bool {
        self.reg[i]
    }

    /// Worker `i`'s standing after a change: registered, ready, its true load.
    pub(super) fn set(&mut self, i: usize, reg: bool, ready: bool, load: f64) {
        if reg != self.reg[i] {
            self.registers(i, reg);
            self.reg[i] = reg;
        }
        self.set_load(i, ready, load);
    }

    /// One past the highest index holding a worker, which the passes reach.
    #[inline]
    pub(super) fn extent(&self) -> usize {
        self.hi
    }

    /// The passes reach `hi` from now on (never lower with `every_index`).
    pub(super) fn set_extent(&mut self, hi: usize) {
        self.hi = if self.every_index {
            self.hi.max(hi)
        } else {
            hi
        };
    }

    /// Worker `i`'s readiness and true load after a session came or went,
    /// its registration unchanged.
    #[inline]
    pub(super) fn set_load(&mut self, i: usize, ready: bool, load: f64) {
        (self.ready[i], self.load[i]) = (Flag::from(ready), load);
        self.sampled[i] = if self.reg[i] { load } else { 0.0 };
    }

    /// Worker `i` registers (or leaves): its window's slot lists it (or no
    /// longer does). Rare next to the session changes that call
    /// [`Self::set`], so kept out of it.
    #[cold]
    #[inline(never)]
    fn registers(&mut self, i: usize, reg: bool) {
        let due = &mut self.due[self.ends[i] as usize];
        if reg {
            due.push(i as u32);
        } else if let Some(k) = due.iter().position(|&j| j as usize == i) {
            due.swap_remove(k);
        }
    }

    /// Worker `i` took a job since its last sample.
    pub(super) fn reserve(&mut self, i: usize) {
        self.reserved[i] += 1.0;
    }

    /// Worker `i` registers at `t` holding `sessions` jobs, none measured yet.
    pub(super) fn register(&mut self, i: usize, t: f64, sessions: u32) {
        self.clear(i, t);
        self.reserved[i] = f64::from(sessions);
    }

    /// Bring worker `i`'s integral up to `t` if it is registered (before its
    /// session count changes).
    pub(super) fn touch(&mut self, i: usize, t: f64) {
        if self.reg[i] && t > self.last_t[i] {
            self.area[i] += self.load[i] * (t - self.last_t[i]);
            self.last_t[i] = t;
        }
    }

    /// Worker `i`'s measurement (its true load when it knows it exactly).
    #[inline]
    fn measured(&self, i: usize) -> f64 {
        self.rules.measured(self.load[i], self.measured[i])
    }

    /// The load the server last heard from worker `i`.
    #[inline]
    pub(super) fn reported(&self, i: usize) -> f64 {
        self.rules.reported(self.measured(i), self.reported[i])
    }

    /// Whether worker `i`, if ready, would be offered a job and accept it.
    #[inline]
    fn would_take(&self, i: usize) -> bool {
        let reserved = self.rules.reserved(self.reserved[i]);
        self.rules
            .would_take(self.reported(i), self.measured(i), reserved)
    }

    /// Whether worker `i` is provisioning and holding jobs with room for
    /// one more; decides afresh whether it would take a job.
    #[inline]
    pub(super) fn set_held(&mut self, i: usize, held: bool) {
        self.held[i] = Flag::from(held);
        let takes = Flag::from((self.ready[i] != 0 && self.would_take(i)) || held);
        self.takers = self.takers - self.takes[i] as u32 + takes as u32;
        self.takes[i] = takes;
    }
}

mod rest;
mod tick;
