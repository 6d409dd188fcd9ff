//! `onsdesk`: with no subcommand the desktop window, otherwise the CLI.
//!
//! On Windows a GUI-subsystem program, so a double-click opens no console; the command line
//! there is `onsdesk.com` (src/bin/onsdesk-console.rs), which says why.
#![cfg_attr(windows, windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    onsdesk::cli::main()
}
