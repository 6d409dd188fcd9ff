//! Opt-in measurements for the numbers in docs/performance.md, printed to stderr:
//! `ONSDESK_TRACE_STARTUP=1` logs the time from the start of [`super::run`] to the end of the
//! first `ui()`, with the wall clock so a script can add the process's own start-up;
//! `ONSDESK_COUNT_FRAMES=1` logs every frame with its `ui()` time and eframe's CPU time for
//! the previous frame.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// Notes when the window's code started running.
pub fn mark_process_start() {
    let _ = PROCESS_START.set(Instant::now());
}

/// Frame counters; inert unless one of the variables is set.
pub struct Perf {
    trace_startup: bool,
    count_frames: bool,
    frames: u64,
}

impl Perf {
    pub fn from_env() -> Self {
        let on = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        Self {
            trace_startup: on("ONSDESK_TRACE_STARTUP"),
            count_frames: on("ONSDESK_COUNT_FRAMES"),
            frames: 0,
        }
    }

    /// Call at the end of every `ui()`.
    #[expect(
        clippy::disallowed_macros,
        reason = "measurements for a script: numbers only, no value from outside"
    )]
    pub fn frame_done(&mut self, ui_started: Instant, frame: &eframe::Frame) {
        self.frames += 1;
        if !(self.trace_startup || self.count_frames) {
            return;
        }
        let since_start = PROCESS_START
            .get()
            .map_or(0.0, |s| s.elapsed().as_secs_f64() * 1000.0);
        let unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        if self.trace_startup && self.frames == 1 {
            eprintln!("onsdesk-startup first_frame_ms={since_start:.1} unix_ms={unix_ms}");
        }
        if self.count_frames {
            let ui_ms = ui_started.elapsed().as_secs_f64() * 1000.0;
            let cpu_prev_ms = frame
                .info()
                .cpu_usage
                .map_or(0.0, |s| f64::from(s) * 1000.0);
            eprintln!(
                "onsdesk-frame n={} t_ms={since_start:.1} ui_ms={ui_ms:.3} cpu_prev_ms={cpu_prev_ms:.3}",
                self.frames
            );
        }
    }
}
