//! The validated world a simulation runs on: regions, deployments, populations
//! with their cities, the latency matrix, the dispatch policy and run settings.
//!
//! Everything here has been checked by `scenario`; the engine trusts it. This
//! module knows nothing of the file format.

pub mod dist;
pub mod geo;
pub mod rate;
pub mod reference;
mod sites;
pub mod surge;
pub mod target;
pub mod timeline;
pub mod trace;
pub mod workers;
mod world;

pub use world::{World, WorldParts};

use dist::TimeDist;
use geo::LatLon;
use rate::DailyRate;
use surge::Surge;
use timeline::TimelineEvent;

/// A place that may host agents, a media edge, or both.
#[derive(Debug, Clone)]
pub struct Region {
    /// Stable identifier, e.g. `eu-central`.
    pub id: String,
    /// Human-readable name, e.g. `Frankfurt`.
    pub name: String,
    /// Location.
    pub location: LatLon,
    /// Whether agent deployments may live here.
    pub agents: bool,
    /// Whether users can connect their media here.
    pub media_edge: bool,
}

/// One agent deployment: an agent name in one region with a session capacity.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// The agent name applications dispatch to.
    pub agent: String,
    /// Index into [`World::regions`].
    pub region: usize,
    /// The configured capacity: concurrent sessions it holds unless the
    /// timeline changes the capacity in force (docs/model.md, "Supply that
    /// changes in time", names the three words).
    pub capacity: u32,
    /// When it comes into existence, seconds (0 = from the start).
    pub created_at_s: f64,
    /// Start-up time after creation before it admits users, seconds.
    pub ready_after_s: f64,
    /// Most users that may wait in its queue at once; one more is rejected, so
    /// memory stays bounded whatever the patience.
    pub max_queue: u32,
    /// The worker model, when capacity comes from workers and their load
    /// rather than a slot count (`capacity` is then the nominal start figure).
    pub workers: Option<workers::WorkerSpec>,
    /// Where the scenario declares it, so that a plan can be written back to
    /// the field that sets its capacity (a deployment a timeline event creates
    /// has no entry in `deployments`).
    pub declared_by: DeclaredBy,
}

/// The scenario entry that declares a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclaredBy {
    /// `deployments[i]`.
    Deployments(usize),
    /// `timeline[i]`, a `deploy` or `migrate` event.
    Timeline(usize),
    /// `plan.candidates[i]`: a region the planner may open (not part of
    /// the scenario's supply until a plan opens it).
    Candidate(usize),
}

/// Default bound of a deployment's waiting queue.
pub const DEFAULT_MAX_QUEUE: u32 = 100_000;

impl Deployment {
    /// How reports name it: `agent@region-id`.
    pub fn label(&self, regions: &[Region]) -> String {
        format!("{}@{}", self.agent, regions[self.region].id)
    }
}

/// A city where some of a population's users are.
#[derive(Debug, Clone)]
pub struct City {
    /// Display name.
    pub name: String,
    /// Location.
    pub location: LatLon,
    /// Index of the media edge region the users connect to.
    pub edge: usize,
    /// Base media RTT in ms from this city to an agent in each region (indexed by
    /// region): user to edge, edge to agent region, intra-region term.
    pub rtt_ms: Vec<f64>,
}

/// How long users wait for an agent before giving up.
#[derive(Debug, Clone)]
pub enum Patience {
    /// No waiting: a user who cannot be placed at once is rejected.
    None,
    /// Users wait as long as it takes.
    Unlimited,
    /// Users wait a random time drawn from this distribution.
    Dist(TimeDist),
}

