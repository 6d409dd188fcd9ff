//! The profiles dialog's state, apart from how it is drawn (`dialog.rs`): the operations it
//! asks for, the list as last read, the add/edit form, the last notice and the "Test
//! credentials" call.

use zeroize::Zeroizing;

use crate::credentials::{Credentials, SecretString, mask_id};
use crate::profiles::check::Verdict;
use crate::profiles::input::whitespace_around;
use crate::profiles::{NewProfile, Profile, ProfilesFile};
use crate::region::EndpointError;

use super::super::creds::{ProfileOpDone, ProfileProblem};
use super::super::i18n::ProfilesText;

/// A profile operation to run in the background.
pub enum ProfileOp {
    Add {
        new: Box<NewProfile>,
        make_default: bool,
    },
    Update {
        profile: Box<Profile>,
        /// `None` keeps the saved secrets.
        secrets: Option<crate::profiles::ProfileSecrets>,
        make_default: bool,
    },
    Rename {
        old: String,
        new: String,
    },
    Delete(String),
    SetDefault(String),
    Import,
}

impl std::fmt::Debug for ProfileOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secrets.
        f.write_str(match self {
            Self::Add { .. } => "ProfileOp::Add",
            Self::Update { .. } => "ProfileOp::Update",
            Self::Rename { .. } => "ProfileOp::Rename",
            Self::Delete(_) => "ProfileOp::Delete",
            Self::SetDefault(_) => "ProfileOp::SetDefault",
            Self::Import => "ProfileOp::Import",
        })
    }
}

/// Which credentials "Test credentials" should try.
pub enum TestWhat {
    /// A saved profile (its secret is read from the keyring).
    Saved(String),
    /// What is typed in the editor, not saved yet, and its [`Editor::typed`] fingerprint.
    Typed {
        credentials: Credentials,
        typed: u64,
    },
}

impl std::fmt::Debug for TestWhat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Saved(name) => write!(f, "Saved({name:?})"),
            Self::Typed { credentials, .. } => write!(f, "Typed({credentials:?})"),
        }
    }
}

/// The saved profiles as last read.
#[derive(Debug)]
pub enum ProfileList {
    Loading,
    Loaded(ProfilesFile),
    Failed(ProfileProblem),
}

/// A "Test credentials" call, and where it went: the local sandbox (whose only key is its
/// demo key) or Alibaba Cloud.
#[derive(Debug)]
pub enum TestState {
    Idle,
    Pending {
        seq: u64,
        who: Tested,
        sandbox: bool,
    },
    Done {
        who: Tested,
        result: TestResult,
        sandbox: bool,
    },
}

/// Whose credentials a test tries.
#[derive(Clone, Debug)]
pub enum Tested {
    /// What was typed in the editor ([`Editor::typed`]): the verdict is about that key, and
    /// shown only while the editor still holds it.
    TypedKey {
        typed: u64,
    },
    Profile(String),
}

/// What "Test credentials" found.
#[derive(Debug)]
pub enum TestResult {
    /// The call was made: the service's verdict.
    Checked(Verdict),
    /// The saved secret could not be read: nothing was sent.
    NotLoaded(ProfileProblem),
    /// The endpoint is not usable: nothing was sent.
    Endpoint(EndpointError),
}

/// The last operation's result line in the dialog.
#[derive(Debug)]
pub enum ProfileNotice {
    Done(ProfileOpDone),
    Failed(ProfileProblem),
}

/// The add/edit form. The secret and the token are zeroized when it is dropped.
pub struct Editor {
    /// `Some(name)` when editing that profile.
    pub original: Option<String>,
    pub name: String,
    pub access_key_id: String,
    pub secret: Zeroizing<String>,
    pub show_secret: bool,
    pub sts: bool,
    pub token: Zeroizing<String>,
    /// `YYYY-MM-DD HH:MM`, UTC; empty for none.
    pub expires: String,
    /// Empty for none.
    pub region: String,
    pub make_default: bool,
    /// Keys [`Editor::typed`] (random per editor: the fingerprint says nothing outside it).
    hasher: std::hash::RandomState,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("original", &self.original)
            .field("name", &self.name)
            .field("access_key_id", &mask_id(&self.access_key_id))
            .finish_non_exhaustive()
    }
}

impl Editor {
    pub(super) fn new() -> Self {
        Self {
            original: None,
            name: String::new(),
            access_key_id: String::new(),
            secret: Zeroizing::new(String::new()),
            show_secret: false,
            sts: false,
            token: Zeroizing::new(String::new()),
            expires: String::new(),
            region: String::new(),
            make_default: false,
            hasher: std::hash::RandomState::new(),
        }
    }

    pub(super) fn edit(profile: &Profile, is_default: bool) -> Self {
        Self {
            original: Some(profile.name.clone()),
            name: profile.name.clone(),
            access_key_id: profile.access_key_id.clone(),
            sts: profile.sts,
            expires: profile
                .sts_expires
                .and_then(|t| t.format(EXPIRY_FORMAT).ok())
                .unwrap_or_default(),
            region: profile.region.clone().unwrap_or_default(),
            make_default: is_default,
            ..Self::new()
        }
    }

