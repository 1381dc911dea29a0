//! Chart: the flow matrix, population x serving region, each cell the share of
//! the population's served sessions, home cells outlined; a last column gives the
//! share of sessions lost (rejected or abandoned).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::Ctx;
use super::style::{anchored, empty, heading, INK, MUTED};
use super::Drawn;

/// File stem.
pub const STEM: &str = "flows";
/// Title.
pub const TITLE: &str = "Flow matrix: who serves whom";

const SERVED: RGBColor = RGBColor(33, 102, 172);
const LOST: RGBColor = RGBColor(190, 30, 45);
/// Losing a quarter of arrivals is already a failed plan: the red scale saturates there.
const LOST_FULL: f64 = 0.25;

/// Rows and columns beyond these would not be readable at 1200 x 800.
const MAX_ROWS: usize = 30;
const MAX_COLS: usize = 12;

/// White to `c` by `v` in [0, 1].
fn shade(c: RGBColor, v: f64) -> RGBColor {
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8| (255.0 - (255.0 - f64::from(a)) * v).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

fn cell_text(v: f64) -> String {
    if !v.is_finite() || v <= 0.0 {
        "·".into()
    } else if v < 0.001 {
        "<0.1 %".into()
    } else {
        format!("{:.1} %", v * 100.0)
    }
}

/// Where the matrix sits: its left edge and top, a cell's size, the cell
/// font, and how many rows and columns are shown.
struct Grid {
    x0: i32,
    top: i32,
    cell_w: i32,
    cell_h: i32,
    font: u32,
    cols: usize,
}

/// Draw the chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx) -> Drawn
where
    DB::ErrorType: 'static,
{
    let note = "Share of each population's served sessions by serving region (outlined: home). Lost: share of arrivals rejected or abandoned (full red at 25 %).";
    let area = heading(root, &ctx.heading, TITLE, note)?;
    let w = ctx.world;
    let regions = &ctx.regions[..ctx.regions.len().min(MAX_COLS)];
    let (cols, rows) = (regions.len(), w.populations().len().min(MAX_ROWS));
    if cols == 0 || rows == 0 {
        return empty(
            &area,
            "No populations or no serving regions: nothing to plot.",
        );
    }
    let (aw, ah) = area.dim_in_pixel();
    let (aw, ah) = (aw as i32, ah as i32);
    let label_w = 60
        + 10 * w
            .populations()
            .iter()
            .map(|p| p.name.chars().count())
            .max()
            .unwrap_or(8)
            .min(24) as i32;
    let (top, bottom, right) = (70, 20, 150);
    let cell_w = ((aw - label_w - right - 20) / (cols as i32 + 1)).clamp(40, 190);
    let cell_h = ((ah - top - bottom) / rows as i32).clamp(8, 56);
    let g = Grid {
        x0: label_w + ((aw - label_w - right - cell_w * (cols as i32 + 1)) / 2).max(0),
        top,
        cell_w,
        cell_h,
        font: (cell_h * 11 / 20).clamp(9, 18) as u32,
        cols,
    };
    heads(&area, ctx, regions, &g)?;
    if w.populations().len() > rows || ctx.regions.len() > cols {
        area.draw(&Text::new(
            format!(
                "Showing {rows} of {} populations and {cols} of {} regions; summary.md lists every flow.",
                w.populations().len(),
                ctx.regions.len()
            ),
            (aw / 2, ah - 4),
            anchored(14, MUTED, HPos::Center, VPos::Bottom),
        ))?;
    }
    for i in 0..rows {
        row(&area, ctx, regions, &g, i)?;
    }
    scale(
        &area,
        (aw - right + 40, top, (cell_h * rows as i32).min(400)),
    )
}

/// Column heads: each region's id and name, then the lost column's.
fn heads<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    regions: &[usize],
    g: &Grid,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let top = g.top;
    for (j, &r) in regions.iter().enumerate() {
        let cx = g.x0 + g.cell_w * j as i32 + g.cell_w / 2;
        let region = &ctx.world.regions()[r];
        area.draw(&Text::new(
            region.id.clone(),
            (cx, top - 44),
            anchored(18, INK, HPos::Center, VPos::Top),
        ))?;
        area.draw(&Text::new(
            region.name.clone(),
            (cx, top - 22),
            anchored(14, MUTED, HPos::Center, VPos::Top),
        ))?;
    }
    let lx = g.x0 + g.cell_w * g.cols as i32 + g.cell_w / 2;
    area.draw(&Text::new(
        "lost",
        (lx, top - 44),
        anchored(18, INK, HPos::Center, VPos::Top),
    ))?;
    area.draw(&Text::new(
        "rejected + abandoned",
        (lx, top - 22),
        anchored(13, MUTED, HPos::Center, VPos::Top),
    ))?;
    Ok(())
}

