//! Importing a profile from the aliyun CLI's `~/.aliyun/config.json` (modes `AK` and
//! `StsToken`). That file keeps secrets in plain text; the import copies the secret into the
//! keyring and leaves the file alone: cleaning it up is the user's call.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroize as _;

use super::{InputError, NewProfile, Profile, ProfileError, ProfileStore, secrets, validate_name};

/// An import failed. `Display` never quotes the file's content.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no home directory to find ~/.aliyun/config.json in; pass --from PATH")]
    NoHome,
    #[error("could not read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A device, a pipe or a folder: only a regular file is read, so `--from /dev/zero` cannot
    /// fill the memory.
    #[error("{} is not a regular file; pass the aliyun CLI's config.json", path.display())]
    NotAFile { path: PathBuf },
    #[error(
        "{} is larger than {} MiB; the aliyun CLI's config.json is a few KiB",
        path.display(),
        MAX_CONFIG_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf },
    /// Only the position is kept: serde's message could quote a secret.
    #[error("{} is not valid aliyun CLI configuration (JSON error at line {line}, column {column})", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{} has no profile named {name:?} (it has: {available})", path.display())]
    NoSuchProfile {
        path: PathBuf,
        name: String,
        available: String,
    },
    #[error("{} names no current profile; pass --name NAME", path.display())]
    NoCurrent { path: PathBuf },
    #[error(
        "aliyun profile {name:?} uses mode {mode:?}; onsdesk imports only AK and StsToken \
         profiles (for others, set the ALIBABA_CLOUD_* variables or use `onsdesk profile add`)"
    )]
    UnsupportedMode { name: String, mode: String },
    #[error("aliyun profile {name:?}: {problem}")]
    Invalid { name: String, problem: InputError },
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

#[derive(Deserialize)]
struct AliyunConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<AliyunProfile>,
}

#[derive(Deserialize)]
struct AliyunProfile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    region_id: String,
}

impl Drop for AliyunProfile {
    fn drop(&mut self) {
        self.access_key_secret.zeroize();
        self.sts_token.zeroize();
    }
}

/// The largest config file read: the aliyun CLI's is a few KiB, even with many profiles.
pub const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// `~/.aliyun/config.json`.
#[must_use]
pub fn default_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aliyun").join("config.json"))
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The aliyun profile that was read.
    pub aliyun_name: String,
    /// The onsdesk profile created.
    pub profile: Profile,
    pub is_default: bool,
    /// The plain-text file that still holds the secret.
    pub source_file: PathBuf,
    /// The aliyun profile's `region_id`, made printable, when it was left out because it is
    /// not a region ONS serves (the profile was imported without a default region).
    pub dropped_region: Option<String>,
}

/// Reads `path` (default `~/.aliyun/config.json`), takes profile `name` (default: its
/// `current`), and adds it as onsdesk profile `as_name` (default: the same name). Blocking.
pub fn import(
    store: &ProfileStore,
    path: Option<&Path>,
    name: Option<&str>,
    as_name: Option<&str>,
    make_default: bool,
) -> Result<Imported, ImportError> {
    let path = match path {
        Some(p) => p.to_owned(),
        None => default_path().ok_or(ImportError::NoHome)?,
    };
    let mut bytes = read_config(&path)?;
    let parsed: Result<AliyunConfig, _> = serde_json::from_slice(&bytes);
    bytes.zeroize();
    let config = parsed.map_err(|e| ImportError::Parse {
        path: path.clone(),
        line: e.line(),
        column: e.column(),
    })?;
    let wanted = match name.map(str::to_owned).or(config.current.clone()) {
        Some(n) if !n.is_empty() => n,
        _ => return Err(ImportError::NoCurrent { path }),
    };
    let Some(source) = config.profiles.iter().find(|p| p.name == wanted) else {
        let available = config
            .profiles
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ImportError::NoSuchProfile {
            path,
            name: wanted,
            available,
        });
    };
    let sts = match source.mode.as_str() {
        "AK" => false,
        "StsToken" => true,
        other => {
            return Err(ImportError::UnsupportedMode {
                name: wanted,
                mode: other.to_owned(),
            });
        }
    };
    let target = as_name.unwrap_or(&wanted).to_owned();
    validate_name(&target)?;
    // The file is plain text anyone with access can edit: only a region ONS serves is kept.
    let (region, dropped_region) = match source.region_id.trim() {
        "" => (None, None),
        id => match crate::region::RegionId::known(id) {
            Ok(region) => (Some(region.to_string()), None),
            Err(_) => (None, Some(crate::text::shortened(id, 80))),
        },
    };
    let new = NewProfile {
        profile: Profile {
            name: target,
            access_key_id: source.access_key_id.clone(),
            sts,
            sts_expires: None,
            region,
        },
        secrets: secrets(
            source.access_key_secret.clone(),
            sts.then(|| source.sts_token.clone()),
        ),
    };
    if let Err(e) = new.validate() {
        return Err(match e {
            ProfileError::InvalidInput(problem) => ImportError::Invalid {
                name: wanted,
                problem,
            },
            other => other.into(),
        });
    }
    let added = store.add(&new, make_default)?;
    Ok(Imported {
        aliyun_name: wanted,
        profile: new.profile,
        is_default: added.is_default,
        source_file: path,
        dropped_region,
    })
}

