//! Experiments: research policies against exact equivalences, common random
//! numbers, interval coverage, and the compare / sweep commands.

use assert_cmd::Command;
use regionsim::experiment::{compare, replicate_policy, Comparison};
use regionsim::model::World;

use crate::common::*;

fn compare_all(w: &World, labels: &[&str]) -> Comparison {
    let specs: Vec<_> = labels
        .iter()
        .map(|l| (l.to_string(), w.policy_named(l).unwrap().clone()))
        .collect();
    compare(w, &specs, w.run().replications, &()).unwrap()
}

/// Policies that must make the same decision for every user produce identical
/// statistics on common random numbers, to the last bit.
#[test]
fn equivalent_policies_give_identical_results() {
    let w = world("scenarios/tests/policies.json");
    let groups: [&[&str]; 2] = [
        &["no_spill", "explicit", "least_loaded_0", "power_of_one"],
        &["nearest", "score_0"],
    ];
    for group in groups {
        let cmp = compare_all(&w, group);
        for (label, est) in cmp.labels.iter().zip(&cmp.estimates).skip(1) {
            assert_eq!(
                est.point, cmp.estimates[0].point,
                "{label} differs from {}",
                cmp.labels[0]
            );
        }
    }
}

/// A policy that serves whenever any region has room leaves the total occupancy
/// path unchanged, so on common random numbers it rejects exactly the same users.
#[test]
fn work_conserving_policies_reject_the_same_sessions() {
    let w = world("scenarios/tests/policies.json");
    let cmp = compare_all(&w, &["nearest", "least_loaded", "power_of_two", "score"]);
    let rejected = cmp.estimates[0].point.rejected;
    assert!(rejected > 0.0);
    for (label, est) in cmp.labels.iter().zip(&cmp.estimates) {
        assert_eq!(est.point.rejected, rejected, "{label}");
    }
    // ... while spreading load differently.
    assert!(cmp.estimates[1].point.overflow_rate > cmp.estimates[0].point.overflow_rate + 0.1);
}

#[test]
fn geo_fenced_population_never_leaves_its_fence() {
    let w = world("scenarios/tests/policies.json");
    let est = replicate_policy(&w, w.policy_named("fenced").unwrap(), 4, &()).unwrap();
    let eu = w
        .regions()
        .iter()
        .position(|r| r.id == "eu-central")
        .unwrap();
    let europe = w
        .populations()
        .iter()
        .position(|p| p.name == "europe")
        .unwrap();
    let served_by = &est.point.populations[europe].served_by;
    for (r, share) in served_by.iter().enumerate() {
        if r != eu {
            assert_eq!(*share, 0.0, "europe served in {}", w.regions()[r].id);
        }
    }
    assert!(
        est.point.populations[europe].rejection_rate > 0.0,
        "a fenced population is rejected instead of spilling"
    );
    assert!(
        est.point.overflow_rate > 0.0,
        "unfenced populations still spill"
    );
}

/// Common random numbers make the paired-difference interval much narrower than
/// the interval of two independent estimates.
#[test]
fn common_random_numbers_narrow_the_paired_interval() {
    let w = world("scenarios/tests/policies.json");
    let cmp = compare_all(&w, &["nearest", "score"]);
    let d = &cmp.differences[0];
    for (name, paired, unpaired) in [
        (
            "overflow_rate",
            d.paired_half_width.overflow_rate,
            d.unpaired_half_width.overflow_rate,
        ),
        (
            "media_rtt_ms.mean",
            d.paired_half_width.media_rtt_ms.mean,
            d.unpaired_half_width.media_rtt_ms.mean,
        ),
        (
            "sessions",
            d.paired_half_width.sessions,
            d.unpaired_half_width.sessions,
        ),
    ] {
        assert!(
            paired < 0.5 * unpaired,
            "{name}: paired ±{paired} vs unpaired ±{unpaired}"
        );
    }
}

