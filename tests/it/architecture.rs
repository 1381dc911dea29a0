//! The rules ARCHITECTURE.md states about the source tree, checked on the
//! tree itself: no circle between sibling modules (a module reaches another
//! only through what lies below it), every source file in the code map, and
//! no unsafe code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::repo;

/// Every `.rs` file under `src/`, as its path relative to `src/`, with its text.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let root = repo("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The module path of a source file (`scenario/raw/mod.rs` -> `scenario::raw`).
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The code before its unit tests, without line comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::`, `super::` or `self::` path the code names, use lists
/// expanded (`use a::{b, c::d}` names `a::b` and `a::c::d`).
fn paths(code: &str) -> Vec<Vec<String>> {
    fn expand(prefix: &str, body: &str, out: &mut Vec<String>) {
        let body = body.trim();
        if let Some(open) = body.find('{') {
            let head = body[..open].trim_end_matches("::");
            let inner = &body[open + 1..body.rfind('}').unwrap_or(body.len())];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&join(prefix, head), &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&join(prefix, head), &inner[start..], out);
        } else if !body.is_empty() {
            out.push(join(prefix, body.split(" as ").next().unwrap().trim()));
        }
    }
    fn join(a: &str, b: &str) -> String {
        match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_string(),
            (_, true) => a.to_string(),
            _ => format!("{a}::{b}"),
        }
    }
    let mut found = Vec::new();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub")
            .map_or(t, |r| r.trim_start_matches(|c| c != ' ').trim_start());
        if let Some(rest) = t.strip_prefix("use ") {
            let from = offset + (line.len() - rest.len());
            if let Some(end) = code[from..].find(';') {
                let stmt: String = code[from..from + end].split_whitespace().collect();
                expand("", &stmt, &mut found);
            }
        }
        offset += line.len();
    }
    let text = code;
    for key in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(key) {
            let at = from + i;
            let before = text[..at].chars().next_back();
            if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                let end = text[at..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .map_or(text.len(), |e| at + e);
                found.push(text[at..end].trim_end_matches(':').to_string());
            }
            from = at + key.len();
        }
    }
    found
        .into_iter()
        .map(|p| {
            p.split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

/// The module a path lands in, from module `at` (the deepest module it names).
fn target(at: &[String], path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let (mut base, rest): (Vec<String>, &[String]) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (at.to_vec(), &path[1..]),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            (at[..at.len().saturating_sub(ups)].to_vec(), &path[ups..])
        }
        _ => return None,
    };
    let mut best = None;
    for seg in rest {
        base.push(seg.clone());
        if modules.contains(&base) {
            best = Some(base.clone());
        } else {
            break;
        }
    }
    best
}

/// A module's edges to the modules it uses, leaving out its own descendants
/// (a parent declares and re-exports its children).
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.keys().map(|f| module_of(f)).collect();
    let mut edges = BTreeMap::new();
    for (file, text) in &files {
        let at = module_of(file);
        let to: BTreeSet<Vec<String>> = paths(&code(text))
            .iter()
            .filter_map(|p| target(&at, p, &modules))
            .filter(|t| !t.starts_with(&at))
            .collect();
        edges.insert(at, to);
    }
    edges
}

#[test]
fn no_module_circles() {
    let edges = graph();
    // A circle exists iff some module reaches itself: depth-first from each.
    let mut circles = Vec::new();
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(Vec<String>, Vec<String>)> =
            vec![(start.clone(), vec![start.join("::")])];
        while let Some((m, trail)) = stack.pop() {
            for next in &edges[&m] {
                if next == start {
                    circles.push(format!("{} -> {}", trail.join(" -> "), start.join("::")));
                } else if seen.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.join("::"));
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    circles.sort_by_key(|c| c.len());
    assert!(
        circles.is_empty(),
        "module circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_check_sees_a_circle() {
    // The parser itself: two siblings naming each other are found.
    let a = paths("use super::b::{x, y::z};\nfn f() { crate::c::d(); }");
    let at = vec!["m".to_string(), "a".to_string()];
    let modules: BTreeSet<Vec<String>> = [vec!["m", "b"], vec!["m", "b", "y"], vec!["c"]]
        .iter()
        .map(|v| v.iter().map(|s| s.to_string()).collect())
        .collect();
    let hits: BTreeSet<Vec<String>> = a.iter().filter_map(|p| target(&at, p, &modules)).collect();
    let want: BTreeSet<Vec<String>> = [vec!["m", "b"], vec!["m", "b", "y"], vec!["c"]]
        .iter()
        .map(|v| v.iter().map(|s| s.to_string()).collect())
        .collect();
    assert_eq!(hits, want);
}

/// The file names the code map mentions, brace lists expanded
/// (`engine/queue/{radix.rs,pending.rs}`).
fn mapped(doc: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for quoted in doc.split('`').skip(1).step_by(2) {
        if let (Some(open), Some(close)) = (quoted.find('{'), quoted.find('}')) {
            let (head, tail) = (&quoted[..open], &quoted[close + 1..]);
            for item in quoted[open + 1..close].split(',') {
                out.insert(format!("{head}{}{tail}", item.trim()));
            }
        } else {
            out.insert(quoted.to_string());
        }
    }
    out
}

#[test]
fn architecture_md_maps_every_source_file() {
    let doc = std::fs::read_to_string(repo("ARCHITECTURE.md")).unwrap();
    let named = mapped(&doc);
    let missing: Vec<String> = sources()
        .keys()
        // Unit tests beside their module (`queue/tests.rs`) belong to it.
        .filter(|f| !f.ends_with("/tests.rs"))
        .filter(|f| !named.contains(*f) && !named.contains(&format!("src/{f}")))
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "source files the code map of ARCHITECTURE.md does not name: {missing:?}"
    );
}

#[test]
fn the_crate_forbids_unsafe_code() {
    for root in ["src/lib.rs", "src/main.rs"] {
        let text = std::fs::read_to_string(repo(root)).unwrap();
        assert!(text.contains("#![forbid(unsafe_code)]"), "{root}");
    }
}

/// Output goes through `cli::meta::print` and messages through `say!`, which
/// survive a closed pipe; the standard macros panic there. Code outside the
/// CLI prints nothing at all (its unit tests aside).
#[test]
fn nothing_prints_with_the_macros_that_panic_on_a_closed_pipe() {
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| {
            let code = code(text);
            ["println!", "print!(", "eprint!(", "dbg!("]
                .iter()
                .any(|m| code.contains(m))
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        found.is_empty(),
        "print with `say!` or `meta::print`: {found:?}"
    );
}
