//! A lint over the SVG of every chart a user gets from the shipped scenarios, a
//! plan, an hourly plan and a sweep: what makes a chart hard to read, checked
//! on the drawn elements themselves.
//!
//! - no text outside the canvas, no two texts overlapping (boxes estimated from
//!   the font size and DejaVu Sans' advance widths, at the size the PNG draws);
//! - no legend box over a drawn data line, point or area, or over a label;
//! - each legend swatch drawn in its series' colour, width and dash (a dashed
//!   swatch stands for a series drawn in dashes of that length, a solid one
//!   for a solid series, a dot for scatter points, an area for a filled area;
//!   a swatch in the neutral key colour explains a line style and matches a
//!   series of any colour drawn that way);
//! - legend entries of one kind in colours far apart;
//! - tick labels without trailing zeros or exponents, and on logarithmic
//!   axes at round values (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8 times a power of ten).

use std::path::Path;

use serde_json::json;

use crate::common::repo;

mod svg;
mod swatch;
mod ticks;

use svg::{inside, overlap, parse, segment_hits, shrink, Kind, Rect, Shape, Svg};
use swatch::{distance, drawn_as, swatch, Swatch};
use ticks::tick_problems;

/// The legend frame's colour (`charts::legend::FRAME`) and the key colour of
/// line-style entries (`charts::legend::KEY`).
const FRAME: &str = "#A0A0A0";
const KEY: &str = "#555555";
/// Secondary text and frames (`charts::style::MUTED`).
const MUTED: &str = "#6E6E6E";
/// Colours of chart furniture, never data: background, axes, grid.
const FURNITURE: [&str; 4] = ["#FFFFFF", "#000000", "#D7D7D7", "#E1E1E1"];

/// Everything wrong with one chart.
fn lint(svg: &str) -> Vec<String> {
    let svg = parse(svg);
    let mut out = text_problems(&svg);
    let legends = legends(&svg);
    let in_legend = |s: &Shape| legends.iter().any(|&l| inside(s.bbox(), l));
    let data: Vec<&Shape> = svg
        .shapes
        .iter()
        .filter(|s| !FURNITURE.contains(&s.color.as_str()) && s.color != FRAME && s.color != MUTED)
        .filter(|s| s.kind != Kind::Rect && !in_legend(s))
        .collect();
    let mut swatches: Vec<(String, Swatch)> = Vec::new();
    for &l in &legends {
        out.extend(legend_problems(&svg, l, &data, &mut swatches));
    }
    out.extend(swatch_problems(&swatches, &data));
    out.extend(tick_problems(&svg.texts));
    out
}

/// Texts off the canvas or over one another.
fn text_problems(svg: &Svg) -> Vec<String> {
    let mut out = Vec::new();
    let (w, h) = svg.size;
    for t in &svg.texts {
        let r = t.rect;
        if r.0 < -1.0 || r.1 < -1.0 || r.2 > w + 1.0 || r.3 > h + 1.0 {
            out.push(format!("text `{}` runs off the canvas {r:?}", t.content));
        }
    }
    for (i, a) in svg.texts.iter().enumerate() {
        for b in &svg.texts[i + 1..] {
            if overlap(shrink(a.rect, 1.0), shrink(b.rect, 1.0)) {
                out.push(format!("texts `{}` and `{}` overlap", a.content, b.content));
            }
        }
    }
    out
}

/// Legends: framed boxes holding text (plotters' own legends are framed in
/// the muted grey; the world map's frame is far larger than any legend).
fn legends(svg: &Svg) -> Vec<Rect> {
    let (w, h) = svg.size;
    svg.shapes
        .iter()
        .filter(|s| s.kind == Kind::Rect && !s.filled && [FRAME, MUTED].contains(&s.color.as_str()))
        .filter(|s| s.size.0 * s.size.1 < 0.25 * w * h)
        .map(Shape::bbox)
        .filter(|&b| svg.texts.iter().any(|t| inside(t.rect, b)))
        .collect()
}

