//! `regionsim validate`: run the validation suite, print its table, and exit
//! non-zero when the simulator misses any exact value.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use regionsim::validation;

/// Options of `regionsim validate`.
#[derive(Args)]
pub struct ValidateArgs {
    /// Only the cases whose name contains this text.
    #[arg(long)]
    case: Option<String>,
    /// List the cases (with --case, those it names) and the identity each
    /// checks, without running them.
    #[arg(long)]
    list: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

pub fn validate(args: ValidateArgs) -> Result<()> {
    let no_case = || {
        super::bad(format!(
            "no validation case matches `{}` (see `regionsim validate --list`)",
            args.case.clone().unwrap_or_default()
        ))
    };
    if args.list {
        let cases = validation::list(args.case.as_deref()).into_iter();
        let lines: String = cases
            .map(|(n, identity)| format!("{n:<24} {identity}\n"))
            .collect();
        if lines.is_empty() {
            return Err(no_case());
        }
        return super::meta::print(lines);
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        if n == 0 {
            return Err(super::bad("--threads must be at least 1"));
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    let started = Instant::now();
    let checks = pool.install(|| validation::run(args.case.as_deref()))?;
    if checks.is_empty() {
        return Err(no_case());
    }
    super::meta::print(validation::table(&checks))?;
    let failed = checks.iter().filter(|c| !c.passed()).count();
    say!(
        "{} checks, {} failed ({:.1} s)",
        checks.len(),
        failed,
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        bail!("{failed} validation check(s) missed the exact value");
    }
    Ok(())
}
