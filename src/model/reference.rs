//! Facts of the reference platform: its agent regions and measured RTTs between
//! them (public ping averages), so scenarios can name the regions by id alone.

use super::geo::LatLon;

/// A built-in region: id, name, location.
pub struct ReferenceRegion {
    /// Identifier scenarios use.
    pub id: &'static str,
    /// City name.
    pub name: &'static str,
    /// Location.
    pub location: LatLon,
}

/// The reference platform's agent regions.
pub const REGIONS: &[ReferenceRegion] = &[
    ReferenceRegion {
        id: "us-east",
        name: "Ashburn, Virginia",
        location: LatLon {
            lat: 39.04,
            lon: -77.49,
        },
    },
    ReferenceRegion {
        id: "eu-central",
        name: "Frankfurt",
        location: LatLon {
            lat: 50.11,
            lon: 8.68,
        },
    },
    ReferenceRegion {
        id: "ap-south",
        name: "Mumbai",
        location: LatLon {
            lat: 19.08,
            lon: 72.88,
        },
    },
];

/// Measured inter-region RTTs in ms; they override the geographic model unless a
/// scenario gives its own value for the pair.
pub const MEASURED_RTT_MS: &[(&str, &str, f64)] = &[
    ("us-east", "eu-central", 88.0),
    ("eu-central", "ap-south", 112.0),
    ("ap-south", "us-east", 182.0),
];

/// Look up a built-in region by id.
pub fn region(id: &str) -> Option<&'static ReferenceRegion> {
    REGIONS.iter().find(|r| r.id == id)
}
