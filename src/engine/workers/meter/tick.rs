//! The passes over a whole pool: a load sample at a tick, a load report, the
//! weighted pick of a worker for a job and the pool's summed true load. The
//! sample's arithmetic is one loop over equal-length slices doing the same
//! operations for every worker, so that the compiler vectorises it; only the
//! re-summing of a completed window and the eligibility that follows are
//! per worker.

use rand_distr::{Distribution, StandardNormal};

use super::*;
use crate::engine::rng::{counter_key, keyed};

impl Meter {
    /// Load sample `k` (at `t`, `dt` after the last) for every registered
    /// worker, with Gaussian noise of standard deviation `noise` (0: none).
    /// Whether each would take a job is left to [`Self::refresh_takes`].
    pub(in crate::engine::workers) fn sample(&mut self, t: f64, k: u64, (dt, noise): (f64, f64)) {
        let slot = self.slot;
        if noise > 0.0 {
            self.draw_noise(k);
            self.integrate::<true, false>(t, dt, noise, slot);
        } else if pow2(dt) {
            self.integrate::<false, true>(t, dt, noise, slot);
        } else {
            self.integrate::<false, false>(t, dt, noise, slot);
        }
        self.resum(slot);
        self.slot = if slot + 1 == self.window { 0 } else { slot + 1 };
        self.last_sample = t;
    }

    /// Each registered worker's standard normal draw for sample `k`, into
    /// the scratch column (0 for the others). Each draw is keyed by
    /// (deployment, worker, sample) alone: no other worker, pool or draw of
    /// the run, and no order of evaluation, changes it. Kept out of
    /// [`Self::sample`] so that pools without noise do not carry the
    /// normal sampler's registers and stack.
    #[inline(never)]
    fn draw_noise(&mut self, k: u64) {
        let hi = self.hi;
        let draws = self.scratch[..hi].iter_mut().zip(&self.reg[..hi]);
        let at = counter_key(k);
        for ((z, &r), &key) in draws.zip(&self.noise_keys) {
            *z = if r {
                StandardNormal.sample(&mut keyed(key, at))
            } else {
                0.0
            };
        }
    }

    /// Every worker's sample into `slot`, its running sum and moving
    /// average, its integral restarted at `t` and its reservations cleared.
    fn integrate<const NOISE: bool, const POW2: bool>(
        &mut self,
        t: f64,
        dt: f64,
        noise: f64,
        slot: usize,
    ) {
        let (cap, hi) = (self.cap, self.hi);
        let (x, z) = (&self.sampled, &self.scratch);
        let (area, last_t, sum) = (&mut self.area, &mut self.last_t, &mut self.sum);
        let (filled, measured) = (&mut self.filled, &mut self.measured);
        let ring = &mut self.ring[slot * cap..slot * cap + hi];
        let how = Sample {
            t,
            prev: self.last_sample,
            dt,
            noise,
            window: self.window as f64,
        };
        integrate::<NOISE, POW2>(ring, x, z, area, last_t, sum, filled, measured, how);
        self.reserved.fill(0.0);
    }

    /// The sums of registered workers whose window `slot` completes taken
    /// afresh (the running sum would otherwise drift over millions of
    /// ticks), oldest sample first, and their averages again from them.
    ///
    /// Workers registered together complete their windows at the same
    /// slot, and then one vectorised pass over the whole ring sums every
    /// column at once. Workers that registered at different times (an
    /// autoscaled pool) complete theirs at different slots, a few at each
    /// tick, and then only their own columns are summed. Either way each
    /// sum is the oldest sample copied (0 + x is x for a sample, never -0)
    /// plus the newer ones in order, bit for bit.
    fn resum(&mut self, slot: usize) {
        let (n, due) = (self.load.len(), &self.due[slot]);
        if due.is_empty() {
            return;
        }
        let (sum, measured, filled) = (&mut self.sum, &mut self.measured, &self.filled);
        // Whole slots, room included: the empty columns beyond the workers
        // add nothing that is kept.
        let cap = self.cap;
        let (ring, acc) = (&self.ring[..self.window * cap], &mut self.scratch[..cap]);
        let by_rows = 2 * due.len() >= n;
        window_sums(ring, slot, due, acc, by_rows, |i, fresh| {
            sum[i] = fresh;
            measured[i] = (fresh / filled[i]).max(0.0);
        });
    }

