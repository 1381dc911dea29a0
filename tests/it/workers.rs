//! The worker model (stale load over-admitting is a validation case,
//! `workers-stale-load`): exact load holds k sessions per worker, the
//! autoscaler asks for the count its target implies, an autoscaler that cannot
//! act changes nothing, sessions are conserved, sharded runs merge to the same
//! files, bad worker settings get located messages, and the load measurement
//! gives bit for bit what worker-by-worker sampling gave.

use regionsim::model::World;
use regionsim::validation::{Runs, CONFIDENCE};
use serde_json::{json, Value};

use crate::common::*;
use crate::scenario_errors::reject;

const BASE: &str = "scenarios/tests/workers-erlang-b.json";
const AUTOSCALE: &str = "scenarios/tests/workers-autoscale.json";

fn base_json(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo(rel)).unwrap()).unwrap()
}

fn parse(v: &Value) -> World {
    regionsim::scenario::parse(std::path::Path::new("t.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn runs(mut world: World) -> Runs {
    world
        .edit_run(|r| r.confidence = CONFIDENCE)
        .expect("valid run settings");
    Runs::simulate("workers", world)
}

#[test]
fn exact_load_never_over_admits_and_holds_k_sessions_per_worker() {
    let r = runs(world(BASE));
    let spec = r.world.deployments()[0].workers.clone().unwrap();
    let k = spec.sessions_at_threshold();
    assert_eq!(k, 10);
    for s in &r.stats {
        let w = &s.workers[0];
        assert_eq!(w.over_admitted, 0);
        assert_eq!(w.overloaded_s, 0.0);
        let most = spec.load.base + spec.load.per_session * f64::from(k);
        assert!(w.peak_true_load <= most + 1e-9, "{}", w.peak_true_load);
        assert!(s.regions[0].peak <= spec.count * k);
    }
}

/// E[f(N)] for N ~ Poisson(a).
fn poisson_mean(a: f64, f: impl Fn(u32) -> f64) -> f64 {
    let (mut p, mut total) = ((-a).exp(), 0.0);
    for n in 0..2000u32 {
        total += p * f(n);
        p *= a / f64::from(n + 1);
    }
    total
}

#[test]
fn autoscaler_asks_for_the_count_its_target_implies() {
    // With exact load the total load at an evaluation is p N, N the sessions
    // running (Poisson(A) with ample workers), so the count asked for is
    // clamp(ceil(p N / target), min, max); its mean is E over Poisson(A).
    let r = runs(world(AUTOSCALE));
    let spec = r.world.deployments()[0].workers.clone().unwrap();
    let a = spec.autoscale.clone().unwrap();
    let offered =
        r.world.populations()[0].rate.max_rate() * r.world.populations()[0].session.mean();
    let exact = poisson_mean(offered, |n| {
        f64::from(a.desired(spec.load.per_session * f64::from(n), 0.0))
    });
    let check = r.check("mean workers asked for", exact, |s, _| {
        s.workers[0].desired_sum / s.workers[0].evaluations as f64
    });
    assert!(check.passed(), "{check:?}");
    let lost = r.check("rejection", 0.0, |_, m| m.rejection_rate);
    assert!(lost.simulated < 1e-3, "{lost:?}");
}

#[test]
fn an_autoscaler_that_cannot_act_gives_the_fixed_pool_results() {
    let fixed = base_json(BASE);
    let outputs = |v: &Value| {
        let est = estimate(&parse(v));
        let s = &est.pooled;
        (
            format!("{:?}", est.point),
            s.workers[0].worker_s,
            s.workers[0].join.count(),
            s.events,
        )
    };
    let want = outputs(&fixed);
    for (target, interval, cooldown) in [(0.3, "5s", "0s"), (0.65, "1min", "1h")] {
        let mut v = fixed.clone();
        let w = &mut v["deployments"][0]["workers"];
        w.as_object_mut().unwrap().remove("count");
        w["autoscale"] = json!({"min": 3, "max": 3, "target_load": target,
            "interval": interval, "cooldown": cooldown});
        assert_eq!(outputs(&v), want, "target {target}");
    }
}

#[test]
fn worker_runs_conserve_sessions_with_queues_and_scale_to_zero() {
    let est = estimate(&world("scenarios/tests/workers-scale-to-zero.json"));
    let p = &est.pooled;
    let served: u64 = p
        .populations
        .iter()
        .map(|q| q.served_home + q.overflow)
        .sum();
    let decided: u64 = p
        .populations
        .iter()
        .map(|q| q.served_home + q.overflow + q.rejected + q.abandoned)
        .sum();
    let sessions: u64 = p.populations.iter().map(|q| q.sessions).sum();
    assert_eq!(sessions, decided + p.pending_at_horizon);
    assert_eq!(served, p.completed + p.running_at_horizon);
    let w = &p.workers[0];
    assert_eq!(w.jobs, served);
    assert_eq!(w.join.count(), served);
    assert!(
        w.cold_starts > 0 && w.cold_start_jobs > 0,
        "night scale-to-zero"
    );
    assert!(w.over_admitted > 0 && w.process_starts > 0);
}

const SCALE_TO_ZERO: &str = "scenarios/tests/workers-scale-to-zero.json";

/// The scale-to-zero pool with its floor set by `floor` (a JSON `min` or
/// `min_hourly` value under that key).
fn with_floor(key: &str, floor: Value) -> Value {
    let mut v = base_json(SCALE_TO_ZERO);
    let a = v["deployments"][0]["workers"]["autoscale"]
        .as_object_mut()
        .unwrap();
    a.remove("min");
    a.insert(key.into(), floor);
    v
}

#[test]
fn an_hourly_floor_of_one_value_is_that_flat_floor_bit_for_bit() {
    let outputs = |v: &Value| {
        let est = estimate(&parse(v));
        let s = &est.pooled;
        (format!("{:?}", est.point), s.workers[0].worker_s, s.events)
    };
    for m in [0, 3] {
        assert_eq!(
            outputs(&with_floor("min_hourly", json!(vec![m; 24]))),
            outputs(&with_floor("min", json!(m))),
            "floor {m}"
        );
    }
}

/// A floor of 30 workers from 12:00 to 23:59 UTC: from the first evaluation
/// of 12:00 on, the pool never has fewer (its workers' mean over 13:00 to
/// 23:00 is at least 30, and 12:00 loses at most one 15 s evaluation
/// interval), so no job of those hours waits for a cold start; the hourly
/// cold-start counts add up to the window's.
#[test]
fn an_hourly_floor_keeps_its_workers_warm_in_its_hours() {
    let floor = 30u32;
    let mut hours = [0u32; 24];
    hours[12..].iter_mut().for_each(|h| *h = floor);
    let world = parse(&with_floor("min_hourly", json!(hours)));
    let est = estimate(&world);
    let w = &est.pooled.workers[0];
    let runs = f64::from(world.run().replications);
    let mut window_jobs = 0;
    for (b, bin) in w.bins.iter().enumerate() {
        let start = b as f64 * 3600.0;
        let h = b % 24;
        let mean = bin.workers_s / (3600.0 * runs);
        if h > 12 && start + 3600.0 <= world.run().horizon_s {
            assert!(mean >= f64::from(floor) - 1e-9, "bin {b}: {mean}");
            assert_eq!(bin.cold_start_jobs, 0, "bin {b}");
        }
        if h == 12 {
            assert!(
                mean >= f64::from(floor) * (1.0 - 15.0 / 3600.0) - 1e-9,
                "bin {b}: {mean}"
            );
        }
        if start >= world.run().warmup_s {
            window_jobs += bin.jobs;
        }
    }
    assert_eq!(window_jobs, w.jobs, "hourly job counts add up");
    let cold: u64 = w.bins.iter().skip(1).map(|b| b.cold_start_jobs).sum();
    assert_eq!(cold, w.cold_start_jobs);
}

#[test]
fn bad_worker_settings_get_located_messages() {
    let base = base_json(BASE);
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    };
    let w = "deployments[0].workers";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            mutate(&|v| v["deployments"][0]["workers"]["load_threshold"] = json!(1.2)),
            "load_threshold",
            "(0, 1]",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["load_threshold"] = json!(0)),
            "load_threshold",
            "(0, 1]",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["load"]["per_session"] = json!(0)),
            "load.per_session",
            "(0, 1]",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["load"]["per_session"] = json!(-0.1)),
            "load.per_session",
            "(0, 1]",
        ),
        (
            mutate(&|v| v["deployments"][0]["capacity"] = json!(10)),
            "",
            "not both",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["sample_interval"] = json!(-1)),
            "sample_interval",
            ">= 0",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["report_interval"] = json!("-2s")),
            "report_interval",
            "",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert("autoscale".into(), json!({"min": 5, "max": 2}));
            }),
            "autoscale.min",
            "at most `max`",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert("autoscale".into(), json!({"min": 0, "max": 2, "provisioning": {"type": "deterministic", "value": -3}}));
            }),
            "autoscale.provisioning.value",
            ">= 0",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert(
                    "autoscale".into(),
                    json!({"min": 0, "max": 2, "interval": 0}),
                );
            }),
            "autoscale.interval",
            "> 0",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["autoscale"] = json!({"min": 0, "max": 2})),
            "autoscale",
            "not both",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["load"]["noise"] = json!(0.1)),
            "load.noise",
            "sample_interval",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["load"]["base"] = json!(0.7)),
            "load.base",
            "below the load threshold",
        ),
        (
            mutate(&|v| v["deployments"][0]["workers"]["window"] = json!(0)),
            "window",
            "between 1",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert(
                    "autoscale".into(),
                    json!({"min": 1, "min_hourly": vec![1; 24], "max": 2}),
                );
            }),
            "autoscale.min_hourly",
            "not both",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert(
                    "autoscale".into(),
                    json!({"min_hourly": vec![1; 23], "max": 2}),
                );
            }),
            "autoscale.min_hourly",
            "24 floors",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                let mut h = [0; 24];
                h[17] = 3;
                w.insert("autoscale".into(), json!({"min_hourly": h, "max": 2}));
            }),
            "autoscale.min_hourly",
            "got 3 at 17:00 UTC",
        ),
        (
            mutate(&|v| {
                let w = v["deployments"][0]["workers"].as_object_mut().unwrap();
                w.remove("count");
                w.insert("autoscale".into(), json!({"max": 2}));
            }),
            "autoscale.min",
            "`min_hourly`",
        ),
    ];
    for (text, field, words) in cases {
        let err = reject(&text);
        let path = if field.is_empty() {
            w.to_string()
        } else {
            format!("{w}.{field}")
        };
        assert!(
            err.contains(&format!("`{path}`")),
            "path `{path}` missing from: {err}"
        );
        assert!(err.contains(words), "`{words}` missing from: {err}");
    }
}

