//! Every relative link of the README, ARCHITECTURE.md, CHANGELOG.md and
//! docs/ leads somewhere: the file exists and, for a Markdown file, so does
//! the heading (or `<a id>`) its anchor names. Headings are renamed as the
//! documents are reorganised, and a link to an old one fails silently on
//! GitHub: the reader lands at the top of a 1 000-line page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::repo;

/// The lines outside fenced code blocks.
fn unfenced(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|line| {
            let fence = line.trim_start().starts_with("```");
            fenced ^= fence;
            !fence && !fenced
        })
        .collect()
}

/// The text outside fenced code blocks and inline code spans, where a
/// `](...)` is a link rather than an example.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for line in unfenced(text) {
        // Drop inline code: every other backtick-delimited piece.
        for (k, piece) in line.split('`').enumerate() {
            if k % 2 == 0 {
                out.push_str(piece);
            }
        }
        out.push('\n');
    }
    out
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-`
/// and `_` dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors a Markdown file offers: its headings' slugs (a repeated one
/// also as `slug-1`, `slug-2`, ...) and its explicit `<a id="...">`s.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in unfenced(text) {
        if let Some(h) = line.strip_prefix('#') {
            let base = slug(h.trim_start_matches('#').replace('`', "").as_str());
            let mut name = base.clone();
            let mut n = 0;
            while !out.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
        }
        for piece in line.split("<a id=\"").skip(1) {
            if let Some((id, _)) = piece.split_once('"') {
                out.insert(id.to_string());
            }
        }
    }
    out
}

/// The targets of the inline links `[text](target)` of some prose.
fn links(prose: &str) -> Vec<String> {
    prose
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(t, _)| t.trim().to_string()))
        .filter(|t| !t.is_empty() && !t.contains(' '))
        .collect()
}

fn documents(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "CHANGELOG.md"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ is readable")
        .map(|e| e.expect("a docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// Why a link of `from` to `target` leads nowhere, if it does.
fn broken(from: &Path, target: &str) -> Option<String> {
    if target.contains("://") || target.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    let file = if path.is_empty() {
        from.to_path_buf()
    } else {
        from.parent().expect("a document's folder").join(path)
    };
    if !file.exists() {
        return Some(format!("no file {}", file.display()));
    }
    if anchor.is_empty() || file.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let text = std::fs::read_to_string(&file).expect("a linked document is readable");
    (!anchors(&text).contains(anchor)).then(|| format!("no heading #{anchor}"))
}

#[test]
fn every_relative_link_of_the_documents_leads_to_a_file_and_heading() {
    let root = repo("");
    let (mut bad, mut checked) = (Vec::new(), 0);
    for doc in documents(&root) {
        let text = std::fs::read_to_string(&doc).expect("a document is readable");
        for target in links(&prose(&text)) {
            checked += 1;
            if let Some(why) = broken(&doc, &target) {
                let name = doc.strip_prefix(&root).unwrap_or(&doc).display();
                bad.push(format!("{name}: ({target}): {why}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "links that lead nowhere:\n{}",
        bad.join("\n")
    );
    // The documents link to each other over a hundred times: a parser that
    // found none would pass vacuously.
    assert!(checked > 80, "only {checked} links found");
}

#[test]
fn the_link_check_sees_a_missing_heading_and_file() {
    let root = repo("");
    let readme = root.join("README.md");
    assert_eq!(broken(&readme, "docs/performance.md"), None);
    assert_eq!(
        broken(&readme, "docs/performance.md#where-it-stands-2026-12-07"),
        None
    );
    assert!(broken(&readme, "docs/performance.md#no-such-heading").is_some());
    assert!(broken(&readme, "docs/no-such-file.md").is_some());
    assert_eq!(slug(" `regions[]`".replace('`', "").as_str()), "regions");
    assert_eq!(
        links(&prose("see [a](x.md#b) and `[c](d)`\n```\n[e](f)\n```\n")),
        vec!["x.md#b".to_string()]
    );
}