/// A group of users sharing a daily rhythm and session behaviour.
#[derive(Debug, Clone)]
pub struct Population {
    /// Unique name.
    pub name: String,
    /// Indices into [`World::cities`].
    pub cities: Vec<usize>,
    /// Cumulative city weights, last = 1 (empty when there is one city).
    pub city_cdf: Vec<f64>,
    /// Hours east of UTC.
    pub utc_offset_h: f64,
    /// Hourly local-time multipliers of the peak rate: 24 (a day) or 168 (a
    /// week from Monday 00:00 local).
    pub profile: Vec<f64>,
    /// Peak arrival rate, per second.
    pub peak_rate_per_s: f64,
    /// The arrival rate over UTC time.
    pub rate: DailyRate,
    /// Flash crowds multiplying `rate`: disjoint, sorted (see [`surge::flatten`]).
    pub surges: Vec<Surge>,
    /// Session length.
    pub session: TimeDist,
    /// Waiting behaviour.
    pub patience: Patience,
    /// The logged sessions it replays instead of drawing arrivals, places and
    /// lengths (`rate`, `profile` and `session` are then stand-ins for
    /// estimates, derived from the trace).
    pub trace: Option<std::sync::Arc<trace::Trace>>,
}

/// What a full deployment does with a new job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFull {
    /// The dispatch fails at once.
    Reject,
    /// The job waits in the deployment's queue up to the user's patience.
    Wait,
}

/// When nearest dispatch sends a user away from the nearest region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpillRule {
    /// Spill when the home deployment's utilisation reaches this (1.0 = only when full).
    pub utilization_threshold: f64,
    /// Never spill to a region more than this many ms of extra RTT away.
    pub max_extra_rtt_ms: f64,
}

/// One population's explicit route: a primary deployment and ordered fallbacks.
#[derive(Debug, Clone)]
pub struct Route {
    /// Deployment indices, primary first.
    pub chain: Vec<usize>,
}

/// The dispatch policy and its parameters.
#[derive(Debug, Clone)]
pub enum PolicySpec {
    /// Nearest region with a spill rule.
    Nearest {
        /// Deployments of the dispatched agent name.
        deployments: Vec<usize>,
        /// When to spill.
        spill: SpillRule,
        /// What happens when nowhere can take the user.
        on_full: OnFull,
    },
    /// The application pins each population to an agent name.
    Explicit {
        /// Route per population index.
        routes: Vec<Route>,
        /// Time the application needs to re-dispatch to the next fallback, seconds.
        redispatch_delay_s: f64,
        /// What a full deployment does.
        on_full: OnFull,
    },
    /// The least-utilised region among those within an RTT budget of the nearest.
    LeastLoaded {
        /// Deployments of the dispatched agent name.
        deployments: Vec<usize>,
        /// Regions more than this beyond the nearest are never used, ms.
        max_extra_rtt_ms: f64,
        /// What happens when nowhere can take the user.
        on_full: OnFull,
    },
    /// Two random regions among the k nearest; the less utilised wins.
    PowerOfTwo {
        /// Deployments of the dispatched agent name.
        deployments: Vec<usize>,
        /// How many nearest regions to sample from.
        k: usize,
        /// What happens when nowhere can take the user.
        on_full: OnFull,
    },
    /// Minimise media RTT plus a penalty growing with utilisation.
    Score {
        /// Deployments of the dispatched agent name.
        deployments: Vec<usize>,
        /// Penalty in ms for a fully utilised region (linear in utilisation).
        load_penalty_ms: f64,
        /// What happens when nowhere can take the user.
        on_full: OnFull,
    },
    /// Nearest dispatch restricted, per population, to allowed regions (data residency).
    GeoFenced {
        /// Deployments of the dispatched agent name.
        deployments: Vec<usize>,
        /// Per population: the deployments it may use (a subset of `deployments`).
        allowed: Vec<Vec<usize>>,
        /// When to spill (within the allowed set).
        spill: SpillRule,
        /// What happens when nowhere allowed can take the user.
        on_full: OnFull,
    },
}

impl PolicySpec {
    /// Every deployment index the policy names (its candidates, routes and
    /// fences).
    pub fn deployment_indices(&self) -> Vec<usize> {
        match self {
            Self::Explicit { routes, .. } => routes.iter().flat_map(|r| r.chain.clone()).collect(),
            Self::GeoFenced {
                deployments,
                allowed,
                ..
            } => deployments
                .iter()
                .chain(allowed.iter().flatten())
                .copied()
                .collect(),
            Self::Nearest { deployments, .. }
            | Self::LeastLoaded { deployments, .. }
            | Self::PowerOfTwo { deployments, .. }
            | Self::Score { deployments, .. } => deployments.clone(),
        }
    }

