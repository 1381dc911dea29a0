//! Error text as users read it: the JSON parser's and serde's wording turned
//! into plain words (no Rust type names), every message on one line with any
//! quoted value cut to a short excerpt, and nested paths carried out of custom
//! deserializers so errors name the innermost field.

use crate::input::push_visible;

/// Marks a message that carries a path relative to the value being read:
/// `MARK path MARK message`. Custom deserializers (which only see a buffered
/// value) use it; [`split_marked`] recovers the path.
const MARK: char = '\u{1}';

/// Longest quoted excerpt of a value in a message.
const EXCERPT: usize = 40;
/// Longest message.
const MAX_LEN: usize = 400;

/// Join two JSON paths (`a` + `b`, `a` + `[2]`).
pub fn join(a: &str, b: &str) -> String {
    let a = if a == "." { "" } else { a };
    let b = if b == "." { "" } else { b };
    match (a.is_empty(), b.is_empty()) {
        (_, true) => a.to_string(),
        (true, false) => b.to_string(),
        _ if b.starts_with('[') => format!("{a}{b}"),
        _ => format!("{a}.{b}"),
    }
}

/// `message` about the field at relative `path`, for a custom deserializer.
/// A message that already carries a path gets it appended to `path`.
pub fn mark(path: &str, message: &str) -> String {
    let (inner, message) = split_marked(message);
    format!("{MARK}{}{MARK}{message}", join(path, &inner))
}

/// (relative path, message) of a possibly marked message.
pub fn split_marked(message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix(MARK) {
        if let Some((path, msg)) = rest.split_once(MARK) {
            return (path.to_string(), msg.to_string());
        }
    }
    (String::new(), message.to_string())
}

