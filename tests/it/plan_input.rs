//! `plan`'s input at the edge: bounds as wide as a `u32` planned without
//! listing them.

use std::path::Path;

use assert_cmd::Command;

use crate::common::repo;
use crate::plan::plan_cli;

const SPILL: &str = "scenarios/tests/plan-spill.json";

/// `--bounds us-east=0:4294967295` once listed every value of the lattice
/// (4.3 G values; killed at 4.2 GB and growing): values are now computed
/// from their index, and the descent touches O(log width) of them.
#[test]
fn bounds_as_wide_as_a_u32_plan_in_seconds_and_find_the_same_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (narrow, wide) = (dir.path().join("narrow"), dir.path().join("wide"));
    plan_cli(&repo(SPILL), &narrow, &["--no-charts"]).success();
    Command::cargo_bin("regionsim")
        .unwrap()
        .args([
            "plan",
            repo(SPILL).to_str().unwrap(),
            "--quiet",
            "--no-charts",
        ])
        .args(["--bounds", "us-east=0:4294967295,ap-south=0:4294967295"])
        .arg("--out")
        .arg(&wide)
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    let plan = |d: &Path| {
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join("plan.json")).unwrap()).unwrap();
        assert_eq!(doc["status"], "verified");
        doc["plan"]["verification"]["capacities"].clone()
    };
    assert_eq!(plan(&wide), plan(&narrow));
}
