//! The cases of the suite, one per queueing identity the simulator must reproduce: each names
//! its scenario (embedded from `scenarios/validation/`) and derives the exact
//! values from the parsed world, so a scenario edit cannot leave a stale
//! constant behind.

use super::checks::*;
use super::outage::outage_redispatch;
use super::Case;

macro_rules! scenario {
    ($name:literal) => {
        include_str!(concat!("../../scenarios/validation/", $name, ".json"))
    };
}

/// Every case, in table order.
pub static CASES: &[Case] = &[
    Case {
        name: "erlang-b-exponential",
        identity: "one region, no waiting: rejection = Erlang B(c, A)",
        scenario: scenario!("erlang-b-exponential"),
        checks: erlang_b_single,
        little_gap: steady_state,
    },
    Case {
        name: "erlang-b-lognormal",
        identity: "insensitivity: lognormal sessions give the same rejection",
        scenario: scenario!("erlang-b-lognormal"),
        checks: erlang_b_single,
        little_gap: steady_state,
    },
    Case {
        name: "erlang-b-deterministic",
        identity: "insensitivity: constant sessions give the same rejection",
        scenario: scenario!("erlang-b-deterministic"),
        checks: erlang_b_single,
        little_gap: steady_state,
    },
    Case {
        name: "spill-anywhere",
        identity: "nearest dispatch spilling anywhere: rejection = Erlang B(sum c, sum A)",
        scenario: scenario!("spill-anywhere"),
        checks: spill_anywhere,
        little_gap: steady_state,
    },
    Case {
        name: "explicit-no-fallback",
        identity: "explicit dispatch without fallback: Erlang B per region",
        scenario: scenario!("explicit-no-fallback"),
        checks: explicit_no_fallback,
        little_gap: steady_state,
    },
    Case {
        name: "spill-ctmc",
        identity: "ordered spill shares = exact Markov chain on occupancy vectors",
        scenario: scenario!("spill-ctmc"),
        checks: spill_ctmc,
        little_gap: steady_state,
    },
    Case {
        name: "spill-threshold-ctmc",
        identity: "spill above a utilisation threshold within an RTT budget = exact Markov chain",
        scenario: scenario!("spill-threshold-ctmc"),
        checks: spill_ctmc,
        little_gap: steady_state,
    },
    Case {
        name: "erlang-c",
        identity:
            "waiting without abandonment: P(wait) = Erlang C, mean wait = C / (c mu - lambda)",
        scenario: scenario!("erlang-c"),
        checks: erlang_c_case,
        little_gap: steady_state,
    },
    Case {
        name: "erlang-a",
        identity: "exponential patience: M/M/c+M abandonment and waits",
        scenario: scenario!("erlang-a"),
        checks: erlang_a_case,
        little_gap: steady_state,
    },
    Case {
        name: "unlimited-capacity",
        identity: "unlimited capacity: concurrency is Poisson with mean A",
        scenario: scenario!("unlimited-capacity"),
        checks: unlimited_capacity,
        little_gap: steady_state,
    },
    Case {
        name: "time-varying-arrivals",
        identity: "non-homogeneous Poisson arrivals match the integral of the rate",
        scenario: scenario!("time-varying-arrivals"),
        checks: time_varying_arrivals,
        little_gap: edge_work_gap,
    },
    Case {
        name: "flash-crowd-arrivals",
        identity: "flash crowds: arrivals match the integral of the multiplied rate",
        scenario: scenario!("flash-crowd-arrivals"),
        checks: time_varying_arrivals,
        little_gap: edge_work_gap,
    },
    Case {
        name: "outage-spill-anywhere",
        identity:
            "a region down for the whole run under spill-anywhere: Erlang B(remaining c, sum A)",
        scenario: scenario!("outage-spill-anywhere"),
        checks: spill_anywhere,
        little_gap: steady_state,
    },
    Case {
        name: "outage-redispatch",
        identity: "failures of a loss region: sessions moved per failure = a (1 - B(c, a)) e^(-mu d), as users leave at their own time",
        scenario: scenario!("outage-redispatch"),
        checks: outage_redispatch,
        little_gap: steady_state,
    },
    Case {
        name: "workers-erlang-b",
        identity: "workers with exact load: k = floor((threshold - base) / per-session load) sessions each, rejection = Erlang B(workers x k, A)",
        scenario: scenario!("workers-erlang-b"),
        checks: erlang_b_single,
        little_gap: steady_state,
    },
    Case {
        name: "workers-erlang-c",
        identity: "workers with exact load and waiting: P(wait) = Erlang C(workers x k, A), mean wait = C / (c mu - lambda)",
        scenario: scenario!("workers-erlang-c"),
        checks: erlang_c_case,
        little_gap: steady_state,
    },
    Case {
        name: "workers-stale-load",
        identity: "stale load over-admits: none with exact load, more at each longer sampling and reporting interval",
        scenario: scenario!("workers-stale-load"),
        checks: stale_load,
        little_gap: steady_state,
    },
];
