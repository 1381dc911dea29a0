//! Setting numeric scenario fields by JSON path before validation, for sweeps:
//! `deployments[0].capacity`, `populations[*].rate.peak_per_hour`,
//! `policy.spill.utilization_threshold`. `[*]` sets the field in every element.
//! Missing object fields are created, so validation then checks the result like
//! any hand-written file (a typo'd field is reported as an unknown field).

use serde_json::{Map, Number, Value};

#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    All,
}

fn parse(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if name.is_empty() && rest.is_empty() {
            return Err(format!("`{path}` has an empty field name"));
        }
        if !name.is_empty() {
            steps.push(Step::Key(name.to_string()));
        }
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('[') {
            let end = r
                .find(']')
                .ok_or_else(|| format!("`{path}`: unclosed `[`"))?;
            let inside = &r[..end];
            steps.push(if inside == "*" {
                Step::All
            } else {
                Step::Index(
                    inside
                        .parse()
                        .map_err(|_| format!("`{path}`: `[{inside}]` is not an index or `*`"))?,
                )
            });
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{path}`: unexpected `{rest}`"));
        }
    }
    Ok(steps)
}

fn number(x: f64) -> Value {
    // Whole numbers are written as integers so integer fields (capacity) accept them.
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

fn set(v: &mut Value, steps: &[Step], x: f64, path: &str) -> Result<usize, String> {
    let Some((first, rest)) = steps.split_first() else {
        *v = number(x);
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
pub fn apply(doc: &mut Value, overrides: &[(String, f64)]) -> Result<(), String> {
    for (path, x) in overrides {
        if !x.is_finite() {
            return Err(format!("`{path}`: {x} is not a finite number"));
        }
        let steps = parse(path)?;
        if set(doc, &steps, *x, path)? == 0 {
            return Err(format!("`{path}` matched nothing"));
        }
    }
    Ok(())
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
                ("d[1].c".into(), 7.0),
                ("d[*].w".into(), 0.5),
                ("p.spill.t".into(), 0.8),
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"d": [{"c": 1, "w": 0.5}, {"c": 7, "w": 0.5}], "p": {"type": "nearest", "spill": {"t": 0.8}}})
        );
    }

    #[test]
    fn bad_paths_are_explained() {
        let mut v = json!({"d": [1]});
        assert!(apply(&mut v, &[("d[3]".into(), 1.0)])
            .unwrap_err()
            .contains("out of range"));
        assert!(apply(&mut v, &[("d[x]".into(), 1.0)])
            .unwrap_err()
            .contains("not an index"));
        assert!(apply(&mut v, &[("d[0].c".into(), 1.0)])
            .unwrap_err()
            .contains("not an object"));
    }
}
