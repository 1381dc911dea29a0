//! How a run tells its caller about progress and hears that the user asked to
//! stop: a trait, so the engine knows nothing of terminals or signals.

/// Something to tell about progress: simulated seconds advanced.
pub trait Progress: Sync {
    /// Called now and then with the simulated time advanced since the last call.
    fn advance(&self, sim_seconds: f64);

    /// Whether the user asked to stop; a run stops early (its results are then
    /// incomplete and must be discarded by the caller).
    fn cancelled(&self) -> bool {
        false
    }
}

impl Progress for () {
    fn advance(&self, _: f64) {}
}
