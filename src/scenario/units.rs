//! Durations in scenario files: a number of seconds, or a string of numbers
//! each with a unit (`"150ms"`, `"90s"`, `"3min"`, `"1.5h"`, `"2d"`, and
//! compound forms such as `"1h30min"`, `"2h 15min"`, `"1d2h"`, which add up).
//! The JSON Schema's pattern for these strings is built here too, from the
//! same unit list, so the schema and the parser accept the same strings.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A duration in seconds as written in a scenario (not yet range-checked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secs(pub f64);

/// Every unit and its seconds (`m` is short for minutes).
const UNITS: [(&str, f64); 6] = [
    ("ms", 1e-3),
    ("s", 1.0),
    ("min", 60.0),
    ("m", 60.0),
    ("h", 3600.0),
    ("d", 86_400.0),
];

/// What a duration may be, for messages.
const ALLOWED: &str = "write a number of seconds, or numbers each followed by a unit \
    (ms, s, min or m, h, d), e.g. \"150ms\", \"1.5h\", \"1h30min\", \"2h 15min\", \"1d2h\"";

/// A number as the pattern and the parser read it: digits with an optional
/// fraction and exponent (`1`, `1.5`, `.5`, `1e9`).
const NUMBER_PATTERN: &str = r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?";

/// The JSON Schema pattern of a duration string, as [`parse_duration`] reads it.
pub fn duration_pattern() -> String {
    let units: Vec<&str> = UNITS.iter().map(|u| u.0).collect();
    let n = NUMBER_PATTERN;
    format!(r"^\s*[+-]?({n}\s*|({n}\s*({})\s*)+)$", units.join("|"))
}

/// Bytes of the number at the start of `s`, as [`NUMBER_PATTERN`] reads it; 0 if none.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let whole = digits(0);
    let mut i = whole;
    if b.get(i) == Some(&b'.') {
        let fraction = digits(i + 1);
        if whole + fraction == 0 {
            return 0;
        }
        i += 1 + fraction;
    } else if whole == 0 {
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

/// Parse a duration: an optional sign, then either a bare number of seconds
/// or one or more `<number><unit>` terms (spaces allowed between them), which
/// add up. The unit is one of ms, s, min (or m), h, d.
pub fn parse_duration(s: &str) -> Result<f64, String> {
    let not = |why: String| format!("`{s}` is not a duration: {why}; {ALLOWED}");
    let t = s.trim();
    let (sign, mut rest) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let mut total: Option<f64> = None;
    while !rest.is_empty() {
        let n = number_len(rest);
        if n == 0 {
            let at: String = rest.chars().take(12).collect();
            return Err(not(format!("a number is missing at `{at}`")));
        }
        let number = &rest[..n];
        let value: f64 = number
            .parse()
            .map_err(|_| not(format!("`{number}` is not a number")))?;
        rest = rest[n..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let factor = match UNITS.iter().find(|u| u.0 == unit) {
            Some(u) => u.1,
            None if unit.is_empty() && total.is_none() && rest.is_empty() => 1.0,
            None if unit.is_empty() => {
                return Err(not(format!("the number `{number}` has no unit")))
            }
            None => return Err(not(format!("unknown unit `{unit}`"))),
        };
        let term = value * factor;
        total = Some(total.map_or(term, |sum| sum + term));
    }
    match total {
        Some(total) => Ok(sign * total),
        None => Err(not("it holds no number".into())),
    }
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Secs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration: a number of seconds or a string such as \"90s\", \"3min\" or \"1h30min\"",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Secs, E> {
                Ok(Secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Secs, E> {
                Ok(Secs(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Secs, E> {
                Ok(Secs(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Secs, E> {
                parse_duration(v).map(Secs).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_seconds() {
        assert_eq!(parse_duration("150ms").unwrap(), 0.15);
        assert_eq!(parse_duration("90s").unwrap(), 90.0);
        assert_eq!(parse_duration("3min").unwrap(), 180.0);
        assert_eq!(parse_duration("3 m").unwrap(), 180.0);
        assert_eq!(parse_duration("1.5h").unwrap(), 5400.0);
        assert_eq!(parse_duration("2d").unwrap(), 172_800.0);
        assert_eq!(parse_duration("12").unwrap(), 12.0);
        assert_eq!(parse_duration(" -0.5h ").unwrap(), -1800.0);
        assert_eq!(parse_duration(".5s").unwrap(), 0.5);
        assert_eq!(parse_duration("1.e2s").unwrap(), 100.0);
        assert!(parse_duration("3 parsecs").is_err());
        assert!(parse_duration("fast").is_err());
    }

    #[test]
    fn compound_durations_add_up() {
        assert_eq!(parse_duration("1h30min").unwrap(), 5400.0);
        assert_eq!(parse_duration("2h 15min").unwrap(), 8100.0);
        assert_eq!(parse_duration("1d2h").unwrap(), 93_600.0);
        assert_eq!(parse_duration("1m30s").unwrap(), 90.0);
        assert_eq!(parse_duration("1s500ms").unwrap(), 1.5);
        assert_eq!(parse_duration("-1h30min").unwrap(), -5400.0);
        assert_eq!(parse_duration("1e9s").unwrap(), 1e9);
        assert_eq!(parse_duration("2.5e-3h").unwrap(), 9.0);
    }

    #[test]
    fn anything_else_is_told_what_is_allowed() {
        for (bad, why) in [
            ("1h30", "the number `30` has no unit"),
            ("12 30", "the number `12` has no unit"),
            ("1h 2x", "unknown unit `x`"),
            ("1µs", "unknown unit `µs`"),
            ("h", "a number is missing at `h`"),
            ("1h-30min", "a number is missing at `-30min`"),
            ("- 3s", "a number is missing at ` 3s`"),
            ("", "it holds no number"),
            ("+", "it holds no number"),
            ("NaN", "a number is missing at `NaN`"),
        ] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
            assert!(e.contains("\"1h30min\""), "{bad}: {e}");
        }
    }
}
