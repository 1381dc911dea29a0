//! Reading a session log row by row with a reused record, so memory does not
//! grow with the file: each row comes out as a [`Row`] borrowing the record, or
//! as a [`RowError`] with its line number. Only the file as a whole (unreadable,
//! no usable header) is a [`LogError`].

use crate::input::excerpt;
use crate::scenario::limits::MAX_HORIZON_S;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::countries;
use super::names;
use super::stream::{Hashing, LineEnds};
use super::time::{parse_time, TimeError};
use crate::model::geo::LatLon;

/// Where a session's user was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// A country of [`countries::all`], by index.
    Country(u16),
    /// A point.
    Point(LatLon),
}

/// One good row.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// 1-based line where the row starts.
    pub line: u64,
    /// Unix seconds.
    pub start_s: f64,
    /// Seconds, >= 0.
    pub duration_s: f64,
    /// Where the user was.
    pub place: Place,
    /// The serving region, if the log says.
    pub region: Option<&'a str>,
    /// Join latency, ms.
    pub join_ms: Option<f64>,
    /// Media RTT, ms.
    pub rtt_ms: Option<f64>,
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowError {
    /// The start time.
    #[error("{0}")]
    Time(#[from] TimeError),
    /// The duration is not a number.
    #[error("unreadable duration `{0}`: a number of seconds")]
    Duration(String),
    /// The duration is negative (or not finite).
    #[error("negative or infinite duration {0}: a number of seconds >= 0")]
    NegativeDuration(String),
    /// Longer than any run can be: the sums a fit takes would overflow.
    #[error("duration {0} s is longer than {MAX_HORIZON_S:e} s (about 100 years), the longest horizon a run may have")]
    LongDuration(String),
    /// Not an ISO 3166-1 alpha-2 code of the table.
    #[error("unknown country `{0}`: an ISO 3166-1 alpha-2 code such as DE or US")]
    UnknownCountry(String),
    /// Latitude or longitude unreadable or out of range.
    #[error("bad location `{0}`: latitude -90..90 and longitude -180..180 in decimal degrees")]
    Location(String),
    /// Neither a point nor a country.
    #[error("no location: give lat and lon, or a country code")]
    NoLocation,
    /// An optional number column.
    #[error("bad {column} `{text}`: a number >= 0 or empty")]
    Number {
        /// Column name.
        column: &'static str,
        /// Excerpt.
        text: String,
    },
    /// Not as many fields as the header.
    #[error("{got} fields where the header has {expected}")]
    Fields {
        /// Header fields.
        expected: u64,
        /// This row's.
        got: u64,
    },
    /// Not UTF-8.
    #[error("not valid UTF-8 text")]
    Encoding,
}

impl RowError {
    /// A short name of the reason, for tallies.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Time(_) => "start time",
            Self::Duration(_) | Self::NegativeDuration(_) | Self::LongDuration(_) => "duration",
            Self::UnknownCountry(_) => "unknown country",
            Self::Location(_) | Self::NoLocation => "location",
            Self::Number { .. } => "latency column",
            Self::Fields { .. } => "field count",
            Self::Encoding => "encoding",
        }
    }
}

/// The log as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// Reading failed.
    #[error("{}: cannot read: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The error's text.
        error: String,
    },
    /// The header lacks a required column or repeats one.
    #[error("{}:1: {message}", file.display())]
    Header {
        /// The file.
        file: PathBuf,
        /// What is missing and what is allowed.
        message: String,
    },
}

#[derive(Debug, Clone, Default)]
struct Columns {
    start: usize,
    duration: usize,
    lat: Option<usize>,
    lon: Option<usize>,
    country: Option<usize>,
    region: Option<usize>,
    join: Option<usize>,
    rtt: Option<usize>,
    ignored: Vec<String>,
}

/// A session log being read.
pub struct LogReader<R: Read> {
    file: PathBuf,
    csv: csv::Reader<LineEnds<R>>,
    record: csv::StringRecord,
    cols: Columns,
}

impl LogReader<Hashing<File>> {
    /// Open a log file and read its header.
    pub fn open(path: &Path) -> Result<Self, LogError> {
        let f = File::open(path).map_err(|e| io(path, &e))?;
        Self::from_reader(path, Hashing::new(f))
    }

    /// SHA-256 (hex) of the bytes read so far: the whole file once every row is.
    pub fn sha256(&self) -> String {
        crate::input::hex(&self.csv.get_ref().get_ref().digest())
    }
}

fn io(path: &Path, e: &dyn std::fmt::Display) -> LogError {
    let s = e.to_string();
    let s = s
        .find(" (os error")
        .map_or(s.clone(), |i| s[..i].to_string());
    LogError::Io {
        file: path.to_path_buf(),
        error: s,
    }
}

