//! The ray: on a lattice too wide for one branch and bound, the search first
//! scales the feasible start down towards the lower bounds, every priced
//! variable in proportion, to the smallest feasible point of that segment.
//!
//! Why: the analytic start has the right proportions between deployments (it
//! is each one's own Erlang inverse) but sits on the upper side when load
//! spills, so the cheapest plan lies close to a scaled copy of it. Bisection
//! along that one line costs a handful of candidates, most of them far from
//! the boundary and decided on the first replications, where a coarse branch
//! and bound over the whole box evaluates dozens of lopsided points (one
//! deployment empty, another doubled) only to rule them out. Feasibility is
//! monotone along the ray (every coordinate moves the same way), so the
//! bisection finds the ray's smallest feasible point whenever the rule's
//! decisions are monotone in capacity on the common random numbers.

use super::Search;
use crate::experiment::plan::space::{Capacities, Lattice};
use crate::experiment::Cancelled;

/// The ray is bisected to about this share of the largest priced start, the
/// first level's step (the flagship: 482 / 64 = 7.5, so steps of 4 slots).
/// A finer ray costs one candidate per halving; a coarser one a level of
/// about six near the boundary. On the flagship 1/16, 1/32 and 1/64 found
/// the same cost with 86, 43 and 38 candidates; with lopsided costs
/// (eu-central at 3, ap-south at 0.3) 1/64 ended 0.7 % above the other two.
const RESOLUTION: u32 = 64;

impl Search<'_, '_> {
    /// The first level's step factor: 1 on a narrow lattice (`coarse` = 1);
    /// on a wide one the power of two nearest below 1/[`RESOLUTION`] of the
    /// largest priced start (in steps above its lower bound), at least 2 (so
    /// that a checkpoint is verified before the last level) and at most
    /// `coarse`.
    pub fn ray_factor(&self, start: &[u32], coarse: u32) -> u32 {
        let span = (self.vars.iter().zip(start).enumerate())
            .filter(|&(j, _)| self.priced(j))
            .map(|(_, (v, &c))| c.saturating_sub(v.min()) / v.step())
            .max()
            .unwrap_or(0);
        let mut f = coarse.min(2);
        while f < coarse && f.saturating_mul(2) <= span / RESOLUTION {
            f *= 2;
        }
        f
    }

    /// The smallest feasible point, to one step of lattice `f`, of the segment
    /// from the lower bounds to `x` (taken as feasible, and on lattice `f`),
    /// the priced variables moving in proportion to their distance from their
    /// lower bounds and the others held at `x`.
    pub fn down_the_ray(&mut self, x: Capacities, f: u32) -> Result<Capacities, Cancelled> {
        let all: Vec<Lattice> = self.vars.iter().map(|v| v.lattice(f)).collect();
        let idx: Vec<u64> = (all.iter().zip(&x))
            .enumerate()
            .map(|(j, (l, &c))| match self.priced(j) {
                true => l.ceil_index(c).unwrap_or(l.len() - 1),
                false => 0,
            })
            .collect();
        let n = idx.iter().copied().max().unwrap_or(0);
        // Point t of n: priced variable j at index ceil(idx_j t / n).
        let at = |t: u64| -> Capacities {
            (all.iter().zip(&idx).zip(&x))
                .map(|((l, &i), &c)| match i {
                    0 => c,
                    _ => l.get((u128::from(i) * u128::from(t)).div_ceil(u128::from(n)) as u64),
                })
                .collect()
        };
        // Feasible at b; not at a (a = -1: below the lower bounds).
        let (mut a, mut b) = (-1i128, i128::from(n));
        while b - a > 1 {
            let m = a + (b - a) / 2;
            if self.feasible(&at(m as u64))? {
                b = m;
            } else {
                a = m;
            }
        }
        Ok(if b == i128::from(n) { x } else { at(b as u64) })
    }
}
