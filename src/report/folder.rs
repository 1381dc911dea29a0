//! Report folders as one coherent set. A run's files are written into a fresh
//! temporary folder created exclusively next to the target, then swapped in by
//! one atomic exchange of the two folders ([`swap`]), so a kill at any instant
//! leaves either the previous set or the new set under the target's name (and
//! at most a superseded set beside it, which the next run removes). Never a mix
//! of two runs, never a file of another run beside the new ones, never a write
//! through a planted symbolic link.
//!
//! A small provenance marker ([`MARKER`]) travels with each set, so a later run
//! can say whose reports it replaces, so a folder that is not a report folder
//! (say `--out ~`) is never replaced, and so a set written before its command
//! finished (a sweep's finished points) says it is incomplete.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub use mark::FolderMark;

/// Name of the provenance marker inside every report folder.
pub const MARKER: &str = ".provenance.json";

/// Longest final folder name accepted: the temporary sibling adds a suffix and
/// most file systems cap a name at 255 bytes.
const MAX_NAME: usize = 200;

/// A path shortened to its ends, for one-line messages.
fn short(p: &Path) -> String {
    let s: Vec<char> = p.display().to_string().chars().collect();
    if s.len() <= 80 {
        return s.into_iter().collect();
    }
    let head: String = s[..30].iter().collect();
    let tail: String = s[s.len() - 30..].iter().collect();
    format!("{head}...{tail}")
}

/// Why an output folder cannot be used; found before anything is simulated.
#[derive(Debug, thiserror::Error)]
#[error("output folder `{}`: {reason}", short(dir))]
pub struct OutDirError {
    /// The folder.
    pub dir: PathBuf,
    /// What is wrong, in one line.
    pub reason: String,
}

/// What a check of the output folder found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// Nothing there yet (or an empty folder).
    Nothing,
    /// Reports of the same scenario file, content and policy.
    Same,
    /// Something the new set will replace, described for the user.
    Other(String),
}

/// Check that `dir` can receive a report set, before any simulation: every
/// existing ancestor is a folder, the names fit, the parent is writable (probed by
/// creating and removing an exclusive temporary folder), and an existing `dir` is
/// a report folder. Creates the missing parent folders.
pub fn check_out_dir(dir: &Path, prov: Option<&FolderMark>) -> Result<Previous, OutDirError> {
    let fail = |reason: String| OutDirError {
        dir: dir.to_path_buf(),
        reason,
    };
    let (parent, name) = split(dir).map_err(fail)?;
    if name.len() > MAX_NAME {
        return Err(fail(format!(
            "the folder name is {} bytes long; at most {MAX_NAME}",
            name.len()
        )));
    }
    if let Some(long) = dir.iter().find(|c| c.len() > 255) {
        let excerpt: String = long.to_string_lossy().chars().take(20).collect();
        return Err(fail(format!(
            "the path component `{excerpt}...` is longer than 255 bytes"
        )));
    }
    for a in dir
        .ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
    {
        if let Ok(m) = fs::symlink_metadata(a) {
            if !m.is_dir() && !fs::metadata(a).is_ok_and(|m| m.is_dir()) {
                return Err(fail(format!("`{}` is a file, not a folder", a.display())));
            }
        }
    }
    let previous = inspect(dir, prov).map_err(fail)?;
    fs::create_dir_all(&parent).map_err(|e| fail(format!("cannot create it: {}", os(&e))))?;
    let probe = create_temp_dir(&parent, &name, "probe").map_err(|e| {
        fail(format!(
            "cannot write in `{}`: {}",
            parent.display(),
            os(&e)
        ))
    })?;
    let _ = fs::remove_dir(probe);
    Ok(previous)
}

/// What `dir` holds today, refusing anything that is not a report folder.
fn inspect(dir: &Path, prov: Option<&FolderMark>) -> Result<Previous, String> {
    let meta = match fs::symlink_metadata(dir) {
        Err(_) => return Ok(Previous::Nothing),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        return Err("is a symbolic link; give the folder it points to with --out".into());
    }
    if !meta.is_dir() {
        return Err("a file of that name exists; give another --out".into());
    }
    let names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read it: {}", os(&e)))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Previous::Nothing);
    }
    if names.iter().any(|n| n == MARKER) {
        let old = crate::input::read_limited(&dir.join(MARKER), 1 << 20)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| FolderMark::from_json(&t));
        return Ok(match (old, prov) {
            (Some(o), Some(p)) if o.same_study(p) => Previous::Same,
            (Some(o), _) => Previous::Other(o.describe()),
            (None, _) => Previous::Other("reports with an unreadable provenance marker".into()),
        });
    }
    if let Some(stranger) = names.iter().find(|n| !is_report_file(n)) {
        let excerpt: String = stranger.chars().take(40).collect();
        return Err(format!(
            "exists and is not a report folder (it holds `{excerpt}`); choose another --out or empty it"
        ));
    }
    Ok(Previous::Other(
        "reports written before provenance markers existed".into(),
    ))
}