impl<R: Read> LogReader<R> {
    /// Read the header of a log from `r`; `file` names it in messages.
    pub fn from_reader(file: &Path, r: R) -> Result<Self, LogError> {
        let mut csv = csv::ReaderBuilder::new()
            .buffer_capacity(1 << 16)
            .flexible(false)
            .from_reader(LineEnds::new(r));
        let header = match csv.headers() {
            Ok(h) => h.clone(),
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                return Err(header_err(
                    file,
                    "the header is not valid UTF-8 text".into(),
                ))
            }
            Err(e) => return Err(io(file, &e)),
        };
        let cols = columns(&header).map_err(|m| header_err(file, m))?;
        Ok(Self {
            file: file.to_path_buf(),
            csv,
            record: csv::StringRecord::new(),
            cols,
        })
    }

    /// Header columns that are not read.
    pub fn ignored_columns(&self) -> &[String] {
        &self.cols.ignored
    }

    /// Whether the log has a serving-region, join-latency, media-RTT column.
    pub fn has_optional(&self) -> (bool, bool, bool) {
        let c = &self.cols;
        (c.region.is_some(), c.join.is_some(), c.rtt.is_some())
    }

    /// The next row: `Ok(None)` at the end, `Ok(Some(Err((line, why))))` for
    /// a bad row, `Err` when the file cannot be read further.
    #[allow(clippy::type_complexity)]
    pub fn next_row(&mut self) -> Result<Option<Result<Row<'_>, (u64, RowError)>>, LogError> {
        match self.csv.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Ok(Some(
                    row(&self.cols, &self.record, line).map_err(|e| (line, e)),
                ))
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    pos,
                    expected_len,
                    len,
                } => {
                    let line = pos.as_ref().map_or(0, |p| p.line());
                    let why = RowError::Fields {
                        expected: *expected_len,
                        got: *len,
                    };
                    Ok(Some(Err((line, why))))
                }
                csv::ErrorKind::Utf8 { pos, .. } => {
                    let line = pos.as_ref().map_or(0, |p| p.line());
                    Ok(Some(Err((line, RowError::Encoding))))
                }
                _ => Err(io(&self.file, &e)),
            },
        }
    }
}

fn header_err(file: &Path, message: String) -> LogError {
    LogError::Header {
        file: file.to_path_buf(),
        message,
    }
}

/// Find the columns by name.
fn columns(header: &csv::StringRecord) -> Result<Columns, String> {
    let mut c = Columns::default();
    let mut found: [Option<usize>; 8] = [None; 8];
    let kinds = [
        names::START,
        names::DURATION,
        names::LAT,
        names::LON,
        names::COUNTRY,
        names::REGION,
        names::JOIN,
        names::RTT,
    ];
    for (i, raw) in header.iter().enumerate() {
        let name = raw
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        match kinds.iter().position(|k| k.contains(&name.as_str())) {
            Some(k) if found[k].is_some() => {
                return Err(format!(
                    "two columns give the same thing (`{name}` and an earlier one of {}); keep one",
                    kinds[k].join(", ")
                ))
            }
            Some(k) => found[k] = Some(i),
            None => c.ignored.push(name),
        }
    }
    let need = |k: usize, what: &str| {
        found[k].ok_or_else(|| format!("no {what} column; name it one of {}", kinds[k].join(", ")))
    };
    c.start = need(0, "start time")?;
    c.duration = need(1, "duration")?;
    [c.lat, c.lon, c.country] = [found[2], found[3], found[4]];
    if c.lat.is_some() != c.lon.is_some() {
        return Err("a latitude column needs a longitude column and the other way round".into());
    }
    if c.lat.is_none() && c.country.is_none() {
        return Err(format!(
            "no location column; give lat and lon ({} / {}) or a country ({})",
            names::LAT.join(", "),
            names::LON.join(", "),
            names::COUNTRY.join(", ")
        ));
    }
    [c.region, c.join, c.rtt] = [found[5], found[6], found[7]];
    Ok(c)
}

fn field(r: &csv::StringRecord, i: Option<usize>) -> Option<&str> {
    i.and_then(|i| r.get(i))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn number(
    r: &csv::StringRecord,
    i: Option<usize>,
    column: &'static str,
) -> Result<Option<f64>, RowError> {
    match field(r, i) {
        None => Ok(None),
        Some(s) => match s.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
            _ => Err(RowError::Number {
                column,
                text: excerpt(s),
            }),
        },
    }
}

fn place(c: &Columns, r: &csv::StringRecord) -> Result<Place, RowError> {
    match (field(r, c.lat), field(r, c.lon)) {
        (Some(a), Some(b)) => {
            let bad = || RowError::Location(excerpt(&format!("{a}, {b}")));
            let (lat, lon) = (
                a.parse::<f64>().map_err(|_| bad())?,
                b.parse::<f64>().map_err(|_| bad())?,
            );
            if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
                return Err(bad());
            }
            Ok(Place::Point(LatLon { lat, lon }))
        }
        (Some(a), None) | (None, Some(a)) => Err(RowError::Location(excerpt(a))),
        (None, None) => match field(r, c.country) {
            Some(code) => countries::index(code)
                .map(|i| Place::Country(i as u16))
                .ok_or_else(|| RowError::UnknownCountry(excerpt(code))),
            None => Err(RowError::NoLocation),
        },
    }
}

fn row<'a>(c: &Columns, r: &'a csv::StringRecord, line: u64) -> Result<Row<'a>, RowError> {
    let start_s = parse_time(r.get(c.start).unwrap_or(""))?;
    let d = r.get(c.duration).unwrap_or("").trim();
    let duration_s = match d.parse::<f64>() {
        Ok(x) if x.is_finite() && x > MAX_HORIZON_S => {
            return Err(RowError::LongDuration(excerpt(d)))
        }
        Ok(x) if x.is_finite() && x >= 0.0 => x,
        Ok(_) => return Err(RowError::NegativeDuration(excerpt(d))),
        Err(_) => return Err(RowError::Duration(excerpt(d))),
    };
    Ok(Row {
        line,
        start_s,
        duration_s,
        place: place(c, r)?,
        region: field(r, c.region),
        join_ms: number(r, c.join, "join latency")?,
        rtt_ms: number(r, c.rtt, "media RTT")?,
    })
}
