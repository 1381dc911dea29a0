//! The files of `regionsim fit`: `populations.json` (the scenario fragment),
//! `fit.json` (every figure with its interval, the test behind each profile,
//! every candidate law, the bad rows), `fit.md` (the same for a reader, with
//! the charts) and, from a template, `scenario.json`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::charts;
use super::provenance::{commit, VERSION};
use super::table::{md_escape, to_markdown, Doc, Table};
use super::Options;
use crate::data::time::format_rfc3339;
use crate::fit::laws::LawFit;
use crate::fit::{FitOutcome, FittedPopulation};
use crate::scenario::fragment::{law_json, pretty};

/// Version of `fit.json`'s layout.
pub const FIT_SCHEMA_VERSION: u32 = 1;

/// What a fit was made from.
#[derive(Debug, Clone)]
pub struct FitSource {
    /// The log as given on the command line.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Header columns not read.
    pub ignored: Vec<String>,
    /// The bad-row share above which the fit is refused.
    pub max_bad_share: f64,
}

fn law_value(l: &LawFit) -> Value {
    let names = l.family.params();
    json!({
        "family": l.family.name(),
        "parameters": { names[0]: l.params[0], names[1]: l.params[1] },
        "half_widths": { names[0]: l.half_width[0], names[1]: l.half_width[1] },
        "mean_s": l.mean(),
        "cv": l.cv(),
        "log_likelihood": l.log_lik,
        "ks": l.ks,
        "scenario": law_json(l),
    })
}

fn population_value(p: &FittedPopulation) -> Value {
    let t = &p.profile.test;
    let rates: Vec<Value> = p
        .profile
        .rates
        .iter()
        .zip(&p.profile.intervals)
        .zip(&p.profile.counts)
        .enumerate()
        .map(|(h, ((r, (lo, hi)), c))| json!({"utc_hour": h, "sessions": c, "per_hour": r, "low": lo, "high": hi}))
        .collect();
    json!({
        "name": p.name,
        "utc_offset_h": p.utc_offset_h,
        "sessions": p.sessions,
        "profile": if p.profile.weekly() { "weekly" } else { "daily" },
        "weekly_test": { "applicable": t.applicable, "g": t.g, "df": t.df, "p_value": t.p_value },
        "peak_per_hour": p.peak_per_hour,
        "rates_utc": rates,
        "places": p.places.iter().map(|c| json!({"name": c.name, "lat": c.location.lat, "lon": c.location.lon, "sessions": c.sessions})).collect::<Vec<_>>(),
        "observed_join_ms": p.join_ms.map(|q| json!({"p50": q[0], "p95": q[1], "p99": q[2]})),
        "observed_media_rtt_ms": p.rtt_ms.map(|q| json!({"p50": q[0], "p95": q[1], "p99": q[2]})),
        "served_by": p.served_by.iter().map(|(r, n)| json!({"region": r, "sessions": n})).collect::<Vec<_>>(),
    })
}

/// `fit.json`.
pub fn fit_json(src: &FitSource, fit: &FitOutcome) -> String {
    let bad = &fit.bad;
    let v = json!({
        "schema_version": FIT_SCHEMA_VERSION,
        "provenance": { "tool": "regionsim", "version": VERSION, "commit": commit(), "log_sha256": src.sha256 },
        "options": { "confidence": fit.options.confidence, "alpha": fit.options.alpha, "max_bad_share": src.max_bad_share },
        "rows": { "good": fit.good, "bad": bad.count, "ignored_columns": src.ignored },
        "bad_rows": {
            "by_reason": bad.by_kind.iter().map(|(k, n)| json!({"reason": k, "rows": n})).collect::<Vec<_>>(),
            "listed": bad.listed.iter().map(|(l, r)| json!({"line": l, "reason": r})).collect::<Vec<_>>(),
        },
        "window": { "first": format_rfc3339(fit.window.0), "last": format_rfc3339(fit.window.1),
                    "hours": fit.exposure.iter().sum::<u64>() },
        "populations": fit.populations.iter().map(population_value).collect::<Vec<_>>(),
        "durations": {
            "count": fit.good, "zero": fit.zero_durations, "mean_s": fit.mean_duration_s,
            "quantiles_s": fit.quantiles.iter().map(|(p, q)| json!({"p": p, "s": q})).collect::<Vec<_>>(),
            "laws": fit.laws.iter().map(law_value).collect::<Vec<_>>(),
            "chosen": fit.laws.first().map(|l| l.family.name()),
        },
    });
    pretty(&v)
}

