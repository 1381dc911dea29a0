//! Chart: join latency (wait + dispatch + start-up) distribution per population,
//! on a log axis because warm joins take milliseconds and cold starts seconds.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cdf::{self, CdfSpec};
use super::data::Ctx;
use super::Drawn;

/// File stem.
pub const STEM: &str = "join-latency";
/// Title.
pub const TITLE: &str = "Join latency distribution";

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let spec = CdfSpec {
        title: TITLE,
        quantity: "join latency",
        target_ms: ctx.world.slo().join_latency_s * 1000.0,
        log_x: true,
        pick: |p| &p.join,
    };
    cdf::draw(root, ctx, &spec)
}
