//! `plan`'s input at the edge: a shard or a scheduler's index refused (a plan
//! cannot be split), refusals naming the flag and value or the scenario's file,
//! field and line, and bounds as wide as a `u32` planned without listing them.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

use crate::common::repo;
use crate::plan::plan_cli;

const SPILL: &str = "scenarios/tests/plan-spill.json";

/// `--cost` for a region without a deployment priced nothing and was taken
/// silently; it is refused naming the flag, the region and the regions that
/// have deployments.
#[test]
fn a_cost_for_a_region_without_deployments_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let extra = ["--target", "overflow_rate<=0.1", "--cost", "sa-edge=2"];
    plan_cli(&repo("scenarios/tests/tiny.json"), &out, &extra)
        .code(2)
        .stderr(
            contains("--cost sa-edge=2: region `sa-edge` has no deployment")
                .and(contains("regions with deployments: us-east, eu-central")),
        );
    assert!(!out.exists());
}

/// Planning is sequential (each candidate depends on the ones before it): a
/// shard flag or a scheduler's array index once ran the whole plan in every
/// task of a job array, silently. Each is refused by name.
#[test]
fn plan_refuses_to_run_as_a_shard() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    // (flags, environment variable, message)
    type Case = (
        &'static [&'static str],
        Option<(&'static str, &'static str)>,
        &'static str,
    );
    let cases: [Case; 4] = [
        (
            &["--shard", "0/2"],
            None,
            "--shard 0/2: `plan` cannot be sharded",
        ),
        (
            &["--shards", "2"],
            None,
            "--shards 2: `plan` cannot be sharded",
        ),
        (
            &[],
            Some(("SLURM_ARRAY_TASK_ID", "3")),
            "SLURM_ARRAY_TASK_ID=3 is set: `plan` cannot be sharded",
        ),
        (
            &[],
            Some(("JOB_COMPLETION_INDEX", "1")),
            "JOB_COMPLETION_INDEX=1 is set: `plan` cannot be sharded",
        ),
    ];
    for (args, var, message) in cases {
        let mut cmd = Command::cargo_bin("regionsim").unwrap();
        for v in ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"] {
            cmd.env_remove(v);
        }
        if let Some((k, v)) = var {
            cmd.env(k, v);
        }
        cmd.args(["plan", repo(SPILL).to_str().unwrap(), "--quiet", "--out"])
            .arg(&out)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(message));
        assert!(!out.exists(), "{message}");
    }
}

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

/// A variable the targets leave nearly free (here us-east, which the timeline
/// migrates away, started far up the ray with the other) over bounds as wide
/// as a u32: the search re-centred its box one step at a time down the whole
/// range and ignored `--max-candidates` while doing so (a plan the fuzz
/// campaign killed after 300 s); with the budget enforced it stopped at 161
/// million slots. The variable now slides down by galloping and the plan is
/// the one of the shipped bounds, in a few dozen candidates; the budget still
/// stops every phase.
#[test]
fn a_free_variable_over_wide_bounds_slides_to_the_plan_of_narrow_bounds() {
    let scenario = repo("scenarios/tests/plan-migration.json");
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &Path, args: &[&str]| {
        plan_cli(&scenario, out, &[&["--no-charts"], args].concat()).success();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap();
        doc
    };
    let narrow = run(&dir.path().join("narrow"), &[]);
    let wide = run(
        &dir.path().join("wide"),
        &["--bounds", "us-east=0:4294967295"],
    );
    let caps = |d: &serde_json::Value| d["plan"]["verification"]["capacities"].clone();
    assert_eq!(wide["status"], "verified");
    assert_eq!(caps(&wide), caps(&narrow));
    assert_eq!(wide["search"]["budget_hit"], false);
    // The walk spent the whole default budget (2000). Galloping over a u32
    // costs at most 2 x 32 probes per slide, the ray about 32 and the levels
    // a few each: well under 150 (86 when written).
    let evaluated = wide["search"]["candidates"].as_array().unwrap().len();
    assert!(evaluated <= 150, "{evaluated} candidates");

    let cut = run(
        &dir.path().join("cut"),
        &["--bounds", "us-east=0:4294967295", "--max-candidates", "20"],
    );
    assert_eq!(cut["search"]["budget_hit"], true);
    // The last phase's descent may add a few past the budget.
    let evaluated = cut["search"]["candidates"].as_array().unwrap().len();
    assert!(evaluated <= 40, "{evaluated} candidates for a budget of 20");
    let md = std::fs::read_to_string(dir.path().join("cut/plan.md")).unwrap();
    assert!(md.contains("The candidate budget cut the search short"));
}

/// Hourly schedules are of slot capacities and autoscaled pools' floors; a
/// scenario whose only deployment is a fixed pool has nothing to schedule,
/// so `--hourly` is refused, saying so.
#[test]
fn an_hourly_plan_of_a_fixed_pool_alone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    plan_cli(
        &repo("scenarios/tests/plan-workers.json"),
        &out,
        &["--hourly"],
    )
    .code(2)
    .stderr(
        contains("plan-workers.json: --hourly: no deployment has an hourly knob")
            .and(contains("planned statically")),
    );
    assert!(!out.exists());
}

