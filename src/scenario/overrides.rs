//! Setting scenario fields by JSON path before validation, for sweeps and the
//! command line: `deployments[0].capacity`, `populations[*].rate.peak_per_hour`,
//! `policy.type`, `run.seed` (`--seed`), `run.horizon` (`--horizon`). `[*]`
//! sets the field in every element; `["media_rtt_ms.p95"]`, a JSON string,
//! names a key holding a dot or anything else (`slo.targets["media_rtt_ms.p95"]`,
//! as `plan --target` sets it). Missing object fields are created, so
//! validation then checks the result like any hand-written file (a typo'd
//! field is reported as an unknown field, a bad value with the field's own
//! rule): there is no second copy of the rules here.

use serde_json::{Map, Number, Value};

use super::messages::tidy;

#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    All,
}

fn parse(path: &str) -> Result<Vec<Step>, String> {
    let empty = || format!("`{path}` has an empty field name");
    let mut steps = Vec::new();
    let mut rest = path;
    let mut name_due = true;
    loop {
        if name_due {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let name = &rest[..end];
            if name.is_empty() && !rest.starts_with('[') {
                return Err(empty());
            }
            if !name.is_empty() {
                steps.push(Step::Key(name.to_string()));
            }
            rest = &rest[end..];
            name_due = false;
        }
        if let Some(r) = rest.strip_prefix('[') {
            let (step, after) = bracket(path, r)?;
            steps.push(step);
            rest = after;
        } else if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            name_due = true;
        } else if rest.is_empty() {
            return Ok(steps);
        } else {
            return Err(format!("`{path}`: unexpected `{rest}`"));
        }
    }
}

/// The step inside `[...]` (`r` starts after the `[`) and the text after the
/// `]`: an index, `*`, or a quoted key (`["media_rtt_ms.p95"]`, for keys that
/// hold a dot, such as a target's metric).
fn bracket<'a>(path: &str, r: &'a str) -> Result<(Step, &'a str), String> {
    if r.starts_with('"') {
        return quoted_key(path, r);
    }
    let end = r
        .find(']')
        .ok_or_else(|| format!("`{path}`: unclosed `[`"))?;
    let inside = &r[..end];
    let step =
        if inside == "*" {
            Step::All
        } else {
            Step::Index(inside.parse().map_err(|_| {
                format!("`{path}`: `[{inside}]` is not an index, `*` or a quoted key")
            })?)
        };
    Ok((step, &r[end + 1..]))
}

/// A quoted key and the text after its `]` (`r` starts at the opening
/// quote): a JSON string, so any key can be named, `\"` and `\\` included
/// (the planner's flags quote the names they are given this way, so a name
/// holding `"]` cannot reach another field).
fn quoted_key<'a>(path: &str, r: &'a str) -> Result<(Step, &'a str), String> {
    let mut escaped = false;
    let close = r
        .char_indices()
        .skip(1)
        .find(|&(_, c)| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        })
        .map(|(i, _)| i)
        .ok_or_else(|| format!("`{path}`: unclosed `[\"`"))?;
    let key: String = serde_json::from_str(&r[..=close])
        .map_err(|_| format!("`{path}`: `{}` is not a JSON string", &r[..=close]))?;
    let after = r[close + 1..]
        .strip_prefix(']')
        .ok_or_else(|| format!("`{path}`: expected `]` after the quoted key"))?;
    Ok((Step::Key(key), after))
}

/// Quote `key` as a bracketed path step that [`parse`] reads back as that key.
pub fn quote_key(key: &str) -> String {
    format!("[{}]", Value::from(key))
}

