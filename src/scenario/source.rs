//! A scenario file's bytes and text: read with the size limit whatever the
//! file type (a device or an endless pipe is refused, not read forever),
//! a UTF-8 byte-order mark dropped (editors on Windows write one; it carries
//! no meaning in JSON), and bytes that are not UTF-8 located at the first one,
//! so every way of reading a scenario ends in the same located complaint.

use std::path::{Path, PathBuf};

use super::error::{Invalid, ScenarioError};
use super::limits::MAX_FILE_BYTES;
use super::scan::line_col;
use crate::input::{read_limited, ReadError};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn invalid(file: &Path, pos: Option<(usize, usize)>, message: String) -> ScenarioError {
    ScenarioError::Invalid(Box::new(Invalid {
        file: file.to_path_buf(),
        path: String::new(),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        message,
    }))
}

/// The bytes of scenario file `path`, at most [`MAX_FILE_BYTES`] of them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ScenarioError> {
    read_limited(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::Io(error) => ScenarioError::Io {
            file: path.to_path_buf(),
            error,
        },
        ReadError::TooLarge { size, limit } => {
            let what = match size {
                Some(size) => format!("the file has {size} bytes"),
                None => "the file goes on past the limit (a device or an endless pipe?)".into(),
            };
            let message = format!(
                "{what}; a scenario may have at most {limit} bytes (docs/scenarios.md, limits)"
            );
            invalid(path, None, message)
        }
    })
}

/// `bytes` as text, without a leading byte-order mark; `file` names it in the
/// complaint about bytes that are not UTF-8.
pub fn decode<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, ScenarioError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let message = match e.error_len() {
            Some(_) => format!(
                "the byte 0x{:02X} is not UTF-8 text; save the file as UTF-8",
                bytes[at]
            ),
            None => "the file ends inside a UTF-8 character (truncated?); save the file as UTF-8"
                .to_string(),
        };
        invalid(file, Some(line_col(bytes, at)), message)
    })
}

/// A scenario file read once. A command validates these bytes, stamps their
/// digest into its outputs and writes a plan back from them, so everything it
/// writes describes what it simulated, even if the file changes meanwhile.
#[derive(Debug, Clone)]
pub struct Source {
    path: PathBuf,
    bytes: Vec<u8>,
    sha256: String,
}

impl Source {
    /// Read scenario file `path` as [`read_bytes`] does.
    pub fn read(path: &Path) -> Result<Self, ScenarioError> {
        Ok(Self::of_bytes(path, read_bytes(path)?))
    }

    /// `bytes` as the content of a scenario file named `path`.
    pub fn of_bytes(path: &Path, bytes: Vec<u8>) -> Self {
        let sha256 = crate::input::sha256_hex(&bytes);
        Self {
            path: path.to_path_buf(),
            bytes,
            sha256,
        }
    }

    /// The file as given on the command line.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes read.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// SHA-256 of the bytes, lowercase hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The bytes as text, as [`decode`] gives it.
    pub fn text(&self) -> Result<&str, ScenarioError> {
        decode(&self.path, &self.bytes)
    }
}

/// The text of scenario file `path`, read as [`read_bytes`] and [`decode`] do.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let bytes = read_bytes(path)?;
    decode(path, &bytes).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_bytes_located() {
        let f = Path::new("f.json");
        assert_eq!(decode(f, b"\xEF\xBB\xBF{}").unwrap(), "{}");
        let e = decode(f, b"{\n  \"a\xFF\": 1}").unwrap_err();
        let i = e.invalid().unwrap();
        assert_eq!((i.line, i.column), (Some(2), Some(5)));
        assert!(i.message.contains("0xFF"), "{}", i.message);
        let e = decode(f, b"\"\xE2\x82").unwrap_err();
        assert!(e.to_string().contains("ends inside"), "{e}");
    }
}