/// A 95 % interval must cover the exact Erlang B value in about 95 % of
/// independent experiments; 200 experiments put the count in 88-99 % unless the
/// intervals are wrong (binomial(200, 0.95) lies in [176, 198] with probability
/// above 0.999).
#[test]
fn confidence_intervals_cover_erlang_b_at_their_nominal_rate() {
    let mut w = world("scenarios/tests/erlang-b-single.json");
    w.edit_run(|r| {
        r.horizon_s = 20.0 * 3600.0;
        r.replications = 10;
        r.confidence = 0.95;
    })
    .expect("valid run settings");
    let exact = erlang_b(10, 8.0);
    let experiments = 200;
    let mut covered = 0;
    for e in 0..experiments {
        w.edit_run(|r| r.seed = 10_000 + e)
            .expect("valid run settings");
        let est = regionsim::experiment::replicate(&w, &()).unwrap();
        let hw = est.half_width.unwrap().rejection_rate;
        covered += u32::from((est.point.rejection_rate - exact).abs() <= hw);
    }
    let share = covered as f64 / experiments as f64;
    assert!((0.88..=0.99).contains(&share), "coverage {share}");
}

fn cli() -> Command {
    Command::cargo_bin("regionsim").unwrap()
}

#[test]
fn compare_writes_identical_files_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let scen = repo("scenarios/tests/policies.json");
    for t in ["1", "2"] {
        cli()
            .args([
                "compare",
                scen.to_str().unwrap(),
                "--policies",
                "nearest,score,fenced",
                "--replications",
                "4",
            ])
            .args(["--threads", t, "--quiet", "--out"])
            .arg(dir.path().join(t))
            .assert()
            .success();
    }
    for f in [
        "compare.json",
        "compare.md",
        "compare.svg",
        "compare-rtt.svg",
        "compare.png",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join("1").join(f)).unwrap(),
            std::fs::read(dir.path().join("2").join(f)).unwrap(),
            "{f}"
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("1/compare.json")).unwrap()).unwrap();
    assert_eq!(v["baseline"], "nearest");
    assert_eq!(v["policies"].as_array().unwrap().len(), 3);
    assert!(v["differences"][0]["metrics"]["overflow_rate"]["paired_ci"].is_number());
    for svg in ["compare.svg", "compare-rtt.svg"] {
        let text = std::fs::read_to_string(dir.path().join("1").join(svg)).unwrap();
        for label in ["nearest", "score", "fenced"] {
            assert!(text.contains(label), "{svg} names {label}");
        }
    }
    assert!(std::fs::read_to_string(dir.path().join("1/compare.md"))
        .unwrap()
        .contains("](compare.png)"));
}

