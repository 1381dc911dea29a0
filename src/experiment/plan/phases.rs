//! The phases of a planning run: the levels of the search, checkpoint
//! verifications of coarse incumbents (kept if the run is interrupted), and the
//! final verification on fresh seeds with its retries.

use super::search::{Search, POINTS};
use super::space::{coarsest, Capacities};
use super::verify::{self, Stage};
use super::{attempt_alpha, Outcome, Spec, Status, FINAL_ATTEMPTS};
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
pub fn run(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    start: &[u32],
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<(), Cancelled> {
    let f = coarsest(&spec.variables, POINTS);
    note(&format!(
        "level 1/{}: finding a feasible start",
        f.trailing_zeros() + 1
    ));
    match s.first_feasible(start, f)? {
        Ok(x) => {
            let x = search_levels(s, spec, x, out, note)?;
            finish(s, spec, x, out, note)
        }
        Err(last) => {
            out.status = Status::Infeasible;
            out.best_effort = s.ev.get(&last).cloned();
            Ok(())
        }
    }
}

/// Every level from the coarsest lattice to step 1, each incumbent but the last
/// verified as a checkpoint; returns the search's choice.
fn search_levels(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    mut x: Capacities,
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<Capacities, Cancelled> {
    let alpha = 1.0 - spec.confidence;
    let mut f = coarsest(&spec.variables, POINTS);
    let levels = f.trailing_zeros() + 1;
    let mut bx = s.full();
    for level in 1..=levels {
        note(&format!(
            "level {level}/{levels}: searching, {} candidates so far",
            s.ev.order.len()
        ));
        x = s.descend(x, f, &bx)?;
        x = s.bound(x, f, &bx)?;
        out.incumbent = Some(x.clone());
        if f == 1 {
            break;
        }
        let last_checked = out.verifications.last().map(|v| &v.capacities);
        if last_checked != Some(&x) {
            note(&format!("level {level}/{levels}: verifying the incumbent"));
            check(
                s,
                spec,
                &x,
                Stage::Checkpoint(level),
                attempt_alpha(alpha, 1),
                out,
            )?;
        }
        f /= 2;
        bx = s.around(&x, f);
    }
    out.searched = Some(x.clone());
    Ok(x)
}

/// Verify `x` on fresh seeds; after a failure, rule it out, search just above
/// it and verify again, spending the error probability as [`attempt_alpha`].
fn finish(
    s: &mut Search<'_, '_>,
    spec: &Spec,
    mut x: Capacities,
    out: &mut Outcome,
    note: &mut dyn FnMut(&str),
) -> Result<(), Cancelled> {
    let alpha = 1.0 - spec.confidence;
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
        match s.first_feasible(&x, 1)? {
            Ok(y) => {
                let bx = s.around(&y, 1);
                x = s.descend(y, 1, &bx)?;
                x = s.bound(x, 1, &bx)?;
                out.incumbent = Some(x.clone());
            }
            Err(_) => break,
        }
    }
    out.status = Status::Unverified;
    Ok(())
}
