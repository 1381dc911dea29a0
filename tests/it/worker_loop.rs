//! The benchmark's worker limit loop (`bench/worker_loop.rs`) and the engine
//! simulate the same worker reference: they must agree on rejection,
//! overflow and over-admission, with the platform's sampling and reporting
//! and without (exact load), or the ratios `bench/run.sh --workers` reports
//! compare different things.

use regionsim::engine;
use regionsim::stats::RunStats;
use serde_json::json;

use crate::bare_loop::bare::workers;
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
    let mut set = vec![("run.horizon".to_string(), json!("200000s"))];
    if exact {
        for field in ["sample_interval", "report_interval"] {
            set.push((format!("deployments[*].workers.{field}"), json!(0)));
        }
    }
    let path = common::repo("scenarios/reference-3x100-workers.json");
    regionsim::scenario::load_with(&path, &set).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn worker_loop_and_engine_agree_on_the_worker_reference() {
    for exact in [false, true] {
        let world = reference(exact);
        let [sessions, overflow, rejected, over] = engine_counts(&engine::simulate(&world, 0, &()));
        let w = workers::run(world.run().horizon_s, world.run().seed, exact);
        // The loop does the engine's arithmetic in its order on its
        // streams, so today the counts coincide; the check allows any change
        // that keeps the model.
        for (what, x, y) in [
            ("overflow", overflow, w.overflow),
            ("rejection", rejected, w.rejected),
            ("over-admission", over, w.over_admitted),
        ] {
            let what = format!("{what} (exact load: {exact})");
            common::assert_rates_agree(&what, (x, sessions), (y, w.sessions));
        }
        if exact {
            assert_eq!(over, 0, "exact load never over-admits");
        } else {
            assert!(over > 0, "stale load over-admits in the reference");
        }
    }
}
