//! Reports: the only module that writes files. Each output format is one file
//! here, its rows and columns walked from the metric catalogue (`stats::metrics`); every file is written to a temporary name and renamed into place, so an
//! interrupted run never leaves a half-written report.

pub mod charts;
mod compare;
pub mod csv_table;
mod format;
mod headline;
mod html;
mod json;
mod markdown;
pub mod provenance;
mod replications;
mod sweep;
pub mod table;
mod timeseries;
mod verdict;

pub use headline::{headline, headlines, Headline};
pub use json::{summary_json, SCHEMA_VERSION};
pub use provenance::Provenance;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::experiment::{Comparison, Estimate, SweepPoint};
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

/// Write rendered files into `dir` (created if needed); returns their paths.
fn write_all<N: AsRef<str>>(dir: &Path, files: Vec<(N, Vec<u8>)>) -> std::io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name.as_ref());
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// What a run's report folder holds beyond the summaries, and what produced it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Charts (PNG + SVG) and `report.html`.
    pub charts: bool,
    /// Stamped into every output.
    pub provenance: Provenance,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            charts: true,
            provenance: Provenance::default(),
        }
    }
}

/// Render every report of a run into `dir`, charts included; returns the files written.
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
        (
            "summary.json".into(),
            summary_json(world, est, &opts.provenance).into_bytes(),
        ),
        (
            "summary.md".into(),
            markdown::summary_md(world, est, &opts.provenance, &charts).into_bytes(),
        ),
        (
            "timeseries.csv".into(),
            timeseries::timeseries_csv(world, est).into_bytes(),
        ),
        (
            "replications.csv".into(),
            replications::replications_csv(est).into_bytes(),
        ),
    ];
    if opts.charts {
        files.push((
            "report.html".into(),
            html::report_html(world, est, &opts.provenance, &charts).into_bytes(),
        ));
    }
    push_charts(&mut files, charts);
    write_all(dir, files)
}

/// Render a policy comparison (and its charts unless disabled) into `dir`.
pub fn write_compare(
    dir: &Path,
    world: &World,
    cmp: &Comparison,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    let charts = if opts.charts {
        charts::render_compare(world, cmp)?
    } else {
        Vec::new()
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "compare.json".into(),
            compare::compare_json(world, cmp, &opts.provenance).into_bytes(),
        ),
        (
            "compare.md".into(),
            compare::compare_md(world, cmp, &opts.provenance, &charts).into_bytes(),
        ),
    ];
    push_charts(&mut files, charts);
    write_all(dir, files)
}

/// Render the charts of a finished (or interrupted) sweep into `dir`.
pub fn write_sweep_charts(
    dir: &Path,
    world: &World,
    points: &[SweepPoint],
    metrics: &[Headline],
) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    push_charts(&mut files, charts::render_sweep(world, points, metrics)?);
    write_all(dir, files)
}

fn push_charts(files: &mut Vec<(String, Vec<u8>)>, charts: Vec<charts::Chart>) {
    for c in charts {
        files.push((format!("{}.png", c.stem), c.png));
        files.push((format!("{}.svg", c.stem), c.svg.into_bytes()));
    }
}

/// Render the sweep's finished points into `dir` (rewritten after every point).
pub fn write_sweep(
    dir: &Path,
    world: &World,
    points: &[SweepPoint],
    prov: &Provenance,
) -> std::io::Result<Vec<PathBuf>> {
    write_all(
        dir,
        vec![
            ("sweep.csv", sweep::sweep_csv(world, points).into_bytes()),
            (
                "sweep.json",
                sweep::sweep_json(world, points, prov).into_bytes(),
            ),
        ],
    )
}
