//! Legend swatches: what a legend entry's drawn key stands for (a line of a
//! width and dash, a point, an area), whether a series is drawn that way, and
//! how far apart two colours are.

use super::svg::{Kind, Shape};
use super::KEY;

fn rgb(c: &str) -> (f64, f64, f64) {
    let h = |i: usize| f64::from(u8::from_str_radix(&c[i..i + 2], 16).unwrap_or(0));
    (h(1), h(3), h(5))
}

pub(super) fn distance(a: &str, b: &str) -> f64 {
    let (x, y) = (rgb(a), rgb(b));
    ((x.0 - y.0).powi(2) + (x.1 - y.1).powi(2) + (x.2 - y.2).powi(2)).sqrt()
}

/// What a legend swatch shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Swatch {
    Solid {
        color: String,
        width: f64,
    },
    Dashed {
        color: String,
        width: f64,
        dash: f64,
    },
    Area {
        color: String,
    },
    Dot {
        color: String,
    },
    Cross {
        color: String,
    },
}

impl Swatch {
    pub(super) fn color(&self) -> &str {
        match self {
            Self::Solid { color, .. }
            | Self::Dashed { color, .. }
            | Self::Area { color }
            | Self::Dot { color }
            | Self::Cross { color } => color,
        }
    }

    /// Lines (solid or dashed) are one kind: they must differ in colour.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Self::Solid { .. } | Self::Dashed { .. } => "line",
            Self::Area { .. } => "area",
            Self::Dot { .. } => "dot",
            Self::Cross { .. } => "cross",
        }
    }
}

/// The swatch drawn left of a legend label.
pub(super) fn swatch(parts: &[&Shape]) -> Option<Swatch> {
    let lines: Vec<&&Shape> = parts.iter().filter(|s| s.kind == Kind::Line).collect();
    if let Some(s) = parts.iter().find(|s| s.kind == Kind::Circle) {
        return Some(Swatch::Dot {
            color: s.color.clone(),
        });
    }
    if let Some(s) = parts.iter().find(|s| s.kind == Kind::Rect && s.filled) {
        return Some(Swatch::Area {
            color: s.color.clone(),
        });
    }
    let first = lines.first()?;
    let diagonal = lines
        .iter()
        .filter(|s| {
            s.pts
                .windows(2)
                .any(|w| w[0].0 != w[1].0 && w[0].1 != w[1].1)
        })
        .count();
    if diagonal >= 2 {
        return Some(Swatch::Cross {
            color: first.color.clone(),
        });
    }
    let mut pieces: Vec<&&Shape> = lines.clone();
    pieces.sort_by(|a, b| a.bbox().0.total_cmp(&b.bbox().0));
    if pieces.len() >= 2 {
        Some(Swatch::Dashed {
            color: first.color.clone(),
            width: first.width,
            dash: pieces[0].length(),
        })
    } else {
        Some(Swatch::Solid {
            color: first.color.clone(),
            width: first.width,
        })
    }
}

/// Whether some series outside the legends is drawn as `sw` says.
pub(super) fn drawn_as(sw: &Swatch, series: &[&Shape]) -> bool {
    let same = |c: &str| sw.color() == KEY || c == sw.color();
    match sw {
        Swatch::Solid { width, .. } => series.iter().any(|s| {
            s.kind == Kind::Line && same(&s.color) && s.width == *width && s.length() > 30.0
        }),
        Swatch::Dashed { width, dash, .. } => {
            let pieces = series
                .iter()
                .filter(|s| {
                    s.kind == Kind::Line
                        && same(&s.color)
                        && s.width == *width
                        && (s.length() - dash).abs() <= 2.5
                })
                .count();
            pieces >= 3
        }
        Swatch::Area { color } => series
            .iter()
            .any(|s| s.kind == Kind::Polygon && &s.color == color),
        Swatch::Dot { color } => series
            .iter()
            .any(|s| s.kind == Kind::Circle && s.filled && &s.color == color),
        Swatch::Cross { color } => {
            series
                .iter()
                .filter(|s| {
                    s.kind == Kind::Line
                        && &s.color == color
                        && s.pts
                            .windows(2)
                            .any(|w| w[0].0 != w[1].0 && w[0].1 != w[1].1)
                })
                .count()
                >= 2
        }
    }
}
