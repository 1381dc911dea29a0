//! Where to run, as `plan.md` and `plan.json` show it: every open set the
//! planner tried with its status, slot cost, opening cost and total, the set
//! chosen, and why each of its deployments is open (the populations at home
//! there and their peak load).

use std::fmt::Write;

use serde_json::{json, Value};

use super::json_values::num;
use super::plan::status_name;
use super::plan_words::{deployment_label, missed_text};
use crate::experiment::plan::{home_loads, set_label, OpenSet, SitesOutcome};

/// `plan.md`'s section on the open sets.
pub fn section(sites: &SitesOutcome) -> String {
    let mut s = String::from("\n## Where to run\n\n");
    let Some(first) = sites.sets.first() else {
        return String::new();
    };
    let _ = writeln!(
        s,
        "Every set of open candidates within the limit on open deployments was planned in full (search and verification); the cheapest verified one is chosen. Total = cost-weighted slot-hours + {} per open deployment per day.\n\n| open set | deployments | status | slot cost | opening cost | total | chosen | unmet at the best effort |\n| --- | --- | --- | --- | --- | --- | --- | --- |",
        first.world.sites().open_cost
    );
    for (k, set) in sites.sets.iter().enumerate() {
        let money = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.0}"));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} |",
            set_label(&set.world),
            set.deployments,
            status_name(set.outcome().status),
            money(set.slot_cost()),
            set.open_cost,
            money(set.total()),
            if sites.chosen == Some(k) {
                "**yes**"
            } else {
                ""
            },
            unmet(set).join("; "),
        );
    }
    if sites.interrupted {
        let _ = writeln!(
            s,
            "\nInterrupted: the sets after the last row were not planned."
        );
    }
    if let Some(k) = sites.chosen {
        why(&mut s, sites, k);
    }
    s
}

/// What kept an infeasible set out: each check its most capable candidate
/// missed, with the figure it achieved (empty for other sets).
fn unmet(set: &OpenSet) -> Vec<String> {
    let (w, rule) = (&set.world, &set.outcome().rule);
    let Some(c) = set.outcome().best_effort.as_ref() else {
        return Vec::new();
    };
    crate::experiment::plan::unmet(&rule.targets, &c.estimates)
        .into_iter()
        .map(|i| missed_text(w, rule, i, &c.estimates[i]))
        .collect()
}

/// For each open deployment of the chosen set, the populations at home there.
fn why(s: &mut String, sites: &SitesOutcome, k: usize) {
    let w = &sites.sets[k].world;
    let loads = home_loads(w);
    let _ = writeln!(s, "\nWhy each deployment is open: the populations at home there (nearest open region), with their peak offered load.\n\n| deployment | serves |\n| --- | --- |");
    for (d, dep) in w.deployments().iter().enumerate() {
        if !dep.is_open() {
            continue;
        }
        let serves: Vec<String> = loads[d]
            .iter()
            .enumerate()
            .filter(|(_, &a)| a > 0.0)
            .map(|(p, a)| format!("{} ({a:.1} Erlangs)", w.populations()[p].name))
            .collect();
        let serves = if serves.is_empty() {
            "nobody at home (spill only)".to_string()
        } else {
            serves.join(", ")
        };
        let _ = writeln!(s, "| {} | {serves} |", deployment_label(w, d));
    }
}

/// `plan.json`'s `sites`.
pub fn json_of(sites: &SitesOutcome) -> Value {
    let rows: Vec<Value> = sites
        .sets
        .iter()
        .enumerate()
        .map(|(k, set)| {
            let w = &set.world;
            let open: Vec<String> = (0..w.deployments().len())
                .filter(|&d| w.deployments()[d].is_open())
                .map(|d| deployment_label(w, d))
                .collect();
            json!({
                "open": open,
                "status": status_name(set.outcome().status),
                "slot_cost": set.slot_cost().map(num),
                "open_cost": num(set.open_cost),
                "total": set.total().map(num),
                "chosen": sites.chosen == Some(k),
                "unmet": unmet(set),
            })
        })
        .collect();
    json!({ "sets": rows, "interrupted": sites.interrupted })
}
