//! Unit tests of report folders: the provenance mark round-trips, and only
//! leftovers whose names parse as a dead run's are removed.

use super::*;

#[test]
fn provenance_round_trips() {
    let p = FolderMark::new("run", Path::new("a b.json"), b"{}", Some("x"));
    assert_eq!(FolderMark::from_json(&p.to_json()), Some(p));
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
}

#[test]
fn leftover_names_are_parsed_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join(".r.tmp-999999999-0");
    let foreign = dir.path().join(".r.tmp-notapid");
    fs::create_dir(&dead).unwrap();
    fs::create_dir(&foreign).unwrap();
    remove_leftovers(dir.path(), "r");
    assert!(!dead.exists());
    assert!(foreign.exists());
}
