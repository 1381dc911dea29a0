//! The validation suite (docs/validation.md) as part of CI: every case runs and
//! every exact value must lie inside its interval; the suite stays small enough
//! for its joint confidence level to hold.

use regionsim::validation::{self, Test, MAX_CHECKS};

#[test]
fn every_validation_case_reproduces_its_exact_values() {
    let checks = validation::run(None).unwrap_or_else(|e| panic!("{e}"));
    let statistical = checks.iter().filter(|c| c.test != Test::Equal).count();
    assert!(
        statistical <= MAX_CHECKS,
        "{statistical} statistical checks: raise MAX_CHECKS so the joint level still holds",
    );
    for case in validation::CASES {
        assert!(
            checks.iter().any(|c| c.case == case.name),
            "case {} produced no check",
            case.name
        );
    }
    let failed: Vec<_> = checks.iter().filter(|c| !c.passed()).cloned().collect();
    assert!(
        failed.is_empty(),
        "missed exact values:\n{}",
        validation::table(&failed)
    );
}

#[test]
fn validate_command_prints_the_table_and_fails_on_unknown_cases() {
    use assert_cmd::Command;
    use predicates::str::contains;
    Command::cargo_bin("regionsim")
        .unwrap()
        .args(["validate", "--case", "erlang-b-exponential"])
        .assert()
        .success()
        .stdout(contains(
            "| erlang-b-exponential | rejection = Erlang B(10, 8.000) | 0.12166 |",
        ));
    Command::cargo_bin("regionsim")
        .unwrap()
        .args(["validate", "--case", "no-such-case"])
        .assert()
        .code(2);
}

/// The intervals are tight enough to tell the right theory from near misses:
/// one slot more or less, a spill order that tries the farther region first, a
/// spill rule that ignores the utilisation threshold, or a failure that moves
/// every running session (or whose detection takes 3 s more or less).
#[test]
fn the_suite_rejects_near_miss_answers() {
    use regionsim::validation::ctmc::LossNetwork;
    use regionsim::validation::exact::erlang_b;
    use regionsim::validation::{Runs, CASES, CONFIDENCE};

    let case = |name: &str| {
        let c = CASES.iter().find(|c| c.name == name).unwrap();
        let mut w = c.world().unwrap();
        w.edit_run(|r| r.confidence = CONFIDENCE)
            .expect("valid run settings");
        Runs::simulate(c.name, w)
    };
    let runs = case("erlang-b-exponential");
    for (c, expect) in [(9, false), (10, true), (11, false)] {
        let check = runs.check("rejection", erlang_b(c, 8.0), |_, m| m.rejection_rate);
        assert_eq!(check.passed(), expect, "Erlang B({c}, 8): {check:?}");
    }

    // spill-ctmc: regions 0 = us-east (3), 1 = eu-central (4), 2 = ap-south (5).
    let runs = case("spill-ctmc");
    let shares = |americas: Vec<usize>| {
        LossNetwork {
            capacity: vec![3, 4, 5],
            mean_s: 60.0,
            classes: vec![
                (0.05, americas),
                (0.05 / 1.2, vec![1, 0, 2]),
                (0.075, vec![2, 1, 0]),
            ],
            threshold: 1.0,
        }
        .solve()
        .unwrap()
    };
    let served_in_eu = |exact: f64| {
        runs.check("americas served in eu-central", exact, |s, _| {
            let p = &s.populations[0];
            p.served_by[1] as f64 / p.sessions as f64
        })
    };
    assert!(served_in_eu(shares(vec![0, 1, 2]).served[0][1]).passed());
    assert!(!served_in_eu(shares(vec![0, 2, 1]).served[0][1]).passed());

    // spill-threshold-ctmc: the budget leaves americas us-east then eu-central,
    // europe eu-central then us-east, asia ap-south alone.
    let runs = case("spill-threshold-ctmc");
    let shares = |threshold: f64| {
        LossNetwork {
            capacity: vec![4, 6, 5],
            mean_s: 60.0,
            classes: vec![
                (0.05, vec![0, 1]),
                (0.2 / 3.0, vec![1, 0]),
                (0.035 / 0.6, vec![2]),
            ],
            threshold,
        }
        .solve()
        .unwrap()
    };
    let served_in_eu = |exact: f64| {
        runs.check("americas served in eu-central", exact, |s, _| {
            let p = &s.populations[0];
            p.served_by[1] as f64 / p.sessions as f64
        })
    };
    assert!(served_in_eu(shares(0.75).served[0][1]).passed());
    assert!(!served_in_eu(shares(1.0).served[0][1]).passed());

    // outage-redispatch: 100 failures of 10 slots at 8 Erlangs, 20 s sessions.
    let runs = case("outage-redispatch");
    let running = 8.0 * (1.0 - erlang_b(10, 8.0));
    for (moved, expect) in [
        (running * (-15.0_f64 / 20.0).exp(), true),
        (running, false),
        (running * (-12.0_f64 / 20.0).exp(), false),
        (running * (-18.0_f64 / 20.0).exp(), false),
    ] {
        let check = runs.check("moved per failure", moved, |_, m| m.redispatched / 100.0);
        assert_eq!(
            check.passed(),
            expect,
            "{moved} moved per failure: {check:?}"
        );
    }
}
