//! Where a country's users are: ISO 3166-1 alpha-2 codes with each country's
//! population centroid, from `assets/geo/countries.csv` (GeoNames, CC BY 4.0;
//! see assets/geo/LICENSE-countries.txt and scripts/countries.py), bundled in
//! the binary so nothing is read at run time.

use std::sync::OnceLock;

use crate::model::geo::LatLon;

static TABLE_CSV: &str = include_str!("../../assets/geo/countries.csv");

/// One country of the table.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: [u8; 2],
    /// English short name.
    pub name: String,
    /// Population centroid.
    pub location: LatLon,
}

impl Country {
    /// The code as text.
    pub fn code_str(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("??")
    }
}

/// Every country, sorted by code.
pub fn all() -> &'static [Country] {
    static TABLE: OnceLock<Vec<Country>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(TABLE_CSV.as_bytes());
        let mut v: Vec<Country> = rdr
            .records()
            .map(|r| {
                let r = r.expect("the bundled country table is valid CSV");
                let code = r[0].as_bytes();
                Country {
                    code: [code[0], code[1]],
                    name: r[3].to_string(),
                    location: LatLon {
                        lat: r[1].parse().expect("bundled latitude"),
                        lon: r[2].parse().expect("bundled longitude"),
                    },
                }
            })
            .collect();
        v.sort_by_key(|c| c.code);
        v
    })
}

/// The index in [`all`] of a two-letter code (any case, surrounding spaces
/// ignored).
pub fn index(code: &str) -> Option<usize> {
    let b = code.trim().as_bytes();
    if b.len() != 2 {
        return None;
    }
    let key = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
    all().binary_search_by_key(&key, |c| c.code).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reads_and_finds_codes() {
        assert!(all().len() > 240);
        let de = &all()[index("de").unwrap()];
        assert_eq!(de.name, "Germany");
        assert!((de.location.lat - 51.0).abs() < 1.0 && (de.location.lon - 9.8).abs() < 1.0);
        assert!(index("ZZ").is_none() && index("DEU").is_none());
    }
}
