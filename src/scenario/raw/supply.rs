//! The raw form of the supply side, `regions` and `deployments`: where agents
//! can run and how many slots each deployment offers. A region may be named
//! by a built-in id alone, so its reader accepts either shape.

use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

use super::workers::RawWorkers;
use crate::scenario::tagged::{from_value, kind};
use crate::scenario::units::Secs;

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
    pub workers: Option<RawWorkers>,
}
