//! A lint over the SVG of every chart a user gets from the shipped scenarios, a
//! plan, an hourly plan and a sweep: what makes a chart hard to read, checked
//! on the drawn elements themselves.
//!
//! - no text outside the canvas, no two texts overlapping (boxes estimated from
//!   the font size and DejaVu Sans' advance widths, at the size the PNG draws);
//! - no legend box over a drawn data line, point or area, or over a label;
//! - each legend swatch drawn in its series' colour, width and dash (a dashed
//!   swatch stands for a series drawn in dashes of that length, a solid one
//!   for a solid series, a dot for scatter points, an area for a filled area;
//!   a swatch in the neutral key colour explains a line style and matches a
//!   series of any colour drawn that way);
//! - legend entries of one kind in colours far apart;
//! - tick labels without trailing zeros or exponents, and on logarithmic
//!   axes at round values (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8 times a power of ten).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use crate::common::repo;

/// The legend frame's colour (`charts::legend::FRAME`) and the key colour of
/// line-style entries (`charts::legend::KEY`).
const FRAME: &str = "#A0A0A0";
const KEY: &str = "#555555";
/// Secondary text and frames (`charts::style::MUTED`).
const MUTED: &str = "#6E6E6E";
/// Colours of chart furniture, never data: background, axes, grid.
const FURNITURE: [&str; 4] = ["#FFFFFF", "#000000", "#D7D7D7", "#E1E1E1"];

type Rect = (f64, f64, f64, f64);

#[derive(Debug)]
struct Text {
    content: String,
    rect: Rect,
    font: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Line,
    Polygon,
    Circle,
    Rect,
}

#[derive(Debug, Clone)]
struct Shape {
    kind: Kind,
    pts: Vec<(f64, f64)>,
    color: String,
    width: f64,
    /// Circle radius, rectangle width and height.
    size: (f64, f64),
    filled: bool,
}