/// A replication in which a population had no session leaves its
/// percentiles undefined: `compare` stopped with a panic ("dof > 0") on the
/// unpaired interval of such a figure. It now writes its files, the
/// undefined intervals null.
#[test]
fn compare_with_replications_that_serve_nobody_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let v = serde_json::json!({
        "name": "sparse",
        "regions": ["us-east", "eu-central"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 2 },
                        { "agent": "a", "region": "eu-central", "capacity": 2 }],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.002 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest" },
        "policies": { "spill": { "type": "nearest" },
                      "no_spill": { "type": "nearest", "spill": { "max_extra_rtt_ms": 0 } } },
        "run": { "horizon": "10min", "warmup": "0s", "replications": 6 }
    });
    let file = dir.path().join("sparse.json");
    std::fs::write(&file, v.to_string()).unwrap();
    cli()
        .args([
            "compare",
            file.to_str().unwrap(),
            "--policies",
            "spill,no_spill",
        ])
        .args(["--quiet", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("out/compare.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let p95 = &json["differences"][0]["metrics"]["media_rtt_ms.p95"];
    let has = |k: &str| p95.as_object().is_some_and(|o| o.contains_key(k));
    assert!(has("unpaired_ci") && p95["unpaired_ci"].is_null(), "{p95}");
}

#[test]
fn compare_refuses_an_unknown_repeated_or_lone_policy_label_naming_the_flag() {
    let scen = repo("scenarios/tests/policies.json");
    for (policies, says) in [
        (
            "nearest,teleport",
            "no policy labelled `teleport`; this scenario offers: ",
        ),
        (
            "nearest,nearest",
            "--policies: policy `nearest` is listed twice; keep one",
        ),
        (
            "nearest",
            "--policies: a comparison needs at least two policies, baseline first \
             (e.g. --policies nearest,OTHER); this scenario offers: ",
        ),
    ] {
        let out = cli()
            .args(["compare", scen.to_str().unwrap(), "--policies", policies])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(says) && err.starts_with("error: --policies"),
            "{err}"
        );
    }
}

#[test]
fn sweep_writes_one_row_per_grid_point() {
    let dir = tempfile::tempdir().unwrap();
    let scen = repo("scenarios/tests/erlang-b-single.json");
    cli()
        .args([
            "sweep",
            scen.to_str().unwrap(),
            "--set",
            "deployments[0].capacity=6,10,14",
            "--replications",
            "3",
            "--quiet",
        ])
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("sweep.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[0].starts_with("deployments[0].capacity,sessions,sessions_ci,overflow_rate"));
    let col = rows[0]
        .split(',')
        .position(|c| c == "rejection_rate")
        .unwrap();
    let rejection: Vec<f64> = rows[1..]
        .iter()
        .map(|r| r.split(',').nth(col).unwrap().parse().unwrap())
        .collect();
    assert!(
        rejection[0] > rejection[1] && rejection[1] > rejection[2],
        "{rejection:?}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sweep.json")).unwrap()).unwrap();
    assert_eq!(
        json["points"][2]["settings"]["deployments[0].capacity"],
        14.0
    );
    let svg = std::fs::read_to_string(dir.path().join("sweep-rejection_rate.svg")).unwrap();
    assert!(svg.contains("capacity of") && svg.contains("rejection rate (%)"));
    assert!(dir.path().join("sweep-media_rtt_ms-p95.png").exists());
}

#[test]
fn no_charts_writes_only_the_data_files_of_compare_and_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let scen = repo("scenarios/tests/policies.json");
    cli()
        .args([
            "compare",
            scen.to_str().unwrap(),
            "--policies",
            "nearest,score",
            "--replications",
            "2",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("c"))
        .assert()
        .success();
    cli()
        .args([
            "sweep",
            scen.to_str().unwrap(),
            "--set",
            "deployments[0].capacity=3,4",
            "--replications",
            "2",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("s"))
        .assert()
        .success();
    let names = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.path().join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != regionsim::report::MARKER)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("c"), ["compare.json", "compare.md"]);
    assert_eq!(names("s"), ["sweep.csv", "sweep.json"]);
}

#[test]
fn sweep_refuses_an_unknown_metric_in_one_short_line_with_the_nearest_names() {
    let scen = repo("scenarios/tests/erlang-b-single.json");
    for (metric, says) in [
        (
            "happiness",
            "unknown metric `happiness`; a name of summary.json's scalars",
        ),
        (
            "overflow_rat",
            "unknown metric `overflow_rat` (did you mean `overflow_rate`?)",
        ),
    ] {
        let out = cli()
            .args([
                "sweep",
                scen.to_str().unwrap(),
                "--set",
                "deployments[0].capacity=5",
                "--metrics",
                metric,
            ])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(says), "{err}");
        // The full list of names runs to hundreds: it is not printed.
        assert!(err.lines().count() == 1 && err.len() < 400, "{err}");
    }
}

