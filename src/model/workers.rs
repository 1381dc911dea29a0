//! The worker model of a deployment, validated: how many workers (fixed or
//! autoscaled), what load a session puts on a worker, how load is measured and
//! reported, the warm pool of processes. A deployment without it keeps the slot
//! model; this module only states the rules, the engine runs them.

use super::dist::TimeDist;
use super::timeline::TimelineEvent;

/// Slack in load comparisons, so that a threshold which is an exact multiple
/// of the per-session load (0.7 = 10 x 0.07) admits that many sessions despite
/// rounding.
pub const LOAD_EPS: f64 = 1e-9;

/// Most workers one deployment may have at once (its index travels in 18 bits
/// of an event's payload).
pub const MAX_WORKERS: u32 = 100_000;

/// How a worker's load follows its sessions: `base + per_session x sessions`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadModel {
    /// Load of an idle worker (0..1).
    pub base: f64,
    /// Load each running session adds (> 0).
    pub per_session: f64,
    /// Standard deviation of a Gaussian term added to each load sample (0 = none).
    pub noise: f64,
}

/// How a worker measures and reports its load (the platform's defaults are
/// [`Measurement::PLATFORM`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// Seconds between load samples; 0 = the worker knows its load exactly at
    /// every instant.
    pub sample_interval_s: f64,
    /// Samples in the moving average.
    pub window: u32,
    /// Seconds between load reports to the server; 0 = the server always sees
    /// the worker's current measurement.
    pub report_interval_s: f64,
    /// A worker at or above this load is full (0 < threshold <= 1).
    pub threshold: f64,
}

impl Measurement {
    /// The reference platform: sample every 0.5 s, 5-sample average, report
    /// every 2.5 s, full at 0.7.
    pub const PLATFORM: Measurement = Measurement {
        sample_interval_s: 0.5,
        window: 5,
        report_interval_s: 2.5,
        threshold: 0.7,
    };
}

/// Replicas between `min` and `max`, scaled on reported load towards a target.
#[derive(Debug, Clone)]
pub struct Autoscale {
    /// Fewest workers (0 = scale to zero: the first job wakes one and waits
    /// for it); with `min_hourly`, the lowest hour's floor.
    pub min: u32,
    /// The floor per UTC hour (0..23 from the run's start at midnight UTC),
    /// when it follows a daily schedule: warm workers ahead of a known ramp
    /// without paying for them all day. Set with [`Autoscale::set_hourly`],
    /// which keeps `min` its lowest hour.
    pub min_hourly: Option<Box<[u32; 24]>>,
    /// Most workers.
    pub max: u32,
    /// Workers at the start.
    pub initial: u32,
    /// Load per worker the autoscaler aims at (0 < target <= 1).
    pub target_load: f64,
    /// Seconds between evaluations (> 0).
    pub interval_s: f64,
    /// Time from the decision to add a worker to its registration (cold start).
    pub provisioning: TimeDist,
    /// No scale-down within this many seconds of the last change.
    pub cooldown_s: f64,
}

impl Autoscale {
    /// The worker count a total reported load asks for at `t_s`:
    /// `ceil(total / target_load)`, kept within [the floor then, max].
    pub fn desired(&self, total_load: f64, t_s: f64) -> u32 {
        let want = (total_load / self.target_load - LOAD_EPS).ceil().max(0.0);
        (want.min(f64::from(self.max)) as u32).clamp(self.floor_at(t_s), self.max)
    }

    /// The floor in force `t_s` seconds after the start (the hour of the UTC
    /// day, the clock hourly capacity schedules follow). A floor that rises
    /// at an hour is acted on at the autoscaler's next evaluation, as a
    /// scheduled minimum is by a real one.
    pub fn floor_at(&self, t_s: f64) -> u32 {
        match &self.min_hourly {
            Some(h) => h[TimelineEvent::hour_of(t_s, 0.0).0],
            None => self.min,
        }
    }

    /// Follow the daily floor `hours` (UTC), `min` becoming its lowest hour.
    pub fn set_hourly(&mut self, hours: [u32; 24]) {
        self.min = hours.iter().copied().min().unwrap_or(0);
        self.min_hourly = Some(Box::new(hours));
    }
}

