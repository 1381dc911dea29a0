//! Planner cases: `regionsim plan` must reproduce the exact inverse of a queueing
//! formula where one exists. Each case's targets are chosen far from the noise
//! of a boundary (the exact capacity meets its target with room, one slot less
//! misses it with room), so the plan equals the inverse exactly, not within a
//! tolerance.

use super::{Check, Test};
use crate::experiment::plan::{self, erlang_b_inverse, erlang_c_inverse, hourly, Status};
use crate::model::target::{Scope, TargetMetric};
use crate::model::{PolicySpec, World};
use crate::scenario::{self, ScenarioError};

macro_rules! scenario {
    ($name:literal) => {
        include_str!(concat!("../../scenarios/validation/", $name, ".json"))
    };
}

/// A planning case: a scenario with targets and the capacities theory demands.
pub struct PlanCase {
    /// Short name, also the scenario file's stem under `scenarios/validation/`.
    pub name: &'static str,
    /// The identity it checks, in one line.
    pub identity: &'static str,
    /// The scenario JSON.
    pub scenario: &'static str,
    /// (what, exact capacity) per variable: per deployment in deployment
    /// order, or (hourly) per UTC hour of the one deployment.
    exact: fn(&World) -> Vec<(String, u32)>,
    /// Whether the case plans an hourly schedule.
    hourly: bool,
    /// Whether the case chooses where to run among `plan.candidates`
    /// (exact: per deployment, candidates included, 0 for one left closed).
    sites: bool,
    /// For an hourly case judged on optimality rather than equality: the
    /// share of the exact minimum's slot-hours the schedule may exceed (no
    /// hour may fall below its minimum), the static comparison within one
    /// slot of the peak hour's minimum.
    near: Option<f64>,
}

/// Every planner case, in table order.
pub static PLAN_CASES: &[PlanCase] = &[
    PlanCase {
        name: "plan-erlang-b",
        identity: "plan, one region without waiting: smallest c with Erlang B(c, A) <= x",
        scenario: scenario!("plan-erlang-b"),
        exact: single_b,
        hourly: false,
        sites: false,
        near: None,
    },
    PlanCase {
        name: "plan-erlang-c",
        identity: "plan, one region with waiting: smallest c with Erlang C(c, A) <= x",
        scenario: scenario!("plan-erlang-c"),
        exact: single_c,
        hourly: false,
        sites: false,
        near: None,
    },
    PlanCase {
        name: "plan-explicit",
        identity: "plan, explicit dispatch without fallbacks: Erlang B inverse per region",
        scenario: scenario!("plan-explicit"),
        exact: per_region_b,
        hourly: false,
        sites: false,
        near: None,
    },
    PlanCase {
        name: "plan-hourly-erlang-b",
        identity: "hourly plan, one region without waiting, rates constant per hour: Erlang B inverse per hour",
        scenario: scenario!("plan-hourly-erlang-b"),
        exact: per_hour_b,
        hourly: true,
        sites: false,
        near: None,
    },
    PlanCase {
        name: "plan-hourly-near-optimal",
        identity: "hourly plan near the optimum, one region without waiting, 3.75 to 24 Erlangs: every hour at least the smallest c with Erlang B(c, A_h) <= x, slot-hours within 3 % of their sum; the static comparison the peak hour's c, within one slot",
        scenario: scenario!("plan-hourly-near-optimal"),
        exact: per_hour_b,
        hourly: true,
        sites: false,
        near: Some(0.03),
    },
    PlanCase {
        name: "plan-resilience",
        identity: "plan to survive a failure, two regions spilling to each other: with one down the other is an Erlang loss system of all the load, so each needs the smallest c with Erlang B(c, A1 + A2) <= x",
        scenario: scenario!("plan-resilience"),
        exact: survivor_b,
        hourly: false,
        sites: false,
        near: None,
    },
    PlanCase {
        name: "plan-sites",
        identity: "where to run, candidates ap-south and eu-central, no spill: open only the region India's RTT target needs, each open region the Erlang B inverse of its own population",
        scenario: scenario!("plan-sites"),
        exact: sites_b,
        hourly: false,
        sites: true,
        near: None,
    },
];

fn offered(w: &World, p: usize) -> f64 {
    let pop = &w.populations()[p];
    pop.rate.max_rate() * pop.session.mean()
}

fn limit(w: &World) -> f64 {
    w.slo().targets.first().map_or(f64::NAN, |t| t.limit())
}

fn single_b(w: &World) -> Vec<(String, u32)> {
    let (a, x) = (offered(w, 0), limit(w));
    vec![(
        format!("smallest c with B(c, {a:.3}) <= {x}"),
        erlang_b_inverse(a, x),
    )]
}

