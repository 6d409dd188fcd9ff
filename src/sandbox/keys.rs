//! The key file of `onsdesk sandbox --key-file`: the keys the sandbox accepts, one a line.
//! Secrets never come from the sandbox's command line, where every local user can read them
//! in the process list; they come from this file or from stdin.
//!
//! Format: `ID:SECRET` for an AccessKey, `ID:SECRET:TOKEN` for an STS key; blank lines and
//! lines starting with `#` are skipped; spaces around a line are ignored.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::SandboxKey;
use crate::credentials::SecretString;

/// The largest key file read: a key is about a hundred bytes, an STS token a few thousand.
pub const MAX_KEY_FILE_BYTES: u64 = 256 * 1024;

/// Why a key file cannot be used. Never quotes the file's content.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} is larger than {MAX_KEY_FILE_BYTES} bytes", path.display())]
    TooLarge { path: PathBuf },
    #[error("{} is not UTF-8 text", path.display())]
    NotText { path: PathBuf },
    #[error("{} line {line}: expected ID:SECRET or ID:SECRET:TOKEN", path.display())]
    Malformed { path: PathBuf, line: usize },
    #[error("{} holds no key", path.display())]
    Empty { path: PathBuf },
}

impl SandboxKey {
    /// Parses one key file line, `ID:SECRET` or (an STS key) `ID:SECRET:TOKEN`; `None` when a
    /// field is missing or empty.
    pub fn parse_line(line: &str) -> Option<Self> {
        let mut parts = line.splitn(3, ':');
        let id = parts.next().filter(|id| !id.is_empty())?;
        let secret = parts.next().filter(|s| !s.is_empty())?;
        let token = match parts.next() {
            Some("") => return None,
            other => other,
        };
        Some(Self {
            access_key_id: id.to_owned(),
            secret: SecretString::from(secret),
            security_token: token.map(SecretString::from),
        })
    }
}

/// The keys in a key file's text; `Err` holds the 1-based number of the first bad line.
pub fn parse_keys(text: &str) -> Result<Vec<SandboxKey>, usize> {
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(n, line)| SandboxKey::parse_line(line).ok_or(n))
        .collect()
}

/// Reads a key file: a regular file of at most [`MAX_KEY_FILE_BYTES`], with at least one key.
pub fn read_key_file(path: &Path) -> Result<Vec<SandboxKey>, KeyFileError> {
    let read = |source| KeyFileError::Read {
        path: path.to_owned(),
        source,
    };
    let file = crate::files::open_to_read(path).map_err(read)?;
    if !file.metadata().map_err(read)?.is_file() {
        return Err(KeyFileError::NotAFile {
            path: path.to_owned(),
        });
    }
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge {
            path: path.to_owned(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| KeyFileError::NotText {
        path: path.to_owned(),
    })?;
    let keys = parse_keys(&text).map_err(|line| KeyFileError::Malformed {
        path: path.to_owned(),
        line,
    })?;
    if keys.is_empty() {
        return Err(KeyFileError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_keys_and_sts_keys() {
        let keys = parse_keys(
            "# the team's test keys\n\nLTAItest:s3cret\r\n  STS.test:s3cret2:token/with+chars=  \n",
        )
        .unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].access_key_id, "LTAItest");
        assert_eq!(keys[0].secret.expose(), "s3cret");
        assert!(keys[0].security_token.is_none());
        assert_eq!(keys[1].access_key_id, "STS.test");
        assert_eq!(keys[1].secret.expose(), "s3cret2");
        assert_eq!(
            keys[1]
                .security_token
                .as_ref()
                .map(|t| t.expose().to_owned()),
            Some("token/with+chars=".to_owned())
        );
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        assert_eq!(parse_keys("a:b\n\nonly-an-id\n").err(), Some(3));
        assert_eq!(parse_keys(":secret").err(), Some(1));
        assert_eq!(parse_keys("id:").err(), Some(1));
        assert_eq!(parse_keys("id:secret:").err(), Some(1));
    }

    #[test]
    fn a_file_must_be_small_regular_text_with_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        std::fs::write(&path, "LTAItest:s3cret\n").unwrap();
        assert_eq!(read_key_file(&path).unwrap().len(), 1);

        std::fs::write(&path, "# nothing\n").unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(KeyFileError::Empty { .. })
        ));
        std::fs::write(&path, "id:not-shown-secret:\n").unwrap();
        let err = read_key_file(&path).unwrap_err();
        assert!(!err.to_string().contains("not-shown-secret"), "{err}");
        assert!(matches!(err, KeyFileError::Malformed { line: 1, .. }));

        let big = usize::try_from(MAX_KEY_FILE_BYTES).unwrap() + 1;
        std::fs::write(&path, "#".repeat(big)).unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(KeyFileError::TooLarge { .. })
        ));
        std::fs::write(&path, b"id:\xff\xfe\n").unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(KeyFileError::NotText { .. })
        ));
        assert!(matches!(
            read_key_file(dir.path()),
            Err(KeyFileError::NotAFile { .. } | KeyFileError::Read { .. })
        ));
        assert!(matches!(
            read_key_file(&dir.path().join("missing")),
            Err(KeyFileError::Read { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_not_read() {
        assert!(matches!(
            read_key_file(Path::new("/dev/zero")),
            Err(KeyFileError::NotAFile { .. })
        ));
    }
}
