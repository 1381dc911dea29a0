//! A progress bar on stderr while it is a terminal, silent otherwise (CI, pipes),
//! and the Ctrl-C flag that stops a run cleanly.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use regionsim::engine::Progress;

/// Progress in simulated seconds across all replications, plus the stop flag.
pub struct Bar {
    bar: Option<ProgressBar>,
    stop: Arc<AtomicBool>,
}

impl Bar {
    /// A bar for `total_sim_s` simulated seconds, hidden when quiet or not a
    /// terminal. Installs the Ctrl-C handler (once per process).
    pub fn new(total_sim_s: f64, quiet: bool, label: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // Fails only if a handler is already installed; then Ctrl-C keeps its default.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
        if quiet || !std::io::stderr().is_terminal() {
            return Self { bar: None, stop };
        }
        let bar = ProgressBar::new(total_sim_s.ceil() as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% simulated, eta {eta}")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        Self {
            bar: Some(bar),
            stop,
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn advance(&self, sim_seconds: f64) {
        if let Some(b) = &self.bar {
            b.inc(sim_seconds.max(0.0) as u64);
        }
    }

    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}
