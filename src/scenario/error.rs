//! The one error type of scenario loading: it names the file, the JSON path, the
//! line and column where known, and what is allowed.

use std::fmt;
use std::path::PathBuf;

use crate::input::os_text;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the scenario file: {}", file.display(), os_text(error))]
    Io {
        /// The file.
        file: PathBuf,
        /// The OS error (not a `source`: its text is in the message once).
        error: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{0}")]
    Invalid(Box<Invalid>),
}

/// A located complaint about a scenario's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The file (or a stand-in name for text not read from disk).
    pub file: PathBuf,
    /// JSON path of the offending value, e.g. `populations[2].rate.peak_per_hour`;
    /// empty for the document as a whole.
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if !self.path.is_empty() {
            write!(f, ": at `{}`", super::messages::show_path(&self.path))?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl ScenarioError {
    /// A complaint about the value at JSON `path` of `file` that a command's
    /// own rule finds after loading (the planner refusing worker deployments,
    /// say), located in the file like the loader's own complaints.
    pub fn at(file: &std::path::Path, path: &str, message: &str) -> Self {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let pos = super::locate::locate(&text, path).filter(|_| !text.is_empty());
        Self::Invalid(Box::new(Invalid {
            file: file.to_path_buf(),
            path: path.to_string(),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            message: message.to_string(),
        }))
    }

    /// The located complaint, if the file was readable.
    pub fn invalid(&self) -> Option<&Invalid> {
        match self {
            Self::Invalid(i) => Some(i),
            Self::Io { .. } => None,
        }
    }
}
