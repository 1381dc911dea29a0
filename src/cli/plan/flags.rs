//! `plan`'s own flags: `--target`, `--cost` and `--every-population` set the
//! scenario's `slo.targets`, `slo.cost` and `slo.every_population` fields
//! (checked by the scenario's rules, no second copy here); `--bounds` and
//! `--step` shape the decision variables (`variables`). Every refusal names
//! the flag and the value
//! as given (`--bounds us-east=5:2: the lower bound exceeds the upper`) and
//! says what is allowed, the way the scenario loader names a file and field,
//! so a long command line points at its own mistake.

use std::path::Path;

use anyhow::Result;

use crate::cli::bad;
use regionsim::model::target::{Sense, Target, TargetMetric};
use regionsim::model::World;
use regionsim::scenario::ScenarioError;

mod variables;

pub use variables::variables;

/// A refusal of `flag`'s value `given`: exit status 2.
fn refuse(flag: &str, given: &str, problem: impl std::fmt::Display) -> anyhow::Error {
    bad(format!("{flag} {given}: {problem}"))
}

fn number(flag: &str, given: &str, s: &str) -> Result<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| refuse(flag, given, format!("`{s}` is not a finite number")))
}

fn whole(flag: &str, given: &str, s: &str) -> Result<u32> {
    s.trim().parse::<u32>().map_err(|_| {
        refuse(
            flag,
            given,
            format!("`{s}` is not a whole number of slots (0 to {})", u32::MAX),
        )
    })
}

/// `METRIC[SCOPE]` of a target -> the metric's name and the scope's, if any.
fn name_and_scope<'a>(flag: &str, lhs: &'a str, given: &str) -> Result<(&'a str, Option<&'a str>)> {
    match lhs.trim().split_once('[') {
        Some((n, sc)) => {
            let scope = sc
                .strip_suffix(']')
                .ok_or_else(|| refuse(flag, given, "unclosed `[`"))?;
            Ok((n.trim(), Some(scope.trim())))
        }
        None => Ok((lhs.trim(), None)),
    }
}

/// A `--target` or `--cost` as the scenario field it sets: the scenario's own
/// rules (`slo.targets`, `slo.cost`) check it, with no second copy here, and
/// it replaces the scenario's entry on the same metric and scope, or region.
pub struct FlagField {
    flag: &'static str,
    given: String,
    /// Override path, keys quoted (`slo.targets["media_rtt_ms.p95"]`).
    set: String,
    /// The same field as the scenario's messages name it.
    dotted: String,
    value: serde_json::Value,
}

impl FlagField {
    fn new(flag: &'static str, given: &str, keys: &[&str], value: serde_json::Value) -> Self {
        let quoted: String = keys[2..]
            .iter()
            .map(|k| regionsim::scenario::quote_key(k))
            .collect();
        Self {
            flag,
            given: given.to_string(),
            set: format!("{}.{}{quoted}", keys[0], keys[1]),
            dotted: keys.join("."),
            value,
        }
    }

    /// Whether the scenario's complaint at `path` is about this field (or the
    /// population or region it names).
    fn names(&self, path: &str) -> bool {
        let within = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}."));
        within(path, &self.dotted) || within(&self.dotted, path)
    }
}

/// `METRIC[SCOPE] OP VALUE` -> the field it sets under `base` (`slo.targets`
/// for `--target`, `slo.resilience.targets` for `--survive-outage`). The
/// operator must agree with the metric's direction, when the metric is known
/// (an unknown one is the scenario rules' to refuse).
fn target_field(flag: &'static str, base: &[&'static str], s: &str) -> Result<FlagField> {
    let at = s
        .find(['<', '>', '='])
        .ok_or_else(|| refuse(flag, s, "expected METRIC<=V, METRIC>=V or METRIC=V"))?;
    let (lhs, rest) = s.split_at(at);
    let (op, value) = ["<=", ">=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|v| (*op, v)))
        .ok_or_else(|| refuse(flag, s, "use <=, >= or ="))?;
    let (name, scope) = name_and_scope(flag, lhs, s)?;
    if let Some(sense) = TargetMetric::from_name(name).map(TargetMetric::sense) {
        if (op == "<=" && sense == Sense::AtLeast) || (op == ">=" && sense == Sense::AtMost) {
            let right = if sense == Sense::AtMost { "<=" } else { ">=" };
            return Err(refuse(flag, s, format!("contradicts its metric: `{name}` takes {right} (more capacity moves it the other way)")));
        }
    }
    let value = number(flag, s, value)?;
    let mut keys: Vec<&str> = base.to_vec();
    match scope {
        None => {}
        Some(r) if name == TargetMetric::Utilization.name() => keys.extend(["regions", r]),
        Some(p) => keys.extend(["populations", p]),
    }
    keys.push(name);
    Ok(FlagField::new(
        flag,
        s,
        &keys,
        regionsim::scenario::override_number(value),
    ))
}

/// What `plan`'s flags ask of the scenario's `slo` section.
pub struct SloFlags<'a> {
    /// `--target`s.
    pub targets: &'a [String],
    /// `--cost`s.
    pub cost: &'a [String],
    /// `--every-population`.
    pub every: bool,
    /// `--survive-outage` targets.
    pub survive: &'a [String],
    /// `--candidate` regions.
    pub candidates: &'a [String],
    /// `--max-deployments`.
    pub max_deployments: Option<u32>,
    /// `--open-cost`.
    pub open_cost: Option<f64>,
}

