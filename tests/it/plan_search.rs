//! The search on a wide lattice (more than 9 values per variable): the
//! feasible start lowered along the ray to the lower bounds, then levels from
//! about 1/64 of the start to step 1. Its effort follows the start, not the
//! width of the bounds, and it finds what the exhaustive grid finds on the
//! small spill network (`plan.rs`).

use regionsim::experiment::plan::{self, Outcome, Stage, Status};

use crate::common::world;

const SPILL: &str = "scenarios/tests/plan-spill.json";

/// The spill network planned with every capacity from 0 to `max`.
fn spill_within(max: u32) -> Outcome {
    let w = world(SPILL);
    let mut spec = plan::default_spec(&w);
    for v in &mut spec.variables {
        *v = v.with_bounds(0, max).unwrap();
    }
    plan::plan(&w, &spec, &(), &mut |_| {})
}

/// Bounds 20 times wider (a coarsest step of 64 where it was 4) change
/// nothing: the same candidates in the same order, the grid's optimum
/// (6, 4, 8), one checkpoint. The coarse branch and bound over the whole box
/// this search replaced took 34 candidates at 0:20 and 39 at 0:400, with a
/// checkpoint per level (six at 0:400).
#[test]
fn a_wide_lattice_is_searched_from_the_start_whatever_the_width_of_the_bounds() {
    let (near, wide) = (spill_within(20), spill_within(400));
    for out in [&near, &wide] {
        assert_eq!(out.status, Status::Verified);
        assert_eq!(out.plan.as_ref().unwrap().capacities, vec![6, 4, 8]);
        let purposes: Vec<Stage> = out.verifications.iter().map(|v| v.purpose).collect();
        assert_eq!(purposes, vec![Stage::Checkpoint(1), Stage::Final(1)]);
        assert!(
            out.effort.candidates <= 25,
            "{} candidates",
            out.effort.candidates
        );
    }
    assert_eq!(near.candidates, wide.candidates);
}
