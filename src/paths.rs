//! Where onsdesk keeps its files.

use std::path::PathBuf;

/// Environment variable that overrides the data directory.
pub const ENV_DATA_DIR: &str = "ONSDESK_DATA_DIR";

/// The data directory: `ONSDESK_DATA_DIR` if set, else the platform's data dir
/// (`~/.local/share/onsdesk` on Linux, `~/Library/Application Support/com.onsdesk.onsdesk` on
/// macOS, `%APPDATA%\onsdesk\onsdesk\data` on Windows). `None` when no home directory is known.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(ENV_DATA_DIR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("com", "onsdesk", "onsdesk")
            .map(|d| d.data_dir().to_path_buf()),
    }
}