/// The fields `--target`, `--cost`, `--every-population` and
/// `--survive-outage` set; a target or a cost given twice is refused.
pub fn fields(f: &SloFlags<'_>) -> Result<Vec<FlagField>> {
    let (targets, cost, every) = (f.targets, f.cost, f.every);
    let mut out: Vec<FlagField> = Vec::new();
    for s in targets {
        out.push(target_field("--target", &["slo", "targets"], s)?);
    }
    for s in f.survive {
        let base = ["slo", "resilience", "targets"];
        out.push(target_field("--survive-outage", &base, s)?);
    }
    for s in cost {
        let (id, w) = key_value("--cost", s, "REGION=WEIGHT")?;
        let w = number("--cost", s, w)?;
        let w = regionsim::scenario::override_number(w);
        out.push(FlagField::new("--cost", s, &["slo", "cost", id], w));
    }
    if !f.candidates.is_empty() {
        let given = f.candidates.join(",");
        let list = serde_json::Value::from(f.candidates.to_vec());
        out.push(FlagField::new(
            "--candidate",
            &given,
            &["plan", "candidates"],
            list,
        ));
    }
    if let Some(k) = f.max_deployments {
        let keys = ["plan", "max_deployments"];
        out.push(FlagField::new(
            "--max-deployments",
            &k.to_string(),
            &keys,
            k.into(),
        ));
    }
    if let Some(x) = f.open_cost {
        if !x.is_finite() {
            return Err(refuse("--open-cost", &x.to_string(), "not a finite number"));
        }
        let v = regionsim::scenario::override_number(x);
        out.push(FlagField::new(
            "--open-cost",
            &x.to_string(),
            &["plan", "open_cost"],
            v,
        ));
    }
    if every {
        let keys = ["slo", "every_population"];
        out.push(FlagField::new("--every-population", "", &keys, true.into()));
    }
    for (i, f) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.dotted == f.dotted) {
            return Err(refuse(f.flag, &f.given, "given twice; keep one"));
        }
    }
    Ok(out)
}

/// The scenario with the flags' fields set, checked by its own rules; a
/// complaint about a flag's field names the flag and its value as given.
pub fn world(c: &crate::cli::Common, fields: &[FlagField]) -> Result<World> {
    let set: Vec<(String, serde_json::Value)> = fields
        .iter()
        .map(|f| (f.set.clone(), f.value.clone()))
        .collect();
    let world = c.world(&set).map_err(|e| {
        let about = e
            .downcast_ref::<ScenarioError>()
            .and_then(ScenarioError::invalid)
            .and_then(|i| fields.iter().find(|f| f.names(&i.path)).map(|f| (f, i)));
        match about {
            Some((f, i)) => refuse(f.flag, &f.given, &i.message),
            None => e,
        }
    })?;
    for f in fields.iter().filter(|f| f.flag == "--cost") {
        let id = f.dotted.trim_start_matches("slo.cost.");
        let hosts = |r: usize| world.deployments().iter().any(|d| d.region == r);
        if let Some(r) = world.regions().iter().position(|r| r.id == id) {
            if !hosts(r) {
                let with: Vec<&str> = (0..world.regions().len())
                    .filter(|&r| hosts(r))
                    .map(|r| world.regions()[r].id.as_str())
                    .collect();
                let msg = format!("region `{id}` has no deployment, so no capacity to price; regions with deployments: {}", with.join(", "));
                return Err(refuse("--cost", &f.given, msg));
            }
        }
    }
    Ok(world)
}

/// The planning targets: the scenario's, those on the same metric and scope
/// replaced by `--target`; none at all is a fault of its `slo.targets`.
pub fn targets(file: &Path, world: &World) -> Result<Vec<Target>> {
    if world.slo().targets.is_empty() {
        return Err(ScenarioError::at(
            file,
            "slo.targets",
            "no planning targets; add `slo.targets` to the scenario or give --target (docs/planner.md)",
        )
        .into());
    }
    Ok(world.slo().targets.clone())
}

/// `NAME=VALUE` split; `form` is what the flag takes, for the refusal.
fn key_value<'a>(flag: &str, s: &'a str, form: &str) -> Result<(&'a str, &'a str)> {
    s.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| refuse(flag, s, format!("expected {form}")))
}