    /// Whether each worker would take a job, decided afresh once a tick's
    /// samples and reports are taken (one pass when both fall due). The pass
    /// is inlined once per setting of the rules' two switches (sampling and
    /// reporting on or off), so that it tests neither per worker.
    pub(in crate::engine::workers) fn refresh_takes(&mut self) {
        let (r, n) = (self.rules, self.hi);
        let f = Figures {
            load: &self.load[..n],
            measured: &self.measured[..n],
            reported: &self.reported[..n],
            reserved: &self.reserved[..n],
            ready: &self.ready[..n],
            held: &self.held[..n],
        };
        let out = &mut self.takes[..n];
        self.takers = match (r.exact_measure(), r.exact_report()) {
            (false, false) => eligibility(r.fixed(false, false), f, out),
            (false, true) => eligibility(r.fixed(false, true), f, out),
            (true, false) => eligibility(r.fixed(true, false), f, out),
            (true, true) => eligibility(r.fixed(true, true), f, out),
        };
    }

    /// Every registered worker reports its measurement, in index order;
    /// calls `seen` with each load.
    pub(in crate::engine::workers) fn report(&mut self, mut seen: impl FnMut(f64)) {
        for i in 0..self.hi {
            if self.reg[i] {
                let m = self.measured(i);
                self.reported[i] = m;
                seen(m);
            }
        }
    }

    /// The worker a job goes to, `u` uniform in [0, 1): random among those
    /// that would take one, weighted by max(0, 1 - reported load); None when
    /// none would.
    ///
    /// The weights are computed once, in a pass without branches (a worker
    /// that would not take a job weighs +0, which leaves the total of
    /// non-negative weights bit for bit as the takers' alone); the walk then
    /// subtracts the takers' weights in index order, as a walk over the
    /// takers alone would.
    pub(in crate::engine::workers) fn pick(&mut self, u: f64) -> Option<usize> {
        let (n, r) = (self.hi, self.rules);
        let (load, measured, reported) =
            (&self.load[..n], &self.measured[..n], &self.reported[..n]);
        let (takes, weights) = (&self.takes[..n], &mut self.scratch[..n]);
        for i in 0..n {
            let seen = r.reported(r.measured(load[i], measured[i]), reported[i]);
            let x = (1.0 - seen).max(0.0);
            weights[i] = if takes[i] != 0 { x } else { 0.0 };
        }
        let total = weights.iter().fold(0.0, |sum, &x| sum + x);
        walk(u * total, weights, takes)
    }

    /// The true loads of registered workers summed in index order, from 0.
    /// The others' sampled load is +0, which leaves a sum of non-negative
    /// loads bit for bit as it is, so it is added rather than tested for.
    pub(in crate::engine::workers) fn true_load(&self) -> f64 {
        self.sampled[..self.hi].iter().fold(0.0, |sum, &x| sum + x)
    }
}

/// The first taker `i` with `u` below its weight, `u` having lost the
/// weights of the takers before it; else the last taker; None without one.
///
/// A walk that stops at the hit branches on a coin flip per worker, and the
/// mispredictions cost more than the pass: this one visits every worker with
/// selects instead. A worker that takes no job weighs +0, and `u - 0` is `u`
/// bit for bit, so subtracting every weight leaves `u` at each taker exactly
/// as the walk over takers alone has it; what is subtracted after the hit is
/// never read.
#[inline(always)]
fn walk(mut u: f64, weights: &[f64], takes: &[Flag]) -> Option<usize> {
    let n = weights.len();
    let (weights, takes) = (&weights[..n], &takes[..n]);
    let (mut hit, mut last) = (usize::MAX, usize::MAX);
    for i in 0..n {
        let (x, t) = (weights[i], takes[i] != 0);
        hit = if t & (u < x) & (hit == usize::MAX) {
            i
        } else {
            hit
        };
        last = if t { i } else { last };
        u -= x;
    }
    match (hit, last) {
        (usize::MAX, usize::MAX) => None,
        (usize::MAX, last) => Some(last),
        (hit, _) => Some(hit),
    }
}

/// The sums of the windows that `slot` completes for the workers `due`
/// (columns of `ring`, whose rows are slots of `acc.len()` workers), each
/// the oldest sample copied plus the newer ones in order; `keep` gets each
/// worker and its sum. `by_rows`: one vectorised pass over the whole ring
/// into `acc`, summing every column (worth it when most are due); else each
/// due column on its own. Both add the same numbers in the same order.
#[inline(always)]
fn window_sums(
    ring: &[f64],
    slot: usize,
    due: &[u32],
    acc: &mut [f64],
    by_rows: bool,
    mut keep: impl FnMut(usize, f64),
) {
    let n = acc.len();
    let w = ring.len() / n;
    if by_rows {
        let (newer, older) = ring.split_at((slot + 1) * n);
        let mut rows = older.chunks_exact(n).chain(newer.chunks_exact(n));
        acc.copy_from_slice(rows.next().expect("a window has a slot"));
        for row in rows {
            for (a, &x) in acc.iter_mut().zip(row) {
                *a += x;
            }
        }
        for &i in due {
            keep(i as usize, acc[i as usize]);
        }
    } else {
        let oldest = if slot + 1 == w { 0 } else { slot + 1 };
        for &i in due {
            let i = i as usize;
            let (mut s, mut fresh) = (oldest, ring[oldest * n + i]);
            for _ in 1..w {
                s = if s + 1 == w { 0 } else { s + 1 };
                fresh += ring[s * n + i];
            }
            keep(i, fresh);
        }
    }
}

