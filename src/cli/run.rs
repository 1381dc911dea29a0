//! `regionsim run`: simulate a scenario and write its reports.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use super::shard::{self, Study};
use super::{list_written, progress::Bar, Common};
use regionsim::{experiment, report};

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub(super) common: Common,
    /// Also write one row per session of the first replication to this CSV
    /// file, in the session-log format `regionsim fit` reads (docs/data.md).
    #[arg(long, value_name = "FILE.csv")]
    pub(super) sessions: Option<std::path::PathBuf>,
}

pub fn run(args: RunArgs) -> Result<()> {
    let c = &args.common;
    let world = c.world(&[])?;
    if let Some(r) = shard::from_env(c)? {
        if args.sessions.is_some() {
            return Err(super::bad(
                "--sessions records one whole run; it cannot be combined with a shard",
            ));
        }
        let study = Study {
            command: "run",
            suffix: "",
            extra_args: Vec::new(),
            worlds: std::slice::from_ref(&world),
            runs: 1,
        };
        let pool = c.pool()?;
        return shard::write_part(c, &r, study, |units, bar, sink| {
            let reps = units.start as u32..units.end as u32;
            pool.install(|| {
                experiment::shard::run_units(&world, world.policy(), reps, bar, |rep, s| {
                    sink(rep.into(), s)
                })
            })
        });
    }
    let (out, opts) = c.prepare(std::slice::from_ref(&world), 1, "", "run")?;
    let pool = c.pool()?;
    let total = world.run().horizon_s * world.run().replications as f64;
    let bar = Bar::new(
        total,
        c.quiet,
        &format!(
            "{} ({} replications)",
            world.name(),
            world.run().replications
        ),
    );
    let mut sink = super::sessions::create(args.sessions.as_deref(), &world)?;
    let started = Instant::now();
    let est = pool.install(|| match sink.as_mut() {
        Some(s) => experiment::replicate_recorded(&world, &bar, s),
        None => experiment::replicate(&world, &bar),
    });
    bar.finish();
    let est = est?;
    let elapsed = started.elapsed().as_secs_f64();
    let files = report::write_run_with(&out, &world, &est, opts)
        .with_context(|| format!("cannot write reports to {}", out.display()))?;
    if !c.quiet {
        let p = &est.point;
        say!(
            "{}: {:.0} sessions/replication, overflow {:.2} %, rejection {:.2} %, abandonment {:.2} %, RTT p95 {:.1} ms ({:.2} s, {:.1} M events/s)",
            world.name(),
            p.sessions,
            p.overflow_rate * 100.0,
            p.rejection_rate * 100.0,
            p.abandonment_rate * 100.0,
            p.media_rtt_ms.p95,
            elapsed,
            est.pooled.events as f64 / elapsed / 1e6
        );
    }
    list_written(c.quiet, &files);
    super::sessions::finish(sink, c.quiet)
}
