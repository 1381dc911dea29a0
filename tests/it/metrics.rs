//! The metric catalogue is the one source of truth: aggregation reaches every
//! field of a summary, and every catalogued metric reaches every output.

use regionsim::report::csv_table::{render, Cell};
use regionsim::report::table::{html_escape, md_escape, to_html, to_markdown, Doc, Table};
use regionsim::report::{headlines, write_run_with, Options};
use regionsim::stats::metrics::{
    scalars, POPULATION_METRICS, REGION_METRICS, SUMMARY_METRICS, WORKER_METRICS,
};
use regionsim::stats::{PopulationSummary, RegionSummary, Summary, ValueKind, WorkerSummary};
use serde_json::Value;

use crate::common::{estimate, world, written};

/// A summary shaped like a world of two regions and two populations.
fn shaped() -> Summary {
    let pop = PopulationSummary {
        served_by: vec![0.0; 2],
        ..Default::default()
    };
    Summary {
        regions: vec![RegionSummary::default(); 2],
        populations: vec![pop; 2],
        workers: vec![WorkerSummary::default(); 2],
        ..Default::default()
    }
}

/// Guards the bug where a field missing from `visit` kept its point estimate as
/// its half-width: after every visited number is overwritten, no field may keep
/// its default.
#[test]
fn summary_visit_reaches_every_field() {
    let mut s = shaped();
    let n = s.values().len();
    let values: Vec<f64> = (0..n).map(|i| 1000.5 + i as f64).collect();
    s.set_values(&values, None);
    let text = format!("{s:?}");
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("0.0") {
        let before = if i == 0 { b' ' } else { bytes[i - 1] };
        assert!(
            before.is_ascii_digit(),
            "a field kept its default (not in the metric catalogue): …{}…",
            &text[i.saturating_sub(60)..(i + 10).min(text.len())]
        );
    }
    assert_eq!(s.values(), values, "visit order is stable");
}

/// Every catalogued metric appears in summary.json, summary.md and report.html;
/// every headline in sweep columns (by name) — a metric added to the catalogue
/// reaches every output without further edits.
#[test]
fn every_catalogued_metric_reaches_every_output() {
    let w = world("scenarios/tests/tiny.json");
    let est = estimate(&w);
    let dir = tempfile::tempdir().unwrap();
    write_run_with(dir.path(), &w, &est, Options::default()).unwrap();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let at = |v: &Value, key: &str| key.split('.').fold(v.clone(), |v, k| v[k].clone());
    let metrics = &json["metrics"];
    for s in scalars(SUMMARY_METRICS) {
        assert!(
            at(metrics, &s.key()).is_number(),
            "summary.json lacks {}",
            s.key()
        );
        assert!(
            at(metrics, &format!("{}_ci", s.key())).is_number(),
            "no {}_ci",
            s.key()
        );
        assert!(
            md.contains(s.metric.label),
            "summary.md lacks {}",
            s.metric.label
        );
        assert!(
            html.contains(&html_escape(s.metric.label)),
            "report.html lacks {}",
            s.metric.label
        );
    }
    for s in scalars(REGION_METRICS) {
        assert!(
            at(&metrics["regions"][0], &s.key()).is_number(),
            "region lacks {}",
            s.key()
        );
        assert!(
            md.contains(s.metric.label),
            "summary.md lacks region {}",
            s.metric.label
        );
    }
    for s in scalars(POPULATION_METRICS) {
        assert!(
            at(&metrics["populations"][0], &s.key()).is_number(),
            "population lacks {}",
            s.key()
        );
    }
    let keys: Vec<String> = headlines().iter().map(|h| h.key()).collect();
    assert!(
        keys.contains(&"overflow_rate".to_string())
            && keys.contains(&"media_rtt_ms.p95".to_string())
    );
}

/// Worker figures are catalogue entries: every one reaches `summary.json`
/// with its half-width, and its value is the summary's (report/ computes
/// none of them; worker-hours were once recomputed there).
#[test]
fn every_worker_metric_reaches_summary_json_from_the_summary() {
    let w = world("scenarios/tests/workers-autoscale.json");
    let est = estimate(&w);
    assert!(!est.point.workers.is_empty());
    let dir = tempfile::tempdir().unwrap();
    write_run_with(dir.path(), &w, &est, Options::default()).unwrap();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let at = |v: &Value, key: &str| key.split('.').fold(v.clone(), |v, k| v[k].clone());
    for (k, dep) in json["workers"]["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        for s in scalars(WORKER_METRICS) {
            // serde_json's default float parsing may be one ulp off.
            let (v, want) = (
                at(dep, &s.key()).as_f64().unwrap(),
                s.get(&est.point.workers[k]),
            );
            assert!(
                (v - want).abs() <= 1e-12 * want.abs(),
                "{}: {v} {want}",
                s.key()
            );
            let ci = at(dep, &format!("{}_ci", s.key()));
            assert!(
                ci.is_number() || (est.replications == 1 && ci.is_null()),
                "{}",
                s.key()
            );
        }
    }
    // Counts per replication are means of the replications'; shares pooled.
    let pooled = &est.pooled.workers[0];
    let runs = f64::from(est.pooled.runs);
    let f = &est.point.workers[0];
    assert!((f.worker_hours - pooled.worker_s / 3600.0 / runs).abs() <= 1e-9 * f.worker_hours);
    assert_eq!(f.over_admission_rate, pooled.over_admission_rate());
}

