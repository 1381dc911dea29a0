//! Duplicate keys. JSON leaves them undefined and serde keeps the last one
//! silently wherever a map or a buffered object is read, so a pre-pass over the
//! text finds the first object holding a key twice, with its path and place.
//! Tolerant: on anything it does not understand (a stray closer, a missing
//! colon, an unclosed string) it gives up and lets the parser report the
//! syntax error. It reads the text through `scan::Tokens` and takes a token
//! on every turn of its loops, so it always ends.

use super::messages::join;
use super::scan::{Kind, Token, Tokens};

/// Deeper nesting is left to the parser (which refuses past its own limit).
const MAX_DEPTH: usize = 128;

/// A key found twice: its path, the byte offsets of both occurrences.
pub struct Duplicate {
    /// JSON path of the key (as a field of its object).
    pub path: String,
    /// Byte offset of the first occurrence.
    pub first: usize,
    /// Byte offset of the second occurrence.
    pub second: usize,
}

struct Scan<'a> {
    toks: Tokens<'a>,
    found: Option<Duplicate>,
}

/// The first duplicate key in `text`, if any.
pub fn first_duplicate(text: &str) -> Option<Duplicate> {
    let mut s = Scan {
        toks: Tokens::new(text),
        found: None,
    };
    s.value("", 0);
    s.found
}

impl Scan<'_> {
    /// Walk the value starting with the next token; `None` when the text is
    /// not understood or a duplicate was found.
    fn value(&mut self, path: &str, depth: usize) -> Option<()> {
        let first = self.toks.next()?;
        self.value_from(first, path, depth)
    }

    /// Walk the value whose first token, `first`, was just taken.
    fn value_from(&mut self, first: Token, path: &str, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH || self.found.is_some() {
            return None;
        }
        match first.kind {
            Kind::Open(b'{') => self.object(path, depth),
            Kind::Open(_) => self.array(path, depth),
            Kind::Str { closed: true, .. } | Kind::Other => Some(()),
            // A closer, colon or comma where a value belongs: the parser says so.
            _ => None,
        }
    }

    fn object(&mut self, path: &str, depth: usize) -> Option<()> {
        let mut seen: Vec<(String, usize)> = Vec::new();
        loop {
            let t = self.toks.next()?;
            match t.kind {
                Kind::Close(b'}') => return Some(()),
                Kind::Comma => {}
                Kind::Str { closed: true, .. } => {
                    let key = self.toks.string(&t)?;
                    let child = join(path, &key);
                    if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                        self.found = Some(Duplicate {
                            path: child,
                            first: *first,
                            second: t.start,
                        });
                        return None;
                    }
                    seen.push((key, t.start));
                    if self.toks.next()?.kind != Kind::Colon {
                        return None;
                    }
                    self.value(&child, depth + 1)?;
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) -> Option<()> {
        let mut n = 0usize;
        loop {
            let t = self.toks.next()?;
            match t.kind {
                Kind::Close(b']') => return Some(()),
                Kind::Comma => {}
                _ => {
                    self.value_from(t, &format!("{path}[{n}]"), depth + 1)?;
                    n += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_and_escaped_duplicates() {
        let d = first_duplicate(r#"{"a": [1, {"b": 1, "c": {}, "\u0062": 2}]}"#).unwrap();
        assert_eq!(d.path, "a[1].b");
        assert!(first_duplicate(r#"{"a": {"b": 1}, "b": {"a": 2}}"#).is_none());
        assert!(first_duplicate(&"[".repeat(100_000)).is_none());
    }

    #[test]
    fn stray_closers_end_the_scan() {
        for text in [
            "[}",
            r#"{"name":"x","regions":[}"#,
            "[[}]",
            "{]",
            "[,}",
            "[:",
        ] {
            assert!(first_duplicate(text).is_none(), "{text}");
        }
        let d = first_duplicate(r#"{"a": 1, "a": [}"#).unwrap();
        assert_eq!(d.path, "a");
    }
}
