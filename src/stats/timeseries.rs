//! Per-bin time series over the whole horizon (warm-up included, so its effect is
//! visible): outcome counts by bin of the event, and time-averaged and peak
//! concurrency and admission limit per *lane*: each region, then (when the world's
//! supply changes in time or a region has several deployments) each deployment;
//! and, when asked for (the planner's runs), outcome counts per population.
//! Size depends on horizon / bin width, the lanes and the populations only.

/// Outcome counts of one bin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BinCounts {
    /// Sessions that arrived.
    pub arrivals: u64,
    /// Sessions that got an agent.
    pub served: u64,
    /// Of those, served outside their home region.
    pub overflow: u64,
    /// Sessions rejected.
    pub rejected: u64,
    /// Sessions that gave up waiting.
    pub abandoned: u64,
    /// Running sessions cut (drain end, outage).
    pub interrupted: u64,
    /// Running sessions whose agent failed, sent to be dispatched again.
    pub redispatched: u64,
}

/// One population's outcome counts in one bin, and the media RTT its served
/// sessions got there: what a per-population target is checked hour by hour
/// against, and what a plan's population table reads.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PopulationBin {
    /// Sessions that arrived.
    pub arrivals: u64,
    /// Sessions that got an agent.
    pub served: u64,
    /// Of those, served outside their home region.
    pub overflow: u64,
    /// Sessions rejected.
    pub rejected: u64,
    /// Sessions that gave up waiting.
    pub abandoned: u64,
    /// Sum of the served sessions' media RTT, ms (a mean per bin: a
    /// distribution per population and bin would cost a histogram each).
    pub rtt_sum_ms: f64,
}

impl PopulationBin {
    /// Add another bin's counts (the same population and bin of another run,
    /// or another bin of the same UTC hour).
    pub fn add(&mut self, o: &PopulationBin) {
        let PopulationBin {
            arrivals,
            served,
            overflow,
            rejected,
            abandoned,
            rtt_sum_ms,
        } = o;
        self.arrivals += arrivals;
        self.served += served;
        self.overflow += overflow;
        self.rejected += rejected;
        self.abandoned += abandoned;
        self.rtt_sum_ms += rtt_sum_ms;
    }
}

/// The bin holding t among bins of `bin_s` seconds, on the bins' own
/// boundaries: bin b covers [b x bin_s, (b + 1) x bin_s), the products being
/// what every bin's start and end are computed as. The quotient `t / bin_s`
/// alone can round to just below a whole number at a boundary (bins of
/// `0.1` s: 43 x 0.1 / 0.1 < 43), which would put t in the bin ending there,
/// and a walk over bins that stepped to that end would never leave it.
#[inline]
pub fn bin_of(t: f64, bin_s: f64) -> usize {
    let b = (t / bin_s) as usize;
    if b.saturating_add(1) as f64 * bin_s <= t {
        b.saturating_add(1)
    } else if b > 0 && b as f64 * bin_s > t {
        b - 1
    } else {
        b
    }
}

/// The bin an instant last fell in and its bounds, so that the many
/// instants of one bin are placed without a division: an instant in
/// `[lo, hi)` is in `bin`, exactly as [`bin_of`] would say (its bounds are
/// the very products `bin_of` compares with).
#[derive(Debug, Clone, Copy, Default)]
pub struct BinCursor {
    bin: usize,
    lo: f64,
    hi: f64,
}

impl BinCursor {
    /// The bin of `t` and its end, `(bin + 1) x bin_s`.
    #[inline]
    pub fn find(&mut self, t: f64, bin_s: f64) -> (usize, f64) {
        if !(t >= self.lo && t < self.hi) {
            let b = bin_of(t, bin_s);
            (self.bin, self.lo, self.hi) =
                (b, b as f64 * bin_s, b.saturating_add(1) as f64 * bin_s);
        }
        (self.bin, self.hi)
    }
}

/// A lane's current bin and what it has integrated there so far.
#[derive(Debug, Clone, Copy)]
struct OpenCell {
    bin: usize,
    end: f64,
    busy: f64,
    limit: f64,
    peak: u32,
}

impl OpenCell {
    fn at(bin: usize, bin_s: f64) -> Self {
        Self {
            bin,
            end: (bin + 1) as f64 * bin_s,
            busy: 0.0,
            limit: 0.0,
            peak: 0,
        }
    }

    #[inline(always)]
    fn add(&mut self, dt: f64, level: u32, limit: u32) {
        self.busy += level as f64 * dt;
        self.limit += limit as f64 * dt;
        // A max, not a branch: the compiler keeps it branch-free (the level
        // goes up and down at random, so a branch mispredicts often).
        self.peak = self.peak.max(level);
    }
}

