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

/// The parts of a world as the scenario's validation built them, before
/// [`World::new`] checks that every index refers to something that exists.
#[derive(Debug, Clone)]
pub struct WorldParts {
    /// Scenario name (names the report folder).
    pub name: String,
    /// Free text from the scenario.
    pub description: String,
    /// All regions.
    pub regions: Vec<Region>,
    /// All agent deployments.
    pub deployments: Vec<Deployment>,
    /// All populations.
    pub populations: Vec<Population>,
    /// All cities of all populations.
    pub cities: Vec<City>,
    /// Dispatch policy.
    pub policy: PolicySpec,
    /// Alternative policies the scenario names for comparisons (`policies`).
    pub alternatives: Vec<NamedPolicy>,
    /// Dispatch/start-up delays and jitter.
    pub delays: Delays,
    /// Targets.
    pub slo: Slo,
    /// Run settings.
    pub run: RunSpec,
    /// Supply and demand changes during the run, in time order.
    pub timeline: Vec<TimelineEvent>,
    /// Remarks about valid but noteworthy settings (e.g. a drain that outlasts
    /// the horizon), for the reports.
    pub notes: Vec<String>,
    /// Where the planner may open deployments.
    pub sites: Sites,
}

/// The whole validated scenario. Its fields are private: a world is made by
/// [`World::new`] from validated parts, and changed only by the methods below,
/// each of which keeps every index in range.
#[derive(Debug, Clone)]
pub struct World(WorldParts);

impl World {
    /// A world from validated parts, once every index it holds is checked to
    /// refer to something that exists (the scenario's validation made sure of
    /// the ranges and the meaning; this is the model's own guarantee that the
    /// engine may index without bounds anxiety).
    pub fn new(parts: WorldParts) -> Result<World, String> {
        let w = World(parts);
        w.check_indices()?;
        Ok(w)
    }

    /// The parts back, to build a different world from them through
    /// [`World::new`] (tests of what validation would refuse, such as names
    /// with markup reaching the renderers).
    pub fn into_parts(self) -> WorldParts {
        self.0
    }

    fn check_indices(&self) -> Result<(), String> {
        let (r, d, c) = (
            self.0.regions.len(),
            self.0.deployments.len(),
            self.0.cities.len(),
        );
        let within = |what: &str, i: usize, n: usize| {
            if i < n {
                Ok(())
            } else {
                Err(format!("{what} index {i} is out of range (there are {n})"))
            }
        };
        for dep in &self.0.deployments {
            within("region", dep.region, r)?;
        }
        for city in &self.0.cities {
            within("region", city.edge, r)?;
            if city.rtt_ms.len() != r {
                return Err(format!(
                    "city `{}` has {} RTTs for {r} regions",
                    city.name,
                    city.rtt_ms.len()
                ));
            }
        }
        for pop in &self.0.populations {
            for &k in &pop.cities {
                within("city", k, c)?;
            }
        }
        let specs =
            std::iter::once(&self.0.policy).chain(self.0.alternatives.iter().map(|a| &a.spec));
        for spec in specs {
            for k in spec.deployment_indices() {
                within("deployment", k, d)?;
            }
        }
        for step in self.0.timeline.iter().flat_map(|e| &e.steps) {
            within("deployment", step.action.deployment(), d)?;
        }
        Ok(())
    }

    /// Change the run settings through `f`, keeping the change only if the
    /// settings still hold together (see [`RunSpec::check`]).
    pub fn edit_run(&mut self, f: impl FnOnce(&mut RunSpec)) -> Result<(), String> {
        let mut run = self.0.run;
        f(&mut run);
        run.check()?;
        self.0.run = run;
        Ok(())
    }

    /// A remark for the reports about a valid but noteworthy setting.
    pub fn add_note(&mut self, note: String) {
        self.0.notes.push(note);
    }

    /// Every worker deployment sampling every `sample_s` and reporting every
    /// `report_s` seconds (what-if studies of measurement staleness); refused
    /// unless both are finite and non-negative.
    pub fn set_worker_measurement(&mut self, sample_s: f64, report_s: f64) -> Result<(), String> {
        if !(sample_s.is_finite() && sample_s >= 0.0 && report_s.is_finite() && report_s >= 0.0) {
            return Err(format!(
                "intervals of {sample_s} s and {report_s} s must be finite and >= 0"
            ));
        }
        for spec in self
            .0
            .deployments
            .iter_mut()
            .filter_map(|d| d.workers.as_mut())
        {
            spec.measure.sample_interval_s = sample_s;
            spec.measure.report_interval_s = report_s;
        }
        Ok(())
    }

    /// Dispatch with the alternative policy labelled `label` (false: the
    /// scenario names no such policy, and nothing changes).
    pub fn choose_policy(&mut self, label: &str) -> bool {
        match self.policy_named(label).cloned() {
            Some(spec) => {
                self.0.policy = spec;
                true
            }
            None => false,
        }
    }

    /// The world with deployment `d`'s configured capacity set to `capacity`
    /// (a plan's static answer).
    pub fn set_capacity(&mut self, d: usize, capacity: u32) {
        self.0.deployments[d].capacity = capacity;
    }