/// Legend `l` covering data or text, or with an entry without a swatch; each
/// entry's label and swatch go to `swatches`.
fn legend_problems(
    svg: &Svg,
    l: Rect,
    data: &[&Shape],
    swatches: &mut Vec<(String, Swatch)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let core = shrink(l, 2.0);
    for s in data {
        let hit = s
            .pts
            .iter()
            .any(|&(x, y)| x > core.0 && x < core.2 && y > core.1 && y < core.3)
            || (s.kind == Kind::Line && s.pts.windows(2).any(|p| segment_hits(p[0], p[1], core)));
        if hit {
            out.push(format!("legend {l:?} covers data drawn in {}", s.color));
        }
    }
    for t in &svg.texts {
        if !inside(t.rect, l) && overlap(t.rect, core) {
            out.push(format!("legend {l:?} covers text `{}`", t.content));
        }
    }
    let parts: Vec<&Shape> = svg
        .shapes
        .iter()
        .filter(|s| {
            inside(s.bbox(), l) && s.bbox() != l && !(s.kind == Kind::Rect && s.color == "#FFFFFF")
        })
        .collect();
    for t in svg.texts.iter().filter(|t| inside(t.rect, l)) {
        let mid = (t.rect.1 + t.rect.3) / 2.0;
        let row: Vec<&Shape> = parts
            .iter()
            .copied()
            .filter(|s| {
                let b = s.bbox();
                ((b.1 + b.3) / 2.0 - mid).abs() <= 6.0
                    && b.2 <= t.rect.0 + 2.0
                    && b.0 >= t.rect.0 - 70.0
            })
            .collect();
        match swatch(&row) {
            Some(sw) => swatches.push((t.content.clone(), sw)),
            None => out.push(format!("legend entry `{}` has no swatch", t.content)),
        }
    }
    out
}

/// Legend entries whose swatch no series is drawn as, or whose colours are
/// too close to tell apart.
fn swatch_problems(swatches: &[(String, Swatch)], data: &[&Shape]) -> Vec<String> {
    let mut out = Vec::new();
    for (label, sw) in swatches {
        if !drawn_as(sw, data) {
            out.push(format!(
                "legend entry `{label}`: no series drawn as its swatch {sw:?}"
            ));
        }
    }
    for (i, (la, a)) in swatches.iter().enumerate() {
        for (lb, b) in &swatches[i + 1..] {
            if a.kind() == b.kind()
                && a.color() != KEY
                && b.color() != KEY
                && distance(a.color(), b.color()) < 40.0
            {
                out.push(format!(
                    "legend entries `{la}` and `{lb}` in colours too close ({} and {})",
                    a.color(),
                    b.color()
                ));
            }
        }
    }
    out
}

