//! Charts and report.html as a user gets them from `regionsim run`: every chart in
//! both formats, valid files, series named, a self-contained page, reproducible
//! bytes, and nothing of it with `--no-charts`.

use std::path::Path;

const STEMS: [&str; 6] = [
    "world",
    "media-rtt",
    "concurrency",
    "overflow",
    "flows",
    "join-latency",
];

fn run(out: &Path, extra: &[&str]) {
    crate::common::run_cli("scenarios/tests/tiny.json", out, extra);
}

/// `regionsim run` on the world `v`, written into `dir` as `name`; returns
/// its output folder.
fn run_world(dir: &Path, name: &str, v: &serde_json::Value) -> std::path::PathBuf {
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, v.to_string()).unwrap();
    let out = dir.join("out");
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(["run", file.to_str().unwrap(), "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_chart_is_a_valid_png_and_svg_naming_its_series() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &[]);
    for stem in STEMS {
        let png = std::fs::read(dir.path().join(format!("{stem}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{stem}.png signature"
        );
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap_or_else(|e| panic!("{stem}.png does not decode: {e}"));
        let info = reader.info();
        assert_eq!((info.width, info.height), (1200, 800), "{stem}.png size");

        let svg = read_text(&dir.path().join(format!("{stem}.svg")));
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{stem}.svg does not parse: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.contains("tiny"), "{stem}.svg names the scenario");
        assert!(
            svg.contains("nearest dispatch"),
            "{stem}.svg names the policy"
        );
    }
    let svg = |stem: &str| read_text(&dir.path().join(format!("{stem}.svg")));
    for name in ["americas", "europe"] {
        for stem in ["media-rtt", "join-latency", "flows"] {
            assert!(
                svg(stem).contains(name),
                "{stem}.svg lacks population {name}"
            );
        }
    }
    for id in ["us-east", "eu-central"] {
        for stem in ["world", "concurrency", "flows"] {
            assert!(svg(stem).contains(id), "{stem}.svg lacks region {id}");
        }
    }
    for city in ["New York", "Sao Paulo"] {
        assert!(svg("world").contains(city), "world.svg lacks city {city}");
    }
}

#[test]
fn report_html_is_self_contained_and_summary_md_links_the_pngs() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &[]);
    let html = read_text(&dir.path().join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        html.matches("<svg").count(),
        STEMS.len(),
        "one inline SVG per chart"
    );
    for bad in ["http://", "https://", "src=", "<link", "@import"] {
        assert!(
            !html.contains(bad),
            "report.html references something outside: {bad}"
        );
    }
    for needle in [
        "overflow rate",
        "Scenario parameters",
        "americas",
        "us-east",
    ] {
        assert!(html.contains(needle), "report.html lacks {needle}");
    }
    let md = read_text(&dir.path().join("summary.md"));
    for stem in STEMS {
        assert!(
            md.contains(&format!("({stem}.png)")),
            "summary.md does not link {stem}.png"
        );
    }
}

#[test]
fn charts_are_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&a, &["--threads", "1"]);
    run(&b, &["--threads", "2"]);
    for stem in STEMS {
        for ext in ["png", "svg"] {
            let f = format!("{stem}.{ext}");
            assert!(
                std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
                "{f} differs between 1 and 2 threads"
            );
        }
    }
    assert_eq!(
        read_text(&a.join("report.html")),
        read_text(&b.join("report.html"))
    );
}

#[test]
fn no_charts_writes_only_the_summaries() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["--no-charts"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != regionsim::report::MARKER)
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "replications.csv",
            "summary.json",
            "summary.md",
            "timeseries.csv"
        ]
    );
    assert!(!read_text(&dir.path().join("summary.md")).contains(".png"));
}

#[test]
fn degenerate_runs_still_chart_without_failing() {
    // A one-minute run: a single time bin, few or no served sessions.
    let mut world = crate::common::world("scenarios/tests/tiny.json");
    world
        .edit_run(|r| {
            r.horizon_s = 60.0;
            r.warmup_s = 0.0;
            r.replications = 1;
        })
        .expect("valid run settings");
    let est = crate::common::estimate(&world);
    let dir = tempfile::tempdir().unwrap();
    let files = regionsim::report::write_run(dir.path(), &world, &est).unwrap();
    for stem in STEMS {
        assert!(files.iter().any(|f| f.ends_with(format!("{stem}.png"))));
        assert!(dir.path().join(format!("{stem}.svg")).is_file());
    }
}

