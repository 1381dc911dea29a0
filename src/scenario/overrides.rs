//! Setting scenario fields by JSON path before validation, for sweeps and the
//! command line: `deployments[0].capacity`, `populations[*].rate.peak_per_hour`,
//! `policy.type`, `run.seed` (`--seed`), `run.horizon` (`--horizon`). `[*]` sets
//! the field in every element; `["media_rtt_ms.p95"]` names a key holding a dot
//! (`slo.targets["media_rtt_ms.p95"]`, as `plan --target` sets it). Missing object fields are created, so validation
//! then checks the result like any hand-written file (a typo'd field is reported
//! as an unknown field, a bad value with the field's own rule): there is no
//! second copy of the rules here.

use serde_json::{Map, Number, Value};

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
    if let Some(q) = r.strip_prefix('"') {
        let close = q
            .find("\"]")
            .ok_or_else(|| format!("`{path}`: unclosed `[\"`"))?;
        return Ok((Step::Key(q[..close].to_string()), &q[close + 2..]));
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

/// Set every (path, value) in the document.
pub fn apply(doc: &mut Value, overrides: &[(String, Value)]) -> Result<(), String> {
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
fn item(text: &str) -> Value {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => number(x),
        _ => Value::String(text.to_string()),
    }
}

/// Decimal places written in a number's text, for noise-free ranges.
fn decimals(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

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
    let digits = parts.iter().map(|p| decimals(p)).max().unwrap_or(0).min(9);
    let scale = 10f64.powi(digits as i32);
    let [a, b, s] = [nums[0], nums[1], nums[2]].map(|x| (x * scale).round() as i64);
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
/// number, a range `START..END:STEP`, or text.
pub fn parse_values(text: &str) -> Result<Vec<Value>, String> {
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
