//! The window's start: from `exec` to the end of the first frame, for `onsdesk`, `onsdesk --demo`
//! and a bare eframe window with the same eframe and features (`examples/bare_window.rs`),
//! started alternately so that the machine's drift falls on all three alike, each in turn
//! first in its round, and 200 ms apart (`STARTUP_SETTLE_MS`): each program is killed at its
//! first frame, and a start that overlaps the display server's teardown of the previous
//! window waits behind it (15–20 ms a start under Xvfb, on whichever program came next).
//! Target: onsdesk starts in at most the bare window's time: the median of the per-round
//! ratios ≤ 1.0, and firmly so when the top of its 95 % interval (printed with it) is too.
//!
//! Needs an X display (run under `xvfb-run -a`) and the release builds of both programs:
//! `cargo build --release --bin onsdesk --example bare_window`, then
//! `xvfb-run -a cargo bench --bench startup` (`STARTUP_ROUNDS=N` for other than 40 rounds).
//! Each program prints one line on stderr at the end of its first frame when
//! `ONSDESK_TRACE_STARTUP=1`; the time is measured here, from just before the spawn to that
//! line, so both are measured the same way.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/stats.rs"]
mod stats;

/// Runs `program` once and returns the time from spawn to its first-frame line, or, when it
/// ends without one, the last thing it said on stderr.
fn one_start(program: &Path, args: &[&str], home: &Path) -> Result<Duration, String> {
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
    let mut took = Err("it ended without a word".to_owned());
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        if line.contains("-startup first_frame_ms=") {
            took = Ok(started.elapsed());
            break;
        }
        took = Err(line);
    }
    child.kill().ok();
    child.wait().ok();
    took
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn release_dir() -> Option<PathBuf> {
    // target/release/deps/startup-… → target/release
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.to_path_buf())
}

fn main() {
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
    let _ = one_start(&bare, &[], home.path());
    let _ = one_start(&onsdesk, &[], home.path());
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
    // times[p][r]: program p in round r.
    let mut times: [Vec<Duration>; 3] = Default::default();
    // A start can fail for the display server's sake ("Failed to open connection to X
    // server" on rapid restarts under Xvfb, the bare window's too): such a round is said,
    // counted and run again, a few times at most.
    let mut failed = 0;
    while times[0].len() < rounds {
        // Each program takes each place in the round in turn, so that none always follows
        // the same one.
        let first = times[0].len() % programs.len();
        let mut round: [Result<Duration, String>; 3] = std::array::from_fn(|_| Err(String::new()));
        for i in (0..programs.len()).map(|k| (first + k) % programs.len()) {
            let (name, program, args) = programs[i];
            // The previous program was killed at its first frame: let the display server
            // tear its window down first, or this start waits behind that work.
            sleep(settle);
            round[i] =
                one_start(program, args, home.path()).map_err(|why| format!("{name}: {why}"));
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
        for (t, v) in times.iter_mut().zip([b, o, d]) {
            t.push(v);
        }
    }
    println!(
        "startup, median of {rounds} rounds, each program in turn first, {} ms apart (exec \
         to the end of the first frame; {failed} rounds run again):",
        settle.as_millis()
    );
    let bare_median = stats::median(&times[0]);
    for ((name, _, _), t) in programs.iter().zip(&times) {
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