/// A dashed curve is one SVG element per dash, so a jagged one (a worker
/// pool's noisy reported load, spill shares) over many bins made charts of
/// tens of megabytes, which the memory estimate did not foresee (found by the
/// fuzz campaign: a 3.5 MB `workers.svg` from 1 170 bins). Dashed curves are
/// drawn through at most 300 points, so every file stays small whatever the
/// bins.
#[test]
fn dashed_curves_over_many_bins_keep_the_charts_small() {
    let dir = tempfile::tempdir().unwrap();
    let v = serde_json::json!({
        "name": "dashed",
        "regions": ["us-east", "eu-central"],
        "deployments": [
            { "agent": "a", "region": "us-east", "workers": { "count": 5,
              "load": { "sessions_per_worker": 4, "noise": 0.2 },
              "sample_interval": "1s", "report_interval": "1s" } },
            { "agent": "a", "region": "eu-central", "capacity": 2 }
        ],
        "populations": [
            { "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
              "rate": { "peak_per_s": 0.4 }, "session": { "type": "exponential", "mean": "60s" } },
            { "name": "paris", "lat": 48.86, "lon": 2.35, "utc_offset_h": 1,
              "rate": { "peak_per_s": 0.1 }, "session": { "type": "exponential", "mean": "60s" } }
        ],
        "policy": { "type": "nearest" },
        "run": { "horizon": "20000s", "bin": "1s" }
    });
    let out = run_world(dir.path(), "dashed", &v);
    for stem in ["workers", "overflow", "concurrency", "deployments"] {
        let path = out.join(format!("{stem}.svg"));
        if let Ok(meta) = std::fs::metadata(&path) {
            assert!(meta.len() < 1_500_000, "{stem}.svg: {} bytes", meta.len());
        }
    }
    let html = std::fs::metadata(out.join("report.html")).unwrap().len();
    assert!(html < 5_000_000, "report.html: {html} bytes");
}

