//! `report.html`: one self-contained page a planner can mail or open from disk
//! with no network: the scenario's key parameters, the summary tables (the same
//! document as `summary.md`, rendered to HTML) and every chart inlined as SVG.

use std::fmt::Write;

use super::charts::Chart;
use super::markdown;
use super::provenance::Provenance;
use super::table::{html_escape, to_html, Block, Doc, Table};
use crate::experiment::Estimate;
use crate::model::World;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:2em auto;max-width:1240px;color:#222;padding:0 1em}\
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}\
.table{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}\
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td{white-space:nowrap}\
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}p,li{overflow-wrap:anywhere}\
figure{margin:1.5em 0}svg{max-width:100%;height:auto;border:1px solid #eee}\
nav a{margin-right:1em}";

/// Whether a cell holds only zeros (`0.00 ± 0.00 %`, `0.0`) or no value (`–`).
fn zero_cell(c: &str) -> bool {
    let mut digits = false;
    for ch in c.chars() {
        match ch {
            '0' => digits = true,
            '.' | ' ' | '±' | '%' | '–' | '\u{a0}' => {}
            _ => return false,
        }
    }
    digits || c.trim() == "–"
}

/// The summary for the page: columns that are zero in every row of a table
/// (no waits, no interruptions) are left out and named under the table, so
/// the columns that say something fit the page.
fn without_zero_columns(doc: Doc) -> Doc {
    let mut out = Doc::default();
    for b in doc.blocks {
        let Block::Table(t) = b else {
            out.blocks.push(b);
            continue;
        };
        let zero: Vec<bool> = (0..t.head.len())
            .map(|j| {
                j > 0
                    && !t.rows.is_empty()
                    && t.rows
                        .iter()
                        .all(|r| r.get(j).is_some_and(|c| zero_cell(c)))
            })
            .collect();
        if !zero.contains(&true) {
            out.table(t);
            continue;
        }
        let keep = |row: &[String]| -> Vec<String> {
            row.iter()
                .zip(&zero)
                .filter(|(_, z)| !**z)
                .map(|(c, _)| c.clone())
                .collect()
        };
        let dropped: Vec<&str> = t
            .head
            .iter()
            .zip(&zero)
            .filter(|(_, z)| **z)
            .map(|(h, _)| h.as_str())
            .collect();
        let note = format!("Zero in every row, not shown: {}.", dropped.join(", "));
        let mut kept = Table::new(keep(&t.head));
        for r in &t.rows {
            kept.row(keep(r));
        }
        out.table(kept);
        out.para(note);
    }
    out
}

/// The scenario's key parameters.
fn parameters(world: &World, prov: &Provenance) -> String {
    let mut d = Doc::default();
    d.table(settings(world, prov));
    d.table(regions(world));
    d.table(populations(world));
    format!(
        "<h2 id=\"parameters\">Scenario parameters and provenance</h2>\n{}",
        to_html(&d)
    )
}

/// Provenance first, then the run and SLO settings every figure depends on,
/// so a page read on its own says how it was made.
fn settings(world: &World, prov: &Provenance) -> Table {
    let r = &world.run();
    let mut general: Vec<Vec<String>> = prov.rows(world).into_iter().map(Vec::from).collect();
    general.extend([
        vec!["horizon".into(), format!("{:.1} h", r.horizon_s / 3600.0)],
        vec!["warm-up".into(), format!("{:.1} h", r.warmup_s / 3600.0)],
        vec!["seed".into(), r.seed.to_string()],
        vec!["replications".into(), r.replications.to_string()],
        vec!["time bin".into(), format!("{:.0} min", r.bin_s / 60.0)],
        vec![
            "SLO: media RTT".into(),
            format!("{} ms", world.slo().media_rtt_ms),
        ],
        vec![
            "SLO: join latency".into(),
            format!("{} s", world.slo().join_latency_s),
        ],
    ]);
    table(["setting", "value"], general)
}

/// The supply: each region's place, its agent slots (a dash where agents
/// cannot run) and whether it is a media edge.
fn regions(world: &World) -> Table {
    let cap = world.region_capacity();
    let regions: Vec<Vec<String>> = world
        .regions()
        .iter()
        .enumerate()
        .map(|(i, g)| {
            vec![
                g.id.clone(),
                g.name.clone(),
                format!("{:.2}, {:.2}", g.location.lat, g.location.lon),
                if g.agents {
                    cap[i].to_string()
                } else {
                    "–".into()
                },
                if g.media_edge { "yes" } else { "no" }.into(),
            ]
        })
        .collect();
    table(
        ["region", "name", "lat, lon", "agent slots", "media edge"],
        regions,
    )
}

/// The demand: each population's cities, clock, peak arrivals, session length
/// and the peak load they offer, to read against the regions' slots.
fn populations(world: &World) -> Table {
    let pops: Vec<Vec<String>> = world
        .populations()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cities: Vec<&str> = p
                .cities
                .iter()
                .filter_map(|&c| world.cities().get(c))
                .map(|c| c.name.as_str())
                .collect();
            vec![
                p.name.clone(),
                cities.join(", "),
                format!("{:+}", p.utc_offset_h),
                format!("{:.0}", p.peak_rate_per_s * 3600.0),
                format!("{:.1} min", p.session.mean() / 60.0),
                format!("{:.1}", world.peak_offered_load(i)),
            ]
        })
        .collect();
    table(
        [
            "population",
            "cities",
            "UTC offset (h)",
            "peak arrivals / h",
            "mean session",
            "peak load (Erl)",
        ],
        pops,
    )
}

