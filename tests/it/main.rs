//! The one integration-test binary: scenario files in, numbers out.

mod bare_loop;
mod charts;
mod cli;
mod common;
mod experiments;
mod invariants;
mod metrics;
mod overrides;
mod provenance;
mod scenario_errors;
mod schema;
mod validation;
mod verdict;
