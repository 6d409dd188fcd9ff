//! Embeds the app icon in the Windows executables. Nothing to do for other targets.
//!
//! The resources are written in plain Rust (see `build/winres.rs`), so no resource compiler
//! is needed, and the cross-target `cargo clippy` in CI (which runs build scripts but links
//! nothing) works with no Windows tools at all: a `.res` for MSVC's linker, which takes it
//! like an object file; a COFF object for GNU ld (the windows-gnu targets).

#![expect(
    clippy::disallowed_macros,
    reason = "a build script talks to cargo through stdout"
)]
#[path = "build/winres.rs"]
mod winres;

use std::env;
use std::path::PathBuf;

const ICON: &str = "assets/windows/onsdesk.ico";

fn main() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/winres.rs");
    println!("cargo::rerun-if-changed={ICON}");
    // the target's, not the host's: build scripts run on the build machine
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return Ok(());
    }
    let ico = std::fs::read(ICON).map_err(|e| format!("{ICON}: {e}"))?;
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?);
    let (bytes, path) = if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
        let res = winres::icon_res(&ico).map_err(|e| format!("{ICON}: {e}"))?;
        (res, out_dir.join("onsdesk-icon.res"))
    } else {
        let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
        let machine = winres::Machine::from_target_arch(&arch)
            .ok_or_else(|| format!("no COFF machine type for the architecture {arch:?}"))?;
        let object = winres::icon_coff(&ico, machine).map_err(|e| format!("{ICON}: {e}"))?;
        (object, out_dir.join("onsdesk-icon.o"))
    };
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    // both linkers take the file as one more input, and keep every section of it
    println!("cargo::rustc-link-arg-bins={}", path.display());
    Ok(())
}
