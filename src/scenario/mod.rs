//! Scenario files: the only place that knows the file format. `load` reads JSON,
//! `raw` mirrors it with serde, `validate` checks every value once and builds the
//! domain [`World`]; every complaint is located by file, JSON path and line/column.

mod error;
mod latency;
mod locate;
mod overrides;
mod policy;
mod raw;
mod schema;
mod units;
mod validate;

pub use error::{Invalid, ScenarioError};
pub use overrides::{number as override_number, parse_values as parse_set_values, value_text};
pub use schema::{scenario_schema, scenario_schema_text, SCHEMA_PATH};
pub use units::parse_duration;

use std::path::Path;

use crate::model::World;

/// Read and validate a scenario file.
pub fn load(path: &Path) -> Result<World, ScenarioError> {
    load_with(path, &[])
}

/// Read a scenario file, set the given fields (JSON paths such as
/// `deployments[0].capacity`, `[*]` for every element), then validate.
pub fn load_with(path: &Path, set: &[(String, serde_json::Value)]) -> Result<World, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    if set.is_empty() {
        return parse(path, &text);
    }
    // The file itself must be valid first, so its errors keep their line numbers.
    parse(path, &text)?;
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("parsed above");
    let setting = set
        .iter()
        .map(|(p, v)| format!("{p}={}", overrides::value_text(v)))
        .collect::<Vec<_>>()
        .join(", ");
    // Errors name the file and the settings; line numbers would point into the
    // modified text, so they are left out.
    let located = |p: String, message: String| {
        let file = std::path::PathBuf::from(format!("{} (with {setting})", path.display()));
        ScenarioError::Invalid(Box::new(Invalid {
            file,
            path: p,
            line: None,
            column: None,
            message,
        }))
    };
    overrides::apply(&mut doc, set).map_err(|m| located(String::new(), m))?;
    let modified = serde_json::to_string(&doc).expect("a Value always serialises");
    parse(path, &modified).map_err(|e| match e {
        ScenarioError::Invalid(i) => located(i.path, i.message),
        other => other,
    })
}

/// Validate scenario text; `file` names it in messages.
pub fn parse(file: &Path, text: &str) -> Result<World, ScenarioError> {
    let located = |path: String, message: String, pos: Option<(usize, usize)>| {
        let pos = pos.or_else(|| locate::locate(text, &path));
        ScenarioError::Invalid(Box::new(Invalid {
            file: file.to_path_buf(),
            path,
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            message,
        }))
    };
    if text.trim().is_empty() {
        return Err(located(
            String::new(),
            "the file is empty; a scenario is a JSON object (see docs/scenarios.md)".into(),
            Some((1, 1)),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let json_error = |path: String, inner: serde_json::Error| {
        let (line, col) = (inner.line(), inner.column());
        let mut message = inner.to_string();
        if let Some(stripped) = message.strip_suffix(&format!(" at line {line} column {col}")) {
            message = stripped.to_string();
        }
        if inner.classify() == serde_json::error::Category::Eof {
            message = format!("the file ends early (truncated?): {message}");
        }
        located(path, message, Some((line, col.max(1))))
    };
    let raw: raw::RawScenario = match serde_path_to_error::deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            return Err(json_error(path, e.into_inner()));
        }
    };
    de.end().map_err(|e| json_error(String::new(), e))?;
    validate::build(raw).map_err(|e| located(e.path, e.message, None))
}
