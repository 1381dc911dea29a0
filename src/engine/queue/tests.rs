//! The event list against sorted references, on both main heaps.

use super::*;
use rand::{Rng, SeedableRng};

/// Run a check on an empty queue on each main heap: every test must hold for both.
macro_rules! on_both_heaps {
    ($check:ident) => {
        $check(EventQueue::<QuadHeap>::default());
        $check(EventQueue::<RadixHeap>::default());
    };
}

#[test]
fn earliest_first_and_ties_in_insertion_order() {
    on_both_heaps!(earliest_first);
}

fn earliest_first<H: MainHeap>(mut q: EventQueue<H>) {
    q.push(2.0, Kind::Arrival, 0, 0);
    q.push(1.0, Kind::Departure, 1, 0);
    q.push(1.0, Kind::Departure, 2, 0);
    q.push(1.0, Kind::Arrival, 3, 0);
    let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|e| e.a).collect();
    assert_eq!(order, vec![1, 2, 3, 0]);
}

#[test]
fn a_tick_refilled_after_other_pushes_keeps_the_single_heap_order() {
    on_both_heaps!(tick_refilled_after_other_pushes);
}

fn tick_refilled_after_other_pushes<H: MainHeap>(mut q: EventQueue<H>) {
    q.push(0.5, Kind::WorkerTick, 0, 0);
    q.push(0.7, Kind::Arrival, 1, 0);
    q.push(0.9, Kind::Departure, 2, 0);
    let tick = q.pop().unwrap();
    assert_eq!((tick.kind, tick.time), (Kind::WorkerTick, 0.5));
    // The tick's handler schedules other events before the next tick.
    q.push(0.6, Kind::WorkerReady, 3, 0);
    q.push(0.9, Kind::WorkerDeparture, 4, 0);
    q.push(0.9, Kind::WorkerTick, 5, 0);
    assert_eq!(q.len(), 5);
    let order: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|e| e.a).collect();
    // Equal times come out in the order they were scheduled.
    assert_eq!(order, vec![3, 1, 2, 4, 5]);
}

#[test]
fn extract_removes_exactly_the_chosen_events_and_keeps_the_order() {
    on_both_heaps!(extract_chosen);
}

fn extract_chosen<H: MainHeap>(mut q: EventQueue<H>) {
    for i in 0..100u32 {
        let t = f64::from((i * 37) % 17);
        q.push(t, Kind::Departure, i % 3, i);
    }
    let cut = q.extract(|e| e.a == 1);
    assert_eq!(cut.len(), 33);
    assert!(cut
        .windows(2)
        .all(|w| (w[0].time, w[0].b) <= (w[1].time, w[1].b) || w[0].time < w[1].time));
    let rest: Vec<Event> = std::iter::from_fn(|| q.pop()).collect();
    assert_eq!(rest.len(), 67);
    assert!(rest.iter().all(|e| e.a != 1));
    assert!(rest.windows(2).all(|w| w[0].time <= w[1].time));
}

#[test]
fn radix_and_quad_heaps_pop_the_same_sequence_at_every_scale() {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    for pending in [1usize, 30, 3_000, 30_000] {
        let mut quad = EventQueue::<QuadHeap>::default();
        let mut radix = EventQueue::<RadixHeap>::default();
        let mut now = 0.0f64;
        for i in 0..pending {
            let t = rng.random::<f64>() * 1e3;
            quad.push(t, Kind::Departure, i as u32, 0);
            radix.push(t, Kind::Departure, i as u32, 0);
        }
        for step in 0..100_000u32 {
            let (a, b) = (quad.pop().unwrap(), radix.pop().unwrap());
            assert_eq!((a.time.to_bits(), a.a), (b.time.to_bits(), b.a));
            now = now.max(a.time);
            // Increments over many scales, and exact ties (zero and repeated).
            let inc = match step % 4 {
                0 => 0.0,
                1 => rng.random::<f64>() * 1e-9,
                2 => -rng.random::<f64>().ln() * 100.0,
                _ => f64::from(step % 7),
            };
            quad.push(now + inc, Kind::Departure, step, 1);
            radix.push(now + inc, Kind::Departure, step, 1);
            assert_eq!(quad.len(), radix.len());
        }
    }
}

#[test]
fn order_key_is_total_cmp_order_and_round_trips() {
    let xs = [
        -1e300,
        -2.5,
        -0.0,
        0.0,
        1e-310,
        0.5,
        7.0,
        1e300,
        f64::INFINITY,
    ];
    for w in xs.windows(2) {
        assert!(order_key(w[0]) < order_key(w[1]), "{} {}", w[0], w[1]);
    }
    for x in xs {
        assert_eq!(from_order_key(order_key(x)).to_bits(), x.to_bits());
    }
}

#[test]
fn interleaved_pushes_and_pops_match_a_sorted_reference() {
    on_both_heaps!(matches_sorted_reference);
}

fn matches_sorted_reference<H: MainHeap>(mut q: EventQueue<H>) {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    let mut reference: Vec<(f64, u64, u32)> = Vec::new();
    let (mut seq, mut now) = (0u64, 0.0f64);
    for step in 0..20_000u32 {
        if rng.random::<f64>() < 0.55 || reference.is_empty() {
            // Coarse times so that ties are frequent; a clocked kind comes
            // after the current instant, as the event list requires.
            let kind = KINDS[step as usize % KINDS.len()];
            let k = rng.random_range(0..50).max(u32::from(kind.clocked()));
            let t = now + f64::from(k) * 0.25;
            q.push(t, kind, step, step ^ 7);
            reference.push((t, seq, step));
            seq += 1;
        } else {
            let i = (0..reference.len())
                .min_by(|&i, &j| {
                    let (a, b) = (reference[i], reference[j]);
                    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
                })
                .unwrap();
            let want = reference.swap_remove(i);
            assert_eq!(q.peek_time(), Some(want.0));
            let e = q.pop().unwrap();
            assert_eq!((e.time, e.a, e.b), (want.0, want.2, want.2 ^ 7));
            assert_eq!(e.kind, KINDS[want.2 as usize % KINDS.len()]);
            now = e.time;
        }
        assert_eq!(q.len(), reference.len());
    }
}

/// Debug builds refuse a clocked event (an hourly schedule's next hour, a
/// worker pool's tick) at the instant of the one it follows: it would come
/// back at that instant forever.
#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "would repeat forever")]
fn a_clocked_event_rescheduled_at_the_current_instant_is_refused() {
    let mut q = EventQueue::<QuadHeap>::default();
    q.push(14_760.0, Kind::Timeline, 0, 0);
    let e = q.pop().unwrap();
    q.push(e.time, Kind::Timeline, 0, 0);
}

/// The same instant is allowed for anything else (two arrivals closer than
/// the clock's resolution, a zero delay).
#[test]
fn other_events_may_share_the_current_instant() {
    let mut q = EventQueue::<QuadHeap>::default();
    q.push(1.0, Kind::Arrival, 0, 0);
    let e = q.pop().unwrap();
    q.push(e.time, Kind::Arrival, 0, 0);
    q.push(e.time, Kind::Departure, 1, 0);
    assert_eq!(q.len(), 2);
}
