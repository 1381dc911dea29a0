//! Unit tests of report folders: the provenance mark round-trips (incomplete
//! sets included), only leftovers whose names parse as a dead run's are
//! removed, and a swap never leaves the folder's name missing.

use super::mark::fnv1a;
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

#[test]
fn an_incomplete_mark_round_trips_and_names_the_same_study() {
    let p = FolderMark::new("sweep", Path::new("s.json"), b"{}", None);
    let part = p.incomplete(3, 40);
    assert_eq!(FolderMark::from_json(&part.to_json()), Some(part.clone()));
    assert!(part.same_study(&p));
    assert_eq!(p.incomplete(40, 40), p);
}

/// The swap used to rename the old set aside and then the new one in: between
/// the two renames the folder's name was missing. Watched from another thread
/// over many swaps, it never is now (where the system offers the exchange).
#[cfg(target_os = "linux")]
#[test]
fn a_swapped_report_folder_never_goes_missing() {
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    write_set(&out, vec![("summary.json", b"0".to_vec())], None).unwrap();
    let stop = AtomicBool::new(false);
    let (missing, written) = std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut missing = 0u32;
            while !stop.load(Ordering::Relaxed) {
                missing += u32::from(fs::symlink_metadata(&out).is_err());
            }
            missing
        });
        let written: std::io::Result<()> = (0..300).try_for_each(|i| {
            let files = vec![("summary.json", i.to_string().into_bytes())];
            write_set(&out, files, None).map(drop)
        });
        stop.store(true, Ordering::Relaxed);
        (watcher.join().unwrap(), written)
    });
    written.unwrap();
    assert_eq!(missing, 0);
    assert_eq!(fs::read(out.join("summary.json")).unwrap(), b"299");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no leftover");
}

/// Where the exchange is refused, the two renames still put the new set in
/// place and remove the old one.
#[test]
fn the_two_renames_fallback_replaces_the_set() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("r"), dir.path().join(".r.tmp-1-0"));
    fs::create_dir(&old).unwrap();
    fs::write(old.join("x"), "old").unwrap();
    fs::create_dir(&new).unwrap();
    fs::write(new.join("x"), "new").unwrap();
    swap::two_renames(dir.path(), "r", &new, &old).unwrap();
    assert_eq!(fs::read_to_string(old.join("x")).unwrap(), "new");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}
