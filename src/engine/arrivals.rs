//! Arrivals: each population's own random streams and where its rate
//! inversion stands, and how its next arrival is drawn and scheduled. One
//! record per population, so an arrival indexes one array, not three.

use rand_distr::{Distribution, Exp1};

use super::queue::{EventQueue, Kind, MainHeap};
use super::rng::SimRng;
use crate::model::rate::RateCursor;
use crate::model::{surge, Population, World};

/// A population's own random streams and rate cursor.
pub(super) struct Source {
    pub(super) arrivals: SimRng,
    pub(super) attributes: SimRng,
    pub(super) cursor: RateCursor,
}

/// The time of population `pop`'s next arrival after `after`, if any: one
/// draw from its arrival stream, inverted through its rate (and surges).
#[inline(always)]
pub(super) fn next_arrival(pop: &Population, src: &mut Source, after: f64) -> Option<f64> {
    let e: f64 = Exp1.sample(&mut src.arrivals);
    if pop.surges.is_empty() {
        pop.rate.next_arrival(&mut src.cursor, after, e)
    } else {
        surge::next_arrival(&pop.rate, &pop.surges, &mut src.cursor, after, e)
    }
}

/// Schedule population `p`'s arrival at `next`, if it comes within the horizon.
#[inline(always)]
pub(super) fn push_arrival<H: MainHeap>(
    queue: &mut EventQueue<H>,
    world: &World,
    p: usize,
    next: Option<f64>,
) {
    if let Some(t) = next {
        if t <= world.run().horizon_s {
            queue.push(t, Kind::Arrival, p as u32, 0);
        }
    }
}
