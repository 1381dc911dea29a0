//! `run --sessions FILE.csv`: the export file is opened (as a temporary file
//! beside it) before simulating, so an unwritable place exits 2 at once, and
//! renamed into place after the reports.

use std::path::Path;

use anyhow::{Context, Result};

use super::bad;
use regionsim::model::World;
use regionsim::report::SessionsCsv;

/// The export's sink, if asked for.
pub fn create(path: Option<&Path>, world: &World) -> Result<Option<SessionsCsv>> {
    let Some(p) = path else { return Ok(None) };
    if p.is_dir() {
        return Err(bad(format!(
            "--sessions {}: is a folder; give a file name",
            p.display()
        )));
    }
    SessionsCsv::create(p, world).map(Some).map_err(|e| {
        bad(format!(
            "--sessions {}: cannot write there: {e}",
            p.display()
        ))
    })
}

/// Put the export in place and say so.
pub fn finish(sink: Option<SessionsCsv>, quiet: bool) -> Result<()> {
    if let Some(s) = sink {
        let (path, rows) = s.finish().context("cannot write the --sessions file")?;
        if !quiet {
            say!(
                "  wrote {} ({rows} sessions of replication 0)",
                path.display()
            );
        }
    }
    Ok(())
}