/// Population `i`'s row: its name, its share served by each region (home
/// outlined), and its share lost.
fn row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ctx: &Ctx,
    regions: &[usize],
    g: &Grid,
    i: usize,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (x0, cell_w, cell_h, font) = (g.x0, g.cell_w, g.cell_h, g.font);
    let pop = &ctx.world.populations()[i];
    let y = g.top + cell_h * i as i32;
    let Some(ps) = ctx.est.point.populations.get(i) else {
        return Ok(());
    };
    area.draw(&Text::new(
        pop.name.clone(),
        (x0 - 12, y + cell_h / 2),
        anchored(font.max(12), INK, HPos::Right, VPos::Center),
    ))?;
    let home = pop.cities.first().and_then(|&c| ctx.home_region(i, c));
    let lost = ps.rejection_rate + ps.abandonment_rate;
    let cells = regions
        .iter()
        .map(|&r| {
            let v = ps.served_by.get(r).copied().unwrap_or(0.0);
            (v, v, SERVED, home == Some(r))
        })
        .chain(std::iter::once((lost, lost / LOST_FULL, LOST, false)));
    for (j, (v, depth, c, is_home)) in cells.enumerate() {
        let x = x0 + cell_w * j as i32;
        let fill = shade(c, depth);
        area.draw(&Rectangle::new(
            [(x, y), (x + cell_w, y + cell_h)],
            fill.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, y), (x + cell_w, y + cell_h)],
            WHITE.stroke_width(1),
        ))?;
        if is_home {
            area.draw(&Rectangle::new(
                [(x + 2, y + 2), (x + cell_w - 2, y + cell_h - 2)],
                INK.stroke_width(2),
            ))?;
        }
        let ink = if depth > 0.55 { WHITE } else { INK };
        area.draw(&Text::new(
            cell_text(v),
            (x + cell_w / 2, y + cell_h / 2),
            anchored(font, ink, HPos::Center, VPos::Center),
        ))?;
    }
    Ok(())
}

/// The colour scale at `(bx, by)`, `bh` pixels high.
fn scale<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, (bx, by, bh): (i32, i32, i32)) -> Drawn
where
    DB::ErrorType: 'static,
{
    area.draw(&Text::new(
        "served share",
        (bx + 11, by - 22),
        anchored(14, MUTED, HPos::Center, VPos::Top),
    ))?;
    for k in 0..bh {
        let v = 1.0 - f64::from(k) / f64::from(bh.max(1));
        area.draw(&Rectangle::new(
            [(bx, by + k), (bx + 22, by + k + 1)],
            shade(SERVED, v).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(bx, by), (bx + 22, by + bh)],
        MUTED.stroke_width(1),
    ))?;
    for (v, label) in [(1.0, "100 %"), (0.5, "50 %"), (0.0, "0 %")] {
        let y = by + (f64::from(bh) * (1.0 - v)) as i32;
        area.draw(&Text::new(
            label,
            (bx + 28, y),
            anchored(14, INK, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}
