//! Keeping a copied ID on the X11 clipboard after the window closes.
//!
//! On X11 the clipboard is not a store: the program that copied answers every paste, so what
//! it copied is gone when it exits, unless a clipboard manager took a copy (arboard, under
//! egui, offers the text to one through `SAVE_TARGETS` when its clipboard is dropped). Like
//! `xclip`, the window therefore starts a small detached helper on exit, the hidden
//! [`SUBCOMMAND`] of the same binary, that owns the clipboard until another program takes it
//! or [`KEEP_FOR`] passes. Wayland, Windows and macOS keep the clipboard themselves.
//!
//! Only what a Copy button copied (IDs, endpoints, commands: nothing secret) is handed over.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// How long the helper keeps the text after the window closed.
pub const KEEP_FOR: Duration = Duration::from_mins(10);

/// The hidden subcommand the helper runs as (not in `--help`).
pub const SUBCOMMAND: &str = "x11-keep-clipboard";

/// Whether the window runs on X11 (winit prefers Wayland when both are there). Read once.
pub fn is_x11_session() -> bool {
    static X11: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *X11.get_or_init(|| {
        cfg!(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd"
        )) && std::env::var_os("WAYLAND_DISPLAY").is_none_or(|d| d.is_empty())
            && std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
    })
}

/// Starts `exe SUBCOMMAND` detached, with `text` on its stdin; returns the helper's process
/// ID at once (the helper outlives this process).
///
/// # Errors
///
/// When the helper cannot be started or given the text.
pub fn hand_over(exe: &Path, text: &str) -> std::io::Result<u32> {
    let mut command = Command::new(exe);
    command
        .arg(SUBCOMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        // Its own process group: Ctrl+C in the terminal that started the window does not
        // take the clipboard down with it.
        use std::os::unix::process::CommandExt as _;
        command.process_group(0);
    }
    let mut child = command.spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes())?;
    }
    Ok(child.id())
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
pub use x11::run_helper;

/// Elsewhere the system keeps the clipboard itself: nothing to do.
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
)))]
pub fn run_helper() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}

/// The helper's side, where X11 runs.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
mod x11 {
    use std::path::Path;
    use std::process::ExitCode;
    use std::time::Duration;

    use super::KEEP_FOR;

    /// The helper: reads the text from stdin and serves it as the CLIPBOARD until another program
    /// takes the clipboard or [`KEEP_FOR`] passes.
    pub fn run_helper() -> ExitCode {
        use std::io::Read as _;
        /// The most the helper accepts: a copied ID, endpoint or command is far smaller.
        const MAX_TEXT: u64 = 1 << 20;
        let mut text = String::new();
        if std::io::stdin()
            .take(MAX_TEXT)
            .read_to_string(&mut text)
            .is_err()
            || text.is_empty()
        {
            return ExitCode::FAILURE;
        }
        exit_with_the_display();
        match keep(&text, KEEP_FOR) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::warn!("could not keep the copied text on the clipboard: {e}");
                ExitCode::FAILURE
            }
        }
    }

    /// Ends the helper when the local X server is gone (the session ended): arboard would wait
    /// out [`KEEP_FOR`] otherwise. A remote display (`host:0`) is not watched.
    fn exit_with_the_display() {
        let Some(socket) = std::env::var("DISPLAY").ok().and_then(|d| local_socket(&d)) else {
            return;
        };
        if !socket.exists() {
            return;
        }
        let _ = std::thread::Builder::new()
            .name("display-watch".to_owned())
            .spawn(move || {
                while socket.exists() {
                    #[expect(
                        clippy::disallowed_methods,
                        reason = "a thread of its own in the helper process, which has no UI"
                    )]
                    std::thread::sleep(Duration::from_secs(2));
                }
                std::process::exit(0);
            });
    }

    /// The socket file of a local display: `:1`, `:1.0` and `unix:1` are `/tmp/.X11-unix/X1`.
    fn local_socket(display: &str) -> Option<std::path::PathBuf> {
        let number = display
            .strip_prefix("unix")
            .unwrap_or(display)
            .strip_prefix(':')?;
        let number = number.split('.').next()?;
        number.parse::<u32>().ok()?;
        Some(Path::new("/tmp/.X11-unix").join(format!("X{number}")))
    }

    /// Owns the CLIPBOARD with `text` for up to `how_long`, unless the clipboard already holds
    /// something else (the user copied elsewhere after the window's copy: that stays).
    fn keep(text: &str, how_long: Duration) -> Result<(), arboard::Error> {
        use arboard::SetExtLinux as _;
        let deadline = std::time::Instant::now() + how_long;
        let mut clipboard = arboard::Clipboard::new()?;
        match clipboard.get_text() {
            Ok(current) if current != text => return Ok(()),
            _ => {}
        }
        clipboard.set().wait_until(deadline).text(text)
    }

    #[cfg(test)]
    mod tests {
        use super::local_socket;
        use std::path::Path;

        #[test]
        fn local_displays_have_a_socket_file_and_remote_ones_none() {
            let x1 = Some(Path::new("/tmp/.X11-unix/X1").to_path_buf());
            assert_eq!(local_socket(":1"), x1);
            assert_eq!(local_socket(":1.0"), x1);
            assert_eq!(local_socket("unix:1"), x1);
            assert_eq!(local_socket("host:1"), None);
            assert_eq!(local_socket("localhost:10.0"), None);
            assert_eq!(local_socket(""), None);
        }
    }
}
