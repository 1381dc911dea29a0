//! The simulation search over a lattice of capacities, coarse to fine.
//!
//! At each level the search (1) lowers one variable at a time by bisection
//! until none can drop (a minimal point), then (2) proves it first in the
//! level's box by branch and bound: any better lattice point not already ruled
//! out is evaluated, most expensive first, and a feasible one restarts the
//! descent. A point is ruled out without simulation when it lies below a point
//! short of capacity or above one over a utilisation floor (feasibility is
//! monotone in capacity). A narrow lattice (at most [`POINTS`] values per
//! variable) is one level over the whole box, which makes the result the
//! exhaustive grid's optimum; a wide one starts from the ray (`ray`) and
//! halves the step level by level in a box of one step around the incumbent
//! (the phases are in `phases`), galloping (`slide`) a variable that keeps
//! reaching the box's lower edge.

mod ray;
mod slide;

use super::evaluate::Evaluator;
use super::space::{cost_key, Capacities, Lattice, Variable};
use crate::experiment::Cancelled;
use crate::model::World;

/// Most lattice values per variable for a lattice to be searched in one
/// level over the whole box (a narrow lattice).
pub const POINTS: u32 = 9;

/// Largest box the branch and bound enumerates.
const MAX_BOX: u64 = 250_000;

/// Searches one plan.
pub struct Search<'s, 'a> {
    /// Candidate memory.
    pub ev: &'s mut Evaluator<'a>,
    /// The variables.
    pub vars: &'a [Variable],
    /// The world (for costs).
    pub world: &'a World,
    /// Most candidates to evaluate.
    pub budget: usize,
    /// Whether the budget stopped a branch and bound early.
    pub budget_hit: bool,
}

/// Which points the branch and bound counts as better than the incumbent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Cheaper, or as cheap and smaller in variable order: the exhaustive
    /// grid's order, so that a one-level search finds the grid's optimum.
    Full,
    /// Cheaper, or as cheap and with smaller priced capacities in variable
    /// order (a change of free knobs alone is no tie to break: the descent
    /// lowers them).
    Priced,
    /// Strictly cheaper.
    Cost,
}

/// Per variable, the box's smallest and largest value.
pub type Bounds = Vec<(u32, u32)>;

impl Search<'_, '_> {
    fn key(&self, x: &[u32]) -> (i64, Capacities) {
        (cost_key(self.world, self.vars, x), x.to_vec())
    }

    /// Whether variable `j` costs something: lowering it lowers the
    /// objective. The others (a worker pool's floor or target load, a free
    /// region) are left to the descent.
    fn priced(&self, j: usize) -> bool {
        let v = &self.vars[j];
        v.knob().paid() && v.cost() > 0.0
    }

    /// Whether `a` comes before `b` in `order`.
    fn cheaper(&self, a: &[u32], b: &[u32], order: Order) -> bool {
        let (ka, kb) = (self.key(a), self.key(b));
        match order {
            Order::Full => ka < kb,
            Order::Cost => ka.0 < kb.0,
            Order::Priced => {
                let priced = |x: &[u32]| -> Capacities {
                    (0..x.len())
                        .filter(|&j| self.priced(j))
                        .map(|j| x[j])
                        .collect()
                };
                (ka.0, priced(a)) < (kb.0, priced(b))
            }
        }
    }

    fn feasible(&mut self, x: &[u32]) -> Result<bool, Cancelled> {
        if self.ev.implied_infeasible(x) {
            return Ok(false);
        }
        Ok(self.ev.evaluate(x)?.feasible())
    }

    /// Indices (first, last) into variable `j`'s lattice `f` of the values
    /// within the box and at most `top`, if any.
    fn span(&self, j: usize, f: u32, bx: &Bounds, top: u32) -> Option<(Lattice, u64, u64)> {
        let (lo, hi) = bx[j];
        let l = self.vars[j].lattice(f);
        let (a, b) = l.within(lo, hi.min(top))?;
        Some((l, a, b))
    }

