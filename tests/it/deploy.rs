//! The deployment recipes and build claims: the Rust version Cargo.toml
//! declares is the one the Dockerfile, the README and CI use.

use std::path::Path;

use crate::common::repo;

/// `rust-version` in Cargo.toml (checked in CI by building with exactly that
/// toolchain) is the toolchain the Dockerfile builds with and the README names.
#[test]
fn rust_version_is_the_one_the_dockerfile_readme_and_ci_use() {
    let read = |f: &str| std::fs::read_to_string(repo(f)).unwrap();
    let manifest = read("Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("Cargo.toml declares rust-version");
    let docker = read("deploy/k8s/Dockerfile");
    assert!(
        docker.contains(&format!("FROM rust:{version}-")),
        "deploy/k8s/Dockerfile does not build with Rust {version}"
    );
    assert!(
        read("README.md").contains(&format!("Rust {version} or newer")),
        "README.md does not name Rust {version}"
    );
    let ci = read(".ci/run");
    assert!(
        ci.contains("rust-version = ") && ci.contains(r#"cargo +"$msrv" check --locked"#),
        ".ci/run does not check the build with the rust-version toolchain"
    );
    assert!(Path::new(&repo("Cargo.lock")).exists());
}
