//! What the server sees of a worker's load. With `report_interval` 0 the
//! server sees the current measurement: the reported figures are then each
//! sample (the true load when `sample_interval` is 0 too), and such a run is
//! the very run that reports at every sample.

use regionsim::model::World;
use regionsim::report::{write_run_with, Options};
use serde_json::Value;

use crate::common::*;

const STALE: &str = "scenarios/validation/workers-stale-load.json";

/// `world` with every pool sampling every `sample` s and reporting every
/// `report` s (0: none), and `per_session` load per session if given.
fn measured(mut world: World, sample: f64, report: f64, per_session: Option<f64>) -> World {
    for d in &mut world.deployments {
        if let Some(spec) = &mut d.workers {
            spec.measure.sample_interval_s = sample;
            spec.measure.report_interval_s = report;
            if let Some(p) = per_session {
                spec.load.per_session = p;
            }
        }
    }
    world
}

/// `summary.json` without its provenance, and `timeseries.csv`, of a run of `w`.
fn outputs(w: &World) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        charts: false,
        ..Options::default()
    };
    write_run_with(dir.path(), w, &estimate(w), opts).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let mut summary: Value = serde_json::from_str(&read("summary.json")).unwrap();
    summary.as_object_mut().unwrap().remove("provenance");
    (summary, read("timeseries.csv"))
}

/// The server seeing each measurement as it is taken is the server hearing a
/// report at every sample: the same run, file for file, with the reported
/// load of every sample in the figures.
#[test]
fn no_reporting_interval_is_a_report_at_every_sample() {
    let mut base = world(STALE);
    base.run.replications = 4;
    let unreported = outputs(&measured(base.clone(), 0.5, 0.0, None));
    let every_sample = outputs(&measured(base, 0.5, 0.5, None));
    assert_eq!(unreported.1, every_sample.1);
    assert_eq!(unreported.0, every_sample.0);
    let peak = &unreported.0["workers"]["deployments"][0]["peak_reported_load"];
    assert!(peak.as_f64().unwrap() > 0.5, "{peak}");
}

/// Neither sampled nor reported at intervals, the load the server is told is
/// the true load: the reported figures are the true ones.
#[test]
fn with_exact_load_the_reported_load_is_the_true_load() {
    let mut w = world("scenarios/tests/workers-erlang-b.json");
    w.run.replications = 4;
    let (summary, series) = outputs(&w);
    let dep = &summary["workers"]["deployments"][0];
    assert_eq!(dep["peak_reported_load"], dep["peak_true_load"]);
    assert!(dep["peak_true_load"].as_f64().unwrap() > 0.5);
    let mut rd = csv::Reader::from_reader(series.as_bytes());
    let header = rd.headers().unwrap().clone();
    let col = |suffix: &str| header.iter().position(|h| h.ends_with(suffix)).unwrap();
    let (reported, true_load) = (col("_reported_load"), col("_true_load"));
    for row in rd.records() {
        let row = row.unwrap();
        assert_eq!(row[reported], row[true_load]);
    }
}
