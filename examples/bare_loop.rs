//! The bare limits of the reference scenarios, for `bench/run.sh`: prints one
//! JSON line with counts and throughput. Usage:
//! `bare_loop [horizon_s] [seed] [slots|workers|exact]`: the slot reference
//! (the default), the worker reference, or the worker reference with exact
//! load (no sampling or reports).

#[path = "../bench/bare_loop.rs"]
mod bare;

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let horizon_s: f64 = args
        .next()
        .map_or(4_212_000.0, |a| a.parse().expect("horizon in seconds"));
    let seed: u64 = args.next().map_or(1, |a| a.parse().expect("seed"));
    let model = args.next().unwrap_or_else(|| "slots".into());
    let started = Instant::now();
    let line = match model.as_str() {
        "slots" => {
            let c = bare::run(horizon_s, seed);
            format!(
                "\"impl\":\"bare\",\"sessions\":{},\"overflow\":{},\"rejected\":{},\"events\":{}",
                c.sessions, c.overflow, c.rejected, c.events
            )
        }
        "workers" | "exact" => {
            let exact = model == "exact";
            let c = bare::workers::run(horizon_s, seed, exact);
            format!(
                "\"impl\":\"bare workers\",\"exact\":{exact},\"sessions\":{},\"overflow\":{},\"rejected\":{},\"over_admitted\":{},\"process_waits\":{},\"events\":{}",
                c.sessions, c.overflow, c.rejected, c.over_admitted, c.process_waits, c.events
            )
        }
        other => panic!("model {other}: give slots, workers or exact"),
    };
    let secs = started.elapsed().as_secs_f64();
    println!("{{{line},\"seconds\":{secs}}}");
}
