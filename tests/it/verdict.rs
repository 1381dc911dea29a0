//! summary.md and report.html open with a verdict: each target met or missed
//! with its interval, lost users, worst populations, regions at capacity.

use regionsim::report::{write_run_with, Options};

use crate::common::{estimate, world};

#[test]
fn reports_open_with_the_verdict() {
    let w = world("scenarios/tests/tiny.json");
    let est = estimate(&w);
    let dir = tempfile::tempdir().unwrap();
    write_run_with(dir.path(), &w, &est, Options::default()).unwrap();
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let first = md.lines().find(|l| l.starts_with("## ")).unwrap();
    assert_eq!(first, "## Verdict");
    // tiny: RTT p95 about 131 ms against 150 ms; join p95 about 12 s against 2 s.
    assert!(md.contains("- Media RTT target 150 ms: met (p95 "), "{md}");
    assert!(
        md.contains("- Join latency target 2 s: MISSED (p95 "),
        "{md}"
    );
    assert!(md.contains("Most users without an agent"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let (v, o) = (
        html.find("<h2>Verdict</h2>").unwrap(),
        html.find("<h2>Outcomes</h2>").unwrap(),
    );
    assert!(v < o && html[v..o].contains("<li>Media RTT target 150 ms: met"));
}
