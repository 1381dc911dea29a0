//! What a legend must not cover: the drawn lines (their segments, not only
//! their points) and boxes of a chart, in backend pixels, and the test of a
//! legend's box against them.

use plotters::prelude::*;

use super::{Plot, CLEAR};
use crate::report::charts::labels::Rect;

/// What the legend must not cover, in backend pixels: polylines (data, target
/// lines, markers) and boxes (labels, scatter points with their radius).
#[derive(Debug, Default)]
pub struct Keepout {
    lines: Vec<Vec<(i32, i32)>>,
    boxes: Vec<Rect>,
}

impl Keepout {
    /// A line through data points of `chart` (points outside the plot are
    /// clipped to its edges, as drawing clips them).
    pub fn line<DB: DrawingBackend>(
        &mut self,
        chart: &Plot<'_, DB>,
        pts: impl IntoIterator<Item = (f64, f64)>,
    ) {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let clip =
            |(x, y): (i32, i32)| (x.clamp(xr.start, xr.end - 1), y.clamp(yr.start, yr.end - 1));
        let px: Vec<(i32, i32)> = pts
            .into_iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(|p| clip(chart.backend_coord(&p)))
            .collect();
        if !px.is_empty() {
            self.lines.push(px);
        }
    }

    /// Points of `chart` drawn as markers of radius `r` pixels.
    pub fn points<DB: DrawingBackend>(
        &mut self,
        chart: &Plot<'_, DB>,
        pts: impl IntoIterator<Item = (f64, f64)>,
        r: i32,
    ) {
        for p in pts {
            let (x, y) = chart.backend_coord(&p);
            self.boxes.push((x - r, y - r, x + r, y + r));
        }
    }

    /// A filled area under a line already in backend pixels down to the
    /// pixel row `base`: what is under the line is covered too.
    pub fn area(&mut self, px: &[(i32, i32)], base: i32) {
        self.lines.push(px.to_vec());
        for &(x, y) in px {
            self.lines.push(vec![(x, y), (x, base)]);
        }
    }

    /// A box in backend pixels (a label).
    pub fn rect(&mut self, r: Rect) {
        self.boxes.push(r);
    }

    /// Whether `r` is clear of everything kept out.
    pub(super) fn clear(&self, r: Rect) -> bool {
        let r = (r.0 - CLEAR, r.1 - CLEAR, r.2 + CLEAR, r.3 + CLEAR);
        let overlaps = |b: &Rect| r.0 < b.2 && b.0 < r.2 && r.1 < b.3 && b.1 < r.3;
        !self.boxes.iter().any(overlaps)
            && !self.lines.iter().any(|l| {
                l.iter().any(|&p| inside(p, r)) || l.windows(2).any(|w| segment_hits(w[0], w[1], r))
            })
    }
}

fn inside((x, y): (i32, i32), r: Rect) -> bool {
    x >= r.0 && x <= r.2 && y >= r.1 && y <= r.3
}

/// Whether the segment a-b meets the rectangle (Liang-Barsky clipping).
fn segment_hits(a: (i32, i32), b: (i32, i32), r: Rect) -> bool {
    let (x0, y0) = (f64::from(a.0), f64::from(a.1));
    let (dx, dy) = (f64::from(b.0) - x0, f64::from(b.1) - y0);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let edges = [
        (-dx, x0 - f64::from(r.0)),
        (dx, f64::from(r.2) - x0),
        (-dy, y0 - f64::from(r.1)),
        (dy, f64::from(r.3) - y0),
    ];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_meet_boxes_they_cross_without_a_point_inside() {
        let r = (10, 10, 20, 20);
        assert!(segment_hits((0, 15), (30, 15), r));
        assert!(segment_hits((15, 0), (15, 30), r));
        assert!(!segment_hits((0, 0), (30, 5), r));
        assert!(!segment_hits((0, 25), (30, 25), r));
        assert!(segment_hits((12, 12), (13, 13), r));
    }
}
