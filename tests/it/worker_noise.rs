//! Load noise on workers' samples: each sample of a worker at a constant load
//! `b` is `max(0, b + sigma Z)`, so its reports average to the clipped normal's
//! mean; and the draws are keyed by (deployment, worker, sample), so a pool's
//! noise is the same whatever else the run holds.

use regionsim::engine::simulate;
use regionsim::model::World;
use regionsim::stats::WorkerStats;
use regionsim::validation::{Runs, CONFIDENCE};
use serde_json::{json, Value};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// Base load of the quiet pool's workers and the noise's standard deviation:
/// b / sigma = 0.5, so a third of the samples are clipped at 0.
const BASE: f64 = 0.1;
const SIGMA: f64 = 0.2;

/// A quiet pool of five noisy workers no population reaches (deployment 0)
/// beside a slot deployment that serves the users, on explicit routes; with
/// `busy`, a second noisy pool in another region with its own users.
fn scenario(busy: bool) -> Value {
    let quiet = json!({ "agent": "quiet", "region": "us-east",
        "workers": { "count": 5, "load": { "base": BASE, "per_session": 0.05, "noise": SIGMA } } });
    let slots = json!({ "agent": "agent", "region": "us-east", "capacity": 10 });
    let users = |name: &str, lon: f64| {
        json!({ "name": name, "lat": 40.0, "lon": lon, "utc_offset_h": 0,
                "rate": { "peak_per_s": 0.05 }, "session": { "type": "exponential", "mean": "100s" } })
    };
    let mut deployments = vec![quiet, slots];
    let mut populations = vec![users("users", -75.0)];
    let mut routes = json!({ "users": "agent" });
    if busy {
        deployments.push(json!({ "agent": "busy", "region": "eu-central",
            "workers": { "count": 3, "load": { "sessions_per_worker": 4, "noise": 0.1 } } }));
        populations.push(users("others", 8.0));
        routes["others"] = json!("busy");
    }
    json!({
        "name": "worker-noise",
        "regions": ["us-east", "eu-central"],
        "deployments": deployments,
        "populations": populations,
        "policy": { "type": "explicit", "routes": routes },
        "run": { "horizon": "2h", "warmup": "0s", "seed": 5, "replications": 10, "bin": "1h" }
    })
}

fn parse(v: &Value) -> World {
    let mut world = regionsim::scenario::parse(std::path::Path::new("t.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    world
        .edit_run(|r| r.confidence = CONFIDENCE)
        .expect("valid run settings");
    world
}

/// The mean of a pool's reported loads over the run.
fn mean_report(w: &WorkerStats) -> f64 {
    let sum: f64 = w.bins.iter().map(|b| b.reported_sum).sum();
    let reports: u64 = w.bins.iter().map(|b| b.reports).sum();
    sum / reports as f64
}

#[test]
fn noisy_reports_average_to_the_clipped_normal_mean() {
    // Every sample of a worker holding the base load is max(0, b + sigma Z);
    // a report is the mean of a window of them, so reports average to
    // E[max(0, b + sigma Z)] = b Phi(b / sigma) + sigma phi(b / sigma).
    let z = Normal::standard();
    let exact = BASE * z.cdf(BASE / SIGMA) + SIGMA * z.pdf(BASE / SIGMA);
    let r = Runs::simulate("worker-noise", parse(&scenario(false)));
    let check = r.check("mean reported load", exact, |s, _| {
        mean_report(&s.workers[0])
    });
    assert!(check.passed(), "{check:?}");
    // Clipping is what moves the mean above the base load: the check sees it.
    assert!(exact > BASE + 0.03, "{exact}");
}

#[test]
fn a_pools_load_noise_does_not_depend_on_the_rest_of_the_run() {
    // The quiet pool's noise is keyed by its deployment, worker and sample:
    // another pool drawing picks, process starts and noise of its own at the
    // same ticks leaves every figure of it bit for bit as it was.
    let (alone, beside) = (parse(&scenario(false)), parse(&scenario(true)));
    for rep in 0..3 {
        let (a, b) = (simulate(&alone, rep, &()), simulate(&beside, rep, &()));
        let (a, b) = (&a.workers[0], &b.workers[0]);
        assert!(b.bins.iter().any(|x| x.reports > 0));
        assert_eq!(a.bins, b.bins, "replication {rep}");
        assert_eq!(a.peak_reported_load, b.peak_reported_load);
        assert_eq!(a.true_load_s, b.true_load_s);
    }
}
