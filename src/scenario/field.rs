//! Rules for one field at a time, shared by every part of validation: the
//! complaint type with the JSON path it is about, numbers, durations,
//! coordinates, region references and time distributions. A leaf: it knows the
//! raw distribution but no part validator, so the parts depend on it and never
//! on each other through it.

use super::raw::RawDist;
use super::units::Secs;
use crate::model::dist::TimeDist;
use crate::model::geo::LatLon;
use crate::model::Region;

/// A complaint with the JSON path it is about.
pub(super) struct VErr {
    pub path: String,
    pub message: String,
}

pub(super) type R<T> = Result<T, VErr>;

pub(super) fn err<T>(path: impl Into<String>, message: impl Into<String>) -> R<T> {
    Err(VErr {
        path: path.into(),
        message: message.into(),
    })
}

pub(super) fn finite_at_least(path: &str, v: f64, min: f64) -> R<f64> {
    if v.is_finite() && v >= min {
        Ok(v)
    } else {
        err(path, format!("must be a finite number >= {min}, got {v}"))
    }
}

pub(super) fn secs(path: &str, s: Secs) -> R<f64> {
    finite_at_least(path, s.0, 0.0).map_err(|e| VErr {
        message: format!("duration {}", e.message),
        ..e
    })
}

pub(super) fn coord(path: &str, lat: f64, lon: f64) -> R<LatLon> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return err(
            format!("{path}.lat"),
            format!("latitude must be between -90 and 90, got {lat}"),
        );
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return err(
            format!("{path}.lon"),
            format!("longitude must be between -180 and 180, got {lon}"),
        );
    }
    Ok(LatLon { lat, lon })
}

/// Build a time distribution, attributing parameter errors to the field.
pub(super) fn dist(path: &str, raw: &RawDist) -> R<TimeDist> {
    let field = |name: &str| format!("{path}.{name}");
    let result = match raw {
        RawDist::Deterministic { value } => TimeDist::deterministic(secs(&field("value"), *value)?),
        RawDist::Exponential { mean } => TimeDist::exponential(secs(&field("mean"), *mean)?),
        RawDist::Uniform { min, max } => {
            TimeDist::uniform(secs(&field("min"), *min)?, secs(&field("max"), *max)?)
        }
        RawDist::Lognormal { mean, cv } => TimeDist::lognormal(secs(&field("mean"), *mean)?, *cv),
        RawDist::Gamma { mean, cv } => TimeDist::gamma(secs(&field("mean"), *mean)?, *cv),
        RawDist::Weibull { shape, scale } => {
            TimeDist::weibull(*shape, secs(&field("scale"), *scale)?)
        }
        RawDist::BoundedPareto { alpha, min, max } => TimeDist::bounded_pareto(
            *alpha,
            secs(&field("min"), *min)?,
            secs(&field("max"), *max)?,
        ),
        RawDist::Empirical { values } => {
            let mut v = Vec::with_capacity(values.len());
            for (i, x) in values.iter().enumerate() {
                v.push(secs(&format!("{path}.values[{i}]"), *x)?);
            }
            TimeDist::empirical(v)
        }
    };
    // A parameter's complaint names it (`cv`): point at that field.
    result.map_err(|message| VErr {
        path: super::messages::named_field(&message).map_or(path.to_string(), field),
        message,
    })
}

pub(super) fn region_index(regions: &[Region], path: &str, id: &str) -> R<usize> {
    regions.iter().position(|r| r.id == id).ok_or_else(|| {
        let ids: Vec<_> = regions.iter().map(|r| r.id.as_str()).collect();
        VErr {
            path: path.into(),
            message: format!(
                "unknown region `{id}`; the scenario defines: {}",
                ids.join(", ")
            ),
        }
    })
}