/// A number as JSON; whole numbers as integers so integer fields accept them.
pub fn number(x: f64) -> Value {
    // Whole numbers are written as integers so integer fields (capacity) accept them.
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

fn set(v: &mut Value, steps: &[Step], x: &Value, path: &str) -> Result<usize, String> {
    let Some((first, rest)) = steps.split_first() else {
        *v = x.clone();
        return Ok(1);
    };
    match first {
        Step::Key(k) => {
            if v.is_null() {
                *v = Value::Object(Map::new());
            }
            let obj = v.as_object_mut().ok_or_else(|| {
                format!("`{path}`: `{k}` is inside something that is not an object")
            })?;
            set(obj.entry(k.clone()).or_insert(Value::Null), rest, x, path)
        }
        Step::Index(i) => {
            let arr = v.as_array_mut().ok_or_else(|| {
                format!("`{path}`: `[{i}]` applied to something that is not a list")
            })?;
            let len = arr.len();
            let item = arr
                .get_mut(*i)
                .ok_or_else(|| format!("`{path}`: index {i} out of range (the list has {len})"))?;
            set(item, rest, x, path)
        }
        Step::All => {
            let arr = v.as_array_mut().ok_or_else(|| {
                format!("`{path}`: `[*]` applied to something that is not a list")
            })?;
            let mut n = 0;
            for item in arr {
                n += set(item, rest, x, path)?;
            }
            Ok(n)
        }
    }
}

/// Set every (path, value) in the document. A refusal is one tidy line:
/// the path is the user's text and may hold anything.
pub fn apply(doc: &mut Value, overrides: &[(String, Value)]) -> Result<(), String> {
    apply_all(doc, overrides).map_err(|m| tidy(&m))
}

fn apply_all(doc: &mut Value, overrides: &[(String, Value)]) -> Result<(), String> {
    for (path, x) in overrides {
        let steps = parse(path)?;
        if set(doc, &steps, x, path)? == 0 {
            return Err(format!("`{path}` matched nothing"));
        }
    }
    Ok(())
}

/// A value as people write it after `=`: strings without quotes.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One `--set` item: a number, or else the text as a string (a region id, a
/// policy type, a duration such as `"90s"`); the field's own validation decides.
/// A whole number is taken as written, so an integer field gets every value
/// it accepts (a seed up to 18446744073709551615), not its nearest float.
fn item(text: &str) -> Value {
    if let Ok(n) = text.parse::<u64>() {
        return Value::Number(n.into());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Value::Number(n.into());
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => number(x),
        _ => Value::String(text.to_string()),
    }
}

/// Decimal places a number's text needs (`0.25`: 2, `2.5e-3`: 4, `1e3`: 0),
/// for noise-free ranges.
fn decimals(text: &str) -> i64 {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let places = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i64);
    (places - exp.clamp(-400, 400)).max(0)
}

/// Most decimal places in a range, and the largest scaled value: integers
/// up to 9e15 are exact in a float, so every value of the range is as typed.
const RANGE_DECIMALS: i64 = 9;
const RANGE_MAX_SCALED: f64 = 9e15;

/// `a..b:step`: a, a + step, ... up to b inclusive, computed on integers scaled
/// by the inputs' decimal places, so `0.1..0.3:0.1` gives 0.1, 0.2, 0.3 exactly.
fn range(text: &str) -> Result<Vec<Value>, String> {
    let bad = || format!("`{text}`: a range is START..END:STEP, e.g. 300..400:25");
    let (span, step) = text.split_once(':').ok_or_else(bad)?;
    let (a, b) = span.split_once("..").ok_or_else(bad)?;
    let parts = [a.trim(), b.trim(), step.trim()];
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| p.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let digits = parts.iter().map(|p| decimals(p)).max().unwrap_or(0);
    if digits > RANGE_DECIMALS {
        return Err(format!(
            "`{text}`: a range's numbers may have at most {RANGE_DECIMALS} decimal places"
        ));
    }
    let scale = 10f64.powi(digits as i32);
    let scaled = [nums[0], nums[1], nums[2]].map(|x| (x * scale).round());
    if scaled.iter().any(|x| x.abs() > RANGE_MAX_SCALED) {
        return Err(format!(
            "`{text}`: a range's numbers must lie within ±9e15 (±9e{} with {digits} decimal places)",
            15 - digits
        ));
    }
    let [a, b, s] = scaled.map(|x| x as i64);
    if s <= 0 || b < a {
        return Err(format!("`{text}`: the step must be > 0 and END >= START"));
    }
    let n = (b - a) / s + 1;
    if n > 10_000 {
        return Err(format!("`{text}` gives {n} values; at most 10000"));
    }
    Ok((0..n).map(|k| number((a + k * s) as f64 / scale)).collect())
}

/// The values of a `--set PATH=V1,V2,...`: items separated by commas, each a
/// number, a range `START..END:STEP`, or text. A refusal is one tidy line.
pub fn parse_values(text: &str) -> Result<Vec<Value>, String> {
    values(text).map_err(|m| tidy(&m))
}