fn single_c(w: &World) -> Vec<(String, u32)> {
    let (a, x) = (offered(w, 0), limit(w));
    vec![(
        format!("smallest c with C(c, {a:.3}) <= {x}"),
        erlang_c_inverse(a, x),
    )]
}

fn per_region_b(w: &World) -> Vec<(String, u32)> {
    let PolicySpec::Explicit { routes, .. } = &w.policy() else {
        return Vec::new();
    };
    let mut out = vec![(String::from("no target"), 0); w.deployments().len()];
    for t in &w.slo().targets {
        if let Scope::Population(p) = t.scope() {
            let d = routes[p].chain[0];
            let a = offered(w, p);
            let what = format!(
                "{}: smallest c with B(c, {a:.3}) <= {}",
                w.populations()[p].name,
                t.limit()
            );
            out[d] = (what, erlang_b_inverse(a, t.limit()));
        }
    }
    out
}

/// Each deployment must carry every population alone while the other is
/// down: the inverse of Erlang B at the total load and the resilience limit.
fn survivor_b(w: &World) -> Vec<(String, u32)> {
    let total: f64 = (0..w.populations().len()).map(|p| offered(w, p)).sum();
    let x = w
        .slo()
        .resilience
        .as_ref()
        .and_then(|r| r.targets.first())
        .map_or(f64::NAN, |t| t.limit());
    (0..w.deployments().len())
        .map(|_| {
            (
                format!("smallest c with B(c, {total:.3}) <= {x} (the other down)"),
                erlang_b_inverse(total, x),
            )
        })
        .collect()
}

/// Where to run without spill: each open region an Erlang loss system of its
/// own population; India's RTT target opens ap-south (the region nearest to
/// it), every other candidate stays closed (0), us-east keeps the Americas.
fn sites_b(w: &World) -> Vec<(String, u32)> {
    let all = w.with_candidates();
    let limit = |p: usize| {
        w.slo()
            .targets
            .iter()
            .find(|t| {
                t.scope() == Scope::Population(p) && t.metric() == TargetMetric::RejectionRate
            })
            .map_or(f64::NAN, |t| t.limit())
    };
    all.deployments()
        .iter()
        .map(|dep| {
            let id = &w.regions()[dep.region].id;
            let p = match id.as_str() {
                "us-east" => 0,
                "ap-south" => 1,
                _ => return (format!("{id}: closed"), 0),
            };
            let (a, x) = (offered(w, p), limit(p));
            let name = &w.populations()[p].name;
            (
                format!("{name}: smallest c with B(c, {a:.3}) <= {x}"),
                erlang_b_inverse(a, x),
            )
        })
        .collect()
}

fn per_hour_b(w: &World) -> Vec<(String, u32)> {
    let (pop, x) = (&w.populations()[0], limit(w));
    (0..24)
        .map(|h| {
            let a = pop.rate.rate_at((f64::from(h) + 0.5) * 3600.0) * pop.session.mean();
            (
                format!("{h:02}:00 UTC: smallest c with B(c, {a:.3}) <= {x}"),
                erlang_b_inverse(a, x),
            )
        })
        .collect()
}

impl PlanCase {
    /// Parse the case's scenario.
    pub fn world(&self) -> Result<World, ScenarioError> {
        let file = format!("scenarios/validation/{}.json", self.name);
        scenario::parse(std::path::Path::new(&file), self.scenario)
    }

    /// Plan the scenario and compare each capacity with the exact inverse.
    pub fn run(&self) -> Result<Vec<Check>, ScenarioError> {
        let world = self.world()?;
        if self.sites {
            return Ok(self.sites_checks(&world));
        }
        if let Some(share) = self.near {
            return Ok(self.near_checks(&world, share));
        }
        let spec = plan::default_spec(&world);
        let out = if self.hourly {
            let (spec, _) = hourly::specs(spec);
            hourly::plan(&world, &spec, None, &(), &mut |_| {}).schedule
        } else {
            plan::plan(&world, &spec, &(), &mut |_| {})
        };
        let planned = out
            .plan
            .filter(|_| out.status == Status::Verified)
            .map(|v| v.capacities);
        let exact = (self.exact)(&world);
        if self.hourly {
            return Ok(vec![self.schedule_check(
                &world,
                &exact,
                planned.as_deref(),
            )]);
        }
        Ok(self.capacity_checks(&world, exact, planned.as_deref()))
    }

