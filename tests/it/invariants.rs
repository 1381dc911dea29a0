//! Invariants every run must keep, on scenarios that exercise every session path.

use crate::common::*;

const SCENARIOS: &[&str] = &[
    "scenarios/tests/tiny.json",
    "scenarios/tests/explicit-fallback.json",
    "scenarios/tests/spill-anywhere.json",
];

/// arrivals = served + rejected + abandoned + still pending at the horizon.
#[test]
fn conservation_of_sessions() {
    for s in SCENARIOS {
        let est = estimate(&world(s));
        for p in &est.pooled.populations {
            let served = p.served_home + p.overflow;
            assert_eq!(p.served_by.iter().sum::<u64>(), served, "{s}");
        }
        let total: u64 = est.pooled.populations.iter().map(|p| p.sessions).sum();
        let accounted: u64 = est
            .pooled
            .populations
            .iter()
            .map(|p| p.served_home + p.overflow + p.rejected + p.abandoned)
            .sum::<u64>()
            + est.pooled.pending_at_horizon;
        assert_eq!(total, accounted, "{s}");
    }
}

/// Every window session that got an agent either finished before the horizon or
/// was still running at it. Guards `running_at_horizon`, which once dropped the
/// first event past the horizon before counting and counted sessions that arrived
/// during the warm-up.
#[test]
fn running_at_horizon_counts_exactly_the_window_sessions_still_running() {
    for s in SCENARIOS
        .iter()
        .chain(&["scenarios/tests/erlang-b-single.json"])
    {
        let est = estimate(&world(s));
        for rep in 0..2 {
            let st = regionsim::engine::simulate(&world(s), rep, &());
            let served: u64 = st
                .populations
                .iter()
                .map(|p| p.served_home + p.overflow)
                .sum();
            assert_eq!(
                served,
                st.completed + st.running_at_horizon,
                "{s} rep {rep}"
            );
        }
        let p = &est.pooled;
        let served: u64 = p
            .populations
            .iter()
            .map(|p| p.served_home + p.overflow)
            .sum();
        assert_eq!(served, p.completed + p.running_at_horizon, "{s}");
    }
}

/// No region ever holds more sessions than its capacity, in any bin.
#[test]
fn capacity_is_never_exceeded() {
    for s in SCENARIOS {
        let w = world(s);
        let est = estimate(&w);
        let cap = w.region_capacity();
        let ts = &est.pooled.series;
        for b in 0..ts.bins() {
            for (r, &c) in cap.iter().enumerate() {
                assert!(ts.peak[b * ts.lanes + r] <= c, "{s}: bin {b} region {r}");
            }
        }
        for (r, reg) in est.pooled.regions.iter().enumerate() {
            assert!(reg.peak <= cap[r], "{s}: region {r}");
        }
    }
}

/// Explicit dispatch without fallback never serves a user outside their region.
#[test]
fn explicit_dispatch_without_fallback_never_overflows() {
    let no_fallbacks = ["americas", "europe"].map(|p| {
        (
            format!("policy.routes.{p}.fallbacks"),
            serde_json::json!([]),
        )
    });
    let w = regionsim::scenario::load_with(
        &crate::common::repo("scenarios/tests/explicit-fallback.json"),
        &no_fallbacks,
    )
    .unwrap();
    let est = estimate(&w);
    assert_eq!(est.point.overflow, 0.0);
    assert!(est.point.rejection_rate > 0.0);
}

/// Fallbacks move some of the rejected users elsewhere, paying the re-dispatch delay.
#[test]
fn explicit_fallbacks_overflow_after_the_redispatch_delay() {
    let est = estimate(&world("scenarios/tests/explicit-fallback.json"));
    assert!(est.point.overflow_rate > 0.0);
    // Overflowed users waited the 2 s re-dispatch delay before dispatch.
    assert!(est.point.wait_ms.p99 >= 2000.0, "{}", est.point.wait_ms.p99);
}

/// The per-region overflow of the series (by the users' home region) adds up to
/// the overflow of each bin: it says which region spilled, and nothing else.
#[test]
fn overflow_by_home_region_adds_up_to_each_bins_overflow() {
    for s in SCENARIOS {
        let est = estimate(&world(s));
        let ts = &est.pooled.series;
        for (b, c) in ts.counts.iter().enumerate() {
            let by_home: u64 = ts.overflow_out[b * ts.regions..(b + 1) * ts.regions]
                .iter()
                .sum();
            assert_eq!(by_home, c.overflow, "{s}: bin {b}");
        }
    }
}

/// Each region's per-bin capacity integrals add up to capacity x horizon, and
/// its per-bin peaks reach the run's peak: guards the bins' open cells (a
/// lane's current bin is summed aside and must reach the series, the last one
/// at the horizon included). Capacities are constant here; the sums differ from
/// the product only by rounding, under n x 2^-52 relative for n additions.
#[test]
fn per_bin_integrals_and_peaks_add_up_to_the_run() {
    for s in SCENARIOS {
        let w = world(s);
        let st = regionsim::engine::simulate(&w, 0, &());
        let ts = &st.series;
        for (r, &c) in w.region_capacity().iter().enumerate() {
            let cells = (0..ts.bins()).map(|b| b * ts.lanes + r);
            let area: f64 = cells.clone().map(|i| ts.limit_area[i]).sum();
            let want = f64::from(c) * w.run().horizon_s;
            let bound = want * (st.events as f64 + ts.bins() as f64) * f64::EPSILON;
            assert!(
                (area - want).abs() <= bound,
                "{s}: region {r}: {area} vs {want}"
            );
            let peak = cells.map(|i| ts.peak[i]).max().unwrap();
            assert!(peak >= st.regions[r].peak, "{s}: region {r}");
            if w.run().warmup_s == 0.0 {
                assert_eq!(peak, st.regions[r].peak, "{s}: region {r}");
            }
        }
    }
}
