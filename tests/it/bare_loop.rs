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
    // sampler that keeps the model.
    common::assert_rates_agree("overflow", (overflow, sessions), (b.overflow, b.sessions));
    common::assert_rates_agree("rejection", (rejected, sessions), (b.rejected, b.sessions));
}
