//! The slide: a variable whose incumbent keeps reaching the lower edge of
//! the level's box is lowered by galloping, not one box at a time.
//!
//! Why: a box reaches one lattice step each way, so a variable the targets
//! leave (nearly) free over wide bounds (a deployment the timeline migrates
//! away, its start scaled up along the ray with the others) moved down its
//! range one step per re-centring: over `0:4294967295` the search spent the
//! whole candidate budget and stopped at 161 million slots where 8 were
//! enough. Galloping (probes 1, 2, 4... steps below, then bisection between
//! the last feasible probe and the first that is not) finds the variable's
//! smallest feasible value, the others held, in O(log distance) candidates.
//! Feasibility is taken as monotone in capacity, as in the descent.

use super::{Bounds, Capacities, Search};
use crate::experiment::Cancelled;

impl Search<'_, '_> {
    /// Lower, by galloping on lattice `f`, every variable of `x` that sits
    /// on the lower edge of box `bx` while its bounds go lower (costliest
    /// first, as the descent does).
    pub fn slide(
        &mut self,
        mut x: Capacities,
        f: u32,
        bx: &Bounds,
    ) -> Result<Capacities, Cancelled> {
        for j in self.by_cost() {
            if self.on_lower_edge(&x, j, bx) && !self.over_budget() {
                x[j] = self.gallop(&x, j, f)?;
            }
        }
        Ok(x)
    }

    /// The smallest feasible value of variable `j` at or below `x[j]` on
    /// lattice `f`, the others held (`x` is taken as feasible).
    fn gallop(&mut self, x: &[u32], j: usize, f: u32) -> Result<u32, Cancelled> {
        let v = &self.vars[j];
        let l = v.lattice(f);
        let Some((first, last)) = l.within(v.min(), x[j]) else {
            return Ok(x[j]);
        };
        if l.get(last) != x[j] {
            return Ok(x[j]);
        }
        // Feasible at index b; not at index a (first - 1: below the bounds).
        let (mut a, mut b) = (i128::from(first) - 1, i128::from(last));
        let mut reach = 1i128;
        let mut y = x.to_vec();
        while b - a > 1 {
            let m = (b - reach).max(a + 1);
            y[j] = l.get(m as u64);
            if !self.feasible(&y)? {
                a = m;
                break;
            }
            b = m;
            reach = reach.saturating_mul(2);
        }
        self.bisect(x, j, l, (a, b), Self::feasible)
    }
}
