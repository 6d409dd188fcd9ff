//! Credentials as the window knows them: where the ones in use come from ([`Creds`]), what
//! the selector can pick ([`Selection`]), why a profile or the sandbox could not be used, and
//! what a profile operation did. Plain values below the features: the session, the profiles
//! feature, the top bar and the language module all use them.

use std::sync::Arc;

use crate::credentials::{CredentialSource, Credentials};
use crate::profiles::ProfileError;
use crate::profiles::aliyun::ImportError;

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

/// A profile operation went wrong: the core's error, shared so the views can keep it, for the
/// language module to put into words.
#[derive(Clone, Debug)]
pub enum ProfileProblem {
    /// The profile store (its file or the keyring) refused.
    Profile(Arc<ProfileError>),
    /// The aliyun CLI's file could not be imported.
    Import(Arc<ImportError>),
    /// The keyring or file call panicked.
    Panicked,
}

impl From<ProfileError> for ProfileProblem {
    fn from(e: ProfileError) -> Self {
        Self::Profile(Arc::new(e))
    }
}

impl From<ImportError> for ProfileProblem {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Profile(p) => p.into(),
            other => Self::Import(Arc::new(other)),
        }
    }
}

/// What a finished profile operation did.
#[derive(Clone, Debug)]
pub enum ProfileOpDone {
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
