//! Build script: records the git commit the binary is built from, so every
//! report can say which code produced it. Without git (a source tarball, a
//! vendored build) the commit is simply unknown; the build never fails for it.
//! `REGIONSIM_GIT_COMMIT` set in the environment wins (packagers).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// Rebuild when `path` changes, if it exists (a directory: anything in it).
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=REGIONSIM_GIT_COMMIT");
    let commit = std::env::var("REGIONSIM_GIT_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "HEAD"]));
    // Rebuild when HEAD moves: HEAD itself (branch switches) and the branch ref
    // (commits). Without these lines cargo would rerun this script on any file
    // change in the package, recompiling the crate for an edited Markdown file.
    // Only paths that exist are named: cargo counts a missing one as changed
    // at every build, which recompiled the crate for every command in a
    // repository without `packed-refs`.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        watch(&root.join(dir).join("HEAD"));
    }
    if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
        let common = root.join(common);
        watch(&common.join("packed-refs"));
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            let branch = common.join(branch);
            if branch.is_file() {
                watch(&branch);
            } else if let Some(dir) = branch.parent() {
                // A packed branch: its first commit writes a loose ref there.
                watch(dir);
            }
        }
    }
    if commit.is_none() {
        println!("cargo:rerun-if-changed=build.rs");
    }
    println!(
        "cargo:rustc-env=REGIONSIM_GIT_COMMIT={}",
        commit.unwrap_or_default()
    );
}
