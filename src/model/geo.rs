//! Geography: great-circle distances and the fibre-path RTT model.
//!
//! Light in fibre covers about 200 km per millisecond one way, and real routes are
//! longer than the great circle by a route factor; RTT is twice the one-way time.

/// Mean Earth radius in km (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point on the globe in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Latitude, -90..=90.
    pub lat: f64,
    /// Longitude, -180..=180.
    pub lon: f64,
}

impl LatLon {
    /// Great-circle distance in km (haversine, stable for short distances).
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// Parameters of the geographic latency model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoModel {
    /// One-way speed of light in fibre, km per ms.
    pub fibre_km_per_ms: f64,
    /// Ratio of real path length to great-circle distance.
    pub route_factor: f64,
}

impl GeoModel {
    /// Round-trip time in ms over the backbone between two points.
    pub fn rtt_ms(&self, a: LatLon, b: LatLon) -> f64 {
        2.0 * a.distance_km(b) * self.route_factor / self.fibre_km_per_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASHBURN: LatLon = LatLon {
        lat: 39.04,
        lon: -77.49,
    };
    const FRANKFURT: LatLon = LatLon {
        lat: 50.11,
        lon: 8.68,
    };
    const MUMBAI: LatLon = LatLon {
        lat: 19.08,
        lon: 72.88,
    };

    /// Route factors 1.34, 1.71, 1.42 reproduce the measured 88, 112, 182 ms.
    #[test]
    fn route_factors_reproduce_measured_inter_region_rtts() {
        for (a, b, factor, measured) in [
            (ASHBURN, FRANKFURT, 1.34, 88.0),
            (FRANKFURT, MUMBAI, 1.71, 112.0),
            (MUMBAI, ASHBURN, 1.42, 182.0),
        ] {
            let geo = GeoModel {
                fibre_km_per_ms: 200.0,
                route_factor: factor,
            };
            let rtt = geo.rtt_ms(a, b);
            assert!(
                (rtt - measured).abs() / measured < 0.02,
                "{rtt} vs {measured}"
            );
        }
    }

    #[test]
    fn distance_is_symmetric_and_zero_on_self() {
        assert_eq!(ASHBURN.distance_km(ASHBURN), 0.0);
        let d1 = ASHBURN.distance_km(MUMBAI);
        let d2 = MUMBAI.distance_km(ASHBURN);
        assert!((d1 - d2).abs() < 1e-9);
    }
}
