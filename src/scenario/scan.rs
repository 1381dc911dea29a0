//! The one hand-written JSON tokenizer, shared by the duplicate-key pre-pass
//! (`dupkeys.rs`) and the path locator (`locate.rs`), and the byte offset ->
//! line/column conversion every located message uses.
//!
//! Both walkers run on text serde may refuse (the duplicate-key pass runs
//! before serde), so the tokenizer is tolerant and, above all, always moves:
//! every token covers at least one byte, and the walkers take a token on every
//! turn of every loop. No input, however broken, can make them spin.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{` or `[`.
    Open(u8),
    /// `}` or `]`.
    Close(u8),
    /// `:`.
    Colon,
    /// `,`.
    Comma,
    /// A string, quotes included; `closed` is false when the text ends inside
    /// it, `escaped` when it holds a backslash (so it must be decoded).
    Str {
        /// It holds a backslash escape.
        escaped: bool,
        /// Its closing quote is there.
        closed: bool,
    },
    /// Anything else, up to the next delimiter: a number, `true`, junk.
    Other,
}

/// One token: its kind and byte range (never empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Offset of its first byte.
    pub start: usize,
    /// Offset just past its last byte; always greater than `start`.
    pub end: usize,
}

/// The tokens of a text, whitespace skipped.
#[derive(Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    i: usize,
}

/// Bytes that end an unquoted token.
fn delimiter(c: u8) -> bool {
    matches!(c, b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"') || c.is_ascii_whitespace()
}

impl<'a> Tokens<'a> {
    /// The tokens of `text`, from its start.
    pub fn new(text: &'a str) -> Self {
        Self { text, i: 0 }
    }

    /// Offset of the next token, or the text's length at its end.
    pub fn offset(&mut self) -> usize {
        self.skip_ws();
        self.i
    }

    fn skip_ws(&mut self) {
        let b = self.text.as_bytes();
        while b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    /// The text of a closed string token, decoded; `None` for anything else
    /// or an escape that does not decode.
    pub fn string(&self, t: &Token) -> Option<String> {
        let Kind::Str {
            escaped,
            closed: true,
        } = t.kind
        else {
            return None;
        };
        let raw = &self.text[t.start..t.end];
        if escaped {
            serde_json::from_str(raw).ok()
        } else {
            Some(raw[1..raw.len() - 1].to_string())
        }
    }

    /// Past the string whose opening quote is at `self.i`.
    fn scan_string(&mut self) -> Kind {
        let b = self.text.as_bytes();
        let mut escaped = false;
        self.i += 1;
        loop {
            match b.get(self.i) {
                None => {
                    return Kind::Str {
                        escaped,
                        closed: false,
                    }
                }
                Some(b'\\') => {
                    escaped = true;
                    self.i = (self.i + 2).min(b.len());
                }
                Some(b'"') => {
                    self.i += 1;
                    return Kind::Str {
                        escaped,
                        closed: true,
                    };
                }
                Some(_) => self.i += 1,
            }
        }
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    /// The next token; it always covers at least one byte.
    fn next(&mut self) -> Option<Token> {
        self.skip_ws();
        let b = self.text.as_bytes();
        let start = self.i;
        let c = *b.get(start)?;
        let kind = match c {
            b'"' => self.scan_string(),
            b'{' | b'[' => Kind::Open(c),
            b'}' | b']' => Kind::Close(c),
            b':' => Kind::Colon,
            b',' => Kind::Comma,
            _ => {
                while b.get(self.i + 1).is_some_and(|&c| !delimiter(c)) {
                    self.i += 1;
                }
                Kind::Other
            }
        };
        if !matches!(kind, Kind::Str { .. }) {
            self.i += 1;
        }
        Some(Token {
            kind,
            start,
            end: self.i,
        })
    }
}

/// 1-based (line, column) of byte `offset` in `text`; columns count bytes, as
/// the JSON parser's do.
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    (line, before.len() - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(text: &str) -> Vec<Kind> {
        Tokens::new(text).map(|t| t.kind).collect()
    }

    #[test]
    fn tokens_of_a_small_document() {
        use Kind::*;
        let s = Str {
            escaped: false,
            closed: true,
        };
        assert_eq!(
            kinds(r#"{"a": [1, tru]}"#),
            [
                Open(b'{'),
                s,
                Colon,
                Open(b'['),
                Other,
                Comma,
                Other,
                Close(b']'),
                Close(b'}')
            ]
        );
        assert_eq!(
            kinds(r#""a\"#),
            [Str {
                escaped: true,
                closed: false
            }]
        );
    }

    #[test]
    fn positions_count_lines_and_bytes() {
        assert_eq!(line_col(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_col(b"ab", 99), (1, 3));
    }

    proptest! {
        /// Every token covers at least one byte and follows the previous one,
        /// so a walker that takes a token per turn cannot spin.
        #[test]
        fn every_token_moves_forward(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let text = String::from_utf8_lossy(&bytes);
            let mut last = 0;
            let mut n = 0;
            for t in Tokens::new(&text) {
                prop_assert!(t.start >= last && t.end > t.start && t.end <= text.len());
                last = t.end;
                n += 1;
            }
            prop_assert!(n <= text.len());
        }
    }
}
