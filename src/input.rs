//! Reading input files with a bound. Every input (scenario files, partial
//! results) has a documented largest size, and nothing is read past it,
//! whatever the file type: a special file such as `/dev/zero` or a pipe that
//! never ends would otherwise grow memory without limit or hang a command. A
//! regular file's length is checked before reading; every read then takes at
//! most the limit plus one byte, so an endless source is refused as too large.

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system's error (missing file, no permission, ...).
    #[error("{}", os_text(.0))]
    Io(#[from] io::Error),
    /// More bytes than `limit`: `size` when the file says so before reading,
    /// none for a source read up to the limit (a device, a pipe).
    #[error("{}", too_large(*size, *limit))]
    TooLarge {
        /// The file's length, when it is a regular file.
        size: Option<u64>,
        /// The most accepted.
        limit: u64,
    },
}

fn too_large(size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!("it has {size} bytes, more than the {limit} allowed"),
        None => {
            format!("it holds more than the {limit} bytes allowed (a device or an endless pipe?)")
        }
    }
}

/// The OS error's own words, without std's "(os error N)" tail.
pub fn os_text(e: &io::Error) -> String {
    let s = e.to_string();
    s.find(" (os error")
        .map_or(s.clone(), |i| s[..i].to_string())
}

/// The whole content of `path`, refused above `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path)?;
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > limit {
            return Err(ReadError::TooLarge {
                size: Some(meta.len()),
                limit,
            });
        }
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// The next line of `reader` without its line ending (`\n` or `\r\n`), `None`
/// at the end; a line longer than `limit` bytes is refused after reading at
/// most `limit + 1` of them.
pub fn read_line(reader: &mut impl BufRead, limit: u64) -> Option<Result<String, ReadError>> {
    let mut line = Vec::new();
    match reader
        .by_ref()
        .take(limit.saturating_add(1))
        .read_until(b'\n', &mut line)
    {
        Ok(0) => return None,
        Ok(_) => {}
        Err(e) => return Some(Err(e.into())),
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if line.len() as u64 > limit {
        return Some(Err(ReadError::TooLarge { size: None, limit }));
    }
    Some(
        String::from_utf8(line).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, "a line is not UTF-8 text").into()
        }),
    )
}

/// Lower-case hex of a digest's bytes: how every file digest (scenario
/// provenance, data files, partial results) is written.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A short, one-line rendering of user text for messages: its first 40
/// characters, those a terminal would act on escaped (see [`push_visible`]).
/// The one rendering of quoted input in every message, whatever the file.
pub fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(40) {
        push_visible(&mut out, c);
    }
    if s.chars().count() > 40 {
        out.push_str("...");
    }
    out
}

/// The names in `known` closest to `name` by edit distance: those at the
/// least distance, if it is within a third of `name`'s length (at least 2),
/// at most three, in their order. The "did you mean" of a message refusing a
/// name, in place of a list too long for one line.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let most = (name.chars().count() / 3).max(2);
    let near: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|&(d, _)| d <= most)
        .collect();
    let best = near.iter().map(|&(d, _)| d).min();
    let mut out: Vec<&str> = near
        .into_iter()
        .filter(|&(d, _)| Some(d) == best)
        .map(|(_, k)| k)
        .collect();
    out.dedup();
    out.truncate(3);
    out
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// `s` whole, with what a terminal would act on escaped: the last guard
/// before an error reaches the terminal, whatever text it quotes.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_visible(&mut out, c);
    }
    out
}

/// `c` as shown in a message: escaped (`\n`, `\u{1b}`) when a terminal acts
/// on it rather than shows it.
pub fn push_visible(out: &mut String, c: char) {
    if hidden(c) {
        out.extend(c.escape_default());
    } else {
        out.push(c);
    }
}

/// Characters a terminal acts on rather than shows: control characters (line
/// breaks, the escape starting colour and cursor sequences) and the
/// bidirectional overrides that reorder what follows them.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_are_within_a_third_of_the_name_closest_first() {
        let known = [
            "overflow_rate",
            "rejection_rate",
            "abandonment_rate",
            "regions",
        ];
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(closest("overflow_rat", known), ["overflow_rate"]);
        // Only the nearest: `overflow` is 4 edits away, within reach but further.
        assert_eq!(
            closest("overflow_rat", ["overflow", "overflow_rate"]),
            ["overflow_rate"]
        );
        assert_eq!(closest("rejection_rates", known), ["rejection_rate"]);
        assert!(closest("nope", known).is_empty());
        assert_eq!(closest("x", ["a", "b", "c", "d"]), ["a", "b", "c"]);
    }

    #[test]
    fn lines_past_the_limit_are_refused() {
        let mut r = io::Cursor::new(b"abc\r\n\ndefg\nxy".to_vec());
        assert_eq!(read_line(&mut r, 4).unwrap().unwrap(), "abc");
        assert_eq!(read_line(&mut r, 4).unwrap().unwrap(), "");
        assert_eq!(read_line(&mut r, 4).unwrap().unwrap(), "defg");
        assert_eq!(read_line(&mut r, 4).unwrap().unwrap(), "xy");
        assert!(read_line(&mut r, 4).is_none());
        let mut r = io::Cursor::new(b"abcde\n".to_vec());
        assert!(matches!(
            read_line(&mut r, 4),
            Some(Err(ReadError::TooLarge { .. }))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_at_the_limit() {
        let e = read_limited(Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(
            e,
            ReadError::TooLarge {
                size: None,
                limit: 1000
            }
        ));
        assert!(e.to_string().contains("more than the 1000 bytes"), "{e}");
    }
}
