//! Scenario files: the only place that knows the file format. `load` reads JSON,
//! `raw` mirrors it with serde, `validate` checks every value once and builds the
//! domain [`World`]; every complaint is located by file, JSON path and line/column.

mod checks;
mod dupkeys;
mod error;
mod field;
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
mod scan;
mod schema;
mod sites;
mod slo;
mod source;
mod tagged;
mod timeline;
mod trace;
mod units;
mod validate;
mod warnings;
mod workers;

pub use error::{Invalid, ScenarioError};
pub use overrides::{
    apply as set_fields, number as override_number, parse_values as parse_set_values, quote_key,
    value_text,
};
pub use schema::{scenario_schema, scenario_schema_text, SCHEMA_PATH};
pub use source::{read_bytes, read_text, Source};
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
    load_source(&Source::read(path)?, set)
}

/// Validate a scenario file already read, with the given fields set as
/// [`load_with`] does.
pub fn load_source(
    src: &Source,
    set: &[(String, serde_json::Value)],
) -> Result<World, ScenarioError> {
    let (path, text) = (src.path(), src.text()?);
    if set.is_empty() {
        return parse_text(path, text);
    }
    // The file itself must be valid first, so its errors keep their line numbers.
    parse_text(path, text)?;
    let mut doc = document(path, text)?;
    let setting = set
        .iter()
        // As the user typed them, with what a terminal would act on escaped.
        .map(|(p, v)| {
            let value = crate::input::excerpt(&overrides::value_text(v));
            format!("{}={value}", messages::show_path(p))
        })
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
    // The tree takes several times the text's bytes (about 800 a city): gone
    // before the text is parsed again, the two never add up.
    drop(doc);
    parse_text(path, &modified).map_err(|e| match e {
        ScenarioError::Invalid(i) => located(i.path, i.message),
        other => other,
    })
}

/// The JSON path of the field that sets a deployment's (starting) capacity in
/// the scenario file: its `deployments` entry, or the timeline event that
/// creates it (None for a candidate, which a plan adds as a new entry). A
/// plan is written back through it.
pub fn capacity_field(dep: &crate::model::Deployment) -> Option<String> {
    match dep.declared_by {
        crate::model::DeclaredBy::Deployments(i) => Some(format!("deployments[{i}].capacity")),
        crate::model::DeclaredBy::Timeline(i) => Some(format!("timeline[{i}].capacity")),
        crate::model::DeclaredBy::Candidate(_) => None,
    }
}

/// Give the autoscaled pool of `dep` (a `deployments` entry) the daily floor
/// `hours` in `doc`: `autoscale.min_hourly` in place of `autoscale.min`.
pub fn set_floor_schedule(
    doc: &mut serde_json::Value,
    dep: &crate::model::Deployment,
    hours: &[u32; 24],
) -> Result<(), String> {
    let crate::model::DeclaredBy::Deployments(i) = dep.declared_by else {
        return Err("only a `deployments` entry has workers".into());
    };
    let a = doc["deployments"][i]["workers"]["autoscale"]
        .as_object_mut()
        .ok_or_else(|| format!("`deployments[{i}].workers.autoscale` is not an object"))?;
    a.remove("min");
    a.insert("min_hourly".into(), serde_json::json!(hours));
    Ok(())
}

/// The scenario's text with the given numeric fields set, pretty-printed and
/// checked to load (e.g. a plan's capacities written back as a scenario
/// `regionsim run` accepts as is). It starts from the bytes that were read
/// and validated, never from a second read of the file.
pub fn rewrite(src: &Source, set: &[(String, f64)]) -> Result<String, ScenarioError> {
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
    load_source(src, set)?;
    let mut doc = document(src.path(), src.text()?)?;
    overrides::apply(&mut doc, set).map_err(|m| invalid_at(src.path(), m))?;
    let mut out = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    out.push('\n');
    Ok(out)
}

/// Valid scenario text as a JSON document (a parse error here, after the
/// text was validated, is reported rather than assumed away).
pub fn document(file: &Path, text: &str) -> Result<serde_json::Value, ScenarioError> {
    serde_json::from_str(text).map_err(|e| invalid_at(file, e.to_string()))
}

fn invalid_at(file: &Path, message: String) -> ScenarioError {
    ScenarioError::Invalid(Box::new(Invalid {
        file: file.to_path_buf(),
        path: String::new(),
        line: None,
        column: None,
        message,
    }))
}

/// Validate the bytes of a scenario file as [`load`] does (UTF-8, an optional
/// byte-order mark); `file` names it in messages.
pub fn parse_bytes(file: &Path, bytes: &[u8]) -> Result<World, ScenarioError> {
    parse_text(file, source::decode(file, bytes)?)
}

/// Validate scenario text (a leading byte-order mark is dropped); `file`
/// names it in messages.
pub fn parse(file: &Path, text: &str) -> Result<World, ScenarioError> {
    parse_text(file, text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// Validate scenario text as it is.
fn parse_text(file: &Path, text: &str) -> Result<World, ScenarioError> {
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
        let first = scan::line_col(text.as_bytes(), d.first);
        return Err(located(
            d.path,
            format!(
                "duplicate key: it is already given at line {}, column {}; a key may appear once per object",
                first.0, first.1
            ),
            Some(scan::line_col(text.as_bytes(), d.second)),
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
        let pos = scan::line_col(text.as_bytes(), text.len());
        return (path, message, Some(pos));
    }
    // A refined path is located in the text; otherwise the parser's position stands.
    let pos = (sub.is_empty() && line > 0).then_some((line, col.max(1)));
    (path, message, pos)
}
