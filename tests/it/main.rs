//! The integration tests, in one crate so the app (eframe, reqwest, the keyring stores) is
//! linked once. One module per area; `common` runs the real `onsdesk` binary, `gui_support`
//! drives the real window through egui_kittest.
//!
//! Two suites stay their own binaries: `tests/real_keyring.rs` (needs a Secret Service, run
//! inside a private one by `check.sh`) and `tests/fuzz.rs` (also run in release with a million
//! cases).

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    reason = "test code: a panic is a failure, and the tokio test harness blocks on purpose"
)]

#[path = "../support/process.rs"]
mod common;
#[path = "../support/gui.rs"]
mod gui_support;
// Only the Linux-only suites (the X11 clipboard) need a skip rule in this crate.
#[cfg(target_os = "linux")]
#[path = "../support/skip.rs"]
mod skip;

mod cli;
mod cli_faults;
mod client;
mod docs;
mod env_vars;
mod file_modes;
mod gui_a11y;
mod gui_card;
mod gui_create;
mod gui_fonts;
mod gui_form;
mod gui_heard;
mod gui_history;
mod gui_instances;
mod gui_layout;
mod gui_profiles;
mod gui_requests;
mod gui_safe_create;
mod gui_sandbox_history;
mod gui_topics;
mod gui_unsettled;
mod history_cli;
mod history_store;
mod hostile;
mod hostile_instances;
mod hostile_topics_groups;
mod instances;
mod instances_cli;
mod macos_bundle;
mod profiles_cli;
mod safe_create;
mod sandbox_server;
mod signature_v3;
mod signature_vectors;
mod topics_groups;
mod topics_groups_cli;
mod windows_exe;
mod x11_clipboard;
