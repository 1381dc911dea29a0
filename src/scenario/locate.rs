//! Finds the line and column of a JSON path in the scenario text, so that errors
//! found after parsing (semantic validation) point at the right place too.
//!
//! A small tolerant walker over `scan::Tokens` (shared with the duplicate-key
//! pass): it mostly walks documents serde accepted, but any text only ends the
//! walk early, never stalls it.

use super::scan::{line_col, Kind, Tokens};

/// One step of a JSON path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut key = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !key.is_empty() {
                    steps.push(Step::Key(std::mem::take(&mut key)));
                }
            }
            '[' => {
                if !key.is_empty() {
                    steps.push(Step::Key(std::mem::take(&mut key)));
                }
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    n.push(d);
                }
                match n.parse() {
                    Ok(i) => steps.push(Step::Index(i)),
                    Err(_) => return Vec::new(),
                }
            }
            _ => key.push(c),
        }
    }
    if !key.is_empty() {
        steps.push(Step::Key(key));
    }
    steps
}

/// The value after the next token, skipped whole; `None` if it is not one.
fn skip_value(toks: &mut Tokens) -> Option<()> {
    match toks.next()?.kind {
        Kind::Open(_) => {
            let mut depth = 1usize;
            while depth > 0 {
                match toks.next()?.kind {
                    Kind::Open(_) => depth += 1,
                    Kind::Close(_) => depth -= 1,
                    Kind::Str { closed: false, .. } => return None,
                    _ => {}
                }
            }
            Some(())
        }
        Kind::Str { closed: true, .. } | Kind::Other => Some(()),
        _ => None,
    }
}

/// Positioned before a value: descend one step, leaving `toks` before the child.
/// Every turn of its loops takes at least one token.
fn descend(toks: &mut Tokens, step: &Step) -> Option<()> {
    match (step, toks.next()?.kind) {
        (Step::Key(k), Kind::Open(b'{')) => loop {
            let name = toks.next()?;
            let name = toks.string(&name)?;
            if toks.next()?.kind != Kind::Colon {
                return None;
            }
            if &name == k {
                return Some(());
            }
            skip_value(toks)?;
            if toks.next()?.kind != Kind::Comma {
                return None;
            }
        },
        (Step::Index(n), Kind::Open(b'[')) => {
            for _ in 0..*n {
                skip_value(toks)?;
                if toks.next()?.kind != Kind::Comma {
                    return None;
                }
            }
            Some(())
        }
        _ => None,
    }
}

/// 1-based (line, column) of the value at `path` in `text`, if it can be found.
/// Descends as far as the path exists, so a missing field points at its parent.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut toks = Tokens::new(text);
    for step in parse_path(path) {
        let saved = toks.clone();
        if descend(&mut toks, &step).is_none() {
            toks = saved;
            break;
        }
    }
    Some(line_col(text.as_bytes(), toks.offset()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": 1,\n  \"pops\": [\n    {\"name\": \"x\"},\n    {\"name\": \"y\", \"rate\": {\"peak\": -3}}\n  ]\n}";

    #[test]
    fn finds_nested_values() {
        assert_eq!(locate(DOC, "a"), Some((2, 8)));
        assert_eq!(locate(DOC, "pops[1].rate.peak"), Some((5, 36)));
        assert_eq!(locate(DOC, "pops[0].name"), Some((4, 14)));
    }

    #[test]
    fn missing_steps_point_at_the_deepest_parent() {
        assert_eq!(locate(DOC, "pops[1].nope"), Some((5, 5)));
        assert_eq!(locate(DOC, "pops[7]"), Some((3, 11)));
    }

    #[test]
    fn broken_text_ends_the_walk() {
        for text in ["[}", "{\"a\": [}", "{\"a\" 1}", "[1 2]", "{\"a", "]]]"] {
            assert!(locate(text, "a[3].b").is_some(), "{text}");
        }
    }
}
