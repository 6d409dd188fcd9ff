//! The OS keyring, seen as one entry per profile: service `onsdesk`, user = the profile name,
//! value = a small JSON object holding the secret and the optional STS token.
//!
//! Tests that reach the OS keyring file their entries under a service of their own instead
//! (`ONSDESK_TEST_KEYRING_SERVICE`, see [`ENV_TEST_KEYRING_SERVICE`]), so a test run never
//! reads, writes or prunes the user's own entries.
//!
//! Every call here blocks (a D-Bus round trip on Linux, and a desktop may raise an unlock
//! prompt): call it from a worker thread (`tokio::task::spawn_blocking`), never from a UI frame.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize as _, Zeroizing};

use crate::credentials::SecretString;
use crate::text;

/// The keyring service name every profile entry is filed under.
pub const KEYRING_SERVICE: &str = "onsdesk";

/// Tests only: the keyring service the OS keyring's entries are filed under instead of
/// [`KEYRING_SERVICE`]. It must be [`TEST_SERVICE_PREFIX`] followed by lowercase letters,
/// digits and `-`; any other value makes every keyring call fail (never a fall-back to the
/// user's entries).
pub const ENV_TEST_KEYRING_SERVICE: &str = "ONSDESK_TEST_KEYRING_SERVICE";
/// How every test keyring service begins.
pub const TEST_SERVICE_PREFIX: &str = "onsdesk-test-";

/// Whether `service` may be used as a test keyring service (see [`ENV_TEST_KEYRING_SERVICE`]).
fn is_test_service(service: &str) -> bool {
    service
        .strip_prefix(TEST_SERVICE_PREFIX)
        .is_some_and(|tail| {
            !tail.is_empty()
                && tail
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// What to ask a store for to find every entry of `service`; each store reads its own search
/// keys. The Secret Service and the macOS Keychain match the `service` attribute exactly (the
/// in-memory mock by substring); Windows Credential Manager matches a regular expression
/// against the target name, `USER.SERVICE` by default (the service names used here hold no
/// character special in one). Whatever comes back is filtered again on the entry's own
/// service name.
fn search_spec(service: &str) -> std::collections::HashMap<&'static str, String> {
    if cfg!(target_os = "windows") {
        std::collections::HashMap::from([("pattern", format!(r"\.{service}$"))])
    } else {
        std::collections::HashMap::from([("service", service.to_owned())])
    }
}

/// The secret half of a profile: only ever in the keyring and in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSecrets {
    pub secret: SecretString,
    /// The STS security token, for temporary credentials.
    pub security_token: Option<SecretString>,
}

/// What to do when the keyring cannot serve us, said once for every error below.
const ENV_HINT: &str = "to work without the keyring for this session, set ALIBABA_CLOUD_ACCESS_KEY_ID and \
     ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for an STS key) in the \
     environment; onsdesk never falls back to a plain-text file";

/// The keyring could not do what was asked. `Display` says what happened and what to do; it
/// never contains a secret (keyring-core's own errors can carry secret bytes, so they are
/// reduced to a description here and never formatted with `Debug`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// No keyring service to talk to (no Secret Service on the session bus, no session bus,
    /// an unsupported OS).
    #[error("the {store} is not available ({detail}); {ENV_HINT}")]
    Unavailable { store: &'static str, detail: String },
    /// The keyring is there but locked, or it refused access (a dismissed unlock prompt).
    #[error(
        "the {store} is locked or refused access ({detail}); unlock it (log in to the desktop \
         session, or answer its unlock prompt) and try again, or {ENV_HINT}"
    )]
    Locked { store: &'static str, detail: String },
    /// The profile is listed but its keyring entry is gone (deleted outside onsdesk).
    #[error(
        "the {store} has no secret for profile {profile:?} (was it deleted outside onsdesk?); \
         add it again with `onsdesk profile remove {profile}` then `onsdesk profile add {profile} \
         --access-key-id ID`, or {ENV_HINT}"
    )]
    Missing {
        store: &'static str,
        profile: String,
    },
    /// The entry exists but does not hold what onsdesk wrote.
    #[error(
        "the {store} entry for profile {profile:?} is not in onsdesk's format ({what}); remove \
         the profile and add it again"
    )]
    Corrupt {
        store: &'static str,
        profile: String,
        what: Corruption,
    },
    /// The keyring refused the value or the name (too long, invalid, ambiguous).
    #[error("the {store} refused the entry for profile {profile:?}: {why}")]
    Refused {
        store: &'static str,
        profile: String,
        why: Refusal,
    },
}

