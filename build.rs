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

fn main() {
    println!("cargo:rerun-if-env-changed=REGIONSIM_GIT_COMMIT");
    let commit = std::env::var("REGIONSIM_GIT_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "HEAD"]));
    // Rebuild when HEAD moves: HEAD itself (branch switches) and the branch ref
    // (commits). Without these lines cargo would rerun this script on any file
    // change in the package, recompiling the crate for an edited Markdown file.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!(
            "cargo:rerun-if-changed={}",
            root.join(dir).join("HEAD").display()
        );
    }
    if let Some(common) = git(&["rev-parse", "--git-common-dir"]) {
        let common = root.join(common);
        println!(
            "cargo:rerun-if-changed={}",
            common.join("packed-refs").display()
        );
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={}", common.join(branch).display());
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
