//! Reports: the only module that writes files. Each output format is one file
//! here, its rows and columns walked from the metric catalogue (`stats::metrics`);
//! a command's files are written as one set into a fresh temporary folder and
//! swapped in (`folder`), so an interrupted run never leaves a half-written
//! report nor a folder mixing two runs.

pub mod charts;
mod compare;
pub mod csv_table;
mod fit;
mod folder;
mod format;
mod headline;
mod html;
mod json;
pub(crate) mod json_values;
mod markdown;
pub mod partial;
mod plan;
mod plan_hourly;
mod plan_hourly_md;
mod plan_populations;
mod plan_resilience;
mod plan_sites;
mod plan_words;
mod plan_workers;
pub mod provenance;
mod replications;
mod sessions;
mod sweep;
mod sweep_folder;
pub mod table;
mod timeline;
mod timeseries;
mod verdict;
pub(crate) mod workers;

pub use fit::{fit_json, fit_md, write_fit, FitSource, FIT_SCHEMA_VERSION};
pub use folder::{check_out_dir, FolderMark, OutDirError, Previous, MARKER};
pub use headline::{headline, headlines, Headline};
pub use json::{summary_json, SCHEMA_VERSION};
pub use plan::{capacities_line, headline as plan_headline, PLAN_SCHEMA_VERSION};
pub use plan_hourly::headline as plan_hourly_headline;
pub use plan_words::deployment_label;
pub use provenance::Provenance;
pub use sessions::SessionsCsv;
pub use sweep::Settings as SweepSettings;
pub use sweep::{sweep_metric, sweep_metric_refusal, SweepMetric};
pub use sweep_folder::{SweepFolder, INCOMPLETE_SUFFIX};
pub use verdict::AT_CAPACITY;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::experiment::{Comparison, Estimate};
use crate::model::World;

/// Write `bytes` to `path` atomically: a temporary file created exclusively in
/// the same folder (never through a planted link), fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, mut f) = create_temp_beside(path)?;
    let result = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A temporary file created exclusively beside `path` (never through a
/// planted link), to be renamed onto `path` once complete.
pub(crate) fn create_temp_beside(path: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut n = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Write rendered files as the whole content of `dir`; returns their paths.
fn write_all<N: AsRef<str>>(
    dir: &Path,
    files: Vec<(N, Vec<u8>)>,
    opts: &Options,
) -> std::io::Result<Vec<PathBuf>> {
    folder::write_set(dir, files, opts.mark.as_ref())
}

/// What a run's report folder holds beyond the summaries, and what produced it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Charts (PNG + SVG) and `report.html`.
    pub charts: bool,
    /// Stamped into every output.
    pub provenance: Provenance,
    /// Who writes the set: recorded in the folder's marker.
    pub mark: Option<FolderMark>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            charts: true,
            provenance: Provenance::default(),
            mark: None,
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
    write_all(dir, files, &opts)
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
    write_all(dir, files, &opts)
}

fn push_charts(files: &mut Vec<(String, Vec<u8>)>, charts: Vec<charts::Chart>) {
    for c in charts {
        files.push((format!("{}.png", c.stem), c.png));
        files.push((format!("{}.svg", c.stem), c.svg.into_bytes()));
    }
}

/// Render a plan into `dir`: `plan.json`, `plan.md`, the search chart (unless
/// disabled) and `planned.json` (the scenario with the plan applied) when given.
pub fn write_plan(
    dir: &Path,
    world: &World,
    spec: &crate::experiment::plan::Spec,
    out: &crate::experiment::plan::Outcome,
    planned: Option<String>,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    write_plan_with(dir, (world, spec, out), None, planned, opts)
}

/// [`write_plan`] (or [`write_plan_hourly`] for schedules) for the chosen
/// open set of a where-to-run plan, with the *Where to run* section
/// (`plan.md`) and `sites` (`plan.json`).
pub fn write_plan_sites(
    dir: &Path,
    sites: &crate::experiment::plan::SitesOutcome,
    shown: usize,
    planned: Option<String>,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    let set = &sites.sets[shown];
    match &set.plan {
        crate::experiment::plan::SetPlan::Hourly { fixed, out } => {
            let plan = (&set.world, &set.spec, fixed, out);
            write_plan_hourly_with(dir, plan, Some(sites), planned, opts)
        }
        crate::experiment::plan::SetPlan::Static(out) => {
            let plan = (&set.world, &set.spec, out);
            write_plan_with(dir, plan, Some(sites), planned, opts)
        }
    }
}

fn write_plan_with(
    dir: &Path,
    (world, spec, out): (
        &World,
        &crate::experiment::plan::Spec,
        &crate::experiment::plan::Outcome,
    ),
    sites: Option<&crate::experiment::plan::SitesOutcome>,
    planned: Option<String>,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    let chart = if opts.charts {
        Some(charts::render_plan(world, spec, out)?)
    } else {
        None
    };
    let png = chart.as_ref().map(|c| format!("{}.png", c.stem));
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "plan.json".into(),
            with_sites_json(plan::plan_json(world, spec, out, &opts.provenance), sites)
                .into_bytes(),
        ),
        (
            "plan.md".into(),
            (plan::plan_md(world, spec, out, png.as_deref())
                + &sites.map_or_else(String::new, plan_sites::section))
                .into_bytes(),
        ),
    ];
    if let Some(text) = planned {
        files.push(("planned.json".into(), text.into_bytes()));
    }
    push_charts(&mut files, chart.into_iter().collect());
    write_all(dir, files, &opts)
}