/// serde and parser vocabulary -> words for people.
pub fn plain(message: &str) -> String {
    let mut m = message.to_string();
    for (t, max) in [
        ("u8", u64::from(u8::MAX)),
        ("u16", u64::from(u16::MAX)),
        ("u32", u64::from(u32::MAX)),
        ("u64", u64::MAX),
        ("usize", usize::MAX as u64),
    ] {
        m = replace_word(
            &m,
            &format!("expected {t}"),
            &format!("expected a whole number from 0 to {max}"),
        );
    }
    m = replace_word(&m, "expected value", "expected a value");
    for (from, to) in [
        ("expected ident", "expected true, false or null"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("floating point `", "number `"),
        ("integer `", "number `"),
        (
            "invalid value: map, expected map with a single key",
            "expected a name (a string), got an object",
        ),
        (
            "invalid type: map, expected map with a single key",
            "expected a name (a string), got an object",
        ),
        ("expected a sequence", "expected an array"),
        ("invalid type: sequence", "invalid type: an array"),
        ("invalid type: map", "invalid type: an object"),
        ("expected string or map", "expected a string or an object"),
        ("invalid type: unit value", "invalid type: null"),
        ("expected a map", "expected an object"),
        ("unknown variant", "unknown value"),
        ("EOF while parsing a list", "end of file inside an array"),
        (
            "EOF while parsing an object",
            "end of file inside an object",
        ),
        ("EOF while parsing a string", "end of file inside a string"),
        (
            "EOF while parsing a value",
            "end of file where a value should be",
        ),
        ("EOF", "end of file"),
    ] {
        m = m.replace(from, to);
    }
    for jargon in [
        "expected struct variant ",
        "expected struct ",
        "expected internally tagged enum ",
    ] {
        while let Some(i) = m.find(jargon) {
            let end = m[i + jargon.len()..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(m.len(), |e| i + jargon.len() + e);
            m.replace_range(i..end, "expected an object");
        }
    }
    m
}

/// Replace `from` where it is not followed by more of a word (u32 vs u320).
fn replace_word(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(from) {
        let after = &rest[i + from.len()..];
        out.push_str(&rest[..i]);
        if after.starts_with(|c: char| c.is_alphanumeric()) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Numbers written out in full (Rust prints 1e-300 with 300 zeros, the
/// largest float with 309 digits) shortened to scientific notation. A number
/// is read whole, exponent included, and only where a word does not continue
/// (`u32`, `x1`), so `1.7976931348623157e+308` becomes `1.798e308`.
fn short_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut prev: Option<char> = None;
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let starts = !prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '.');
        let len = if starts { numeral_len(rest) } else { 0 };
        if len > 0 {
            out.push_str(&short(&rest[..len]));
            prev = rest[..len].chars().last();
            rest = &rest[len..];
        } else {
            out.push(c);
            prev = Some(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Bytes of the numeral at the start of `s` (`-12.5e-3`), 0 if none.
fn numeral_len(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let whole = digits(i);
    i += whole;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        fraction = digits(i + 1);
        if whole + fraction > 0 {
            i += 1 + fraction;
        }
    }
    if whole + fraction == 0 {
        return 0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let exponent = digits(i + 1 + sign);
        if exponent > 0 {
            i += 1 + sign + exponent;
        }
    }
    i
}

/// A numeral as printed in a message: whole numbers up to 24 digits
/// (`u64::MAX`) exactly, others past 16 characters as `d.ddde±x`.
fn short(numeral: &str) -> String {
    let plain_integer = !numeral.contains(['.', 'e', 'E']);
    let long = numeral.len() > 24 || (!plain_integer && numeral.len() > 16);
    match numeral.parse::<f64>() {
        Ok(x) if long => format!("{x:.3e}"),
        _ => numeral.to_string(),
    }
}

/// One line, quoted values cut to an excerpt, long numbers in scientific
/// notation, at most [`MAX_LEN`] characters.
pub fn tidy(message: &str) -> String {
    let message = short_numbers(message);
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut inside = 0usize;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {
                inside += 1;
                if inside <= EXCERPT {
                    push_visible(&mut out, c);
                } else if inside == EXCERPT + 1 {
                    out.push_str("...");
                }
            }
            None => {
                if c == '`' || c == '"' {
                    quote = Some(c);
                    inside = 0;
                }
                push_visible(&mut out, c);
            }
        }
    }
    if out.chars().count() > MAX_LEN {
        out = out.chars().take(MAX_LEN).collect::<String>() + "...";
    }
    out
}

/// Longest JSON path printed in a message, in characters.
const PATH_MAX: usize = 120;

/// A JSON path as printed: keys come from the file and may hold line breaks or
/// terminal escape sequences, so those are escaped (`\n`, `\u{1b}`), and a
/// path longer than [`PATH_MAX`] characters is cut.
pub fn show_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (n, c) in path.chars().enumerate() {
        if n == PATH_MAX {
            out.push_str("...");
            break;
        }
        push_visible(&mut out, c);
    }
    out
}

/// The field a distribution parameter message names (`` `cv` must be ... ``).
pub fn named_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix('`')?;
    let name = &rest[..rest.find('`')?];
    name.chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
        .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jargon_becomes_words() {
        assert_eq!(
            plain("invalid type: string \"ten\", expected u32"),
            "invalid type: string \"ten\", expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            plain("invalid type: integer `3`, expected internally tagged enum RawDist"),
            "invalid type: number `3`, expected an object"
        );
        assert_eq!(plain("expected struct RawRun"), "expected an object");
    }

    #[test]
    fn messages_stay_short_and_on_one_line() {
        let long = format!("bad `{}` here\nnext", "x".repeat(5000));
        let t = tidy(&long);
        assert!(t.len() < 80, "{t}");
        assert!(!t.contains('\n'));
    }

    #[test]
    fn long_numbers_become_scientific() {
        let m = format!("got {}, and {}", 1e-300, -7.4e-150);
        assert_eq!(tidy(&m), "got 1.000e-300, and -7.400e-150");
        assert_eq!(
            tidy("between -90 and 90, got 95.5"),
            "between -90 and 90, got 95.5"
        );
    }

    #[test]
    fn extreme_numbers_keep_their_exponent() {
        for (numeral, shown) in [
            ("1.7976931348623157e308", "1.798e308"),
            ("1.7976931348623157e+308", "1.798e308"),
            ("-1.7976931348623157E+308", "-1.798e308"),
            ("2.2250738585072014e-308", "2.225e-308"),
            ("5e-324", "5e-324"),
            ("1e400", "1e400"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
        ] {
            assert_eq!(
                tidy(&format!("got {numeral}, allowed")),
                format!("got {shown}, allowed")
            );
        }
        let max = format!("got {}", f64::MAX);
        assert_eq!(tidy(&max), "got 1.798e308");
        let tiny = format!("got {}", f64::MIN_POSITIVE);
        assert_eq!(tidy(&tiny), "got 2.225e-308");
        assert_eq!(
            tidy("expected u32 or x123456789012345678901234567"),
            "expected u32 or x123456789012345678901234567"
        );
        assert_eq!(tidy("1e9s and 1.5h and v1.2.3"), "1e9s and 1.5h and v1.2.3");
    }

    #[test]
    fn paths_are_shown_without_line_breaks_or_escape_sequences() {
        assert_eq!(
            show_path("policies.a\nb\u{1b}[31m\u{202e}"),
            "policies.a\\nb\\u{1b}[31m\\u{202e}"
        );
        let long = show_path(&format!("a.{}", "k".repeat(500)));
        assert_eq!(long.chars().count(), PATH_MAX + 3);
    }

    #[test]
    fn marked_paths_nest() {
        let inner = mark("mean", "bad");
        let outer = mark("session", &inner);
        assert_eq!(split_marked(&outer), ("session.mean".into(), "bad".into()));
        assert_eq!(join("a", "[2]"), "a[2]");
    }
}
