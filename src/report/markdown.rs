//! `summary.md`: the same figures as `summary.json`, as tables for people.

use std::fmt::Write;

use super::charts::Chart;
use crate::experiment::Estimate;
use crate::model::World;
use crate::stats::DistSummary;

fn pm(v: f64, hw: Option<f64>, digits: usize) -> String {
    match hw {
        Some(h) if h.is_finite() => format!("{v:.digits$} ± {h:.digits$}"),
        _ if v.is_nan() => "–".into(),
        _ => format!("{v:.digits$}"),
    }
}

fn pct(v: f64, hw: Option<f64>) -> String {
    format!("{} %", pm(v * 100.0, hw.map(|h| h * 100.0), 2))
}

fn dist_row(name: &str, p: &DistSummary, h: Option<&DistSummary>) -> String {
    let c = |v: f64, hv: Option<f64>| pm(v, hv, 1);
    format!(
        "| {name} | {} | {} | {} | {} | {} | {} |\n",
        c(p.mean, h.map(|h| h.mean)),
        c(p.p50, h.map(|h| h.p50)),
        c(p.p90, h.map(|h| h.p90)),
        c(p.p95, h.map(|h| h.p95)),
        c(p.p99, h.map(|h| h.p99)),
        c(p.p999, h.map(|h| h.p999)),
    )
}

/// The `summary.md` text; links the charts' PNGs when there are charts.
pub fn summary_md(world: &World, est: &Estimate, charts: &[Chart]) -> String {
    let (p, h) = (&est.point, est.half_width.as_ref());
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "# {} — {} dispatch\n", world.name, world.policy.name());
    if !world.description.is_empty() {
        let _ = writeln!(w, "{}\n", world.description);
    }
    let _ = writeln!(
        w,
        "Seed {}, {} replication(s){}, horizon {:.1} h, warm-up {:.1} h. Rates are shares of arriving sessions.\n",
        world.run.seed,
        est.replications,
        if h.is_some() { format!(" (± = {:.0} % confidence half-width)", est.confidence * 100.0) } else { String::new() },
        world.run.horizon_s / 3600.0,
        world.run.warmup_s / 3600.0
    );
    let _ = writeln!(w, "## Outcomes\n\n| metric | value |\n| --- | --- |");
    let _ = writeln!(
        w,
        "| sessions | {} |",
        pm(p.sessions, h.map(|h| h.sessions), 1)
    );
    let _ = writeln!(w, "| served | {} |", pm(p.served, h.map(|h| h.served), 1));
    let _ = writeln!(
        w,
        "| overflow rate | {} |",
        pct(p.overflow_rate, h.map(|h| h.overflow_rate))
    );
    let _ = writeln!(
        w,
        "| rejection rate | {} |",
        pct(p.rejection_rate, h.map(|h| h.rejection_rate))
    );
    let _ = writeln!(
        w,
        "| abandonment rate | {} |",
        pct(p.abandonment_rate, h.map(|h| h.abandonment_rate))
    );
    let _ = writeln!(
        w,
        "| waited for an agent (share of served) | {} |",
        pct(p.wait_probability, h.map(|h| h.wait_probability))
    );
    let _ = writeln!(
        w,
        "| SLO: media RTT <= {} ms | {} |",
        world.slo.media_rtt_ms,
        pct(p.slo_rtt, h.map(|h| h.slo_rtt))
    );
    let _ = writeln!(
        w,
        "| SLO: join <= {} s | {} |",
        world.slo.join_latency_s,
        pct(p.slo_join, h.map(|h| h.slo_join))
    );
    let _ = writeln!(
        w,
        "| SLO: both | {} |",
        pct(p.slo_both, h.map(|h| h.slo_both))
    );
    let _ = writeln!(
        w,
        "| Little's law: L / λW | {:.1} / {:.1} |\n",
        p.little_l, p.little_lambda_w
    );
    let _ = writeln!(w, "## Latency (ms, served sessions)\n\n| | mean | p50 | p90 | p95 | p99 | p99.9 |\n| --- | --- | --- | --- | --- | --- | --- |");
    w.push_str(&dist_row(
        "media RTT",
        &p.media_rtt_ms,
        h.map(|h| &h.media_rtt_ms),
    ));
    w.push_str(&dist_row(
        "join latency",
        &p.join_latency_ms,
        h.map(|h| &h.join_latency_ms),
    ));
    w.push_str(&dist_row("wait", &p.wait_ms, h.map(|h| &h.wait_ms)));
    let _ = writeln!(w, "\n## Regions\n\n| region | capacity | utilisation | mean concurrency | concurrency variance | peak | served | overflow in |\n| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (i, region) in world.regions.iter().enumerate() {
        let (r, rh) = (&p.regions[i], h.map(|h| &h.regions[i]));
        if r.capacity == 0.0 && r.served == 0.0 {
            continue;
        }
        let _ = writeln!(
            w,
            "| {} ({}) | {:.0} | {} | {} | {} | {} | {} | {} |",
            region.id,
            region.name,
            r.capacity,
            pct(r.utilization, rh.map(|h| h.utilization)),
            pm(r.mean_concurrency, rh.map(|h| h.mean_concurrency), 1),
            pm(
                r.concurrency_variance,
                rh.map(|h| h.concurrency_variance),
                1
            ),
            pm(r.peak_concurrency, rh.map(|h| h.peak_concurrency), 1),
            pm(r.served, rh.map(|h| h.served), 0),
            pm(r.overflow_in, rh.map(|h| h.overflow_in), 0),
        );
    }
    let _ = writeln!(w, "\n## Populations\n\n| population | peak load (Erl) | sessions | overflow | rejection | abandonment | RTT p50 | RTT p95 |\n| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (i, pop) in world.populations.iter().enumerate() {
        let (q, qh) = (&p.populations[i], h.map(|h| &h.populations[i]));
        let _ = writeln!(
            w,
            "| {} | {:.1} | {} | {} | {} | {} | {:.1} | {:.1} |",
            pop.name,
            world.peak_offered_load(i),
            pm(q.sessions, qh.map(|h| h.sessions), 0),
            pct(q.overflow_rate, qh.map(|h| h.overflow_rate)),
            pct(q.rejection_rate, qh.map(|h| h.rejection_rate)),
            pct(q.abandonment_rate, qh.map(|h| h.abandonment_rate)),
            q.media_rtt_ms.p50,
            q.media_rtt_ms.p95,
        );
    }
    let serving: Vec<usize> = (0..world.regions.len())
        .filter(|&r| p.regions[r].served > 0.0)
        .collect();
    let _ = write!(w, "\n## Flows: share of each population's served sessions by serving region\n\n| population |");
    for &r in &serving {
        let _ = write!(w, " {} |", world.regions[r].id);
    }
    let _ = write!(w, "\n| --- |");
    for _ in &serving {
        w.push_str(" --- |");
    }
    w.push('\n');
    for (i, pop) in world.populations.iter().enumerate() {
        let _ = write!(w, "| {} |", pop.name);
        for &r in &serving {
            let _ = write!(w, " {:.1} % |", p.populations[i].served_by[r] * 100.0);
        }
        w.push('\n');
    }
    if !charts.is_empty() {
        let _ = writeln!(w, "\n## Charts\n\nAll charts with the tables and parameters: [report.html](report.html).\n");
        for c in charts {
            let _ = writeln!(w, "### {}\n\n![{}]({}.png)\n", c.title, c.title, c.stem);
        }
    }
    s
}
