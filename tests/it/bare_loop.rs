//! The benchmark's bare loop (`bench/bare_loop.rs`) and the engine simulate the
//! same reference model: they must agree on rejection and overflow, or the
//! speed ratio `bench/run.sh` reports compares different things.

#[path = "../../bench/bare_loop.rs"]
pub(crate) mod bare;

use regionsim::engine;

use crate::common;

#[test]
fn bare_loop_and_engine_agree_on_the_reference_model() {
    let mut world = common::world("scenarios/reference-3x100.json");
    world
        .edit_run(|r| r.horizon_s = 200_000.0)
        .expect("valid run settings");
    let stats = engine::simulate(&world, 0, &());
    let sum = |f: fn(&regionsim::stats::PopulationStats) -> u64| -> u64 {
        stats.populations.iter().map(f).sum()
    };
    let (sessions, overflow, rejected) = (
        sum(|p| p.sessions),
        sum(|p| p.overflow),
        sum(|p| p.rejected),
    );
    let b = bare::run(world.run().horizon_s, world.run().seed);
    // Same streams, so today the counts coincide; the check allows any change of
    // sampler that keeps the model, within 4 binomial standard errors.
    assert!(sessions.abs_diff(b.sessions) as f64 <= 4.0 * (sessions as f64).sqrt());
    for (what, x, y) in [
        ("overflow", overflow, b.overflow),
        ("rejection", rejected, b.rejected),
    ] {
        let (p, q) = (x as f64 / sessions as f64, y as f64 / b.sessions as f64);
        let pooled = (x + y) as f64 / (sessions + b.sessions) as f64;
        let se =
            (pooled * (1.0 - pooled) * (1.0 / sessions as f64 + 1.0 / b.sessions as f64)).sqrt();
        assert!(
            (p - q).abs() <= 4.0 * se,
            "{what}: engine {p:.5} vs bare {q:.5} (se {se:.5})"
        );
    }
}
