//! `regionsim sweep`: replicate a scenario over a grid of field values. The
//! finished points are written after each point, marked incomplete until the
//! last one; a previous complete set is replaced only by a whole new one
//! (`report::SweepFolder`).

use anyhow::{Context, Result};
use clap::Args;

use super::shard::{self, Study};
use super::{bad, progress::Bar, Common};
use regionsim::model::World;
use regionsim::{experiment, report, scenario};
use serde_json::Value;

#[derive(Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub(super) common: Common,
    /// A scenario field and its values, e.g. `deployments[0].capacity=80,100,120`,
    /// a range `deployments[0].capacity=300..400:25` (end included), or text where
    /// the field takes it (`policy.on_full=wait,reject`). `[*]` sets every
    /// element. Repeat for a grid.
    #[arg(long = "set", required = true, value_name = "PATH=V1,V2,...")]
    pub(super) set: Vec<String>,
    /// Metrics to chart against the first field, named as in sweep.csv
    /// (`overflow_rate`, `regions.ap-south.utilization`,
    /// `populations.india.media_rtt_ms.p95`) or any other scalar of summary.json
    /// named the same way; a metric zero at every point gets no chart.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "overflow_rate,rejection_rate,abandonment_rate,media_rtt_ms.p95,join_latency_ms.p95"
    )]
    pub(super) metrics: Vec<String>,
}

/// A sweep axis: a scenario field and its values.
type Axis = (String, Vec<Value>);

/// `PATH=v1,v2,START..END:STEP` -> (path, values).
fn parse_set(s: &str) -> Result<Axis> {
    let usage = || {
        bad(format!(
            "--set `{s}`: expected PATH=V1,V2,... or PATH=START..END:STEP"
        ))
    };
    let (path, values) = s.split_once('=').ok_or_else(usage)?;
    let values = scenario::parse_set_values(values).map_err(|e| bad(format!("--set {e}")))?;
    if path.trim().is_empty() || values.is_empty() {
        return Err(usage());
    }
    Ok((path.trim().to_string(), values))
}

/// Every combination of the axes' values, first axis varying slowest.
fn grid(axes: &[Axis]) -> Vec<Vec<(String, Value)>> {
    let mut points = vec![Vec::new()];
    for (path, values) in axes {
        points = points
            .into_iter()
            .flat_map(|p: Vec<(String, Value)>| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push((path.clone(), v.clone()));
                    q
                })
            })
            .collect();
    }
    points
}

/// A sweep ready to run: the charted metrics, the grid points and their worlds.
pub(super) struct Plan {
    pub metrics: Vec<report::SweepMetric>,
    pub points: Vec<Vec<(String, Value)>>,
    pub worlds: Vec<World>,
}

