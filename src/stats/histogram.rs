//! A streaming distribution of non-negative values in milliseconds: exact count,
//! sum and maximum, and an HDR histogram (0.1 % relative precision) for
//! percentiles. Bounded memory whatever the number of values; merging is exact.
//!
//! The counts are allocated lazily in chunks of 256 as values land in them: a
//! population's RTTs take a handful of distinct values and its join latencies
//! span a few octaves, so a distribution holds a few kB instead of the 229 kB
//! of the full layout (three per population, per replication in flight).
//! The answers are unchanged: queries see the same counts.
//!
//! Recording is on the engine's hot path (three values per served session), so
//! the counts live in a plain array with the `hdrhistogram` crate's exact bucket
//! layout (3 significant digits, lowest value 1) and one record is a
//! leading-zero count, a shift and an increment. Values often repeat exactly (a
//! zero wait, a zero join delay, the fixed RTT of a city's home region), so the
//! latest value and how many times in a row it came are held aside as a run and
//! reach the counts only when another value arrives or the counts are read: a
//! repeat costs a compare and an increment. Queries, which run once per
//! report, walk the counts as the crate does (its quantile rule: the bucket
//! where the count reaches ceil(q x total), answered by its highest value).
//! Layout and queries are both owned here; the crate is only the oracle the
//! unit tests compare them with, so no upgrade of it can split the two.

/// Values are stored in microseconds of the reported millisecond unit.
const SCALE: f64 = 1000.0;
/// Highest trackable value: 10^11 us = about 28 hours; larger values saturate.
const HIGHEST: u64 = 100_000_000_000;
/// 3 significant digits need 2048 sub-buckets; half of them per bucket after the first.
const SUB_BUCKET_BITS: u32 = 11;
const HALF_BITS: u32 = SUB_BUCKET_BITS - 1;
const SUB_BUCKET_MASK: u64 = (1 << SUB_BUCKET_BITS) - 1;
/// Number of counts the crate allocates for these bounds (checked by a test).
const LEN: usize = {
    let mut smallest_untrackable: u64 = 1 << SUB_BUCKET_BITS;
    let mut buckets = 1;
    while smallest_untrackable <= HIGHEST {
        smallest_untrackable <<= 1;
        buckets += 1;
    }
    (buckets + 1) << HALF_BITS
};

/// Values below this have an index inside the counts (first value past the last index).
const IN_RANGE: f64 = ((1u64 << (SUB_BUCKET_BITS - 1)) << (LEN / (1 << HALF_BITS) - 1)) as f64;

/// The highest value counted at index `i`: its lowest plus the width of its
/// bucket (1 in the first, doubling in each after), less one.
fn highest_of(i: usize) -> u64 {
    let bucket = ((i >> HALF_BITS) as u32).saturating_sub(1);
    value_of(i) + (1u64 << bucket) - 1
}

/// The crate's counts index of value `v` (lowest discernible value 1).
#[inline(always)]
fn index_of(v: u64) -> usize {
    let bucket = (64 - SUB_BUCKET_BITS) - (v | SUB_BUCKET_MASK).leading_zeros();
    let sub = (v >> bucket) as usize;
    ((bucket as usize + 1) << HALF_BITS) + sub - (1 << HALF_BITS)
}

/// The counts index of a value in ms, saturating like the crate's record.
fn counts_index(ms: f64) -> usize {
    let x = ms * SCALE;
    if (0.0..IN_RANGE).contains(&x) {
        // In range, so the cheap signed conversion is exact (truncation).
        index_of(x as i64 as u64)
    } else if x >= IN_RANGE {
        // Like the crate's saturating record: out of range counts at the highest value.
        index_of(HIGHEST)
    } else {
        0 // negative or NaN: as the crate's `as u64` cast gives 0
    }
}

/// The lowest value that lands in counts index `i`.
fn value_of(i: usize) -> u64 {
    let bucket = (i >> HALF_BITS) as i64 - 1;
    let sub = (i & ((1 << HALF_BITS) - 1)) as u64 + (1 << HALF_BITS);
    if bucket < 0 {
        sub - (1 << HALF_BITS)
    } else {
        sub << bucket
    }
}

/// Counts per chunk, a power of two so a record splits its index with a shift.
const CHUNK_BITS: u32 = 8;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Bytes of one chunk of counts.
pub const CHUNK_BYTES: usize = CHUNK * std::mem::size_of::<u64>();

