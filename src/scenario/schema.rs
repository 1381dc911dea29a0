//! JSON Schema of scenario files, generated from the very types that parse them
//! (`raw/`, through `schemars`), so editors can complete and check a scenario
//! as it is typed. The few types with hand-written deserialisers (durations,
//! regions, patience, routes, rate profiles) describe their accepted shapes here.
//! The schema checks shapes and types; ranges and cross-references (a
//! deployment's region exists, 0 < confidence < 1) stay with validation.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::raw::{
    RawDist, RawPatience, RawRegion, RawRegionDef, RawRoute, RawRouteDef, RawScenario,
};
use super::units::{duration_pattern, Secs};

/// Where the published schema lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "schema/scenario.schema.json";

impl JsonSchema for Secs {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: a number of seconds, or a string of numbers each with a unit, which add up (\"150ms\", \"90s\", \"3min\", \"1.5h\", \"2d\", \"1h30min\", \"2h 15min\").",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": duration_pattern() }
            ]
        })
    }
}

impl JsonSchema for RawRegion {
    fn schema_name() -> Cow<'static, str> {
        "Region".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A built-in region id (e.g. \"eu-central\"), or a full region definition.",
            "anyOf": [
                { "type": "string" },
                g.subschema_for::<RawRegionDef>()
            ]
        })
    }
}

impl JsonSchema for RawPatience {
    fn schema_name() -> Cow<'static, str> {
        "Patience".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How long a user waits for an agent: 0 or \"none\" (no waiting), \"unlimited\", a duration, or a distribution.",
            "anyOf": [
                { "enum": ["none", "unlimited"] },
                g.subschema_for::<Secs>(),
                g.subschema_for::<RawDist>()
            ]
        })
    }
}

impl JsonSchema for RawRoute {
    fn schema_name() -> Cow<'static, str> {
        "Route".into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An agent name (or region id), or an agent with ordered fallbacks.",
            "anyOf": [
                { "type": "string" },
                g.subschema_for::<RawRouteDef>()
            ]
        })
    }
}

/// The scenario file schema as a JSON value.
pub fn scenario_schema() -> Value {
    let mut schema = schemars::schema_for!(RawScenario).to_value();
    if let Value::Object(m) = &mut schema {
        m.insert("title".into(), "regionsim scenario".into());
        m.insert(
            "description".into(),
            "A regionsim scenario file: regions, agent deployments, user populations, latency, dispatch policy, targets and run settings. See docs/scenarios.md.".into(),
        );
    }
    schema
}

/// The published schema text (pretty-printed, trailing newline).
pub fn scenario_schema_text() -> String {
    let mut s =
        serde_json::to_string_pretty(&scenario_schema()).expect("a Value always serialises");
    s.push('\n');
    s
}
