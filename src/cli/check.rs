//! `regionsim check`: validate scenario files without simulating, for CI and
//! editors. Prints one line per file (its estimated work, or its error) and
//! exits 2 if any file is invalid or above the workload limits without `--force`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{bad, guard};
use regionsim::scenario;

#[derive(Args)]
pub struct CheckArgs {
    /// Scenario files (JSON).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Accept workloads above the documented limits (as `run --force` would).
    #[arg(long)]
    force: bool,
}

pub fn check(args: CheckArgs) -> Result<()> {
    let mut failed = 0;
    for file in &args.scenarios {
        let loaded = scenario::Source::read(file)
            .and_then(|src| scenario::load_source(&src, &[]).map(|w| (src, w)));
        let (src, world) = match loaded {
            Ok(l) => l,
            Err(e) if args.scenarios.len() == 1 => return Err(e.into()),
            Err(e) => {
                say!("error: {e}");
                failed += 1;
                continue;
            }
        };
        for w in scenario::warnings(&src, &world) {
            say!("warning: {w}");
        }
        // As `run` would by default: the scenario's replications, every
        // thread, charts.
        let w = guard::estimate(std::slice::from_ref(&world), 1, None, true, false);
        match guard::refusal(file, &w) {
            Some(why) if !args.force => {
                let message = format!("{why}; `run` needs --force");
                if args.scenarios.len() == 1 {
                    return Err(bad(message));
                }
                say!("error: {message}");
                failed += 1;
            }
            _ => super::meta::print(format!(
                "{}: ok, estimated {}\n",
                file.display(),
                w.describe()
            ))?,
        }
    }
    if failed > 0 {
        return Err(bad(format!(
            "{failed} of {} scenario files failed the check",
            args.scenarios.len()
        )));
    }
    Ok(())
}
