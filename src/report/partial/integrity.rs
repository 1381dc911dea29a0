//! A part is checked whole before any of its content is trusted: its closing
//! line read from the end of the file, the SHA-256 of every byte before it
//! recomputed in fixed-size blocks (whatever the length of a line), and the
//! header's counts checked against each other. One changed byte anywhere is
//! refused here, before a unit line is parsed or anything is allocated from a
//! number it holds; the unit lines then face the layout checks of
//! [`super::stats`] too, for a part whose checksum was recomputed after an edit.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{hex, part_error, EndLine, PartError, PartHeader};
use crate::experiment::shard::MAX_SHARDS;

/// The longest closing line looked for at the end of a part (it is about 100
/// bytes: a unit count and a 64-digit hash).
const MAX_END_LINE: u64 = 512;

/// Block size of the checksum pass.
const BLOCK: usize = 1 << 16;

/// The closing line's unit count, once the SHA-256 it carries matches every
/// byte before it.
pub(super) fn verify(file: &Path) -> Result<u64, PartError> {
    let fail = |p: String| part_error(file, p);
    let io = |e: std::io::Error| part_error(file, format!("cannot read: {e}"));
    let mut f = fs::File::open(file).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    let tail_len = size.min(MAX_END_LINE + 1);
    f.seek(SeekFrom::Start(size - tail_len)).map_err(io)?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail).map_err(io)?;
    let no_end = || fail("truncated: it ends without its closing line".into());
    let body = tail.strip_suffix(b"\n").ok_or_else(no_end)?;
    let start = body.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
    let start = match start {
        Some(i) => i,
        None if tail_len == size => 0,
        None => return Err(no_end()),
    };
    let end: EndLine = std::str::from_utf8(&body[start..])
        .ok()
        .and_then(|t| serde_json::from_str(t).ok())
        .ok_or_else(no_end)?;
    let hashed = size - tail_len + start as u64;
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut hash = Sha256::new();
    let mut left = hashed;
    let mut buf = vec![0u8; BLOCK];
    while left > 0 {
        let n = left.min(BLOCK as u64) as usize;
        f.read_exact(&mut buf[..n]).map_err(io)?;
        hash.update(&buf[..n]);
        left -= n as u64;
    }
    if hex(&hash.finalize()) != end.end.sha256 {
        return Err(fail(
            "corrupted: its content does not match its SHA-256".into(),
        ));
    }
    Ok(end.end.units)
}

/// The header's own numbers agree with each other and with the closing line's
/// unit count (`units`).
pub(super) fn check_header(file: &Path, h: &PartHeader, units: u64) -> Result<(), PartError> {
    let [start, end] = h.units;
    let [k, n] = h.shard;
    let problem = if start > end || end > h.total_units {
        format!(
            "its header holds units {start}..{end} of a study of {}",
            h.total_units
        )
    } else if k >= n || n > MAX_SHARDS {
        format!("its header names shard {k} of {n} (0 <= index < count <= {MAX_SHARDS})")
    } else if h.stats_per_unit == 0 {
        "its header holds no statistics per unit".into()
    } else if end - start != units {
        format!(
            "truncated or altered: the header promises {} units, the closing line {units}",
            end - start
        )
    } else {
        return Ok(());
    };
    Err(part_error(file, problem))
}
