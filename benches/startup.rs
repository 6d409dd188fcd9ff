//! The window's start: from `exec` until the window is on screen, for `onsdesk`, `onsdesk --demo`
//! and a bare eframe window with the same eframe and features (`examples/bare_window.rs`),
//! started alternately so that the machine's drift falls on all three alike, each in turn
//! first in its round, and 200 ms apart (`STARTUP_SETTLE_MS`): each program is killed once its
//! window is mapped, and a start that overlaps the display server's teardown of the previous
//! window waits behind it (15–20 ms a start under Xvfb, on whichever program came next).
//!
//! Two ends are timed for each start, both from just before the spawn:
//! - **mapped**: the display server's `MapNotify` for the program's window, seen by this
//!   bench on its own X connection. eframe keeps a window hidden until its first frame is
//!   painted, so this is the first frame on screen: what a user waits for.
//! - **first `ui()`**: the line each program prints on stderr at the end of its first `ui()`
//!   pass when `ONSDESK_TRACE_STARTUP=1`; it leaves out the first frame's tessellation,
//!   painting and texture upload.
//!
//! Target: onsdesk is on screen in at most the bare window's time: the median of the
//! per-round ratios (mapped) ≤ 1.0, and firmly so when the top of its 95 % interval (printed
//! with it) is too.
//!
//! Needs an X display (run under `xvfb-run -a`) and the release builds of both programs:
//! `cargo build --release --bin onsdesk --example bare_window`, then
//! `xvfb-run -a cargo bench --bench startup` (`STARTUP_ROUNDS=N` for other than 40 rounds;
//! `STARTUP_RECORD=FILE` to pool the rounds of several runs).

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#[cfg(target_os = "linux")]
#[path = "support/stats.rs"]
mod stats;

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("startup bench: it watches an X display; run it on Linux under `xvfb-run -a`");
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io::{BufRead as _, BufReader};
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    #[expect(
        clippy::disallowed_types,
        reason = "the bench's own thread hands it times; nothing here is a UI thread"
    )]
    use std::sync::mpsc::Receiver;
    use std::sync::mpsc::{SyncSender, sync_channel};
    use std::time::{Duration, Instant};

    use x11rb::connection::Connection as _;
    use x11rb::protocol::Event;
    use x11rb::protocol::xproto::{ChangeWindowAttributesAux, ConnectionExt as _, EventMask};

    use super::stats;

    /// The two ends of one start, from just before its spawn.
    #[derive(Clone, Copy)]
    struct Start {
        /// The display server mapped the program's window.
        mapped: Duration,
        /// The program said its first `ui()` pass was done.
        first_ui: Duration,
    }

    /// When the display server mapped a top-level window, as seen on this bench's own connection:
    /// it asks for the root window's substructure events, and a thread of its own takes the time
    /// of every `MapNotify` as it arrives.
    #[expect(
        clippy::disallowed_types,
        reason = "the bench's own thread hands it times; nothing here is a UI thread"
    )]
    struct MapWatch {
        maps: Receiver<Instant>,
    }

    impl MapWatch {
        fn start() -> Result<Self, String> {
            let (conn, screen) = x11rb::connect(None).map_err(|e| e.to_string())?;
            let root = conn.setup().roots[screen].root;
            conn.change_window_attributes(
                root,
                &ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_NOTIFY),
            )
            .map_err(|e| e.to_string())?
            .check()
            .map_err(|e| e.to_string())?;
            let (sender, maps): (SyncSender<Instant>, _) = sync_channel(64);
            std::thread::Builder::new()
                .name("map-watch".to_owned())
                .spawn(move || {
                    while let Ok(event) = conn.wait_for_event() {
                        // eframe's windows are ordinary top-level ones; an override-redirect
                        // window (a tooltip, a menu) is not the start.
                        if let Event::MapNotify(map) = event
                            && !map.override_redirect
                            && sender.send(Instant::now()).is_err()
                        {
                            break;
                        }
                    }
                })
                .map_err(|e| e.to_string())?;
            Ok(Self { maps })
        }

        /// Drops what was seen before now (nothing is expected: the previous window was only
        /// destroyed).
        fn forget_earlier(&self) {
            while self.maps.try_recv().is_ok() {}
        }

        fn next_map(&self, wait: Duration) -> Option<Instant> {
            self.maps.recv_timeout(wait).ok()
        }
    }

    /// Runs `program` once and returns when its window was mapped and when it said its first
    /// `ui()` was done, or, when it ends without either, the last thing it said on stderr.
    fn one_start(
        watch: &MapWatch,
        program: &Path,
        args: &[&str],
        home: &Path,
    ) -> Result<Start, String> {
        watch.forget_earlier();
        let started = Instant::now();
        let mut child = Command::new(program)
            .args(args)
            .env("ONSDESK_TRACE_STARTUP", "1")
            .env("ONSDESK_DATA_DIR", home.join("data"))
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("RUST_LOG", "error")
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
            .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let mut first_ui = Err("it ended without a word".to_owned());
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.contains("-startup first_frame_ms=") {
                first_ui = Ok(started.elapsed());
                break;
            }
            first_ui = Err(line);
        }
        // The window is shown after the first frame is painted: a moment after the line.
        let mapped = first_ui.as_ref().ok().and_then(|_| {
            watch
                .next_map(Duration::from_secs(5))
                .map(|at| at.saturating_duration_since(started))
        });
        child.kill().ok();
        child.wait().ok();
        let first_ui = first_ui?;
        let mapped = mapped.ok_or("its first frame was not shown within 5 s")?;
        Ok(Start { mapped, first_ui })
    }

    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    fn release_dir() -> Option<PathBuf> {
        // target/release/deps/startup-… → target/release
        let exe = std::env::current_exe().ok()?;
        Some(exe.parent()?.parent()?.to_path_buf())
    }

    pub fn main() {
        if std::env::var_os("DISPLAY").is_none() {
            eprintln!(
                "startup bench: no X display; run it as `xvfb-run -a cargo bench --bench startup`"
            );
            return;
        }
        let Some(dir) = release_dir() else { return };
        let onsdesk = PathBuf::from(env!("CARGO_BIN_EXE_onsdesk"));
        let bare = dir.join("examples").join("bare_window");
        if !bare.exists() {
            eprintln!(
                "startup bench: {} is missing; run `cargo build --release --example bare_window`",
                bare.display()
            );
            return;
        }
        let watch = match MapWatch::start() {
            Ok(watch) => watch,
            Err(why) => {
                eprintln!("startup bench: cannot watch the display for windows: {why}");
                return;
            }
        };
        let rounds: usize = std::env::var("STARTUP_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40);
        let Ok(home) = tempfile::tempdir() else {
            return;
        };
        for sub in ["data", "xdg-data", "config"] {
            std::fs::create_dir_all(home.path().join(sub)).ok();
        }
        // One start of each first, not counted: the page cache and Mesa's shader cache warm up.
        let _ = one_start(&watch, &bare, &[], home.path());
        let _ = one_start(&watch, &onsdesk, &[], home.path());
        let settle = Duration::from_millis(
            std::env::var("STARTUP_SETTLE_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(200),
        );
        let programs = [
            ("bare eframe window", &bare, &[][..]),
            ("onsdesk", &onsdesk, &[][..]),
            ("onsdesk --demo", &onsdesk, &["--demo"][..]),
        ];
        // starts[p][r]: program p in round r.
        let mut starts: [Vec<Start>; 3] = Default::default();
        // A start can fail for the display server's sake ("Failed to open connection to X
        // server" on rapid restarts under Xvfb, the bare window's too): such a round is said,
        // counted and run again, a few times at most.
        let mut failed = 0;
        while starts[0].len() < rounds {
            // Each program takes each place in the round in turn, so that none always follows
            // the same one.
            let first = starts[0].len() % programs.len();
            let mut round: [Result<Start, String>; 3] = std::array::from_fn(|_| Err(String::new()));
            for i in (0..programs.len()).map(|k| (first + k) % programs.len()) {
                let (name, program, args) = programs[i];
                // The previous program was killed once shown: let the display server tear its
                // window down first, or this start waits behind that work.
                sleep(settle);
                round[i] = one_start(&watch, program, args, home.path())
                    .map_err(|why| format!("{name}: {why}"));
            }
            let [Ok(b), Ok(o), Ok(d)] = round else {
                for why in round.iter().filter_map(|r| r.as_ref().err()) {
                    eprintln!("startup bench: no first frame from {why}");
                }
                failed += 1;
                if failed > 5 {
                    eprintln!("startup bench: too many starts failed");
                    return;
                }
                continue;
            };
            for (p, start) in starts.iter_mut().zip([b, o, d]) {
                p.push(start);
            }
        }
        let names = programs.map(|(name, _, _)| name);
        println!(
            "startup, median of {rounds} rounds, each program in turn first, {} ms apart ({failed} \
             rounds run again):",
            settle.as_millis()
        );
        report(&names, &starts);
        // Several runs pooled say more than one: with `STARTUP_RECORD=FILE` each round is
        // added to FILE, and the rounds of every run recorded there are reported together.
        if let Some(file) = std::env::var_os("STARTUP_RECORD") {
            let file = PathBuf::from(file);
            match record(&file, &starts) {
                Ok(all) if all[0].len() > rounds => {
                    println!(
                        "all {} rounds recorded in {}:",
                        all[0].len(),
                        file.display()
                    );
                    report(&names, &all);
                }
                Ok(_) => {}
                Err(e) => eprintln!("startup bench: {}: {e}", file.display()),
            }
        }
    }

    /// Adds this run's rounds to `file` (a line a round: each program's mapped and first-ui
    /// times, in microseconds) and returns every round recorded there.
    fn record(file: &Path, starts: &[Vec<Start>; 3]) -> std::io::Result<[Vec<Start>; 3]> {
        use std::io::Write as _;
        let micros = |d: Duration| d.as_micros().to_string();
        let mut lines = String::new();
        for r in 0..starts[0].len() {
            let fields: Vec<String> = starts
                .iter()
                .flat_map(|p| [micros(p[r].mapped), micros(p[r].first_ui)])
                .collect();
            lines.push_str(&fields.join(","));
            lines.push('\n');
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)?
            .write_all(lines.as_bytes())?;
        let mut all: [Vec<Start>; 3] = Default::default();
        for line in std::fs::read_to_string(file)?.lines() {
            let us: Vec<u64> = line.split(',').filter_map(|f| f.parse().ok()).collect();
            if us.len() != 6 {
                continue;
            }
            for (p, pair) in all.iter_mut().zip(us.chunks(2)) {
                p.push(Start {
                    mapped: Duration::from_micros(pair[0]),
                    first_ui: Duration::from_micros(pair[1]),
                });
            }
        }
        Ok(all)
    }

    /// Which end of a start a table is about.
    type End = fn(&Start) -> Duration;

    /// Prints the medians, the ratios to the bare window and their intervals, for both ends.
    fn report(names: &[&str; 3], starts: &[Vec<Start>; 3]) {
        let ends: [(&str, End); 2] = [
            ("exec until the window is mapped (the target)", |s| s.mapped),
            ("exec until the end of the first ui() pass", |s| s.first_ui),
        ];
        for (what, end) in ends {
            println!("{what}:");
            let times: Vec<Vec<Duration>> =
                starts.iter().map(|p| p.iter().map(end).collect()).collect();
            let bare_median = stats::median(&times[0]);
            for (name, t) in names.iter().zip(&times) {
                let mut ratios: Vec<f64> = t
                    .iter()
                    .zip(&times[0])
                    .map(|(o, b)| o.as_secs_f64() / b.as_secs_f64())
                    .collect();
                ratios.sort_by(f64::total_cmp);
                let m = stats::median(t);
                let interval = median_interval(&ratios).map_or_else(String::new, |(low, high)| {
                    format!(", 95% interval {low:.3}–{high:.3}")
                });
                println!(
                    "  {name:19} {:7.1} ms  ({:.3}× bare; per-round ratio median {:.3}{interval})",
                    ms(m),
                    m.as_secs_f64() / bare_median.as_secs_f64(),
                    ratios.get(ratios.len() / 2).copied().unwrap_or_default()
                );
            }
        }
        // From the first ui() to the window on screen: the first frame's tessellation, painting
        // and upload, which the first-ui times leave out.
        let to_screen: Vec<Duration> = starts
            .iter()
            .map(|p| {
                let gaps: Vec<Duration> = p
                    .iter()
                    .map(|s| s.mapped.saturating_sub(s.first_ui))
                    .collect();
                stats::median(&gaps)
            })
            .collect();
        println!(
            "first ui() to mapped, medians: {}",
            names
                .iter()
                .zip(&to_screen)
                .map(|(name, d)| format!("{name} {:.1} ms", ms(*d)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    /// A 95 % confidence interval for the median of `sorted` that assumes nothing of how the
    /// values are spread: the two order statistics the median lies between in 95 % of samples
    /// (the binomial distribution's normal approximation). `None` for fewer than 10 values.
    /// The verdict "at most the bare window's time" holds when the interval's top is ≤ 1.0.
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a count of rounds, far below 2^52, and ranks clamped to the slice"
    )]
    fn median_interval(sorted: &[f64]) -> Option<(f64, f64)> {
        let n = sorted.len();
        if n < 10 {
            return None;
        }
        let half = 1.96 * (n as f64).sqrt() / 2.0;
        // 1-based ranks n/2 − half (down) and 1 + n/2 + half (up), as 0-based indices.
        let low = ((n as f64 / 2.0 - half).floor() as usize).saturating_sub(1);
        let high = ((1.0 + n as f64 / 2.0 + half).ceil() as usize)
            .saturating_sub(1)
            .min(n - 1);
        Some((sorted[low], sorted[high]))
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "the bench waits, on purpose, between two starts"
    )]
    fn sleep(d: Duration) {
        std::thread::sleep(d);
    }
}
