//! The scenario file format as serde sees it: one struct per JSON object, unknown
//! fields refused. Nothing here is checked beyond JSON types; `validate` turns
//! these into the domain types of `model`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

pub mod workers;

use super::tagged::{from_value, kind};
use super::units::Secs;
use crate::model::geo::LatLon;
use crate::model::rate::PROFILE_NAMES;
use crate::model::trace::Trace;
use schemars::{json_schema, Schema, SchemaGenerator};
use std::sync::Arc;

pub use super::timeline::raw::{RawEvent, RawFailover};

/// The whole file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// The schema this file follows, for editors (ignored by the simulator).
    #[serde(rename = "$schema", default)]
    #[allow(dead_code)]
    pub schema: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub regions: Vec<RawRegion>,
    pub deployments: Vec<RawDeployment>,
    pub populations: Vec<RawPopulation>,
    #[serde(default)]
    pub latency: RawLatency,
    pub policy: RawPolicy,
    /// Alternative policies by label, for `compare`.
    #[serde(default)]
    pub policies: BTreeMap<String, RawPolicy>,
    #[serde(default)]
    pub slo: RawSlo,
    #[serde(default)]
    pub run: RawRun,
    /// Supply and demand changes during the run.
    #[serde(default)]
    pub timeline: Vec<RawEvent>,
    /// Where `regionsim plan` may open deployments; checked in `sites.rs`.
    #[serde(default)]
    pub plan: RawPlan,
}

/// `plan`: candidate regions, the cost of an open deployment, a cap.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Region ids the planner may open a deployment in.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Cost of one open deployment per day, in cost-weighted slot-hours.
    #[serde(default)]
    pub open_cost: f64,
    /// Most deployments open at once.
    pub max_deployments: Option<u32>,
}

/// A region: a built-in id alone, or a full definition.
#[derive(Debug)]
pub enum RawRegion {
    Id(String),
    Def(RawRegionDef),
}

