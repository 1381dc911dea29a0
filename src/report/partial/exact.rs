//! Numbers carried exactly: an f64 as its shortest round-trip text (read
//! back to the same bits), a distribution's parts, and the bit-for-bit
//! comparison the integrity checks use. A leaf shared by the run, series and
//! worker records, so they need not import one another for it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::stats::{DistParts, Distribution};

/// An f64 carried exactly, as text.
#[derive(Debug, Clone, Copy)]
pub struct F(pub f64);

impl Serialize for F {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for F {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse()
            .map(F)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

pub(super) fn fs(v: &[f64]) -> Vec<F> {
    v.iter().map(|&x| F(x)).collect()
}

pub(super) fn unfs(v: Vec<F>) -> Vec<f64> {
    v.into_iter().map(|x| x.0).collect()
}

/// Histogram counts as runs of consecutive indices, (first index, counts):
/// values cluster, so this takes a third of the room of (index, count) pairs.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DistRec {
    counts: Vec<(usize, Vec<u64>)>,
    count: u64,
    sum: F,
    max: F,
}

impl DistRec {
    pub(super) fn of(d: &Distribution) -> Self {
        let DistParts {
            counts,
            count,
            sum,
            max,
        } = d.to_parts();
        let mut runs: Vec<(usize, Vec<u64>)> = Vec::new();
        for (i, n) in counts {
            match runs.last_mut() {
                Some((start, c)) if *start + c.len() == i => c.push(n),
                _ => runs.push((i, vec![n])),
            }
        }
        Self {
            counts: runs,
            count,
            sum: F(sum),
            max: F(max),
        }
    }

    /// The distribution back; its counts must lie inside the histogram's
    /// layout and add up to its count.
    pub(super) fn build(self) -> Result<Distribution, String> {
        let mut total = Some(0u64);
        let counts = self
            .counts
            .into_iter()
            .flat_map(|(start, c)| {
                c.into_iter()
                    .enumerate()
                    .map(move |(o, n)| (start.saturating_add(o), n))
            })
            .inspect(|&(_, n)| total = total.and_then(|t| t.checked_add(n)))
            .collect();
        if total != Some(self.count) {
            return Err("a histogram's counts do not add up to its count".into());
        }
        Distribution::from_parts(&DistParts {
            counts,
            count: self.count,
            sum: self.sum.0,
            max: self.max.0,
        })
        .ok_or_else(|| "a histogram count lies outside the layout".to_string())
    }
}

/// The very same number (bit for bit: a part carries numbers exactly).
pub(super) fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}
