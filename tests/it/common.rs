//! Shared helpers: loading shipped scenarios, exact queueing formulas, and
//! confidence-interval assertions.

use std::path::PathBuf;

use regionsim::experiment::{self, Estimate};
use regionsim::model::World;

/// Path of a file under the repository root.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Load a shipped scenario, panicking with its message if it is invalid.
pub fn world(rel: &str) -> World {
    regionsim::scenario::load(&repo(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// Replicate a world with its own settings.
pub fn estimate(world: &World) -> Estimate {
    experiment::replicate(world, &()).expect("not cancelled")
}

/// The files of a run of `world` with estimate `est`, charts left out (the
/// tables are what these tests read), in a folder removed when dropped.
pub fn written(world: &World, est: &Estimate) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let opts = regionsim::report::Options {
        charts: false,
        ..regionsim::report::Options::default()
    };
    regionsim::report::write_run_with(dir.path(), world, est, opts).unwrap();
    dir
}

pub use regionsim::validation::exact::erlang_b;

/// Two independent runs of `n` and `m` sessions that counted `x` and `y` of
/// something (rejections, overflow) agree on its rate: within 4 standard
/// errors of the difference of two binomial proportions, pooled. Also their
/// session counts, within 4 Poisson standard errors.
pub fn assert_rates_agree(what: &str, (x, n): (u64, u64), (y, m): (u64, u64)) {
    assert!(
        n.abs_diff(m) as f64 <= 4.0 * (n as f64).sqrt(),
        "{what}: {n} sessions against {m}"
    );
    let (p, q) = (x as f64 / n as f64, y as f64 / m as f64);
    let pooled = (x + y) as f64 / (n + m) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n as f64 + 1.0 / m as f64)).sqrt();
    assert!(
        (p - q).abs() <= 4.0 * se,
        "{what}: {p:.5} against {q:.5} (se {se:.5})"
    );
}

/// `regionsim run SCENARIO --out OUT --quiet EXTRA...`, which must succeed.
pub fn run_cli(scenario: &str, out: &std::path::Path, extra: &[&str]) {
    assert_cmd::Command::cargo_bin("regionsim")
        .unwrap()
        .args([
            "run",
            repo(scenario).to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .args(extra)
        .assert()
        .success();
}

/// The JSON files of the given repository folders, sorted.
pub fn json_files(dirs: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs {
        for e in std::fs::read_dir(repo(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Every figure of a run (its counters, integrals, series and distributions)
/// as one string, for checking that two ways of running give the same run.
pub fn fingerprint(stats: &regionsim::stats::RunStats) -> String {
    let dists: Vec<_> = stats
        .populations
        .iter()
        .flat_map(|p| [&p.rtt, &p.join, &p.wait])
        .map(|d| d.to_parts())
        .collect();
    format!("{stats:?} {dists:?} {:?}", stats.timeline.rejoin.to_parts())
}