/// How a keyring entry is not what onsdesk wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Corruption {
    #[error("not UTF-8")]
    NotUtf8,
    #[error("the store could not decode it")]
    Undecodable,
    /// serde_json's words can quote values: only the fact is kept.
    #[error("not onsdesk's JSON")]
    NotJson,
    #[error("written by a different onsdesk version")]
    OtherVersion,
    #[error("empty secret")]
    EmptySecret,
    #[error("the STS token is missing")]
    NoToken,
}

/// Why the keyring refused an entry. `attr` and `why` are the keyring library's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{attr} is longer than the store's limit of {limit}")]
    TooLong { attr: String, limit: u32 },
    #[error("{attr} is invalid: {why}")]
    Invalid { attr: String, why: String },
    #[error("{count} entries match it; remove the extra ones with the keyring's own tool")]
    Ambiguous { count: usize },
}

/// The name of this platform's keyring, as users know it.
#[must_use]
pub const fn platform_store_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else {
        "Secret Service keyring"
    }
}

enum Backend {
    /// A store given up front (the in-memory mock in tests).
    Fixed(Arc<CredentialStore>),
    /// The platform's store, connected on first use; a failed connection is retried on the
    /// next call (the user may start or unlock the keyring in between).
    Platform(Mutex<Option<Arc<CredentialStore>>>),
}

/// Where profile secrets live. Cheap to clone, `Send + Sync + 'static`: hand a clone to a
/// blocking task.
#[derive(Clone)]
pub struct SecretStore {
    backend: Arc<Backend>,
    name: &'static str,
    /// [`KEYRING_SERVICE`], or a test's own service.
    service: Arc<str>,
}

