//! The fuzzer's mutations of a scenario file: values replaced by values of
//! other types, extreme numbers or odd strings, numbers scaled by powers of
//! ten, fields deleted, array elements duplicated, keys given twice, the text
//! truncated; each mutation's target chosen by index modulo what exists.

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

/// One mutation, its targets chosen by index modulo what exists.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Replace(usize, usize),
    Scale(usize, i32),
    Delete(usize),
    DuplicateElement(usize),
    DuplicateKey(usize),
    Truncate(usize),
}

pub(super) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(p, k)| Op::Replace(p, k)),
        3 => (any::<usize>(), -330i32..330).prop_map(|(p, e)| Op::Scale(p, e)),
        2 => any::<usize>().prop_map(Op::Delete),
        1 => any::<usize>().prop_map(Op::DuplicateElement),
        1 => any::<usize>().prop_map(Op::DuplicateKey),
        1 => any::<usize>().prop_map(Op::Truncate),
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

/// Apply `ops` to the scenario text `text`; returns the mutated text.
pub(super) fn mutate(text: &str, ops: &[Op]) -> String {
    let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
        return text.to_string();
    };
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
            Op::DuplicateKey(_) | Op::Truncate(_) => tail = Some(op.clone()),
        }
    }
    let text = serde_json::to_string_pretty(&doc).unwrap();
    match tail {
        Some(op) => text_op(text, &op),
        None => text,
    }
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
