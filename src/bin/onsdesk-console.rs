//! Windows only: the console twin of `onsdesk.exe`, shipped beside it as `onsdesk.com`.
//!
//! `onsdesk.exe` is a GUI-subsystem program (see `src/main.rs`): double-clicked, it opens the
//! window and no console. A GUI-subsystem program cannot serve a terminal well, though: cmd
//! and PowerShell do not wait for it, so its output lands after the next prompt and its exit
//! code is lost, and it would share the console's input with the shell (the secret prompt of
//! `onsdesk profile add`). So the command line gets this console-subsystem twin, the same
//! program. Named `onsdesk.com` in the release folder, it is what `onsdesk create …` runs in a
//! terminal: cmd and PowerShell try `.COM` before `.EXE` (PATHEXT), as with `devenv.com`.
//!
//! Elsewhere `onsdesk` is already a console program and this binary is not shipped.

use std::process::ExitCode;

#[cfg(windows)]
fn main() -> ExitCode {
    onsdesk::cli::main()
}

#[cfg(not(windows))]
#[expect(
    clippy::disallowed_macros,
    reason = "a fixed sentence, nothing from outside"
)]
fn main() -> ExitCode {
    eprintln!("onsdesk-console is the Windows console twin of onsdesk: run `onsdesk` instead");
    ExitCode::from(onsdesk::cli::EXIT_REFUSED)
}
