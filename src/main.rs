//! `onsdesk`: with no subcommand the desktop window, otherwise the CLI.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = onsdesk::cli::Cli::parse();
    onsdesk::cli::init_logging();
    onsdesk::cli::run(cli)
}
