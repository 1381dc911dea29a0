//! Supply and demand that change during a run: deployments created, deleted
//! (with drain), moved to another region, regions and deployments down for a
//! while, capacities stepped or following an hourly schedule, flash crowds.
//!
//! A scenario's `timeline` is validated into [`TimelineEvent`]s, each the
//! user's event (what reports name and measure the impact of) made of primitive
//! [`Step`]s at given times (what the engine executes). Flash crowds have no
//! steps: they are folded into their populations' arrival rates
//! ([`super::rate::Surge`]), so arrivals stay an exact non-homogeneous Poisson
//! process.

/// What happens to the sessions running on a deployment that goes down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failover {
    /// They are lost at once (outcome *interrupted*).
    Lose,
    /// After the platform notices (`detect_s`), each whose user is still there
    /// is dispatched again through the policy and keeps its original end
    /// (outcome *redispatched*); one that ends before the detection, or finds
    /// no agent before its end, is interrupted.
    Redispatch {
        /// Seconds from the failure to the re-dispatch.
        detect_s: f64,
    },
}

/// One primitive change the engine makes at a time.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The deployment comes into existence (users' home from now; it admits
    /// nobody until it is ready).
    Create {
        /// Deployment index.
        deployment: usize,
    },
    /// Start-up is over: the deployment admits users.
    Ready {
        /// Deployment index.
        deployment: usize,
    },
    /// The deployment admits nobody from now; its queue is dispatched again
    /// through the policy; running sessions drain.
    Delete {
        /// Deployment index.
        deployment: usize,
    },
    /// The drain is over: sessions still running on the deployment are cut.
    DrainEnd {
        /// Deployment index.
        deployment: usize,
    },
    /// The deployment fails: it admits nobody until it is back.
    Down {
        /// Deployment index.
        deployment: usize,
        /// What happens to its running sessions.
        failover: Failover,
    },
    /// The deployment is back after an outage.
    Up {
        /// Deployment index.
        deployment: usize,
    },
    /// A new capacity from now (running sessions above it finish normally).
    Capacity {
        /// Deployment index.
        deployment: usize,
        /// Concurrent sessions.
        capacity: u32,
    },
    /// From now on, the capacity follows a 24-hour schedule, changing on the
    /// hour of the schedule's clock.
    Hourly {
        /// Deployment index.
        deployment: usize,
        /// Capacity for each hour 0..23 of the schedule's clock.
        hourly: Box<[u32; 24]>,
        /// The clock's offset from UTC, hours (0 = UTC).
        utc_offset_h: f64,
    },
}

impl Action {
    /// The deployment the action is about.
    pub fn deployment(&self) -> usize {
        match *self {
            Self::Create { deployment }
            | Self::Ready { deployment }
            | Self::Delete { deployment }
            | Self::DrainEnd { deployment }
            | Self::Down { deployment, .. }
            | Self::Up { deployment }
            | Self::Capacity { deployment, .. }
            | Self::Hourly { deployment, .. } => deployment,
        }
    }
}

/// A primitive change at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Seconds from the start of the run.
    pub at_s: f64,
    /// What changes.
    pub action: Action,
}

/// A timeline event's type. Every rule that depends on the type is an
/// exhaustive match here, so a new type cannot slip past the hourly planner
/// or the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Creates a deployment.
    Deploy,
    /// Deletes a deployment after a drain.
    Delete,
    /// Moves a deployment to another region.
    Migrate,
    /// Takes a deployment down for a while.
    Outage,
    /// Resizes a deployment (a step or an hourly schedule).
    Capacity,
    /// Multiplies a population's arrival rate for a while (a flash crowd).
    Rate,
}

impl EventKind {
    /// Every type, in the order the scenario reference lists them.
    pub const ALL: [EventKind; 6] = [
        Self::Deploy,
        Self::Delete,
        Self::Migrate,
        Self::Outage,
        Self::Capacity,
        Self::Rate,
    ];