/// A `plan.json` text with `sites` added when the plan chose where to run.
fn with_sites_json(text: String, sites: Option<&crate::experiment::plan::SitesOutcome>) -> String {
    let Some(s) = sites else {
        return text;
    };
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("plan.json is JSON");
    doc["sites"] = plan_sites::json_of(s);
    plan::json_text(doc, serde_json::json!({}))
}

/// Render an hourly plan into `dir`: `plan.json`, `plan.md`, the hourly
/// capacity chart (unless disabled) and `planned.json` when given.
pub fn write_plan_hourly(
    dir: &Path,
    world: &World,
    spec: &crate::experiment::plan::Spec,
    fixed: &crate::experiment::plan::Spec,
    out: &crate::experiment::plan::hourly::HourlyOutcome,
    planned: Option<String>,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    write_plan_hourly_with(dir, (world, spec, fixed, out), None, planned, opts)
}

type HourlyPlan<'a> = (
    &'a World,
    &'a crate::experiment::plan::Spec,
    &'a crate::experiment::plan::Spec,
    &'a crate::experiment::plan::hourly::HourlyOutcome,
);

fn write_plan_hourly_with(
    dir: &Path,
    (world, spec, fixed, out): HourlyPlan<'_>,
    sites: Option<&crate::experiment::plan::SitesOutcome>,
    planned: Option<String>,
    opts: Options,
) -> std::io::Result<Vec<PathBuf>> {
    let chart = if opts.charts {
        Some(charts::render_plan_hourly(world, spec, fixed, out)?)
    } else {
        None
    };
    let png = chart.as_ref().map(|c| format!("{}.png", c.stem));
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "plan.json".into(),
            with_sites_json(
                plan_hourly::plan_hourly_json(world, spec, fixed, out, &opts.provenance),
                sites,
            )
            .into_bytes(),
        ),
        (
            "plan.md".into(),
            (plan_hourly_md::plan_hourly_md(world, spec, fixed, out, png.as_deref())
                + &sites.map_or_else(String::new, plan_sites::section))
                .into_bytes(),
        ),
    ];
    if let Some(text) = planned {
        files.push(("planned.json".into(), text.into_bytes()));
    }
    push_charts(&mut files, chart.into_iter().collect());
    write_all(dir, files, &opts)
}