impl Shape {
    fn bbox(&self) -> Rect {
        let (r, _) = self.size;
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in &self.pts {
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
        match self.kind {
            Kind::Circle => (b.0 - r, b.1 - r, b.2 + r, b.3 + r),
            Kind::Rect => (b.0, b.1, b.0 + self.size.0, b.1 + self.size.1),
            _ => b,
        }
    }

    fn length(&self) -> f64 {
        self.pts
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
            .sum()
    }
}

/// DejaVu Sans advance widths (font units of 2048 per em) of the characters
/// charts use; others count as a digit.
fn advance(c: char) -> f64 {
    match c {
        ' ' => 651.0,
        'i' | 'j' | 'l' => 569.0,
        'f' => 721.0,
        't' => 803.0,
        'r' => 842.0,
        's' => 1067.0,
        'c' | 'z' | 'k' | 'v' | 'x' | 'y' => 1100.0,
        'm' => 1995.0,
        'w' => 1675.0,
        'a'..='z' => 1260.0,
        'I' => 604.0,
        'M' | 'W' => 1800.0,
        'A'..='Z' => 1450.0,
        '0'..='9' => 1303.0,
        '.' | ',' | ':' | ';' | '\'' | '·' => 651.0,
        '(' | ')' | '[' | ']' => 799.0,
        '-' => 739.0,
        '_' => 1024.0,
        '%' => 1946.0,
        '@' => 2048.0,
        '—' => 2048.0,
        '–' => 1024.0,
        '/' => 690.0,
        _ => 1303.0,
    }
}

/// Scale from the SVG's font-size to the PNG's glyphs, which the bitmap draws
/// at size x 1.24 with DejaVu's 2384-unit ascent-to-descent: the PNG's text is
/// the wider one, so boxes are estimated at its size.
const PNG_SCALE: f64 = 1.24 * 2048.0 / 2384.0;

fn text_width(s: &str, font: f64) -> f64 {
    s.chars().map(advance).sum::<f64>() / 2048.0 * font * PNG_SCALE
}

fn attr<'a>(n: &roxmltree::Node<'a, 'a>, k: &str) -> Option<&'a str> {
    n.attribute(k)
}

fn num(n: &roxmltree::Node, k: &str) -> f64 {
    attr(n, k).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn points(s: &str) -> Vec<(f64, f64)> {
    s.split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// A text's box: from its anchor, `text-anchor`, the `dy` plotters writes for
/// top, centre and bottom anchoring, and its rotation.
fn text_box(n: &roxmltree::Node, content: &str) -> Rect {
    let (x, y, f) = (num(n, "x"), num(n, "y"), num(n, "font-size"));
    let w = text_width(content, f);
    let em = f * PNG_SCALE;
    let baseline = match attr(n, "dy") {
        Some("0.76em") => 0.76 * f,
        Some("0.5ex") => 0.27 * f,
        Some("-0.5ex") => -0.27 * f,
        _ => 0.0,
    };
    let (l, r) = match attr(n, "text-anchor") {
        Some("middle") => (-w / 2.0, w / 2.0),
        Some("end") => (-w, 0.0),
        _ => (0.0, w),
    };
    let (t, b) = (baseline - 0.78 * em, baseline + 0.22 * em);
    let rotated = attr(n, "transform").unwrap_or("");
    let (l, t, r, b) = if rotated.starts_with("rotate(270") {
        (t, -r, b, -l)
    } else if rotated.starts_with("rotate(90") {
        (-b, l, -t, r)
    } else {
        (l, t, r, b)
    };
    (x + l, y + t, x + r, y + b)
}

struct Svg {
    size: (f64, f64),
    texts: Vec<Text>,
    shapes: Vec<Shape>,
}

fn parse(svg: &str) -> Svg {
    let doc = roxmltree::Document::parse(svg).expect("the SVG parses");
    let root = doc.root_element();
    let size = (num(&root, "width"), num(&root, "height"));
    let (mut texts, mut shapes) = (Vec::new(), Vec::new());
    for n in root.descendants().filter(|n| n.is_element()) {
        let stroke = attr(&n, "stroke").filter(|s| *s != "none");
        let fill = attr(&n, "fill").filter(|s| *s != "none");
        let width = num(&n, "stroke-width");
        let shape = |kind, pts, size, filled: bool| {
            let color = if filled { fill } else { stroke };
            color.map(|c| Shape {
                kind,
                pts,
                color: c.to_string(),
                width,
                size,
                filled,
            })
        };
        let s = match n.tag_name().name() {
            "text" => {
                let content = n.text().unwrap_or("").trim().to_string();
                if !content.is_empty() {
                    let rect = text_box(&n, &content);
                    texts.push(Text {
                        content,
                        rect,
                        font: num(&n, "font-size"),
                    });
                }
                None
            }
            "line" => shape(
                Kind::Line,
                vec![
                    (num(&n, "x1"), num(&n, "y1")),
                    (num(&n, "x2"), num(&n, "y2")),
                ],
                (0.0, 0.0),
                false,
            ),
            "polyline" => shape(
                Kind::Line,
                points(attr(&n, "points").unwrap_or("")),
                (0.0, 0.0),
                false,
            ),
            "polygon" => shape(
                Kind::Polygon,
                points(attr(&n, "points").unwrap_or("")),
                (0.0, 0.0),
                true,
            ),
            "circle" => shape(
                Kind::Circle,
                vec![(num(&n, "cx"), num(&n, "cy"))],
                (num(&n, "r"), 0.0),
                fill.is_some(),
            ),
            "rect" => shape(
                Kind::Rect,
                vec![(num(&n, "x"), num(&n, "y"))],
                (num(&n, "width"), num(&n, "height")),
                fill.is_some(),
            ),
            _ => None,
        };
        shapes.extend(s);
    }
    Svg {
        size,
        texts,
        shapes,
    }
}

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn inside(inner: Rect, outer: Rect) -> bool {
    inner.0 >= outer.0 - 1.0
        && inner.1 >= outer.1 - 1.0
        && inner.2 <= outer.2 + 1.0
        && inner.3 <= outer.3 + 1.0
}

fn shrink(r: Rect, by: f64) -> Rect {
    (r.0 + by, r.1 + by, r.2 - by, r.3 - by)
}

/// Whether segment a-b meets rectangle r (Liang-Barsky).
fn segment_hits(a: (f64, f64), b: (f64, f64), r: Rect) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
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

fn rgb(c: &str) -> (f64, f64, f64) {
    let h = |i: usize| f64::from(u8::from_str_radix(&c[i..i + 2], 16).unwrap_or(0));
    (h(1), h(3), h(5))
}

fn distance(a: &str, b: &str) -> f64 {
    let (x, y) = (rgb(a), rgb(b));
    ((x.0 - y.0).powi(2) + (x.1 - y.1).powi(2) + (x.2 - y.2).powi(2)).sqrt()
}

/// What a legend swatch shows.
#[derive(Debug, Clone, PartialEq)]
enum Swatch {
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
    fn color(&self) -> &str {
        match self {
            Self::Solid { color, .. }
            | Self::Dashed { color, .. }
            | Self::Area { color }
            | Self::Dot { color }
            | Self::Cross { color } => color,
        }
    }

    /// Lines (solid or dashed) are one kind: they must differ in colour.
    fn kind(&self) -> &'static str {
        match self {
            Self::Solid { .. } | Self::Dashed { .. } => "line",
            Self::Area { .. } => "area",
            Self::Dot { .. } => "dot",
            Self::Cross { .. } => "cross",
        }
    }
}

/// The swatch drawn left of a legend label.
fn swatch(parts: &[&Shape]) -> Option<Swatch> {
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
fn drawn_as(sw: &Swatch, series: &[&Shape]) -> bool {
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
fn tick_problems(texts: &[Text]) -> Vec<String> {
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

/// Everything wrong with one chart.
fn lint(svg: &str) -> Vec<String> {
    let svg = parse(svg);
    let mut out = text_problems(&svg);
    let legends = legends(&svg);
    let in_legend = |s: &Shape| legends.iter().any(|&l| inside(s.bbox(), l));
    let data: Vec<&Shape> = svg
        .shapes
        .iter()
        .filter(|s| !FURNITURE.contains(&s.color.as_str()) && s.color != FRAME && s.color != MUTED)
        .filter(|s| s.kind != Kind::Rect && !in_legend(s))
        .collect();
    let mut swatches: Vec<(String, Swatch)> = Vec::new();
    for &l in &legends {
        out.extend(legend_problems(&svg, l, &data, &mut swatches));
    }
    out.extend(swatch_problems(&swatches, &data));
    out.extend(tick_problems(&svg.texts));
    out
}

/// Texts off the canvas or over one another.
fn text_problems(svg: &Svg) -> Vec<String> {
    let mut out = Vec::new();
    let (w, h) = svg.size;
    for t in &svg.texts {
        let r = t.rect;
        if r.0 < -1.0 || r.1 < -1.0 || r.2 > w + 1.0 || r.3 > h + 1.0 {
            out.push(format!("text `{}` runs off the canvas {r:?}", t.content));
        }
    }
    for (i, a) in svg.texts.iter().enumerate() {
        for b in &svg.texts[i + 1..] {
            if overlap(shrink(a.rect, 1.0), shrink(b.rect, 1.0)) {
                out.push(format!("texts `{}` and `{}` overlap", a.content, b.content));
            }
        }
    }
    out
}

/// Legends: framed boxes holding text (plotters' own legends are framed in
/// the muted grey; the world map's frame is far larger than any legend).
fn legends(svg: &Svg) -> Vec<Rect> {
    let (w, h) = svg.size;
    svg.shapes
        .iter()
        .filter(|s| s.kind == Kind::Rect && !s.filled && [FRAME, MUTED].contains(&s.color.as_str()))
        .filter(|s| s.size.0 * s.size.1 < 0.25 * w * h)
        .map(Shape::bbox)
        .filter(|&b| svg.texts.iter().any(|t| inside(t.rect, b)))
        .collect()
}

/// Legend `l` covering data or text, or with an entry without a swatch; each
/// entry's label and swatch go to `swatches`.
fn legend_problems(
    svg: &Svg,
    l: Rect,
    data: &[&Shape],
    swatches: &mut Vec<(String, Swatch)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let core = shrink(l, 2.0);
    for s in data {
        let hit = s
            .pts
            .iter()
            .any(|&(x, y)| x > core.0 && x < core.2 && y > core.1 && y < core.3)
            || (s.kind == Kind::Line && s.pts.windows(2).any(|p| segment_hits(p[0], p[1], core)));
        if hit {
            out.push(format!("legend {l:?} covers data drawn in {}", s.color));
        }
    }
    for t in &svg.texts {
        if !inside(t.rect, l) && overlap(t.rect, core) {
            out.push(format!("legend {l:?} covers text `{}`", t.content));
        }
    }
    let parts: Vec<&Shape> = svg
        .shapes
        .iter()
        .filter(|s| {
            inside(s.bbox(), l) && s.bbox() != l && !(s.kind == Kind::Rect && s.color == "#FFFFFF")
        })
        .collect();
    for t in svg.texts.iter().filter(|t| inside(t.rect, l)) {
        let mid = (t.rect.1 + t.rect.3) / 2.0;
        let row: Vec<&Shape> = parts
            .iter()
            .copied()
            .filter(|s| {
                let b = s.bbox();
                ((b.1 + b.3) / 2.0 - mid).abs() <= 6.0
                    && b.2 <= t.rect.0 + 2.0
                    && b.0 >= t.rect.0 - 70.0
            })
            .collect();
        match swatch(&row) {
            Some(sw) => swatches.push((t.content.clone(), sw)),
            None => out.push(format!("legend entry `{}` has no swatch", t.content)),
        }
    }
    out
}

/// Legend entries whose swatch no series is drawn as, or whose colours are
/// too close to tell apart.
fn swatch_problems(swatches: &[(String, Swatch)], data: &[&Shape]) -> Vec<String> {
    let mut out = Vec::new();
    for (label, sw) in swatches {
        if !drawn_as(sw, data) {
            out.push(format!(
                "legend entry `{label}`: no series drawn as its swatch {sw:?}"
            ));
        }
    }
    for (i, (la, a)) in swatches.iter().enumerate() {
        for (lb, b) in &swatches[i + 1..] {
            if a.kind() == b.kind()
                && a.color() != KEY
                && b.color() != KEY
                && distance(a.color(), b.color()) < 40.0
            {
                out.push(format!(
                    "legend entries `{la}` and `{lb}` in colours too close ({} and {})",
                    a.color(),
                    b.color()
                ));
            }
        }
    }
    out
}

/// Lint every SVG of a folder; `what` names it in failures.
fn lint_dir(dir: &Path, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{what}: no SVG in {}", dir.display());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for p in lint(&text) {
            out.push(format!(
                "{what} {}: {p}",
                f.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    out
}

fn cli(args: &[&str], out: &Path) {
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The shipped scenarios, each over its own horizon (a day for the flagship
/// ones) but two replications; the performance references over a day or a
/// few minutes, so the test stays short.
#[test]
fn every_chart_of_every_shipped_scenario_passes_the_lint() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let mut set = vec![("run.replications".to_string(), json!(2))];
        if name.starts_with("reference-3x100000") {
            set.push(("run.horizon".into(), json!("5min")));
            set.push(("run.bin".into(), json!("30s")));
        } else if name.starts_with("reference-") {
            set.push(("run.horizon".into(), json!("24h")));
        }
        let world = regionsim::scenario::load_with(&f, &set).unwrap_or_else(|e| panic!("{e}"));
        let est = regionsim::experiment::replicate(&world, &()).expect("not cancelled");
        let charts = regionsim::report::charts::render_all(&world, &est).unwrap();
        assert!(charts.len() >= 6, "{name}");
        let out = dir.path().join(&name);
        std::fs::create_dir_all(&out).unwrap();
        for c in charts {
            std::fs::write(out.join(format!("{}.svg", c.stem)), c.svg).unwrap();
        }
        problems.extend(lint_dir(&out, &name));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn plan_sweep_and_fit_charts_pass_the_lint() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let spill = repo("scenarios/tests/plan-spill.json");
    cli(&["plan", spill.to_str().unwrap()], &d("plan"));
    let hourly = repo("scenarios/tests/plan-hourly-explicit.json");
    cli(
        &["plan", hourly.to_str().unwrap(), "--hourly"],
        &d("hourly"),
    );
    let global = repo("scenarios/livekit-global.json");
    cli(
        &[
            "sweep",
            global.to_str().unwrap(),
            "--set",
            "deployments[2].capacity=250,300,350,400",
            "--set",
            "policy.spill.utilization_threshold=0.8,1",
            "--horizon",
            "4h",
            "--replications",
            "2",
            "--metrics",
            "overflow_rate,media_rtt_ms.p95,join_latency_ms.p95,regions.ap-south.utilization",
        ],
        &d("sweep"),
    );
    let log = repo("scenarios/data/app-week.csv");
    cli(&["fit", log.to_str().unwrap()], &d("fit"));
    let mut problems = Vec::new();
    for (what, n) in [
        ("plan", "plan"),
        ("hourly plan", "hourly"),
        ("sweep", "sweep"),
        ("fit", "fit"),
    ] {
        problems.extend(lint_dir(&d(n), what));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Lint the SVGs of any folder, e.g. charts drawn by another build:
/// `REGIONSIM_LINT_DIR=reports/x cargo test --test it chart_lint::a_folder -- --ignored`.
#[test]
#[ignore = "a tool: lints the folder named by REGIONSIM_LINT_DIR"]
fn a_folder_named_by_regionsim_lint_dir() {
    let dir = std::env::var("REGIONSIM_LINT_DIR").expect("REGIONSIM_LINT_DIR names a folder");
    let problems = lint_dir(Path::new(&dir), &dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The lint itself finds what it looks for: a chart drawn the old way fails.
#[test]
fn the_lint_catches_what_made_charts_hard_to_read() {
    let svg = r##"<svg width="1200" height="800" viewBox="0 0 1200 800" xmlns="http://www.w3.org/2000/svg">
<text x="600" y="14" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="24.19" opacity="1" fill="#212121">a heading far too long for its chart, running off both edges of the canvas by far, really, with the whole scenario name and policy</text>
<text x="100" y="700" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">0.0</text>
<text x="100" y="600" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">1e-1</text>
<text x="100" y="500" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">22000.0</text>
<text x="200" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">398 ms</text>
<text x="400" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">1 s</text>
<text x="600" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">2.5 s</text>
<text x="800" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">6.3 s</text>
<text x="700" y="300" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="10.5" opacity="1" fill="#212121">london</text>
<text x="712" y="303" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="10.5" opacity="1" fill="#212121">berlin</text>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="3" points="110,600 300,150 500,140 900,400 "/>
<rect x="120" y="100" width="300" height="70" opacity="1" fill="#FFFFFF" stroke="none"/>
<rect x="120" y="100" width="300" height="70" opacity="1" fill="none" stroke="#A0A0A0"/>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="3" points="130,120 166,120 "/>
<text x="174" y="120" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#212121">overflow (of served)</text>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="2" points="130,142 166,142 "/>
<text x="174" y="142" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#212121">spilled from us-east</text>
<text x="380" y="150" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#6E288C">Frankfurt down</text>
</svg>"##;
    let found = lint(svg).join("\n");
    for what in [
        "runs off the canvas",
        "`0.0` with a trailing zero",
        "`1e-1` in exponent notation",
        "`22000.0` with a trailing zero",
        "log-axis tick `398 ms` not at a round value",
        "log-axis tick `6.3 s` not at a round value",
        "covers data drawn in #4E79A7",
        "covers text `Frankfurt down`",
        "legend entry `spilled from us-east`: no series drawn as its swatch",
        "colours too close",
        "texts `london` and `berlin` overlap",
    ] {
        assert!(found.contains(what), "the lint misses: {what}\n{found}");
    }
    assert!(!found.contains("`1 s`"), "{found}");
}