fn table<const N: usize>(head: [&str; N], rows: Vec<Vec<String>>) -> Table {
    let mut t = Table::new(head);
    rows.into_iter().for_each(|r| t.row(r));
    t
}

/// An SVG ready to inline, in two parts: no XML declaration, no namespace
/// URL (HTML does not need one). Slices of the chart's own text, so that a
/// chart of many elements is not copied once more on its way into the page.
fn inline_svg(svg: &str) -> (&str, &str) {
    const XMLNS: &str = " xmlns=\"http://www.w3.org/2000/svg\"";
    let svg = &svg[svg.find("<svg").unwrap_or(0)..];
    match svg.find(XMLNS) {
        Some(at) => (&svg[..at], &svg[at + XMLNS.len()..]),
        None => (svg, ""),
    }
}

/// The `report.html` text.
pub fn report_html(world: &World, est: &Estimate, prov: &Provenance, charts: &[Chart]) -> String {
    let title = format!("{} — {} dispatch", world.name(), world.policy().name());
    // The charts are most of the page: room for them at once, rather than
    // growing by doubling through copies of it.
    let room = charts.iter().map(|c| c.svg.len() + 512).sum::<usize>();
    let mut s = String::with_capacity(room + 64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<nav><a href=\"#summary\">Summary</a><a href=\"#charts\">Charts</a><a href=\"#parameters\">Parameters</a></nav>\n",
        html_escape(&title),
        html_escape(&title)
    );
    s.push_str("<div id=\"summary\">\n");
    s.push_str(&to_html(&without_zero_columns(markdown::summary_doc(
        world, est,
    ))));
    s.push_str("</div>\n<h2 id=\"charts\">Charts</h2>\n");
    for c in charts {
        let (head, tail) = inline_svg(&c.svg);
        let _ = write!(
            s,
            "<figure id=\"{stem}\">\n<h3>{}</h3>\n{head}{tail}\n<figcaption>Also as <code>{stem}.png</code> and <code>{stem}.svg</code>.</figcaption>\n</figure>\n",
            html_escape(&c.title),
            stem = html_escape(&c.stem)
        );
    }
    s.push_str(&parameters(world, prov));
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_columns_zero_in_every_row_are_left_out() {
        assert!(zero_cell("0.00 ± 0.00 %"));
        assert!(zero_cell("0.0"));
        assert!(zero_cell("–"));
        assert!(!zero_cell("0.01 ± 0.00 %"));
        assert!(!zero_cell("us-east"));
        let mut t = Table::new(["population", "waited (%)", "served"]);
        t.row(["a", "0.00 ± 0.00 %", "10.0"]);
        t.row(["b", "0.00 ± 0.00 %", "0.0"]);
        let mut d = Doc::default();
        d.table(t);
        let d = without_zero_columns(d);
        let Block::Table(t) = &d.blocks[0] else {
            panic!("a table first")
        };
        assert_eq!(t.head, ["population", "served"]);
        assert_eq!(t.rows[1], ["b", "0.0"]);
        assert!(matches!(&d.blocks[1], Block::Paragraph(p) if p.contains("waited (%)")));
    }
}
