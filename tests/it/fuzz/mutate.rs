//! The fuzzer's mutations of a scenario file: values replaced by values of
//! other types, extreme numbers, odd strings or durations (compound, with
//! exponents, malformed), numbers scaled by powers of ten, fields deleted,
//! array elements duplicated, keys given twice or holding control characters,
//! timeline labels holding control characters (the *structured* mutations,
//! which keep the document JSON); then on the text and bytes (the *edits*): a
//! key given twice, the text truncated, a stray `}` or `]` inserted, a
//! byte-order mark put in front, a byte that is not UTF-8 inserted, and blind
//! edits anywhere: a bit flipped, a byte inserted, a run of bytes deleted or
//! copied elsewhere. Each mutation's target is chosen by index modulo what
//! exists.

use proptest::prelude::*;
use serde_json::{json, Value};

/// Replacement values: other types, extreme numbers, odd strings.
fn junk(k: usize) -> Value {
    let all = [
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(0.5),
        json!(1e-310),
        json!(5e-324),
        json!(1e308),
        json!(-1e308),
        json!(4294967295u32),
        json!(4294967296u64),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("x"),
        json!("\u{0}"),
        json!("a\nb"),
        json!("=HYPERLINK(\"http://x\")"),
        json!("../.."),
        json!(".."),
        json!("ü–✓東京"),
        json!("1e400h"),
        json!("-3s"),
        json!("NaN"),
        json!("3min"),
        json!("1h30min"),
        json!("2h 15min"),
        json!("1d2h"),
        json!("1e9s"),
        json!("1h30"),
        json!("30min1h"),
        json!("1µs"),
        json!("unlimited"),
        json!("x".repeat(5000)),
        json!([]),
        json!({}),
        json!([1, 2]),
        json!({"type": "exponential", "mean": "1s"}),
        json!({"type": "nearest"}),
    ];
    all[k % all.len()].clone()
}

/// Labels and keys that must never reach a terminal or an SVG raw.
const CONTROL_TEXTS: [&str; 5] = ["a\nb", "red\u{1b}[31m", "bell\u{7}", "nul\u{0}", "cr\r"];

/// Bytes that are never UTF-8 text where they are inserted.
const NOT_UTF8: [&[u8]; 4] = [b"\xFF", b"\xC0\xAF", b"\xED\xA0\x80", b"\xE2\x82"];

/// One mutation, its targets chosen by index modulo what exists.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Replace(usize, usize),
    Scale(usize, i32),
    Delete(usize),
    DuplicateElement(usize),
    /// A timeline event's label (an event is added if there is none).
    Label(usize, usize),
    /// A key holding control characters added to an object.
    ControlKey(usize, usize),
    DuplicateKey(usize),
    Truncate(usize),
    /// A `}` or `]` inserted anywhere.
    StrayCloser(usize, bool),
    Bom,
    NotUtf8(usize, usize),
    /// Bit `b % 8` of the byte at `p` flipped.
    FlipBit(usize, u8),
    /// Byte `b` inserted at `p`.
    InsertByte(usize, u8),
    /// Up to `n` bytes deleted from `p`.
    DeleteBytes(usize, usize),
    /// Up to `n` bytes from `p` copied to `q`.
    CopyBytes(usize, usize, usize),
}

impl Op {
    /// Whether the mutation changes a value of the document (the result is
    /// still JSON) rather than its text or bytes.
    pub(super) fn is_structured(&self) -> bool {
        matches!(
            self,
            Op::Replace(..)
                | Op::Scale(..)
                | Op::Delete(_)
                | Op::DuplicateElement(_)
                | Op::Label(..)
                | Op::ControlKey(..)
        )
    }
}

/// A structured mutation: a value of the document changed.
pub(super) fn structured_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(p, k)| Op::Replace(p, k)),
        3 => (any::<usize>(), -330i32..330).prop_map(|(p, e)| Op::Scale(p, e)),
        2 => any::<usize>().prop_map(Op::Delete),
        1 => any::<usize>().prop_map(Op::DuplicateElement),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(e, k)| Op::Label(e, k)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(p, k)| Op::ControlKey(p, k)),
    ]
}

/// An edit of the text or the bytes.
pub(super) fn edit_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => any::<usize>().prop_map(Op::DuplicateKey),
        1 => any::<usize>().prop_map(Op::Truncate),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(p, b)| Op::StrayCloser(p, b)),
        1 => Just(Op::Bom),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(p, k)| Op::NotUtf8(p, k)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Op::FlipBit(p, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Op::InsertByte(p, b)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Op::DeleteBytes(p, n)),
        1 => (any::<usize>(), 1usize..256, any::<usize>())
            .prop_map(|(p, n, q)| Op::CopyBytes(p, n, q)),
    ]
}

/// JSON pointers of every value below the root.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

/// Apply `ops` to the scenario file `bytes`; returns the mutated bytes. The
/// value mutations need JSON; bytes that are not get only the byte mutations.
pub(super) fn mutate(bytes: &[u8], ops: &[Op]) -> Vec<u8> {
    let doc = std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    let mut out = match doc {
        Some(doc) => mutate_values(doc, ops).into_bytes(),
        None => bytes.to_vec(),
    };
    for op in ops {
        out = byte_op(out, op);
    }
    out
}

