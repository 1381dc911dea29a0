//! `regionsim plan` with candidate regions (`plan.candidates`,
//! `--candidate`): every open set planned (static capacities, or with
//! `--hourly` schedules), the cheapest verified one written as the plan, with
//! the *Where to run* section. The command line's bounds
//! and steps are checked once on the world with every candidate open, then
//! applied to each open set's deployments.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use super::{conclude, flags, planned_scenario, tell, Spinner};
use crate::cli::Common;
use regionsim::experiment::plan::{self, Spec, Status};
use regionsim::model::target::Target;
use regionsim::model::World;
use regionsim::report;

/// Plan where to run `world`'s agents; exit status as for any plan.
/// `targets` are [`checked_targets`]' (the flags checked before any set is planned).
pub fn run(
    c: &Common,
    world: &World,
    targets: Vec<Target>,
    (step, bounds): (&[String], &[String]),
    (max_candidates, schedule): (usize, bool),
) -> Result<()> {
    let make = |w: &World| {
        let base = plan::default_spec(w);
        Spec {
            targets: targets.clone(),
            // Checked by `checked_targets` on every deployment; a set opens a
            // subset of them.
            variables: flags::variables(w, step, bounds).unwrap_or(base.variables.clone()),
            max_candidates,
            ..base
        }
    };
    let folder = c.prepare(std::slice::from_ref(world), 1, "-plan", "plan")?;
    let pool = c.pool()?;
    let spin = Spinner::new(c.quiet);
    let started = Instant::now();
    let sites =
        pool.install(|| plan::plan_sites(world, &make, schedule, &spin, &mut spin.note(world)));
    spin.finish();
    // The chosen set, else the one with every candidate open (its best effort).
    let Some(shown) = sites.chosen.or(sites.sets.len().checked_sub(1)) else {
        return conclude(c.quiet, Status::Interrupted, String::new(), &[], |_| {});
    };
    write_shown(c, &sites, shown, started, folder)
}

/// The planning targets, once the command line's steps and bounds are checked
/// on the world with every candidate open (so they hold for whichever set
/// opens) and `--hourly` is known to apply to it: a bad flag is refused before
/// any set is planned.
pub(super) fn checked_targets(
    c: &Common,
    world: &World,
    (step, bounds): (&[String], &[String]),
    schedule: bool,
) -> Result<Vec<Target>> {
    let mut all = world.with_candidates();
    for d in all.candidate_deployments() {
        all.set_open(d, true).map_err(anyhow::Error::msg)?;
    }
    let targets = flags::targets(&c.scenario, world)?;
    flags::variables(&all, step, bounds)?;
    if schedule {
        if let Some(why) = plan::hourly::unsupported(&all, &targets) {
            return Err(crate::cli::bad(format!(
                "{}: --hourly: {why}",
                c.scenario.display()
            )));
        }
    }
    Ok(targets)
}

/// Write the shown set's files, with `planned.json` only when a set was
/// chosen (a best effort is not a plan to deploy), and close as every plan
/// does, static or hourly.
fn write_shown(
    c: &Common,
    sites: &plan::SitesOutcome,
    shown: usize,
    started: Instant,
    (out_dir, opts): (PathBuf, report::Options),
) -> Result<()> {
    let set = &sites.sets[shown];
    let status = match (sites.chosen, sites.interrupted) {
        (Some(_), false) => Status::Verified,
        (_, true) => Status::Interrupted,
        (None, false) => set.outcome().status,
    };
    let seconds = started.elapsed().as_secs_f64();
    let chosen = sites.chosen.is_some();
    let write = |planned| {
        report::write_plan_sites(&out_dir, sites, shown, planned, opts)
            .with_context(|| format!("cannot write the plan to {}", out_dir.display()))
    };
    if let plan::SetPlan::Hourly { fixed, out: h } = &set.plan {
        let planned = match (&h.schedule.plan, chosen) {
            (Some(v), true) => Some(super::hourly::planned_scenario(
                c,
                &set.world,
                &set.spec,
                h,
                &v.capacities,
                &out_dir,
            )?),
            _ => None,
        };
        let files = write(planned)?;
        let head = headline(
            sites,
            report::plan_hourly_headline(&set.world, &set.spec, h),
        );
        return conclude(c.quiet, status, head, &files, |head| {
            super::hourly::tell(&set.world, &set.spec, fixed, h, head, seconds)
        });
    }
    let planned = match chosen {
        true => planned_scenario(c, &set.world, &set.spec, set.outcome(), &out_dir)?,
        false => None,
    };
    let files = write(planned)?;
    let head = headline(
        sites,
        report::plan_headline(&set.world, &set.spec, set.outcome()),
    );
    conclude(c.quiet, status, head, &files, |head| {
        tell(&set.world, &set.spec, set.outcome(), head, seconds)
    })
}

/// The closing headline: the shown set's own, with the open deployments.
fn headline(sites: &plan::SitesOutcome, own: String) -> String {
    match sites.chosen {
        Some(k) => format!("{own} Open: {}.", plan::set_label(&sites.sets[k].world)),
        None => format!("No open set verified; with every candidate open: {own}"),
    }
}