    /// A feasible point reached from `x` along the diagonal of lattice `f` (up,
    /// in strides doubling from `stride` values, when short; down when over a
    /// floor); when the walk crosses from short to over, the segment between
    /// the two is bisected on the finest lattice. Err: the last point tried,
    /// none being feasible.
    pub fn first_feasible(
        &mut self,
        x: &[u32],
        f: u32,
        stride: u64,
    ) -> Result<Result<Capacities, Capacities>, Cancelled> {
        let all: Vec<Lattice> = self.vars.iter().map(|v| v.lattice(f)).collect();
        let mut idx: Vec<u64> = all
            .iter()
            .zip(x)
            .map(|(l, &c)| l.ceil_index(c).unwrap_or(l.len() - 1))
            .collect();
        let at =
            |idx: &[u64]| -> Capacities { idx.iter().zip(&all).map(|(&i, l)| l.get(i)).collect() };
        let mut d = stride.max(1);
        let (mut short, mut over): (Option<Capacities>, Option<Capacities>) = (None, None);
        let mut y = at(&idx);
        loop {
            let v = self.ev.evaluate(&y)?;
            if v.feasible() {
                return Ok(Ok(y));
            }
            if v.short && v.over {
                return self.relieve_or(over, y);
            }
            if v.short || v.unsure {
                short = Some(y.clone());
            } else {
                over = Some(y.clone());
            }
            let next: Capacities = match (&short, &over) {
                (Some(lo), Some(hi)) => self.midpoint(lo, hi),
                (Some(_), None) | (None, Some(_)) => {
                    let up = short.is_some();
                    for (i, l) in idx.iter_mut().zip(&all) {
                        *i = if up {
                            i.saturating_add(d).min(l.len() - 1)
                        } else {
                            i.saturating_sub(d)
                        };
                    }
                    d = d.saturating_mul(2);
                    at(&idx)
                }
                (None, None) => return Ok(Err(y)),
            };
            if next == y || short.as_ref() == Some(&next) || over.as_ref() == Some(&next) {
                return self.relieve_or(over, y);
            }
            y = next;
        }
    }

    /// The step-1 lattice point halfway between `lo` and `hi`.
    fn midpoint(&self, lo: &[u32], hi: &[u32]) -> Capacities {
        self.vars
            .iter()
            .zip(lo.iter().zip(hi))
            .map(|(v, (&a, &b))| {
                let m = ((u64::from(a) + u64::from(b)) / 2) as u32;
                // Round down onto the lattice min + k step.
                (v.min() + (m.saturating_sub(v.min()) / v.step()) * v.step())
                    .clamp(v.min(), v.max())
            })
            .collect()
    }

