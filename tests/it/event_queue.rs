//! The event list as the engine drives it: one pending arrival per
//! population, each popped arrival followed at once by its population's next
//! one (refilled in place), departures and timers in between, against a
//! sorted reference on (time, insertion sequence).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use regionsim::engine::queue::{EventQueue, Kind};

/// A pending event of the reference: (time, insertion sequence, kind, a, b).
type Pending = (f64, u64, Kind, u32, u32);

fn pop_reference(pending: &mut Vec<Pending>) -> Option<Pending> {
    let i = (0..pending.len()).min_by(|&i, &j| {
        let (a, b) = (pending[i], pending[j]);
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    })?;
    Some(pending.swap_remove(i))
}

/// Regression guard for the arrival refill: whether a popped arrival is
/// replaced by its population's next one, by another population's, or not at
/// all (the population ends), nothing else ever sees it again and the order is
/// that of a single sorted list, ties in insertion order.
#[test]
fn taken_arrivals_are_refilled_or_removed_and_the_order_is_exact() {
    for (seed, populations) in [(1u64, 1u32), (2, 3), (3, 14)] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let (mut q, mut reference) = (EventQueue::default(), Vec::<Pending>::new());
        let mut seq = 0u64;
        let mut push =
            |q: &mut EventQueue, r: &mut Vec<Pending>, t: f64, k: Kind, a: u32, b: u32| {
                q.push(t, k, a, b);
                r.push((t, seq, k, a, b));
                seq += 1;
            };
        for p in 0..populations {
            push(
                &mut q,
                &mut reference,
                0.5 * f64::from(p),
                Kind::Arrival,
                p,
                0,
            );
        }
        for step in 0..30_000u32 {
            let want = pop_reference(&mut reference);
            let got = q.pop();
            assert_eq!(
                got.map(|e| (e.time, e.kind, e.a, e.b)),
                want.map(|w| (w.0, w.2, w.3, w.4))
            );
            let Some(ev) = got else { break };
            // Coarse times so that ties are frequent.
            let later = ev.time + f64::from(rng.random_range(0..8u32)) * 0.5;
            if ev.kind == Kind::Arrival && rng.random::<f64>() < 0.97 {
                push(&mut q, &mut reference, later, Kind::Arrival, ev.a, 0);
            }
            if rng.random::<f64>() < 0.6 {
                push(
                    &mut q,
                    &mut reference,
                    later,
                    Kind::Departure,
                    step % 5,
                    step,
                );
            }
            if rng.random::<f64>() < 0.05 {
                // A population that had ended starts again.
                let p = rng.random_range(0..populations);
                if !reference.iter().any(|r| r.2 == Kind::Arrival && r.3 == p) {
                    push(&mut q, &mut reference, later, Kind::Arrival, p, 0);
                }
            }
            assert_eq!(q.len(), reference.len());
        }
    }
}
