//! Commands about the tool itself, for editors and shells: the scenario JSON
//! Schema, shell completions and the man page, each generated from the
//! definitions the tool runs on (the parsing types, the clap command line), so
//! they cannot drift from it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

#[derive(Args)]
pub struct CompletionsArgs {
    /// Shell to generate for.
    shell: Shell,
}

/// Write `bytes` to standard output, the one way every command prints. A
/// reader that stopped reading (`regionsim validate --list | head -3`) ends
/// the output quietly, as a pipe's reader expects: `println!` panicked there.
pub(super) fn print(bytes: impl AsRef<[u8]>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes.as_ref()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
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

#[derive(Args)]
pub struct ManArgs {
    /// Write the pages into this folder instead of printing the top-level one:
    /// regionsim.1 and one regionsim-<command>.1 per command (created if
    /// missing; pages already there are replaced).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// `regionsim man [--dir DIR]`.
pub fn man(args: ManArgs, cmd: clap::Command) -> Result<()> {
    let cmd = cmd.disable_help_subcommand(true);
    let Some(dir) = args.dir else {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut buf)
            .context("cannot render the man page")?;
        return print(&buf);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(cmd, &dir)
        .with_context(|| format!("cannot write the man pages into {}", dir.display()))
}
