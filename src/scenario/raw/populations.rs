//! The raw form of the demand side, `populations`: where users are, when and
//! how often they arrive, how long they stay and how long they wait, or the
//! session log they are replayed from instead. The trace a population replays
//! is read before validation and travels here with it (`LoadedTrace`).

use std::sync::Arc;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

use super::dist::RawDist;
use crate::model::geo::LatLon;
use crate::model::rate::PROFILE_NAMES;
use crate::model::trace::Trace;
use crate::scenario::tagged::{from_value, kind};
use crate::scenario::units::Secs;

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
    pub loaded: Option<Arc<LoadedTrace>>,
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
    #[serde(default = "super::one")]
    pub weight: f64,
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
