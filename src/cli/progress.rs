//! A progress bar on stderr while it is a terminal; silent otherwise (CI, pipes).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use regionsim::engine::Progress;

/// Progress in simulated seconds across all replications.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar for `total_sim_s` simulated seconds, hidden when quiet or not a terminal.
    pub fn new(total_sim_s: f64, quiet: bool, label: &str) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::new(total_sim_s.ceil() as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% simulated, eta {eta}")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        Self(Some(bar))
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn advance(&self, sim_seconds: f64) {
        if let Some(b) = &self.0 {
            b.inc(sim_seconds.max(0.0) as u64);
        }
    }
}
