//! The hourly schedule's search, all hours at once. One simulated day judges
//! the 24 hours of a candidate together, so every step moves each hour's own
//! search forward in parallel: (1) from the per-hour analytic start, hours
//! whose checks fail are raised (by a tenth) until every check holds; (2) each
//! deployment in turn, costliest first, is lowered hour by hour, galloping
//! down (a thirty-second of its capacity, then twice and four times that,
//! ...) from the feasible value until an hour's checks fail, then bisecting,
//! every hour in the same simulated candidates, the schedule after the first
//! (costliest) deployment's descent verified once as a checkpoint;
//! (3) the result is evaluated jointly (an hour's figures also feel the
//! neighbouring hours' capacities through sessions held across the boundary)
//! and any failing hour raised a step at a time; (4) the schedule is verified
//! on fresh seeds, a failing hour raised a step and verified again (at most
//! three attempts, spending the error probability as the static planner does).
//!
//! A target measured over the whole window cannot say which hour to blame: a
//! candidate failing one counts as failing in every hour it lowered, so such a
//! target stops the descent where it binds, and raises every hour when short.

use super::evaluate::{Candidate, Evaluator};
use super::measure::{checked_hour, Span, TargetEstimate};
use super::space::{Capacities, Period, Variable};
use super::verify::{self, Stage};
use super::{attempt_alpha, Outcome, Spec, Status, FINAL_ATTEMPTS};
use crate::experiment::Cancelled;
use crate::model::World;

/// Most raising rounds before the search gives up on reaching the targets.
const MAX_RAISES: usize = 200;

/// What a candidate's checks say, hour by hour.
struct Judged {
    /// Every check of UTC hour h holds (failure checks apart).
    hour_ok: [bool; 24],
    /// Some whole-window check fails.
    window_short: bool,
    /// Each failing failure check: the deployment that is down and the UTC
    /// hours of its window. The down deployment's own capacity in those
    /// hours cannot help (it admits nobody then), so only the others' hours
    /// are blamed.
    down: Vec<(usize, [bool; 24])>,
}

impl Judged {
    fn all_ok(&self) -> bool {
        !self.window_short && self.down.is_empty() && self.hour_ok.iter().all(|&b| b)
    }

    /// Whether deployment `d`'s hour `h` is free of blame.
    fn holds(&self, d: usize, h: usize) -> bool {
        self.hour_ok[h] && self.down.iter().all(|(f, hours)| *f == d || !hours[h])
    }
}

/// One hour's descent: the lowest value known to hold, the highest known to
/// fail, and the gallop's stride.
#[derive(Clone, Copy)]
struct Probe {
    hi: u32,
    lo: Option<u32>,
    stride: u32,
    done: bool,
}

/// The gallop's first stride down from `c`: about 1/[`FIRST_STRIDE`] of it,
/// in whole steps, at least one step. An hour's descent costs the candidates
/// of its gallop and bisection, about twice log2 of the distance in strides,
/// and every hour of a deployment moves in the same candidates, so the
/// largest hours set the count; starting them at a few percent of their
/// size instead of one slot saves a gallop of four or five candidates.
fn first_stride(v: &Variable, c: u32) -> u32 {
    let step = v.step().max(1);
    (c / FIRST_STRIDE / step).max(1) * step
}

/// See [`first_stride`]: the first stride is 1/32 of the capacity.
const FIRST_STRIDE: u32 = 32;

/// Searches one schedule.
pub struct HourlySearch<'s, 'a> {
    ev: &'s mut Evaluator<'a>,
    world: &'a World,
    spec: &'a Spec,
    checked: [bool; 24],
    /// Whether the candidate budget stopped the search early.
    pub budget_hit: bool,
}

impl<'s, 'a> HourlySearch<'s, 'a> {
    /// A search over `spec`'s hourly variables (deployment-major, 24 each).
    pub fn new(ev: &'s mut Evaluator<'a>, world: &'a World, spec: &'a Spec) -> Self {
        let checked = std::array::from_fn(|h| checked_hour(world, h as u8));
        Self {
            ev,
            world,
            spec,
            checked,
            budget_hit: false,
        }
    }

