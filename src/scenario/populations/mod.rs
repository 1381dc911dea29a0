//! Populations: where users come from (one or several weighted cities, each
//! with its media edge and RTTs), when (peak rate times a 24-hour or weekly
//! profile in local time) and how they behave (session length, patience, delays). Split
//! from the rest of the validation because a population carries the most
//! cross-field rules of any scenario part.

mod replay;

use std::collections::BTreeMap;

use serde_json::Value;

use super::field::{coord, dist, err, finite_at_least, region_index, secs, VErr, R};
use super::latency::{city_rtts, Geo};
use super::raw::*;
use crate::model::dist::TimeDist;
use crate::model::geo::LatLon;
use crate::model::rate::{named_profile, DailyRate, PROFILE_NAMES};
use crate::model::{City, Patience, Population, Region};

fn profile(path: &str, v: &Option<Value>) -> R<Vec<f64>> {
    match v {
        None => Ok(vec![1.0; 24]),
        Some(Value::String(name)) => named_profile(name).map(Vec::from).ok_or_else(|| VErr {
            path: path.into(),
            message: format!(
                "unknown profile `{name}`; use one of {} or 24 hourly multipliers",
                PROFILE_NAMES.join(", ")
            ),
        }),
        Some(Value::Array(items)) => {
            if items.len() != 24 && items.len() != 168 {
                return err(
                    path,
                    format!(
                        "must have 24 hourly multipliers (local hours 0..23) or 168 (a week from Monday 00:00 local), got {}",
                        items.len()
                    ),
                );
            }
            let mut p = vec![0.0; items.len()];
            for (h, item) in items.iter().enumerate() {
                let x = item.as_f64().ok_or_else(|| VErr {
                    path: format!("{path}[{h}]"),
                    message: format!("must be a number, got {item}"),
                })?;
                p[h] = finite_at_least(&format!("{path}[{h}]"), x, 0.0)?;
            }
            Ok(p)
        }
        Some(other) => err(
            path,
            format!(
                "must be a profile name ({}) or an array of 24 or 168 numbers, got {other}",
                PROFILE_NAMES.join(", ")
            ),
        ),
    }
}

pub(super) fn patience(path: &str, p: &RawPatience) -> R<Patience> {
    Ok(match p {
        RawPatience::None => Patience::None,
        RawPatience::Unlimited => Patience::Unlimited,
        RawPatience::Fixed(s) => {
            let v = secs(path, *s)?;
            if v == 0.0 {
                Patience::None
            } else {
                Patience::Dist(TimeDist::deterministic(v).map_err(|m| VErr {
                    path: path.into(),
                    message: m,
                })?)
            }
        }
        RawPatience::Dist(d) => Patience::Dist(dist(path, d)?),
    })
}

/// A population's places: its one `lat`/`lon`, or its weighted `cities`.
fn places(path: &str, p: &RawPopulation) -> R<Vec<(String, LatLon, f64)>> {
    Ok(match (&p.cities, p.lat, p.lon) {
        (Some(list), None, None) => {
            if list.is_empty() {
                return err(format!("{path}.cities"), "must list at least one city");
            }
            let mut v = Vec::with_capacity(list.len());
            for (k, c) in list.iter().enumerate() {
                let cpath = format!("{path}.cities[{k}]");
                let w = c.weight;
                if !(w.is_finite() && w > 0.0) {
                    return err(format!("{cpath}.weight"), format!("must be a finite number > 0, got {w}"));
                }
                v.push((c.name.clone(), coord(&cpath, c.lat, c.lon)?, w));
            }
            v
        }
        (None, Some(lat), Some(lon)) => vec![(p.name.clone(), coord(path, lat, lon)?, 1.0)],
        _ => return err(path, "give either `lat` and `lon` (one place) or `cities` (several weighted places), not both"),
    })
}

/// The peak rate in arrivals per second, given per hour or per second.
fn peak_rate(path: &str, rate: &RawRate) -> R<f64> {
    match (rate.peak_per_hour, rate.peak_per_s) {
        (Some(h), None) => {
            Ok(finite_at_least(&format!("{path}.rate.peak_per_hour"), h, 0.0)? / 3600.0)
        }
        (None, Some(s)) => finite_at_least(&format!("{path}.rate.peak_per_s"), s, 0.0),
        _ => err(
            format!("{path}.rate"),
            "give exactly one of `peak_per_hour` and `peak_per_s`",
        ),
    }
}