    pub(super) fn expiry(&self) -> Result<Option<time::OffsetDateTime>, ()> {
        let text = self.expires.trim();
        if text.is_empty() {
            return Ok(None);
        }
        time::PrimitiveDateTime::parse(text, EXPIRY_FORMAT)
            .map(|t| Some(t.assume_utc()))
            .map_err(|_| ())
    }

    /// The first thing that stops a save, if any (each is also shown next to its field).
    pub(super) fn blocker(&self) -> Option<ProfilesText> {
        let keeping_secret = self.original.is_some() && self.secret.is_empty();
        if crate::profiles::validate_name(&self.name).is_err() {
            Some(ProfilesText::ProfileNameRule)
        } else if self.access_key_id.is_empty() {
            Some(ProfilesText::NeedAccessKeyId)
        } else if whitespace_around(&self.access_key_id).is_some()
            || whitespace_around(&self.secret).is_some()
            || (self.sts && whitespace_around(&self.token).is_some())
        {
            Some(ProfilesText::FixWhitespace)
        } else if self.secret.is_empty() && !keeping_secret {
            Some(ProfilesText::NeedSecret)
        } else if self.sts && self.token.is_empty() && !keeping_secret {
            Some(ProfilesText::NeedToken)
        } else if self.sts && self.expiry().is_err() {
            Some(ProfilesText::ExpiryFormat)
        } else {
            None
        }
    }

    pub(super) fn profile(&self) -> Profile {
        Profile {
            name: self.name.clone(),
            access_key_id: self.access_key_id.clone(),
            sts: self.sts,
            sts_expires: if self.sts {
                self.expiry().ok().flatten()
            } else {
                None
            },
            region: (!self.region.is_empty()).then(|| self.region.clone()),
        }
    }

    pub(super) fn secrets(&self) -> Option<crate::profiles::ProfileSecrets> {
        if self.secret.is_empty() {
            return None;
        }
        Some(crate::profiles::ProfileSecrets {
            secret: SecretString::new(self.secret.to_string()),
            security_token: (self.sts && !self.token.is_empty())
                .then(|| SecretString::new(self.token.to_string())),
        })
    }

    /// A fingerprint of the key typed now (ID, secret, token): a test's verdict is shown only
    /// while it is the same, so a failed test of one key is not read as the next key's.
    pub(super) fn typed(&self) -> u64 {
        std::hash::BuildHasher::hash_one(
            &self.hasher,
            (
                self.access_key_id.as_str(),
                self.secret.as_str(),
                self.sts,
                self.token.as_str(),
            ),
        )
    }

    /// The typed credentials, for "Test credentials" before saving.
    pub(super) fn typed_credentials(&self) -> Option<Credentials> {
        let secrets = self.secrets()?;
        let creds = Credentials::new(self.access_key_id.clone(), secrets.secret);
        Some(match secrets.security_token {
            Some(t) => creds.with_security_token(t),
            None => creds,
        })
    }

    /// The operation that saves this form.
    pub(super) fn op(&self) -> ProfileOp {
        let profile = self.profile();
        match (&self.original, self.secrets()) {
            (None, Some(secrets)) => ProfileOp::Add {
                new: Box::new(NewProfile { profile, secrets }),
                make_default: self.make_default,
            },
            (_, secrets) => ProfileOp::Update {
                profile: Box::new(profile),
                secrets,
                make_default: self.make_default,
            },
        }
    }
}

const EXPIRY_FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

/// The dialog's state.
#[derive(Debug)]
pub struct ProfilesDialog {
    pub list: ProfileList,
    pub open: bool,
    pub editor: Option<Editor>,
    pub confirm_delete: Option<String>,
    /// (profile, new name typed)
    pub rename: Option<(String, String)>,
    /// An operation is running: buttons wait.
    pub busy: Option<u64>,
    pub notice: Option<ProfileNotice>,
    pub test: TestState,
    /// The keyring's name, for the dialog's first line.
    pub store_name: &'static str,
    /// The aliyun CLI's file, when it exists (looked for off the UI thread).
    pub aliyun_file: Option<std::path::PathBuf>,
    /// Move keyboard focus to the dialog's first control (set when it opens, and when the
    /// editor opens: its first field); cleared once done.
    pub focus_first: bool,
}

impl ProfilesDialog {
    pub fn new(store_name: &'static str) -> Self {
        Self {
            list: ProfileList::Loading,
            open: false,
            editor: None,
            confirm_delete: None,
            rename: None,
            busy: None,
            notice: None,
            test: TestState::Idle,
            store_name,
            aliyun_file: None,
            focus_first: false,
        }
    }

    /// The saved profiles, once read.
    pub fn loaded(&self) -> Option<&ProfilesFile> {
        match &self.list {
            ProfileList::Loaded(f) => Some(f),
            _ => None,
        }
    }
}