    /// Change deployment `d`'s worker pool through `f` (a plan's pool size,
    /// replicas or target load), keeping the change only if the pool still
    /// meets the worker model's rules ([`workers::WorkerSpec::check`], the
    /// same the scenario's validation applies); its nominal capacity follows.
    /// Refused for a deployment without workers.
    pub fn set_workers(
        &mut self,
        d: usize,
        f: impl FnOnce(&mut workers::WorkerSpec),
    ) -> Result<(), String> {
        let dep = self
            .0
            .deployments
            .get_mut(d)
            .ok_or_else(|| format!("deployment {d} does not exist"))?;
        let mut spec = dep
            .workers
            .clone()
            .ok_or_else(|| format!("deployment {} has no workers", dep.agent))?;
        f(&mut spec);
        spec.check()
            .map_err(|(field, why)| format!("workers.{field} {why}"))?;
        dep.capacity = spec.initial_capacity();
        dep.workers = Some(spec);
        Ok(())
    }

    /// Append a timeline event (a plan's hourly schedule), refused if a step
    /// names a deployment that does not exist or lies outside the run.
    pub fn push_event(&mut self, event: TimelineEvent) -> Result<(), String> {
        for step in &event.steps {
            if step.action.deployment() >= self.0.deployments.len() {
                return Err(format!(
                    "deployment {} does not exist",
                    step.action.deployment()
                ));
            }
            if !(0.0..=self.0.run.horizon_s).contains(&step.at_s) {
                return Err(format!("a step at {} s lies outside the run", step.at_s));
            }
        }
        self.0.timeline.push(event);
        Ok(())
    }

    /// Scenario name (names the report folder).
    #[inline]
    pub fn name(&self) -> &String {
        &self.0.name
    }

    /// Free text from the scenario.
    #[inline]
    pub fn description(&self) -> &String {
        &self.0.description
    }

    /// All regions.
    #[inline]
    pub fn regions(&self) -> &Vec<Region> {
        &self.0.regions
    }

    /// All agent deployments.
    #[inline]
    pub fn deployments(&self) -> &Vec<Deployment> {
        &self.0.deployments
    }

    /// All populations.
    #[inline]
    pub fn populations(&self) -> &Vec<Population> {
        &self.0.populations
    }

    /// All cities of all populations.
    #[inline]
    pub fn cities(&self) -> &Vec<City> {
        &self.0.cities
    }

    /// Dispatch policy.
    #[inline]
    pub fn policy(&self) -> &PolicySpec {
        &self.0.policy
    }

    /// Alternative policies the scenario names for comparisons (`policies`).
    #[inline]
    pub fn alternatives(&self) -> &Vec<NamedPolicy> {
        &self.0.alternatives
    }

    /// Dispatch/start-up delays and jitter.
    #[inline]
    pub fn delays(&self) -> &Delays {
        &self.0.delays
    }

    /// Targets.
    #[inline]
    pub fn slo(&self) -> &Slo {
        &self.0.slo
    }

    /// Run settings.
    #[inline]
    pub fn run(&self) -> &RunSpec {
        &self.0.run
    }

    /// Supply and demand changes during the run, in time order.
    #[inline]
    pub fn timeline(&self) -> &Vec<TimelineEvent> {
        &self.0.timeline
    }

    /// Remarks about valid but noteworthy settings (e.g. a drain that outlasts
    /// the horizon), for the reports.
    #[inline]
    pub fn notes(&self) -> &Vec<String> {
        &self.0.notes
    }
}

impl World {
    /// Expected arrivals of a population over [a, b], flash crowds included.
    pub fn expected_arrivals(&self, pop: usize, a: f64, b: f64) -> f64 {
        let p = &self.0.populations[pop];
        surge::integral(&p.rate, &p.surges, a, b)
    }

    /// Offered load in Erlangs of a population at its peak hour (daily
    /// profile, flash crowds left out), counting the
    /// whole time a session holds a slot (dispatch + start-up + session): the
    /// figure to size capacity from (Erlang B takes the slot-holding time).
    pub fn peak_offered_load(&self, pop: usize) -> f64 {
        let p = &self.0.populations[pop];
        let hold = self.0.delays.dispatch.mean() + self.0.delays.startup.mean() + p.session.mean();
        p.rate.max_rate() * hold
    }

    /// Offered load in Erlangs at the peak hour counting the conversation only.
    pub fn peak_session_load(&self, pop: usize) -> f64 {
        let p = &self.0.populations[pop];
        p.rate.max_rate() * p.session.mean()
    }

    /// The policy labelled `label`: an alternative of that label, else the main
    /// policy if its type name matches.
    pub fn policy_named(&self, label: &str) -> Option<&PolicySpec> {
        self.0
            .alternatives
            .iter()
            .find(|p| p.label == label)
            .map(|p| &p.spec)
            .or_else(|| (self.0.policy.name() == label).then_some(&self.0.policy))
    }

    /// Labels a comparison can name: the main policy's type, then the alternatives.
    pub fn policy_labels(&self) -> Vec<String> {
        let mut v = vec![self.0.policy.name().to_string()];
        v.extend(
            self.0
                .alternatives
                .iter()
                .map(|p| p.label.clone())
                .filter(|l| *l != self.0.policy.name()),
        );
        v
    }

    /// Capacity per region (sum over its deployments). Validation keeps every
    /// sum within 32 bits; it saturates rather than wraps all the same.
    pub fn region_capacity(&self) -> Vec<u32> {
        let mut cap = vec![0u32; self.0.regions.len()];
        for d in &self.0.deployments {
            cap[d.region] = cap[d.region].saturating_add(d.capacity);
        }
        cap
    }
}
