//! Distributions hold a run of repeated values aside before it reaches their
//! counts: every reader (quantiles, parts for sharding, merges) must see exactly
//! the counts the `hdrhistogram` crate would hold for the same values.

use hdrhistogram::Histogram;
use regionsim::stats::Distribution;

/// Values with runs of every length, a change of sign of zero, a saturating
/// value and a negative one, ending inside a run.
fn values() -> Vec<f64> {
    let mut v = Vec::new();
    for (x, n) in [
        (0.0, 5),
        (80.25, 3),
        (0.0, 1),
        (-0.0, 2),
        (80.25, 2),
        (1e12, 2),
        (-3.0, 1),
        (12.5, 1),
        (80.25, 7),
    ] {
        v.extend(std::iter::repeat_n(x, n));
    }
    v
}

fn crates(values: &[f64]) -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(1, 100_000_000_000, 3).unwrap();
    for &ms in values {
        h.saturating_record((ms * 1000.0) as u64);
    }
    h
}

fn assert_same_quantiles(d: &Distribution, h: &Histogram<u64>) {
    assert_eq!(d.count(), h.len());
    for q in [0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 0.99, 1.0] {
        assert_eq!(
            d.quantile(q),
            h.value_at_quantile(q) as f64 / 1000.0,
            "q = {q}"
        );
    }
}

#[test]
fn a_run_held_aside_is_in_every_query_parts_and_merge() {
    let vs = values();
    let mut d = Distribution::new();
    for &ms in &vs {
        d.record(ms);
    }
    let h = crates(&vs);
    // Queried while its last run is still held aside.
    assert_same_quantiles(&d, &h);
    // Parts carry the run: rebuilt, the distribution answers the same.
    let rebuilt = Distribution::from_parts(&d.to_parts()).unwrap();
    assert_eq!(rebuilt.to_parts(), d.to_parts());
    assert_same_quantiles(&rebuilt, &h);
    // Merging adds the other's run and keeps one's own.
    let mut m = d.clone();
    m.merge(&d);
    let twice: Vec<f64> = vs.iter().chain(&vs).copied().collect();
    assert_same_quantiles(&m, &crates(&twice));
    let counts: u64 = m.to_parts().counts.iter().map(|&(_, n)| n).sum();
    assert_eq!(counts, 2 * vs.len() as u64);
}

#[test]
fn recording_after_a_query_continues_the_run() {
    let mut d = Distribution::new();
    let mut vs = Vec::new();
    for i in 0..40 {
        let ms = if i % 10 < 7 { 95.0 } else { 0.0 };
        d.record(ms);
        vs.push(ms);
        assert_same_quantiles(&d, &crates(&vs));
    }
}
