//! `regionsim fit LOG.csv`: demand from a session log. Reads the log once
//! (memory independent of its length), refuses it when more than
//! `--max-bad-share` of its rows are bad (exit 2, one located line, nothing
//! written), and writes the fitted populations, `fit.json`, `fit.md` and the
//! charts as one report folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use super::{bad, check_report_dir, list_written};
use regionsim::fit::{self, FitOutcome, LogPass};
use regionsim::report::{self, FitSource, FolderMark, Provenance};
use regionsim::scenario;

#[derive(Args)]
pub struct FitArgs {
    /// Session log: CSV with a start time, a duration and a location per row (docs/data.md).
    log: PathBuf,
    /// Output folder [default: reports/fit-<log file name without extension>].
    #[arg(long)]
    out: Option<PathBuf>,
    /// A scenario whose populations are replaced by the fitted ones, written as scenario.json.
    #[arg(long, value_name = "SCENARIO")]
    template: Option<PathBuf>,
    /// Refuse the log (exit 2) when more than this share of its rows are bad.
    #[arg(long, default_value_t = 0.01, value_name = "SHARE")]
    max_bad_share: f64,
    /// Confidence level of the intervals (rates, law parameters).
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// Level of the test that makes a profile weekly instead of daily.
    #[arg(long, default_value_t = 0.01)]
    alpha: f64,
    /// Skip the charts; write only the data files.
    #[arg(long)]
    no_charts: bool,
    /// Print nothing but errors: no warning about bad rows (fit.md and
    /// fit.json list them), no closing summary.
    #[arg(long, short)]
    quiet: bool,
}

fn check_args(a: &FitArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&a.max_bad_share) {
        return Err(bad(format!(
            "--max-bad-share must be a share from 0 to 1, got {}",
            a.max_bad_share
        )));
    }
    if !(a.confidence > 0.0 && a.confidence < 1.0) {
        return Err(bad(format!(
            "--confidence must be strictly between 0 and 1 (e.g. 0.95), got {}",
            a.confidence
        )));
    }
    if !(a.alpha > 0.0 && a.alpha < 1.0) {
        return Err(bad(format!(
            "--alpha must be strictly between 0 and 1 (e.g. 0.01), got {}",
            a.alpha
        )));
    }
    Ok(())
}

fn mark(log: &Path, hash: &str) -> FolderMark {
    FolderMark {
        command: "fit".into(),
        scenario_file: log.display().to_string(),
        scenario_hash: hash.chars().take(16).collect(),
        policy: None,
        incomplete: None,
    }
}

/// Refuse a log with no usable row or too many bad ones, naming the first;
/// else warn of the first bad rows unless `quiet`.
fn check_bad_share(log: &Path, pass: &LogPass, max: f64, quiet: bool) -> Result<()> {
    let acc = &pass.acc;
    let rows = acc.rows();
    let share = acc.bad.count as f64 / rows.max(1) as f64;
    let first = acc.bad.listed.first();
    if acc.good == 0 {
        return Err(bad(match first {
            Some((line, why)) => format!(
                "{}:{line}: {why} (no usable row among {rows})",
                log.display()
            ),
            None => format!("{}:2: the log has a header but no rows", log.display()),
        }));
    }
    if share > max {
        let (line, why) = first.expect("bad rows exist");
        return Err(bad(format!(
            "{}:{line}: {why} ({} of {rows} rows are bad, {:.2} %, more than the {:.2} % allowed by --max-bad-share)",
            log.display(),
            acc.bad.count,
            share * 100.0,
            max * 100.0
        )));
    }
    if quiet {
        return Ok(());
    }
    for (line, why) in acc.bad.listed.iter().take(5) {
        say!("warning: {}:{line}: {why} (row left out)", log.display());
    }
    if acc.bad.count > 5 {
        say!(
            "warning: {} more bad rows left out, listed in fit.md and fit.json",
            acc.bad.count - 5
        );
    }
    Ok(())
}

fn summary(log: &Path, fit: &FitOutcome, secs: f64) -> String {
    let weekly = fit
        .populations
        .iter()
        .filter(|p| p.profile.weekly())
        .count();
    let law = fit
        .laws
        .first()
        .map_or("no law (too few durations)".into(), |l| {
            format!(
                "{} (mean {:.1} s, cv {:.2}, KS {:.4})",
                l.family.name(),
                l.mean(),
                l.cv(),
                l.ks
            )
        });
    let rows = fit.good + fit.bad.count;
    format!(
        "{}: {rows} rows ({} bad), {} populations ({weekly} weekly), durations {law} ({secs:.2} s, {:.2} M rows/s)",
        log.display(),
        fit.bad.count,
        fit.populations.len(),
        rows as f64 / secs.max(1e-9) / 1e6
    )
}

pub fn fit(a: FitArgs) -> Result<()> {
    check_args(&a)?;
    // The template is read once, checked now (before the long pass over the
    // log) and filled from the same bytes.
    let template = match &a.template {
        Some(t) => {
            let src = scenario::Source::read(t)?;
            scenario::load_source(&src, &[])?;
            Some(src)
        }
        None => None,
    };
    let stem = a
        .log
        .file_stem()
        .map_or("log".into(), |s| s.to_string_lossy().into_owned());
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(format!("fit-{stem}")));
    let mut opts = report::Options {
        charts: !a.no_charts,
        provenance: Provenance::default(),
        mark: Some(mark(&a.log, "")),
    };
    check_report_dir(&out, &opts)?;
    let started = Instant::now();
    let pass = fit::read_log(&a.log).map_err(|e| bad(e.to_string()))?;
    check_bad_share(&a.log, &pass, a.max_bad_share, a.quiet)?;
    let options = fit::Options {
        confidence: a.confidence,
        alpha: a.alpha,
    };
    let outcome = fit::fit(&pass, options);
    let secs = started.elapsed().as_secs_f64();
    let scenario_text = match &template {
        Some(t) => Some(scenario::fragment::with_populations(t, &outcome)?),
        None => None,
    };
    opts.mark = Some(mark(&a.log, &pass.sha256));
    let src = FitSource {
        file: a.log.display().to_string(),
        sha256: pass.sha256.clone(),
        ignored: pass.ignored.clone(),
        max_bad_share: a.max_bad_share,
    };
    let files = report::write_fit(&out, &src, &outcome, scenario_text, &opts)
        .with_context(|| format!("cannot write the fit to {}", out.display()))?;
    if !a.quiet {
        say!("{}", summary(&a.log, &outcome, secs));
    }
    list_written(a.quiet, &files);
    Ok(())
}
