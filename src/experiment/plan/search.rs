//! The simulation search over a lattice of capacities, coarse to fine.
//!
//! At each level the lattice has at most [`POINTS`] values per variable. The
//! search (1) finds a feasible point from the analytic start, (2) lowers one
//! variable at a time by bisection until none can drop (a minimal point), then
//! (3) proves it cheapest within the level's box by branch and bound: any
//! cheaper lattice point not already ruled out is evaluated, most expensive
//! first, and a feasible one restarts the descent. A point is ruled out without
//! simulation when it lies below a point short of capacity or above one over a
//! utilisation floor (feasibility is monotone in capacity). The next level
//! halves the lattice step in a box of one new step around the incumbent.

use super::evaluate::Evaluator;
use super::space::{cost, Decision, Variable};
use crate::experiment::Cancelled;
use crate::model::World;

/// Most lattice values per variable at a level.
pub const POINTS: u32 = 9;

/// Largest box the branch and bound enumerates.
const MAX_BOX: usize = 250_000;

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

type Bounds = Vec<(u32, u32)>;

impl Search<'_, '_> {
    fn key(&self, x: &[u32]) -> (f64, Decision) {
        (cost(self.world, self.vars, x), x.to_vec())
    }

    fn cheaper(&self, a: &[u32], b: &[u32]) -> bool {
        let (ka, kb) = (self.key(a), self.key(b));
        ka.0.total_cmp(&kb.0).then_with(|| ka.1.cmp(&kb.1)).is_lt()
    }

    fn feasible(&mut self, x: &[u32]) -> Result<bool, Cancelled> {
        if self.ev.implied_infeasible(x) {
            return Ok(false);
        }
        Ok(self.ev.evaluate(x)?.feasible())
    }

    fn values(&self, j: usize, f: u32, bx: &Bounds) -> Vec<u32> {
        let (lo, hi) = bx[j];
        self.vars[j]
            .values(f)
            .into_iter()
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    }

    /// A feasible lattice point reached from `x` along the diagonal (up when
    /// short, down when over a floor), or the last point tried when none is.
    pub fn first_feasible(
        &mut self,
        x: &[u32],
        f: u32,
    ) -> Result<Result<Decision, Decision>, Cancelled> {
        let all: Vec<Vec<u32>> = self.vars.iter().map(|v| v.values(f)).collect();
        let mut idx: Vec<usize> = self
            .vars
            .iter()
            .zip(x)
            .zip(&all)
            .map(|((v, &c), vals)| vals.iter().position(|&y| y == v.snap_up(c, f)).unwrap_or(0))
            .collect();
        let point =
            |idx: &[usize]| -> Decision { idx.iter().zip(&all).map(|(&i, v)| v[i]).collect() };
        let mut d = 1usize;
        let mut up: Option<bool> = None;
        loop {
            let y = point(&idx);
            let v = self.ev.evaluate(&y)?;
            if v.feasible() {
                return Ok(Ok(y));
            }
            let go_up = v.short || (!v.over && v.unsure);
            if (v.short && v.over) || up.is_some_and(|u| u != go_up) {
                return Ok(Err(y));
            }
            up = Some(go_up);
            let moved = idx.iter_mut().zip(&all).fold(false, |moved, (i, vals)| {
                let next = if go_up {
                    (*i + d).min(vals.len() - 1)
                } else {
                    i.saturating_sub(d)
                };
                let m = next != *i;
                *i = next;
                moved || m
            });
            if !moved {
                return Ok(Err(y));
            }
            d *= 2;
        }
    }

    /// Lower each variable in turn (costliest first) to its smallest feasible
    /// lattice value, until no variable can drop.
    pub fn descend(&mut self, mut x: Decision, f: u32, bx: &Bounds) -> Result<Decision, Cancelled> {
        let mut order: Vec<usize> = (0..self.vars.len()).collect();
        order.sort_by(|&a, &b| {
            self.vars[b]
                .cost
                .total_cmp(&self.vars[a].cost)
                .then(a.cmp(&b))
        });
        loop {
            let mut changed = false;
            for &j in &order {
                let vals: Vec<u32> = self
                    .values(j, f, bx)
                    .into_iter()
                    .filter(|&v| v <= x[j])
                    .collect();
                if vals.last() != Some(&x[j]) {
                    continue;
                }
                // vals[b] is feasible; everything at or below index a is not.
                let (mut a, mut b) = (-1isize, vals.len() as isize - 1);
                while b - a > 1 {
                    let m = (a + b) / 2;
                    let mut y = x.clone();
                    y[j] = vals[m as usize];
                    if self.feasible(&y)? {
                        b = m;
                    } else {
                        a = m;
                    }
                }
                if vals[b as usize] != x[j] {
                    x[j] = vals[b as usize];
                    changed = true;
                }
            }
            if !changed {
                return Ok(x);
            }
        }
    }

    /// Every lattice point of the box, or None when it is too large to list.
    fn lattice(&self, f: u32, bx: &Bounds) -> Option<Vec<Decision>> {
        let axes: Vec<Vec<u32>> = (0..self.vars.len())
            .map(|j| self.values(j, f, bx))
            .collect();
        let size = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.len()))?;
        if size > MAX_BOX {
            return None;
        }
        let mut points = vec![Vec::new()];
        for axis in &axes {
            points = points
                .into_iter()
                .flat_map(|p: Decision| {
                    axis.iter().map(move |&v| {
                        let mut q = p.clone();
                        q.push(v);
                        q
                    })
                })
                .collect();
        }
        Some(points)
    }

    /// Prove `x` cheapest in the box or find the cheapest feasible point there.
    pub fn bound(&mut self, mut x: Decision, f: u32, bx: &Bounds) -> Result<Decision, Cancelled> {
        let Some(points) = self.lattice(f, bx) else {
            return Ok(x);
        };
        loop {
            if self.ev.order.len() >= self.budget {
                self.budget_hit = true;
                return Ok(x);
            }
            let next = points
                .iter()
                .filter(|p| self.cheaper(p, &x))
                .filter(|p| self.ev.get(p).is_none_or(|c| c.verdict.feasible()))
                .filter(|p| !self.ev.implied_infeasible(p))
                .max_by(|a, b| {
                    let (ka, kb) = (self.key(a), self.key(b));
                    ka.0.total_cmp(&kb.0).then_with(|| ka.1.cmp(&kb.1))
                })
                .cloned();
            let Some(p) = next else {
                return Ok(x);
            };
            if self.ev.evaluate(&p)?.feasible() {
                x = self.descend(p, f, bx)?;
            }
        }
    }

    /// The full range of every variable.
    pub fn full(&self) -> Bounds {
        self.vars.iter().map(|v| (v.min, v.max)).collect()
    }

    /// One step of lattice `f` around `x`, within the bounds.
    pub fn around(&self, x: &[u32], f: u32) -> Bounds {
        self.vars
            .iter()
            .zip(x)
            .map(|(v, &c)| {
                let r = v.step.saturating_mul(f);
                (
                    c.saturating_sub(r).max(v.min),
                    c.saturating_add(r).min(v.max),
                )
            })
            .collect()
    }
}
