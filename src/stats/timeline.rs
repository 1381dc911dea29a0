//! What a run's timeline did: per event, the sessions it cut or moved, and the
//! outcomes that happened while it was in effect (its window), so reports can
//! set overflow and rejection during an outage or a migration against the rest
//! of the run. Fixed size per event; merging adds.

use super::Distribution;

/// Outcome counts of window sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outcomes {
    /// Got an agent.
    pub served: u64,
    /// Of those, outside their home region.
    pub overflow: u64,
    /// Rejected.
    pub rejected: u64,
    /// Gave up waiting.
    pub abandoned: u64,
}

impl Outcomes {
    fn add(&mut self, o: &Outcomes) {
        self.served += o.served;
        self.overflow += o.overflow;
        self.rejected += o.rejected;
        self.abandoned += o.abandoned;
    }
}

/// What one timeline event did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Impact {
    /// Window sessions it cut (drain end, outage without failover, failover that
    /// found no agent).
    pub interrupted: u64,
    /// Window sessions it moved to another agent after their agent failed.
    pub redispatched: u64,
    /// Outcomes decided inside the event's window.
    pub inside: Outcomes,
}

impl Impact {
    fn merge(&mut self, b: &Impact) {
        let Impact {
            interrupted,
            redispatched,
            inside,
        } = b;
        self.interrupted += interrupted;
        self.redispatched += redispatched;
        self.inside.add(inside);
    }
}

/// An outcome being recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Served at home.
    Home,
    /// Served elsewhere.
    Overflow,
    /// Rejected.
    Rejected,
    /// Abandoned.
    Abandoned,
}

/// Per-event impacts and the latency of getting a new agent after a failure.
#[derive(Debug, Clone, Default)]
pub struct TimelineStats {
    /// Each event's window [start, end), seconds.
    pub windows: Vec<(f64, f64)>,
    /// Per event, in the scenario's order.
    pub impacts: Vec<Impact>,
    /// Failure to new agent joined, ms, of redispatched window sessions that got
    /// one: detection, waiting, dispatch and start-up.
    pub rejoin: Distribution,
}

impl TimelineStats {
    /// Statistics for events with these windows.
    pub fn new(windows: Vec<(f64, f64)>) -> Self {
        Self {
            impacts: vec![Impact::default(); windows.len()],
            windows,
            rejoin: Distribution::new(),
        }
    }

    /// Whether there is anything to track (no timeline: nothing to do per outcome).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// A window session's outcome at t, into every event window holding t.
    pub fn outcome(&mut self, t: f64, o: Outcome) {
        for (w, imp) in self.windows.iter().zip(&mut self.impacts) {
            if w.0 <= t && t < w.1 {
                let x = &mut imp.inside;
                match o {
                    Outcome::Home => x.served += 1,
                    Outcome::Overflow => {
                        x.served += 1;
                        x.overflow += 1;
                    }
                    Outcome::Rejected => x.rejected += 1,
                    Outcome::Abandoned => x.abandoned += 1,
                }
            }
        }
    }

    /// Fold another run's in.
    pub fn merge(&mut self, other: &TimelineStats) {
        let TimelineStats {
            windows: _,
            impacts,
            rejoin,
        } = other;
        for (a, b) in self.impacts.iter_mut().zip(impacts) {
            a.merge(b);
        }
        self.rejoin.merge(rejoin);
    }
}
