//! The raw form of `policy` and the labelled `policies`: which dispatch rule
//! places users and its parameters, spill and what happens when the chosen
//! deployment is full. A route may be an agent name alone, so its reader
//! accepts either shape.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

use crate::scenario::tagged::{from_value, kind, tagged};
use crate::scenario::units::Secs;

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
        tagged(d, "a policy", types, |v| RawPolicy::deserialize(v))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpill {
    #[serde(default = "super::one")]
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

// A route's object form, read on its own so unknown fields are refused and
// the schema can describe it (a doc comment would enter the schema).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(in crate::scenario) struct RawRouteDef {
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
