//! The chart lint's reading of an SVG: its texts with boxes estimated from
//! the font size and DejaVu Sans' advance widths (at the size the PNG draws),
//! its drawn shapes, and the geometry the checks ask of them.

pub(super) type Rect = (f64, f64, f64, f64);

#[derive(Debug)]
pub(super) struct Text {
    pub(super) content: String,
    pub(super) rect: Rect,
    pub(super) font: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Line,
    Polygon,
    Circle,
    Rect,
}

#[derive(Debug, Clone)]
pub(super) struct Shape {
    pub(super) kind: Kind,
    pub(super) pts: Vec<(f64, f64)>,
    pub(super) color: String,
    pub(super) width: f64,
    /// Circle radius, rectangle width and height.
    pub(super) size: (f64, f64),
    pub(super) filled: bool,
}

impl Shape {
    pub(super) fn bbox(&self) -> Rect {
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

    pub(super) fn length(&self) -> f64 {
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

pub(super) fn points(s: &str) -> Vec<(f64, f64)> {
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

pub(super) struct Svg {
    pub(super) size: (f64, f64),
    pub(super) texts: Vec<Text>,
    pub(super) shapes: Vec<Shape>,
}

pub(super) fn parse(svg: &str) -> Svg {
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

pub(super) fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

pub(super) fn inside(inner: Rect, outer: Rect) -> bool {
    inner.0 >= outer.0 - 1.0
        && inner.1 >= outer.1 - 1.0
        && inner.2 <= outer.2 + 1.0
        && inner.3 <= outer.3 + 1.0
}

pub(super) fn shrink(r: Rect, by: f64) -> Rect {
    (r.0 + by, r.1 + by, r.2 - by, r.3 - by)
}

/// Whether segment a-b meets rectangle r (Liang-Barsky).
pub(super) fn segment_hits(a: (f64, f64), b: (f64, f64), r: Rect) -> bool {
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
