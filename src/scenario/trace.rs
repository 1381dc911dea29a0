//! Traces replayed by populations (`"arrivals": {"trace": "sessions.csv"}`):
//! read when the scenario is loaded, before validation, into the compact
//! [`Trace`] the engine walks, so a run does no I/O. The file is the session
//! log format of `data` (path relative to the scenario file). Bad rows are
//! left out and noted in the reports up to `max_bad_share` of the rows (1 %
//! by default, as `fit`); beyond it the scenario is refused, located by file
//! and line.
//!
//! Places are countries (at their population centroid) or 1-degree cells at
//! the mean position of their rows, as `fit` groups them; the instants are
//! seconds from `start` (default: midnight UTC of the earliest row's day)
//! times `time_scale`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::field::{err, VErr, R};
use super::raw::{LoadedTrace, RawArrivals, RawScenario};
use crate::data::time::parse_time;
use crate::data::{countries, LogReader, Place};
use crate::model::geo::LatLon;
use crate::model::trace::{Trace, TraceRow, MAX_TRACE_SESSIONS};
use crate::model::World;

/// Most distinct places in one trace.
pub const MAX_TRACE_PLACES: usize = 20_000;

/// Read every population's trace into `raw` (counted against one limit).
pub(super) fn load_all(file: &Path, raw: &mut RawScenario) -> R<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut total = 0usize;
    for (i, p) in raw.populations.iter_mut().enumerate() {
        if let Some(a) = &p.arrivals {
            let path = format!("populations[{i}].arrivals");
            let t = load(dir, &path, a, MAX_TRACE_SESSIONS - total)?;
            total += t.trace.rows.len();
            p.loaded = Some(Arc::new(t));
        }
    }
    Ok(())
}

fn positive(path: String, v: Option<f64>, min_open: bool) -> R<f64> {
    let v = v.unwrap_or(1.0);
    let ok = v.is_finite() && if min_open { v > 0.0 } else { v >= 0.0 };
    if !ok {
        let what = if min_open { "> 0" } else { ">= 0" };
        return err(path, format!("must be a finite number {what}, got {v}"));
    }
    Ok(v)
}

/// The places of a trace; a cell keeps its first row's position and the sums
/// of the others' offsets from it, so rows sharing one point keep it exactly.
#[derive(Default)]
struct Places {
    index: HashMap<(u8, i32, i32), usize>,
    list: Vec<(String, LatLon, f64)>,
    sums: Vec<(f64, f64)>,
}

impl Places {
    fn add(&mut self, place: Place) -> usize {
        let key = match place {
            Place::Country(c) => (0, i32::from(c), 0),
            Place::Point(p) => (1, p.lat.floor() as i32, p.lon.floor() as i32),
        };
        let (list, sums) = (&mut self.list, &mut self.sums);
        let i = *self.index.entry(key).or_insert_with(|| {
            let (name, at) = match place {
                Place::Country(c) => {
                    let c = &countries::all()[c as usize];
                    (c.name.clone(), c.location)
                }
                Place::Point(p) => (String::new(), p),
            };
            list.push((name, at, 0.0));
            sums.push((0.0, 0.0));
            list.len() - 1
        });
        let first = self.list[i].1;
        self.list[i].2 += 1.0;
        if let Place::Point(p) = place {
            self.sums[i].0 += p.lat - first.lat;
            self.sums[i].1 += p.lon - first.lon;
        }
        i
    }

    /// Cells at their rows' mean position, named by it; the places by
    /// sessions, most first, with each old index's new one.
    fn finish(mut self) -> (Vec<(String, LatLon, f64)>, Vec<u32>) {
        for (place, sum) in self.list.iter_mut().zip(&self.sums) {
            if place.0.is_empty() {
                let n = place.2;
                let at = LatLon {
                    lat: place.1.lat + sum.0 / n,
                    lon: place.1.lon + sum.1 / n,
                };
                let ns = if at.lat < 0.0 { 'S' } else { 'N' };
                let ew = if at.lon < 0.0 { 'W' } else { 'E' };
                place.0 = format!("{:.1}{ns} {:.1}{ew}", at.lat.abs(), at.lon.abs());
                place.1 = at;
            }
        }
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        order.sort_by(|&a, &b| self.list[b].2.total_cmp(&self.list[a].2));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let list = order.iter().map(|&i| self.list[i].clone()).collect();
        (list, new_index)
    }
}

fn load(dir: &Path, path: &str, a: &RawArrivals, room: usize) -> R<LoadedTrace> {
    let settings = Settings::of(path, a)?;
    let file = dir.join(&a.trace);
    let tpath = format!("{path}.trace");
    let fail = |message: String| VErr {
        path: tpath.clone(),
        message,
    };
    let log = Log::read(&file, room).map_err(fail)?;
    log.refuse(&file, settings.max_bad).map_err(fail)?;
    Ok(log.replay(&settings))
}

/// The settings of an `arrivals` block, checked before its file is opened so
/// a bad setting is reported whatever the file holds.
struct Settings {
    /// Seconds of the run per second of the log.
    scale: f64,
    /// Copies of each session (`rate_factor`).
    factor: f64,
    /// Largest share of bad rows left out.
    max_bad: f64,
    /// The log's instant that is the run's time 0, when given.
    start: Option<f64>,
}

