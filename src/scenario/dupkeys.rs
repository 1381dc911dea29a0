//! Duplicate keys. JSON leaves them undefined and serde keeps the last one
//! silently wherever a map or a buffered object is read, so a pre-pass over the
//! text finds the first object holding a key twice, with its path and place.
//! Tolerant: on anything it does not understand it gives up and lets the parser
//! report the syntax error.

use super::messages::join;

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
    b: &'a [u8],
    i: usize,
    found: Option<Duplicate>,
}

/// The first duplicate key in `text`, if any.
pub fn first_duplicate(text: &str) -> Option<Duplicate> {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
        found: None,
    };
    s.value("", 0);
    s.found
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    /// A string starting at `self.i` (a quote): its decoded text.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.i += 1;
        let mut escaped = false;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => {
                    escaped = true;
                    self.i += 1;
                }
                b'"' => {
                    let raw = std::str::from_utf8(&self.b[start..self.i]).ok()?;
                    return if escaped {
                        serde_json::from_str(raw).ok()
                    } else {
                        Some(raw[1..raw.len() - 1].to_string())
                    };
                }
                _ => {}
            }
        }
        None
    }

    /// Walk one value; `None` when the text is not understood or a duplicate was found.
    fn value(&mut self, path: &str, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH || self.found.is_some() {
            return None;
        }
        self.ws();
        match *self.b.get(self.i)? {
            b'{' => self.object(path, depth),
            b'[' => self.array(path, depth),
            b'"' => self.string().map(|_| ()),
            _ => {
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    fn object(&mut self, path: &str, depth: usize) -> Option<()> {
        self.i += 1;
        let mut seen: Vec<(String, usize)> = Vec::new();
        loop {
            self.ws();
            match *self.b.get(self.i)? {
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                b',' => self.i += 1,
                b'"' => {
                    let at = self.i;
                    let key = self.string()?;
                    let child = join(path, &key);
                    if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                        self.found = Some(Duplicate {
                            path: child,
                            first: *first,
                            second: at,
                        });
                        return None;
                    }
                    seen.push((key, at));
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    self.value(&child, depth + 1)?;
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) -> Option<()> {
        self.i += 1;
        let mut n = 0usize;
        loop {
            self.ws();
            match *self.b.get(self.i)? {
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                b',' => self.i += 1,
                _ => {
                    self.value(&format!("{path}[{n}]"), depth + 1)?;
                    n += 1;
                }
            }
        }
    }
}

/// 1-based (line, column) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let col = before.len()
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
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
}