fn values(text: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(format!("`{text}`: empty value"));
        }
        if part.contains("..") {
            out.extend(range(part)?);
        } else {
            out.push(item(part));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_are_exact_or_refused_with_the_reason() {
        let r = |t: &str| parse_values(t);
        assert_eq!(
            r("1e3..3e3:1e3").unwrap(),
            [json!(1000), json!(2000), json!(3000)]
        );
        assert_eq!(
            r("0.1..0.3:0.1").unwrap(),
            [json!(0.1), json!(0.2), json!(0.3)]
        );
        assert_eq!(
            r("2.5e-3..5e-3:2.5e-3").unwrap(),
            [json!(0.0025), json!(0.005)]
        );
        // Once clamped to the integers' range, or read with too few places.
        for (t, why) in [
            ("-1e300..1e300:1e300", "within ±9e15"),
            ("1e18..1e19:1e18", "within ±9e15"),
            ("0..1:1e-300", "at most 9 decimal places"),
            ("0..1e-9:1e-10", "at most 9 decimal places"),
            ("0..1e12:1", "at most 10000"),
            ("1..0:1", "the step must be > 0"),
        ] {
            let e = r(t).unwrap_err();
            assert!(e.contains(why), "{t}: {e}");
        }
    }

    #[test]
    fn whole_numbers_are_set_as_written() {
        let max = parse_values("18446744073709551615").unwrap();
        assert_eq!(max, [json!(u64::MAX)]);
        assert_eq!(parse_values("-3").unwrap(), [json!(-3)]);
        assert_eq!(parse_values("1e18").unwrap(), [json!(1e18)]);
    }

    #[test]
    fn sets_nested_indexed_and_wildcard_fields() {
        let mut v = json!({"d": [{"c": 1}, {"c": 2}], "p": {"type": "nearest"}});
        apply(
            &mut v,
            &[
                ("d[1].c".into(), json!(7)),
                ("d[*].w".into(), json!(0.5)),
                ("p.spill.t".into(), json!(0.8)),
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"d": [{"c": 1, "w": 0.5}, {"c": 7, "w": 0.5}], "p": {"type": "nearest", "spill": {"t": 0.8}}})
        );
    }

    #[test]
    fn a_quoted_key_may_hold_a_dot() {
        let mut v = json!({"slo": {}});
        let set = [
            (r#"slo.targets["media_rtt_ms.p95"]"#.into(), json!(150)),
            (
                r#"slo.targets.populations["eu"]["slo_attainment.both"]"#.into(),
                json!(0.9),
            ),
        ];
        apply(&mut v, &set).unwrap();
        assert_eq!(
            v,
            json!({"slo": {"targets": {"media_rtt_ms.p95": 150,
                "populations": {"eu": {"slo_attainment.both": 0.9}}}}})
        );
        for bad in ["a.", ".a", "a..b", "", r#"a["b"#, "a[1]x"] {
            assert!(apply(&mut v, &[(bad.into(), json!(1))]).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_quoted_key_is_a_json_string_so_it_cannot_reach_another_field() {
        // A name holding `"]` stays one key: before, `["a"]["x"]` was read
        // off it and set a field inside `a`.
        for key in [r#"a"]["x"#, r#"b\"#, "c.d[0]", "", "\u{1b}", r#"""#] {
            let mut v = json!({});
            let path = format!("slo.cost{}", quote_key(key));
            apply(&mut v, &[(path.clone(), json!(1))]).unwrap();
            assert_eq!(v, json!({"slo": {"cost": {key: 1}}}), "{path}");
        }
        let mut v = json!({});
        for (bad, why) in [
            (r#"a["b\"]"#, "unclosed"),
            (r#"a["\q"]"#, "not a JSON string"),
            (r#"a["b"x]"#, "expected `]`"),
        ] {
            let e = apply(&mut v, &[(bad.into(), json!(1))]).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn bad_paths_are_explained() {
        let mut v = json!({"d": [1]});
        assert!(apply(&mut v, &[("d[3]".into(), json!(1))])
            .unwrap_err()
            .contains("out of range"));
        assert!(apply(&mut v, &[("d[x]".into(), json!(1))])
            .unwrap_err()
            .contains("not an index"));
        assert!(apply(&mut v, &[("d[0].c".into(), json!(1))])
            .unwrap_err()
            .contains("not an object"));
    }
}
