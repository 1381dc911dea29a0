//! `run --sessions FILE.csv`: one row per session of the first replication,
//! streamed through a buffer into a temporary file beside the target and
//! renamed onto it once the run ends, so memory stays flat and an interrupted
//! run leaves no partial file. The columns are the session-log format `fit`
//! reads (`data::EXPORT_HEADER`), so a run can be fitted back.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::data::time::RUN_EPOCH_UNIX_S;
use crate::data::EXPORT_HEADER;
use crate::engine::record::{SessionRecord, SessionSink};
use crate::model::World;

/// A CSV field: quoted when it holds a separator, a quote or a line break,
/// and neutralised with a leading apostrophe when a spreadsheet would run it
/// as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The session sink writing the export file.
pub struct SessionsCsv {
    path: PathBuf,
    tmp: Option<PathBuf>,
    out: BufWriter<File>,
    error: Option<io::Error>,
    rows: u64,
    /// Per population: its name; per city: "lat,lon" and its name; per
    /// region: its id; per deployment: its label; all as CSV fields.
    populations: Vec<String>,
    cities: Vec<(String, String)>,
    regions: Vec<String>,
    deployments: Vec<String>,
}

impl SessionsCsv {
    /// Start the export to `path` (its temporary file is created now, so an
    /// unwritable place is found before simulating).
    pub fn create(path: &Path, world: &World) -> io::Result<Self> {
        let (tmp, f) = super::create_temp_beside(path)?;
        let mut s = Self {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            out: BufWriter::with_capacity(1 << 16, f),
            error: None,
            rows: 0,
            populations: world.populations().iter().map(|p| field(&p.name)).collect(),
            cities: world
                .cities()
                .iter()
                .map(|c| {
                    (
                        format!("{},{}", c.location.lat, c.location.lon),
                        field(&c.name),
                    )
                })
                .collect(),
            regions: world.regions().iter().map(|r| field(&r.id)).collect(),
            deployments: world
                .deployments()
                .iter()
                .map(|d| field(&d.label(world.regions())))
                .collect(),
        };
        let header = EXPORT_HEADER.join(",");
        if let Err(e) = writeln!(s.out, "{header}") {
            s.error = Some(e);
        }
        Ok(s)
    }

    fn row(&mut self, r: &SessionRecord) -> io::Result<()> {
        let (latlon, place) = &self.cities[r.city];
        let region = r.region.map_or("", |g| self.regions[g].as_str());
        let deployment = r.deployment.map_or("", |d| self.deployments[d].as_str());
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v:.1}"));
        writeln!(
            self.out,
            "{:.3},{:.3},{latlon},{region},{},{},{},{place},{},{deployment},{},{:.1}",
            RUN_EPOCH_UNIX_S + r.arrival_s,
            r.duration_s,
            opt(r.join_ms),
            opt(r.rtt_ms),
            self.populations[r.population],
            self.regions[r.home_region],
            r.outcome.name(),
            r.wait_s * 1000.0,
        )
    }

    /// Flush, sync and rename onto the target; returns the rows written.
    pub fn finish(mut self) -> io::Result<(PathBuf, u64)> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        let tmp = self.tmp.take().expect("finished once");
        if let Err(e) = fs::rename(&tmp, &self.path) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        Ok((self.path.clone(), self.rows))
    }
}

impl SessionSink for SessionsCsv {
    fn record(&mut self, r: &SessionRecord) {
        if self.error.is_none() {
            match self.row(r) {
                Ok(()) => self.rows += 1,
                Err(e) => self.error = Some(e),
            }
        }
    }
}

impl Drop for SessionsCsv {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}
