//! Session logs: the CSV format `regionsim fit` reads, trace replay loads and
//! `run --sessions` writes: one row per session with its start, duration and
//! where its user was. The only code that knows the columns; `reader` turns
//! rows into [`Row`]s or located [`RowError`]s, never dropping one silently.
//!
//! | column (any of these names, any case) | required | content |
//! | --- | --- | --- |
//! | `start`, `start_time`, `started_at`, `timestamp`, `arrival` | yes | RFC 3339 or Unix seconds |
//! | `duration_s`, `duration`, `duration_seconds` | yes | seconds, >= 0 |
//! | `lat`/`latitude` with `lon`/`lng`/`longitude` | one of the two | decimal degrees |
//! | `country`, `country_code` | one of the two | ISO 3166-1 alpha-2 |
//! | `region`, `serving_region` | no | the region that served the session |
//! | `join_latency_ms`, `join_ms` | no | ms, >= 0 |
//! | `media_rtt_ms`, `rtt_ms` | no | ms, >= 0 |
//!
//! Other columns are ignored (and named in the fit report).

pub mod countries;
mod reader;
mod stream;
pub mod time;

pub use reader::{LogError, LogReader, Place, Row, RowError};
pub use stream::Hashing;

/// Names accepted for each column, lower case.
pub(crate) mod names {
    pub const START: &[&str] = &["start", "start_time", "started_at", "timestamp", "arrival"];
    pub const DURATION: &[&str] = &["duration_s", "duration", "duration_seconds"];
    pub const LAT: &[&str] = &["lat", "latitude"];
    pub const LON: &[&str] = &["lon", "lng", "longitude"];
    pub const COUNTRY: &[&str] = &["country", "country_code"];
    pub const REGION: &[&str] = &["region", "serving_region"];
    pub const JOIN: &[&str] = &["join_latency_ms", "join_ms"];
    pub const RTT: &[&str] = &["media_rtt_ms", "rtt_ms"];
}

/// The header `run --sessions` writes: the columns `fit` reads first (start as
/// Unix seconds, the run's time 0 at [`time::RUN_EPOCH_UNIX_S`]), then what
/// only a simulated session has.
pub const EXPORT_HEADER: &[&str] = &[
    "start",
    "duration_s",
    "lat",
    "lon",
    "region",
    "join_latency_ms",
    "media_rtt_ms",
    "population",
    "place",
    "home_region",
    "deployment",
    "outcome",
    "wait_ms",
];
