//! Putting a finished set in place of the previous one without a moment when
//! the target's name is missing. On Linux the two folders are exchanged in one
//! step (`renameat2` with `RENAME_EXCHANGE`): the target's name goes from the
//! old set to the new one atomically, and the old set, now under the temporary
//! name, is removed after (or by the next run, if this one is killed first).
//! Where the system or the file system refuses the exchange (another OS, an
//! old kernel, some network or FUSE file systems), the old set is renamed aside
//! and the new one renamed in: two renames, with a brief window between them
//! in which the target's name is absent.

use std::fs;
use std::io;
use std::path::Path;

use super::create_temp_dir;

/// Move the finished set `tmp` into place as `dir` (in `parent`, named
/// `name`); the previous set, if any, is removed once replaced.
pub(super) fn swap_in(parent: &Path, name: &str, tmp: &Path, dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir).is_err() {
        // Nothing to replace: one rename, atomic by itself.
        fs::rename(tmp, dir)?;
        sync_dir(parent);
        return Ok(());
    }
    match exchange(tmp, dir) {
        Ok(()) => {
            sync_dir(parent);
            // `tmp` now holds the previous set; a failure to remove it leaves a
            // leftover the next run removes, not a failed write.
            let _ = fs::remove_dir_all(tmp);
            Ok(())
        }
        Err(e) if refused(&e) => two_renames(parent, name, tmp, dir),
        Err(e) => Err(e),
    }
}

/// Whether `e` says the exchange itself is unavailable here (rather than
/// that the folders cannot be renamed at all).
fn refused(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::io::Errno;
        let refusals = [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP, Errno::PERM];
        if let Some(code) = e.raw_os_error() {
            return refusals.iter().any(|r| r.raw_os_error() == code);
        }
    }
    false
}

/// Exchange the folders `a` and `b` atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange on this system: always the two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The fallback: the previous set renamed aside first, the new one renamed
/// in, the previous one removed after (put back if the second rename fails).
pub(super) fn two_renames(parent: &Path, name: &str, tmp: &Path, dir: &Path) -> io::Result<()> {
    let old = create_temp_dir(parent, name, "old")?;
    fs::remove_dir(&old)?;
    fs::rename(dir, &old)?;
    if let Err(e) = fs::rename(tmp, dir) {
        // Put the previous set back rather than leave no folder.
        let _ = fs::rename(&old, dir);
        return Err(e);
    }
    sync_dir(parent);
    let _ = fs::remove_dir_all(old);
    Ok(())
}

/// Flush a folder's entries (best effort: not every file system allows it).
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