    /// Variables costliest first (ties in variable order).
    fn by_cost(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.vars.len()).collect();
        order.sort_by(|&a, &b| {
            self.vars[b]
                .cost()
                .total_cmp(&self.vars[a].cost())
                .then(a.cmp(&b))
        });
        order
    }

    /// The smallest lattice value of variable `j` at or below `x[j]` for which
    /// `ok` holds, by bisection (`ok` is taken to hold at `x` and to be monotone).
    fn lowest(
        &mut self,
        x: &[u32],
        j: usize,
        f: u32,
        bx: &Bounds,
        ok: fn(&mut Self, &[u32]) -> Result<bool, Cancelled>,
    ) -> Result<u32, Cancelled> {
        // Values of the box at or below x[j], x[j] being the last of them.
        let Some((l, first, last)) = self.span(j, f, bx, x[j]) else {
            return Ok(x[j]);
        };
        if l.get(last) != x[j] {
            return Ok(x[j]);
        }
        // `ok` holds at index b; not at or below index a (a = first - 1 to start).
        let ab = (i128::from(first) - 1, i128::from(last));
        self.bisect(x, j, l, ab, ok)
    }

    /// Variable `j`'s value on lattice `l` where `ok` starts to hold, by
    /// bisection of indices `(a, b)`: `ok` holds at index b (x with value b
    /// in place j) and not at a (an index below the lattice counts as failed).
    fn bisect(
        &mut self,
        x: &[u32],
        j: usize,
        l: Lattice,
        (mut a, mut b): (i128, i128),
        ok: fn(&mut Self, &[u32]) -> Result<bool, Cancelled>,
    ) -> Result<u32, Cancelled> {
        let mut y = x.to_vec();
        while b - a > 1 {
            let m = (a + b) / 2;
            y[j] = l.get(m as u64);
            if ok(self, &y)? {
                b = m;
            } else {
                a = m;
            }
        }
        Ok(l.get(b as u64))
    }

    /// Lower each variable in turn (costliest first) to its smallest feasible
    /// lattice value, until no variable can drop.
    pub fn descend(
        &mut self,
        mut x: Capacities,
        f: u32,
        bx: &Bounds,
    ) -> Result<Capacities, Cancelled> {
        loop {
            let mut changed = false;
            for j in self.by_cost() {
                let v = self.lowest(&x, j, f, bx, Self::feasible)?;
                changed |= v != x[j];
                x[j] = v;
            }
            if !changed {
                return Ok(x);
            }
        }
    }

    /// The diagonal misses the feasible set: lower variables one by one from
    /// the point over the floor, if there is one; else fail with `last`.
    fn relieve_or(
        &mut self,
        over: Option<Capacities>,
        last: Capacities,
    ) -> Result<Result<Capacities, Capacities>, Cancelled> {
        match over {
            Some(hi) => Ok(self.relieve(hi)?.ok_or(last)),
            None => Ok(Err(last)),
        }
    }

    /// From a point over a utilisation floor but not short, lower one variable
    /// at a time (costliest first) as far as the other targets allow, until the
    /// floor holds too; None if it never does.
    fn relieve(&mut self, mut x: Capacities) -> Result<Option<Capacities>, Cancelled> {
        let bx = self.full();
        for j in self.by_cost() {
            x[j] = self.lowest(&x, j, 1, &bx, |s, y| {
                let v = s.ev.evaluate(y)?;
                Ok(!(v.short || v.unsure))
            })?;
            if self.ev.evaluate(&x)?.feasible() {
                return Ok(Some(x));
            }
        }
        Ok(None)
    }

    /// Every lattice point of the box, or None when it is too large to list
    /// (its size is known from the axes' index ranges before listing any).
    fn lattice(&self, f: u32, bx: &Bounds) -> Option<Vec<Capacities>> {
        let axes: Vec<Option<(Lattice, u64, u64)>> = (0..self.vars.len())
            .map(|j| self.span(j, f, bx, u32::MAX))
            .collect();
        let size = axes.iter().try_fold(1u64, |n, a| {
            n.checked_mul(a.map_or(0, |(_, first, last)| last - first + 1))
        })?;
        if size > MAX_BOX {
            return None;
        }
        if size == 0 {
            return Some(Vec::new());
        }
        let mut points = vec![Vec::new()];
        for &(l, first, last) in axes.iter().flatten() {
            points = points
                .into_iter()
                .flat_map(|p: Capacities| {
                    (first..=last).map(move |i| {
                        let mut q = p.clone();
                        q.push(l.get(i));
                        q
                    })
                })
                .collect();
        }
        Some(points)
    }

    /// Whether the candidate budget is spent (noted in `budget_hit`): every
    /// phase that would evaluate more stops then, keeping its incumbent.
    pub fn over_budget(&mut self) -> bool {
        self.budget_hit |= self.ev.order.len() >= self.budget;
        self.budget_hit
    }

    /// Prove `x` first in `order` within the box, or find the first feasible
    /// point there.
    pub fn bound(
        &mut self,
        mut x: Capacities,
        f: u32,
        bx: &Bounds,
        order: Order,
    ) -> Result<Capacities, Cancelled> {
        let Some(points) = self.lattice(f, bx) else {
            return Ok(x);
        };
        loop {
            if self.over_budget() {
                return Ok(x);
            }
            let next = points
                .iter()
                .filter(|p| self.cheaper(p, &x, order))
                .filter(|p| self.ev.get(p).is_none_or(|c| c.verdict.feasible()))
                .filter(|p| !self.ev.implied_infeasible(p))
                .max_by_key(|p| self.key(p))
                .cloned();
            let Some(p) = next else {
                return Ok(x);
            };
            if self.ev.evaluate(&p)?.feasible() {
                x = self.descend(p, f, bx)?;
            }
        }
    }

    /// Whether `x` lies on an edge of box `bx` that the bounds would let move
    /// further: the cheapest point may lie beyond it, in a box around `x`.
    pub fn on_edge(&self, x: &[u32], bx: &Bounds) -> bool {
        (0..x.len()).any(|j| {
            let (v, hi) = (&self.vars[j], bx[j].1);
            self.on_lower_edge(x, j, bx) || (x[j] == hi && hi < v.max())
        })
    }

    /// Whether variable `j` of `x` lies on the lower edge of box `bx` while
    /// its bounds go lower.
    fn on_lower_edge(&self, x: &[u32], j: usize, bx: &Bounds) -> bool {
        x[j] == bx[j].0 && bx[j].0 > self.vars[j].min()
    }

    /// The full range of every variable.
    pub fn full(&self) -> Bounds {
        self.vars.iter().map(|v| (v.min(), v.max())).collect()
    }

    /// One step of lattice `f` around `x`, within the bounds.
    pub fn around(&self, x: &[u32], f: u32) -> Bounds {
        self.vars
            .iter()
            .zip(x)
            .map(|(v, &c)| {
                let r = v.step().saturating_mul(f);
                (
                    c.saturating_sub(r).max(v.min()),
                    c.saturating_add(r).min(v.max()),
                )
            })
            .collect()
    }
}