impl Settings {
    fn of(path: &str, a: &RawArrivals) -> R<Self> {
        let scale = positive(format!("{path}.time_scale"), a.time_scale, true)?;
        let factor = positive(format!("{path}.rate_factor"), a.rate_factor, false)?;
        let max_bad = a.max_bad_share.unwrap_or(0.01);
        if !(0.0..=1.0).contains(&max_bad) {
            return err(
                format!("{path}.max_bad_share"),
                format!("must be a share from 0 to 1, got {max_bad}"),
            );
        }
        let start = match &a.start {
            Some(s) => Some(parse_time(s).map_err(|e| VErr {
                path: format!("{path}.start"),
                message: e.to_string(),
            })?),
            None => None,
        };
        Ok(Self {
            scale,
            factor,
            max_bad,
            start,
        })
    }
}

/// A session log as read, before its instants are anchored: the good rows
/// (start, duration, place), their places, and the bad rows left out (how
/// many, and the first one located), kept for the share check and the notes.
struct Log {
    places: Places,
    rows: Vec<(f64, f32, u32)>,
    bad: (u64, String),
}

impl Log {
    /// Every row of `file`, refused as soon as it passes `room` sessions or
    /// `MAX_TRACE_PLACES` places, so memory stays within the limits whatever
    /// the file's size.
    fn read(file: &Path, room: usize) -> Result<Self, String> {
        let mut rdr = LogReader::open(file).map_err(|e| e.to_string())?;
        let mut log = Log {
            places: Places::default(),
            rows: Vec::new(),
            bad: (0, String::new()),
        };
        while let Some(r) = rdr.next_row().map_err(|e| e.to_string())? {
            let row = match r {
                Ok(row) => row,
                Err((line, why)) => {
                    if log.bad.0 == 0 {
                        log.bad.1 = format!("{}:{line}: {why}", file.display());
                    }
                    log.bad.0 += 1;
                    continue;
                }
            };
            if log.rows.len() >= room {
                return Err(format!(
                    "{}: more than {MAX_TRACE_SESSIONS} sessions in this scenario's traces; replay a shorter stretch, or fit it (docs/data.md)",
                    file.display()
                ));
            }
            let place = log.places.add(row.place);
            if log.places.list.len() > MAX_TRACE_PLACES {
                return Err(format!(
                    "{}: more than {MAX_TRACE_PLACES} distinct places",
                    file.display()
                ));
            }
            log.rows
                .push((row.start_s, row.duration_s as f32, place as u32));
        }
        Ok(log)
    }

    /// The refusals that need the whole log: more bad rows than `max_bad`
    /// allows, or no good row at all.
    fn refuse(&self, file: &Path, max_bad: f64) -> Result<(), String> {
        let bad = &self.bad;
        let all = self.rows.len() as u64 + bad.0;
        if bad.0 as f64 > max_bad * all as f64 {
            return Err(format!(
                "{} ({} of {all} rows are bad, {:.2} %, more than the {:.2} % allowed by `max_bad_share`)",
                bad.1,
                bad.0,
                bad.0 as f64 * 100.0 / all as f64,
                max_bad * 100.0
            ));
        }
        if self.rows.is_empty() {
            return Err(format!("{}: the trace has no sessions", file.display()));
        }
        Ok(())
    }

    /// The trace the engine walks: rows from the anchor on (`start`, or
    /// midnight UTC of the earliest row's day), scaled, sorted by instant,
    /// their places most sessions first.
    fn replay(self, settings: &Settings) -> LoadedTrace {
        let first = self.rows.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        let anchor = settings
            .start
            .unwrap_or((first / 86_400.0).floor() * 86_400.0);
        let (places, new_index) = self.places.finish();
        let mut out: Vec<TraceRow> = self
            .rows
            .into_iter()
            .filter(|r| r.0 >= anchor)
            .map(|(t, duration, place)| TraceRow {
                at: (t - anchor) * settings.scale,
                duration,
                place: new_index[place as usize],
            })
            .collect();
        out.sort_by(|a, b| a.at.total_cmp(&b.at));
        let trace = Arc::new(Trace {
            rows: out,
            rate_factor: settings.factor,
            left_out: self.bad,
        });
        LoadedTrace { trace, places }
    }
}

/// Rules on the validated world: a flash crowd cannot scale a replayed trace
/// (its `rate_factor` does). Bad rows left out become notes in the reports.
pub(super) fn check(mut world: World) -> R<World> {
    let mut notes = Vec::new();
    for (i, p) in world.populations().iter().enumerate() {
        let Some(t) = &p.trace else { continue };
        if !p.surges.is_empty() {
            return err(
                format!("populations[{i}].arrivals"),
                "a timeline `rate` event names this population, which replays a trace; scale a trace with `rate_factor`",
            );
        }
        if t.left_out.0 > 0 {
            notes.push(format!(
                "population {} replays its trace without {} bad row(s), the first {}",
                p.name, t.left_out.0, t.left_out.1
            ));
        }
    }
    notes.into_iter().for_each(|n| world.add_note(n));
    Ok(world)
}