#[test]
fn worker_charts_render_even_for_a_one_minute_run() {
    for horizon in [60.0, 30.0 * 3600.0] {
        let mut world = world("scenarios/tests/workers-scale-to-zero.json");
        world
            .edit_run(|r| {
                r.horizon_s = horizon;
                r.warmup_s = 0.0;
                r.replications = 1;
            })
            .expect("valid run settings");
        let est = estimate(&world);
        let dir = tempfile::tempdir().unwrap();
        regionsim::report::write_run(dir.path(), &world, &est).unwrap();
        for stem in ["workers", "worker-join-latency"] {
            let svg = std::fs::read_to_string(dir.path().join(format!("{stem}.svg"))).unwrap();
            assert!(svg.contains("agent@us-east"), "{stem} names its deployment");
            assert!(dir.path().join(format!("{stem}.png")).is_file());
        }
        let csv = std::fs::read_to_string(dir.path().join("timeseries.csv")).unwrap();
        assert!(csv.lines().next().unwrap().ends_with(
            "agent@us-east_workers,agent@us-east_true_load,agent@us-east_reported_load"
        ));
    }
}

#[test]
fn worker_runs_are_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let s = "scenarios/tests/workers-scale-to-zero.json";
    run_cli(s, &a, &["--no-charts", "--threads", "1"]);
    run_cli(s, &b, &["--no-charts", "--threads", "2"]);
    for f in [
        "summary.json",
        "summary.md",
        "timeseries.csv",
        "replications.csv",
    ] {
        let read = |d: &std::path::Path| std::fs::read(d.join(f)).unwrap();
        assert!(read(&a) == read(&b), "{f} differs between 1 and 2 threads");
    }
}

