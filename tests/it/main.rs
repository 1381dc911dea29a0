//! The one integration-test binary: scenario files in, numbers out.

mod bare_loop;
mod charts;
mod cli;
mod common;
mod event_queue;
mod experiments;
mod fuzz;
mod histogram_runs;
mod invariants;
mod merge_damage;
mod metrics;
mod overrides;
mod plan;
mod plan_hourly;
mod plan_input;
mod provenance;
mod report_folders;
mod robustness;
mod scenario_errors;
mod schema;
mod shard;
mod sweep_folders;
mod timeline;
mod validation;
mod verdict;
mod workers;
