//! A spinner on stderr while the CLI waits on the database or reads the models: only on a
//! terminal, only when the work takes longer than a second (a quick command prints nothing
//! extra), never under `-q` or `-v` (whose statement lines it would interleave with).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{Verbosity, verbosity};

/// How long the work runs before the spinner shows.
const DELAY: Duration = Duration::from_secs(1);

/// The spinner of one piece of work; it goes away (and clears its line) when dropped, so an
/// error printed after it starts on a clean line.
pub struct Spinner {
    state: Option<Arc<Mutex<Option<ProgressBar>>>>,
}

impl Spinner {
    pub fn start(message: &str) -> Spinner {
        if verbosity() != Verbosity::Normal || !std::io::stderr().is_terminal() {
            return Spinner { state: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(ProgressStyle::default_spinner());
        bar.set_message(message.to_owned());
        let state = Arc::new(Mutex::new(Some(bar)));
        let shown = Arc::clone(&state);
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            // Still running (the work has not dropped its spinner): show it.
            if let Ok(guard) = shown.lock()
                && let Some(bar) = guard.as_ref()
            {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Spinner { state: Some(state) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(state) = &self.state
            && let Ok(mut guard) = state.lock()
            && let Some(bar) = guard.take()
        {
            bar.finish_and_clear();
        }
    }
}