impl fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretStore")
            .field("store", &self.name)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// The OS keyring: Secret Service (Linux/BSD), Keychain (macOS), Credential Manager
    /// (Windows), with onsdesk's entries filed under [`KEYRING_SERVICE`], or under the test
    /// service [`ENV_TEST_KEYRING_SERVICE`] names. Nothing is contacted until the first call.
    #[must_use]
    pub fn platform() -> Self {
        match std::env::var_os(ENV_TEST_KEYRING_SERVICE) {
            None => Self::platform_with_service(KEYRING_SERVICE),
            Some(service) => Self::platform_with_service(&service.to_string_lossy()),
        }
    }

    /// The OS keyring with entries filed under `service`: [`KEYRING_SERVICE`], or for tests
    /// a service that begins with [`TEST_SERVICE_PREFIX`] (any other makes every call fail).
    #[must_use]
    pub fn platform_with_service(service: &str) -> Self {
        Self {
            backend: Arc::new(Backend::Platform(Mutex::new(None))),
            name: platform_store_name(),
            service: service.into(),
        }
    }

    /// An empty in-memory store (keyring-core's mock), for tests and demos. Nothing persists.
    pub fn in_memory() -> Result<Self, KeyringError> {
        let store = keyring_core::mock::Store::new().map_err(|e| KeyringError::Unavailable {
            store: "in-memory store",
            detail: describe(&e),
        })?;
        Ok(Self::from_store(store, "in-memory store"))
    }

    /// Any keyring-core store.
    pub fn from_store(store: Arc<CredentialStore>, name: &'static str) -> Self {
        Self {
            backend: Arc::new(Backend::Fixed(store)),
            name,
            service: KEYRING_SERVICE.into(),
        }
    }

    /// The store's name for messages ("Secret Service keyring", …).
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    fn store(&self) -> Result<Arc<CredentialStore>, KeyringError> {
        if &*self.service != KEYRING_SERVICE && !is_test_service(&self.service) {
            return Err(KeyringError::Unavailable {
                store: self.name,
                detail: format!(
                    "{ENV_TEST_KEYRING_SERVICE} must be {TEST_SERVICE_PREFIX} followed by \
                     lowercase letters, digits or '-'"
                ),
            });
        }
        match &*self.backend {
            Backend::Fixed(store) => Ok(store.clone()),
            Backend::Platform(cell) => {
                let mut slot = cell.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(store) = &*slot {
                    return Ok(store.clone());
                }
                let store = connect_platform().map_err(|e| self.classify(e, None))?;
                *slot = Some(store.clone());
                Ok(store)
            }
        }
    }

    pub(crate) fn entry(&self, profile: &str) -> Result<Entry, KeyringError> {
        let store = self.store()?;
        Entry::new_in_store(&store, &self.service, profile)
            .map_err(|e| self.classify(e, Some(profile)))
    }

    /// Writes (or overwrites) the profile's secrets. Blocking.
    pub fn save(&self, profile: &str, secrets: &ProfileSecrets) -> Result<(), KeyringError> {
        let value = encode(secrets);
        let entry = self.entry(profile)?;
        tracing::debug!(
            profile,
            store = self.name,
            "writing profile secret to the keyring"
        );
        entry
            .set_password(&value)
            .map_err(|e| self.classify(e, Some(profile)))
    }

    /// Reads the profile's secrets. Blocking.
    pub fn load(&self, profile: &str) -> Result<ProfileSecrets, KeyringError> {
        let entry = self.entry(profile)?;
        tracing::debug!(
            profile,
            store = self.name,
            "reading profile secret from the keyring"
        );
        let value = Zeroizing::new(
            entry
                .get_password()
                .map_err(|e| self.classify(e, Some(profile)))?,
        );
        decode(&value).map_err(|what| KeyringError::Corrupt {
            store: self.name,
            profile: profile.to_owned(),
            what,
        })
    }

    /// Deletes the profile's entry. `Ok(false)` when there was none. Blocking.
    pub fn delete(&self, profile: &str) -> Result<bool, KeyringError> {
        let entry = self.entry(profile)?;
        tracing::debug!(
            profile,
            store = self.name,
            "deleting profile secret from the keyring"
        );
        match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(self.classify(e, Some(profile))),
        }
    }

    /// The user (account) names of every entry filed under [`KEYRING_SERVICE`] (or the test
    /// service), by asking the store to search for them (in its own search keys: `service` on
    /// the Secret Service and the Keychain, a target-name `pattern` on Windows). A store that
    /// cannot search says so. Blocking.
    pub fn accounts(&self) -> Result<Vec<String>, KeyringError> {
        let store = self.store()?;
        let owned = search_spec(&self.service);
        let spec: std::collections::HashMap<&str, &str> =
            owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tracing::debug!(store = self.name, "listing onsdesk's keyring entries");
        let entries = Entry::search_in_store(&store, &spec).map_err(|e| match e {
            keyring_core::Error::NotSupportedByStore(_) => KeyringError::Unavailable {
                store: self.name,
                detail: format!(
                    "it cannot list its entries, so look for leftovers of service \
                     {:?} with its own tool",
                    self.service
                ),
            },
            e => self.classify(e, None),
        })?;
        let mut accounts = Vec::with_capacity(entries.len());
        for entry in &entries {
            // A store may match loosely (the mock matches substrings): exact matches only.
            let Some((service, user)) = entry.get_specifiers() else {
                continue;
            };
            if service != *self.service {
                continue;
            }
            // Only entries that hold a credential (a store may list a deleted one, or one
            // deleted since the search: that is no reason to fail the whole listing).
            match entry.get_credential() {
                Ok(_) => accounts.push(user),
                Err(keyring_core::Error::NoEntry) => {}
                Err(e) => {
                    let e = self.classify(e, Some(&user));
                    tracing::warn!(account = %user, "a keyring entry could not be checked: {e}");
                }
            }
        }
        Ok(accounts)
    }

    /// Turns keyring-core's error into ours without ever formatting its payload with `Debug`
    /// (`BadEncoding`/`BadDataFormat` carry the stored bytes; `Ambiguous` prints entries).
    fn classify(&self, err: keyring_core::Error, profile: Option<&str>) -> KeyringError {
        use keyring_core::Error as E;
        let store = self.name;
        let profile_name = || profile.unwrap_or("").to_owned();
        match err {
            E::NoEntry => KeyringError::Missing {
                store,
                profile: profile_name(),
            },
            E::NoStorageAccess(e) => KeyringError::Locked {
                store,
                detail: text::error_chain(&*e),
            },
            E::PlatformFailure(e) => KeyringError::Unavailable {
                store,
                detail: text::error_chain(&*e),
            },
            E::NoDefaultStore => KeyringError::Unavailable {
                store,
                detail: "no keyring store was set up".to_owned(),
            },
            E::NotSupportedByStore(why) => KeyringError::Unavailable { store, detail: why },
            E::BadEncoding(_) => KeyringError::Corrupt {
                store,
                profile: profile_name(),
                what: Corruption::NotUtf8,
            },
            E::BadDataFormat(..) | E::BadStoreFormat(_) => KeyringError::Corrupt {
                store,
                profile: profile_name(),
                what: Corruption::Undecodable,
            },
            E::TooLong(attr, limit) => KeyringError::Refused {
                store,
                profile: profile_name(),
                why: Refusal::TooLong { attr, limit },
            },
            E::Invalid(attr, why) => KeyringError::Refused {
                store,
                profile: profile_name(),
                why: Refusal::Invalid { attr, why },
            },
            E::Ambiguous(entries) => KeyringError::Refused {
                store,
                profile: profile_name(),
                why: Refusal::Ambiguous {
                    count: entries.len(),
                },
            },
            _ => KeyringError::Unavailable {
                store,
                detail: "an unrecognised keyring error".to_owned(),
            },
        }
    }
}

