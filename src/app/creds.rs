//! Credentials as the window knows them: where the ones in use come from ([`Creds`]), what
//! the selector can pick ([`Selection`]), why a profile or the sandbox could not be used, and
//! what a profile operation did. Plain values below the features: the session, the profiles
//! feature, the top bar and the language module all use them.

use crate::credentials::{CredentialSource, Credentials};
use crate::profiles::{KeyringError, ProfileError};

/// Credentials as the window knows them.
#[derive(Debug)]
pub enum Creds {
    Missing,
    /// Reading a profile's secret from the keyring.
    Loading {
        seq: u64,
        profile: String,
    },
    SandboxStarting,
    SandboxFailed(SandboxProblem),
    Ready {
        source: CredentialSource,
        credentials: Credentials,
    },
}

/// Why the sandbox did not start.
#[derive(Debug)]
pub enum SandboxProblem {
    Io(std::io::Error),
    /// Its start-up task panicked.
    Panicked,
}

/// A profile could not be used: said in a banner until dismissed.
#[derive(Debug)]
pub struct KeyringNotice {
    pub profile: String,
    pub problem: ProfileProblem,
}

/// What the selector can pick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Profile(String),
    /// The `ALIBABA_CLOUD_*` variables, for this session only.
    Environment,
    Sandbox,
}

/// A profile operation went wrong, kept in a form the window can put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileProblem {
    Keyring(KeyringError),
    NotFound(String),
    AlreadyExists(String),
    /// The core's own words (file errors, the aliyun import), English.
    Text(String),
    /// The keyring or file call panicked.
    Panicked,
}

impl From<ProfileError> for ProfileProblem {
    fn from(e: ProfileError) -> Self {
        match e {
            ProfileError::Keyring(k) => Self::Keyring(k),
            ProfileError::NotFound(n) => Self::NotFound(n),
            ProfileError::AlreadyExists(n) => Self::AlreadyExists(n),
            other => Self::Text(other.to_string()),
        }
    }
}

/// What a finished profile operation did.
#[derive(Clone, Debug)]
pub enum OpDone {
    Added {
        name: String,
        is_default: bool,
    },
    Updated(String),
    Renamed {
        old: String,
        new: String,
    },
    Deleted(String),
    DefaultSet(String),
    Imported {
        aliyun_name: String,
        name: String,
        source_file: std::path::PathBuf,
    },
}
