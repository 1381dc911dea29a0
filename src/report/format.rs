//! How a number is printed for people, by its unit: one place so every table
//! (Markdown, HTML, comparisons, sweeps) shows a metric the same way.

use crate::stats::Unit;

/// Scale, decimals and suffix of a unit's values.
fn style(unit: Unit) -> (f64, usize, &'static str) {
    match unit {
        Unit::Share => (100.0, 2, " %"),
        Unit::Ms => (1.0, 1, ""),
        Unit::Count | Unit::Slots | Unit::SlotsSquared | Unit::Hours => (1.0, 1, ""),
        Unit::Workers | Unit::Load => (1.0, 2, ""),
    }
}

/// A point estimate with its half-width when there is one; `–` for no value.
pub fn estimate(unit: Unit, v: f64, hw: Option<f64>) -> String {
    let (scale, digits, suffix) = style(unit);
    if v.is_nan() {
        return "–".into();
    }
    match hw {
        Some(h) if h.is_finite() => {
            format!("{:.digits$} ± {:.digits$}{suffix}", v * scale, h * scale)
        }
        _ => format!("{:.digits$}{suffix}", v * scale),
    }
}

/// A difference of two estimates: shares in percentage points, not percent.
pub fn difference(unit: Unit, v: f64, hw: Option<f64>) -> String {
    match unit {
        Unit::Share => estimate(unit, v, hw).replace(" %", " pp"),
        _ => estimate(unit, v, hw),
    }
}

/// A unit's name for a column heading ("" when the figure speaks for itself).
pub fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Share => "%",
        Unit::Ms => "ms",
        Unit::Count => "sessions",
        Unit::Slots => "slots",
        Unit::SlotsSquared => "slots²",
        Unit::Hours => "h",
        Unit::Workers => "workers",
        Unit::Load => "load",
    }
}

/// A percentage of a share with one decimal (flow matrices).
pub fn percent1(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// A share as a percentage with two decimals (`12.34 %`).
pub fn pct(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}
