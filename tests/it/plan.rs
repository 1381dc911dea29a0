//! The capacity planner: its plan against an exhaustive grid on a small spill
//! network (same plan, at least 5x less simulation), a verified plan re-run on a
//! fresh seed, byte-identical output at any thread count, and bad input. The
//! exact inverses (Erlang B, Erlang C, per-region explicit) run in the
//! validation suite (`regionsim validate --case plan`).

use regionsim::experiment::plan::{self, exhaustive, Spec, Status};
use regionsim::model::World;

use crate::common::world;

/// The spill network with every capacity from 2 to 9 slots: 512 candidates.
fn spill() -> (World, Spec) {
    let w = world("scenarios/tests/plan-spill.json");
    let mut spec = plan::default_spec(&w);
    for v in &mut spec.variables {
        v.min = 2;
        v.max = 9;
    }
    (w, spec)
}

#[test]
fn the_plan_equals_the_exhaustive_grid_optimum_with_five_times_fewer_sessions() {
    let (w, spec) = spill();
    let out = plan::plan(&w, &spec, &(), &mut |_| {});
    assert_eq!(out.status, Status::Verified, "{:?}", out.verifications);
    let grid = exhaustive(&w, &spec.variables, &plan::rule(&spec), &()).unwrap();
    let planned = out.plan.as_ref().unwrap().capacities.clone();
    eprintln!(
        "plan {planned:?}: search {} candidates, {:.0} sessions; grid {} candidates, {:.0} sessions",
        out.effort.candidates,
        out.effort.search_sessions,
        grid.candidates.len(),
        grid.sessions
    );
    // The grid's decisions are monotone in capacity on these common random
    // numbers: the precondition under which pruning by dominance is exact.
    for a in &grid.candidates {
        for b in &grid.candidates {
            let le = a.capacities.iter().zip(&b.capacities).all(|(x, y)| x <= y);
            assert!(!(le && a.verdict.feasible() && !b.verdict.feasible() && !b.verdict.over));
        }
    }
    assert_eq!(out.searched, grid.optimum);
    assert_eq!(
        Some(planned),
        grid.optimum,
        "the plan passed verification at once"
    );
    assert!(
        grid.sessions >= 5.0 * out.effort.search_sessions,
        "grid {} vs search {} sessions",
        grid.sessions,
        out.effort.search_sessions
    );
}
