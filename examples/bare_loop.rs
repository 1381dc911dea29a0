//! The bare limit of the reference scenario, for `bench/run.sh`: prints one
//! JSON line with counts and throughput. Usage: `bare_loop [horizon_s] [seed]`.

#[path = "../bench/bare_loop.rs"]
mod bare;

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let horizon_s: f64 = args
        .next()
        .map_or(4_212_000.0, |a| a.parse().expect("horizon in seconds"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("seed"));
    let started = Instant::now();
    let c = bare::run(horizon_s, seed);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"bare\",\"sessions\":{},\"overflow\":{},\"rejected\":{},\"events\":{},\"seconds\":{secs}}}",
        c.sessions, c.overflow, c.rejected, c.events
    );
}
