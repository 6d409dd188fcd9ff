//! `profiles.json`: the non-secret half of the profiles (names, `AccessKey` IDs, regions, the
//! default), versioned, written atomically (temp file, fsync, rename) through [`crate::files`]:
//! mode 0600 on unix when new, the user's mode kept on every rewrite. Every change is a
//! read-modify-write under the exclusive lock on `profiles.lock` ([`lock`]), so two onsdesk
//! processes changing profiles at once cannot lose each other's change. No secret ever goes
//! in here.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The file name inside the data directory.
pub const CONFIG_FILE: &str = "profiles.json";
/// Held (exclusively) around every change of the file, by every onsdesk process.
pub const LOCK_FILE: &str = "profiles.lock";
/// The format version this build reads and writes.
pub const CONFIG_VERSION: u32 = 1;

/// A saved profile without its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub access_key_id: String,
    /// Temporary (STS) credentials: the keyring entry also holds a security token.
    #[serde(default)]
    pub sts: bool,
    /// When the STS token expires, if the user told us.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub sts_expires: Option<OffsetDateTime>,
    /// The region to use with this profile when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl Profile {
    /// True when a recorded STS expiry has passed.
    #[must_use]
    pub fn sts_expired(&self, now: OffsetDateTime) -> bool {
        self.sts && self.sts_expires.is_some_and(|t| t <= now)
    }
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilesFile {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

impl ProfilesFile {
    /// An empty, current-version file.
    #[must_use]
    pub fn empty() -> Self {
        Self {
            version: CONFIG_VERSION,
            default: None,
            profiles: Vec::new(),
        }
    }

    /// The profile with this name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}

/// `profiles.json` could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("could not write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("could not lock {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
    #[error(
        "the profiles are being changed by another onsdesk process: its lock ({}) was still \
         held after {} s, so nothing was changed; try again when that process has finished",
        path.display(),
        waited.as_secs()
    )]
    Busy {
        path: PathBuf,
        waited: std::time::Duration,
    },
    #[error("{} is not a valid profiles file ({detail}); fix or move it away", path.display())]
    Parse { path: PathBuf, detail: String },
    #[error("{} was written by a newer onsdesk (format {version}); update onsdesk", path.display())]
    TooNew { path: PathBuf, version: u32 },
}

/// Reads the file; a missing file is an empty list.
pub fn load(path: &Path) -> Result<ProfilesFile, ConfigError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ProfilesFile::empty()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    let file: ProfilesFile = serde_json::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        // serde quotes the file, which anyone who can write it may have filled with anything
        detail: crate::text::excerpt(&e.to_string()),
    })?;
    if file.version > CONFIG_VERSION {
        return Err(ConfigError::TooNew {
            path: path.to_owned(),
            version: file.version,
        });
    }
    Ok(file)
}

/// How long a profile change waits for another process to release the lock. A holder keeps
/// it for one change, which may wait on the keyring (an unlock prompt): a lock held longer is
/// a process stopped while holding it, or a prompt nobody answers.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The lock that makes a read-modify-write of the file one step for every onsdesk process;
/// waits at most [`LOCK_WAIT`] while another holds it ([`ConfigError::Busy`] after that).
/// Released when dropped.
pub fn lock(path: &Path) -> Result<crate::files::FileLock, ConfigError> {
    crate::files::lock_within(path, LOCK_WAIT)
        .map_err(|source| ConfigError::Lock {
            path: path.to_owned(),
            source,
        })?
        .ok_or_else(|| ConfigError::Busy {
            path: path.to_owned(),
            waited: LOCK_WAIT,
        })
}

/// Writes the file atomically (see [`crate::files::write_atomically`]); creates the folder
/// (0700 on unix) if needed. Call it with the [`lock`] held, after reading what it changes.
pub fn save(path: &Path, file: &ProfilesFile) -> Result<(), ConfigError> {
    let write_err = |source| ConfigError::Write {
        path: path.to_owned(),
        source,
    };
    let mut bytes = serde_json::to_vec_pretty(file)
        .map_err(|e| write_err(io::Error::new(io::ErrorKind::InvalidData, e)))?;
    bytes.push(b'\n');
    crate::files::write_atomically(path, &bytes).map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ProfilesFile {
        ProfilesFile {
            version: CONFIG_VERSION,
            default: Some("prod".into()),
            profiles: vec![
                Profile {
                    name: "prod".into(),
                    access_key_id: "TESTk5tProdProdProd".into(),
                    sts: false,
                    sts_expires: None,
                    region: Some("cn-shanghai".into()),
                },
                Profile {
                    name: "tmp".into(),
                    access_key_id: "STS.abc".into(),
                    sts: true,
                    sts_expires: Some(time::macros::datetime!(2030-01-02 03:04:05 UTC)),
                    region: None,
                },
            ],
        }
    }

    #[test]
    fn missing_file_is_empty_and_round_trip_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(CONFIG_FILE);
        assert_eq!(load(&path).unwrap(), ProfilesFile::empty());
        save(&path, &sample()).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("\"sts_expires\": \"2030-01-02T03:04:05Z\""),
            "{text}"
        );
        // no temp file left behind
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(CONFIG_FILE)]);
    }

    #[cfg(unix)]
    #[test]
    fn file_is_private_on_unix() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join(CONFIG_FILE);
        save(&path, &sample()).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
    }

    #[test]
    fn newer_and_broken_files_are_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        fs::write(&path, r#"{"version": 9, "profiles": []}"#).unwrap();
        assert!(matches!(
            load(&path),
            Err(ConfigError::TooNew { version: 9, .. })
        ));
        fs::write(&path, "{not json").unwrap();
        let err = load(&path).unwrap_err();
        assert!(
            err.to_string().contains("not a valid profiles file"),
            "{err}"
        );
    }

    #[test]
    fn sts_expiry() {
        let p = &sample().profiles[1];
        assert!(!p.sts_expired(time::macros::datetime!(2029-12-31 00:00 UTC)));
        assert!(p.sts_expired(time::macros::datetime!(2030-01-03 00:00 UTC)));
        assert!(!sample().profiles[0].sts_expired(OffsetDateTime::now_utc()));
    }
}
