//! The bare limit of the speed reference model (docs/performance.md): a binary heap of
//! departures and nothing else. Three Poisson populations, exponential session
//! lengths, nearest region first and spill to the next nearest when full,
//! rejection when all are full; counters only, no statistics.
//!
//! It draws from the same random streams as the engine (arrivals and session
//! lengths per population), so on the reference scenario both see the same
//! sessions: the difference in speed is the engine's generality and statistics.
//! Shared by `examples/bare_loop.rs` (timing) and the integration tests
//! (agreement with the engine), and kept out of the library on purpose.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand_distr::{Distribution, Exp1};
use regionsim::engine::rng::{stream, Purpose, SimRng};

#[path = "worker_loop.rs"]
pub mod workers;

/// Arrivals per second of each population (95 Erlangs at 120 s).
pub const RATE_PER_S: f64 = 0.7917;
/// Mean session length, seconds.
pub const MEAN_S: f64 = 120.0;
/// Slots per region.
pub const CAPACITY: u32 = 100;
/// Per population (americas, europe, asia): regions (us-east, eu-central,
/// ap-south) nearest first, as the reference scenario's RTTs order them.
pub const ORDER: [[usize; 3]; 3] = [[0, 1, 2], [1, 0, 2], [2, 1, 0]];

/// What one bare run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sessions that arrived.
    pub sessions: u64,
    /// Served outside their nearest region.
    pub overflow: u64,
    /// Found every region full.
    pub rejected: u64,
    /// Events processed: arrivals plus departures.
    pub events: u64,
}

/// The reference's sessions in arrival order, drawn from the engine's
/// streams for (seed, replication 0): inter-arrival times and session
/// lengths per population, in the engine's order.
pub struct Sessions {
    arrivals: Vec<SimRng>,
    lengths: Vec<SimRng>,
    next: [f64; 3],
}

impl Sessions {
    pub fn new(seed: u64) -> Self {
        let mut arrivals: Vec<_> = (0..3)
            .map(|p| stream(seed, 0, Purpose::Arrivals, p))
            .collect();
        let lengths = (0..3)
            .map(|p| stream(seed, 0, Purpose::Attributes, p))
            .collect();
        let mut next: [f64; 3] = [0.0; 3];
        for (p, rng) in arrivals.iter_mut().enumerate() {
            let e: f64 = Exp1.sample(rng);
            next[p] = e / RATE_PER_S;
        }
        Self {
            arrivals,
            lengths,
            next,
        }
    }

    /// The next arrival, not yet taken: its population and instant.
    #[inline(always)]
    pub fn peek(&self) -> (usize, f64) {
        let next = &self.next;
        let p = if next[0] <= next[1] && next[0] <= next[2] {
            0
        } else if next[1] <= next[2] {
            1
        } else {
            2
        };
        (p, next[p])
    }

    /// Take population `p`'s arrival at `t`: its session's length; the
    /// population's next arrival is drawn.
    #[inline(always)]
    pub fn take(&mut self, p: usize, t: f64) -> f64 {
        let e: f64 = Exp1.sample(&mut self.lengths[p]);
        let length = e * MEAN_S;
        let e: f64 = Exp1.sample(&mut self.arrivals[p]);
        self.next[p] = t + e / RATE_PER_S;
        length
    }
}

/// Simulate [0, horizon_s] with the engine's streams for (seed, replication 0).
pub fn run(horizon_s: f64, seed: u64) -> Counts {
    let mut sessions = Sessions::new(seed);
    // Departure times as bits (non-negative floats order like their bits) and region.
    let mut heap: BinaryHeap<Reverse<(u64, u8)>> = BinaryHeap::with_capacity(3 * 128);
    let mut busy = [0u32; 3];
    let mut c = Counts::default();
    loop {
        let (p, t) = sessions.peek();
        if t > horizon_s {
            break;
        }
        while let Some(&Reverse((d, r))) = heap.peek() {
            if f64::from_bits(d) > t {
                break;
            }
            heap.pop();
            busy[r as usize] -= 1;
            c.events += 1;
        }
        c.sessions += 1;
        c.events += 1;
        let length = sessions.take(p, t);
        match ORDER[p].iter().find(|&&r| busy[r] < CAPACITY) {
            Some(&r) => {
                busy[r] += 1;
                c.overflow += u64::from(r != ORDER[p][0]);
                heap.push(Reverse(((t + length).to_bits(), r as u8)));
            }
            None => c.rejected += 1,
        }
    }
    c
}