/// Append a population's places to `cities` (each with its media edge and
/// RTTs, overridden per region where the scenario says so); returns their
/// indices and the cumulative weights to draw a user's city from (empty for
/// one place).
fn add_cities(
    places: Vec<(String, LatLon, f64)>,
    pop: &str,
    overrides: Option<&BTreeMap<String, f64>>,
    regions: &[Region],
    geo: &Geo,
    cities: &mut Vec<City>,
) -> R<(Vec<usize>, Vec<f64>)> {
    let total_w: f64 = places.iter().map(|c| c.2).sum();
    let mut acc = 0.0;
    let mut cdf = Vec::new();
    let mut idx = Vec::new();
    for (name, at, w) in places {
        let (edge, mut rtt_ms) = city_rtts(geo, regions, at);
        if let Some(row) = overrides {
            for (rid, ms) in row {
                let opath = format!("latency.population_rtt_ms.{pop}.{rid}");
                let r = region_index(regions, &opath, rid)?;
                rtt_ms[r] = finite_at_least(&opath, *ms, 0.0)?;
            }
        }
        acc += w / total_w;
        cdf.push(acc);
        idx.push(cities.len());
        cities.push(City {
            name,
            location: at,
            edge,
            rtt_ms,
        });
    }
    if let Some(last) = cdf.last_mut() {
        *last = 1.0;
    }
    if cdf.len() == 1 {
        cdf.clear();
    }
    Ok((idx, cdf))
}

/// The hours east of UTC, -12..14.
pub(super) fn offset(path: &str, offset: f64) -> R<f64> {
    if !(offset.is_finite() && (-12.0..=14.0).contains(&offset)) {
        return err(
            format!("{path}.utc_offset_h"),
            format!("must be between -12 and 14 hours, got {offset}"),
        );
    }
    Ok(offset)
}

/// A field a modelled population needs (one that does not replay a trace).
fn needed<'a, T>(path: &str, field: &str, v: &'a Option<T>) -> R<&'a T> {
    v.as_ref().ok_or_else(|| VErr {
        path: path.into(),
        message: format!(
            "missing field `{field}` (required unless the population replays a trace with `arrivals`)"
        ),
    })
}

/// A population drawn from its places, rate, profile and session law.
fn modelled(
    path: &str,
    p: &RawPopulation,
    cities_in: impl FnOnce(Vec<(String, LatLon, f64)>) -> R<(Vec<usize>, Vec<f64>)>,
) -> R<Population> {
    let places = places(path, p)?;
    let offset = offset(path, *needed(path, "utc_offset_h", &p.utc_offset_h)?)?;
    let rate = needed(path, "rate", &p.rate)?;
    let peak = peak_rate(path, rate)?;
    let shape = profile(&format!("{path}.rate.profile"), &rate.profile)?;
    super::checks::rate(path, rate, peak, &shape)?;
    let session = dist(
        &format!("{path}.session"),
        needed(path, "session", &p.session)?,
    )?;
    let (idx, cdf) = cities_in(places)?;
    Ok(Population {
        name: p.name.clone(),
        cities: idx,
        city_cdf: cdf,
        utc_offset_h: offset,
        rate: DailyRate::from_local_profile(peak, &shape, offset),
        profile: shape,
        peak_rate_per_s: peak,
        surges: Vec::new(),
        session,
        patience: patience(&format!("{path}.patience"), &p.patience)?,
        trace: None,
    })
}

pub(super) fn populations(
    raw: &RawScenario,
    regions: &[Region],
    geo: &Geo,
) -> R<(Vec<Population>, Vec<City>)> {
    let mut pops = Vec::with_capacity(raw.populations.len());
    let mut cities = Vec::new();
    if raw.populations.is_empty() {
        return err("populations", "must list at least one population");
    }
    for (i, p) in raw.populations.iter().enumerate() {
        let path = format!("populations[{i}]");
        if p.name.is_empty() {
            return err(format!("{path}.name"), "must not be empty");
        }
        if raw.populations[..i].iter().any(|q| q.name == p.name) {
            return err(
                format!("{path}.name"),
                format!("population `{}` is defined twice", p.name),
            );
        }
        let overrides = raw.latency.population_rtt_ms.get(&p.name);
        let cities_in = |places| add_cities(places, &p.name, overrides, regions, geo, &mut cities);
        pops.push(match &p.loaded {
            Some(t) => replay::population(&path, p, t, cities_in)?,
            None => modelled(&path, p, cities_in)?,
        });
    }
    for name in raw.latency.population_rtt_ms.keys() {
        if !raw.populations.iter().any(|p| &p.name == name) {
            return err(
                format!("latency.population_rtt_ms.{name}"),
                format!("unknown population `{name}`"),
            );
        }
    }
    Ok((pops, cities))
}
