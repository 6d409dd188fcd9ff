//! Loads Mesa's GL driver on a thread of its own while the window is being made (Linux).
//!
//! On Linux, eframe's OpenGL goes through Mesa: once the window's GL display is made, Mesa
//! loads its driver (`dri/<name>_dri.so`, with LLVM), 20–25 ms of the window's start spent
//! by the one thread that makes the window: the largest single step of it. Every Mesa driver
//! of an installation is one file under many names (hard links: llvmpipe under Xvfb, iris or
//! radeonsi on a desktop), so loading it by one of those names, on a second thread, as soon
//! as the window is about to be made, lets Mesa find it already loaded when its turn comes
//! (the dynamic loader hands back the same library for the same file). The window is on
//! screen about 5 % sooner (docs/performance.md).
//!
//! Started from eframe's `window_builder` hook, after the event loop exists: a second thread
//! before that would slow the X input method's reading of its Compose table (see
//! [`super::run`]). Nothing waits for the thread; if Mesa asks first, it waits for the loader
//! as it would have loaded the driver itself.
//!
//! Not done where Mesa would not load that file: when `LIBGL_DRIVERS_PATH` points Mesa
//! elsewhere, on NVIDIA's own driver (`/proc/driver/nvidia/version`, or
//! `__GLX_VENDOR_LIBRARY_NAME` naming another vendor than Mesa), with no Mesa driver in the
//! usual folders, or when `ONSDESK_NO_GL_PRELOAD` is set.

use std::path::{Path, PathBuf};

/// The name loaded: every Mesa installation builds llvmpipe, and all its drivers are the
/// same file.
const DRIVER_FILE: &str = "swrast_dri.so";

/// Starts loading the driver on a thread of its own, if it is to be loaded at all.
pub fn preload() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let var = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
    let Some(path) = driver_to_load(&var, &|path| path.is_file()) else {
        return;
    };
    // No thread, no head start: Mesa loads the driver itself, as always.
    let _ = std::thread::Builder::new()
        .name("onsdesk-gl-driver".into())
        .spawn(move || load(&path));
}

/// The driver file Mesa will load, unless something says it will load another (or none).
fn driver_to_load(
    var: &dyn Fn(&str) -> Option<String>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let elsewhere = ["ONSDESK_NO_GL_PRELOAD", "LIBGL_DRIVERS_PATH"]
        .into_iter()
        .any(|name| var(name).is_some());
    let vendor_not_mesa = var("__GLX_VENDOR_LIBRARY_NAME").is_some_and(|vendor| vendor != "mesa");
    if elsewhere || vendor_not_mesa || exists(Path::new("/proc/driver/nvidia/version")) {
        return None;
    }
    driver_folders()
        .into_iter()
        .map(|folder| folder.join(DRIVER_FILE))
        .find(|path| exists(path))
}

/// Where distributions put Mesa's drivers: Debian and Ubuntu (the multiarch folder), Fedora
/// and openSUSE, Arch.
fn driver_folders() -> [PathBuf; 3] {
    [
        PathBuf::from(format!("/usr/lib/{}-linux-gnu/dri", std::env::consts::ARCH)),
        PathBuf::from("/usr/lib64/dri"),
        PathBuf::from("/usr/lib/dri"),
    ]
}

#[cfg(target_os = "linux")]
fn load(path: &Path) {
    use std::os::unix::ffi::OsStrExt as _;

    let started = std::time::Instant::now();
    let Ok(path_c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return;
    };
    // The flags Mesa's loader opens its driver with, so that its own `dlopen` finds the
    // library as it wants it and has nothing left to do.
    let flags = libc::RTLD_NOW | libc::RTLD_GLOBAL;
    #[expect(
        unsafe_code,
        reason = "dlopen has no safe form; see the SAFETY note (the crate's one unsafe block)"
    )]
    // SAFETY: `path_c` is a NUL-terminated path that outlives the call. The library is the
    // file Mesa itself loads into this process moments later (same file, so the loader
    // shares one copy): its initialisers run here instead of on the window's thread, under
    // the dynamic loader's lock either way, and nothing here calls into it. The handle is
    // never closed: the driver stays loaded until the process exits, as it does anyway while
    // the window is open (should Mesa close its own handle, this one only keeps it mapped).
    let handle = unsafe { libc::dlopen(path_c.as_ptr(), flags) };
    tracing::debug!(
        loaded = !handle.is_null(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "GL driver preloaded"
    );
}

#[cfg(not(target_os = "linux"))]
fn load(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Mesa installation in every usual folder, and no NVIDIA driver.
    fn all_exist(path: &Path) -> bool {
        !path.starts_with("/proc")
    }

    fn unset(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_first_usual_folder_holding_the_driver_is_chosen() {
        let only_lib64 = |path: &Path| path.starts_with("/usr/lib64/dri");
        assert_eq!(
            driver_to_load(&unset, &only_lib64),
            Some(PathBuf::from("/usr/lib64/dri/swrast_dri.so"))
        );
        let chosen = driver_to_load(&unset, &all_exist).expect("a folder");
        assert!(
            chosen.ends_with(format!(
                "{}-linux-gnu/dri/swrast_dri.so",
                std::env::consts::ARCH
            )),
            "{chosen:?}"
        );
        assert_eq!(driver_to_load(&unset, &|_| false), None);
    }

    #[test]
    fn nothing_is_loaded_where_mesa_would_load_another_file_or_none() {
        for (variable, value) in [
            ("LIBGL_DRIVERS_PATH", "/opt/mesa/dri"),
            ("ONSDESK_NO_GL_PRELOAD", "1"),
            ("__GLX_VENDOR_LIBRARY_NAME", "nvidia"),
        ] {
            let set = |name: &str| (name == variable).then(|| value.to_owned());
            assert_eq!(driver_to_load(&set, &all_exist), None, "{variable}");
        }
        let mesa = |name: &str| (name == "__GLX_VENDOR_LIBRARY_NAME").then(|| "mesa".to_owned());
        assert!(driver_to_load(&mesa, &all_exist).is_some());
        let nvidia = |path: &Path| path == Path::new("/proc/driver/nvidia/version");
        assert_eq!(driver_to_load(&unset, &nvidia), None);
    }
}