/// The chunks of counts values from `lo_ms` to `hi_ms` can land in, and the
/// index of the highest plus one (the length of a distribution's chunk
/// list holding them): what a distribution of such values can allocate.
pub fn chunks_spanned(lo_ms: f64, hi_ms: f64) -> (usize, usize) {
    let (lo, hi) = (
        counts_index(lo_ms) >> CHUNK_BITS,
        counts_index(hi_ms) >> CHUNK_BITS,
    );
    (hi.saturating_sub(lo) + 1, hi + 1)
}

/// A distribution's exact content: its non-zero counts as (counts index,
/// count), ascending, and the exact count, sum and maximum.
#[derive(Debug, Clone, PartialEq)]
pub struct DistParts {
    /// (counts index, count) of every non-zero count, ascending.
    pub counts: Vec<(usize, u64)>,
    /// Number of values.
    pub count: u64,
    /// Exact sum of the values, ms.
    pub sum: f64,
    /// Largest value (0 when empty).
    pub max: f64,
}

/// Streaming distribution of millisecond values.
#[derive(Clone)]
pub struct Distribution {
    /// Counts index `i` lives in `chunks[i / CHUNK][i % CHUNK]`; chunks no value
    /// reached are `None`, and the vector ends at the highest chunk reached.
    chunks: Vec<Option<Box<[u64; CHUNK]>>>,
    /// Bits of the latest value recorded (ms) and how many times in a row it
    /// came, not yet in `chunks` (0 times: no run).
    run_bits: u64,
    run_len: u64,
    count: u64,
    sum: f64,
    max: f64,
}

impl std::fmt::Debug for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Distribution")
            .field("count", &self.count)
            .field("sum", &self.sum)
            .field("max", &self.max)
            .finish_non_exhaustive()
    }
}

impl Default for Distribution {
    fn default() -> Self {
        Self::new()
    }
}

impl Distribution {
    /// An empty distribution.
    pub fn new() -> Self {
        Self {
            chunks: Vec::new(),
            run_bits: 0,
            run_len: 0,
            count: 0,
            sum: 0.0,
            max: 0.0,
        }
    }

    /// Add one value (ms).
    #[inline]
    pub fn record(&mut self, ms: f64) {
        let bits = ms.to_bits();
        if bits == self.run_bits {
            self.run_len += 1;
        } else {
            self.start_run(bits);
        }
        self.count += 1;
        self.sum += ms;
        if ms > self.max {
            self.max = ms;
        }
    }

    /// Put the run held aside into the counts and start a new one of `bits`.
    /// Out of line: the hot caller stays small for repeats.
    #[inline(never)]
    fn start_run(&mut self, bits: u64) {
        self.flush_run();
        self.run_bits = bits;
        self.run_len = 1;
    }

    /// Move the run held aside into the counts.
    fn flush_run(&mut self) {
        let n = std::mem::take(&mut self.run_len);
        if n > 0 {
            let i = counts_index(f64::from_bits(self.run_bits));
            let (c, o) = (i >> CHUNK_BITS, i & (CHUNK - 1));
            // The chunk exists for nearly every value after the first few:
            // reach it inline, and call out only to allocate.
            match self.chunks.get_mut(c) {
                Some(Some(chunk)) => chunk[o] += n,
                _ => self.chunk_mut(c)[o] += n,
            }
        }
    }