/// The time series of one run (or the sum of several).
#[derive(Debug, Clone)]
pub struct TimeSeries {
    /// Bin width, seconds.
    pub bin_s: f64,
    /// Region lanes (the first lanes of each bin).
    pub regions: usize,
    /// Lanes per bin: the regions, then any deployment lanes; the stride of
    /// the per-(bin, lane) vectors.
    pub lanes: usize,
    /// Counts per bin.
    pub counts: Vec<BinCounts>,
    /// Sessions served outside their home region, by home region: which region
    /// spilled; index bin * regions + region.
    pub overflow_out: Vec<u64>,
    /// Integral of concurrency over each (bin, lane), session-seconds; index bin * lanes + lane.
    pub busy_area: Vec<f64>,
    /// Integral of the admission limit over each (bin, lane); index bin * lanes + lane.
    pub limit_area: Vec<f64>,
    /// Highest concurrency in each (bin, lane); index bin * lanes + lane.
    pub peak: Vec<u32>,
    /// Populations with counts of their own (0: none kept, the default
    /// outside the planner, so runs pay nothing for them).
    pub populations: usize,
    /// Per (bin, population) outcome counts; index bin * populations + population.
    pub by_population: Vec<PopulationBin>,
    /// Runs summed into this series.
    pub runs: u32,
    /// Per lane: the bin the last integration ended in, that bin's end time,
    /// and its integrals so far. Levels change many times per bin, so the
    /// common case adds into this open cell (no division, loop, index
    /// arithmetic or bounds checks); the cell reaches the vectors when the lane
    /// moves to a later bin or at [`TimeSeries::close`]. A cell is opened at
    /// zero and filled in time order, so its sums are bit for bit those of
    /// adding into the vectors directly.
    cursor: Vec<OpenCell>,
    /// The bin `at` found last and its [start, end).
    at_cache: (usize, f64, f64),
}

impl TimeSeries {
    /// Empty series covering [0, horizon) with `regions` region lanes and
    /// `deployments` deployment lanes after them, and counts of their own for
    /// `populations` populations (0: none).
    pub fn new(
        horizon_s: f64,
        bin_s: f64,
        regions: usize,
        deployments: usize,
        populations: usize,
    ) -> Self {
        let bins = (horizon_s / bin_s).ceil().max(1.0) as usize;
        let lanes = regions + deployments;
        Self {
            bin_s,
            regions,
            lanes,
            counts: vec![BinCounts::default(); bins],
            overflow_out: vec![0; bins * regions],
            busy_area: vec![0.0; bins * lanes],
            limit_area: vec![0.0; bins * lanes],
            peak: vec![0; bins * lanes],
            populations,
            by_population: vec![PopulationBin::default(); bins * populations],
            runs: 1,
            cursor: vec![OpenCell::at(0, bin_s); lanes],
            at_cache: (0, 0.0, bin_s),
        }
    }

    /// Number of bins.
    pub fn bins(&self) -> usize {
        self.counts.len()
    }

    /// Where (bin, lane) sits in `busy_area`, `limit_area` and `peak`: the
    /// one definition of their layout, which readers use rather than
    /// re-deriving it.
    #[inline]
    pub fn cell(&self, bin: usize, lane: usize) -> usize {
        debug_assert!(lane < self.lanes);
        bin * self.lanes + lane
    }

    /// Region `r`'s lane: the regions are the first lanes of each bin.
    #[inline]
    pub fn region_lane(&self, r: usize) -> usize {
        debug_assert!(r < self.regions);
        r
    }

    /// Deployment `d`'s lane, when deployments have lanes of their own.
    pub fn deployment_lane(&self, d: usize) -> Option<usize> {
        let lane = self.regions + d;
        (lane < self.lanes).then_some(lane)
    }

    /// The deployment lanes, in deployment order (empty when they have none).
    pub fn deployment_lanes(&self) -> std::ops::Range<usize> {
        self.regions..self.lanes
    }

    /// A lane's figures in one bin: its busy session-seconds, its admission limit
    /// slot-seconds and its peak concurrency (summed or, for the peak, the
    /// highest over the runs merged in).
    pub fn lane_cell(&self, bin: usize, lane: usize) -> (f64, f64, u32) {
        let i = self.cell(bin, lane);
        (self.busy_area[i], self.limit_area[i], self.peak[i])
    }

    /// Where (bin, home region) sits in `overflow_out`.
    #[inline]
    pub fn overflow_cell(&self, bin: usize, region: usize) -> usize {
        bin * self.regions + region
    }

    /// The counts of the bin holding time t (None past the horizon).
    #[inline]
    pub fn at(&mut self, t: f64) -> Option<&mut BinCounts> {
        // Outcomes come in time order, so the bin of the previous one usually holds t.
        let (b, lo, hi) = self.at_cache;
        if lo <= t && t < hi {
            return self.counts.get_mut(b);
        }
        let b = bin_of(t, self.bin_s);
        self.at_cache = (b, b as f64 * self.bin_s, (b + 1) as f64 * self.bin_s);
        self.counts.get_mut(b)
    }

