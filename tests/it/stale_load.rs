//! What the server sees of a worker's load, and what its staleness does. With
//! `report_interval` 0 the server sees the current measurement: the reported
//! figures are then each sample (the true load when `sample_interval` is 0
//! too), and such a run is the very run that reports at every sample. Stale
//! load raises rejection on a pool whose workers are full at k sessions and
//! lowers it on one whose k sessions stay under the threshold, where only
//! over-admission rises.

use regionsim::experiment::half_width;
use regionsim::model::World;
use regionsim::validation::{Runs, CONFIDENCE};
use serde_json::Value;

use crate::common::*;

const STALE: &str = "scenarios/validation/workers-stale-load.json";

/// The stale-load case with its pool sampling every `sample` s and reporting
/// every `report` s (0: none), `per_session` load per session if given, and
/// `more` fields set, all through the scenario's own overrides and rules.
fn measured(sample: f64, report: f64, per_session: Option<f64>, more: &[(&str, Value)]) -> World {
    let mut set = vec![
        (
            "deployments[0].workers.sample_interval".to_string(),
            Value::from(sample),
        ),
        (
            "deployments[0].workers.report_interval".to_string(),
            Value::from(report),
        ),
    ];
    if let Some(p) = per_session {
        set.push((
            "deployments[0].workers.load.per_session".into(),
            Value::from(p),
        ));
    }
    set.extend(more.iter().map(|(k, v)| (k.to_string(), v.clone())));
    regionsim::scenario::load_with(&repo(STALE), &set).unwrap()
}

/// `summary.json` without its provenance, and `timeseries.csv`, of a run of `w`.
fn outputs(w: &World) -> (Value, String) {
    let dir = written(w, &estimate(w));
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
    let four = [("run.replications", Value::from(4))];
    let unreported = outputs(&measured(0.5, 0.0, None, &four));
    let every_sample = outputs(&measured(0.5, 0.5, None, &four));
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
    w.edit_run(|r| r.replications = 4)
        .expect("valid run settings");
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

/// Mean and half-width of the paired change of `f` from `a` to `b` (the same
/// seeds: common random numbers).
fn paired(a: &Runs, b: &Runs, f: impl Fn(&Runs, usize) -> f64) -> (f64, f64) {
    let d: Vec<f64> = (0..a.stats.len()).map(|i| f(b, i) - f(a, i)).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, half_width(var, d.len() as u32, CONFIDENCE))
}

/// 3 workers of 10 sessions at 25 Erlangs, with exact load and then the
/// platform's staleness (0.5 s samples, 2.5 s reports), on the same seeds.
/// At 0.07 a session, 10 sessions reach the 0.7 threshold: a worker that
/// reported itself full is skipped until its next report though a session
/// has ended, so more users are rejected. At 0.065, 10 sessions (0.65) stay
/// under it: a worker reporting 10 is still offered jobs and accepts on a
/// measurement that lags, so it takes an 11th, and fewer users are rejected,
/// at the price of over-admission.
#[test]
fn stale_load_raises_rejection_only_where_workers_are_full_at_k() {
    let rejection = |r: &Runs, i: usize| r.summaries[i].rejection_rate;
    let over = |r: &Runs, i: usize| r.stats[i].workers[0].over_admission_rate();
    for (per_session, rises) in [(0.07, true), (0.065, false)] {
        let exact = Runs::simulate("exact", measured(0.0, 0.0, Some(per_session), &[]));
        let stale = Runs::simulate("stale", measured(0.5, 2.5, Some(per_session), &[]));
        let (change, hw) = paired(&exact, &stale, rejection);
        let moved = if rises {
            change - hw > 0.0
        } else {
            change + hw < 0.0
        };
        assert!(moved, "{per_session} a session: rejection {change} ± {hw}");
        let (more, hw) = paired(&exact, &stale, over);
        assert!(
            more - hw > 0.0,
            "{per_session}: over-admission {more} ± {hw}"
        );
    }
}
