//! `regionsim check SCENARIO...`: validate scenario files without simulating,
//! for CI pipelines and editors. Each file gets one line: `ok` with the expected
//! sessions and events per replication, or the located error. Exit 0 when every
//! file is valid, 2 otherwise.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::bad;
use regionsim::model::World;
use regionsim::scenario;

#[derive(Args)]
pub struct CheckArgs {
    /// Scenario files (JSON).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
}

/// Expected arrivals per replication over the whole horizon (warm-up included)
/// and in the statistics window.
fn expected_sessions(world: &World) -> (f64, f64) {
    let (w, h) = (world.run.warmup_s, world.run.horizon_s);
    world
        .populations
        .iter()
        .fold((0.0, 0.0), |(all, counted), p| {
            (
                all + p.rate.integral(0.0, h),
                counted + p.rate.integral(w, h),
            )
        })
}

pub fn check(args: CheckArgs) -> Result<()> {
    let mut failed = 0;
    for path in &args.scenarios {
        match scenario::load(path) {
            Ok(world) => {
                let (all, counted) = expected_sessions(&world);
                // An arrival and a departure per session; waiting and re-dispatch add more.
                println!(
                    "ok {}: {} ({} dispatch), about {counted:.0} sessions counted and {:.0} events per replication, {} replication(s)",
                    path.display(),
                    world.name,
                    world.policy.name(),
                    2.0 * all,
                    world.run.replications
                );
            }
            Err(e) => {
                println!("error: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return Err(bad(format!(
            "{failed} of {} scenario file(s) invalid",
            args.scenarios.len()
        )));
    }
    Ok(())
}