/// Whether `dir` holds a complete report set: a report folder whose marker
/// does not say it is incomplete (a set from before markers existed, or with
/// an unreadable one, counts as complete: it is kept, not overwritten).
pub fn holds_complete_set(dir: &Path) -> bool {
    match inspect(dir, None) {
        Ok(Previous::Nothing) | Err(_) => false,
        Ok(_) => fs::read_to_string(dir.join(MARKER))
            .ok()
            .and_then(|t| FolderMark::from_json(&t))
            .is_none_or(|m| m.incomplete.is_none()),
    }
}

/// Remove `dir` if it holds a set marked incomplete (superseded by a
/// complete one elsewhere); anything else is left alone.
pub fn remove_incomplete_set(dir: &Path) {
    let marked = fs::read_to_string(dir.join(MARKER))
        .ok()
        .and_then(|t| FolderMark::from_json(&t))
        .is_some_and(|m| m.incomplete.is_some());
    if marked && !fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Files earlier versions of regionsim wrote into a report folder.
fn is_report_file(name: &str) -> bool {
    let ext = Path::new(name).extension().and_then(OsStr::to_str);
    matches!(ext, Some("png" | "svg"))
        || name.contains(".tmp-")
        || [
            "summary.json",
            "summary.md",
            "timeseries.csv",
            "replications.csv",
            "report.html",
            "compare.json",
            "compare.md",
            "sweep.csv",
            "sweep.json",
            "plan.json",
            "plan.md",
            "planned.json",
        ]
        .contains(&name)
}

/// The OS error's own text, without the "(os error N)" tail std appends.
fn os(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn split(dir: &Path) -> Result<(PathBuf, String), String> {
    let name = dir
        .file_name()
        .ok_or("give a folder with a name (not `.`, `..` or `/`)")?
        .to_str()
        .ok_or("the folder name is not valid UTF-8")?
        .to_string();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Distinguishes temporary folders of one process.
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Create `.{name}.{kind}-{pid}-{n}` in `parent`, exclusively (fails rather than
/// reuse anything already there, a planted symbolic link included).
fn create_temp_dir(parent: &Path, name: &str, kind: &str) -> std::io::Result<PathBuf> {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".{name}.{kind}-{}-{n}", std::process::id()));
        match fs::create_dir(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => return other.map(|()| path),
        }
    }
}

/// Whether the process `pid` still runs (always false where /proc is absent).
fn alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Remove temporary and superseded sets of `name` that killed runs left in `parent`.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let Some((kind, tail)) = rest.split_once('-') else {
            continue;
        };
        let pid = tail.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if matches!(kind, "tmp" | "old" | "probe") && pid.is_some_and(|p| !alive(p)) {
            let path = e.path();
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
        }
    }
}

/// Write one file inside a fresh folder: created exclusively, synced.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Write `files` (and the marker) as the whole content of `dir`, replacing what
/// was there; returns the paths the files have in `dir`.
pub fn write_set<N: AsRef<str>>(
    dir: &Path,
    files: Vec<(N, Vec<u8>)>,
    prov: Option<&FolderMark>,
) -> std::io::Result<Vec<PathBuf>> {
    let invalid = |m: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, m);
    let (parent, name) = split(dir).map_err(invalid)?;
    inspect(dir, prov).map_err(invalid)?;
    fs::create_dir_all(&parent)?;
    remove_leftovers(&parent, &name);
    let tmp = create_temp_dir(&parent, &name, "tmp")?;
    let result = fill(&tmp, dir, files, prov).and_then(|written| {
        swap::swap_in(&parent, &name, &tmp, dir)?;
        Ok(written)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn fill<N: AsRef<str>>(
    tmp: &Path,
    dir: &Path,
    files: Vec<(N, Vec<u8>)>,
    prov: Option<&FolderMark>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(files.len());
    for (file, bytes) in &files {
        write_new(&tmp.join(file.as_ref()), bytes)?;
        written.push(dir.join(file.as_ref()));
    }
    if let Some(p) = prov {
        write_new(&tmp.join(MARKER), p.to_json().as_bytes())?;
    }
    swap::sync_dir(tmp);
    Ok(written)
}

mod mark;
mod swap;

#[cfg(test)]
mod tests;
