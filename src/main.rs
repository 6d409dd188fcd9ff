//! `onsdesk`: with no subcommand the desktop window, otherwise the CLI.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    onsdesk::cli::install_panic_hook();
    let cli = onsdesk::cli::Cli::parse();
    onsdesk::cli::init_logging();
    // A panic is a bug: the hook has printed one line; exit with the documented code.
    catch_unwind(AssertUnwindSafe(|| onsdesk::cli::run(cli)))
        .unwrap_or_else(|_| ExitCode::from(onsdesk::cli::EXIT_BUG))
}