    /// One check per deployment of `world`: its planned capacity equals the
    /// exact one.
    fn capacity_checks(
        &self,
        world: &World,
        exact: Vec<(String, u32)>,
        planned: Option<&[u32]>,
    ) -> Vec<Check> {
        exact
            .into_iter()
            .enumerate()
            .map(|(d, (what, exact))| Check {
                case: self.name,
                quantity: format!(
                    "{} capacity = {what}",
                    world.regions()[world.deployments()[d].region].id
                ),
                exact: f64::from(exact),
                simulated: planned.map_or(f64::NAN, |x| f64::from(x[d])),
                half_width: f64::NAN,
                test: Test::Equal,
            })
            .collect()
    }

    /// Plan where to run, then compare every deployment's capacity (a
    /// closed candidate's is 0) with the exact one.
    fn sites_checks(&self, world: &World) -> Vec<Check> {
        let out = plan::plan_sites(world, &plan::default_spec, false, &(), &mut |_| {});
        let all = world.with_candidates();
        let planned: Option<Vec<u32>> = out.chosen.map(|k| {
            let set = &out.sets[k];
            let v = set
                .outcome()
                .plan
                .as_ref()
                .map(|v| v.capacities.clone())
                .unwrap_or_default();
            (0..all.deployments().len())
                .map(|d| {
                    set.spec
                        .variables
                        .iter()
                        .position(|var| var.deployment() == d)
                        .map_or(0, |j| v[j])
                })
                .collect()
        });
        self.capacity_checks(&all, (self.exact)(world), planned.as_deref())
    }

    /// Plan the schedule and its static comparison; check that no hour is
    /// below its exact minimum, that the slot-hours exceed the minimum's by
    /// at most `share`, and that the static plan is within one slot of the
    /// peak hour's minimum (a flat capacity judged hour by hour).
    fn near_checks(&self, world: &World, share: f64) -> Vec<Check> {
        let (spec, fixed) = hourly::specs(plan::default_spec(world));
        let out = hourly::plan(world, &spec, Some(&fixed), &(), &mut |_| {});
        let verified = |o: &plan::Outcome| {
            o.plan
                .as_ref()
                .filter(|_| o.status == Status::Verified)
                .map(|v| v.capacities.clone())
        };
        let planned = verified(&out.schedule);
        let exact: Vec<u32> = (self.exact)(world).into_iter().map(|e| e.1).collect();
        let minimum: u32 = exact.iter().sum();
        let nan_or = |f: &dyn Fn(&[u32]) -> f64| planned.as_deref().map_or(f64::NAN, f);
        let peak = exact.iter().copied().max().unwrap_or(0);
        let fixed_cap = out.fixed.as_ref().and_then(verified);
        let check = |quantity: String, exact: f64, simulated: f64, test: Test| Check {
            case: self.name,
            quantity,
            exact,
            simulated,
            half_width: f64::NAN,
            test,
        };
        vec![
            check(
                format!(
                    "hours at or above the smallest c with B(c, A_h) <= {}",
                    limit(world)
                ),
                exact.len() as f64,
                nan_or(&|x| exact.iter().zip(x).filter(|(e, c)| c >= e).count() as f64),
                Test::Equal,
            ),
            check(
                format!("slot-hours over the exact minimum's {minimum}, %"),
                share * 100.0,
                nan_or(&|x| {
                    let sum: u32 = x.iter().sum();
                    (f64::from(sum) / f64::from(minimum) - 1.0) * 100.0
                }),
                Test::AtMost,
            ),
            check(
                format!(
                    "static capacity over the peak hour's minimum {peak}, slots (below it fails)"
                ),
                1.0,
                fixed_cap
                    .filter(|x| x[0] >= peak)
                    .map_or(f64::NAN, |x| f64::from(x[0] - peak)),
                Test::AtMost,
            ),
        ]
    }

    /// One check for a schedule: how many of the 24 hours equal their inverse.
    fn schedule_check(
        &self,
        world: &World,
        exact: &[(String, u32)],
        planned: Option<&[u32]>,
    ) -> Check {
        let want: Vec<String> = exact.iter().map(|e| e.1.to_string()).collect();
        let hits = planned.map_or(f64::NAN, |x| {
            exact.iter().zip(x).filter(|(e, &c)| e.1 == c).count() as f64
        });
        Check {
            case: self.name,
            quantity: format!(
                "{} hours at the smallest c with B(c, A_h) <= {} ({})",
                world.regions()[world.deployments()[0].region].id,
                limit(world),
                want.join(" ")
            ),
            exact: exact.len() as f64,
            simulated: hits,
            half_width: f64::NAN,
            test: Test::Equal,
        }
    }
}
