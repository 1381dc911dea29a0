//! Shared helpers: loading shipped scenarios, exact queueing formulas, and
//! confidence-interval assertions.

use std::path::PathBuf;

use regionsim::experiment::{self, Estimate};
use regionsim::model::World;

/// Path of a file under the repository root.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Load a shipped scenario, panicking with its message if it is invalid.
pub fn world(rel: &str) -> World {
    regionsim::scenario::load(&repo(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// Replicate a world with its own settings.
pub fn estimate(world: &World) -> Estimate {
    experiment::replicate(world, &()).expect("not cancelled")
}

/// Erlang B blocking probability, by the stable recursion.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Assert that `exact` lies within `point ± hw`, saying what was compared.
pub fn assert_covers(what: &str, point: f64, hw: f64, exact: f64) {
    assert!(
        hw.is_finite() && hw > 0.0,
        "{what}: no confidence interval ({hw})"
    );
    assert!(
        (point - exact).abs() <= hw,
        "{what}: exact {exact:.5} outside simulated {point:.5} ± {hw:.5}"
    );
}
