//! regionsim: a discrete-event simulator for deciding where AI agents should run,
//! how many each region needs, and which dispatch policy serves users best.
//!
//! Data flows one way: [`scenario`] (parse + validate) -> [`model`] (the world)
//! -> [`engine`] (events, RNG streams, policies) -> [`stats`] (streaming,
//! mergeable) -> [`experiment`] (replications) -> [`report`] (files).
//! [`validation`] checks the engine against exact queueing theory; [`data`]
//! reads session logs and [`fit`] turns one into populations and laws.
//! See ARCHITECTURE.md.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod data;
pub mod engine;
pub mod experiment;
pub mod fit;
pub mod input;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod validation;