    /// The type as a scenario spells it (`"type": "outage"`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Deploy => "deploy",
            Self::Delete => "delete",
            Self::Migrate => "migrate",
            Self::Outage => "outage",
            Self::Capacity => "capacity",
            Self::Rate => "rate",
        }
    }

    /// Whether the event sets a deployment's capacity itself (creating one or
    /// resizing one): a plan of capacities cannot be laid over it hour by hour.
    pub const fn sets_capacity(self) -> bool {
        match self {
            Self::Deploy | Self::Migrate | Self::Capacity => true,
            Self::Delete | Self::Outage | Self::Rate => false,
        }
    }

    /// Whether its effect ends in a way worth marking on a time chart (a
    /// drain's end, a recovery, a flash crowd's end, a deployment's readiness);
    /// a capacity change simply lasts.
    pub const fn marks_end(self) -> bool {
        match self {
            Self::Deploy | Self::Delete | Self::Migrate | Self::Outage | Self::Rate => true,
            Self::Capacity => false,
        }
    }
}

/// One event of a scenario's timeline, as reports name it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// What the user called it, or a generated description.
    pub label: String,
    /// The event's type.
    pub kind: EventKind,
    /// When it starts, seconds.
    pub at_s: f64,
    /// When its effect is over (drain end, recovery, end of the flash crowd;
    /// the horizon for lasting changes): its impact is measured over
    /// [`at_s`, `end_s`).
    pub end_s: f64,
    /// What the engine does, in time order.
    pub steps: Vec<Step>,
}

/// Milliseconds in an hour: hourly schedules are computed on whole milliseconds.
const HOUR_MS: i64 = 3_600_000;

impl TimelineEvent {
    /// Whether a chart over a run of `horizon_s` seconds marks where this
    /// event's effect ends, beside where it starts: an end worth marking
    /// ([`EventKind::marks_end`]) that falls after the start and inside the
    /// run. The charts draw that mark and the memory estimate counts it.
    pub fn end_marked(&self, horizon_s: f64) -> bool {
        self.kind.marks_end() && self.end_s > self.at_s && self.end_s < horizon_s
    }

    /// The capacity schedule's hour in force at `t` for a clock `utc_offset_h`
    /// hours east of UTC, and when the next hour of that clock starts, always
    /// after `t`.
    ///
    /// Computed on whole milliseconds (the offset taken to the millisecond, a
    /// time within half a millisecond of an hour's start counted in that
    /// hour). In floating point `t / 3600 + offset` can round up to the next
    /// whole hour just before it starts (t = 14 760 s at offset -0.1 gives
    /// 3.9999999999999996): the next hour then started at `t` itself and the
    /// schedule's step came back at the same instant forever. On integers the
    /// next start is at least one millisecond after the rounded `t`, half a
    /// millisecond after `t`, far above the clock's resolution at the longest
    /// horizon.
    ///
    /// Never inlined: it runs once an hour, and inlined into the event loop
    /// it cost the reference scenario an instruction per event (callgrind).
    #[inline(never)]
    pub fn hour_of(t: f64, utc_offset_h: f64) -> (usize, f64) {
        let offset_ms = (utc_offset_h * 3.6e6).round() as i64;
        let local_ms = (t * 1000.0).round() as i64 + offset_ms;
        let hour = local_ms.div_euclid(HOUR_MS);
        let next = ((hour + 1) * HOUR_MS - offset_ms) as f64 / 1000.0;
        debug_assert!(next > t, "the next hour starts after {t} s");
        (hour.rem_euclid(24) as usize, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_follow_the_schedule_clock() {
        assert_eq!(TimelineEvent::hour_of(0.0, 0.0), (0, 3600.0));
        assert_eq!(TimelineEvent::hour_of(3599.0, 0.0), (0, 3600.0));
        assert_eq!(TimelineEvent::hour_of(3600.0, 0.0), (1, 7200.0));
        // 00:00 UTC is 05:30 in India; the next local hour starts at 00:30 UTC.
        assert_eq!(TimelineEvent::hour_of(0.0, 5.5), (5, 1800.0));
        // 01:00 UTC is 20:00 the day before in New York (UTC-5).
        assert_eq!(TimelineEvent::hour_of(3600.0, -5.0), (20, 7200.0));
    }
}
