//! Hourly capacity schedules on clocks off the quarter hour: the next hour
//! always starts after the current instant (a step that came back at its own
//! instant hung the run), exactly on the schedule clock's hour, and a run
//! follows the schedule hour by hour.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use regionsim::engine::simulate;
use regionsim::model::timeline::TimelineEvent;
use serde_json::json;

/// Sixty days, the longest horizon the sweep walks.
const SWEEP_S: f64 = 60.0 * 86_400.0;

/// Every offset from -12 to 14 h in 0.01 h steps (as a scenario spells them),
/// walked hour by hour from t = 0 over sixty days the way the engine walks it:
/// each next hour starts strictly later, at most an hour later, on a whole
/// hour of the schedule's clock, and is the following hour of the day.
#[test]
fn an_hourly_schedule_with_an_offset_off_the_quarter_hour_ends() {
    for k in 0..=2600 {
        let offset = f64::from(k - 1200) / 100.0;
        let offset_ms = (offset * 3.6e6).round() as i64;
        let (mut hour, mut t) = TimelineEvent::hour_of(0.0, offset);
        let mut steps = 0;
        while t <= SWEEP_S {
            let (h, next) = TimelineEvent::hour_of(t, offset);
            assert!(
                next > t,
                "offset {offset}: the hour after {t} s starts at {next} s"
            );
            assert!(next - t <= 3600.0, "offset {offset}: {t} s -> {next} s");
            assert_eq!(h, (hour + 1) % 24, "offset {offset} at {t} s");
            let local_ms = (t * 1000.0).round() as i64 + offset_ms;
            assert_eq!(
                local_ms.rem_euclid(3_600_000),
                0,
                "offset {offset} at {t} s"
            );
            // Just before the hour starts, the next one is still ahead.
            let (_, ahead) = TimelineEvent::hour_of(t.next_down(), offset);
            assert!(ahead > t.next_down(), "offset {offset} before {t} s");
            (hour, t) = (h, next);
            steps += 1;
        }
        assert!(steps >= 60 * 24 - 1, "offset {offset}: {steps} hours");
    }
}

/// A one-deployment world whose capacity follows an hourly schedule (10 + the
/// hour) on a clock `offset` hours from UTC, with bins of six minutes.
fn scheduled(offset: f64, horizon_h: f64) -> regionsim::model::World {
    let hourly: Vec<u32> = (0..24).map(|h| 10 + h).collect();
    let v = json!({
        "name": "hourly-clock",
        "regions": ["us-east"],
        "deployments": [{ "agent": "a", "region": "us-east", "capacity": 5 }],
        "populations": [{ "name": "p", "lat": 40.71, "lon": -74.01, "utc_offset_h": -5,
            "rate": { "peak_per_s": 0.01 }, "session": { "type": "exponential", "mean": "60s" } }],
        "policy": { "type": "nearest" },
        "timeline": [{ "type": "capacity", "at": "0s", "region": "us-east",
            "hourly": hourly, "utc_offset_h": offset }],
        "run": { "horizon": format!("{}s", horizon_h * 3600.0), "warmup": "0s", "seed": 5,
            "replications": 1, "bin": "6min" }
    });
    regionsim::scenario::parse(Path::new("inline.json"), &v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The offsets and horizons of the fuzzing report, whose runs never ended:
/// each now ends, and every six-minute bin's capacity is that of its hour on
/// the schedule's clock.
#[test]
fn runs_on_hourly_schedules_off_the_quarter_hour_end_and_follow_the_clock() {
    for (offset, horizon_h) in [(-0.1, 5.0), (-11.9, 18.0), (-3.3, 33.0), (13.7, 49.0)] {
        let world = scheduled(offset, horizon_h);
        let (tx, rx) = mpsc::channel();
        let w = world.clone();
        std::thread::spawn(move || tx.send(simulate(&w, 0, &())).ok());
        let stats = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("offset {offset}: the run did not end"));
        let ts = &stats.series;
        for b in 0..ts.bins() {
            let start_h = b as f64 * 0.1;
            let local = ((start_h + offset) * 10.0).round() as i64;
            let want = 10.0 + local.div_euclid(10).rem_euclid(24) as f64;
            let got = ts.limit_area[b * ts.lanes] / 360.0;
            assert!(
                (got - want).abs() < 1e-9 * want,
                "offset {offset}, bin {b}: capacity {got}, want {want}"
            );
        }
    }
}
