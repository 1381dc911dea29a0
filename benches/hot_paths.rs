//! Micro-benchmarks of the engine's hot parts: `cargo bench --bench hot_paths`.
//! The end-to-end comparison with SimPy and the bare loop is `bench/run.sh`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution as _, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;
use regionsim::engine::queue::{EventQueue, Kind, MainHeap, QuadHeap, RadixHeap};
use regionsim::engine::simulate;
use regionsim::stats::Distribution;

fn scenario(rel: &str) -> regionsim::model::World {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    regionsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The hold model at the reference scenario's size (~300 pending events) and
/// larger, on both of the engine's heaps: pop the earliest and schedule one
/// later, as departures and arrivals do.
fn event_queue(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_queue");
    for size in [300usize, 10_000, 100_000] {
        hold::<QuadHeap>(&mut g, "quad", size);
        hold::<RadixHeap>(&mut g, "radix", size);
    }
    g.finish();
}

fn hold<H: MainHeap>(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    heap: &str,
    size: usize,
) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let mut q: EventQueue<H> = EventQueue::with_room(size + 1);
    for i in 0..size {
        let e: f64 = Exp1.sample(&mut rng);
        q.push(e * 120.0, Kind::Departure, i as u32, 0);
    }
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("pop_push_hold_{heap}_{size}"), |b| {
        b.iter(|| {
            let ev = q.pop().expect("never empty");
            let e: f64 = Exp1.sample(&mut rng);
            q.push(ev.time + e * 120.0, ev.kind, ev.a, ev.b);
            black_box(ev.time)
        })
    });
}

fn histogram(c: &mut Criterion) {
    let mut g = c.benchmark_group("histogram");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let values: Vec<f64> = (0..4096)
        .map(|_| 20.0 + 200.0 * rng.random::<f64>())
        .collect();
    let mut d = Distribution::new();
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("record_4096_rtts", |b| {
        b.iter(|| {
            for &v in &values {
                d.record(black_box(v));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("histogram_query");
    g.bench_function("merge", |b| {
        b.iter_batched_ref(
            || d.clone(),
            |a| a.merge(black_box(&d)),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("p99", |b| b.iter(|| black_box(d.quantile(0.99))));
    g.finish();
}

/// Whole replications: the shipped small world (every session path) and the
/// reference scenario cut to about 100 000 sessions.
fn replication(c: &mut Criterion) {
    let mut g = c.benchmark_group("replication");
    g.sample_size(10);
    let tiny = scenario("scenarios/tests/tiny.json");
    g.bench_function("tiny_24h", |b| {
        b.iter(|| black_box(simulate(&tiny, 0, &()).events))
    });
    let mut reference = scenario("scenarios/reference-3x100.json");
    reference
        .edit_run(|r| r.horizon_s = 42_120.0)
        .expect("valid run settings");
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("reference_100k_sessions", |b| {
        b.iter(|| black_box(simulate(&reference, 0, &()).events))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = event_queue, histogram, replication
}
criterion_main!(benches);