/// The worker layer of one deployment.
#[derive(Debug, Clone)]
pub struct WorkerSpec {
    /// Fixed count when `autoscale` is None.
    pub count: u32,
    /// Autoscaling, if any.
    pub autoscale: Option<Autoscale>,
    /// Load per session.
    pub load: LoadModel,
    /// Sampling, reporting and the threshold.
    pub measure: Measurement,
    /// Processes each worker keeps started and idle.
    pub idle_processes: u32,
    /// Time to start a job process.
    pub process_start: TimeDist,
}

impl WorkerSpec {
    /// Sessions one worker takes with exact load knowledge:
    /// `floor((threshold - base) / per_session)`.
    pub fn sessions_at_threshold(&self) -> u32 {
        let room = (self.measure.threshold - self.load.base) / self.load.per_session;
        (room + LOAD_EPS).floor().max(0.0) as u32
    }

    /// A worker's true load with `sessions` sessions.
    #[inline]
    pub fn load_at(&self, sessions: u32) -> f64 {
        self.load.base + self.load.per_session * f64::from(sessions)
    }

    /// Workers at the start of a run.
    pub fn initial(&self) -> u32 {
        self.autoscale.as_ref().map_or(self.count, |a| a.initial)
    }

    /// Most workers the pool can have at once.
    pub fn most_workers(&self) -> u32 {
        self.autoscale.as_ref().map_or(self.count, |a| a.max)
    }

    /// The largest admission limit the pool can set: its most workers times
    /// the sessions each holds at the threshold.
    pub fn most_capacity(&self) -> u64 {
        u64::from(self.most_workers()) * u64::from(self.sessions_at_threshold())
    }

    /// The capacity the slot model would give at the start (reports' nominal figure).
    pub fn initial_capacity(&self) -> u32 {
        self.initial().saturating_mul(self.sessions_at_threshold())
    }

    /// The rules on the pool's size and target that hold whoever sets them
    /// (the scenario's validation, the planner through `World::set_workers`):
    /// a fixed count and a maximum of 1 to [`MAX_WORKERS`], min <= initial <=
    /// max, and a target load above the idle load and below the threshold.
    /// Err: the field at fault, relative to the `workers` block, and why.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let Some(a) = &self.autoscale else {
            let n = self.count;
            if n == 0 || n > MAX_WORKERS {
                return Err((
                    "count",
                    format!("must be between 1 and {MAX_WORKERS}, got {n}"),
                ));
            }
            return Ok(());
        };
        if a.max == 0 || a.max > MAX_WORKERS {
            let m = format!("must be between 1 and {MAX_WORKERS}, got {}", a.max);
            return Err(("autoscale.max", m));
        }
        if let Some(h) = a.min_hourly.as_deref() {
            if let Some(i) = (0..24).find(|&i| h[i] > a.max) {
                let m = format!(
                    "must be at most `max` ({}) in every hour, got {} at {i:02}:00 UTC",
                    a.max, h[i]
                );
                return Err(("autoscale.min_hourly", m));
            }
        } else if a.min > a.max {
            let m = format!("must be at most `max` ({}), got {}", a.max, a.min);
            return Err(("autoscale.min", m));
        }
        if a.initial < a.min || a.initial > a.max {
            let m = format!(
                "must be between `min` ({}) and `max` ({}), got {}",
                a.min, a.max, a.initial
            );
            return Err(("autoscale.initial", m));
        }
        // The autoscaler asks for `total load / target_load` workers. A target
        // at or below the idle load can never be met (each worker added brings
        // its base load with it, so the count asked for grows without end:
        // 100 000 workers, 116 s and 820 MB for an hour), and one at or above
        // the threshold asks for no more workers than a full pool has (loads
        // stop at about the threshold), so a full pool is never relieved.
        let (base, threshold) = (self.load.base, self.measure.threshold);
        if !(a.target_load > base && a.target_load < threshold) {
            return Err((
                "autoscale.target_load",
                format!(
                    "must be above `load.base` ({base}) and below `load_threshold` ({threshold}), got {}: otherwise the autoscaler grows without end or never relieves a full pool",
                    a.target_load
                ),
            ));
        }
        Ok(())
    }
}
