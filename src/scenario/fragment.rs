//! Scenario text the program writes: the populations `regionsim fit` found, as
//! the `populations` array of a scenario file, and a template scenario with
//! its populations replaced (checked by loading it, like any file).

use serde_json::{json, Value};

use super::ScenarioError;
use crate::fit::laws::{Family, LawFit};
use crate::fit::{FitOutcome, FittedPopulation};

/// `x` to `digits` significant digits, as a JSON number.
pub fn sig(x: f64, digits: i32) -> Value {
    if x == 0.0 || !x.is_finite() {
        return json!(0.0);
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    let r = (x * scale).round() / scale;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// The `session` object of a fitted law.
pub fn law_json(law: &LawFit) -> Value {
    match law.family {
        Family::LogNormal | Family::Gamma => json!({
            "type": law.family.name(),
            "mean": sig(law.mean(), 6),
            "cv": sig(law.cv(), 6),
        }),
        Family::Weibull => json!({
            "type": "weibull",
            "shape": sig(law.params[0], 6),
            "scale": sig(law.params[1], 6),
        }),
    }
}

/// The `session` object of a fit: its best law, else the mean duration as a
/// constant (fewer than two distinct durations > 0).
pub fn session_json(fit: &FitOutcome) -> Value {
    match fit.laws.first() {
        Some(l) => law_json(l),
        None => json!({ "type": "deterministic", "value": sig(fit.mean_duration_s.max(0.0), 6) }),
    }
}

fn population(p: &FittedPopulation, session: &Value) -> Value {
    let cities: Vec<Value> = p
        .places
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "lat": sig(c.location.lat, 6),
                "lon": sig(c.location.lon, 6),
                "weight": c.sessions,
            })
        })
        .collect();
    let profile: Vec<Value> = p.local_profile.iter().map(|&m| sig(m, 6)).collect();
    json!({
        "name": p.name,
        "cities": cities,
        "utc_offset_h": p.utc_offset_h,
        "rate": { "peak_per_hour": sig(p.peak_per_hour, 6), "profile": profile },
        "session": session,
    })
}

/// The fitted populations as scenario JSON: `{"populations": [...]}`.
pub fn populations_fragment(fit: &FitOutcome) -> Value {
    let session = session_json(fit);
    let pops: Vec<Value> = fit
        .populations
        .iter()
        .map(|p| population(p, &session))
        .collect();
    json!({ "populations": pops })
}

/// Pretty JSON text with a trailing newline.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a Value always serialises");
    s.push('\n');
    s
}

/// The template scenario file with its `populations` replaced by the fitted
/// ones, checked by loading the result.
pub fn with_populations(src: &super::Source, fit: &FitOutcome) -> Result<String, ScenarioError> {
    let (template, text) = (src.path(), src.text()?);
    super::parse(template, text)?;
    let mut doc: Value = super::document(template, text)?;
    let frag = populations_fragment(fit);
    doc["populations"] = frag["populations"].clone();
    let out = pretty(&doc);
    let name = std::path::PathBuf::from(format!(
        "{} (with the fitted populations)",
        template.display()
    ));
    super::parse(&name, &out)?;
    Ok(out)
}