/// Each of `plan`'s own refusals names the flag and the value as given;
/// `--target` and `--cost` are checked by the scenario's own `slo` rules (one
/// copy of them), their complaints carried back to the flag.
#[test]
fn bad_planning_flags_exit_2_naming_the_flag_and_the_value() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--target", "bogus<=1"],
            "--target bogus<=1: unknown target metric `bogus`",
        ),
        (
            &["--target", "overflow_rate>=0.1"],
            "contradicts its metric",
        ),
        (
            &[
                "--target",
                "overflow_rate<=0.1",
                "--target",
                "overflow_rate<=0.2",
            ],
            "given twice",
        ),
        (
            &["--target", "overflow_rate[nobody]<=0.1"],
            "--target overflow_rate[nobody]<=0.1: `nobody` is not a population; the populations: ",
        ),
        (
            &["--target", "overflow_rate<=1.5"],
            "--target overflow_rate<=1.5: must be a share between 0 and 1",
        ),
        (
            &["--target", "media_rtt_ms.p95[nobody]<=150"],
            "--target media_rtt_ms.p95[nobody]<=150: `nobody` is not a population",
        ),
        (
            &["--target", "overflow_rate[us-east]<=0.1"],
            "`us-east` is a region; targets are scoped by population (only `utilization` by region)",
        ),
        (
            &["--cost", "us-east\"][\"x=1"],
            "--cost us-east\"][\"x=1: unknown region `us-east\"][\"x`",
        ),
        (
            &["--open-cost", "NaN"],
            "--open-cost NaN: not a finite number",
        ),
        (
            &["--target", "utilization[us-east]>=1"],
            "strictly between 0 and 1",
        ),
        (
            &["--cost", "mars=1"],
            "--cost mars=1: unknown region `mars`",
        ),
        (
            &["--cost", "us-east=0"],
            "--cost us-east=0: must be a finite number > 0",
        ),
        (
            &["--bounds", "us-east=9:3"],
            "--bounds us-east=9:3: the lower bound exceeds the upper (9 > 3)",
        ),
        (
            &["--bounds", "us-east=x:3"],
            "--bounds us-east=x:3: `x` is not a whole number",
        ),
        (
            &["--bounds", "us-east"],
            "--bounds us-east: expected DEPLOYMENT=MIN:MAX",
        ),
        (
            &["--bounds", "nowhere=1:2"],
            "--bounds nowhere=1:2: unknown deployment `nowhere`",
        ),
        (&["--step", "0"], "--step 0: a step must be at least 1"),
        (
            &["--step", "us-east=0"],
            "--step us-east=0: a step must be at least 1",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in cases {
        let out = dir.path().join("never");
        plan_cli(&repo(SPILL), &out, args)
            .code(2)
            .stderr(contains(*message));
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
}

#[test]
fn bad_planning_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo(SPILL)).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        text.replace("\"overflow_rate\": 0.12", "\"overflow\": 0.12"),
    )
    .unwrap();
    plan_cli(&bad, &dir.path().join("never"), &[])
        .code(2)
        .stderr(contains("slo.targets.overflow").and(contains("unknown target metric")));
    std::fs::write(&bad, text.replace("\"ap-south\": 0.9", "\"mars\": 0.9")).unwrap();
    plan_cli(&bad, &dir.path().join("never"), &[])
        .code(2)
        .stderr(contains("slo.cost.mars").and(contains("unknown region `mars`")));
    let targets = "\"targets\": { \"rejection_rate\": 0.02, \"overflow_rate\": 0.12 }";
    assert!(text.contains(targets));
    for (replacement, message) in [
        (
            "\"targets\": { \"populations\": { \"nobody\": { \"overflow_rate\": 0.1 } } }",
            "slo.targets.populations.nobody",
        ),
        (
            "\"targets\": { \"regions\": { \"us-east\": { \"overflow_rate\": 0.1 } } }",
            "only utilization is per region",
        ),
        (
            "\"targets\": { \"slo_attainment.both\": 1 }",
            "an attainment of 1",
        ),
    ] {
        std::fs::write(&bad, text.replace(targets, replacement)).unwrap();
        plan_cli(&bad, &dir.path().join("never"), &[])
            .code(2)
            .stderr(contains(message));
    }
    let no_targets = dir.path().join("none.json");
    std::fs::write(
        &no_targets,
        std::fs::read_to_string(repo("scenarios/tests/tiny.json")).unwrap(),
    )
    .unwrap();
    plan_cli(&no_targets, &dir.path().join("never"), &[])
        .code(2)
        .stderr(contains("none.json: at `slo.targets`").and(contains("no planning targets")));
}