/// The value mutations, then the text ones; the document pretty-printed.
fn mutate_values(mut doc: Value, ops: &[Op]) -> String {
    let mut tail: Option<Op> = None;
    for op in ops {
        let mut ps = Vec::new();
        pointers(&doc, String::new(), &mut ps);
        if ps.is_empty() {
            break;
        }
        let pick = |i: usize| ps[i % ps.len()].clone();
        match op {
            Op::Replace(p, k) => {
                if let Some(slot) = doc.pointer_mut(&pick(*p)) {
                    *slot = junk(*k);
                }
            }
            Op::Scale(p, e) => {
                let numbers: Vec<&String> = ps
                    .iter()
                    .filter(|q| doc.pointer(q).is_some_and(Value::is_number))
                    .collect();
                if let Some(q) = numbers.get(p % numbers.len().max(1)).map(|q| q.to_string()) {
                    let x = doc.pointer(&q).and_then(Value::as_f64).unwrap_or(1.0);
                    let scaled = x * 10f64.powi(*e);
                    if let (Some(slot), Some(n)) =
                        (doc.pointer_mut(&q), serde_json::Number::from_f64(scaled))
                    {
                        *slot = Value::Number(n);
                    }
                }
            }
            Op::Delete(p) => {
                let q = pick(*p);
                let (parent, last) = q.rsplit_once('/').unwrap();
                match doc.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            Op::DuplicateElement(p) => {
                let q = pick(*p);
                let (parent, last) = q.rsplit_once('/').unwrap();
                if let (Some(Value::Array(a)), Ok(i)) =
                    (doc.pointer_mut(parent), last.parse::<usize>())
                {
                    let copy = a[i].clone();
                    a.insert(i, copy);
                }
            }
            Op::Label(e, k) => label(&mut doc, *e, CONTROL_TEXTS[k % CONTROL_TEXTS.len()]),
            Op::ControlKey(p, k) => {
                if let Some(Value::Object(m)) = doc.pointer_mut(&pick(*p)) {
                    m.insert(CONTROL_TEXTS[k % CONTROL_TEXTS.len()].into(), json!(1));
                }
            }
            Op::DuplicateKey(_) | Op::Truncate(_) => tail = Some(op.clone()),
            Op::StrayCloser(..)
            | Op::Bom
            | Op::NotUtf8(..)
            | Op::FlipBit(..)
            | Op::InsertByte(..)
            | Op::DeleteBytes(..)
            | Op::CopyBytes(..) => {}
        }
    }
    let text = serde_json::to_string_pretty(&doc).unwrap();
    match tail {
        Some(op) => text_op(text, &op),
        None => text,
    }
}

/// Set the label of timeline event `e`, adding a rate event if there is none.
fn label(doc: &mut Value, e: usize, text: &str) {
    let Some(m) = doc.as_object_mut() else { return };
    let events = m.entry("timeline").or_insert_with(|| json!([]));
    let Some(events) = events.as_array_mut() else {
        return;
    };
    if events.is_empty() {
        events.push(json!({"type": "rate", "at": 0, "factor": 1, "duration": "1min"}));
    }
    let n = events.len();
    if let Some(event) = events[e % n].as_object_mut() {
        event.insert("label".into(), json!(text));
    }
}

/// The mutations made on the bytes: a stray closer, a byte-order mark in
/// front, a byte that is not UTF-8, the blind edits.
fn byte_op(mut bytes: Vec<u8>, op: &Op) -> Vec<u8> {
    match *op {
        Op::StrayCloser(p, brace) => {
            let at = p % (bytes.len() + 1);
            bytes.insert(at, if brace { b'}' } else { b']' });
        }
        Op::Bom => bytes.splice(0..0, *b"\xEF\xBB\xBF").for_each(drop),
        Op::NotUtf8(p, k) => {
            let at = p % (bytes.len() + 1);
            bytes
                .splice(at..at, NOT_UTF8[k % NOT_UTF8.len()].iter().copied())
                .for_each(drop);
        }
        Op::FlipBit(p, b) if !bytes.is_empty() => {
            let at = p % bytes.len();
            bytes[at] ^= 1 << (b % 8);
        }
        Op::InsertByte(p, b) => bytes.insert(p % (bytes.len() + 1), b),
        Op::DeleteBytes(p, n) if !bytes.is_empty() => {
            let at = p % bytes.len();
            bytes.drain(at..(at + n).min(bytes.len()));
        }
        Op::CopyBytes(p, n, q) if !bytes.is_empty() => {
            let at = p % bytes.len();
            let run = bytes[at..(at + n).min(bytes.len())].to_vec();
            let to = q % (bytes.len() + 1);
            bytes.splice(to..to, run).for_each(drop);
        }
        _ => {}
    }
    bytes
}

/// The mutations made on the text: a key given twice, a truncation.
fn text_op(text: String, op: &Op) -> String {
    match *op {
        Op::DuplicateKey(k) => {
            // Give the k-th key a twin holding null, just before it.
            let keys: Vec<usize> = text.match_indices("\": ").map(|(i, _)| i).collect();
            match keys.get(k % keys.len().max(1)) {
                Some(&end) => {
                    let start = text[..end].rfind('"').unwrap();
                    format!(
                        "{}{}: null, {}",
                        &text[..start],
                        &text[start..=end],
                        &text[start..]
                    )
                }
                None => text,
            }
        }
        Op::Truncate(k) => {
            let mut cut = k % text.len().max(1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        _ => text,
    }
}
