//! Label placement without overlap: each label tries a few positions around its
//! anchor, in order, and takes the first whose box meets no label placed before
//! and no marker; a label with no free position is left out (optional labels
//! only). Greedy in the given order, so the important labels go first.

use plotters::style::text_anchor::{HPos, VPos};

/// A pixel box: left, top, right, bottom.
pub type Rect = (i32, i32, i32, i32);

/// A label to place: text, size, and candidate (anchor, horizontal, vertical)
/// positions in order of preference.
pub struct Wanted {
    /// The text.
    pub text: String,
    /// Font size in pixels.
    pub size: u32,
    /// Candidate anchors with their anchoring.
    pub at: Vec<((i32, i32), HPos, VPos)>,
    /// Whether it is drawn even when every position collides (first choice).
    pub required: bool,
}

/// A placed label: text, anchor, size, anchoring, and its box.
pub type Placed = (String, (i32, i32), u32, HPos, VPos, Rect);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The box of a text of size (w, h) anchored at `p`.
pub fn text_box(p: (i32, i32), (w, h): (i32, i32), hp: HPos, vp: VPos) -> Rect {
    let left = match hp {
        HPos::Left => p.0,
        HPos::Center => p.0 - w / 2,
        HPos::Right => p.0 - w,
    };
    let top = match vp {
        VPos::Top => p.1,
        VPos::Center => p.1 - h / 2,
        VPos::Bottom => p.1 - h,
    };
    (left - 2, top - 1, left + w + 2, top + h + 2)
}

/// Place `wanted` in order, avoiding `obstacles` and each other; `measure`
/// gives a text's pixel size at a font size.
pub fn place(
    wanted: Vec<Wanted>,
    obstacles: &[Rect],
    mut measure: impl FnMut(&str, u32) -> (i32, i32),
) -> Vec<Placed> {
    let mut taken: Vec<Rect> = obstacles.to_vec();
    let mut out = Vec::new();
    for w in wanted {
        let size = measure(&w.text, w.size);
        let free = w.at.iter().find_map(|&(p, h, v)| {
            let b = text_box(p, size, h, v);
            (!taken.iter().any(|&t| overlaps(t, b))).then_some((p, h, v, b))
        });
        let chosen = free.or_else(|| {
            let &(p, h, v) = w.at.first()?;
            w.required.then(|| (p, h, v, text_box(p, size, h, v)))
        });
        if let Some((p, h, v, b)) = chosen {
            taken.push(b);
            out.push((w.text, p, w.size, h, v, b));
        }
    }
    out
}
