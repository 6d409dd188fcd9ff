//! Embeds the app icon in the Windows executables. Nothing to do for other targets.
//!
//! The `.res` is written in plain Rust (see `build/winres.rs`) and handed to MSVC's linker as
//! an input, so no resource compiler is needed, and the cross-target `cargo clippy` in CI
//! (which runs build scripts but links nothing) works with no Windows tools at all.

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
    let res = winres::icon_res(&ico).map_err(|e| format!("{ICON}: {e}"))?;
    let out_dir = env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?;
    let path = PathBuf::from(out_dir).join("onsdesk-icon.res");
    std::fs::write(&path, res).map_err(|e| format!("{}: {e}", path.display()))?;
    if env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc") {
        // link.exe and lld-link take a .res file like an object file
        println!("cargo::rustc-link-arg-bins={}", path.display());
    } else {
        // GNU ld wants a COFF object (windres); not made here
        println!("cargo::warning=the icon is embedded for the MSVC toolchain only");
    }
    Ok(())
}
