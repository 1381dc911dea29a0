//! The classic hold-model benchmark of event lists, for docs/performance.md:
//! `cargo run --release --example hold_model [ops]`.
//!
//! A queue of n pending events; each operation pops the earliest and schedules
//! one at its time plus an increment drawn from an exponential, a uniform or a
//! bimodal distribution (all of mean about 1), at n = 10^2 .. 10^5. It compares
//! the engine's own event list (a 4-ary heap of 24-byte entries plus the arrival
//! heap) with the candidates that were weighed against it: the same 4-ary heap
//! on 16-byte entries (the payload moved out, the best a smaller event record
//! could give), the standard library's binary heap, a calendar queue (Brown
//! 1988, resized as the queue grows and shrinks) and the engine's event list on
//! its radix heap (valid because no event is scheduled in the past), which it
//! uses for worlds with many slots. Every queue must pop the
//! very same sequence (checked by a checksum of the popped sequence numbers),
//! so the tie-breaking on (time, insertion sequence) is part of what is timed.
//! It prints nanoseconds per hold operation (pop + push), the median of three
//! timed passes; run it on an idle machine.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution as _, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;
use regionsim::engine::queue::{EventQueue, Kind, MainHeap, RadixHeap};

/// An event list as the hold model drives it: (time, insertion sequence).
trait Hold {
    fn push(&mut self, t: f64, seq: u64);
    fn pop(&mut self) -> (f64, u64);
}

/// The engine's event list (on either heap); the sequence travels as payload
/// so it can be checked.
impl<H: MainHeap> Hold for EventQueue<H> {
    fn push(&mut self, t: f64, seq: u64) {
        EventQueue::push(self, t, Kind::Departure, seq as u32, (seq >> 32) as u32);
    }
    fn pop(&mut self) -> (f64, u64) {
        let e = EventQueue::pop(self).expect("never empty");
        (e.time, u64::from(e.a) | u64::from(e.b) << 32)
    }
}

/// Order-preserving integer key of (time, sequence), as the engine builds it.
fn key(t: f64, seq: u64) -> u128 {
    let b = t.to_bits();
    let tk = b ^ ((((b as i64) >> 63) as u64) >> 1 | 1 << 63);
    (tk as u128) << 64 | seq as u128
}

fn unkey(k: u128) -> (f64, u64) {
    let tk = (k >> 64) as u64;
    let b = if tk >> 63 == 1 { tk ^ (1 << 63) } else { !tk };
    (f64::from_bits(b), k as u64)
}

/// The standard binary heap on 16-byte keys.
#[derive(Default)]
struct StdHeap(BinaryHeap<Reverse<u128>>);

impl Hold for StdHeap {
    fn push(&mut self, t: f64, seq: u64) {
        self.0.push(Reverse(key(t, seq)));
    }
    fn pop(&mut self) -> (f64, u64) {
        unkey(self.0.pop().expect("never empty").0)
    }
}

/// The engine's 4-ary heap (hole to a leaf by a tournament, then sift-up) on
/// 16-byte keys alone.
#[derive(Default)]
struct Quad16(Vec<u128>);

impl Hold for Quad16 {
    fn push(&mut self, t: f64, seq: u64) {
        let k = key(t, seq);
        self.0.push(k);
        let i = self.0.len() - 1;
        self.sift_up(i, k);
    }
    fn pop(&mut self) -> (f64, u64) {
        let v = &mut self.0;
        let last = v.pop().expect("never empty");
        if v.is_empty() {
            return unkey(last);
        }
        let top = v[0];
        let n = v.len();
        let mut i = 0;
        loop {
            let c = 4 * i + 1;
            if c + 3 < n {
                let (a, ka) = if v[c + 1] < v[c] {
                    (c + 1, v[c + 1])
                } else {
                    (c, v[c])
                };
                let (b, kb) = if v[c + 3] < v[c + 2] {
                    (c + 3, v[c + 3])
                } else {
                    (c + 2, v[c + 2])
                };
                let m = if kb < ka { b } else { a };
                v[i] = v[m];
                i = m;
            } else {
                if c < n {
                    let m = (c..n).min_by_key(|&j| v[j]).expect("c < n");
                    v[i] = v[m];
                    i = m;
                }
                break;
            }
        }
        self.sift_up(i, last);
        unkey(top)
    }
}

impl Quad16 {
    fn sift_up(&mut self, mut i: usize, k: u128) {
        while i > 0 {
            let p = (i - 1) / 4;
            if self.0[p] <= k {
                break;
            }
            self.0[i] = self.0[p];
            i = p;
        }
        self.0[i] = k;
    }
}

/// A calendar queue: buckets of one `width` each, a "year" of `buckets.len()`
/// widths; each bucket sorted by key, latest first, so the earliest pops off
/// its end. Resized (and its width re-estimated from the earliest events)
/// whenever the size leaves [buckets / 2, 2 buckets].
struct Calendar {
    buckets: Vec<Vec<u128>>,
    width: f64,
    /// Absolute index of the window (bucket width) of the last pop: its
    /// bucket is `window % buckets`; integer, so it never drifts from `slot`.
    window: u64,
    size: usize,
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            buckets: vec![Vec::new(); 2],
            width: 1.0,
            window: 0,
            size: 0,
        }
    }
}

impl Calendar {
    /// Absolute window index of time t.
    fn slot(&self, t: f64) -> u64 {
        (t / self.width) as u64
    }

