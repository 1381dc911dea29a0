//! Timestamps of session logs: RFC 3339 (`2024-03-04T09:30:00Z`, an offset
//! `+05:30`, fractional seconds, a space for the `T`) or Unix seconds, both
//! read into seconds since the Unix epoch; and the hour of the week they fall
//! in (Monday 00:00 UTC = 0), the clock weekly profiles and fits share.

use crate::input::excerpt;

/// Seconds in an hour.
pub const HOUR_S: f64 = 3_600.0;
/// Hours in a week.
pub const WEEK_H: usize = 168;
/// Unix seconds at Monday 2024-01-01T00:00:00Z: `run --sessions` writes a run's
/// time 0 as this instant, so a fitted log keeps its weekdays.
pub const RUN_EPOCH_UNIX_S: f64 = 1_704_067_200.0;
/// Latest Unix time accepted (year 2200): a larger number is more likely
/// milliseconds than seconds.
pub const MAX_UNIX_S: f64 = 7_258_118_400.0;

/// Why a timestamp was refused (the row's reason).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Neither RFC 3339 nor a number.
    #[error("unreadable start time `{0}`: use RFC 3339 (2024-03-04T09:30:00Z) or Unix seconds")]
    Unreadable(String),
    /// A number outside 1970..2200.
    #[error("start time {0} is outside 1970-2200 in Unix seconds (milliseconds? divide by 1000)")]
    OutOfRange(String),
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Parse a start time into Unix seconds.
pub fn parse_time(s: &str) -> Result<f64, TimeError> {
    let t = s.trim();
    if t.len() >= 19 && t.as_bytes()[4] == b'-' {
        return rfc3339(t).ok_or_else(|| TimeError::Unreadable(excerpt(s)));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=MAX_UNIX_S).contains(&x) => Ok(x),
        Ok(x) if x.is_finite() => Err(TimeError::OutOfRange(excerpt(t))),
        _ => Err(TimeError::Unreadable(excerpt(s))),
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.frac](Z|±HH:MM)`.
fn rfc3339(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let days_in = [
        31,
        28 + u32::from(leap(y)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || d == 0
        || d > days_in[mo as usize - 1]
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    let mut rest = &t[19..];
    let mut frac = 0.0;
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        frac = format!("0.{}", &f[..n]).parse().ok()?;
        rest = &f[n..];
    }
    let offset_s = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh @ .., b':', om1, om2] if oh.len() == 2 => {
            let (oh, om) = (digits(oh)?, digits(&[*om1, *om2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let v = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    let days = days_from_civil(i64::from(y), mo, d);
    let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + s) - offset_s;
    Some(secs as f64 + frac)
}

fn leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Hour of the week, 0..168, of Unix time `t` (Monday 00:00 UTC = 0; the
/// epoch was a Thursday).
pub fn hour_of_week(t: f64) -> usize {
    let h = (t / HOUR_S).floor() as i64;
    (h + 72).rem_euclid(WEEK_H as i64) as usize
}

/// RFC 3339 text of Unix time `t`, whole seconds, UTC.
pub fn format_rfc3339(t: f64) -> String {
    let s = t.floor() as i64;
    let (days, rem) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_unix_seconds_agree() {
        assert_eq!(parse_time("2024-01-01T00:00:00Z"), Ok(RUN_EPOCH_UNIX_S));
        assert_eq!(parse_time("1704067200"), Ok(RUN_EPOCH_UNIX_S));
        assert_eq!(
            parse_time("2024-01-01 05:30:00+05:30"),
            Ok(RUN_EPOCH_UNIX_S)
        );
        assert_eq!(
            parse_time("2023-12-31T19:00:00.5-05:00"),
            Ok(RUN_EPOCH_UNIX_S + 0.5)
        );
        assert_eq!(hour_of_week(RUN_EPOCH_UNIX_S), 0);
        assert_eq!(hour_of_week(RUN_EPOCH_UNIX_S - 1.0), 167);
        assert_eq!(
            format_rfc3339(RUN_EPOCH_UNIX_S + 3661.0),
            "2024-01-01T01:01:01Z"
        );
        for bad in [
            "2024-02-30T00:00:00Z",
            "2024-01-01T00:00:00",
            "yesterday",
            "",
            "2024-01-01T25:00:00Z",
        ] {
            assert!(
                matches!(parse_time(bad), Err(TimeError::Unreadable(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_time("1704067200000"),
            Err(TimeError::OutOfRange(_))
        ));
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
    }
}
