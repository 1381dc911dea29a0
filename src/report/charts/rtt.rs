//! Chart: media RTT distribution per population, against the RTT target.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{self, CdfSpec};
use super::data::Ctx;
use super::Drawn;

/// File stem.
pub const STEM: &str = "media-rtt";
/// Title.
pub const TITLE: &str = "Media RTT distribution";

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let spec = CdfSpec {
        title: TITLE,
        quantity: "media RTT",
        target_ms: ctx.world.slo().media_rtt_ms,
        log_x: false,
        pick: |p| &p.rtt,
    };
    cdf::draw(root, ctx, &spec)
}
