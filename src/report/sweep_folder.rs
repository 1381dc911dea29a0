//! A sweep's report folder while the sweep runs. Its finished points are
//! written after each point (so a killed sweep keeps them), but a previous
//! complete set under the target's name goes only once the new set is whole:
//! at every instant the target holds the previous complete set, the new
//! complete set, or a new set marked incomplete (`complete: false` in
//! `sweep.json` and in the folder's marker, with the points planned listed).
//!
//! When the target holds a complete set, the unfinished sets go to the sibling
//! folder `<target>.incomplete` instead, and the whole new set replaces the
//! target at the end; when it holds nothing (or an incomplete set), they go to
//! the target itself.

use std::io;
use std::path::{Path, PathBuf};

use super::folder::{check_out_dir, holds_complete_set, remove_incomplete_set, OutDirError};
use super::sweep::{self, Settings};
use super::{charts, push_charts, write_all, Options, SweepMetric};
use crate::experiment::SweepPoint;
use crate::model::World;

/// Suffix of the sibling folder holding an unfinished sweep beside a complete one.
pub const INCOMPLETE_SUFFIX: &str = ".incomplete";

/// Where a sweep's sets go: the target, and the folder of its unfinished sets.
#[derive(Debug, Clone)]
pub struct SweepFolder {
    target: PathBuf,
    staging: PathBuf,
    planned: Vec<Settings>,
}

impl SweepFolder {
    /// The folders of a sweep of the `planned` points into `target` (itself
    /// checked by the caller); the sibling for unfinished sets is checked here,
    /// before anything is simulated.
    pub fn new(target: &Path, planned: Vec<Settings>, opts: &Options) -> Result<Self, OutDirError> {
        let staging = if holds_complete_set(target) {
            let mut name = target.as_os_str().to_owned();
            name.push(INCOMPLETE_SUFFIX);
            let staging = PathBuf::from(name);
            check_out_dir(&staging, opts.mark.as_ref())?;
            staging
        } else {
            target.to_path_buf()
        };
        Ok(Self {
            target: target.to_path_buf(),
            staging,
            planned,
        })
    }

    /// The folder the sweep's complete set goes to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The folder an unfinished set goes to (the target unless that holds a
    /// complete set).
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Whether `points` are every planned point.
    pub fn complete(&self, points: &[SweepPoint]) -> bool {
        points.len() >= self.planned.len()
    }

    /// Write the finished `points`, with the charts of `metrics` when given:
    /// while points are missing, into the staging folder marked incomplete;
    /// once all are there, into the target, the staging sibling then removed.
    pub fn write(
        &self,
        world: &World,
        points: &[SweepPoint],
        metrics: Option<&[SweepMetric]>,
        opts: &Options,
    ) -> io::Result<Vec<PathBuf>> {
        let complete = self.complete(points);
        let mut files = vec![
            (
                "sweep.csv".to_string(),
                sweep::sweep_csv(world, points).into_bytes(),
            ),
            (
                "sweep.json".to_string(),
                sweep::sweep_json(world, points, &self.planned, &opts.provenance).into_bytes(),
            ),
        ];
        if let Some(m) = metrics {
            push_charts(&mut files, charts::render_sweep(world, points, m)?);
        }
        if !complete {
            let mut opts = opts.clone();
            opts.mark = opts
                .mark
                .map(|m| m.incomplete(points.len(), self.planned.len()));
            return write_all(&self.staging, files, &opts);
        }
        let written = write_all(&self.target, files, opts)?;
        if self.staging != self.target {
            remove_incomplete_set(&self.staging);
        }
        Ok(written)
    }
}