    /// This distribution with its run in the counts: what every reader of the
    /// counts sees (a copy of a few kB, once per query, only while a run is held).
    fn settled(&self) -> std::borrow::Cow<'_, Self> {
        if self.run_len == 0 {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut d = self.clone();
            d.flush_run();
            std::borrow::Cow::Owned(d)
        }
    }

    /// The chunk `c`, allocated on first use (off the hot path).
    #[cold]
    #[inline(never)]
    fn chunk_mut(&mut self, c: usize) -> &mut [u64; CHUNK] {
        if self.chunks.len() <= c {
            self.chunks.resize_with(c + 1, || None);
        }
        self.chunks[c].get_or_insert_with(|| Box::new([0; CHUNK]))
    }

    /// (counts index, count) of every non-zero count, ascending.
    fn nonzero(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.chunks.iter().enumerate().flat_map(|(c, chunk)| {
            chunk.iter().flat_map(move |counts| {
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &n)| n > 0)
                    .map(move |(o, &n)| ((c << CHUNK_BITS) + o, n))
            })
        })
    }

    /// The distribution as plain numbers, for carrying a replication's
    /// statistics between machines (sharded runs); [`Distribution::from_parts`]
    /// rebuilds it exactly.
    pub fn to_parts(&self) -> DistParts {
        DistParts {
            counts: self.settled().nonzero().collect(),
            count: self.count,
            sum: self.sum,
            max: self.max,
        }
    }

    /// Rebuild a distribution from [`Distribution::to_parts`]; None when a
    /// counts index lies outside the layout or the indices are not ascending.
    pub fn from_parts(p: &DistParts) -> Option<Self> {
        let mut d = Self::new();
        let mut last = None;
        for &(i, n) in &p.counts {
            if i >= LEN || last.is_some_and(|l| l >= i) {
                return None;
            }
            last = Some(i);
            d.chunk_mut(i >> CHUNK_BITS)[i & (CHUNK - 1)] = n;
        }
        d.count = p.count;
        d.sum = p.sum;
        d.max = p.max;
        Some(d)
    }

    /// Bytes of counts held: what this distribution costs beyond its fixed size.
    pub fn heap_bytes(&self) -> usize {
        let held = self.chunks.iter().flatten().count();
        self.chunks.capacity() * std::mem::size_of::<Option<Box<[u64; CHUNK]>>>()
            + held * std::mem::size_of::<[u64; CHUNK]>()
    }

    /// Fold another distribution in.
    pub fn merge(&mut self, other: &Distribution) {
        let other = &*other.settled();
        for (c, chunk) in other.chunks.iter().enumerate() {
            if let Some(theirs) = chunk {
                let ours = self.chunk_mut(c);
                for (a, b) in ours.iter_mut().zip(theirs.iter()) {
                    *a += b;
                }
            }
        }
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
    }

    /// The recorded counts in value order as (index, count), and the total
    /// count: what every query reads.
    fn buckets(&self) -> (Vec<(usize, u64)>, u64) {
        let b: Vec<(usize, u64)> = self.settled().nonzero().collect();
        let total = b.iter().map(|&(_, n)| n).sum();
        (b, total)
    }

    /// The q-quantile in the counts' unit from `buckets`, as hdrhistogram
    /// answers it: the bucket where the count reaches ceil(q x total) (at
    /// least the first value), its highest value (its lowest for q = 0).
    fn quantile_in(buckets: &[(usize, u64)], total: u64, q: f64) -> u64 {
        let q = q.min(1.0);
        let target = ((q * total as f64).ceil() as u64).max(1);
        let mut acc = 0;
        for &(i, n) in buckets {
            acc += n;
            if acc >= target {
                return if q == 0.0 { value_of(i) } else { highest_of(i) };
            }
        }
        buckets.last().map_or(0, |&(i, _)| highest_of(i))
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// Largest value seen.
    pub fn max(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.max
        }
    }

    /// The q-quantile, 0 <= q <= 1 (NaN when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            let (b, total) = self.buckets();
            Self::quantile_in(&b, total, q) as f64 / SCALE
        }
    }

    /// Several quantiles at once (NaN when empty): one rebuild of the histogram.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        if self.count == 0 {
            return [f64::NAN; N];
        }
        let (b, total) = self.buckets();
        qs.map(|q| Self::quantile_in(&b, total, q) as f64 / SCALE)
    }

    /// Share of values <= x (ms), within histogram precision.
    pub fn cdf(&self, x: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let v = (x * SCALE) as u64;
        let (b, total) = self.buckets();
        let below: u64 = b
            .iter()
            .filter(|&&(i, _)| highest_of(i) <= v)
            .map(|&(_, n)| n)
            .sum();
        below as f64 / total as f64
    }

    /// (value ms, cumulative share) points, one per recorded bucket: for CDF charts.
    pub fn cdf_points(&self) -> Vec<(f64, f64)> {
        let (b, total) = self.buckets();
        let mut acc = 0u64;
        b.iter()
            .map(|&(i, n)| {
                acc += n;
                (highest_of(i) as f64 / SCALE, acc as f64 / total as f64)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