fn num(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

fn populations_table(fit: &FitOutcome) -> Table {
    let mut t = Table::new([
        "population",
        "UTC offset",
        "sessions",
        "places (largest first)",
        "peak per hour",
        "profile",
        "weekly test: G (df), p",
    ]);
    let c = fit.options.confidence * 100.0;
    for p in &fit.populations {
        let names: Vec<String> = p.places.iter().take(3).map(|c| c.name.clone()).collect();
        let more = p.places.len().saturating_sub(3);
        let peak_h = p
            .profile
            .rates
            .iter()
            .position(|&r| r == p.peak_per_hour)
            .unwrap_or(0);
        let (lo, hi) = p.profile.intervals[peak_h];
        let t_ = &p.profile.test;
        t.row([
            p.name.clone(),
            format!("{:+}", p.utc_offset_h),
            p.sessions.to_string(),
            names.join(", ")
                + &if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
            format!(
                "{} ({} to {}, {c:.0} %)",
                num(p.peak_per_hour),
                num(lo),
                num(hi)
            ),
            if p.profile.weekly() {
                "weekly (168 h)".into()
            } else {
                "daily (24 h)".into()
            },
            if t_.applicable {
                format!("{:.1} ({}), {:.3e}", t_.g, t_.df, t_.p_value)
            } else {
                "n/a: less than a week".into()
            },
        ]);
    }
    t
}

fn durations_section(doc: &mut Doc, fit: &FitOutcome) {
    doc.heading(2, "Session durations");
    doc.para(format!(
        "{} durations, mean {} s; durations of exactly 0 s, left out of the laws: {}. Quantiles of the log:",
        fit.good,
        num(fit.mean_duration_s),
        fit.zero_durations
    ));
    let mut q = Table::new(["quantile", "seconds"]);
    for (p, s) in &fit.quantiles {
        q.row([format!("{:.0} %", p * 100.0), num(*s)]);
    }
    doc.table(q);
    let c = fit.options.confidence * 100.0;
    let params = format!("parameters (± half-width, {c:.0} %)");
    let mut t = Table::new([
        "law",
        &params,
        "mean (s)",
        "cv",
        "log-likelihood",
        "KS distance",
    ]);
    for l in &fit.laws {
        let n = l.family.params();
        t.row([
            l.family.name().to_string(),
            format!(
                "{} = {} ± {}, {} = {} ± {}",
                n[0],
                num(l.params[0]),
                num(l.half_width[0]),
                n[1],
                num(l.params[1]),
                num(l.half_width[1])
            ),
            num(l.mean()),
            num(l.cv()),
            format!("{:.1}", l.log_lik),
            format!("{:.4}", l.ks),
        ]);
    }
    doc.table(t);
    if let Some(best) = fit.laws.first() {
        doc.para(format!(
            "Chosen: {} (highest likelihood; all three laws have two parameters). The KS distance is measured on bins 0.1 % wide; with many rows even a small distance is significant, so read it as the largest gap between the two CDFs.",
            best.family.name()
        ));
    }
}

fn observed_section(doc: &mut Doc, fit: &FitOutcome) {
    let any = fit
        .populations
        .iter()
        .any(|p| p.join_ms.is_some() || p.rtt_ms.is_some() || !p.served_by.is_empty());
    if !any {
        return;
    }
    doc.heading(2, "Observed service");
    doc.para("What the log says about how sessions were served, to compare with the simulated reports of the fitted scenario.");
    let mut t = Table::new([
        "population",
        "join p50 / p95 / p99 (ms)",
        "media RTT p50 / p95 / p99 (ms)",
        "served by",
    ]);
    let q = |v: Option<[f64; 3]>| {
        v.map_or("–".into(), |q| {
            format!("{:.0} / {:.0} / {:.0}", q[0], q[1], q[2])
        })
    };
    for p in &fit.populations {
        let by: Vec<String> = p
            .served_by
            .iter()
            .map(|(r, n)| format!("{r} {:.1} %", *n as f64 * 100.0 / p.sessions as f64))
            .collect();
        t.row([p.name.clone(), q(p.join_ms), q(p.rtt_ms), by.join(", ")]);
    }
    doc.table(t);
}

/// `fit.md`; `charts` lists the stems drawn.
pub fn fit_md(src: &FitSource, fit: &FitOutcome, charts: &[String]) -> String {
    let mut doc = Doc::default();
    doc.heading(1, format!("Fit of {}", src.file));
    let rows = fit.good + fit.bad.count;
    doc.para(format!(
        "{} rows: {} used, {} bad ({:.3} % of rows; the fit refuses more than {:.3} %). Sessions start from {} to {} ({} hours observed).",
        rows, fit.good, fit.bad.count, fit.bad.count as f64 * 100.0 / rows.max(1) as f64, src.max_bad_share * 100.0,
        format_rfc3339(fit.window.0), format_rfc3339(fit.window.1), fit.exposure.iter().sum::<u64>()
    ));
    if !src.ignored.is_empty() {
        doc.para(format!("Columns not read: {}.", src.ignored.join(", ")));
    }
    if fit.bad.count > 0 {
        doc.heading(2, "Bad rows");
        let mut t = Table::new(["reason", "rows"]);
        for (k, n) in &fit.bad.by_kind {
            t.row([k.to_string(), n.to_string()]);
        }
        doc.table(t);
        let shown = fit.bad.listed.len().min(50);
        doc.list(
            fit.bad.listed[..shown]
                .iter()
                .map(|(l, r)| format!("line {l}: {r}"))
                .collect(),
        );
        if fit.bad.count as usize > shown {
            doc.para(format!(
                "{} more: the first 1000 are in fit.json.",
                fit.bad.count as usize - shown
            ));
        }
    }
    doc.heading(2, "Populations");
    doc.para(format!(
        "Places are grouped by solar time zone (round(longitude / 15)); each group is one population, its places weighted by their sessions. A profile is weekly when the likelihood-ratio test rejects one day repeated at level {} (it needs every hour of the week observed); intervals are exact Poisson intervals.",
        fit.options.alpha
    ));
    doc.table(populations_table(fit));
    durations_section(&mut doc, fit);
    observed_section(&mut doc, fit);
    doc.heading(2, "Using it");
    doc.para("populations.json holds the populations as a scenario's `populations` array: paste it into a scenario with regions, deployments and a policy, or give one with --template to get scenario.json. A weekly profile starts on Monday 00:00 at the population's clock and the run's time 0 is Monday 00:00 UTC; give the run a horizon of 7d to cover the week.");
    let mut md = to_markdown(&doc);
    if !charts.is_empty() {
        md.push_str("\n## Charts\n");
    }
    for stem in charts {
        let title = md_escape(&super::charts::fit_chart_title(stem));
        md.push_str(&format!("\n### {title}\n\n![{title}]({stem}.png)\n"));
    }
    md
}

/// Render a fit's files into `dir` (charts unless disabled); returns the files.
pub fn write_fit(
    dir: &Path,
    src: &FitSource,
    fit: &FitOutcome,
    scenario: Option<String>,
    opts: &Options,
) -> std::io::Result<Vec<PathBuf>> {
    let head = Path::new(&src.file)
        .file_name()
        .map_or(src.file.clone(), |n| n.to_string_lossy().into_owned());
    let rendered = if opts.charts {
        charts::render_fit(&head, fit)?
    } else {
        Vec::new()
    };
    let stems: Vec<String> = rendered.iter().map(|c| c.stem.clone()).collect();
    let fragment = crate::scenario::fragment::populations_fragment(fit);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("populations.json".into(), pretty(&fragment).into_bytes()),
        ("fit.json".into(), fit_json(src, fit).into_bytes()),
        ("fit.md".into(), fit_md(src, fit, &stems).into_bytes()),
    ];
    if let Some(text) = scenario {
        files.push(("scenario.json".into(), text.into_bytes()));
    }
    super::push_charts(&mut files, rendered);
    super::write_all(dir, files, opts)
}