/// What decides whether each worker would take a job, one slice per figure.
#[derive(Clone, Copy)]
struct Figures<'a> {
    load: &'a [f64],
    measured: &'a [f64],
    reported: &'a [f64],
    reserved: &'a [f64],
    ready: &'a [Flag],
    held: &'a [Flag],
}

/// Whether each worker would take a job under `r`, into `takes`; returns how
/// many would. Every figure is re-sliced to the output's length first, so the
/// loop carries no bounds check (a third fewer instructions in the pass than
/// indexing the pool's vectors); inlined into each arm of
/// [`Meter::refresh_takes`], where `r`'s switches are constants.
#[inline(always)]
fn eligibility(r: Rules, f: Figures, takes: &mut [Flag]) -> u32 {
    let n = takes.len();
    let (load, measured, reported) = (&f.load[..n], &f.measured[..n], &f.reported[..n]);
    let (reserved, ready, held) = (&f.reserved[..n], &f.ready[..n], &f.held[..n]);
    let mut takers = 0;
    for i in 0..n {
        let m = r.measured(load[i], measured[i]);
        let seen = r.reported(m, reported[i]);
        let room = r.would_take(seen, m, r.reserved(reserved[i]));
        takes[i] = (ready[i] & Flag::from(room)) | held[i];
        takers += takes[i];
    }
    takers as u32
}

/// Whether `dt` is a power of two, so that `x * dt / dt` is `x` exactly and a
/// whole interval of `(k - 1) dt .. k dt` is `dt` exactly.
fn pow2(dt: f64) -> bool {
    dt.is_normal() && dt.to_bits() & ((1 << 52) - 1) == 0
}

/// What one sample tick integrates with: its instant, the sample interval, the
/// noise's scale and the moving-average window (samples).
#[derive(Debug, Clone, Copy)]
struct Sample {
    t: f64,
    /// The instant of the sample before.
    prev: f64,
    dt: f64,
    noise: f64,
    window: f64,
}

/// [`Meter::integrate`] on slices of one length. Not inlined: as a
/// function's arguments the slices are known not to overlap, so the loop is
/// vectorised without run-time overlap checks (hence the many arguments).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn integrate<const NOISE: bool, const POW2: bool>(
    ring: &mut [f64],
    x: &[f64],
    z: &[f64],
    area: &mut [f64],
    last_t: &mut [f64],
    sum: &mut [f64],
    filled: &mut [f64],
    measured: &mut [f64],
    how: Sample,
) {
    let Sample {
        t,
        prev,
        dt,
        noise,
        window: w,
    } = how;
    let n = ring.len();
    let per_dt = 1.0 / dt;
    let (x, z, area, last_t) = (&x[..n], &z[..n], &mut area[..n], &mut last_t[..n]);
    let (sum, filled, measured) = (&mut sum[..n], &mut filled[..n], &mut measured[..n]);
    for i in 0..n {
        // Brought up to date at or before `t`: at `t` itself the term is +0
        // and leaves the area as it is. A worker not brought up to date
        // since the last sample held one load over the whole interval, which
        // is then its sample exactly: the quotient is exact when the interval
        // is a power of two (0.5 s), else it may miss by a rounding. By a
        // power of two, dividing is multiplying by its inverse, bit for bit,
        // and much cheaper.
        let held = area[i] + x[i] * (t - last_t[i]);
        let mut s = if POW2 { held * per_dt } else { held / dt };
        if !POW2 && last_t[i] == prev {
            s = x[i];
        }
        if NOISE {
            s = (s + noise * z[i]).max(0.0);
        }
        sum[i] += s - ring[i];
        ring[i] = s;
        area[i] = 0.0;
        last_t[i] = t;
        filled[i] = (filled[i] + 1.0).min(w);
        measured[i] = (sum[i] / filled[i]).max(0.0);
    }
}

#[cfg(test)]
mod tests;
