//! The latency model of a scenario: geographic backbone RTTs between regions,
//! the measured reference RTTs and scenario overrides, and the base media RTT
//! from a user location to an agent in each region via the nearest media edge.

use super::field::{err, finite_at_least, region_index, R};
use super::raw::RawLatency;
use crate::model::geo::{GeoModel, LatLon};
use crate::model::{reference, Region};

pub(super) struct Geo {
    model: GeoModel,
    access_rtt_ms: f64,
    intra_ms: f64,
    /// Backbone RTT between regions, ms.
    backbone: Vec<Vec<f64>>,
}

pub(super) fn latency(raw: &RawLatency, regions: &[Region]) -> R<Geo> {
    let model = GeoModel {
        fibre_km_per_ms: finite_at_least("latency.fibre_km_per_ms", raw.fibre_km_per_ms, 1.0)?,
        route_factor: finite_at_least("latency.route_factor", raw.route_factor, 1.0)?,
    };
    let access_rtt_ms = finite_at_least("latency.access_rtt_ms", raw.access_rtt_ms, 0.0)?;
    let intra_ms = finite_at_least("latency.intra_region_rtt_ms", raw.intra_region_rtt_ms, 0.0)?;
    let n = regions.len();
    let mut backbone = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                backbone[i][j] = model.rtt_ms(regions[i].location, regions[j].location);
            }
        }
    }
    if raw.use_measured_reference_rtts {
        for (a, b, ms) in reference::MEASURED_RTT_MS {
            if let (Some(i), Some(j)) = (
                regions.iter().position(|r| r.id == *a),
                regions.iter().position(|r| r.id == *b),
            ) {
                backbone[i][j] = *ms;
                backbone[j][i] = *ms;
            }
        }
    }
    for (a, row) in &raw.region_rtt_ms {
        let i = region_index(regions, &format!("latency.region_rtt_ms.{a}"), a)?;
        for (b, ms) in row {
            let path = format!("latency.region_rtt_ms.{a}.{b}");
            let j = region_index(regions, &path, b)?;
            let ms = finite_at_least(&path, *ms, 0.0)?;
            if i == j {
                return err(path, "the RTT of a region to itself is the intra-region term (`latency.intra_region_rtt_ms`)");
            }
            backbone[i][j] = ms;
            backbone[j][i] = ms;
        }
    }
    Ok(Geo {
        model,
        access_rtt_ms,
        intra_ms,
        backbone,
    })
}

/// Base RTT from a user location to an agent in each region via the nearest edge.
pub(super) fn city_rtts(geo: &Geo, regions: &[Region], at: LatLon) -> (usize, Vec<f64>) {
    let edge = (0..regions.len())
        .filter(|&r| regions[r].media_edge)
        .min_by(|&a, &b| {
            at.distance_km(regions[a].location)
                .total_cmp(&at.distance_km(regions[b].location))
        })
        .expect("validated: at least one media edge");
    let to_edge = geo.access_rtt_ms + geo.model.rtt_ms(at, regions[edge].location);
    let rtts = (0..regions.len())
        .map(|r| to_edge + geo.backbone[edge][r] + geo.intra_ms)
        .collect();
    (edge, rtts)
}