/// Lint every SVG of a folder; `what` names it in failures.
fn lint_dir(dir: &Path, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{what}: no SVG in {}", dir.display());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for p in lint(&text) {
            out.push(format!(
                "{what} {}: {p}",
                f.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    out
}

fn cli(args: &[&str], out: &Path) {
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The shipped scenarios, each over its own horizon (a day for the flagship
/// ones) but two replications; the performance references over a day or a
/// few minutes, so the test stays short.
#[test]
fn every_chart_of_every_shipped_scenario_passes_the_lint() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let mut set = vec![("run.replications".to_string(), json!(2))];
        if name.starts_with("reference-3x100000") {
            set.push(("run.horizon".into(), json!("5min")));
            set.push(("run.bin".into(), json!("30s")));
        } else if name.starts_with("reference-") {
            set.push(("run.horizon".into(), json!("24h")));
        }
        let world = regionsim::scenario::load_with(&f, &set).unwrap_or_else(|e| panic!("{e}"));
        let est = regionsim::experiment::replicate(&world, &()).expect("not cancelled");
        let charts = regionsim::report::charts::render_all(&world, &est).unwrap();
        assert!(charts.len() >= 6, "{name}");
        let out = dir.path().join(&name);
        std::fs::create_dir_all(&out).unwrap();
        for c in charts {
            std::fs::write(out.join(format!("{}.svg", c.stem)), c.svg).unwrap();
        }
        problems.extend(lint_dir(&out, &name));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn plan_sweep_and_fit_charts_pass_the_lint() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    let spill = repo("scenarios/tests/plan-spill.json");
    cli(&["plan", spill.to_str().unwrap()], &d("plan"));
    let hourly = repo("scenarios/tests/plan-hourly-explicit.json");
    cli(
        &["plan", hourly.to_str().unwrap(), "--hourly"],
        &d("hourly"),
    );
    let floors = repo("scenarios/tests/plan-hourly-floor.json");
    cli(
        &["plan", floors.to_str().unwrap(), "--hourly"],
        &d("floors"),
    );
    let global = repo("scenarios/livekit-global.json");
    cli(
        &[
            "sweep",
            global.to_str().unwrap(),
            "--set",
            "deployments[2].capacity=250,300,350,400",
            "--set",
            "policy.spill.utilization_threshold=0.8,1",
            "--horizon",
            "4h",
            "--replications",
            "2",
            "--metrics",
            "overflow_rate,media_rtt_ms.p95,join_latency_ms.p95,regions.ap-south.utilization",
        ],
        &d("sweep"),
    );
    let log = repo("scenarios/data/app-week.csv");
    cli(&["fit", log.to_str().unwrap()], &d("fit"));
    let mut problems = Vec::new();
    for (what, n) in [
        ("plan", "plan"),
        ("hourly plan", "hourly"),
        ("hourly plan of a pool's floors", "floors"),
        ("sweep", "sweep"),
        ("fit", "fit"),
    ] {
        problems.extend(lint_dir(&d(n), what));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Lint the SVGs of any folder, e.g. charts drawn by another build:
/// `REGIONSIM_LINT_DIR=reports/x cargo test --test it chart_lint::a_folder -- --ignored`.
#[test]
#[ignore = "a tool: lints the folder named by REGIONSIM_LINT_DIR"]
fn a_folder_named_by_regionsim_lint_dir() {
    let dir = std::env::var("REGIONSIM_LINT_DIR").expect("REGIONSIM_LINT_DIR names a folder");
    let problems = lint_dir(Path::new(&dir), &dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The lint itself finds what it looks for: a chart drawn the old way fails.
#[test]
fn the_lint_catches_what_made_charts_hard_to_read() {
    let svg = r##"<svg width="1200" height="800" viewBox="0 0 1200 800" xmlns="http://www.w3.org/2000/svg">
<text x="600" y="14" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="24.19" opacity="1" fill="#212121">a heading far too long for its chart, running off both edges of the canvas by far, really, with the whole scenario name and policy</text>
<text x="100" y="700" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">0.0</text>
<text x="100" y="600" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">1e-1</text>
<text x="100" y="500" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">22000.0</text>
<text x="200" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">398 ms</text>
<text x="400" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">1 s</text>
<text x="600" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">2.5 s</text>
<text x="800" y="735" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="13.709677419354838" opacity="1" fill="#212121">6.3 s</text>
<text x="700" y="300" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="10.5" opacity="1" fill="#212121">london</text>
<text x="712" y="303" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="10.5" opacity="1" fill="#212121">berlin</text>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="3" points="110,600 300,150 500,140 900,400 "/>
<rect x="120" y="100" width="300" height="70" opacity="1" fill="#FFFFFF" stroke="none"/>
<rect x="120" y="100" width="300" height="70" opacity="1" fill="none" stroke="#A0A0A0"/>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="3" points="130,120 166,120 "/>
<text x="174" y="120" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#212121">overflow (of served)</text>
<polyline fill="none" opacity="1" stroke="#4E79A7" stroke-width="2" points="130,142 166,142 "/>
<text x="174" y="142" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#212121">spilled from us-east</text>
<text x="380" y="150" dy="0.5ex" text-anchor="start" font-family="sans-serif" font-size="12.9" opacity="1" fill="#6E288C">Frankfurt down</text>
</svg>"##;
    let found = lint(svg).join("\n");
    for what in [
        "runs off the canvas",
        "`0.0` with a trailing zero",
        "`1e-1` in exponent notation",
        "`22000.0` with a trailing zero",
        "log-axis tick `398 ms` not at a round value",
        "log-axis tick `6.3 s` not at a round value",
        "covers data drawn in #4E79A7",
        "covers text `Frankfurt down`",
        "legend entry `spilled from us-east`: no series drawn as its swatch",
        "colours too close",
        "texts `london` and `berlin` overlap",
    ] {
        assert!(found.contains(what), "the lint misses: {what}\n{found}");
    }
    assert!(!found.contains("`1 s`"), "{found}");
}