    fn vars(&self) -> &'a [Variable] {
        &self.spec.variables
    }

    fn hour(&self, i: usize) -> usize {
        match self.vars()[i].period() {
            Period::Hour(h) => usize::from(h),
            Period::Whole => 0,
        }
    }

    fn over_budget(&mut self) -> bool {
        self.budget_hit |= self.ev.order.len() >= self.spec.max_candidates;
        self.budget_hit
    }

    fn judge(&self, est: &[TargetEstimate]) -> Judged {
        let rule = self.ev.rule();
        let mut j = Judged {
            hour_ok: [true; 24],
            window_short: false,
            down: Vec::new(),
        };
        for ((t, sp), e) in rule.targets.iter().zip(&rule.spans).zip(est) {
            if e.meets_searched(t) {
                continue;
            }
            match *sp {
                Span::Hour(h) => j.hour_ok[usize::from(h)] = false,
                Span::Window => j.window_short = true,
                Span::Failure(k) => {
                    let f = &rule.failures[usize::from(k)];
                    let mut hours = [false; 24];
                    f.utc_hours().into_iter().for_each(|h| hours[h] = true);
                    j.down.push((f.deployment, hours));
                }
            }
        }
        j
    }

    fn evaluate(&mut self, x: &[u32]) -> Result<(Candidate, Judged), Cancelled> {
        let c = self.ev.evaluate_full(x)?;
        let j = self.judge(&c.estimates);
        Ok((c, j))
    }

    /// `x` with every failing hour raised (all deployments, but a failure's
    /// own down deployment; every checked hour when a whole-window check
    /// fails): by a tenth (`coarse`) or one step.
    fn raised(&self, x: &[u32], j: &Judged, coarse: bool) -> Capacities {
        let vars = self.vars();
        (0..x.len())
            .map(|i| {
                let h = self.hour(i);
                let v = &vars[i];
                let fails = !j.holds(v.deployment(), h) || (j.window_short && self.checked[h]);
                if !fails || x[i] >= v.max() {
                    return x[i];
                }
                let add = if coarse {
                    v.step().max(x[i].div_ceil(10))
                } else {
                    v.step()
                };
                v.snap_up(x[i].saturating_add(add).min(v.max()), 1)
            })
            .collect()
    }

    /// Raise failing hours until every check holds. Err: the last point, at
    /// the bounds or out of rounds.
    fn repair(
        &mut self,
        mut x: Capacities,
        coarse: bool,
    ) -> Result<Result<Capacities, Capacities>, Cancelled> {
        for _ in 0..MAX_RAISES {
            let (_, j) = self.evaluate(&x)?;
            if j.all_ok() {
                return Ok(Ok(x));
            }
            let y = self.raised(&x, &j, coarse);
            if y == x || self.over_budget() {
                return Ok(Err(x));
            }
            x = y;
        }
        Ok(Err(x))
    }

    /// The next value hour probe `p` of variable `v` tries, if any (from the
    /// lattice's indices: no value list, whatever the bounds' width).
    fn next_probe(v: &Variable, p: &Probe) -> Option<u32> {
        let l = v.lattice(1);
        match p.lo {
            None => {
                let target = p.hi.saturating_sub(p.stride).max(v.min());
                l.floor_index(target).map(|i| l.get(i))
            }
            Some(lo) => {
                // The middle value strictly between lo and hi (the lower of two).
                let (a, b) = l.within(lo.checked_add(1)?, p.hi.checked_sub(1)?)?;
                Some(l.get(a + (b - a) / 2))
            }
        }
        .filter(|&c| c < p.hi)
    }

    /// Lower deployment `k`'s 24 hours, all in the same candidates.
    fn descend(&mut self, mut x: Capacities, k: usize) -> Result<Capacities, Cancelled> {
        let base = k * 24;
        let mut probes: Vec<Probe> = (0..24)
            .map(|h| Probe {
                hi: x[base + h],
                lo: None,
                stride: first_stride(&self.vars()[base + h], x[base + h]),
                done: !self.checked[self.hour(base + h)],
            })
            .collect();
        loop {
            if self.over_budget() {
                return Ok(x);
            }
            let mut y = x.clone();
            let mut tried = [None; 24];
            for (h, p) in probes.iter_mut().enumerate().filter(|(_, p)| !p.done) {
                match Self::next_probe(&self.vars()[base + h], p) {
                    Some(c) => {
                        y[base + h] = c;
                        tried[h] = Some(c);
                    }
                    None => p.done = true,
                }
            }
            if tried.iter().all(Option::is_none) {
                return Ok(x);
            }
            let (_, j) = self.evaluate(&y)?;
            for (h, c) in tried.iter().enumerate() {
                let Some(c) = *c else { continue };
                let p = &mut probes[h];
                let d = self.vars()[base + h].deployment();
                if j.holds(d, self.hour(base + h)) && !j.window_short {
                    p.hi = c;
                    x[base + h] = c;
                    if p.lo.is_none() {
                        p.stride = p.stride.saturating_mul(2);
                    }
                } else {
                    p.lo = Some(c);
                }
            }
        }
    }

    /// Schedules (groups of 24 hours) costliest first: paid ones (slots)
    /// before free ones (a pool's floor, lowered as far as the targets allow
    /// once the paid capacities are set), then by cost weight; ties in
    /// variable order.
    fn by_cost(&self) -> Vec<usize> {
        let n = self.vars().len() / 24;
        let mut order: Vec<usize> = (0..n).collect();
        let key = |k: usize| {
            let v = &self.vars()[k * 24];
            (v.knob().paid(), v.cost())
        };
        order.sort_by(|&a, &b| {
            let ((pa, ca), (pb, cb)) = (key(a), key(b));
            pb.cmp(&pa).then(cb.total_cmp(&ca)).then(a.cmp(&b))
        });
        order
    }

    /// Verify `x` on fresh seeds, record it; whether it passed.
    fn check(
        &mut self,
        x: &[u32],
        purpose: Stage,
        alpha: f64,
        out: &mut Outcome,
    ) -> Result<bool, Cancelled> {
        verify::record(self.ev, self.world, self.spec, x, (purpose, alpha), out)
    }

    /// [`Self::repair`] from `x`; when no raise makes every hour hold, the
    /// plan is infeasible, with the last candidate as its best effort (None).
    fn repair_or_give_up(
        &mut self,
        x: Capacities,
        coarse: bool,
        out: &mut Outcome,
    ) -> Result<Option<Capacities>, Cancelled> {
        Ok(match self.repair(x, coarse)? {
            Ok(x) => Some(x),
            Err(last) => {
                out.status = Status::Infeasible;
                out.best_effort = self.ev.get(&last).cloned();
                None
            }
        })
    }

    /// Search, checkpoint and verify; fills `out`. Err only when interrupted.
    pub fn run(&mut self, out: &mut Outcome, note: &mut dyn FnMut(&str)) -> Result<(), Cancelled> {
        let alpha = 1.0 - self.spec.confidence;
        note("hourly: raising the analytic start until every hour holds");
        let Some(mut x) = self.repair_or_give_up(out.start.clone(), true, out)? else {
            return Ok(());
        };
        out.incumbent = Some(x.clone());
        let order = self.by_cost();
        for (n, &k) in order.iter().enumerate() {
            note(&format!(
                "hourly: lowering deployment {}/{} hour by hour, {} candidates so far",
                n + 1,
                order.len(),
                self.ev.order.len()
            ));
            x = self.descend(x, k)?;
            out.incumbent = Some(x.clone());
            // One checkpoint, after the costliest schedule's descent (most of
            // the saving): before it an interrupted run keeps the static
            // comparison's plan as a flat schedule, and each checkpoint costs
            // a full verification.
            if n == 0 && order.len() > 1 {
                note("hourly: verifying the schedule so far (a checkpoint)");
                let purpose = Stage::HourlyCheckpoint(1);
                self.check(&x, purpose, attempt_alpha(alpha, 1), out)?;
            }
        }
        let Some(x) = self.repair_or_give_up(x, false, out)? else {
            return Ok(());
        };
        out.searched = Some(x.clone());
        self.finish(x, out, note)
    }

    /// The final verification with its retries: a failing hour is raised a
    /// step (on the search's numbers until they hold too) and verified again.
    fn finish(
        &mut self,
        mut x: Capacities,
        out: &mut Outcome,
        note: &mut dyn FnMut(&str),
    ) -> Result<(), Cancelled> {
        let alpha = 1.0 - self.spec.confidence;
        for attempt in 1..=FINAL_ATTEMPTS {
            note(&format!(
                "hourly: verifying the schedule on fresh seeds (attempt {attempt})"
            ));
            out.incumbent = Some(x.clone());
            let purpose = Stage::HourlyFinal(attempt);
            if self.check(&x, purpose, attempt_alpha(alpha, attempt), out)? {
                out.status = Status::Verified;
                out.plan = out.verifications.last().cloned();
                out.at_plan = Some(self.ev.evaluate_full(&x)?);
                return Ok(());
            }
            let failed = out.verifications.last().expect("just pushed");
            let j = self.judge(&failed.estimates);
            let y = self.raised(&x, &j, false);
            if attempt == FINAL_ATTEMPTS || y == x {
                break;
            }
            match self.repair(y, false)? {
                Ok(y) => x = y,
                Err(_) => break,
            }
        }
        out.status = Status::Unverified;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gallop starts at a thirty-second of the hour's capacity in whole
    /// steps, never below one step: a 400-slot hour strides 12 slots, a
    /// 20-slot hour one.
    #[test]
    fn the_first_stride_is_a_thirty_second_of_the_capacity_in_whole_steps() {
        let var = |step| Variable::new(0, Period::Hour(3), (0, 1000, step), 1.0).unwrap();
        assert_eq!(first_stride(&var(1), 400), 12);
        assert_eq!(first_stride(&var(1), 20), 1);
        assert_eq!(first_stride(&var(1), 0), 1);
        assert_eq!(first_stride(&var(5), 400), 10);
        assert_eq!(first_stride(&var(5), 100), 5);
    }

    /// A failing failure check blames its window's hours in every deployment
    /// but the one that is down there (its capacity cannot help while it
    /// admits nobody); a normal-day check blames its hour in all of them.
    #[test]
    fn a_failure_check_does_not_blame_the_down_deployments_own_hours() {
        let mut window = [false; 24];
        window[18] = true;
        window[19] = true;
        let mut j = Judged {
            hour_ok: [true; 24],
            window_short: false,
            down: vec![(0, window)],
        };
        assert!(
            j.holds(0, 18) && j.holds(0, 19),
            "the down deployment itself"
        );
        assert!(
            !j.holds(1, 18) && !j.holds(2, 19),
            "the ones taking its load"
        );
        assert!(j.holds(1, 5), "hours outside the window");
        assert!(!j.all_ok());
        j.hour_ok[18] = false;
        assert!(
            !j.holds(0, 18),
            "a normal-day check blames every deployment"
        );
    }
}
