//! Charts of a run, each rendered in memory as SVG and as PNG (1200 x 800) with
//! `plotters` and a font bundled in the binary, so a fresh machine needs no font
//! set-up and the same run always gives the same bytes. Nothing here touches the
//! disk: the caller writes the returned bytes atomically.
//!
//! One file per chart, each exposing `draw` over any plotters backend; this file
//! holds what they share (font registration, palette, titles) and the rendering
//! of one chart to both formats.

mod cdf;
mod compare;
mod concurrency;
mod data;
mod deployments;
mod encode;
mod fit;
mod flows;
mod geo;
mod join;
pub mod labels;
mod legend;
mod markers;
mod overflow;
mod plan;
mod plan_hourly;
mod raster;
mod rtt;
mod style;
mod sweep;
mod ticks;
mod worker_join;
mod workers;
mod world_map;

use std::error::Error;
use std::io;
use std::panic::{self, AssertUnwindSafe};

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::experiment::Estimate;
use crate::model::World;
use style::HouseMesh;

pub use compare::render_compare;
pub(crate) use data::Ctx;
pub use data::{DASHED_POINTS, MAX_CURVES};
pub use fit::{fit_chart_title, render_fit};
pub use markers::MOST_MARKED;
pub use plan::render_plan;
pub use plan_hourly::render_plan_hourly;
pub use sweep::{all_zero, render_sweep};

/// Chart width in pixels (SVG user units).
pub const WIDTH: u32 = 1200;
/// Chart height in pixels.
pub const HEIGHT: u32 = 800;

/// Result of drawing one chart on one backend.
type Drawn = Result<(), Box<dyn Error + Send + Sync>>;

/// One chart of a run, in both formats.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem: the chart is written as `<stem>.png` and `<stem>.svg`.
    pub stem: String,
    /// What the chart shows (without the scenario heading).
    pub title: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG file.
    pub png: Vec<u8>,
}

/// Render every chart of a run.
pub fn render_all(world: &World, est: &Estimate) -> io::Result<Vec<Chart>> {
    style::register_font()?;
    let ctx = Ctx::new(world, est);
    macro_rules! chart {
        ($m:ident) => {
            render(
                $m::STEM,
                $m::TITLE,
                |a| $m::draw(a, &ctx),
                |a| $m::draw(a, &ctx),
            )
        };
    }
    let mut charts = vec![
        chart!(world_map)?,
        chart!(rtt)?,
        chart!(concurrency)?,
        chart!(overflow)?,
        chart!(flows)?,
        chart!(join)?,
    ];
    if deployments::applies(&ctx) {
        charts.insert(3, chart!(deployments)?);
    }
    if workers::applies(&ctx) {
        charts.push(chart!(workers)?);
    }
    if worker_join::applies(&ctx) {
        charts.push(chart!(worker_join)?);
    }
    Ok(charts)
}

/// Draw a chart on the SVG and the bitmap backend; plotters' own panics (it
/// asserts on some degenerate geometry) become errors rather than aborting a run
/// whose statistics are already computed.
fn render<S, P>(stem: &str, title: &str, svg_draw: S, png_draw: P) -> io::Result<Chart>
where
    S: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Drawn,
    P: FnOnce(&DrawingArea<raster::Raster<'_>, Shift>) -> Drawn,
{
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        io::Error::other(format!("cannot draw chart {stem} ({what}): {e}"))
    };
    let caught = panic::catch_unwind(AssertUnwindSafe(|| -> Result<Chart, io::Error> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| fail("svg", &e))?;
            svg_draw(&root).map_err(|e| fail("svg", &e))?;
            root.present().map_err(|e| fail("svg", &e))?;
        }
        // Kept until the reports are written, beside every other chart's:
        // without the spare room the string grew into.
        svg.shrink_to_fit();
        let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
        {
            let font =
                style::font().ok_or_else(|| fail("png", &"the bundled font cannot be read"))?;
            let bitmap = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT));
            let root = raster::Raster::new(bitmap, font).into_drawing_area();
            root.fill(&WHITE).map_err(|e| fail("png", &e))?;
            png_draw(&root).map_err(|e| fail("png", &e))?;
            root.present().map_err(|e| fail("png", &e))?;
        }
        let png = encode::png(&rgb, WIDTH, HEIGHT).map_err(|e| fail("png encoding", &e))?;
        Ok(Chart {
            stem: stem.to_string(),
            title: title.to_string(),
            svg,
            png,
        })
    }));
    caught.unwrap_or_else(|_| Err(fail("plotting", &"internal error")))
}

/// The mesh of a chart over simulated time: UTC clock labels, light grid.
fn time_axis<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    horizon_h: f64,
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    // Clock labels for a day or two; minutes for runs too short for them.
    let (minutes, clock) = (horizon_h < 3.0, horizon_h <= 48.0);
    let x_fmt = move |h: &f64| {
        if minutes {
            format!(
                "{:.prec$} min",
                h * 60.0,
                prec = usize::from(horizon_h < 1.0 / 6.0)
            )
        } else if clock {
            let m = (h * 60.0).round() as i64;
            format!("{:02}:{:02}", (m / 60) % 24, m % 60)
        } else {
            format!("{h:.0} h")
        }
    };
    chart
        .configure_mesh()
        .house()
        .x_desc(if minutes {
            "time since start (minutes, UTC midnight = 0)"
        } else if clock {
            "time of day (UTC)"
        } else {
            "time since start (hours, UTC midnight = 0)"
        })
        .y_desc(y_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(y_fmt)
        .x_labels(13)
        .y_labels(10)
        .draw()?;
    Ok(())
}
