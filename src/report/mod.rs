//! Reports: the only module that writes files. Each output format is one file
//! here; every file is written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written report.

pub mod charts;
mod csv;
mod html;
mod json;
mod markdown;

pub use json::{summary_json, SCHEMA_VERSION};

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::experiment::Estimate;
use crate::model::World;

/// Write `bytes` to `path` atomically: temporary file in the same folder, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What a run's report folder holds beyond the summaries.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Charts (PNG + SVG) and `report.html`.
    pub charts: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { charts: true }
    }
}

/// Render every report of a run into `dir` (created if needed); returns the files written.
pub fn write_run(dir: &Path, world: &World, est: &Estimate) -> std::io::Result<Vec<PathBuf>> {
    write_run_with(dir, world, est, Options::default())
}

/// [`write_run`] with explicit options.
pub fn write_run_with(
    dir: &Path,
    world: &World,
    est: &Estimate,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    // Render everything first: nothing touches the disk until all content exists.
    let charts = if opts.charts {
        charts::render_all(world, est)?
    } else {
        Vec::new()
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("summary.json".into(), summary_json(world, est).into_bytes()),
        (
            "summary.md".into(),
            markdown::summary_md(world, est, &charts).into_bytes(),
        ),
        (
            "timeseries.csv".into(),
            csv::timeseries_csv(world, est).into_bytes(),
        ),
    ];
    if opts.charts {
        files.push((
            "report.html".into(),
            html::report_html(world, est, &charts).into_bytes(),
        ));
    }
    for c in charts {
        files.push((format!("{}.png", c.stem), c.png));
        files.push((format!("{}.svg", c.stem), c.svg.into_bytes()));
    }
    fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
