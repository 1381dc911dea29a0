//! Commands about the tool itself, for editors and shells: the scenario JSON
//! Schema, shell completions and the man page, each generated from the
//! definitions the tool runs on (the parsing types, the clap command line), so
//! they cannot drift from it.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

#[derive(Args)]
pub struct CompletionsArgs {
    /// Shell to generate for.
    shell: Shell,
}

fn print(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// `regionsim schema`.
pub fn schema() -> Result<()> {
    print(regionsim::scenario::scenario_schema_text().as_bytes())
}

/// `regionsim completions SHELL`.
pub fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "regionsim", &mut buf);
    print(&buf)
}

/// `regionsim man`.
pub fn man(cmd: clap::Command) -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .context("cannot render the man page")?;
    print(&buf)
}
