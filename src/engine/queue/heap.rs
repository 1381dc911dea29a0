//! The 4-ary min-heap under the event list: entries ordered by their 128-bit
//! key, popped by moving the hole from the root to a leaf along the smallest
//! children, then sifting the last entry up from there (two compare latencies
//! per level, half the levels of a binary heap). `replace_top` lets the event
//! list refill a root it handed out without a pop's walk plus a push's.

use super::{Entry, MainHeap};

/// A 4-ary min-heap of entries. Popping moves the hole from the root to a leaf
/// along the smallest children (a tournament of the four keys per level, so two
/// compare latencies per level, half as many levels as a binary heap), then
/// sifts the last entry up from that leaf: the chain of dependent loads that
/// bounds a pop is half as long as in a binary heap.
#[derive(Debug, Default)]
pub struct QuadHeap {
    pub(super) v: Vec<Entry>,
}

impl MainHeap for QuadHeap {
    fn with_room(n: usize) -> Self {
        QuadHeap::with_capacity(n)
    }

    #[inline]
    fn peek(&self) -> Option<&Entry> {
        self.v.first()
    }

    #[inline]
    fn len(&self) -> usize {
        self.v.len()
    }

    #[inline]
    fn push(&mut self, e: Entry) {
        let i = self.v.len();
        self.v.push(e);
        self.sift_up(i, e);
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry> {
        let last = self.v.pop()?;
        let Some(&top) = self.v.first() else {
            return Some(last);
        };
        self.refill_root(last);
        Some(top)
    }

    fn take_all(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.v)
    }
}

impl QuadHeap {
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            v: Vec::with_capacity(n),
        }
    }

    #[inline]
    fn sift_up(&mut self, mut i: usize, e: Entry) {
        let key = e.key();
        while i > 0 {
            let p = (i - 1) / 4;
            if self.v[p].key() <= key {
                break;
            }
            self.v[i] = self.v[p];
            i = p;
        }
        self.v[i] = e;
    }

    /// Put `e` in place of the root (which the caller took): one walk down
    /// instead of a pop's walk down and a push's walk up.
    #[inline]
    pub(super) fn replace_top(&mut self, e: Entry) {
        if self.v.is_empty() {
            self.v.push(e);
        } else {
            self.refill_root(e);
        }
    }

    /// Fill the hole at the root with `e`: the hole moves down to a leaf along
    /// the smallest children, then `e` sifts up from there.
    #[inline(always)]
    fn refill_root(&mut self, e: Entry) {
        let v = &mut self.v[..];
        let n = v.len();
        let mut i = 0;
        loop {
            let c = 4 * i + 1;
            let m = if c + 3 < n {
                let (k0, k1, k2, k3) = (v[c].key(), v[c + 1].key(), v[c + 2].key(), v[c + 3].key());
                let (a, ka) = if k1 < k0 { (c + 1, k1) } else { (c, k0) };
                let (b, kb) = if k3 < k2 { (c + 3, k3) } else { (c + 2, k2) };
                if kb < ka {
                    b
                } else {
                    a
                }
            } else if c < n {
                let mut m = c;
                for j in c + 1..n {
                    if v[j].key() < v[m].key() {
                        m = j;
                    }
                }
                v[i] = v[m];
                i = m;
                break;
            } else {
                break;
            };
            v[i] = v[m];
            i = m;
        }
        self.sift_up(i, e);
    }
}
