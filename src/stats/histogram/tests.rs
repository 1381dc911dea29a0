//! Unit tests of the distributions: quantiles within their precision, exact
//! merges, the counts' layout and answers as the hdrhistogram crate's (the
//! oracle: a dev-dependency only), and
//! memory that follows what is recorded.

use super::*;
use hdrhistogram::Histogram;
use rand::{Rng, SeedableRng};

#[test]
fn quantiles_are_within_precision_and_merge_is_exact() {
    let mut a = Distribution::new();
    let mut b = Distribution::new();
    for i in 1..=1000 {
        if i % 2 == 0 {
            a.record(i as f64)
        } else {
            b.record(i as f64)
        }
    }
    a.merge(&b);
    assert_eq!(a.count(), 1000);
    assert!((a.mean() - 500.5).abs() < 1e-9);
    assert!((a.quantile(0.5) - 500.0).abs() <= 0.5);
    assert!((a.quantile(0.99) - 990.0).abs() <= 1.0);
    assert_eq!(a.max(), 1000.0);
    assert!(Distribution::new().mean().is_nan());
}

#[test]
fn layout_and_answers_are_the_crates() {
    let reference = Histogram::<u64>::new_with_bounds(1, HIGHEST, 3).unwrap();
    assert_eq!(LEN, reference.distinct_values());
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    let mut ours = Distribution::new();
    let mut theirs = reference.clone();
    // Values from 0 to past the highest trackable one, over every magnitude.
    for _ in 0..50_000 {
        let ms = 10f64.powf(rng.random_range(-4.0..9.5));
        ours.record(ms);
        theirs.saturating_record((ms * SCALE) as u64);
    }
    ours.record(0.0);
    theirs.saturating_record(0);
    for q in [0.0, 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
        assert_eq!(
            ours.quantile(q),
            theirs.value_at_quantile(q) as f64 / SCALE,
            "q = {q}"
        );
    }
    let theirs_cdf: Vec<(f64, f64)> = {
        let mut acc = 0u64;
        theirs
            .iter_recorded()
            .map(|v| {
                acc += v.count_at_value();
                (
                    v.value_iterated_to() as f64 / SCALE,
                    acc as f64 / theirs.len() as f64,
                )
            })
            .collect()
    };
    assert_eq!(ours.cdf_points(), theirs_cdf);
    for x in [0.0, 0.5, 1.0, 80.0, 1234.5, 1e6, 1e9] {
        let v = (x * SCALE) as u64;
        let below: u64 = theirs
            .iter_recorded()
            .filter(|i| i.value_iterated_to() <= v)
            .map(|i| i.count_at_value())
            .sum();
        assert_eq!(ours.cdf(x), below as f64 / theirs.len() as f64, "x = {x}");
    }
    for i in [0, 1, 1023, 1024, 2047, 2048, 5000, LEN - 1] {
        assert_eq!(index_of(value_of(i)), i);
        assert_eq!(
            highest_of(i),
            reference.highest_equivalent(value_of(i)),
            "{i}"
        );
    }
    assert_eq!(index_of(IN_RANGE as u64 - 1), LEN - 1);
    assert_eq!(index_of(IN_RANGE as u64), LEN);
    // The chunks cover the layout exactly.
    assert_eq!(LEN % CHUNK, 0);
}

#[test]
fn memory_follows_what_is_recorded() {
    let mut d = Distribution::new();
    assert_eq!(d.heap_bytes(), 0);
    for i in 0..10_000 {
        d.record(80.0 + (i % 7) as f64); // a few RTTs
    }
    assert!(d.heap_bytes() <= 8 * 1024, "{}", d.heap_bytes());
    let mut e = Distribution::new();
    e.record(1e12); // saturates at the top: one chunk, a full table
    e.merge(&d);
    assert_eq!(e.count(), 10_001);
    assert!(e.heap_bytes() < 16 * 1024, "{}", e.heap_bytes());
    assert_eq!(e.quantile(0.5), d.quantile(0.5));
}
