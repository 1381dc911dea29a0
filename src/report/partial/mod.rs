//! Partial results: what one shard of a study writes, and what `merge` reads.
//!
//! A part is JSON Lines: a header (format and tool version, command, scenario
//! file and SHA-256, seed, the options that shape results, the shard and the
//! units it holds), one line per unit in unit order (each replication's
//! statistics, in [`stats`]' exact form), and a closing line with the number of
//! units and the SHA-256 of every byte before it, so a truncated or altered
//! part is refused rather than merged. A reader checks that checksum over the
//! whole file before it trusts any line ([`integrity`]), and every unit's
//! sizes against the layout its scenario gives ([`UnitShape`]) before it
//! allocates anything from them. Lines are written and read one at a time:
//! neither a shard nor a merge holds more than one unit of a part.
//!
//! A part is written to a temporary file beside its final name and renamed
//! into place once complete, so a killed shard leaves no part behind.

mod exact;
mod integrity;
mod series;
mod stats;
mod workers;

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::input::read_line;
use crate::model::World;
use crate::stats::{Layout, RunStats};
use stats::RunRec;

/// The `format` field of every part.
pub const FORMAT: &str = "regionsim-partial";
/// Version of the part format; a merge refuses any other.
pub const FORMAT_VERSION: u32 = 2;
/// File name extension of parts (a merge given a folder takes these).
pub const EXTENSION: &str = "part";
/// Longest header line read: a header is a few hundred bytes, so anything
/// longer (`/dev/zero`, a stray binary) is not a part.
pub const MAX_HEADER_BYTES: u64 = 1 << 20;
/// Longest unit line read: one unit's statistics, which a study keeps under
/// the 4 GB statistics limit unless forced.
pub const MAX_LINE_BYTES: u64 = 4 << 30;

/// What a part holds and what produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartHeader {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The regionsim version that ran the shard.
    pub tool_version: String,
    /// The build commit that ran the shard, when known.
    pub commit: Option<String>,
    /// `run`, `compare` or `sweep`.
    pub command: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// The seed the study ran with.
    pub seed: u64,
    /// The options that shape results, in one canonical form.
    pub options: Vec<String>,
    /// Shard index and count.
    pub shard: [u32; 2],
    /// The units held: `[first, end)`.
    pub units: [u64; 2],
    /// Units of the whole study.
    pub total_units: u64,
    /// Statistics per unit (policies of a comparison, else 1).
    pub stats_per_unit: usize,
}

/// What one unit's statistics must look like: the layout the unit's world
/// gives and its worker deployments. A part's unit is checked against it
/// before anything is built, so no size read from a file reaches an allocation.
#[derive(Debug, Clone)]
pub struct UnitShape {
    /// The statistics' layout of the unit's world.
    pub layout: Layout,
    /// The deployments on workers, in order.
    pub workers: Vec<usize>,
}

impl UnitShape {
    /// The shape of every replication of `world`.
    pub fn of(world: &World) -> Self {
        Self {
            layout: crate::engine::layout::of(world),
            workers: (0..world.deployments().len())
                .filter(|&d| world.deployments()[d].workers.is_some())
                .collect(),
        }
    }
}

/// A part that cannot be written or used, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {problem}", file.display())]
pub struct PartError {
    /// The part.
    pub file: PathBuf,
    /// What is wrong, in one line.
    pub problem: String,
}

use crate::input::hex;