#[test]
fn sweep_charts_a_region_metric_and_leaves_out_edge_only_regions_and_flat_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let scen = repo("scenarios/livekit-global.json");
    cli()
        .args([
            "sweep",
            scen.to_str().unwrap(),
            "--set",
            "deployments[2].capacity=150,300",
            "--horizon",
            "2h",
            "--replications",
            "2",
            "--metrics",
            "regions.ap-south.utilization,populations.india.overflow_rate,rejection_rate",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(",regions.ap-south.utilization,"),
        "{header}"
    );
    // us-west is a media edge only: no agent, so no region column.
    assert!(!header.contains("regions.us-west."), "{header}");
    let svg = std::fs::read_to_string(out.join("sweep-regions-ap-south-utilization.svg")).unwrap();
    assert!(
        svg.contains("ap-south utilisation against capacity"),
        "{svg}"
    );
    let svg =
        std::fs::read_to_string(out.join("sweep-populations-india-overflow_rate.svg")).unwrap();
    assert!(svg.contains("india overflow against"));
    // Nobody is rejected at either capacity (users wait or spill): no flat chart.
    let rejected = header
        .split(',')
        .position(|c| c == "rejection_rate")
        .unwrap();
    assert!(csv
        .lines()
        .skip(1)
        .all(|l| l.split(',').nth(rejected) == Some("0")));
    assert!(!out.join("sweep-rejection_rate.svg").exists());
}

#[test]
fn sweep_reports_a_bad_setting_with_status_2_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let scen = repo("scenarios/tests/erlang-b-single.json");
    for (set, message) in [
        ("deployments[3].capacity=5", "out of range"),
        ("deployments[0].capacity=-5", "deployments[0].capacity"),
        ("run.horizn=5", "unknown field `horizn`"),
        // Text goes to the field, whose own rule refuses it.
        (
            "deployments[0].capacity=a,b",
            "at `deployments[0].capacity`: invalid type: string",
        ),
        ("deployments[0].capacity=5..1:1", "END >= START"),
    ] {
        let out = cli()
            .args(["sweep", scen.to_str().unwrap(), "--set", set, "--out"])
            .arg(dir.path())
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(message), "{set}: {err}");
    }
    assert!(!dir.path().join("sweep.csv").exists());
}

/// Ctrl-C stops a sweep cleanly: exit 130, the finished points stay written,
/// marked incomplete.
#[cfg(unix)]
#[test]
fn interrupted_sweep_keeps_finished_points() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let scen = repo("scenarios/reference-3x100.json");
    let values: Vec<String> = (0..40).map(|i| (100 + i).to_string()).collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("regionsim"))
        .args(["sweep", scen.to_str().unwrap(), "--quiet", "--set"])
        .arg(format!("deployments[0].capacity={}", values.join(",")))
        .args(["--set", "run.horizon=360000", "--out"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let csv = dir.path().join("sweep.csv");
    let start = Instant::now();
    while !csv.exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(csv.exists(), "the first point was written");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count() - 1;
    assert!((1..40).contains(&rows), "{rows} finished points");
    // ...and say they are not the whole sweep.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["complete"], false);
    assert_eq!(json["points_planned"].as_array().unwrap().len(), 40);
}

/// Each replication kept every figure of its summary for replications.csv,
/// a share per population and region among them: 20 000 replications of 200
/// populations in 20 regions held 1.75 GB. A replication now keeps its row
/// of run-wide figures alone, the same length whatever the populations and
/// regions, and exactly the start of its summary's scalars.
#[test]
fn a_replication_keeps_only_its_run_wide_row() {
    use regionsim::engine::{policy::AnyPolicy, simulate_with};
    use regionsim::stats::metrics::{visited, SUMMARY_METRICS};
    use regionsim::stats::Summary;
    let mut w = world("scenarios/tests/tiny.json");
    w.edit_run(|r| r.replications = 3)
        .expect("valid run settings");
    let est = regionsim::experiment::replicate(&w, &()).unwrap();
    let row = visited(SUMMARY_METRICS, w.regions().len());
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (rep, kept) in est.runs.iter().enumerate() {
        let stats = simulate_with(&w, AnyPolicy::from_spec(&w, w.policy()), rep as u32, &());
        let all = Summary::of(&stats).values();
        assert!(all.len() > row);
        assert_eq!(bits(kept), bits(&all[..row]), "replication {rep}");
        assert_eq!(bits(&est.replication(rep).run_values()), bits(kept));
    }
}
