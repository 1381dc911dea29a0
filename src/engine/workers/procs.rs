//! A worker's warm pool of job processes: how many are started and idle, and
//! when those still starting will be ready. A job takes an idle process or
//! waits for the first one to come up; each process taken is replaced by a new
//! start at once, as the agents framework's process pool does.

use crate::engine::rng::SimRng;
use crate::model::dist::TimeDist;

/// Idle processes and the ready times of those starting.
#[derive(Debug, Clone, Default)]
pub(super) struct Procs {
    idle: u32,
    starting: Vec<f64>,
}

impl Procs {
    /// A worker present from the start: `n` processes started and idle.
    pub(super) fn warm(n: u32) -> Self {
        Self {
            idle: n,
            starting: Vec::new(),
        }
    }

    /// A new worker registering at `ready_at` starts its `n` processes then.
    pub(super) fn cold(ready_at: f64, n: u32, start: &TimeDist, rng: &mut SimRng) -> Self {
        Self {
            idle: 0,
            starting: (0..n).map(|_| ready_at + start.sample(rng)).collect(),
        }
    }

    /// A process for a job at `t` with `target` idle processes kept: returns
    /// the wait for it and the processes started.
    pub(super) fn take(
        &mut self,
        t: f64,
        target: u32,
        start: &TimeDist,
        rng: &mut SimRng,
    ) -> (f64, u32) {
        let before = self.starting.len();
        self.starting.retain(|&r| r > t);
        self.idle += (before - self.starting.len()) as u32;
        if target == 0 {
            // No warm pool: every job starts its own process.
            return (start.sample(rng), 1);
        }
        let wait = if self.idle > 0 {
            self.idle -= 1;
            0.0
        } else {
            // The earliest process to come up is this job's.
            let (i, r) = self
                .starting
                .iter()
                .copied()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("a pool with no idle process has one starting");
            self.starting.swap_remove(i);
            r - t
        };
        self.starting.push(t + start.sample(rng));
        (wait, 1)
    }
}
