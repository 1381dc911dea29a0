//! Tick labels: no trailing zeros or exponents, and on a logarithmic axis
//! round values only.

use std::collections::BTreeMap;

use super::svg::Text;

/// A tick label's value: a number with an optional unit (`ms`, `s`, `%`), the
/// unit folded in so that ms and s labels of one axis compare.
fn tick_value(t: &str) -> Option<f64> {
    let (n, scale) = if let Some(n) = t.strip_suffix(" ms") {
        (n, 1e-3)
    } else if let Some(n) = t.strip_suffix(" s") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix(" %") {
        (n, 1.0)
    } else {
        (t, 1.0)
    };
    let ok = !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+'));
    let v: f64 = if ok { n.parse().ok()? } else { return None };
    Some(v * scale)
}

/// R² of a least-squares line through (x, y).
fn r2(xy: &[(f64, f64)]) -> f64 {
    let n = xy.len() as f64;
    let (mx, my) = (
        xy.iter().map(|p| p.0).sum::<f64>() / n,
        xy.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (sxy, sxx, syy) = xy.iter().fold((0.0, 0.0, 0.0), |a, p| {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        (a.0 + dx * dy, a.1 + dx * dx, a.2 + dy * dy)
    });
    if sxx == 0.0 || syy == 0.0 {
        return 0.0;
    }
    sxy * sxy / (sxx * syy)
}

/// Tick groups: three or more numeric texts on one line (x axis: same top,
/// y axis: same right or left edge).
pub(super) fn tick_problems(texts: &[Text]) -> Vec<String> {
    let mut groups: BTreeMap<(char, i64), Vec<(&Text, f64)>> = BTreeMap::new();
    // Axis labels are set at 17 px (15 px in the comparison's panels).
    let tick_size = |f: f64| (f - 17.0 / 1.24).abs() < 0.01 || (f - 15.0 / 1.24).abs() < 0.01;
    for t in texts.iter().filter(|t| tick_size(t.font)) {
        let c = ((t.rect.0 + t.rect.2) / 2.0, (t.rect.1 + t.rect.3) / 2.0);
        groups
            .entry(('x', t.rect.1.round() as i64))
            .or_default()
            .push((t, c.0));
        groups
            .entry(('r', t.rect.2.round() as i64))
            .or_default()
            .push((t, c.1));
        groups
            .entry(('l', t.rect.0.round() as i64))
            .or_default()
            .push((t, c.1));
    }
    let mut out = Vec::new();
    for (_, members) in groups {
        if members.len() < 3 {
            continue;
        }
        let values: Option<Vec<(f64, f64)>> = members
            .iter()
            .map(|(t, pos)| tick_value(&t.content).map(|v| (*pos, v)))
            .collect();
        let Some(values) = values else { continue };
        for (t, _) in &members {
            let number = t.content.split(' ').next().unwrap_or("");
            if number.contains(['e', 'E']) {
                out.push(format!("tick `{}` in exponent notation", t.content));
            }
            if number.contains('.') && number.ends_with('0') {
                out.push(format!("tick `{}` with a trailing zero", t.content));
            }
        }
        let positive = values.iter().all(|v| v.1 > 0.0);
        if positive && values.len() >= 3 {
            let log: Vec<(f64, f64)> = values.iter().map(|v| (v.0, v.1.log10())).collect();
            let (rl, rg) = (r2(&values), r2(&log));
            if rg > 0.999 && rg > rl {
                for (t, _) in &members {
                    let v = tick_value(&t.content).unwrap_or(1.0);
                    let m = v / 10f64.powf(v.log10().floor());
                    let round = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0]
                        .iter()
                        .any(|r| (m - r).abs() < 1e-6 * r);
                    if !round {
                        out.push(format!(
                            "log-axis tick `{}` not at a round value",
                            t.content
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