/// keyring-core's `Display` of the error kinds we pass through carries no stored data.
fn describe(e: &keyring_core::Error) -> String {
    match e {
        keyring_core::Error::PlatformFailure(inner)
        | keyring_core::Error::NoStorageAccess(inner) => text::error_chain(&**inner),
        _ => "the store could not be created".to_owned(),
    }
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
))]
fn connect_platform() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn connect_platform() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn connect_platform() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "macos",
    target_os = "windows"
)))]
fn connect_platform() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "onsdesk knows no keyring on this operating system".to_owned(),
    ))
}

/// The keyring value's format version.
const VALUE_VERSION: u32 = 1;

#[derive(Serialize)]
struct StoredRef<'a> {
    v: u32,
    secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
}

#[derive(Deserialize)]
struct Stored {
    v: u32,
    secret: String,
    #[serde(default)]
    token: Option<String>,
}

impl Drop for Stored {
    fn drop(&mut self) {
        self.secret.zeroize();
        self.token.zeroize();
    }
}

fn encode(secrets: &ProfileSecrets) -> Zeroizing<String> {
    let secret = secrets.secret.expose();
    let token = secrets.security_token.as_ref().map(SecretString::expose);
    // Room for the worst-case escaping up front, so no partial copy is left in a freed buffer.
    let capacity = 64 + 6 * (secret.len() + token.map_or(0, str::len));
    let mut buf = Zeroizing::new(Vec::with_capacity(capacity));
    let stored = StoredRef {
        v: VALUE_VERSION,
        secret,
        token,
    };
    // Writing plain strings into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *buf, &stored);
    Zeroizing::new(String::from_utf8(std::mem::take(&mut *buf)).unwrap_or_default())
}

