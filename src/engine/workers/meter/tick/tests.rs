//! The pick's walk and the windows' re-summing against the plain ways they
//! replace, bit for bit.

use super::{walk, window_sums};
use proptest::prelude::*;

/// The walk as first written: over the takers alone, stopping at the hit.
fn stopping_walk(mut u: f64, weights: &[f64], takes: &[bool]) -> Option<usize> {
    let mut last = None;
    for (i, (&x, &t)) in weights.iter().zip(takes).enumerate() {
        if t {
            if u < x {
                return Some(i);
            }
            u -= x;
            last = Some(i);
        }
    }
    last
}

proptest! {
    /// The pick's walk without branches picks the very worker the
    /// stopping walk picks, for every draw, including draws at the
    /// boundaries between weights and workers of weight 0.
    #[test]
    fn the_walk_without_branches_picks_what_the_stopping_walk_picks(
        workers in prop::collection::vec((any::<bool>(), 0u8..=4), 0..24),
        u in 0.0f64..1.0,
        at_edge in any::<bool>(),
    ) {
        // Weights of a few exact quarters, so sums hit edges exactly.
        let takes: Vec<bool> = workers.iter().map(|w| w.0).collect();
        let weights: Vec<f64> = workers
            .iter()
            .map(|&(t, q)| if t { f64::from(q) / 4.0 } else { 0.0 })
            .collect();
        let total = weights.iter().fold(0.0, |s, &x| s + x);
        let u = if at_edge { (u * 4.0 * total).floor() / 4.0 } else { u * total };
        let flags: Vec<u64> = takes.iter().map(|&t| u64::from(t)).collect();
        prop_assert_eq!(walk(u, &weights, &flags), stopping_walk(u, &weights, &takes));
    }

    /// Summing the due columns alone and summing the whole ring give each
    /// due worker the very bits of its own window summed oldest first,
    /// whatever the slot, window, pool size or mix of magnitudes (where
    /// the order of additions shows in the last bits).
    #[test]
    fn a_window_summed_by_rows_or_by_its_column_is_the_same_sum(
        n in 1usize..24,
        w in 1usize..8,
        slot in any::<prop::sample::Index>(),
        values in prop::collection::vec(
            prop_oneof![-1e3f64..1e3, -1e-6f64..1e-6, 1e12f64..1e13],
            8 * 24,
        ),
        picked in prop::collection::vec(any::<bool>(), 24),
    ) {
        let (ring, slot) = (&values[..w * n], slot.index(w));
        let due: Vec<u32> = (0..n as u32).filter(|&i| picked[i as usize]).collect();
        let own = |i: usize| {
            let mut column = (1..=w).map(|k| ring[(slot + k) % w * n + i]);
            let first = column.next().expect("a window has a slot");
            column.fold(first, |sum, x| sum + x).to_bits()
        };
        for by_rows in [false, true] {
            let mut got = Vec::new();
            let mut acc = vec![0.0; n];
            window_sums(ring, slot, &due, &mut acc, by_rows, |i, x| got.push((i, x.to_bits())));
            let want: Vec<(usize, u64)> = due.iter().map(|&i| (i as usize, own(i as usize))).collect();
            prop_assert_eq!(got, want);
        }
    }
}