#[test]
fn renderers_escape_text_for_their_format() {
    let evil = "a|b <i>&\"x\"\nnext";
    let mut d = Doc::default();
    d.heading(2, evil);
    let mut t = Table::new(["name", "value"]);
    t.row([evil, "1"]);
    d.table(t);
    let md = to_markdown(&d);
    assert!(md.contains("| a\\|b \\<i\\>\\&\"x\" next | 1 |"), "{md}");
    assert_eq!(md_escape("a\\b"), "a\\\\b");
    let html = to_html(&d);
    assert!(
        html.contains("<td>a|b &lt;i&gt;&amp;&quot;x&quot;\nnext</td>"),
        "{html}"
    );
    assert!(!html.contains("<i>"));
}

#[test]
fn csv_quotes_and_neutralises_formulas_in_text_but_not_numbers() {
    let header = ["name".to_string(), "value".to_string()];
    let rows = vec![
        vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::num(-1.5)],
        vec![Cell::Text("+1".into()), Cell::num(f64::NAN)],
        vec![Cell::Text("a,b".into()), Cell::fixed(2.0, 2)],
        vec![Cell::Text("@x".into()), Cell::Text("-y".into())],
    ];
    assert_eq!(
        render(&header, &rows),
        "name,value\n\"'=HYPERLINK(\"\"x\"\")\",-1.5\n'+1,\n\"a,b\",2.00\n'@x,'-y\n"
    );
}