fn part_error(file: &Path, problem: impl Into<String>) -> PartError {
    PartError {
        file: file.to_path_buf(),
        problem: problem.into(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitLine {
    unit: u64,
    stats: Vec<RunRec>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLine {
    end: End,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct End {
    units: u64,
    sha256: String,
}

/// The file name of shard `k` of `n` of `command`.
pub fn part_name(command: &str, k: u32, n: u32) -> String {
    let w = n.saturating_sub(1).to_string().len();
    format!("{command}-{k:0w$}-of-{n}.{EXTENSION}")
}

/// Writes one part, unit by unit, into a temporary file renamed into place by
/// [`PartWriter::finish`]; dropped unfinished, it removes the temporary file.
pub struct PartWriter {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<fs::File>>,
    hash: Sha256,
    units: u64,
}

impl PartWriter {
    /// Start the part `path` with its header.
    pub fn create(path: &Path, header: &PartHeader) -> std::io::Result<Self> {
        let (tmp, file) = super::create_temp_beside(path)?;
        let mut w = Self {
            path: path.to_path_buf(),
            tmp,
            out: Some(BufWriter::new(file)),
            hash: Sha256::new(),
            units: 0,
        };
        w.line(&serde_json::to_string(header).expect("a header serialises"))?;
        Ok(w)
    }

    fn line(&mut self, text: &str) -> std::io::Result<()> {
        self.hash.update(text.as_bytes());
        self.hash.update(b"\n");
        let out = self.out.as_mut().expect("open until finished");
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")
    }

    /// Append unit `unit`: its statistics, one per policy.
    pub fn unit(&mut self, unit: u64, stats: &[RunStats]) -> std::io::Result<()> {
        let line = UnitLine {
            unit,
            stats: stats.iter().map(RunRec::of).collect(),
        };
        self.units += 1;
        self.line(&serde_json::to_string(&line).expect("statistics serialise"))
    }

    /// Close the part and move it into place; returns its path.
    pub fn finish(mut self) -> std::io::Result<PathBuf> {
        let sha256 = hex(&self.hash.clone().finalize());
        let end = EndLine {
            end: End {
                units: self.units,
                sha256,
            },
        };
        self.line(&serde_json::to_string(&end).expect("serialises"))?;
        let file = self
            .out
            .take()
            .expect("open until finished")
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&self.tmp, &self.path)?;
        if let Ok(d) = fs::File::open(self.path.parent().unwrap_or(Path::new("."))) {
            let _ = d.sync_all();
        }
        Ok(self.path.clone())
    }
}

impl Drop for PartWriter {
    fn drop(&mut self) {
        if self.out.is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Reads one part, unit by unit, checking its closing line.
pub struct PartReader {
    file: PathBuf,
    reader: BufReader<fs::File>,
    hash: Sha256,
    header: PartHeader,
    units: u64,
    done: bool,
}

impl PartReader {
    /// Open `file` and read its header.
    pub fn open(file: &Path) -> Result<Self, PartError> {
        let f = fs::File::open(file).map_err(|e| part_error(file, format!("cannot read: {e}")))?;
        let mut reader = BufReader::new(f);
        let not_part = || part_error(file, "not a regionsim partial result (no readable header)");
        let first = read_line(&mut reader, MAX_HEADER_BYTES)
            .and_then(Result::ok)
            .ok_or_else(not_part)?;
        let v: Value = serde_json::from_str(&first).map_err(|_| {
            if first.starts_with(&format!("{{\"format\":\"{FORMAT}\"")) {
                part_error(file, "truncated or corrupted: its header does not read")
            } else {
                not_part()
            }
        })?;
        if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(not_part());
        }
        let version = v.get("format_version").and_then(Value::as_u64);
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(part_error(
                file,
                format!(
                    "part format version {}, this regionsim reads version {FORMAT_VERSION}",
                    version.map_or("unknown".into(), |v| v.to_string())
                ),
            ));
        }
        let units = integrity::verify(file)?;
        let header: PartHeader = serde_json::from_value(v)
            .map_err(|e| part_error(file, format!("unreadable header: {e}")))?;
        integrity::check_header(file, &header, units)?;
        let mut hash = Sha256::new();
        hash.update(first.as_bytes());
        hash.update(b"\n");
        Ok(Self {
            file: file.to_path_buf(),
            reader,
            hash,
            header,
            units: 0,
            done: false,
        })
    }

    /// The part's header.
    pub fn header(&self) -> &PartHeader {
        &self.header
    }

    /// The next unit and its statistics, None after the last one (once the
    /// closing line has been checked); `shape_of` gives the shape unit `u`'s
    /// statistics must have.
    pub fn next_unit<'s>(
        &mut self,
        shape_of: impl Fn(u64) -> &'s UnitShape,
    ) -> Result<Option<(u64, Vec<RunStats>)>, PartError> {
        if self.done {
            return Ok(None);
        }
        let line_no = self.units + 2;
        let text = match read_line(&mut self.reader, MAX_LINE_BYTES) {
            None => {
                return Err(self.fail(format!(
                    "truncated: it ends after {} units, without its closing line",
                    self.units
                )))
            }
            Some(Err(e)) => return Err(self.fail(format!("cannot read line {line_no}: {e}"))),
            Some(Ok(t)) => t,
        };
        if let Ok(end) = serde_json::from_str::<EndLine>(&text) {
            return self.close(end.end).map(|()| None);
        }
        self.hash.update(text.as_bytes());
        self.hash.update(b"\n");
        let unit: UnitLine = serde_json::from_str(&text)
            .map_err(|e| self.fail(format!("truncated or corrupted at line {line_no}: {e}")))?;
        let expected = self.header.units[0] + self.units;
        if unit.unit != expected || unit.stats.len() != self.header.stats_per_unit {
            return Err(self.fail(format!(
                "line {line_no} holds unit {} where unit {expected} belongs",
                unit.unit
            )));
        }
        let shape = shape_of(unit.unit);
        let stats = unit
            .stats
            .into_iter()
            .map(|r| r.build(shape))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.fail(format!("line {line_no} is corrupted: {e}")))?;
        self.units += 1;
        Ok(Some((unit.unit, stats)))
    }

    fn close(&mut self, end: End) -> Result<(), PartError> {
        let held = self.header.units[1] - self.header.units[0];
        if end.units != self.units || self.units != held {
            return Err(self.fail(format!(
                "truncated or altered: the header promises {held} units, the file holds {}",
                self.units
            )));
        }
        let sha = hex(&self.hash.clone().finalize());
        if sha != end.sha256 {
            return Err(self.fail("corrupted: its content does not match its SHA-256"));
        }
        if !self.reader.fill_buf().is_ok_and(|rest| rest.is_empty()) {
            return Err(self.fail("corrupted: text after its closing line"));
        }
        self.done = true;
        Ok(())
    }

    fn fail(&self, problem: impl Into<String>) -> PartError {
        part_error(&self.file, problem)
    }
}
