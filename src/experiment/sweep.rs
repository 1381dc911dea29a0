//! Parameter sweeps: each grid point is a world (built by the caller, who knows
//! how to set scenario fields) replicated on its own; points run one after the
//! other, each using every thread, and each is handed back as soon as it is done
//! so finished points survive an interruption.

use super::{replicate, Cancelled};
use crate::engine::Progress;
use crate::model::World;
use crate::stats::Summary;

/// One finished grid point.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// (scenario path, value) settings of this point.
    pub settings: Vec<(String, serde_json::Value)>,
    /// Point estimates.
    pub point: Summary,
    /// Confidence half-widths (None with one replication).
    pub half_width: Option<Summary>,
}

/// Replicate every point in order, calling `done` after each.
pub fn sweep(
    points: impl IntoIterator<Item = (Vec<(String, serde_json::Value)>, World)>,
    progress: &dyn Progress,
    mut done: impl FnMut(&World, &SweepPoint),
) -> Result<Vec<SweepPoint>, Cancelled> {
    let mut out = Vec::new();
    for (settings, world) in points {
        let est = replicate(&world, progress)?;
        let p = SweepPoint {
            settings,
            point: est.point,
            half_width: est.half_width,
        };
        done(&world, &p);
        out.push(p);
    }
    Ok(out)
}
