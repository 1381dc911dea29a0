//! `summary.md`: the same figures as `summary.json`, as tables for people. The
//! tables are built once as a format-neutral [`Doc`] (which `report.html` renders
//! too), their rows and columns walked from the metric catalogue.

use super::charts::Chart;
use super::format::{estimate, percent1, unit_name};
use super::provenance::Provenance;
use super::table::{md_escape, to_markdown, Doc, Table};
use super::verdict::verdict;
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::metrics::{
    scalars, Metric, Scalar, Value, POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS,
};
use crate::stats::{Stat, Summary, Unit};

/// Statistics of a distribution shown in the per-population table.
const POPULATION_STATS: [Stat; 1] = [Stat::P95];

/// Column heading of a scalar: its label and unit (counts speak for themselves).
pub(super) fn heading<S>(s: &Scalar<S>) -> String {
    match s.unit() {
        Unit::Count => s.label(),
        unit => format!("{} ({})", s.label(), unit_name(unit)),
    }
}

/// A scalar's cell: point estimate ± half-width.
fn cell<S>(s: &Scalar<S>, p: &S, h: Option<&S>) -> String {
    estimate(s.unit(), s.get(p), h.map(|h| s.get(h)))
}

/// The plain scalars of a catalogue that tables show (no distributions, no
/// per-region vectors).
fn plain<S>(catalogue: &'static [Metric<S>]) -> Vec<Scalar<S>> {
    scalars(catalogue)
        .into_iter()
        .filter(|s| s.stat.is_none() && s.metric.tabulated)
        .collect()
}

fn outcomes(world: &World, p: &Summary, h: Option<&Summary>) -> Table {
    let mut t = Table::new(["metric", "value"]);
    for s in plain(SUMMARY_METRICS) {
        let label = match s.metric.key {
            "slo_attainment.media_rtt" => {
                format!("{} ≤ {} ms", s.label(), world.slo().media_rtt_ms)
            }
            "slo_attainment.join_latency" => {
                format!("{} ≤ {} s", s.label(), world.slo().join_latency_s)
            }
            _ => s.label(),
        };
        t.row([label, cell(&s, p, h)]);
    }
    t
}

fn latency(p: &Summary, h: Option<&Summary>) -> Table {
    let mut t = Table::new(std::iter::once("").chain(Stat::ALL.iter().map(|s| s.label())));
    for m in SUMMARY_METRICS {
        if let Value::Dist(get, _) = m.value {
            let cells =
                Stat::ALL.map(|st| estimate(m.unit, st.of(get(p)), h.map(|h| st.of(get(h)))));
            t.row(std::iter::once(m.label.to_string()).chain(cells));
        }
    }
    t
}

fn regions(world: &World, p: &Summary, h: Option<&Summary>) -> Table {
    let cols = plain(REGION_METRICS);
    let mut t = Table::new(std::iter::once("region".to_string()).chain(cols.iter().map(heading)));
    for (i, region) in world.regions().iter().enumerate() {
        let (r, rh) = (&p.regions[i], h.map(|h| &h.regions[i]));
        if r.capacity == 0.0 && r.served == 0.0 {
            continue;
        }
        let name = format!("{} ({})", region.id, region.name);
        t.row(std::iter::once(name).chain(cols.iter().map(|s| cell(s, r, rh))));
    }
    t
}

fn populations(world: &World, p: &Summary, h: Option<&Summary>) -> Table {
    let cols = plain(POPULATION_METRICS);
    let dists: Vec<Scalar<_>> = scalars(POPULATION_METRICS)
        .into_iter()
        .filter(|s| s.metric.tabulated && s.stat.is_some_and(|st| POPULATION_STATS.contains(&st)))
        .collect();
    let head = ["population".to_string(), "peak load (Erl)".to_string()]
        .into_iter()
        .chain(cols.iter().chain(&dists).map(heading));
    let mut t = Table::new(head);
    for (i, pop) in world.populations().iter().enumerate() {
        let (q, qh) = (&p.populations[i], h.map(|h| &h.populations[i]));
        let first = [
            pop.name.clone(),
            format!("{:.1}", world.peak_offered_load(i)),
        ];
        t.row(
            first
                .into_iter()
                .chain(cols.iter().chain(&dists).map(|s| cell(s, q, qh))),
        );
    }
    t
}

/// The flow matrix: each population's served sessions by serving region.
fn flows(world: &World, p: &Summary) -> Table {
    let serving: Vec<usize> = (0..world.regions().len())
        .filter(|&r| p.regions[r].served > 0.0)
        .collect();
    let head = std::iter::once("population".to_string())
        .chain(serving.iter().map(|&r| world.regions()[r].id.clone()));
    let mut t = Table::new(head);
    for (i, pop) in world.populations().iter().enumerate() {
        let by = &p.populations[i].served_by;
        t.row(std::iter::once(pop.name.clone()).chain(serving.iter().map(|&r| percent1(by[r]))));
    }
    t
}

/// The summary as a document: title, settings and every table.
pub fn summary_doc(world: &World, est: &Estimate) -> Doc {
    let (p, h) = (&est.point, est.half_width.as_ref());
    let mut d = Doc::default();
    d.heading(
        1,
        format!("{} — {} dispatch", world.name(), world.policy().name()),
    );
    if !world.description().is_empty() {
        d.para(world.description().clone());
    }
    d.para(format!(
        "Seed {}, {} replication(s){}, horizon {:.1} h, warm-up {:.1} h. Rates are shares of arriving sessions.",
        world.run().seed,
        est.replications,
        if h.is_some() {
            format!(" (± = {:.0} % confidence half-width)", est.confidence * 100.0)
        } else {
            String::new()
        },
        world.run().horizon_s / 3600.0,
        world.run().warmup_s / 3600.0
    ));
    d.heading(2, "Verdict");
    d.list(verdict(world, est));
    d.para(format!(
        "A target is met when the whole {:.0} % confidence interval of the p95 of served sessions is within it, missed when it is wholly beyond it.",
        est.confidence * 100.0
    ));
    d.heading(2, "Outcomes");
    d.table(outcomes(world, p, h));
    d.heading(2, "Latency (ms, served sessions)");
    d.table(latency(p, h));
    d.heading(2, "Regions");
    d.table(regions(world, p, h));
    d.heading(2, "Populations");
    d.table(populations(world, p, h));
    d.heading(
        2,
        "Flows: share of each population's served sessions by serving region",
    );
    d.table(flows(world, p));
    super::timeline::timeline_section(&mut d, world, est);
    super::workers::workers_section(&mut d, world, est);
    d
}

/// The provenance table: what produced these figures.
pub(super) fn provenance_section(d: &mut Doc, world: &World, prov: &Provenance) {
    d.heading(2, "Provenance");
    let mut t = Table::new(["setting", "value"]);
    prov.rows(world).into_iter().for_each(|r| t.row(r));
    d.table(t);
}

/// The `summary.md` text; links the charts' PNGs when there are charts.
pub fn summary_md(world: &World, est: &Estimate, prov: &Provenance, charts: &[Chart]) -> String {
    let mut d = summary_doc(world, est);
    provenance_section(&mut d, world, prov);
    let mut s = to_markdown(&d);
    if !charts.is_empty() {
        s.push_str("\n## Charts\n\nAll charts with the tables and parameters: [report.html](report.html).\n");
        for c in charts {
            let title = md_escape(&c.title);
            s.push_str(&format!("\n### {title}\n\n![{title}]({}.png)\n", c.stem));
        }
    }
    s
}
