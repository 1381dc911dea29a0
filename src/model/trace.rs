//! A replayed trace: a population's sessions as logged, loaded once when the
//! scenario is read and held in a compact form (16 bytes a session: instant,
//! duration, place), sorted by instant. The engine walks it in order; nothing
//! is read from disk during a run.

use rand::Rng;

/// Most sessions all the traces of one scenario may hold together (16 bytes
/// each: 160 MB).
pub const MAX_TRACE_SESSIONS: usize = 10_000_000;

/// One logged session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceRow {
    /// Arrival, seconds from the run's start (time scale applied).
    pub at: f64,
    /// Length, seconds.
    pub duration: f32,
    /// Index into the population's `cities`.
    pub place: u32,
}

/// A population's trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Sessions, by arrival (ties in file order).
    pub rows: Vec<TraceRow>,
    /// Each row is replayed `floor(f)` times plus once more with probability
    /// `f - floor(f)`: 1 replays the trace exactly.
    pub rate_factor: f64,
    /// Bad rows of the file left out (within the share the scenario allows),
    /// and the first one's line and reason.
    pub left_out: (u64, String),
}

/// Where a replay stands in its trace.
#[derive(Debug, Clone, Copy, Default)]
pub struct TraceCursor {
    /// The next row to consider.
    next: usize,
    /// The row whose arrival is scheduled.
    pub row: usize,
    /// Copies of `row` still to deliver after the scheduled one.
    copies_left: u32,
}

impl Trace {
    /// How many times a row is replayed: exactly once at factor 1 (no draw),
    /// otherwise floor(f) plus one with probability frac(f), drawn from `rng`.
    fn copies<R: Rng>(&self, rng: &mut R) -> u32 {
        let f = self.rate_factor;
        if f == 1.0 {
            return 1;
        }
        let whole = f.floor();
        whole as u32 + u32::from(rng.random::<f64>() < f - whole)
    }

    /// The next arrival's instant, moving the cursor to its row; `None` once
    /// the trace is exhausted.
    pub fn next_arrival<R: Rng>(&self, cur: &mut TraceCursor, rng: &mut R) -> Option<f64> {
        if cur.copies_left > 0 {
            cur.copies_left -= 1;
            return Some(self.rows[cur.row].at);
        }
        while cur.next < self.rows.len() {
            let i = cur.next;
            cur.next += 1;
            let k = self.copies(rng);
            if k > 0 {
                cur.row = i;
                cur.copies_left = k - 1;
                return Some(self.rows[i].at);
            }
        }
        None
    }

    /// Sessions per hour of the day, averaged over the days the trace spans:
    /// a stand-in daily profile for estimates (the engine replays the rows).
    pub fn hourly_profile(&self) -> (f64, [f64; 24]) {
        let mut counts = [0.0; 24];
        let Some(last) = self.rows.last() else {
            return (0.0, counts);
        };
        let days = (last.at / 86_400.0).floor() + 1.0;
        for r in &self.rows {
            counts[((r.at / 3_600.0).floor() as usize) % 24] += self.rate_factor / days;
        }
        let peak = counts.iter().copied().fold(0.0, f64::max);
        if peak > 0.0 {
            counts.iter_mut().for_each(|c| *c /= peak);
        }
        (peak / 3_600.0, counts)
    }
}
