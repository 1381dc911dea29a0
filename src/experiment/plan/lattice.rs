//! A variable's lattice of allowed values, computed from the index on demand
//! (never listed), so bounds as wide as `0:4294967295` cost nothing until a
//! value is asked for and the search touches O(log width) of them.

/// The values `min + k stride` below `max`, then `max`, ascending; indexed
/// from 0 and never listed, so memory and time do not grow with the width of
/// the bounds (the search touches O(log width) of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lattice {
    min: u32,
    max: u32,
    stride: u64,
}

impl Lattice {
    /// The values `min + k stride` below `max`, then `max` (stride at least 1).
    pub(super) fn new(min: u32, max: u32, stride: u64) -> Self {
        Self {
            min,
            max,
            stride: stride.max(1),
        }
    }

    /// Number of values (at least 1).
    pub fn len(&self) -> u64 {
        u64::from(self.max.saturating_sub(self.min)).div_ceil(self.stride) + 1
    }

    /// Never empty: `max` is always a value.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Value `i` (`i < len()`; the last one is `max`).
    pub fn get(&self, i: u64) -> u32 {
        if i + 1 >= self.len() {
            self.max
        } else {
            // Below max, so it fits in u32.
            (u64::from(self.min) + i * self.stride) as u32
        }
    }

    /// Index of the smallest value >= x; None when x > max.
    pub fn ceil_index(&self, x: u32) -> Option<u64> {
        if x > self.max {
            return None;
        }
        Some(if x <= self.min {
            0
        } else {
            u64::from(x - self.min)
                .div_ceil(self.stride)
                .min(self.len() - 1)
        })
    }

    /// Index of the largest value <= x; None when x < min.
    pub fn floor_index(&self, x: u32) -> Option<u64> {
        if x < self.min {
            None
        } else if x >= self.max {
            Some(self.len() - 1)
        } else {
            Some(u64::from(x - self.min) / self.stride)
        }
    }

    /// Indices of the values in `lo..=hi` (first, last), if any.
    pub fn within(&self, lo: u32, hi: u32) -> Option<(u64, u64)> {
        let (a, b) = (self.ceil_index(lo)?, self.floor_index(hi)?);
        (a <= b).then_some((a, b))
    }

    /// Every value, ascending (for small lattices: the exhaustive grid).
    pub fn values(self) -> impl Iterator<Item = u32> {
        (0..self.len()).map(move |i| self.get(i))
    }
}
