//! The window's background work starts once its first frame is on screen.
//!
//! On a two-core machine the window's start is one thread's path: the display server's
//! replies, then the first frame. Work started beside it (reading the profile list and the
//! history, starting the sandbox) takes the second core from the display server and held
//! the first frame back by about 2 ms (docs/performance.md). So each thread of the window's
//! runtime, as it starts, waits at this gate until the window has painted its first frame
//! (the second frame's `logic`), and at most [`MOST_WAIT`]; tasks spawned meanwhile queue.
//! Nothing on the UI thread waits for them (it never blocks), so the first frame shows their
//! "loading" state, as it would have anyway: none of them finishes within a frame.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The longest a runtime thread waits: a first frame slower than this (a cold start with
/// software GL) lets the work start beside it rather than after.
pub const MOST_WAIT: Duration = Duration::from_millis(250);

/// Shut until [`StartGate::open`]; then open for good.
#[derive(Debug, Default)]
pub struct StartGate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl StartGate {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// Lets every waiting thread go, and every later one through at once.
    pub fn open(&self) {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.opened.notify_all();
    }

    #[cfg(test)]
    pub fn is_open(&self) -> bool {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until the gate opens, or `most` has passed.
    pub fn wait(&self, most: Duration) {
        let until = Instant::now() + most;
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        while !*open {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            open = self
                .opened
                .wait_timeout(open, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Held by the window: opens the gate when a frame begins after the first has been drawn
/// (egui may run the first frame in two passes, so passes are not counted), or when
/// dropped, so that closing the window early never waits on it.
#[derive(Debug)]
pub struct OpenAfterFirstFrame {
    gate: Arc<StartGate>,
}

impl OpenAfterFirstFrame {
    pub fn new(gate: Arc<StartGate>) -> Self {
        Self { gate }
    }

    /// Call in `logic`; `true` once the gate is open, when this has nothing more to do.
    pub fn logic(&self, ctx: &egui::Context) -> bool {
        if ctx.cumulative_frame_nr() == 0 {
            // The next frame is what opens the gate: have it as soon as this one is painted.
            ctx.request_repaint();
            false
        } else {
            self.gate.open();
            true
        }
    }
}

impl Drop for OpenAfterFirstFrame {
    fn drop(&mut self) {
        self.gate.open();
    }
}

/// `builder`'s runtime, whose threads each wait at `gate` when they start, at most `most`
/// ([`MOST_WAIT`] for the window).
pub fn gated_runtime(
    mut builder: tokio::runtime::Builder,
    gate: &Arc<StartGate>,
    most: Duration,
) -> std::io::Result<tokio::runtime::Runtime> {
    let gate = Arc::clone(gate);
    builder.on_thread_start(move || gate.wait(most)).build()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    fn builder() -> tokio::runtime::Builder {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(2).enable_all();
        b
    }

    #[test]
    fn work_spawned_before_the_gate_opens_runs_after_it() {
        let gate = StartGate::new();
        // Long enough that only the gate can let the work go, however slow the machine.
        let rt = gated_runtime(builder(), &gate, Duration::from_mins(10)).unwrap();
        // Dropped before the runtime: a failed assertion must not leave its threads waiting.
        let _opens_on_failure = OpenAfterFirstFrame::new(Arc::clone(&gate));
        let ran = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            flag.store(true, Ordering::SeqCst);
            let _ = tx.send(());
        });
        #[expect(
            clippy::disallowed_methods,
            reason = "the test thread gives the shut gate time to be wrong"
        )]
        std::thread::sleep(Duration::from_millis(50));
        assert!(!ran.load(Ordering::SeqCst), "ran before the gate opened");
        gate.open();
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(ran.load(Ordering::SeqCst));
    }

    /// egui may run the first frame in two passes (a discard): the gate opens in the frame
    /// after, not in the first frame's second pass; and a window closed early opens it.
    #[test]
    fn the_window_opens_the_gate_in_the_frame_after_the_first() {
        let ctx = egui::Context::default();
        ctx.options_mut(|o| o.max_passes = 2.try_into().unwrap());
        let gate = StartGate::new();
        let opener = OpenAfterFirstFrame::new(Arc::clone(&gate));
        let mut passes = 0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            passes += 1;
            assert!(!opener.logic(ui.ctx()));
            if ui.ctx().current_pass_index() == 0 {
                ui.ctx().request_discard("a sizing pass");
            }
        });
        output.textures_delta.clear();
        assert_eq!(passes, 2);
        assert!(!gate.is_open());
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            assert!(opener.logic(ui.ctx()));
        });
        output.textures_delta.clear();
        assert!(gate.is_open());

        let gate = StartGate::new();
        drop(OpenAfterFirstFrame::new(Arc::clone(&gate)));
        assert!(gate.is_open());
    }

    #[test]
    fn a_gate_never_opened_holds_the_work_at_most_the_longest_wait() {
        let gate = StartGate::new();
        let started = Instant::now();
        let rt = gated_runtime(builder(), &gate, MOST_WAIT).unwrap();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn_blocking(move || tx.send(Instant::now()));
        let ran_at = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(ran_at - started >= MOST_WAIT, "{:?}", ran_at - started);
        assert!(!gate.is_open());
    }
}
