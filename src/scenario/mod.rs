//! Scenario files: the only place that knows the file format. `load` reads JSON,
//! `raw` mirrors it with serde, `validate` checks every value once and builds the
//! domain [`World`]; every complaint is located by file, JSON path and line/column.

mod checks;
mod dupkeys;
mod error;
pub mod fragment;
mod latency;
pub mod limits;
mod locate;
mod messages;
mod names;
mod overrides;
mod policy;
mod populations;
mod raw;
mod replay;
mod schema;
mod slo;
mod tagged;
mod timeline;
mod trace;
mod units;
mod validate;
mod warnings;
mod workers;

pub use error::{Invalid, ScenarioError};
pub use overrides::{number as override_number, parse_values as parse_set_values, value_text};
pub use schema::{scenario_schema, scenario_schema_text, SCHEMA_PATH};
pub use units::parse_duration;
pub use warnings::warnings;

use std::path::Path;

use crate::model::World;

/// Read and validate a scenario file.
pub fn load(path: &Path) -> Result<World, ScenarioError> {
    load_with(path, &[])
}

/// Read a scenario file, set the given fields (JSON paths such as
/// `deployments[0].capacity`, `[*]` for every element), then validate.
pub fn load_with(path: &Path, set: &[(String, serde_json::Value)]) -> Result<World, ScenarioError> {
    let io = |error| ScenarioError::Io {
        file: path.to_path_buf(),
        error,
    };
    // A scenario is a few kB; a huge file is a mistake, not worth its memory.
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits::MAX_FILE_BYTES {
        return Err(ScenarioError::Invalid(Box::new(Invalid {
            file: path.to_path_buf(),
            path: String::new(),
            line: None,
            column: None,
            message: format!(
                "the file has {size} bytes; a scenario may have at most {} (docs/scenarios.md, limits)",
                limits::MAX_FILE_BYTES
            ),
        })));
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
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

/// The scenario file's text with the given numeric fields set, pretty-printed
/// and checked to load (e.g. a plan's capacities written back as a scenario
/// `regionsim run` accepts as is).
pub fn rewrite(path: &Path, set: &[(String, f64)]) -> Result<String, ScenarioError> {
    let set: Vec<(String, serde_json::Value)> = set
        .iter()
        .map(|&(ref p, v)| {
            // Whole numbers as integers, so integer fields (capacities) accept them.
            let value = if v.fract() == 0.0 && v.abs() < 9e15 {
                serde_json::Value::from(v as i64)
            } else {
                serde_json::Value::from(v)
            };
            (p.clone(), value)
        })
        .collect();
    let set = set.as_slice();
    load_with(path, set)?;
    let text = std::fs::read_to_string(path).map_err(|error| ScenarioError::Io {
        file: path.to_path_buf(),
        error,
    })?;
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("loaded above");
    overrides::apply(&mut doc, set).expect("applied above");
    let mut out = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    out.push('\n');
    Ok(out)
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
            message: messages::tidy(&message),
        }))
    };
    if text.trim().is_empty() {
        return Err(located(
            String::new(),
            "the file is empty; a scenario is a JSON object (see docs/scenarios.md)".into(),
            Some((1, 1)),
        ));
    }
    if let Some(d) = dupkeys::first_duplicate(text) {
        let first = dupkeys::line_col(text, d.first);
        return Err(located(
            d.path,
            format!(
                "duplicate key: it is already given at line {}, column {}; a key may appear once per object",
                first.0, first.1
            ),
            Some(dupkeys::line_col(text, d.second)),
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut raw: raw::RawScenario = match serde_path_to_error::deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => {
            let path = e.path().to_string();
            let (path, message, pos) = json_error(text, &path, e.into_inner());
            return Err(located(path, message, pos));
        }
    };
    if let Err(e) = de.end() {
        let (path, message, pos) = json_error(text, "", e);
        return Err(located(path, message, pos));
    }
    trace::load_all(file, &mut raw).map_err(|e| located(e.path, e.message, None))?;
    validate::build(raw)
        .and_then(trace::check)
        .map_err(|e| located(e.path, e.message, None))
}

/// A parser or serde error as (innermost path, plain message, position).
fn json_error(
    text: &str,
    path: &str,
    inner: serde_json::Error,
) -> (String, String, Option<(usize, usize)>) {
    let (line, col) = (inner.line(), inner.column());
    let eof = inner.classify() == serde_json::error::Category::Eof;
    let mut message = inner.to_string();
    if let Some(stripped) = message.strip_suffix(&format!(" at line {line} column {col}")) {
        message = stripped.to_string();
    }
    let (sub, message) = messages::split_marked(&message);
    // serde_path_to_error writes `?` for a step it could not name (a truncated file).
    let outer: String = path
        .split('.')
        .take_while(|s| !s.contains('?'))
        .collect::<Vec<_>>()
        .join(".");
    let outer = if outer == "." { String::new() } else { outer };
    let path = messages::join(&outer, &sub);
    let message = messages::plain(&message);
    if eof {
        let message = format!("the file ends early (truncated?): {message}");
        let pos = dupkeys::line_col(text, text.len());
        return (path, message, Some(pos));
    }
    // A refined path is located in the text; otherwise the parser's position stands.
    let pos = (sub.is_empty() && line > 0).then_some((line, col.max(1)));
    (path, message, pos)
}