/// The file's bytes: a regular file of at most [`MAX_CONFIG_BYTES`]. The kind is checked before
/// opening (opening a FIFO would wait for a writer) and again on the open file; the size before
/// reading and again while reading (the file may grow in between).
fn read_config(path: &Path) -> Result<Vec<u8>, ImportError> {
    let read_error = |source| ImportError::Read {
        path: path.to_owned(),
        source,
    };
    let check = |meta: &fs::Metadata| {
        if !meta.is_file() {
            Err(ImportError::NotAFile {
                path: path.to_owned(),
            })
        } else if meta.len() > MAX_CONFIG_BYTES {
            Err(ImportError::TooLarge {
                path: path.to_owned(),
            })
        } else {
            Ok(())
        }
    };
    // first by the path, for the plain answer where opening a folder fails (Windows); then on
    // the open file, as the path can be swapped in between (opening does not wait on a FIFO)
    check(&fs::metadata(path).map_err(read_error)?)?;
    let file = crate::files::open_to_read(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    check(&meta)?;
    // sized once, so no reallocation leaves a copy of a secret behind
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    let read = file
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error);
    if read.is_err() || bytes.len() as u64 > MAX_CONFIG_BYTES {
        bytes.zeroize();
        read?;
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::SecretStore;

    const CONFIG: &str = r#"{
      "current": "work",
      "profiles": [
        {"name": "work", "mode": "AK", "access_key_id": "LTAIwork", "access_key_secret": "work-secret-xyz", "region_id": "cn-shanghai"},
        {"name": "temp", "mode": "StsToken", "access_key_id": "STS.temp", "access_key_secret": "temp-secret", "sts_token": "temp-token", "region_id": ""},
        {"name": "ram", "mode": "RamRoleArn", "access_key_id": "LTAIram", "access_key_secret": "ram-secret"},
        {"name": "spacey", "mode": "AK", "access_key_id": "LTAIsp", "access_key_secret": "spacey-secret "}
      ]
    }"#;

    fn setup() -> (tempfile::TempDir, ProfileStore, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, CONFIG).unwrap();
        let store = ProfileStore::new(&dir.path().join("data"), SecretStore::in_memory().unwrap());
        (dir, store, path)
    }

    #[test]
    fn imports_current_ak_and_named_sts() {
        let (_dir, store, path) = setup();
        let imported = import(&store, Some(&path), None, None, false).unwrap();
        assert_eq!(imported.aliyun_name, "work");
        assert_eq!(imported.profile.region.as_deref(), Some("cn-shanghai"));
        assert!(imported.is_default);
        let (_, creds) = store.credentials("work").unwrap();
        assert_eq!(creds.secret.expose(), "work-secret-xyz");
        assert!(creds.security_token.is_none());

        let imported = import(&store, Some(&path), Some("temp"), Some("t2"), false).unwrap();
        assert!(imported.profile.sts);
        assert_eq!(imported.profile.region, None);
        let (_, creds) = store.credentials("t2").unwrap();
        assert_eq!(creds.security_token.unwrap().expose(), "temp-token");
        // importing again under the same name is refused
        assert!(import(&store, Some(&path), None, None, false).is_err());
    }

    #[test]
    fn refusals_are_clear_and_never_quote_secrets() {
        let (dir, store, path) = setup();
        let err = import(&store, Some(&path), Some("ram"), None, false).unwrap_err();
        assert!(err.to_string().contains("RamRoleArn"), "{err}");
        let err = import(&store, Some(&path), Some("spacey"), None, false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("ends with a space"), "{text}");
        assert!(!text.contains("spacey-secret"), "{text}");
        let err = import(&store, Some(&path), Some("nope"), None, false).unwrap_err();
        assert!(err.to_string().contains("work, temp, ram, spacey"), "{err}");

        // a type error whose serde message would quote the secret
        let bad = dir.path().join("bad.json");
        fs::write(
            &bad,
            r#"{"profiles": [{"name": "x", "access_key_secret": ["leaky-secret-value"]}]}"#,
        )
        .unwrap();
        let err = import(&store, Some(&bad), Some("x"), None, false).unwrap_err();
        assert!(matches!(err, ImportError::Parse { .. }));
        assert!(!format!("{err} {err:?}").contains("leaky"), "{err}");
        assert!(store.list().unwrap().profiles.is_empty());
    }

    /// `--from /dev/zero` (endless), a folder or a huge file are refused before they are read,
    /// so an import never grows past a few MiB. `/dev/zero` is Unix's: Windows has no such
    /// path (there it is a missing file, refused as unreadable).
    #[test]
    fn only_a_small_regular_file_is_read() {
        let (dir, store, _path) = setup();
        // sparse: 1 byte over the limit takes no room on disk
        let big = dir.path().join("big.json");
        fs::File::create(&big)
            .unwrap()
            .set_len(MAX_CONFIG_BYTES + 1)
            .unwrap();
        let err = import(&store, Some(&big), None, None, false).unwrap_err();
        assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("is larger than 4 MiB"), "{err}");
        let mut not_files = vec![dir.path()];
        if cfg!(unix) {
            not_files.push(Path::new("/dev/zero"));
        }
        for not_a_file in not_files {
            let err = import(&store, Some(not_a_file), None, None, false).unwrap_err();
            assert!(matches!(err, ImportError::NotAFile { .. }), "{err}");
            assert!(err.to_string().contains("is not a regular file"), "{err}");
        }
        assert!(store.list().unwrap().profiles.is_empty());
    }
}
