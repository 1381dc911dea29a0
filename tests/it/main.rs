//! The one integration-test binary: scenario files in, numbers out.

mod bare_loop;
mod charts;
mod cli;
mod common;
mod experiments;
mod fuzz;
mod invariants;
mod metrics;
mod overrides;
mod plan;
mod provenance;
mod robustness;
mod scenario_errors;
mod schema;
mod shard;
mod timeline;
mod validation;
mod verdict;
mod workers;