    fn insert(&mut self, k: u128) {
        let b = (self.slot(unkey(k).0) % self.buckets.len() as u64) as usize;
        let list = &mut self.buckets[b];
        let at = list.partition_point(|&x| x > k);
        list.insert(at, k);
    }

    fn resize(&mut self, nb: usize) {
        let mut all: Vec<u128> = self.buckets.iter().flatten().copied().collect();
        all.sort_unstable();
        // Brown's estimate: three times the mean gap between the earliest
        // events, leaving out gaps more than twice that mean.
        let head: Vec<f64> = all.iter().take(25).map(|&k| unkey(k).0).collect();
        let gaps: Vec<f64> = head.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
        let kept: Vec<f64> = gaps.into_iter().filter(|&g| g <= 2.0 * mean).collect();
        let m = kept.iter().sum::<f64>() / kept.len().max(1) as f64;
        self.width = if m > 0.0 { 3.0 * m } else { self.width };
        self.buckets = vec![Vec::new(); nb.max(2)];
        for k in all {
            self.insert(k);
        }
        self.seek();
    }

    /// Point the calendar at the earliest event by a direct search.
    fn seek(&mut self) {
        let earliest = self.buckets.iter().filter_map(|b| b.last()).min().copied();
        if let Some(k) = earliest {
            self.window = self.slot(unkey(k).0);
        }
    }
}

impl Hold for Calendar {
    fn push(&mut self, t: f64, seq: u64) {
        let k = key(t, seq);
        self.insert(k);
        self.size += 1;
        if self.size == 1 || self.slot(t) < self.window {
            self.seek();
        }
        if self.size > 2 * self.buckets.len() {
            self.resize(2 * self.buckets.len());
        }
    }

    fn pop(&mut self) -> (f64, u64) {
        let nb = self.buckets.len() as u64;
        for _ in 0..nb {
            let b = (self.window % nb) as usize;
            if let Some(&k) = self.buckets[b].last() {
                if self.slot(unkey(k).0) <= self.window {
                    self.buckets[b].pop();
                    return self.popped(k);
                }
            }
            self.window += 1;
        }
        self.seek();
        let b = (self.window % nb) as usize;
        let k = self.buckets[b].pop().expect("never empty");
        self.popped(k)
    }
}

impl Calendar {
    fn popped(&mut self, k: u128) -> (f64, u64) {
        self.size -= 1;
        if self.size < self.buckets.len() / 2 && self.buckets.len() > 2 {
            self.resize(self.buckets.len() / 2);
        }
        unkey(k)
    }
}

/// Increment distributions of the hold model, each of mean about 1.
#[derive(Clone, Copy)]
enum Inc {
    Exponential,
    Uniform,
    /// 90 % in [0, 0.2), 10 % in [9, 10.2): mean 1.05, a spread of two scales.
    Bimodal,
}

impl Inc {
    fn draw(self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        match self {
            Inc::Exponential => Exp1.sample(rng),
            Inc::Uniform => 2.0 * rng.random::<f64>(),
            Inc::Bimodal => {
                let u: f64 = rng.random();
                if u < 0.9 {
                    0.2 * rng.random::<f64>()
                } else {
                    9.0 + 1.2 * rng.random::<f64>()
                }
            }
        }
    }
}

/// Nanoseconds per hold operation (median of three passes) and a checksum of
/// the popped sequence numbers.
fn run<Q: Hold + Default>(n: usize, ops: usize, inc: Inc) -> (f64, u64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut q = Q::default();
    let mut seq = 0u64;
    for _ in 0..n {
        q.push(inc.draw(&mut rng), seq);
        seq += 1;
    }
    let mut check = 0u64;
    let mut hold = |q: &mut Q, rng: &mut Xoshiro256PlusPlus, k: usize| {
        for _ in 0..k {
            let (t, s) = q.pop();
            check = check.wrapping_mul(31).wrapping_add(s);
            q.push(t + inc.draw(rng), seq);
            seq += 1;
        }
    };
    hold(&mut q, &mut rng, n.max(10_000)); // warm-up: reach the steady state
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        hold(&mut q, &mut rng, ops);
        times.push(started.elapsed().as_secs_f64() * 1e9 / ops as f64);
    }
    times.sort_by(f64::total_cmp);
    (times[1], black_box(check))
}

fn main() {
    let ops: usize = std::env::args()
        .nth(1)
        .map_or(1_000_000, |a| a.parse().expect("number of hold operations"));
    println!("hold model: ns per pop + push, median of 3 passes of {ops} operations");
    println!(
        "{:<12} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "increments", "n", "engine", "quad16", "std heap", "calendar", "eng. radix"
    );
    let incs = [
        ("exponential", Inc::Exponential),
        ("uniform", Inc::Uniform),
        ("bimodal", Inc::Bimodal),
    ];
    for (name, inc) in incs {
        for n in [100, 1_000, 10_000, 100_000] {
            let (e, ce) = run::<EventQueue>(n, ops, inc);
            let (q, cq) = run::<Quad16>(n, ops, inc);
            let (s, cs) = run::<StdHeap>(n, ops, inc);
            let (c, cc) = run::<Calendar>(n, ops, inc);
            let (r, cr) = run::<EventQueue<RadixHeap>>(n, ops, inc);
            assert!(
                ce == cq && cq == cs && cs == cc && cc == cr,
                "the queues popped different sequences"
            );
            println!("{name:<12} {n:>7} {e:>10.1} {q:>10.1} {s:>10.1} {c:>10.1} {r:>10.1}");
        }
    }
}
