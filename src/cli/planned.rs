//! `planned.json`, the scenario a plan writes beside its reports: named after
//! the original with a suffix of its own (so running it writes its own report
//! folder, never the original's), and with a relative `$schema` link rebased so
//! that it still resolves from the folder the file is written into.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

/// The longest scenario name the format accepts (docs/scenarios.md).
const NAME_MAX: usize = 64;

/// The planned scenario's name: the original's with `suffix` (`-planned`,
/// `-planned-hourly`), the original shortened if the whole would be too long.
pub fn name(original: &str, suffix: &str) -> String {
    let keep = NAME_MAX.saturating_sub(suffix.len()).min(original.len());
    // Scenario names are ASCII (letters, digits, '-', '_', '.').
    let base = original.get(..keep).unwrap_or(original);
    format!("{base}{suffix}")
}

/// The text of `planned.json`: `doc` (the scenario read from `scenario`, the
/// plan applied) renamed with `suffix` and its `$schema` rebased for `out_dir`;
/// checked by loading it back.
pub fn finish(scenario: &Path, mut doc: Value, suffix: &str, out_dir: &Path) -> Result<String> {
    if let Some(old) = doc.get("name").and_then(Value::as_str) {
        doc["name"] = Value::from(name(old, suffix));
    }
    if let Some(link) = doc.get("$schema").and_then(Value::as_str) {
        if let Some(rebased) = rebase(link, scenario, out_dir) {
            doc["$schema"] = Value::from(rebased);
        }
    }
    let mut out = serde_json::to_string_pretty(&doc).expect("a Value always serialises");
    out.push('\n');
    regionsim::scenario::parse(scenario, &out)
        .context("the planned scenario does not load back (please report this)")?;
    Ok(out)
}

/// `link`, relative to the folder of `scenario`, as a link relative to
/// `out_dir`; None for a link that does not depend on where the file is (a
/// URL, an absolute path) or when a path cannot be resolved.
pub fn rebase(link: &str, scenario: &Path, out_dir: &Path) -> Option<String> {
    if link.is_empty() || link.contains(':') || link.starts_with(['/', '#']) {
        return None;
    }
    let from = scenario.parent().filter(|p| !p.as_os_str().is_empty());
    let from = real(from.unwrap_or(Path::new(".")))?;
    let target = real(&from.join(link))?;
    let to = real(out_dir)?;
    Some(relative(&to, &target))
}

/// `p` as an absolute path, symbolic links resolved as far as it exists.
fn real(p: &Path) -> Option<PathBuf> {
    if let Ok(r) = std::fs::canonicalize(p) {
        return Some(r);
    }
    let abs = std::path::absolute(p).ok()?;
    let mut parts: Vec<Component> = Vec::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(parts.last(), Some(Component::Normal(_))) {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    let abs: PathBuf = parts.iter().collect();
    // The longest existing head, resolved, with the rest appended.
    let mut head = abs.as_path();
    let mut tail = Vec::new();
    while let Some(parent) = head.parent() {
        tail.push(head.file_name()?);
        head = parent;
        if let Ok(r) = std::fs::canonicalize(head) {
            return Some(tail.iter().rev().fold(r, |acc, n| acc.join(n)));
        }
    }
    Some(abs)
}

/// The path from folder `from` to `to`, both absolute, with '/' separators.
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let ups = std::iter::repeat_n("..".to_string(), a.len() - common);
    let downs = b[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_names_keep_within_the_name_limit() {
        assert_eq!(name("livekit-global", "-planned"), "livekit-global-planned");
        let long = "x".repeat(64);
        let n = name(&long, "-planned-hourly");
        assert_eq!(n.len(), 64);
        assert!(n.ends_with("-planned-hourly"));
    }

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let r = relative(
            Path::new("/r/reports/x-plan"),
            Path::new("/r/schema/scenario.schema.json"),
        );
        assert_eq!(r, "../../schema/scenario.schema.json");
        assert_eq!(relative(Path::new("/a"), Path::new("/a/b.json")), "b.json");
    }

    #[test]
    fn urls_and_absolute_links_are_kept() {
        let s = Path::new("scenarios/x.json");
        let out = Path::new("reports/x-plan");
        assert_eq!(rebase("https://example.org/s.json", s, out), None);
        assert_eq!(rebase("/srv/s.json", s, out), None);
    }
}