fn decode(value: &str) -> Result<ProfileSecrets, Corruption> {
    // serde_json's messages can quote values: only the fact of failure is kept.
    let stored: Stored = serde_json::from_str(value).map_err(|_| Corruption::NotJson)?;
    if stored.v != VALUE_VERSION {
        return Err(Corruption::OtherVersion);
    }
    if stored.secret.is_empty() {
        return Err(Corruption::EmptySecret);
    }
    Ok(ProfileSecrets {
        secret: SecretString::new(stored.secret.clone()),
        security_token: stored
            .token
            .as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| SecretString::new(t.clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn secrets(secret: &str, token: Option<&str>) -> ProfileSecrets {
        ProfileSecrets {
            secret: SecretString::from(secret),
            security_token: token.map(SecretString::from),
        }
    }

    fn inject(store: &SecretStore, profile: &str, err: keyring_core::Error) {
        let entry = store.entry(profile).unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(err);
    }

    #[test]
    fn round_trip_with_and_without_token() {
        let store = SecretStore::in_memory().unwrap();
        store.save("a", &secrets("s3cr\"et\u{e9}", None)).unwrap();
        store.save("b", &secrets("sec", Some("tok"))).unwrap();
        assert_eq!(store.load("a").unwrap(), secrets("s3cr\"et\u{e9}", None));
        assert_eq!(store.load("b").unwrap(), secrets("sec", Some("tok")));
        store.save("a", &secrets("new", None)).unwrap();
        assert_eq!(store.load("a").unwrap(), secrets("new", None));
        assert!(store.delete("a").unwrap());
        assert!(!store.delete("a").unwrap());
        assert!(matches!(
            store.load("a"),
            Err(KeyringError::Missing { ref profile, .. }) if profile == "a"
        ));
    }

    #[test]
    fn stored_value_is_versioned_json() {
        let store = SecretStore::in_memory().unwrap();
        store.save("p", &secrets("sec", Some("tok"))).unwrap();
        let raw = store.entry("p").unwrap().get_password().unwrap();
        assert_eq!(raw, r#"{"v":1,"secret":"sec","token":"tok"}"#);
    }

    #[test]
    fn locked_and_unreachable_keyrings_say_what_to_do() {
        let store = SecretStore::in_memory().unwrap();
        store.save("p", &secrets("hunter2-secret", None)).unwrap();
        inject(
            &store,
            "p",
            keyring_core::Error::NoStorageAccess("collection is locked".into()),
        );
        let err = store.load("p").unwrap_err();
        assert!(matches!(err, KeyringError::Locked { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("locked"), "{text}");
        assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
        assert!(text.contains("never falls back"), "{text}");

        inject(
            &store,
            "p",
            keyring_core::Error::PlatformFailure("no session bus".into()),
        );
        let err = store.save("p", &secrets("other", None)).unwrap_err();
        assert!(matches!(err, KeyringError::Unavailable { .. }), "{err:?}");
        assert!(err.to_string().contains("no session bus"));
        // the failed save changed nothing
        assert_eq!(store.load("p").unwrap(), secrets("hunter2-secret", None));
    }

    #[test]
    fn corrupt_entries_never_echo_their_bytes() {
        let store = SecretStore::in_memory().unwrap();
        let entry = store.entry("p").unwrap();
        entry.set_password("hunter2-not-json").unwrap();
        let err = store.load("p").unwrap_err();
        assert!(matches!(err, KeyringError::Corrupt { .. }), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("hunter2"));

        inject(
            &store,
            "p",
            keyring_core::Error::BadEncoding(b"hunter2-bytes".to_vec()),
        );
        let err = store.load("p").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"), "{err:?}");

        entry
            .set_password(r#"{"v":1,"secret":"hunter2","token":7}"#)
            .unwrap();
        let err = store.load("p").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("hunter2"), "{err:?}");
        entry.set_password(r#"{"v":2,"secret":"x"}"#).unwrap();
        assert!(matches!(
            store.load("p"),
            Err(KeyringError::Corrupt {
                what: Corruption::OtherVersion,
                ..
            })
        ));
    }

    #[test]
    fn env_hint_names_the_real_variables() {
        use crate::credentials::{ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN};
        for var in [ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN] {
            assert!(ENV_HINT.contains(var), "{var}");
        }
    }

    #[test]
    fn a_test_service_is_onsdesk_test_and_a_plain_tail() {
        for good in ["onsdesk-test-3f2a", "onsdesk-test-cli-round-trip-1"] {
            assert!(is_test_service(good), "{good}");
        }
        for bad in [
            "onsdesk",
            "onsdesk-test-",
            "onsdesk-test-ABC",
            "onsdesk-test-a.b",
            "onsdesk-test-a$",
            "other-test-abc",
        ] {
            assert!(!is_test_service(bad), "{bad}");
        }
    }

    /// A test service that is not one never falls back to onsdesk's: every call fails first,
    /// before the keyring is contacted.
    #[test]
    fn a_bad_test_service_fails_every_call_and_names_the_variable() {
        let store = SecretStore::platform_with_service("onsdesk-personal");
        let errors = [
            store.load("p").unwrap_err(),
            store.save("p", &secrets("s", None)).unwrap_err(),
            store.delete("p").unwrap_err(),
            store.accounts().unwrap_err(),
        ];
        for err in errors {
            assert!(matches!(err, KeyringError::Unavailable { .. }), "{err:?}");
            assert!(err.to_string().contains(ENV_TEST_KEYRING_SERVICE), "{err}");
        }
    }

    #[test]
    fn the_search_names_the_service_in_the_stores_own_terms() {
        let spec = search_spec("onsdesk-test-abc");
        if cfg!(target_os = "windows") {
            assert_eq!(spec["pattern"], r"\.onsdesk-test-abc$");
        } else {
            assert_eq!(spec["service"], "onsdesk-test-abc");
        }
        assert_eq!(spec.len(), 1);
    }

    #[test]
    fn secret_store_is_send_sync_static() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<SecretStore>();
        assert_send_sync::<ProfileSecrets>();
        assert_send_sync::<KeyringError>();
    }
}
