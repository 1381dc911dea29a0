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

/// Everything a run records, exactly: the statistics' debug form (every
/// counter, integral and series, floats in their shortest round-trip form)
/// and each distribution's counts.
/// Regression guard for the choice of event-list heap: the engine runs large
/// worlds on the radix heap and the others on the 4-ary heap, and each kind of
/// world (queues and patience, retries, timeline moves and outages that pull
/// departures out of the list, workers and autoscaling, every policy) must
/// give the very same run on both.
#[test]
fn both_event_list_heaps_give_the_very_same_run() {
    use regionsim::engine::queue::{QuadHeap, RadixHeap};
    use regionsim::engine::{simulate, simulate_on};
    for rel in [
        "scenarios/livekit-migration.json",
        "scenarios/livekit-outage.json",
        "scenarios/livekit-explicit.json",
        "scenarios/tests/timeline.json",
        "scenarios/tests/policies.json",
        "scenarios/tests/explicit-fallback.json",
        "scenarios/tests/spill-anywhere.json",
        "scenarios/tests/workers-autoscale.json",
        "scenarios/tests/workers-scale-to-zero.json",
    ] {
        let mut world = crate::common::world(rel);
        world
            .edit_run(|r| r.horizon_s = r.horizon_s.min(12.0 * 3600.0))
            .expect("valid run settings");
        let quad = simulate_on::<QuadHeap>(&world, 0, &());
        let radix = simulate_on::<RadixHeap>(&world, 0, &());
        assert_eq!(
            crate::common::fingerprint(&quad),
            crate::common::fingerprint(&radix),
            "{rel}"
        );
    }
    // A busy world with more slots than the 4-ary heap serves well (about
    // 28 000 sessions pending): `simulate` takes the radix heap, and the run is
    // the 4-ary heap's.
    let path = crate::common::repo("scenarios/reference-3x100.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for d in doc["deployments"].as_array_mut().unwrap() {
        d["capacity"] = 11_000.into();
    }
    for p in doc["populations"].as_array_mut().unwrap() {
        p["rate"]["peak_per_s"] = 87.0.into();
    }
    doc["run"]["horizon"] = "600s".into();
    let big = regionsim::scenario::parse(&path, &doc.to_string()).unwrap();
    const { assert!(3 * 11_000 >= regionsim::engine::queue::RADIX_FROM) };
    let quad = simulate_on::<QuadHeap>(&big, 0, &());
    assert!(quad.populations.iter().map(|p| p.sessions).sum::<u64>() > 100_000);
    assert_eq!(
        crate::common::fingerprint(&simulate(&big, 0, &())),
        crate::common::fingerprint(&quad)
    );
}
