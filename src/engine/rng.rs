//! Random-number streams. Every stream is derived from (seed, replication,
//! purpose, index) alone, so a stream's draws never depend on what other streams
//! did: two policies run on the same (seed, replication) see identical arrivals
//! and session attributes (common random numbers). Where draws are many and
//! their order is not fixed by the model (every worker's load noise at every
//! sample), each draw has its own generator, keyed by what it is for
//! ([`keyed`]): no order of evaluation, and nothing else in the run, can
//! change it.

use rand::SeedableRng;
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

/// The generator every stream uses: fast, small state, good statistical quality.
pub type SimRng = Xoshiro256PlusPlus;

/// What a stream is for; each purpose has its own family of streams.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Purpose {
    /// Inter-arrival draws of one population.
    Arrivals = 1,
    /// Per-session attributes of one population (city, length, patience, delays, jitter).
    Attributes = 2,
    /// The dispatch policy's own randomness.
    Policy = 3,
    /// Draws for sessions moved by timeline events (failover patience, delays).
    Timeline = 4,
    /// The worker layer: worker picks, process and provisioning times.
    Workers = 5,
    /// The noise on one deployment's workers' load samples (counter-based,
    /// see [`keyed`]).
    LoadNoise = 6,
}

/// SplitMix64 finaliser: a bijective mixer with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of (seed, replication, purpose, index): what seeds its stream.
pub fn stream_key(seed: u64, replication: u32, purpose: Purpose, index: u32) -> u64 {
    mix64(mix64(mix64(seed) ^ replication as u64) ^ ((purpose as u64) << 32 | index as u64))
}

/// The stream for (seed, replication, purpose, index).
pub fn stream(seed: u64, replication: u32, purpose: Purpose, index: u32) -> SimRng {
    SimRng::seed_from_u64(stream_key(seed, replication, purpose, index))
}

/// The generator of one keyed draw: SplitMix64, whose state is the mixed key
/// itself, so a draw costs a few multiplications rather than the seeding of
/// a [`SimRng`] (the normal's ziggurat takes one output in about 99 % of draws).
pub type KeyedRng = SplitMix64;

/// The key of `item`'s draws in the family `key` (a [`stream_key`]), computed
/// once per item.
#[inline]
pub fn item_key(key: u64, item: u64) -> u64 {
    mix64(key ^ item)
}

/// The key of draw number `counter` of every item, computed once per counter
/// (one sample instant serves all of a pool's workers). Mixed, so that no two
/// items' sequences line up: with the bare counter, items whose keys differ
/// only in low bits would see each other's draws shifted in time.
#[inline]
pub fn counter_key(counter: u64) -> u64 {
    mix64(counter ^ 0xC2B2_AE3D_27D4_EB4F)
}

/// The generator of one draw of the item keyed `item` (an [`item_key`]) at
/// the counter keyed `counter` (a [`counter_key`]): a counter-based stream, a
/// pure function of (family, item, counter), so the draw is the same
/// whenever and in whatever order it is made. Its first output is
/// `mix64(item ^ counter)`.
#[inline]
pub fn keyed(item: u64, counter: u64) -> KeyedRng {
    KeyedRng::seed_from_u64(item ^ counter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_every_coordinate_and_repeat_exactly() {
        let first = |s: &mut SimRng| s.random::<u64>();
        let base = first(&mut stream(1, 0, Purpose::Arrivals, 0));
        assert_eq!(base, first(&mut stream(1, 0, Purpose::Arrivals, 0)));
        for other in [
            stream(2, 0, Purpose::Arrivals, 0),
            stream(1, 1, Purpose::Arrivals, 0),
            stream(1, 0, Purpose::Attributes, 0),
            stream(1, 0, Purpose::Arrivals, 1),
        ] {
            let mut o = other;
            assert_ne!(base, first(&mut o));
        }
    }

    #[test]
    fn keyed_draws_repeat_in_any_order_and_differ_by_every_coordinate() {
        let key = stream_key(1, 0, Purpose::LoadNoise, 0);
        let draw =
            |k: u64, item: u64, c: u64| keyed(item_key(k, item), counter_key(c)).random::<u64>();
        let forward: Vec<u64> = (0..50).map(|c| draw(key, 3, c)).collect();
        let backward: Vec<u64> = (0..50).rev().map(|c| draw(key, 3, c)).collect();
        assert!(forward.iter().eq(backward.iter().rev()));
        let base = draw(key, 3, 7);
        for other in [
            draw(stream_key(2, 0, Purpose::LoadNoise, 0), 3, 7),
            draw(stream_key(1, 1, Purpose::LoadNoise, 0), 3, 7),
            draw(stream_key(1, 0, Purpose::LoadNoise, 1), 3, 7),
            draw(key, 4, 7),
            draw(key, 3, 8),
        ] {
            assert_ne!(base, other);
        }
    }
}
