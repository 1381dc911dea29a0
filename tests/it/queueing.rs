//! Exact queueing results the engine must reproduce (DESIGN.md section 4), checked
//! through confidence intervals from the scenarios' own replications.

use crate::common::*;

#[test]
fn erlang_b_single_region_rejection() {
    let mut w = world("scenarios/tests/erlang-b-single.json");
    w.run.confidence = 0.99;
    let est = estimate(&w);
    let hw = est.half_width.as_ref().unwrap();
    assert_covers(
        "rejection",
        est.point.rejection_rate,
        hw.rejection_rate,
        erlang_b(10, 8.0),
    );
}

#[test]
fn nearest_spill_anywhere_total_rejection_is_pooled_erlang_b() {
    let mut w = world("scenarios/tests/spill-anywhere.json");
    w.run.confidence = 0.99;
    let offered: f64 = (0..w.populations.len())
        .map(|p| w.peak_offered_load(p))
        .sum();
    let est = estimate(&w);
    let hw = est.half_width.as_ref().unwrap();
    assert_covers(
        "rejection",
        est.point.rejection_rate,
        hw.rejection_rate,
        erlang_b(15, offered),
    );
    assert!(
        est.point.overflow_rate > 0.05,
        "home regions are small, so users must spill"
    );
}

#[test]
fn erlang_b_recursion_matches_reference_values() {
    // DESIGN.md section 5: Erlang B(300, 285) = 0.0190.
    assert!((erlang_b(300, 285.0) - 0.0190).abs() < 5e-5);
    assert!((erlang_b(10, 8.0) - 0.12166).abs() < 5e-5);
}
