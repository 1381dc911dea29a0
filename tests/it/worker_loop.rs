//! The benchmark's worker limit loop (`bench/worker_loop.rs`) and the engine
//! simulate the same worker reference: they must agree on rejection,
//! overflow and over-admission, with the platform's sampling and reporting
//! and without (exact load), or the ratios `bench/run.sh --workers` reports
//! compare different things.

use crate::bare_loop::bare::workers;

use std::path::Path;

use regionsim::engine;
use regionsim::stats::RunStats;

use crate::common;

/// What the engine counted: sessions, overflow, rejected, over-admitted.
fn engine_counts(stats: &RunStats) -> [u64; 4] {
    let sum = |f: fn(&regionsim::stats::PopulationStats) -> u64| -> u64 {
        stats.populations.iter().map(f).sum()
    };
    [
        sum(|p| p.sessions),
        sum(|p| p.overflow),
        sum(|p| p.rejected),
        stats.workers.iter().map(|w| w.over_admitted).sum(),
    ]
}

/// The worker reference over 200 000 s, its sampling and reporting switched
/// off when `exact`.
fn reference(exact: bool) -> regionsim::model::World {
    let path = common::repo("scenarios/reference-3x100-workers.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["run"]["horizon"] = serde_json::json!("200000s");
    if exact {
        for d in v["deployments"].as_array_mut().unwrap() {
            d["workers"]["sample_interval"] = serde_json::json!(0);
            d["workers"]["report_interval"] = serde_json::json!(0);
        }
    }
    regionsim::scenario::parse(Path::new("reference.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn worker_loop_and_engine_agree_on_the_worker_reference() {
    for exact in [false, true] {
        let world = reference(exact);
        let [sessions, overflow, rejected, over] = engine_counts(&engine::simulate(&world, 0, &()));
        let w = workers::run(world.run().horizon_s, world.run().seed, exact);
        // The loop does the engine's arithmetic in its order on its
        // streams, so today the counts coincide; the check allows any change
        // that keeps the model, within 4 binomial standard errors.
        assert!(sessions.abs_diff(w.sessions) as f64 <= 4.0 * (sessions as f64).sqrt());
        for (what, x, y) in [
            ("overflow", overflow, w.overflow),
            ("rejection", rejected, w.rejected),
            ("over-admission", over, w.over_admitted),
        ] {
            let (p, q) = (x as f64 / sessions as f64, y as f64 / w.sessions as f64);
            let pooled = (x + y) as f64 / (sessions + w.sessions) as f64;
            let se = (pooled * (1.0 - pooled) * (1.0 / sessions as f64 + 1.0 / w.sessions as f64))
                .sqrt()
                .max(1.0 / sessions as f64);
            assert!(
                (p - q).abs() <= 4.0 * se,
                "{what} (exact load: {exact}): engine {p:.5} vs loop {q:.5} (se {se:.5})"
            );
        }
        if exact {
            assert_eq!(over, 0, "exact load never over-admits");
        } else {
            assert!(over > 0, "stale load over-admits in the reference");
        }
    }
}
