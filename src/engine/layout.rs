//! The statistics' layout of a world: the sizes, windows and targets the
//! streaming statistics need before the first event, derived once per run.

use crate::model::World;
use crate::stats::Layout;

/// The layout `world`'s statistics are kept in.
pub fn of(world: &World) -> Layout {
    Layout {
        populations: world.populations().len(),
        regions: world.regions().len(),
        warmup_s: world.run().warmup_s,
        horizon_s: world.run().horizon_s,
        bin_s: world.run().bin_s,
        population_series: world.run().population_series,
        slo_rtt_ms: world.slo().media_rtt_ms,
        slo_join_ms: world.slo().join_latency_s * 1000.0,
        event_windows: world.timeline().iter().map(|e| (e.at_s, e.end_s)).collect(),
        deployment_lanes: if deployment_lanes(world) {
            world.deployments().len()
        } else {
            0
        },
        true_load_seen: world
            .deployments()
            .iter()
            .filter_map(|d| d.workers.as_ref())
            .map(|w| w.measure.sample_interval_s == 0.0 && w.measure.report_interval_s == 0.0)
            .collect(),
    }
}

/// Whether deployments get time-series lanes of their own: when supply changes
/// in time or a region holds several deployments (otherwise a region's lane
/// says it all, and the hot path skips the extra bookkeeping).
fn deployment_lanes(world: &World) -> bool {
    let mut seen = vec![false; world.regions().len()];
    !world.timeline().is_empty()
        || world
            .deployments()
            .iter()
            .any(|d| std::mem::replace(&mut seen[d.region], true))
}
