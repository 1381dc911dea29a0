//! The phases of a planning run: the feasible start, the ray on a wide
//! lattice, the levels of the search, one checkpoint verification of the
//! first level's incumbent (kept if the run is interrupted), and the final
//! verification on fresh seeds with its retries.
//!
//! One checkpoint rather than one per level: the levels after the first are
//! short refinements of a point already within a few steps of the plan, a
//! checkpoint costs a full verification each, and every checkpoint reported
//! adds alpha / 2 to the error bound of an interrupted run.

use super::search::{Order, Search, POINTS};
use super::space::{coarsest, Capacities};
use super::verify::{self, Stage};
use super::{attempt_alpha, Marginals, Outcome, Spec, Status, FINAL_ATTEMPTS};
use crate::experiment::Cancelled;

/// Verify `x` and record the run; whether it passed.
fn check(
    search: &Search<'_, '_>,
    spec: &Spec,
    x: &[u32],
    purpose: Stage,
    alpha: f64,
    out: &mut Outcome,
) -> Result<bool, Cancelled> {
    verify::record(search.ev, search.world, spec, x, (purpose, alpha), out)
}

/// Search from `start`, then verify; fills `out`. Err only when interrupted.
///
/// A narrow lattice (at most [`POINTS`] values per variable) is searched in
/// one level over the whole box. A wide one is first lowered along the ray
/// from the lower bounds through the feasible start, then refined level by
/// level from the ray's resolution down to step 1.
pub fn run(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    start: &[u32],
    marginals: Marginals,
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<(), Cancelled> {
    let coarse = coarsest(&spec.variables, POINTS);
    let f = s.ray_factor(start, coarse);
    note(&format!(
        "level 1/{}: finding a feasible start",
        f.trailing_zeros() + 1
    ));
    match s.first_feasible(start, f, u64::from(coarse / f))? {
        Ok(x) => {
            // A start found between a short point and one over a floor lies on
            // the finest lattice only: refine from the coarsest lattice it is on.
            let mut f = f;
            while f > 1 && s.vars.iter().zip(&x).any(|(v, &c)| v.snap_up(c, f) != c) {
                f /= 2;
            }
            let x = if coarse == 1 {
                x
            } else {
                s.down_the_ray(x, f)?
            };
            let x = search_levels(s, spec, x, f, out, note)?;
            finish(s, spec, x, marginals, out, note)
        }
        Err(last) => {
            out.status = Status::Infeasible;
            out.best_effort = s.ev.get(&last).cloned();
            Ok(())
        }
    }
}

/// Every level from lattice `f` to step 1, re-centred at the same step while
/// its incumbent moves to the edge of its box (until the candidate budget is
/// spent); from the second move in a row at one level, the variables on the
/// box's lower edge slide down by galloping, since a box moves one step at a
/// time and a variable free over a wide range would walk it step by step.
/// The first level's incumbent is verified as a checkpoint. Returns the
/// search's choice.
fn search_levels(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    mut x: Capacities,
    mut f: u32,
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<Capacities, Cancelled> {
    let narrow = narrow(spec);
    let levels = f.trailing_zeros() + 1;
    let mut bx = if narrow { s.full() } else { s.around(&x, f) };
    let mut level = 1;
    let mut moves = 0;
    loop {
        note(&format!(
            "level {level}/{levels}: searching, {} candidates so far",
            s.ev.order.len()
        ));
        let y = s.descend(x.clone(), f, &bx)?;
        let y = s.bound(y, f, &bx, order(narrow, f))?;
        out.incumbent = Some(y.clone());
        let moved = y != x && s.on_edge(&y, &bx) && !s.over_budget();
        x = y;
        if moved {
            moves += 1;
            if moves > 1 {
                x = s.slide(x, f, &bx)?;
            }
            bx = s.around(&x, f);
            continue;
        }
        moves = 0;
        if f == 1 {
            break;
        }
        if level == 1 {
            note(&format!("level {level}/{levels}: verifying the incumbent"));
            let alpha = attempt_alpha(1.0 - spec.confidence, 1);
            check(s, spec, &x, Stage::Checkpoint(level), alpha, out)?;
        }
        f /= 2;
        level += 1;
        bx = s.around(&x, f);
    }
    out.searched = Some(x.clone());
    Ok(x)
}

/// Whether every variable has at most [`POINTS`] values: the lattice is
/// searched in one level over the whole box.
fn narrow(spec: &Spec) -> bool {
    coarsest(&spec.variables, POINTS) == 1
}

/// What the branch and bound at step factor `f` counts as better: the grid's
/// order on a narrow lattice (the search then finds the grid's optimum); on a
/// wide one only cheaper points until step 1, where ties in cost go to the
/// smaller priced capacities in variable order. Breaking ties at every level
/// walked the flagship's flat cost surface (three deployments at equal cost)
/// one step at a time, about a third of its candidates, for no saving.
fn order(narrow: bool, f: u32) -> Order {
    match (narrow, f) {
        (true, _) => Order::Full,
        (false, 1) => Order::Priced,
        (false, _) => Order::Cost,
    }
}

/// Verify `x` on fresh seeds; after a failure, rule it out, search just above
/// it and verify again, spending the error probability as [`attempt_alpha`].
fn finish(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    mut x: Capacities,
    marginals: Marginals,
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<(), Cancelled> {
    let alpha = 1.0 - spec.confidence;
    let narrow = narrow(spec);
    for attempt in 1..=FINAL_ATTEMPTS {
        note(&format!(
            "verifying the plan on fresh seeds (attempt {attempt})"
        ));
        if check(
            s,
            spec,
            &x,
            Stage::Final(attempt),
            attempt_alpha(alpha, attempt),
            out,
        )? {
            out.status = Status::Verified;
            out.plan = out.verifications.last().cloned();
            if marginals == Marginals::Skipped {
                return Ok(());
            }
            note("measuring one step more and less per deployment");
            let (at, marginals) = verify::marginals(s.ev, &spec.variables, &x)?;
            out.binding = verify::binding(s.ev.rule(), &marginals);
            out.at_plan = Some(at);
            out.marginals = marginals;
            return Ok(());
        }
        if attempt == FINAL_ATTEMPTS {
            break;
        }
        // The fresh run says x falls short: rule it out and search just above it.
        s.ev.rule_out(&x);
        match s.first_feasible(&x, 1, 1)? {
            Ok(y) => {
                let bx = s.around(&y, 1);
                x = s.descend(y, 1, &bx)?;
                x = s.bound(x, 1, &bx, order(narrow, 1))?;
                out.incumbent = Some(x.clone());
            }
            Err(_) => break,
        }
    }
    out.status = Status::Unverified;
    Ok(())
}
