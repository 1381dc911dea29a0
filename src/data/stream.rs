//! The byte streams under the CSV reader: the file's SHA-256 taken as it is
//! read (for provenance, in the same single pass), and its line ends made
//! one kind before the CSV parser sees them, so that a row's line number is
//! the one an editor shows whatever the file's line ends. The CSV parser
//! counts lines at `\n` only and, after a `\r\n`, dates the next row from
//! before its `\n`: every row of a CRLF file would be named one line early.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// A reader that hashes what passes through it (SHA-256), for provenance.
pub struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R> Hashing<R> {
    /// Hash what is read from `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The SHA-256 of the bytes read so far.
    pub fn digest(&self) -> [u8; 32] {
        self.hasher.clone().finalize().into()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A reader that gives `\r\n` and a lone `\r` as `\n`, the line ends of
/// Windows and of old Macs as those of Unix. A `\r` is given out as `\n` at
/// once and the `\n` that may follow it (in this read or the next) dropped,
/// so no byte is held back and the output is never longer than the input.
pub struct LineEnds<R> {
    inner: R,
    /// The last byte read was a `\r`.
    after_cr: bool,
}

impl<R> LineEnds<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            after_cr: false,
        }
    }

    /// The reader underneath.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut out = 0;
            for i in 0..n {
                let b = buf[i];
                if self.after_cr && b == b'\n' {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[out] = if self.after_cr { b'\n' } else { b };
                out += 1;
            }
            // A read of nothing but the `\n` of a `\r\n` split across two
            // reads gives nothing: read on, since 0 would mean the end.
            if out > 0 {
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input` read through `LineEnds` `chunk` bytes at a time.
    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        LineEnds::new(Chunks(input, chunk))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn every_line_end_reads_as_one_newline_however_the_reads_fall() {
        let input = b"a,b\r\nc\rd\n\r\n\re\r";
        for chunk in 1..=input.len() {
            assert_eq!(
                through(input, chunk),
                b"a,b\nc\nd\n\n\ne\n",
                "chunk {chunk}"
            );
        }
        assert_eq!(through(b"\r\n", 1), b"\n");
        assert_eq!(through(b"", 1), b"");
    }
}
