//! Where to run: which candidates (`plan.candidates`: new regions, and the
//! scenario's own deployments a plan may close) to have open. Every open set
//! with at least one deployment and within `max_deployments`
//! is planned in full (search, verification on fresh seeds), and the
//! cheapest verified one wins, its total being the plan's cost-weighted
//! slot-hours plus `open_cost` per open deployment per day. With at most five
//! candidates (32 open sets) the search over sets is exhaustive, so the
//! chosen set is the optimum over sets to the precision each set is planned
//! to (within one step of each set's own optimum).
//!
//! Why exhaustive: opening a region changes every user's home, so the cost of
//! a set is not the sum of its parts, and a greedy open/close walk can stop at
//! a set whose neighbours all cost more. Planning a set whose targets cannot
//! hold (a population too far from every open region) ends quickly at the
//! search's first look at the bounds.

use super::hourly::{self, HourlyOutcome};
use super::{plan, window_hours, Outcome, Spec, Status};
use crate::engine::Progress;
use crate::model::World;

/// One open set and its plan.
#[derive(Debug, Clone)]
pub struct OpenSet {
    /// Candidate indices (into `plan.candidates`) open, ascending.
    pub opened: Vec<usize>,
    /// The world with them open (candidates appended as deployments).
    pub world: World,
    /// The planning problem on that world.
    pub spec: Spec,
    /// Its plan.
    pub plan: SetPlan,
    /// Open deployments.
    pub deployments: usize,
    /// `open_cost` x days x open deployments.
    pub open_cost: f64,
}

/// An open set's plan: static capacities, or an hourly schedule with its
/// static comparison.
// At most 32 sets are ever held: their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum SetPlan {
    /// Static capacities.
    Static(Outcome),
    /// A schedule (`OpenSet::spec` is the schedule's) and the static
    /// comparison's problem.
    Hourly {
        /// The static comparison's problem.
        fixed: Spec,
        /// The schedule, its comparison and the loads.
        out: HourlyOutcome,
    },
}

impl OpenSet {
    /// The plan's outcome (the schedule's under `--hourly`).
    pub fn outcome(&self) -> &Outcome {
        match &self.plan {
            SetPlan::Static(o) => o,
            SetPlan::Hourly { out, .. } => &out.schedule,
        }
    }

    /// Cost-weighted slot-hours of the verified plan.
    pub fn slot_cost(&self) -> Option<f64> {
        let o = self.outcome();
        let v = o.plan.as_ref().filter(|_| o.status == Status::Verified)?;
        Some(super::cost(
            &self.world,
            &self.spec.variables,
            &v.capacities,
        ))
    }

    /// Slot cost plus opening cost, when the set's plan verified.
    pub fn total(&self) -> Option<f64> {
        self.slot_cost().map(|c| c + self.open_cost)
    }
}

/// Every open set planned, and the cheapest verified one.
#[derive(Debug, Clone)]
pub struct SitesOutcome {
    /// Open sets in the order planned (by size, then candidate order).
    pub sets: Vec<OpenSet>,
    /// Index into `sets` of the cheapest verified set.
    pub chosen: Option<usize>,
    /// Whether the user stopped the run before every set was planned.
    pub interrupted: bool,
}

/// The open sets of `n` candidates with at most `room` of them opened: by
/// size, then in lexicographic order of candidate indices.
pub fn open_sets(n: usize, room: usize) -> Vec<Vec<usize>> {
    let mut sets: Vec<Vec<usize>> = (0u32..(1u32 << n))
        .map(|mask| (0..n).filter(|&i| mask & (1 << i) != 0).collect::<Vec<_>>())
        .filter(|s| s.len() <= room)
        .collect();
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets
}

/// Plan every open set of `world`'s candidates, static capacities or (with
/// `schedule`) hourly schedules with their static comparison; `make_spec`
/// states the static planning problem on a world with a set open (the
/// command line's targets, bounds and steps applied to its deployments).
pub fn plan_sites(
    world: &World,
    make_spec: &dyn Fn(&World) -> Spec,
    schedule: bool,
    progress: &dyn Progress,
    note: &mut dyn FnMut(&str),
) -> SitesOutcome {
    let all = world.with_candidates();
    let cands = all.candidate_deployments();
    let n = cands.len();
    // Deployments open in every set: the scenario's own but the candidates.
    let kept = world.deployments().len()
        - cands
            .iter()
            .filter(|&&d| d < world.deployments().len())
            .count();
    let room = world
        .sites()
        .max_deployments
        .map_or(n, |k| (k as usize).saturating_sub(kept).min(n));
    let sets: Vec<Vec<usize>> = open_sets(n, room)
        .into_iter()
        .filter(|s| kept + s.len() > 0)
        .collect();
    let days = window_hours(world) / 24.0;
    let mut out = SitesOutcome {
        sets: Vec::new(),
        chosen: None,
        interrupted: false,
    };
    let count = sets.len();
    for (k, opened) in sets.into_iter().enumerate() {
        let mut w = all.clone();
        for (i, &d) in cands.iter().enumerate() {
            w.set_open(d, opened.contains(&i)).expect("a candidate");
        }
        let label = set_label(&w);
        let mut tell = |m: &str| note(&format!("open set {}/{count} ({label}): {m}", k + 1));
        let (spec, set_plan) = if schedule {
            let (spec, fixed) = hourly::specs(make_spec(&w));
            let out = hourly::plan(&w, &spec, Some(&fixed), progress, &mut tell);
            (spec, SetPlan::Hourly { fixed, out })
        } else {
            let spec = make_spec(&w);
            let outcome = plan(&w, &spec, progress, &mut tell);
            (spec, SetPlan::Static(outcome))
        };
        let deployments = kept + opened.len();
        let set = OpenSet {
            opened,
            world: w,
            spec,
            plan: set_plan,
            deployments,
            open_cost: world.sites().open_cost * days * deployments as f64,
        };
        let stop = set.outcome().status == Status::Interrupted;
        out.sets.push(set);
        if stop {
            out.interrupted = true;
            break;
        }
    }
    out.chosen = cheapest(&out.sets);
    out
}

/// The verified set of least total; a tie goes to fewer deployments, then
/// to the set planned first.
fn cheapest(sets: &[OpenSet]) -> Option<usize> {
    let verified = sets.iter().enumerate();
    let verified = verified.filter_map(|(i, s)| Some((s.total()?, s.deployments, i)));
    verified
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)))
        .map(|(_, _, i)| i)
}

/// The open deployments of a set's world: `us-east + ap-south`.
pub fn set_label(world: &World) -> String {
    let open: Vec<String> = (0..world.deployments().len())
        .filter(|&d| world.deployments()[d].is_open())
        .map(|d| world.regions()[world.deployments()[d].region].id.clone())
        .collect();
    open.join(" + ")
}
