//! The validation suite (DESIGN.md section 4) as part of CI: every case runs and
//! every exact value must lie inside its interval; the suite stays small enough
//! for its joint confidence level to hold.

use regionsim::validation::{self, MAX_CHECKS};

#[test]
fn every_validation_case_reproduces_its_exact_values() {
    let checks = validation::run(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        checks.len() <= MAX_CHECKS,
        "{} checks: raise MAX_CHECKS so the joint level still holds",
        checks.len()
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