/// Every figure the load measurement feeds (reports per bin, their sum, the
/// peak report, over-admissions and the overloaded time), folded bit for bit
/// over the replications of a fixed pool, an autoscaled one, and one with
/// noise scaling from and to zero whose workers register at any instant. The
/// measurement runs as whole-pool passes for speed; these values were taken
/// from the worker-by-worker implementation, so a pass that changes one
/// floating-point operation or its order fails here. The noisy world's value
/// was taken again when the noise became counter-based (keyed by deployment,
/// worker and sample): its draws changed, not the arithmetic, and the two
/// worlds without noise kept theirs.
#[test]
fn worker_load_measurement_is_bit_for_bit_that_of_worker_by_worker_sampling() {
    let folded = [
        BASE,
        AUTOSCALE,
        "scenarios/tests/workers-scale-to-zero.json",
    ]
    .map(|f| {
        let r = runs(world(f));
        let mut bits = 0u64;
        let mut mix = |x: u64| bits = bits.rotate_left(7) ^ x;
        for s in &r.stats {
            let w = &s.workers[0];
            for b in &w.bins {
                mix(b.reported_sum.to_bits());
                mix(b.reports);
                mix(b.true_load_s.to_bits());
            }
            mix(w.peak_reported_load.to_bits());
            mix(w.over_admitted);
            mix(w.overloaded_s.to_bits());
            mix(w.jobs);
        }
        bits
    });
    assert_eq!(
        folded,
        [0xf418b7d68148c801, 0x4a9b9e772a633b74, 0xa8e554f5de4691d8]
    );
}
