//! `regionsim plan` with candidate regions (`plan.candidates`,
//! `--candidate`): every open set planned, the cheapest verified one written
//! as the plan, with the *Where to run* section. The command line's bounds
//! and steps are checked once on the world with every candidate open, then
//! applied to each open set's deployments.

use std::time::Instant;

use anyhow::{Context, Result};

use super::{conclude, flags, planned_scenario, tell, Spinner};
use crate::cli::Common;
use regionsim::experiment::plan::{self, Spec, Status};
use regionsim::model::World;
use regionsim::report;

/// Plan where to run `world`'s agents; exit status as for any plan.
pub fn run(
    c: &Common,
    world: &World,
    (step, bounds): (&[String], &[String]),
    max_candidates: usize,
) -> Result<()> {
    let mut all = world.with_candidates();
    for d in all.candidate_deployments() {
        all.set_open(d, true).map_err(anyhow::Error::msg)?;
    }
    let targets = flags::targets(&c.scenario, world)?;
    flags::variables(&all, step, bounds)?;
    let make = |w: &World| {
        let base = plan::default_spec(w);
        Spec {
            targets: targets.clone(),
            // Checked above on every deployment; a set opens a subset of them.
            variables: flags::variables(w, step, bounds).unwrap_or(base.variables.clone()),
            max_candidates,
            ..base
        }
    };
    let (out_dir, opts) = c.prepare(std::slice::from_ref(world), 1, "-plan", "plan")?;
    let pool = c.pool()?;
    let spin = Spinner::new(c.quiet);
    let started = Instant::now();
    let sites = pool.install(|| plan::plan_sites(world, &make, &spin, &mut spin.note(world)));
    spin.finish();
    // The chosen set, else the one with every candidate open (its best effort).
    let Some(shown) = sites.chosen.or(sites.sets.len().checked_sub(1)) else {
        return conclude(c.quiet, Status::Interrupted, String::new(), &[], |_| {});
    };
    let set = &sites.sets[shown];
    let status = match (sites.chosen, sites.interrupted) {
        (Some(_), false) => Status::Verified,
        (_, true) => Status::Interrupted,
        (None, false) => set.outcome.status,
    };
    let planned = match sites.chosen {
        Some(_) => planned_scenario(c, &set.world, &set.spec, &set.outcome, &out_dir)?,
        None => None,
    };
    let files = report::write_plan_sites(&out_dir, &sites, shown, planned, opts)
        .with_context(|| format!("cannot write the plan to {}", out_dir.display()))?;
    let head = match sites.chosen {
        Some(_) => format!(
            "{} Open: {}.",
            report::plan_headline(&set.world, &set.spec, &set.outcome),
            plan::set_label(&set.world)
        ),
        None => format!(
            "No open set verified; with every candidate open: {}",
            report::plan_headline(&set.world, &set.spec, &set.outcome)
        ),
    };
    let seconds = started.elapsed().as_secs_f64();
    conclude(c.quiet, status, head, &files, |head| {
        tell(&set.world, &set.spec, &set.outcome, head, seconds)
    })
}
