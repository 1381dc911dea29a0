//! `regionsim compare`: several policies on common random numbers.

use anyhow::{Context, Result};
use clap::Args;

use super::shard::{self, Study};
use super::{bad, list_written, progress::Bar, Common};
use regionsim::model::{PolicySpec, World};
use regionsim::{experiment, report};

#[derive(Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub(super) common: Common,
    /// Policies to compare, baseline first: labels from the scenario's `policies`,
    /// or the main policy's type (e.g. nearest,explicit).
    #[arg(long, value_delimiter = ',', required = true)]
    pub(super) policies: Vec<String>,
}

/// The world and the policies to compare, baseline first.
pub(super) fn setup(args: &CompareArgs) -> Result<(World, Vec<(String, PolicySpec)>)> {
    let c = &args.common;
    if c.policy.is_some() {
        return Err(bad(
            "compare takes its policies from --policies, not --policy",
        ));
    }
    let world = c.world(&[])?;
    let mut specs: Vec<(String, PolicySpec)> = Vec::with_capacity(args.policies.len());
    for label in &args.policies {
        let spec = world.policy_named(label).ok_or_else(|| {
            bad(format!(
                "--policies: {}: no policy labelled `{label}`; this scenario offers: {}",
                c.scenario.display(),
                world.policy_labels().join(", ")
            ))
        })?;
        if specs.iter().any(|(l, _)| l == label) {
            return Err(bad(format!(
                "--policies: policy `{label}` is listed twice; keep one"
            )));
        }
        specs.push((label.clone(), spec.clone()));
    }
    if let [(label, _)] = specs.as_slice() {
        // A comparison of one policy has no difference to report: most
        // likely a list cut short, so say how to give more, or how to run one.
        return Err(bad(format!(
            "--policies: a comparison needs at least two policies, baseline first \
             (e.g. --policies {label},OTHER); this scenario offers: {}; \
             for `{label}` alone use `regionsim run --policy {label}`",
            world.policy_labels().join(", ")
        )));
    }
    Ok((world, specs))
}

pub fn run(args: CompareArgs) -> Result<()> {
    let c = &args.common;
    let (world, specs) = setup(&args)?;
    if let Some(r) = shard::from_env(c)? {
        let study = Study {
            command: "compare",
            suffix: "-compare",
            extra_args: vec![format!("--policies={}", args.policies.join(","))],
            worlds: std::slice::from_ref(&world),
            runs: specs.len(),
        };
        let pool = c.pool()?;
        return shard::write_part(c, &r, study, |units, bar, sink| {
            let reps = units.start as u32..units.end as u32;
            pool.install(|| {
                experiment::shard::compare_units(&world, &specs, reps, bar, |rep, s| {
                    sink(rep.into(), s)
                })
            })
        });
    }
    let (out, opts) = c.prepare(
        std::slice::from_ref(&world),
        specs.len(),
        "-compare",
        "compare",
    )?;
    let pool = c.pool()?;
    let n = world.run().replications;
    let total = world.run().horizon_s * n as f64 * specs.len() as f64;
    let bar = Bar::new(
        total,
        c.quiet,
        &format!(
            "{}: {} policies x {n} replications",
            world.name(),
            specs.len()
        ),
    );
    let cmp = pool.install(|| experiment::compare(&world, &specs, n, &bar));
    bar.finish();
    let cmp = cmp?;
    let files = report::write_compare(&out, &world, &cmp, opts)
        .with_context(|| format!("cannot write reports to {}", out.display()))?;
    if !c.quiet {
        for (label, est) in cmp.labels.iter().zip(&cmp.estimates) {
            let p = &est.point;
            say!(
                "{label:>14}: overflow {:.2} %, rejection {:.2} %, abandonment {:.2} %, RTT p95 {:.1} ms",
                p.overflow_rate * 100.0,
                p.rejection_rate * 100.0,
                p.abandonment_rate * 100.0,
                p.media_rtt_ms.p95
            );
        }
    }
    list_written(c.quiet, &files);
    Ok(())
}
