//! Objects whose `type` field picks the shape of the rest (distributions,
//! policies). serde's internally tagged enums buffer the object and lose the
//! path of an error inside it, and word their errors in Rust terms; here the
//! object is reshaped to `{type: {rest}}` and read by the externally tagged
//! form with the path tracked, so an error names the innermost field.

use serde::de::{self, Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::messages::mark;
use crate::input::excerpt;

/// Read `{"type": T, ...}` from `d`: `types` are the allowed values of `type`,
/// `what` names the object in messages, `read` reads the reshaped value.
pub fn tagged<'de, D, T>(
    d: D,
    what: &str,
    types: &[&str],
    read: impl for<'a, 'b> FnOnce(
        serde_path_to_error::Deserializer<'a, 'b, Value>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let allowed = types.join(", ");
    let mut map = match Value::deserialize(d)? {
        Value::Object(m) => m,
        other => {
            return Err(de::Error::custom(format!(
                "expected {what}: an object with a `type` ({allowed}), got {}",
                kind(&other)
            )))
        }
    };
    let ty = match map.shift_remove("type") {
        Some(Value::String(s)) if types.contains(&s.as_str()) => s,
        Some(Value::String(s)) => {
            return Err(de::Error::custom(mark(
                "type",
                &format!("unknown type `{}`; use one of {allowed}", excerpt(&s)),
            )))
        }
        Some(other) => {
            return Err(de::Error::custom(mark(
                "type",
                &format!("must be one of {allowed}, got {}", kind(&other)),
            )))
        }
        None => {
            return Err(de::Error::custom(format!(
                "missing field `type` ({what}: one of {allowed})"
            )))
        }
    };
    let mut outer = Map::new();
    outer.insert(ty, Value::Object(map));
    let mut track = serde_path_to_error::Track::new();
    let result = read(serde_path_to_error::Deserializer::new(
        Value::Object(outer),
        &mut track,
    ));
    result.map_err(|e| {
        // The first step of the path is the type name: drop it.
        let path = track.path().to_string();
        let inner = path.split_once('.').map_or("", |(_, rest)| rest);
        de::Error::custom(mark(inner, &e.to_string()))
    })
}

/// A value's JSON kind, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Read an owned value with its error path carried in the message (see
/// [`mark`]), so a custom deserializer's caller can name the innermost field.
pub fn from_value<T: de::DeserializeOwned, E: de::Error>(v: Value) -> Result<T, E> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        E::custom(mark(&path, &e.into_inner().to_string()))
    })
}
