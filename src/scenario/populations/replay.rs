//! A population that replays a trace: its places are the trace's, its
//! arrivals and lengths the trace's rows; `rate`, `session` and places may not
//! be given. Its rate and session law in the world are stand-ins derived from
//! the trace (the mean day, the mean length) for the workload estimate and the
//! planner's start; the engine replays the rows themselves.

use std::sync::Arc;

use super::{offset, patience};
use crate::model::dist::TimeDist;
use crate::model::geo::LatLon;
use crate::model::rate::DailyRate;
use crate::model::Population;
use crate::scenario::field::{err, VErr, R};
use crate::scenario::raw::LoadedTrace;
use crate::scenario::raw::RawPopulation;

/// Validate a trace population (its trace already read).
pub(super) fn population(
    path: &str,
    p: &RawPopulation,
    t: &LoadedTrace,
    cities_in: impl FnOnce(Vec<(String, LatLon, f64)>) -> R<(Vec<usize>, Vec<f64>)>,
) -> R<Population> {
    for (field, given) in [
        ("rate", p.rate.is_some()),
        ("session", p.session.is_some()),
        ("cities", p.cities.is_some()),
        ("lat", p.lat.is_some() || p.lon.is_some()),
    ] {
        if given {
            return err(
                format!("{path}.{field}"),
                "a population replaying a trace takes its places, instants and lengths from the trace; remove this field",
            );
        }
    }
    // Solar time of its largest place (listed first), unless given: it only
    // names the population's clock.
    let largest = t.places.first().map_or(0.0, |p| p.1.lon);
    let offset = offset(path, p.utc_offset_h.unwrap_or((largest / 15.0).round()))?;
    let (peak, shape) = t.trace.hourly_profile();
    let n = t.trace.rows.len().max(1) as f64;
    let mean = t
        .trace
        .rows
        .iter()
        .map(|r| f64::from(r.duration))
        .sum::<f64>()
        / n;
    let (idx, cdf) = cities_in(t.places.clone())?;
    Ok(Population {
        name: p.name.clone(),
        cities: idx,
        city_cdf: cdf,
        utc_offset_h: offset,
        rate: DailyRate::from_local_profile(peak, &shape, 0.0),
        profile: shape.to_vec(),
        peak_rate_per_s: peak,
        surges: Vec::new(),
        session: TimeDist::deterministic(mean).map_err(|m| VErr {
            path: path.into(),
            message: m,
        })?,
        patience: patience(&format!("{path}.patience"), &p.patience)?,
        trace: Some(Arc::clone(&t.trace)),
    })
}
