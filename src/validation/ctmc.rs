//! The exact continuous-time Markov chain of a small loss network with ordered
//! overflow: what nearest dispatch with spill does when sessions last an
//! exponential time and nobody waits.
//!
//! A state is the occupancy vector (n_1, ..., n_R), n_r in 0..=c_r. Class p
//! arrives at rate lambda_p and takes the first region of its preference order
//! below the spill threshold (n_r / c_r < threshold), else the first with room,
//! or is lost; each busy slot frees at rate mu. The stationary law is
//! found by Gauss-Seidel sweeps over the global balance equations; then, by PASTA,
//! the share of class p served in region r is the stationary mass of the states
//! in which p's first region with room is r.

/// A loss network: capacities, a common service rate, and arrival classes.
#[derive(Debug, Clone)]
pub struct LossNetwork {
    /// Slots per region.
    pub capacity: Vec<u32>,
    /// Mean session length, seconds (the same for every class).
    pub mean_s: f64,
    /// Per class: arrival rate (per second) and regions in preference order.
    pub classes: Vec<(f64, Vec<usize>)>,
    /// Spill threshold on utilisation; 1 or more = spill only when full.
    pub threshold: f64,
}

/// Where each class's arrivals end up, in the steady state.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    /// `served[p][r]`: share of class p's arrivals served in region r.
    pub served: Vec<Vec<f64>>,
    /// Share of class p's arrivals lost.
    pub rejected: Vec<f64>,
    /// Largest |(pi Q)_s| after convergence (a check on the solution).
    pub residual: f64,
}

/// Largest state space solved (7 x 7 x 7 x ... keeps sweeps instantaneous).
pub const MAX_STATES: usize = 200_000;

impl LossNetwork {
    fn states(&self) -> Option<usize> {
        self.capacity
            .iter()
            .try_fold(1usize, |n, &c| n.checked_mul(c as usize + 1))
            .filter(|&n| n <= MAX_STATES)
    }

    fn decode(&self, mut s: usize, occ: &mut [u32]) {
        for (o, &c) in occ.iter_mut().zip(&self.capacity) {
            let radix = c as usize + 1;
            *o = (s % radix) as u32;
            s /= radix;
        }
    }

    fn strides(&self) -> Vec<usize> {
        let mut stride = 1;
        self.capacity
            .iter()
            .map(|&c| {
                let s = stride;
                stride *= c as usize + 1;
                s
            })
            .collect()
    }

    /// The region class `p` is placed in from occupancy `occ`, if any.
    fn route(&self, p: usize, occ: &[u32]) -> Option<usize> {
        let order = &self.classes[p].1;
        let room = |r: &usize| occ[*r] < self.capacity[*r];
        let below = |r: &usize| {
            room(r) && f64::from(occ[*r]) < self.threshold * f64::from(self.capacity[*r])
        };
        if self.threshold < 1.0 {
            if let Some(&r) = order.iter().find(|r| below(r)) {
                return Some(r);
            }
        }
        order.iter().copied().find(room)
    }

