//! Durations in scenario files: a number of seconds, or a string with a unit
//! (`"150ms"`, `"90s"`, `"3min"`, `"1.5h"`, `"2d"`).

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A duration in seconds as written in a scenario (not yet range-checked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secs(pub f64);

/// Parse `"<number><unit>"`; the unit is one of ms, s, min, h, d.
pub fn parse_duration(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration: write a number of seconds or e.g. \"150ms\", \"90s\", \"3min\", \"1.5h\", \"2d\""))?;
    let factor = match unit.trim() {
        "ms" => 1e-3,
        "" | "s" => 1.0,
        "min" | "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        other => {
            return Err(format!(
                "unknown time unit `{other}` in `{s}`: use ms, s, min, h or d"
            ))
        }
    };
    Ok(value * factor)
}

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Secs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration: a number of seconds or a string such as \"90s\" or \"3min\"",
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
        assert_eq!(parse_duration("1.5h").unwrap(), 5400.0);
        assert_eq!(parse_duration("2d").unwrap(), 172_800.0);
        assert_eq!(parse_duration("12").unwrap(), 12.0);
        assert!(parse_duration("3 parsecs").is_err());
        assert!(parse_duration("fast").is_err());
    }
}
