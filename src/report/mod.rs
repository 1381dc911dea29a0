//! Reports: the only module that writes files. Each output format is one file
//! here; every file is written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written report.

mod csv;
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

/// Render every report of a run into `dir` (created if needed); returns the files written.
pub fn write_run(dir: &Path, world: &World, est: &Estimate) -> std::io::Result<Vec<PathBuf>> {
    // Render everything first: nothing touches the disk until all content exists.
    let files = [
        ("summary.json", summary_json(world, est).into_bytes()),
        ("summary.md", markdown::summary_md(world, est).into_bytes()),
        (
            "timeseries.csv",
            csv::timeseries_csv(world, est).into_bytes(),
        ),
    ];
    fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
