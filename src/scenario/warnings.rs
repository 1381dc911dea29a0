//! Suspicious but valid scenarios: warnings the commands print on stderr before
//! running. Each names the field it is about. The heuristics (docs/scenarios.md):
//! - every deployment has capacity 0 (and no workers);
//! - patience given while the main policy rejects when full (`on_full: reject`),
//!   so nobody ever waits;
//! - a place whose latitude lies outside the inhabited band (60 S to 75 N) while
//!   its longitude would lie inside it: latitude and longitude look swapped;
//! - a UTC offset more than 60 degrees (4 hours) of solar time away from the
//!   place's longitude: a sign slip in `utc_offset_h` or `lon`;
//! - a replayed trace whose bad rows were left out (within `max_bad_share`).

use super::error::Invalid;
use super::locate::locate;
use crate::model::{OnFull, Patience, PolicySpec, World};

/// Inhabited latitudes, degrees.
const INHABITED: std::ops::RangeInclusive<f64> = -60.0..=75.0;
/// Largest believable gap between the UTC offset and the longitude's solar time, degrees.
const OFFSET_SLACK_DEG: f64 = 60.0;

/// The warnings for `world`, loaded from `src` (its text locates them).
pub fn warnings(src: &super::Source, world: &World) -> Vec<String> {
    let (file, text) = (src.path(), src.text().unwrap_or_default());
    found(world)
        .into_iter()
        .map(|(path, message)| {
            let pos = locate(text, &path).filter(|_| !text.is_empty());
            Invalid {
                file: file.to_path_buf(),
                path,
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                message: super::messages::tidy(&message),
            }
            .to_string()
        })
        .collect()
}

/// What the policy does when no allowed deployment has room.
pub(crate) fn on_full(p: &PolicySpec) -> OnFull {
    match p {
        PolicySpec::Nearest { on_full, .. }
        | PolicySpec::Explicit { on_full, .. }
        | PolicySpec::LeastLoaded { on_full, .. }
        | PolicySpec::PowerOfTwo { on_full, .. }
        | PolicySpec::Score { on_full, .. }
        | PolicySpec::GeoFenced { on_full, .. } => *on_full,
    }
}

/// (JSON path, message) of every warning.
fn found(world: &World) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if world
        .deployments()
        .iter()
        .all(|d| d.capacity == 0 && d.workers.is_none())
    {
        out.push((
            "deployments".into(),
            "every deployment has capacity 0: no user can be served".into(),
        ));
    }
    let rejects = on_full(world.policy()) == OnFull::Reject;
    for (i, p) in world.populations().iter().enumerate() {
        if rejects && !matches!(p.patience, Patience::None) {
            out.push((
                format!("populations[{i}].patience"),
                "is never used: the policy rejects users when full (`on_full: reject`), so nobody waits".into(),
            ));
        }
        if let Some(t) = &p.trace {
            if t.left_out.0 > 0 {
                out.push((
                    format!("populations[{i}].arrivals.trace"),
                    format!(
                        "{} bad row(s) left out, the first {}",
                        t.left_out.0, t.left_out.1
                    ),
                ));
            }
            // Its places come from the trace: the checks below name fields it has not.
            continue;
        }
        let single = p.cities.len() == 1 && world.cities()[p.cities[0]].name == p.name;
        for (k, &c) in p.cities.iter().enumerate() {
            let at = if single {
                format!("populations[{i}]")
            } else {
                format!("populations[{i}].cities[{k}]")
            };
            let loc = world.cities()[c].location;
            if !INHABITED.contains(&loc.lat) && INHABITED.contains(&loc.lon) {
                out.push((
                    format!("{at}.lat"),
                    format!(
                        "latitude {} is outside inhabited latitudes but longitude {} is not: are `lat` and `lon` swapped?",
                        loc.lat, loc.lon
                    ),
                ));
            }
            if k == 0 {
                let solar = p.utc_offset_h * 15.0;
                let gap = (solar - loc.lon).rem_euclid(360.0);
                if gap.min(360.0 - gap) > OFFSET_SLACK_DEG {
                    out.push((
                        format!("populations[{i}].utc_offset_h"),
                        format!(
                            "UTC offset {} h is far from the solar time of longitude {} (about {:+.0} h): check its sign",
                            p.utc_offset_h,
                            loc.lon,
                            loc.lon / 15.0
                        ),
                    ));
                }
            }
        }
    }
    out
}