impl<'de> Deserialize<'de> for RawRegion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Self::Id(s)),
            v @ Value::Object(_) => from_value(v).map(Self::Def),
            other => Err(de::Error::custom(format!(
                "expected a region id (string) or a region object, got {}",
                kind(&other)
            ))),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegionDef {
    pub id: String,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub agents: Option<bool>,
    pub media_edge: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDeployment {
    pub agent: String,
    pub region: String,
    /// Slots; exactly one of `capacity` and `workers` is given.
    pub capacity: Option<u32>,
    pub created_at: Option<Secs>,
    pub ready_after: Option<Secs>,
    pub max_queue: Option<u32>,
    /// Capacity from workers and their load instead of a slot count.
    pub workers: Option<workers::RawWorkers>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub cities: Option<Vec<RawCity>>,
    /// Required unless the population replays a trace.
    pub utc_offset_h: Option<f64>,
    /// Required unless the population replays a trace.
    pub rate: Option<RawRate>,
    /// Required unless the population replays a trace.
    pub session: Option<RawDist>,
    #[serde(default)]
    pub patience: RawPatience,
    /// Arrivals, places and lengths replayed from a session log instead.
    pub arrivals: Option<RawArrivals>,
    /// The trace once read (filled by `trace::load_all` before validation).
    #[serde(skip)]
    #[schemars(skip)]
    pub loaded: Option<std::sync::Arc<LoadedTrace>>,
}

/// A replayed trace: `{"trace": "sessions.csv", "time_scale": 1, "rate_factor": 1, "start": ...}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// A session log (CSV, docs/data.md), relative to the scenario file.
    pub trace: String,
    /// Seconds of the run per second of the log (default 1; 0.5 replays twice as fast).
    pub time_scale: Option<f64>,
    /// Each session is replayed floor(f) times plus once with probability f - floor(f) (default 1).
    pub rate_factor: Option<f64>,
    /// The log's instant that is the run's time 0 (RFC 3339 or Unix seconds; default: midnight UTC of the first session's day).
    pub start: Option<String>,
    /// Largest share of bad rows left out (listed in the reports' notes) before the scenario is refused (default 0.01).
    pub max_bad_share: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCity {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRate {
    pub peak_per_hour: Option<f64>,
    pub peak_per_s: Option<f64>,
    /// A profile name or 24 hourly multipliers; checked in `validate`.
    #[serde(default)]
    #[schemars(schema_with = "profile_schema")]
    pub profile: Option<Value>,
}

/// A distribution of times, `{"type": ..., parameters}` (read by `tagged`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(tag = "type")]
pub enum RawDist {
    Deterministic { value: Secs },
    Exponential { mean: Secs },
    Uniform { min: Secs, max: Secs },
    Lognormal { mean: Secs, cv: f64 },
    Gamma { mean: Secs, cv: f64 },
    Weibull { shape: f64, scale: Secs },
    BoundedPareto { alpha: f64, min: Secs, max: Secs },
    Empirical { values: Vec<Secs> },
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let types = &[
            "deterministic",
            "exponential",
            "uniform",
            "lognormal",
            "gamma",
            "weibull",
            "bounded_pareto",
            "empirical",
        ];
        super::tagged::tagged(d, "a distribution", types, |v| RawDist::deserialize(v))
    }
}

/// Patience: 0 (no waiting), "unlimited", a duration, or a distribution.
#[derive(Debug, Clone, Default)]
pub enum RawPatience {
    #[default]
    None,
    Unlimited,
    Fixed(Secs),
    Dist(RawDist),
}

impl<'de> Deserialize<'de> for RawPatience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if s == "unlimited" => Ok(Self::Unlimited),
            Value::String(s) if s == "none" => Ok(Self::None),
            v @ (Value::String(_) | Value::Number(_)) => from_value(v).map(Self::Fixed),
            v @ Value::Object(_) => from_value(v).map(Self::Dist),
            other => Err(de::Error::custom(format!(
                "expected 0 or \"none\" (no waiting), \"unlimited\", a duration such as \"30s\", \
                 or a distribution object, got {}",
                kind(&other)
            ))),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawLatency {
    pub fibre_km_per_ms: f64,
    pub route_factor: f64,
    pub access_rtt_ms: f64,
    pub intra_region_rtt_ms: f64,
    pub use_measured_reference_rtts: bool,
    pub region_rtt_ms: BTreeMap<String, BTreeMap<String, f64>>,
    pub population_rtt_ms: BTreeMap<String, BTreeMap<String, f64>>,
    pub dispatch: Option<RawDist>,
    pub startup: Option<RawDist>,
    pub jitter: Option<RawDist>,
}

impl Default for RawLatency {
    fn default() -> Self {
        Self {
            fibre_km_per_ms: 200.0,
            route_factor: 1.5,
            access_rtt_ms: 10.0,
            intra_region_rtt_ms: 2.0,
            use_measured_reference_rtts: true,
            region_rtt_ms: BTreeMap::new(),
            population_rtt_ms: BTreeMap::new(),
            dispatch: None,
            startup: None,
            jitter: None,
        }
    }
}

/// A dispatch policy, `{"type": ..., parameters}` (read by `tagged`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(tag = "type")]
pub enum RawPolicy {
    Nearest {
        agent: Option<String>,
        #[serde(default)]
        spill: RawSpill,
        #[serde(default)]
        on_full: RawOnFull,
    },
    Explicit {
        routes: BTreeMap<String, RawRoute>,
        redispatch_delay: Option<Secs>,
        #[serde(default)]
        on_full: RawOnFull,
    },
    LeastLoaded {
        agent: Option<String>,
        max_extra_rtt_ms: Option<f64>,
        #[serde(default)]
        on_full: RawOnFull,
    },
    PowerOfTwo {
        agent: Option<String>,
        k: Option<usize>,
        #[serde(default)]
        on_full: RawOnFull,
    },
    Score {
        agent: Option<String>,
        load_penalty_ms: Option<f64>,
        #[serde(default)]
        on_full: RawOnFull,
    },
    GeoFenced {
        agent: Option<String>,
        /// Population name -> region ids it may use; unlisted populations may use any.
        allowed: BTreeMap<String, Vec<String>>,
        #[serde(default)]
        spill: RawSpill,
        #[serde(default)]
        on_full: RawOnFull,
    },
}

impl<'de> Deserialize<'de> for RawPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let types = &[
            "nearest",
            "explicit",
            "least_loaded",
            "power_of_two",
            "score",
            "geo_fenced",
        ];
        super::tagged::tagged(d, "a policy", types, |v| RawPolicy::deserialize(v))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpill {
    #[serde(default = "one")]
    pub utilization_threshold: f64,
    pub max_extra_rtt_ms: Option<f64>,
}

impl Default for RawSpill {
    fn default() -> Self {
        Self {
            utilization_threshold: 1.0,
            max_extra_rtt_ms: None,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawOnFull {
    #[default]
    Wait,
    Reject,
}

/// An explicit route: an agent name (or a region id), optionally with ordered fallbacks.
#[derive(Debug)]
pub struct RawRoute {
    pub agent: String,
    pub fallbacks: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRouteDef {
    agent: String,
    #[serde(default)]
    fallbacks: Vec<String>,
}

impl<'de> Deserialize<'de> for RawRoute {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(agent) => Ok(Self {
                agent,
                fallbacks: Vec::new(),
            }),
            v @ Value::Object(_) => from_value::<RawRouteDef, _>(v).map(|r| Self {
                agent: r.agent,
                fallbacks: r.fallbacks,
            }),
            other => Err(de::Error::custom(format!(
                "expected an agent name or {{\"agent\": ..., \"fallbacks\": [...]}}, got {}",
                kind(&other)
            ))),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawSlo {
    pub media_rtt_ms: f64,
    pub join_latency: Secs,
    /// Planning targets; checked in `slo.rs`.
    pub targets: RawTargets,
    /// Region id -> relative cost of a slot-hour, for planning.
    pub cost: BTreeMap<String, f64>,
    /// A plan's population table flags a population whose worst-hour
    /// overflow share or mean media RTT is more than this many times the
    /// overall target (at least 1; checked in `slo.rs`).
    pub fairness_factor: f64,
    /// Every overall target (but utilisation) also holds for every
    /// population (`plan --every-population`).
    pub every_population: bool,
    /// Targets that must also hold with any one deployment down; checked in
    /// `resilience.rs`.
    pub resilience: Option<RawResilience>,
}

/// `slo.resilience`: failure targets and the failure window.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResilience {
    /// Same shape as `slo.targets` (no utilisation floors).
    #[serde(default)]
    pub targets: RawTargets,
    /// How long each deployment is down (default 2 h).
    pub duration: Option<Secs>,
    /// When every failure starts (default: each deployment's busiest window).
    pub at: Option<Secs>,
    /// What happens to the failed deployment's running sessions.
    #[serde(default)]
    pub sessions: RawFailover,
    /// Delay before they are re-dispatched (with `sessions: "redispatch"`).
    pub detect: Option<Secs>,
}

impl Default for RawSlo {
    fn default() -> Self {
        Self {
            media_rtt_ms: 150.0,
            join_latency: Secs(2.0),
            targets: RawTargets::default(),
            cost: BTreeMap::new(),
            fairness_factor: DEFAULT_FAIRNESS_FACTOR,
            every_population: false,
            resilience: None,
        }
    }
}

/// `slo.fairness_factor` when the scenario does not set it: a population is
/// flagged when its worst hour is more than twice the overall target.
pub const DEFAULT_FAIRNESS_FACTOR: f64 = 2.0;

/// Planning targets: metric name -> limit overall, and the same per population
/// (or, for utilisation, per region).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct RawTargets {
    #[serde(default)]
    pub populations: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub regions: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(flatten)]
    pub overall: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RawRun {
    pub horizon: Secs,
    pub warmup: Secs,
    pub seed: u64,
    pub replications: u32,
    pub bin: Secs,
    pub confidence: f64,
}

impl Default for RawRun {
    fn default() -> Self {
        Self {
            horizon: Secs(86_400.0),
            warmup: Secs(0.0),
            seed: 1,
            replications: 1,
            bin: Secs(900.0),
            confidence: 0.95,
        }
    }
}

/// A trace as read: its rows and its places (name, position, sessions).
#[derive(Debug)]
pub struct LoadedTrace {
    /// Rows, places indexing `places`.
    pub trace: Arc<Trace>,
    /// The places, in order of first appearance.
    pub places: Vec<(String, LatLon, f64)>,
}

/// The `rate.profile` field: a named daily shape, 24 hourly multipliers or
/// 168 (a week).
fn profile_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A named daily profile, 24 hourly multipliers (local time) or 168 (a week from Monday 00:00 local).",
        "anyOf": [
            { "enum": PROFILE_NAMES },
            { "type": "array", "items": { "type": "number" }, "minItems": 24, "maxItems": 24 },
            { "type": "array", "items": { "type": "number" }, "minItems": 168, "maxItems": 168 }
        ]
    })
}
