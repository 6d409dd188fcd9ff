//! The copied ID outlives the window on X11: the owning process hands the text to the hidden
//! helper on exit, ends, and another process still pastes the ID. Runs under a private Xvfb;
//! without one it skips by the rule of `tests/support/skip.rs` (a failure in CI).
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which part of the test a re-run of this test binary plays (see [`play_role`]).
const ROLE_ENV: &str = "ONSDESK_TEST_CLIPBOARD_ROLE";
/// The test, as the harness names it: the other processes run it again by this name.
const TEST_NAME: &str = "x11_clipboard::copied_id_is_still_pasted_after_the_copying_process_ended";
const ID: &str = "MQ_INST_1234567890123456_BXSuW61e";

/// A private X server, killed on drop.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Option<Self> {
        let base = 300 + std::process::id() % 500;
        for n in base..base + 20 {
            if Path::new(&format!("/tmp/.X{n}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            {
                continue;
            }
            let child = Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-nolisten",
                    "tcp",
                    "-screen",
                    "0",
                    "320x240x24",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            let mut xvfb = Self {
                child,
                display: format!(":{n}"),
            };
            let socket = format!("/tmp/.X11-unix/X{n}");
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until {
                if Path::new(&socket).exists() {
                    return Some(xvfb);
                }
                if xvfb.child.try_wait().ok().flatten().is_some() {
                    break; // lost a race for this display: try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        None
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs this test again, in a new process of this test binary, as `role` on `display`;
/// returns its stdout.
fn child(role: &str, display: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE_ENV, role)
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    // ran, and ran this test (a renamed test would leave the filter matching nothing)
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{role}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn field<'a>(stdout: &'a str, key: &str) -> Option<&'a str> {
    // The harness prints "test … ... " on the same line first.
    stdout
        .lines()
        .find_map(|l| l.split_once(key).map(|(_, value)| value))
}

fn gone(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z'))
    })
}

/// Three processes play a part besides this one: each runs this same test with
/// `ONSDESK_TEST_CLIPBOARD_ROLE` set, and plays only that part ([`play_role`]).
#[test]
fn copied_id_is_still_pasted_after_the_copying_process_ended() {
    if let Ok(role) = std::env::var(ROLE_ENV) {
        play_role(&role);
        return;
    }
    let Some(xvfb) = Xvfb::start() else {
        crate::skip::skip(
            "the X11 clipboard hand-over test",
            "Xvfb is missing or would not start (Debian: apt-get install xvfb)",
        );
        return;
    };
    // The owner copies as the window does (arboard, under egui), hands over, and ends.
    let owner = child("owner", &xvfb.display);
    let helper: u32 = field(&owner, "HELPER=").unwrap().parse().unwrap();

    // Another process pastes (the helper may need a moment to take the clipboard).
    let until = Instant::now() + Duration::from_secs(10);
    let pasted = loop {
        let read = child("reader", &xvfb.display);
        let text = field(&read, "CLIPBOARD=").map(str::to_owned);
        if text.as_deref() == Some(ID) || Instant::now() > until {
            break text;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        pasted.as_deref(),
        Some(ID),
        "the copied ID was lost with its process"
    );

    // Another program copies: the helper lets go and ends.
    child("taker", &xvfb.display);
    let until = Instant::now() + Duration::from_secs(10);
    while !gone(helper) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        gone(helper),
        "the helper still runs after another program took the clipboard"
    );
}

/// The part another process plays, on the X server its `DISPLAY` names: `owner` copies as the
/// window does and hands over, `reader` prints what it pastes, `taker` copies something else.
fn play_role(role: &str) {
    match role {
        "owner" => {
            let mut clipboard = arboard::Clipboard::new().unwrap();
            clipboard.set_text(ID).unwrap();
            let exe = Path::new(env!("CARGO_BIN_EXE_onsdesk"));
            let pid = onsdesk::app::keep_clipboard::hand_over(exe, ID).unwrap();
            println!("\nHELPER={pid}");
        }
        "reader" => {
            if let Ok(text) = arboard::Clipboard::new().unwrap().get_text() {
                println!("\nCLIPBOARD={text}");
            }
        }
        "taker" => {
            let mut clipboard = arboard::Clipboard::new().unwrap();
            clipboard.set_text("something else").unwrap();
            // Serve it long enough for the helper to see it lost the clipboard.
            std::thread::sleep(Duration::from_millis(500));
        }
        other => panic!("unknown role {other}"),
    }
}
