//! Replications with the first one's sessions handed to a sink (`run
//! --sessions`): the same replications, in the same order, with the same
//! results as [`super::replicate`]; only replication 0 also reports each
//! session as it is decided.

use std::sync::Mutex;

use super::{batched, replicated, Accumulator, Cancelled, Estimate};
use crate::engine::policy::AnyPolicy;
use crate::engine::record::SessionSink;
use crate::engine::{simulate_recorded, simulate_with, Progress};
use crate::model::World;

/// [`super::replicate`], recording replication 0's sessions into `sink`.
pub fn replicate_recorded(
    world: &World,
    progress: &dyn Progress,
    sink: &mut (dyn SessionSink + Send),
) -> Result<Estimate, Cancelled> {
    let sink = Mutex::new(sink);
    let mut acc = Accumulator::default();
    batched(
        0..world.run().replications,
        progress,
        |rep| {
            let policy = AnyPolicy::from_spec(world, world.policy());
            let stats = if rep == 0 {
                let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                simulate_recorded(world, policy, rep, progress, &mut **s)
            } else {
                simulate_with(world, policy, rep, progress)
            };
            replicated(stats)
        },
        |r| acc.push(r),
    )?;
    Ok(acc.finish(world.run().confidence))
}
