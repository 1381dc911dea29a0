//! Where a log's users are, in bounded memory: a place is a country of the
//! bundled table (its population centroid) or, for rows with coordinates, a
//! 1-degree cell (about 110 km, about 1 ms of fibre RTT) at the mean position
//! of its rows, so there are at most 247 + 64 800 places whatever the rows.
//! Each place belongs to the band of its solar time zone, round(lon / 15),
//! -12..12: the users sharing a daily rhythm that become one population.

use std::collections::HashMap;

use crate::data::{countries, Place};
use crate::model::geo::LatLon;

/// Solar time-zone bands, UTC-12 to UTC+12.
pub const BANDS: usize = 25;

/// A place's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKey {
    /// A country, by index in the table.
    Country(u16),
    /// The 1-degree cell whose south-west corner is at these whole degrees.
    Cell(i16, i16),
}

/// What is known of one place.
#[derive(Debug, Clone)]
pub struct PlaceStats {
    /// Identity.
    pub key: PlaceKey,
    /// Sessions.
    pub count: u64,
    /// The first row's position, and the sums of the others' offsets from it
    /// (so a cell whose rows share one point keeps it exactly).
    first: LatLon,
    sum_lat: f64,
    sum_lon: f64,
    /// Index of its band (offset + 12).
    pub band: usize,
}

impl PlaceStats {
    /// The place's position: the country's centroid, or the mean of the cell's rows.
    pub fn location(&self) -> LatLon {
        match self.key {
            PlaceKey::Country(i) => countries::all()[i as usize].location,
            PlaceKey::Cell(..) => LatLon {
                lat: self.first.lat + self.sum_lat / self.count as f64,
                lon: self.first.lon + self.sum_lon / self.count as f64,
            },
        }
    }

    /// Display name: the country's name, or the position.
    pub fn name(&self) -> String {
        match self.key {
            PlaceKey::Country(i) => countries::all()[i as usize].name.clone(),
            PlaceKey::Cell(..) => {
                let p = self.location();
                let ns = if p.lat < 0.0 { 'S' } else { 'N' };
                let ew = if p.lon < 0.0 { 'W' } else { 'E' };
                format!("{:.1}{ns} {:.1}{ew}", p.lat.abs(), p.lon.abs())
            }
        }
    }
}

/// The band index (UTC offset + 12) of a longitude.
pub fn band_of(lon: f64) -> usize {
    ((lon / 15.0).round() as i64 + 12).clamp(0, BANDS as i64 - 1) as usize
}

/// Every place seen, with a lookup from key to index.
#[derive(Debug, Default)]
pub struct Places {
    index: HashMap<PlaceKey, usize>,
    /// The places in order of first appearance.
    pub list: Vec<PlaceStats>,
    last: Option<(PlaceKey, usize)>,
}

impl Places {
    /// Count a session at `place`; returns its place's index.
    #[inline]
    pub fn add(&mut self, place: Place) -> usize {
        let key = match place {
            Place::Country(i) => PlaceKey::Country(i),
            Place::Point(p) => PlaceKey::Cell(p.lat.floor() as i16, p.lon.floor() as i16),
        };
        let i = match self.last {
            Some((k, i)) if k == key => i,
            _ => self.lookup(key, place),
        };
        self.last = Some((key, i));
        let s = &mut self.list[i];
        s.count += 1;
        if let Place::Point(p) = place {
            s.sum_lat += p.lat - s.first.lat;
            s.sum_lon += p.lon - s.first.lon;
        }
        i
    }

    fn lookup(&mut self, key: PlaceKey, place: Place) -> usize {
        let list = &mut self.list;
        *self.index.entry(key).or_insert_with(|| {
            let lon = match key {
                PlaceKey::Country(i) => countries::all()[i as usize].location.lon,
                PlaceKey::Cell(_, lon) => f64::from(lon) + 0.5,
            };
            let first = match place {
                Place::Point(p) => p,
                Place::Country(_) => LatLon { lat: 0.0, lon: 0.0 },
            };
            list.push(PlaceStats {
                key,
                count: 0,
                first,
                sum_lat: 0.0,
                sum_lon: 0.0,
                band: band_of(lon),
            });
            list.len() - 1
        })
    }
}