/// Check the arguments and build every point's world before simulating anything.
pub(super) fn plan(args: &SweepArgs) -> Result<Plan> {
    let c = &args.common;
    let axes = args
        .set
        .iter()
        .map(|s| parse_set(s))
        .collect::<Result<Vec<_>>>()?;
    let points = grid(&axes);
    if points.len() > 10_000 {
        return Err(bad(format!(
            "the grid has {} points; at most 10000",
            points.len()
        )));
    }
    let worlds = points
        .iter()
        .map(|p| c.world(p))
        .collect::<Result<Vec<_>>>()?;
    let metrics = args
        .metrics
        .iter()
        .map(|m| {
            report::sweep_metric(&worlds[0], m).ok_or_else(|| {
                bad(format!(
                    "--metrics: {}",
                    report::sweep_metric_refusal(&worlds[0], m)
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Plan {
        metrics,
        points,
        worlds,
    })
}

/// The arguments beyond the common ones that shape a sweep's results.
fn shaping_args(args: &SweepArgs) -> Vec<String> {
    let mut a: Vec<String> = args.set.iter().map(|s| format!("--set={s}")).collect();
    a.push(format!("--metrics={}", args.metrics.join(",")));
    a
}

pub fn run(args: SweepArgs) -> Result<()> {
    let c = &args.common;
    let Plan {
        metrics,
        points,
        worlds,
    } = plan(&args)?;
    let base = &worlds[0];
    if let Some(r) = shard::from_env(c)? {
        let study = Study {
            command: "sweep",
            suffix: "-sweep",
            extra_args: shaping_args(&args),
            worlds: &worlds,
            runs: 1,
        };
        let pool = c.pool()?;
        return shard::write_part(c, &r, study, |units, bar, sink| {
            pool.install(|| experiment::shard::sweep_units(&worlds, units, bar, sink))
        });
    }
    let (out, opts) = c.prepare(&worlds, 1, "-sweep", "sweep")?;
    let folder =
        report::SweepFolder::new(&out, points.clone(), &opts).map_err(|e| bad(e.to_string()))?;
    let (result, done, mut write_error) = sweep_points(c, &folder, points, &worlds, &opts)?;
    let charts = opts.charts.then_some(metrics.as_slice());
    if write_error.is_none() && (folder.complete(&done) || (charts.is_some() && !done.is_empty())) {
        if let Err(e) = folder.write(base, &done, charts, &opts) {
            write_error = Some(e);
        }
    }
    let written = if folder.complete(&done) {
        folder.target()
    } else {
        folder.staging()
    };
    if let Some(e) = write_error {
        return Err(e).with_context(|| format!("cannot write reports to {}", written.display()));
    }
    if let Err(e) = result {
        interrupted(&folder, done.len(), worlds.len());
        return Err(e.into());
    }
    if !c.quiet {
        for m in charts.unwrap_or_default() {
            if report::charts::all_zero(&done, m) {
                say!("note: no chart of {}: it is zero at every point", m.key());
            }
        }
        let what = if charts.is_some() {
            "sweep.csv, sweep.json and charts"
        } else {
            "sweep.csv and sweep.json"
        };
        say!("  wrote {} ({what})", written.display());
    }
    Ok(())
}

/// What simulating a sweep's points gave: how it ended, the finished points
/// and the first error writing them.
type Swept = (
    Result<Vec<experiment::SweepPoint>, regionsim::experiment::Cancelled>,
    Vec<experiment::SweepPoint>,
    Option<std::io::Error>,
);

/// Simulate the points in order, writing the finished ones after each point
/// as an incomplete set (the whole set is written by the caller).
fn sweep_points(
    c: &Common,
    folder: &report::SweepFolder,
    points: Vec<report::SweepSettings>,
    worlds: &[World],
    opts: &report::Options,
) -> Result<Swept> {
    let base = &worlds[0];
    let pool = c.pool()?;
    let total: f64 = worlds
        .iter()
        .map(|w| w.run().horizon_s * w.run().replications as f64)
        .sum();
    let bar = Bar::new(
        total,
        c.quiet,
        &format!("{}: {} points", base.name(), worlds.len()),
    );
    let mut write_error = None;
    let mut done = Vec::new();
    // After each point, the finished points as an incomplete set; the whole
    // set (with charts) only once every point is done.
    let result = pool.install(|| {
        experiment::sweep(
            points.into_iter().zip(worlds.iter().cloned()),
            &bar,
            |_, p| {
                done.push(p.clone());
                if write_error.is_none() && !folder.complete(&done) {
                    if let Err(e) = folder.write(base, &done, None, opts) {
                        write_error = Some(e);
                    }
                }
            },
        )
    });
    bar.finish();
    Ok((result, done, write_error))
}

/// Say where an interrupted sweep's finished points are, and what the target holds.
fn interrupted(folder: &report::SweepFolder, done: usize, planned: usize) {
    let (staging, target) = (folder.staging(), folder.target());
    if done == 0 {
        say!("interrupted before the first of {planned} points finished; nothing written");
    } else if staging == target {
        say!(
            "interrupted after {done} of {planned} points; the finished points are in {}, marked incomplete",
            staging.display()
        );
    } else {
        say!(
            "interrupted after {done} of {planned} points; the finished points are in {}, marked incomplete; {} keeps the previous complete set",
            staging.display(),
            target.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grid_is_the_cartesian_product_first_axis_slowest() {
        let g = grid(&[
            ("a".into(), vec![json!(1), json!(2)]),
            ("b".into(), vec![json!(3), json!("x"), json!(5)]),
        ]);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[1],
            vec![("a".to_string(), json!(1)), ("b".to_string(), json!("x"))]
        );
        assert_eq!(
            g[3],
            vec![("a".to_string(), json!(2)), ("b".to_string(), json!(3))]
        );
    }

    #[test]
    fn set_arguments_are_checked() {
        assert_eq!(
            parse_set("x=1,300..400:50,nearest").unwrap().1,
            [
                json!(1),
                json!(300),
                json!(350),
                json!(400),
                json!("nearest")
            ]
        );
        assert_eq!(
            parse_set("x=0.1..0.3:0.1").unwrap().1,
            [json!(0.1), json!(0.2), json!(0.3)]
        );
        assert!(parse_set("x").is_err());
        assert!(parse_set("x=1,,2").is_err());
        assert!(parse_set("x=1..2").is_err());
        assert!(parse_set("=1").is_err());
    }
}