/// A researcher averaging replications.csv gets exactly the summary's means:
/// every mean-aggregated column, summed in row order and divided by the number
/// of rows, equals the summary.json value bit for bit.
#[test]
fn replications_csv_column_means_reproduce_the_summary_exactly() {
    let mut w = world("scenarios/tests/tiny.json");
    w.edit_run(|r| r.replications = 3)
        .expect("valid run settings");
    let est = estimate(&w);
    let dir = written(&w, &est);
    let text = std::fs::read_to_string(dir.path().join("replications.csv")).unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    let mut checked = 0;
    for s in scalars(SUMMARY_METRICS) {
        let col = header
            .iter()
            .position(|h| *h == s.key())
            .unwrap_or_else(|| panic!("no column {}", s.key()));
        if s.stat.is_some_and(|st| st.kind() == ValueKind::Pooled) {
            continue;
        }
        let mean = rows.iter().map(|r| r[col]).sum::<f64>() / rows.len() as f64;
        assert_eq!(mean, s.get(&est.point), "{}", s.key());
        // summary.json prints shortest round-trip numbers: its text is this mean's.
        let leaf = s.key().rsplit('.').next().unwrap().to_string();
        let printed = format!("\"{leaf}\": {}", serde_json::to_string(&mean).unwrap());
        assert!(summary.contains(&printed), "summary.json lacks {printed}");
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

/// `peak_offered_load_erlangs` is the load that holds slots: with unlimited
/// capacity and a constant arrival rate the time-averaged busy slots (Little's
/// L) equal it within their confidence interval, and miss the session-only
/// figure, once dispatch and start-up take time.
#[test]
fn peak_offered_load_counts_dispatch_and_start_up() {
    let path = crate::common::repo("scenarios/validation/unlimited-capacity.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["latency"] = serde_json::json!({
        "dispatch": { "type": "deterministic", "value": "2s" },
        "startup": { "type": "deterministic", "value": "4s" }
    });
    doc["run"]["horizon"] = "50h".into();
    doc["run"]["replications"] = 10.into();
    let w = regionsim::scenario::parse(&path, &doc.to_string()).unwrap();
    let (slots, session) = (w.peak_offered_load(0), w.peak_session_load(0));
    assert!((slots - 0.5 * 86.0).abs() < 1e-9 && (session - 40.0).abs() < 1e-9);
    let est = estimate(&w);
    let (l, hw) = (est.point.little_l, est.half_width.unwrap().little_l);
    assert!((l - slots).abs() <= hw, "L = {l} ± {hw}, offered {slots}");
    assert!(
        (l - session).abs() > hw,
        "L = {l} ± {hw} matches the session-only load"
    );
}

/// Names with markup, pipes and formula characters come out escaped in every
/// format: SVG parses as XML, report.html holds no injected tag, summary.md no
/// broken table, CSV no live formula.
#[test]
fn hostile_names_are_escaped_in_every_output() {
    let path = crate::common::repo("scenarios/tests/tiny.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["regions"][2]["name"] = "<b>edge</b>".into();
    let w = regionsim::scenario::parse(&path, &doc.to_string()).unwrap();
    // Validation refuses such a population name at the source; the renderers
    // must still escape whatever they are given.
    let mut parts = w.into_parts();
    parts.populations[0].name = "=a|b <i>&\"x\"".into();
    let w = regionsim::model::World::new(parts).unwrap();
    let est = estimate(&w);
    let dir = tempfile::tempdir().unwrap();
    write_run_with(dir.path(), &w, &est, Options::default()).unwrap();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            let svg = std::fs::read_to_string(&p).unwrap();
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        !html.contains("<i>") && !html.contains("<b>edge"),
        "markup leaked into report.html"
    );
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(md.contains("| =a\\|b \\<i\\>\\&\"x\" |"), "{md}");
}

/// Labels placed on the world map never overlap each other or a marker.
#[test]
fn map_labels_do_not_overlap() {
    use plotters::style::text_anchor::{HPos, VPos};
    use regionsim::report::charts::labels::{place, Wanted};
    let wanted: Vec<Wanted> = (0..40)
        .map(|i| {
            let p = (100 + (i % 5) * 30, 100 + (i / 5) * 8);
            Wanted {
                text: format!("city-{i}"),
                size: 13,
                at: vec![
                    ((p.0 + 5, p.1), HPos::Left, VPos::Center),
                    ((p.0 - 5, p.1), HPos::Right, VPos::Center),
                    ((p.0, p.1 + 5), HPos::Center, VPos::Top),
                    ((p.0, p.1 - 5), HPos::Center, VPos::Bottom),
                ],
                required: false,
            }
        })
        .collect();
    let marker = (90, 90, 120, 110);
    let placed = place(wanted, &[marker], |t, _| (7 * t.len() as i32, 14));
    assert!(!placed.is_empty() && placed.len() < 40);
    let overlap = |a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    for (i, a) in placed.iter().enumerate() {
        assert!(!overlap(a.5, marker), "{} covers the marker", a.0);
        for b in &placed[i + 1..] {
            assert!(!overlap(a.5, b.5), "{} overlaps {}", a.0, b.0);
        }
    }
}

/// A sweep over a worker setting reports every worker deployment as a run
/// does: the point at the file's own target load carries, in `sweep.json`'s
/// `workers` and in `sweep.csv`'s `workers.<agent>@<region>.*` columns, the
/// very figures `summary.json` has for a run of the file; and a worker
/// metric charts by that name. A sweep once wrote no worker figure at all.
#[test]
fn a_sweep_over_workers_reports_each_worker_deployment_as_a_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = crate::common::repo("scenarios/tests/workers-autoscale.json");
    let cli = |args: &[&str], out: &str| {
        assert_cmd::Command::cargo_bin("regionsim")
            .unwrap()
            .args(args)
            .arg(&file)
            .args(["--horizon=3h", "--replications=2", "--quiet", "--out"])
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    cli(&["run", "--no-charts"], "run");
    let set = "deployments[0].workers.autoscale.target_load=0.5,0.6";
    let chart = "workers.agent@us-east.worker_hours";
    cli(&["sweep", "--set", set, "--metrics", chart], "sweep");
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let run: Value = serde_json::from_str(&read("run/summary.json")).unwrap();
    let sweep: Value = serde_json::from_str(&read("sweep/sweep.json")).unwrap();
    let (r, s) = (
        &run["workers"]["deployments"][0],
        &sweep["points"][0]["workers"]["deployments"][0],
    );
    assert_eq!(s["deployment"], "agent@us-east");
    let at = |v: &Value, key: &str| key.split('.').fold(v.clone(), |v, k| v[k].clone());
    for m in scalars(WORKER_METRICS) {
        for key in [m.key(), format!("{}_ci", m.key())] {
            assert_eq!(at(r, &key), at(s, &key), "{key}");
        }
    }
    let csv = read("sweep/sweep.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    for key in ["worker_hours", "over_admission_rate", "join_latency_ms.p95"] {
        let col = header
            .iter()
            .position(|h| *h == format!("workers.agent@us-east.{key}"));
        let cell: f64 = row[col.unwrap_or_else(|| panic!("no {key} column"))]
            .parse()
            .unwrap();
        // serde_json's default float parsing may be one ulp off; the CSV's is exact.
        let want = at(r, key).as_f64().unwrap();
        assert!(
            (cell - want).abs() <= 1e-12 * want.abs(),
            "{key}: {cell} {want}"
        );
    }
    let png = dir
        .path()
        .join("sweep/sweep-workers-agent@us-east-worker_hours.png");
    assert!(png.exists(), "the worker metric was not charted");
}
