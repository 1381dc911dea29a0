//! Ticks of logarithmic axes, drawn by hand: plotters' own ticks on a log10
//! axis fall at round log values (398 ms, 631 ms), so these charts plot log10
//! values on a linear axis and put grid lines and labels at round values
//! instead: 1, 2 and 5 times a power of ten (1, 1.5, 2, 3, 5 and 7 on axes
//! spanning less than a decade and a half, powers of ten alone beyond four).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::Plot;
use super::style::{anchored, INK};
use super::Drawn;

/// Grid line colour, as plotters' mesh draws it.
const GRID: RGBColor = RGBColor(215, 215, 215);

/// Round values (as log10) between `lo` and `hi` (log10 units).
pub fn log_values(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    let steps: &[f64] = if span < 1.5 {
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0]
    } else if span <= 4.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut out = Vec::new();
    let mut k = lo.floor() as i32;
    while f64::from(k) <= hi {
        for &m in steps {
            let v = f64::from(k) + m.log10();
            if v >= lo - 1e-9 && v <= hi + 1e-9 {
                out.push(v);
            }
        }
        k += 1;
    }
    out
}

/// Vertical grid lines and labels under the axis at round values of a log x
/// axis running over `x` (log10), labelled by `fmt` of the value itself.
pub fn log_x<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Plot<'_, DB>,
    x: (f64, f64),
    y: (f64, f64),
    fmt: &dyn Fn(f64) -> String,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (ox, oy) = area.get_base_pixel();
    for v in log_values(x.0, x.1) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(v, y.0), (v, y.1)],
            GRID.stroke_width(1),
        )))?;
        let (px, py) = chart.backend_coord(&(v, y.0));
        area.draw(&Text::new(
            fmt(10f64.powf(v)),
            (px - ox, py - oy + 8),
            anchored(17, INK, HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

/// Horizontal grid lines and labels left of the axis at round values of a
/// log y axis running over `y` (log10).
pub fn log_y<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Plot<'_, DB>,
    x: (f64, f64),
    y: (f64, f64),
    fmt: &dyn Fn(f64) -> String,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let (ox, oy) = area.get_base_pixel();
    for v in log_values(y.0, y.1) {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x.0, v), (x.1, v)],
            GRID.stroke_width(1),
        )))?;
        let (px, py) = chart.backend_coord(&(x.0, v));
        area.draw(&Text::new(
            fmt(10f64.powf(v)),
            (px - ox - 10, py - oy),
            anchored(17, INK, HPos::Right, VPos::Center),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_fall_on_round_values() {
        let v: Vec<f64> = log_values(2.4, 4.4)
            .into_iter()
            .map(|v| (10f64.powf(v) * 1e6).round() / 1e6)
            .collect();
        assert_eq!(v, [500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0]);
        assert_eq!(log_values(-6.0, 0.0).len(), 7);
        assert_eq!(log_values(2.5, 3.2).len(), 4);
    }
}
