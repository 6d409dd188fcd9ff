//! The window's start: from `exec` to the end of the first frame, for `onsdesk`, `onsdesk --demo`
//! and a bare eframe window with the same eframe and features (`examples/bare_window.rs`),
//! started alternately so that the machine's drift falls on all three alike. Target: onsdesk
//! starts in at most the bare window's time (median ratio ≤ 1.0).
//!
//! Needs an X display (run under `xvfb-run -a`) and the release builds of both programs:
//! `cargo build --release --bin onsdesk --example bare_window`, then
//! `xvfb-run -a cargo bench --bench startup` (`STARTUP_ROUNDS=N` for more rounds than 15).
//! Each program prints one line on stderr at the end of its first frame when
//! `ONSDESK_TRACE_STARTUP=1`; the time is measured here, from just before the spawn to that
//! line, so both are measured the same way.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
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
        .unwrap_or(15);
    let Ok(home) = tempfile::tempdir() else {
        return;
    };
    for sub in ["data", "xdg-data", "config"] {
        std::fs::create_dir_all(home.path().join(sub)).ok();
    }
    // One start of each first, not counted: the page cache and Mesa's shader cache warm up.
    let _ = one_start(&bare, &[], home.path());
    let _ = one_start(&onsdesk, &[], home.path());
    let (mut bare_times, mut plain, mut demo) = (Vec::new(), Vec::new(), Vec::new());
    let mut ratios = Vec::new();
    // A start can fail for the display server's sake ("Failed to open connection to X
    // server" on rapid restarts under Xvfb, the bare window's too): such a round is said,
    // counted and run again, a few times at most.
    let mut failed = 0;
    while ratios.len() < rounds {
        let round = [
            ("bare eframe window", &bare, &[][..]),
            ("onsdesk", &onsdesk, &[][..]),
            ("onsdesk --demo", &onsdesk, &["--demo"][..]),
        ]
        .map(|(name, program, args)| {
            one_start(program, args, home.path()).map_err(|why| format!("{name}: {why}"))
        });
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
        ratios.push(o.as_secs_f64() / b.as_secs_f64());
        bare_times.push(b);
        plain.push(o);
        demo.push(d);
    }
    ratios.sort_by(f64::total_cmp);
    let (b, o, d) = (median(bare_times), median(plain), median(demo));
    println!(
        "startup, median of {rounds} alternating rounds (exec to the end of the first frame; \
         {failed} rounds run again):"
    );
    println!("  bare eframe window  {:7.1} ms", ms(b));
    println!(
        "  onsdesk             {:7.1} ms  ({:.2}× bare; per-round ratio median {:.2})",
        ms(o),
        o.as_secs_f64() / b.as_secs_f64(),
        ratios.get(ratios.len() / 2).copied().unwrap_or_default()
    );
    println!(
        "  onsdesk --demo      {:7.1} ms  ({:.2}× bare)",
        ms(d),
        d.as_secs_f64() / b.as_secs_f64()
    );
}