    /// The policy's type name, as scenario files and reports spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Nearest { .. } => "nearest",
            Self::Explicit { .. } => "explicit",
            Self::LeastLoaded { .. } => "least_loaded",
            Self::PowerOfTwo { .. } => "power_of_two",
            Self::Score { .. } => "score",
            Self::GeoFenced { .. } => "geo_fenced",
        }
    }
}

/// A policy with the label a scenario gave it (for comparisons).
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    /// Label, unique within the scenario.
    pub label: String,
    /// The policy.
    pub spec: PolicySpec,
}

/// Delays on the way to a joined agent, and the per-session RTT noise.
#[derive(Debug, Clone)]
pub struct Delays {
    /// From dispatch request to an agent assigned.
    pub dispatch: TimeDist,
    /// From agent assigned to agent joined.
    pub startup: TimeDist,
    /// Added to each session's RTT (seconds; reported in ms).
    pub jitter: TimeDist,
}

/// Service-level targets reports measure attainment against.
#[derive(Debug, Clone)]
pub struct Slo {
    /// Media RTT target, ms.
    pub media_rtt_ms: f64,
    /// Join latency target, seconds.
    pub join_latency_s: f64,
    /// What `regionsim plan` must keep true (`slo.targets`), in a fixed order.
    pub targets: Vec<target::Target>,
    /// Relative cost of a slot-hour per region (`slo.cost`, default 1), for planning.
    pub cost: Vec<f64>,
    /// A plan's population table flags a population whose worst-hour
    /// overflow share or mean media RTT is more than this many times the
    /// overall target (`slo.fairness_factor`, default 2).
    pub fairness_factor: f64,
    /// Targets that must also hold while any one deployment is down
    /// (`slo.resilience`; planning only).
    pub resilience: Option<target::Resilience>,
}

/// Where the planner may open deployments (`plan`): regions, each a
/// deployment of the dispatched agent when opened, and what opening costs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sites {
    /// The candidates, in scenario order.
    pub candidates: Vec<Candidate>,
    /// Cost of one open deployment per day, in cost-weighted slot-hours.
    pub open_cost: f64,
    /// Most deployments a plan may have open (None: no limit).
    pub max_deployments: Option<u32>,
}

/// A place the planner may open or close a deployment of the dispatched agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidate {
    /// A region without one (index into the regions): a new deployment.
    New(usize),
    /// One of the scenario's own deployments (index), which a plan may close.
    Existing(usize),
}

/// When a candidate the planner has not opened is created: never, within any
/// run (the engine keeps a deployment not yet created out of every dispatch).
pub const CLOSED_AT: f64 = f64::INFINITY;

/// Run settings.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    /// Simulated time, seconds from UTC midnight.
    pub horizon_s: f64,
    /// Statistics ignore sessions arriving before this.
    pub warmup_s: f64,
    /// Master seed.
    pub seed: u64,
    /// Independent replications.
    pub replications: u32,
    /// Time-series bin width, seconds.
    pub bin_s: f64,
    /// Confidence level of reported intervals, e.g. 0.95.
    pub confidence: f64,
    /// Whether the time series keeps outcome counts per population (not a
    /// scenario field: the planner sets it for its own runs; off elsewhere,
    /// so runs, comparisons, sweeps and their shard parts are unchanged).
    pub population_series: bool,
}

impl RunSpec {
    /// Whether the settings hold together: a positive finite horizon, a
    /// non-negative warm-up (one past a shortened horizon leaves an empty
    /// statistics window, which every figure survives), at least one
    /// replication, positive finite bins and a confidence level between 0 and
    /// 1 (the scenario's validation adds its limits on size; a change after
    /// loading must keep at least these).
    pub fn check(&self) -> Result<(), String> {
        let ok = self.horizon_s.is_finite()
            && self.horizon_s > 0.0
            && self.warmup_s >= 0.0
            && self.replications >= 1
            && self.bin_s.is_finite()
            && self.bin_s > 0.0
            && self.confidence > 0.0
            && self.confidence < 1.0;
        if ok {
            Ok(())
        } else {
            Err(format!("run settings that do not hold together: {self:?}"))
        }
    }
}
