//! Range rules that keep a valid scenario computable: capacity totals that fit
//! the engine's counters, a horizon within the clock's resolution, and arrival
//! rates whose daily integral is a finite number.

use super::limits::MAX_HORIZON_S;
use super::raw::RawRate;
use super::validate::{err, R};
use crate::model::rate::DAY_S;
use crate::model::Deployment;

/// The capacities of all deployments together fit a 32-bit count, so every
/// per-region total does too.
pub fn capacity_total(deps: &[Deployment]) -> R<()> {
    let total: u64 = deps.iter().map(|d| u64::from(d.capacity)).sum();
    if total > u64::from(u32::MAX) {
        let at = deps.len() - 1;
        return err(
            format!("deployments[{at}].capacity"),
            format!(
                "the capacities add up to {total}; all deployments together may hold at most {} sessions",
                u32::MAX
            ),
        );
    }
    Ok(())
}

/// A horizon in (0, [`MAX_HORIZON_S`]].
pub fn horizon(path: &str, h: f64) -> R<()> {
    if !(h > 0.0 && h <= MAX_HORIZON_S) {
        return err(
            path,
            format!("must be > 0 and at most {MAX_HORIZON_S:e} s (about 100 years), got {h} s"),
        );
    }
    Ok(())
}

/// The peak rate times the largest hourly multiplier, over a day, is finite.
pub fn rate(pop_path: &str, raw: &RawRate, peak_per_s: f64, profile: &[f64]) -> R<()> {
    let top = profile.iter().copied().fold(0.0, f64::max);
    if !(peak_per_s * top * DAY_S).is_finite() {
        let field = if raw.peak_per_hour.is_some() {
            "peak_per_hour"
        } else {
            "peak_per_s"
        };
        return err(
            format!("{pop_path}.rate.{field}"),
            "is too large: the arrivals of a day would not be a finite number",
        );
    }
    Ok(())
}