    /// Solve for the stationary shares. `None` for an invalid or too large network
    /// (a region index out of range, no classes, non-positive rates).
    pub fn solve(&self) -> Option<Shares> {
        let n = self.states()?;
        let regions = self.capacity.len();
        let valid = self.mean_s.is_finite()
            && !self.threshold.is_nan()
            && self.mean_s > 0.0
            && !self.classes.is_empty()
            && self
                .classes
                .iter()
                .all(|(l, order)| l.is_finite() && *l >= 0.0 && order.iter().all(|&r| r < regions));
        if !valid {
            return None;
        }
        let mu = 1.0 / self.mean_s;
        let stride = self.strides();
        // Incoming transitions of every state, and its total outflow rate.
        let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut out = vec![0.0; n];
        let mut occ = vec![0u32; regions];
        for s in 0..n {
            self.decode(s, &mut occ);
            for p in 0..self.classes.len() {
                if let Some(r) = self.route(p, &occ) {
                    let rate = self.classes[p].0;
                    incoming[s + stride[r]].push((s, rate));
                    out[s] += rate;
                }
            }
            for r in 0..regions {
                if occ[r] > 0 {
                    let rate = f64::from(occ[r]) * mu;
                    incoming[s - stride[r]].push((s, rate));
                    out[s] += rate;
                }
            }
        }
        let mut pi = vec![1.0 / n as f64; n];
        for _ in 0..100_000 {
            let mut change = 0.0f64;
            for s in 0..n {
                if out[s] == 0.0 {
                    continue;
                }
                let inflow: f64 = incoming[s].iter().map(|&(from, q)| pi[from] * q).sum();
                let new = inflow / out[s];
                change = change.max((new - pi[s]).abs());
                pi[s] = new;
            }
            let total: f64 = pi.iter().sum();
            pi.iter_mut().for_each(|x| *x /= total);
            if change < 1e-15 {
                break;
            }
        }
        let residual = (0..n)
            .map(|s| {
                let inflow: f64 = incoming[s].iter().map(|&(from, q)| pi[from] * q).sum();
                (inflow - pi[s] * out[s]).abs()
            })
            .fold(0.0, f64::max);
        let mut served = vec![vec![0.0; regions]; self.classes.len()];
        let mut rejected = vec![0.0; self.classes.len()];
        for (s, &mass) in pi.iter().enumerate() {
            self.decode(s, &mut occ);
            for p in 0..self.classes.len() {
                match self.route(p, &occ) {
                    Some(r) => served[p][r] += mass,
                    None => rejected[p] += mass,
                }
            }
        }
        Some(Shares {
            served,
            rejected,
            residual,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::exact::erlang_b;

    #[test]
    fn one_region_is_erlang_b() {
        let net = LossNetwork {
            capacity: vec![6],
            mean_s: 2.0,
            classes: vec![(2.5, vec![0])],
            threshold: 1.0,
        };
        let s = net.solve().unwrap();
        assert!((s.rejected[0] - erlang_b(6, 5.0)).abs() < 1e-12);
        assert!(s.residual < 1e-12);
    }

    #[test]
    fn spill_anywhere_pools_into_one_erlang_b() {
        let net = LossNetwork {
            capacity: vec![3, 4, 2],
            mean_s: 1.0,
            classes: vec![
                (2.0, vec![0, 1, 2]),
                (3.0, vec![1, 2, 0]),
                (1.5, vec![2, 0, 1]),
            ],
            threshold: 1.0,
        };
        let s = net.solve().unwrap();
        // Every class sees the same all-full state, so each loses Erlang B(9, 6.5).
        for r in &s.rejected {
            assert!((r - erlang_b(9, 6.5)).abs() < 1e-10, "{r}");
        }
        for (p, row) in s.served.iter().enumerate() {
            let total: f64 = row.iter().sum::<f64>() + s.rejected[p];
            assert!((total - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn no_overflow_is_independent_erlang_b() {
        let net = LossNetwork {
            capacity: vec![3, 5],
            mean_s: 1.0,
            classes: vec![(2.0, vec![0]), (4.0, vec![1])],
            threshold: 1.0,
        };
        let s = net.solve().unwrap();
        assert!((s.rejected[0] - erlang_b(3, 2.0)).abs() < 1e-12);
        assert!((s.rejected[1] - erlang_b(5, 4.0)).abs() < 1e-12);
    }

    #[test]
    fn a_spill_threshold_moves_load_away_before_home_is_full() {
        let net = |threshold| LossNetwork {
            capacity: vec![4, 4],
            mean_s: 1.0,
            classes: vec![(3.0, vec![0, 1])],
            threshold,
        };
        let (full, early) = (net(1.0).solve().unwrap(), net(0.5).solve().unwrap());
        assert!(early.served[0][1] > full.served[0][1]);
        // Both regions are still used up to full, so the pool loses Erlang B(8, 3).
        for s in [full, early] {
            assert!((s.rejected[0] - erlang_b(8, 3.0)).abs() < 1e-10);
        }
    }

    #[test]
    fn refuses_bad_networks() {
        let bad = |capacity: Vec<u32>, classes: Vec<(f64, Vec<usize>)>| LossNetwork {
            capacity,
            mean_s: 1.0,
            classes,
            threshold: 1.0,
        };
        assert!(bad(vec![2], vec![(1.0, vec![1])]).solve().is_none());
        assert!(bad(vec![2], vec![]).solve().is_none());
        assert!(bad(vec![1000, 1000], vec![(1.0, vec![0])])
            .solve()
            .is_none());
    }
}