    /// Population `pop`'s counts in the bin holding t (None past the horizon
    /// or when populations have no counts of their own). Called right after
    /// [`TimeSeries::at`] for the same t, whose cached bin it reuses.
    /// Forced inline with the rest out of line: outside the planner no
    /// population has counts, and each outcome then pays one compare.
    #[inline(always)]
    pub fn population_at(&mut self, t: f64, pop: usize) -> Option<&mut PopulationBin> {
        if self.populations == 0 {
            return None;
        }
        self.population_cell_at(t, pop)
    }

    #[cold]
    #[inline(never)]
    fn population_cell_at(&mut self, t: f64, pop: usize) -> Option<&mut PopulationBin> {
        let (b, lo, hi) = self.at_cache;
        let b = if lo <= t && t < hi {
            b
        } else {
            bin_of(t, self.bin_s)
        };
        let i = b.checked_mul(self.populations)?.checked_add(pop)?;
        self.by_population.get_mut(i)
    }

    /// Population `pop`'s counts in bin `b`.
    pub fn population_cell(&self, b: usize, pop: usize) -> &PopulationBin {
        &self.by_population[b * self.populations + pop]
    }

    /// A session whose home is `region` was served elsewhere at t.
    #[inline]
    pub fn overflow_from(&mut self, t: f64, region: usize) {
        let b = bin_of(t, self.bin_s);
        let i = self.overflow_cell(b, region);
        if let Some(c) = self.overflow_out.get_mut(i) {
            *c += 1;
        }
    }

    /// Add a level held constant over [from, to) to the lane's per-bin integrals.
    /// Calls for one lane must come in time order (`from` = the previous `to`).
    #[inline(always)]
    pub(crate) fn integrate(&mut self, lane: usize, from: f64, to: f64, level: u32, limit: u32) {
        let cell = &mut self.cursor[lane];
        if to <= cell.end && cell.bin < self.counts.len() {
            cell.add(to - from, level, limit);
            return;
        }
        self.integrate_across_bins(lane, from, to, level, limit);
    }

    #[cold]
    fn integrate_across_bins(&mut self, lane: usize, from: f64, to: f64, level: u32, limit: u32) {
        // Each step ends at its bin's end, strictly after t (`bin_of`), and
        // the next starts in the bin after: the walk always moves on.
        let mut t = from;
        let n = self.counts.len();
        while t < to {
            let b = bin_of(t, self.bin_s);
            if b >= n {
                break;
            }
            if b != self.cursor[lane].bin {
                self.close_cell(lane);
                self.cursor[lane] = OpenCell::at(b, self.bin_s);
            }
            let end = ((b + 1) as f64 * self.bin_s).min(to);
            self.cursor[lane].add(end - t, level, limit);
            t = end;
        }
    }

    /// Move a lane's open cell into the vectors (it stays open, at zero).
    fn close_cell(&mut self, lane: usize) {
        let c = self.cursor[lane];
        if c.bin < self.counts.len() {
            let i = self.cell(c.bin, lane);
            self.busy_area[i] += c.busy;
            self.limit_area[i] += c.limit;
            self.peak[i] = self.peak[i].max(c.peak);
        }
        self.cursor[lane] = OpenCell::at(c.bin, self.bin_s);
    }

    /// Put every lane's open cell into the vectors: call once the run's last
    /// level has been integrated, before anything reads the integrals.
    pub(crate) fn close(&mut self) {
        for lane in 0..self.cursor.len() {
            self.close_cell(lane);
        }
    }

    /// Sum another run's series into this one (both closed). Every field is
    /// named, so a new one must say how it pools.
    pub fn merge(&mut self, other: &TimeSeries) {
        let TimeSeries {
            bin_s: _,
            regions: _,
            lanes: _,
            counts,
            overflow_out,
            busy_area,
            limit_area,
            peak,
            populations: _,
            by_population,
            runs,
            cursor,
            at_cache: _,
        } = other;
        debug_assert!(cursor.iter().all(|c| c.busy == 0.0 && c.peak == 0));
        for (a, b) in self.counts.iter_mut().zip(counts) {
            let BinCounts {
                arrivals,
                served,
                overflow,
                rejected,
                abandoned,
                interrupted,
                redispatched,
            } = b;
            a.arrivals += arrivals;
            a.served += served;
            a.overflow += overflow;
            a.rejected += rejected;
            a.abandoned += abandoned;
            a.interrupted += interrupted;
            a.redispatched += redispatched;
        }
        for (a, b) in self.overflow_out.iter_mut().zip(overflow_out) {
            *a += b;
        }
        for (a, b) in self.busy_area.iter_mut().zip(busy_area) {
            *a += b;
        }
        for (a, b) in self.limit_area.iter_mut().zip(limit_area) {
            *a += b;
        }
        for (a, b) in self.peak.iter_mut().zip(peak) {
            *a = (*a).max(*b);
        }
        for (a, b) in self.by_population.iter_mut().zip(by_population) {
            a.add(b);
        }
        self.runs += runs;
    }
}