/// A world of many regions and deployments drew a lane and a legend entry
/// for each, so its charts were all legend, their curves hidden (and
/// 10 000 deployments made a `report.html` of 295 MB). The charts of lanes
/// now draw the ten with the highest peaks and say so; `timeseries.csv`
/// keeps every one.
#[test]
fn charts_of_many_lanes_draw_the_ten_busiest_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let regions: Vec<_> = (0..12)
        .map(|i| serde_json::json!({ "id": format!("r{i}"), "lat": 40.0 + f64::from(i), "lon": -74.0 }))
        .collect();
    // Two worker deployments a region; the nearest regions to the users
    // (the lowest numbers) are the busiest.
    let deployments: Vec<_> = (0..24)
        .map(|i| {
            serde_json::json!({ "agent": format!("a{}", i % 2), "region": format!("r{}", i / 2),
                "workers": { "count": 2, "load": { "sessions_per_worker": 4 } } })
        })
        .collect();
    let v = serde_json::json!({
        "name": "lanes",
        "regions": regions,
        "deployments": deployments,
        "populations": [{ "name": "ny", "lat": 39.0, "lon": -74.0, "utc_offset_h": -5,
            "rate": { "peak_per_s": 1.5 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest", "agent": "a0" },
        "run": { "horizon": "2h", "bin": "10min" }
    });
    let out = run_world(dir.path(), "lanes", &v);
    let texts = |stem: &str| -> Vec<String> {
        let svg = read_text(&out.join(format!("{stem}.svg")));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        (doc.descendants())
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect()
    };
    let says = |t: &[String], s: &str| t.iter().any(|x| x.contains(s));
    let (regions, deployments, workers) =
        (texts("concurrency"), texts("deployments"), texts("workers"));
    assert_eq!(
        regions
            .iter()
            .filter(|t| t.ends_with(')') && t.starts_with('r'))
            .count(),
        10,
        "{regions:?}"
    );
    assert!(says(&regions, "The 10 of 12 regions"), "{regions:?}");
    assert!(says(&regions, "r0 (r0)"), "{regions:?}");
    for (t, what) in [
        (&deployments, "deployments"),
        (&workers, "worker deployments"),
    ] {
        let lanes = t
            .iter()
            .filter(|x| x.starts_with('a') && x.contains("@r"))
            .count();
        assert_eq!(lanes, 10, "{what}: {t:?}");
        assert!(says(t, "a0@r0"), "the busiest, {what}: {t:?}");
        assert!(says(t, &format!("The 10 of 24 {what}")), "{t:?}");
    }
    // Every lane is still in the data.
    let csv = read_text(&out.join("timeseries.csv"));
    let header = csv.lines().next().unwrap();
    assert!(header.contains("a1@r11"), "{header}");
}

/// Two thousand capacity steps over a day drew a labelled dashed line each on
/// every chart over time, which covered the curves; above `MOST_MARKED`
/// events they are ticks along the top edge under one label.
#[test]
fn a_dense_timeline_is_ticks_under_one_label() {
    let dir = tempfile::tempdir().unwrap();
    let steps: Vec<_> = (0..2000)
        .map(|i| {
            serde_json::json!({ "type": "capacity", "at": format!("{}s", 40 * i),
                "region": "us-east", "capacity": 10 + i % 5 })
        })
        .collect();
    let v = serde_json::json!({
        "name": "dense",
        "regions": ["us-east", "eu-central"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 20 },
                        { "agent": "a", "region": "eu-central", "capacity": 20 }],
        "populations": [{ "name": "ny", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.2 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest" },
        "run": { "horizon": "24h" },
        "timeline": steps
    });
    let out = run_world(dir.path(), "dense", &v);
    for stem in ["concurrency", "overflow", "deployments"] {
        let svg = read_text(&out.join(format!("{stem}.svg")));
        assert!(
            svg.contains("2000 timeline events (ticks at the top)"),
            "{stem}"
        );
        assert!(
            !svg.contains("capacity a@us-east"),
            "{stem}: a label per event"
        );
        assert!(svg.len() < 1_000_000, "{stem}.svg: {} bytes", svg.len());
    }
}

/// The overflow chart drew a dashed line for each home region that spilled:
/// it too draws the ten with the highest peaks and says so.
#[test]
fn the_overflow_chart_draws_the_ten_home_regions_that_spill_most() {
    let dir = tempfile::tempdir().unwrap();
    let at = |i: i32| {
        (
            f64::from((i * 37) % 140 - 70),
            f64::from((i * 71) % 340 - 170),
        )
    };
    let regions: Vec<_> = (0..12)
        .map(|i| serde_json::json!({ "id": format!("r{i}"), "lat": at(i).0, "lon": at(i).1 }))
        .collect();
    let deployments: Vec<_> = (0..12)
        .map(|i| serde_json::json!({ "agent": "a", "region": format!("r{i}"), "capacity": 3 }))
        .collect();
    // Users beside every region, each region too small for its own.
    let populations: Vec<_> = (0..12)
        .map(|i| {
            serde_json::json!({ "name": format!("p{i}"), "lat": at(i).0, "lon": at(i).1 + 0.5,
                "utc_offset_h": 0, "rate": { "peak_per_s": 0.05 + 0.002 * f64::from(i) },
                "session": { "type": "exponential", "mean": "60s" } })
        })
        .collect();
    let v = serde_json::json!({
        "name": "spills", "regions": regions, "deployments": deployments,
        "populations": populations, "policy": { "type": "nearest" },
        "run": { "horizon": "3h", "bin": "30min" }
    });
    let out = run_world(dir.path(), "spills", &v);
    let svg = read_text(&out.join("overflow.svg"));
    assert_eq!(svg.matches("spilled from r").count(), 10, "{svg}");
    assert!(
        svg.contains("The 10 of 12 home regions that spilled"),
        "{svg}"
    );
}

/// Thousands of cities (a log fitted with coordinates gives one per 1-degree
/// cell it touches) drew a circle and lines each, one dark mass over the
/// map; past 500 the world view gathers them into the cells of the finest
/// grid that gives at most 500, and says so.
#[test]
fn the_world_view_gathers_thousands_of_cities_into_cells() {
    let dir = tempfile::tempdir().unwrap();
    // Two populations of 1 000 cities, together a degree apart over 40 x 50
    // degrees: 2 000 cells of 1 degree, 500 of 2.
    let cities = |p: usize| -> Vec<serde_json::Value> {
        (0..1000)
            .map(|i| {
                let k = 1000 * p + i;
                serde_json::json!({ "name": format!("c{k}"), "lat": 0.5 + (k / 40) as f64,
                    "lon": 0.5 + (k % 40) as f64, "weight": 1 + k % 3 })
            })
            .collect()
    };
    let v = serde_json::json!({
        "name": "cities",
        "regions": ["eu-central", "ap-south"],
        "deployments": [{ "agent": "a", "region": "eu-central", "capacity": 20 },
                        { "agent": "a", "region": "ap-south", "capacity": 20 }],
        "populations": (0..2).map(|p| serde_json::json!({ "name": format!("p{p}"),
            "utc_offset_h": 1, "cities": cities(p), "rate": { "peak_per_s": 0.2 },
            "session": { "type": "exponential", "mean": "60s" } })).collect::<Vec<_>>(),
        "policy": { "type": "nearest" },
        "run": { "horizon": "6h" }
    });
    let out = run_world(dir.path(), "cities", &v);
    let svg = read_text(&out.join("world.svg"));
    assert!(
        svg.contains("2000 cities gathered into 500 cells of 2°"),
        "the note"
    );
    assert!(svg.contains("Cells of 2° (area ∝ sessions)"), "the legend");
    // A filled circle and its outline per cell, and four legend circles.
    assert_eq!(svg.matches("<circle").count(), 2 * 500 + 2 * 4);
    assert!(svg.len() < 1_000_000, "world.svg: {} bytes", svg.len());
}
