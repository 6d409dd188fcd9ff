//! Credential profiles: the `AccessKey` ID, region and STS details in `profiles.json` in the data
//! directory; the secret and the STS token only in the OS keyring (see [`secret_store`]).
//!
//! Resolution order, for the CLI and the window alike ([`resolve`]): an explicit profile, then
//! the `ALIBABA_CLOUD_*` environment variables (session only), then the default profile.
//!
//! **Every method of [`ProfileStore`] and [`resolve`] blocks** (file I/O and keyring calls, which
//! may raise an unlock prompt). The window calls them through `tokio::task::spawn_blocking`;
//! every type here is `Send + 'static` for that.

pub mod aliyun;
pub mod check;
pub mod config;
pub mod input;
pub mod secret_store;

use std::path::{Path, PathBuf};

use crate::credentials::{CredentialSource, Credentials, CredentialsError, SecretString};
pub use config::{ConfigError, LOCK_WAIT, Profile, ProfilesFile};
pub use input::{Field, InputError, NameRule, check_field};
pub use secret_store::{
    Corruption, ENV_TEST_KEYRING_SERVICE, KEYRING_SERVICE, KeyringError, ProfileSecrets, Refusal,
    SecretStore, TEST_SERVICE_PREFIX,
};

/// Longest accepted profile name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// A profile operation failed. `Display` is for the user and never holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("no profile named {0:?} (see `onsdesk profile list`)")]
    NotFound(String),
    #[error("a profile named {0:?} already exists; remove it first or choose another name")]
    AlreadyExists(String),
    #[error("profile name {name:?} refused: {reason}")]
    InvalidName { name: String, reason: NameRule },
    #[error(transparent)]
    InvalidInput(#[from] InputError),
    #[error("no data directory: set ONSDESK_DATA_DIR or HOME")]
    NoDataDir,
}

/// No credentials could be resolved.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Environment(#[from] CredentialsError),
    #[error(
        "no credentials: add a profile (`onsdesk profile add NAME --access-key-id ID`, the secret \
         is read from stdin) and make it the default, pass --profile NAME, or set \
         ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET for this session"
    )]
    NoCredentials,
}

/// Credentials ready to sign with, and where they came from.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub credentials: Credentials,
    pub source: CredentialSource,
    /// The profile's saved details (`None` for the environment).
    pub profile: Option<Profile>,
}

impl Resolved {
    /// The pair the API client and the history need.
    #[must_use]
    pub fn into_parts(self) -> (Credentials, CredentialSource) {
        (self.credentials, self.source)
    }
}

/// A profile to add: the saved part and the secret part.
#[derive(Clone, Debug)]
pub struct NewProfile {
    pub profile: Profile,
    pub secrets: ProfileSecrets,
}

impl NewProfile {
    /// Checks everything a user can get wrong, before anything is stored.
    pub fn validate(&self) -> Result<(), ProfileError> {
        validate_name(&self.profile.name)?;
        check_field(Field::AccessKeyId, &self.profile.access_key_id, 128)?;
        if self.profile.access_key_id.chars().any(char::is_whitespace) {
            return Err(InputError::WhitespaceInAccessKeyId.into());
        }
        check_field(Field::Secret, self.secrets.secret.expose(), 1024)?;
        match (&self.secrets.security_token, self.profile.sts) {
            (Some(token), true) => Ok(check_field(
                Field::SecurityToken,
                token.expose(),
                16 * 1024,
            )?),
            (None, true) => Err(InputError::StsWithoutToken.into()),
            (Some(_), false) => Err(InputError::TokenWithoutSts.into()),
            (None, false) => Ok(()),
        }
    }
}

/// Profile names: 1 to 64 letters, digits, `-`, `_` or `.`, not starting with `-` or `.`
/// (they are keyring user names and command-line arguments).
pub fn validate_name(name: &str) -> Result<(), ProfileError> {
    input::check_name(name).map_err(|reason| ProfileError::InvalidName {
        name: name.to_owned(),
        reason,
    })
}

/// Profiles on disk plus their secrets in a [`SecretStore`]. Cheap to clone; all methods block.
#[derive(Clone, Debug)]
pub struct ProfileStore {
    config_path: PathBuf,
    lock_path: PathBuf,
    secrets: SecretStore,
}

/// What [`ProfileStore::add`] did besides storing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Added {
    /// The profile is now the default (asked for, or it is the first profile).
    pub is_default: bool,
}

impl ProfileStore {
    /// Profiles in `data_dir/profiles.json`, secrets in `secrets`.
    #[must_use]
    pub fn new(data_dir: &Path, secrets: SecretStore) -> Self {
        Self {
            config_path: data_dir.join(config::CONFIG_FILE),
            lock_path: data_dir.join(config::LOCK_FILE),
            secrets,
        }
    }

    /// Holds every other onsdesk process's changes off until dropped: each change below reads
    /// the file, changes the keyring and writes the file with it held, so parallel changes
    /// are applied one after the other and none is lost.
    fn lock(&self) -> Result<crate::files::FileLock, ProfileError> {
        Ok(config::lock(&self.lock_path)?)
    }

    /// The data directory ([`crate::paths::data_dir`]) and the platform keyring.
    pub fn open_default() -> Result<Self, ProfileError> {
        let dir = crate::paths::data_dir().ok_or(ProfileError::NoDataDir)?;
        Ok(Self::new(&dir, SecretStore::platform()))
    }

    /// The keyring behind this store.
    #[must_use]
    pub fn secret_store(&self) -> &SecretStore {
        &self.secrets
    }

    /// Where the non-secret half lives.
    #[must_use]
    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    /// The saved profiles and the default. Reads the file only; never the keyring.
    pub fn list(&self) -> Result<ProfilesFile, ProfileError> {
        Ok(config::load(&self.config_path)?)
    }

    /// One saved profile (file only).
    pub fn get(&self, name: &str) -> Result<Profile, ProfileError> {
        self.list()?
            .get(name)
            .cloned()
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))
    }

    /// Validates, stores the secret in the keyring, then the rest in the file. The first
    /// profile becomes the default. If the file cannot be written the keyring entry is removed
    /// again.
    pub fn add(&self, new: &NewProfile, make_default: bool) -> Result<Added, ProfileError> {
        new.validate()?;
        let _lock = self.lock()?;
        let mut file = self.list()?;
        let name = &new.profile.name;
        if file.get(name).is_some() {
            return Err(ProfileError::AlreadyExists(name.clone()));
        }
        self.secrets.save(name, &new.secrets)?;
        file.profiles.push(new.profile.clone());
        let is_default = make_default || file.default.is_none();
        if is_default {
            file.default = Some(name.clone());
        }
        if let Err(e) = config::save(&self.config_path, &file) {
            self.secrets.delete(name).ok();
            return Err(e.into());
        }
        tracing::info!(profile = %name, "profile added");
        Ok(Added { is_default })
    }

    /// Removes the keyring entry (an entry already gone is fine), then the profile. When the
    /// keyring cannot be reached nothing is removed: the secret would be left behind unseen.
    pub fn remove(&self, name: &str) -> Result<(), ProfileError> {
        let _lock = self.lock()?;
        let mut file = self.list()?;
        if file.get(name).is_none() {
            return Err(ProfileError::NotFound(name.to_owned()));
        }
        self.secrets.delete(name)?;
        file.profiles.retain(|p| p.name != name);
        if file.default.as_deref() == Some(name) {
            file.default = None;
        }
        config::save(&self.config_path, &file)?;
        tracing::info!(profile = %name, "profile removed");
        Ok(())
    }

    /// Renames a profile: the secret is copied to the new keyring entry, the file updated,
    /// then the old entry deleted.
    pub fn rename(&self, old: &str, new: &str) -> Result<(), ProfileError> {
        validate_name(new)?;
        let _lock = self.lock()?;
        let mut file = self.list()?;
        if file.get(old).is_none() {
            return Err(ProfileError::NotFound(old.to_owned()));
        }
        if old == new {
            return Ok(());
        }
        if file.get(new).is_some() {
            return Err(ProfileError::AlreadyExists(new.to_owned()));
        }
        let secrets = self.secrets.load(old)?;
        self.secrets.save(new, &secrets)?;
        for p in &mut file.profiles {
            if p.name == old {
                new.clone_into(&mut p.name);
            }
        }
        if file.default.as_deref() == Some(old) {
            file.default = Some(new.to_owned());
        }
        if let Err(e) = config::save(&self.config_path, &file) {
            self.secrets.delete(new).ok();
            return Err(e.into());
        }
        if let Err(e) = self.secrets.delete(old) {
            tracing::warn!(profile = %old, "the old keyring entry could not be deleted: {e}");
        }
        Ok(())
    }

    /// Changes a saved profile in place (the name stays: see [`ProfileStore::rename`]). With
    /// `secrets` the keyring entry is overwritten too; without, it is left as it is, so an edit
    /// of the region or the ID never needs the secret again. Switching between a plain key and
    /// STS needs the secrets, since the keyring entry must change with it.
    pub fn update(
        &self,
        profile: &Profile,
        secrets: Option<&ProfileSecrets>,
    ) -> Result<(), ProfileError> {
        let _lock = self.lock()?;
        let mut file = self.list()?;
        let Some(slot) = file.profiles.iter_mut().find(|p| p.name == profile.name) else {
            return Err(ProfileError::NotFound(profile.name.clone()));
        };
        if let Some(secrets) = secrets {
            NewProfile {
                profile: profile.clone(),
                secrets: secrets.clone(),
            }
            .validate()?;
        } else {
            check_field(Field::AccessKeyId, &profile.access_key_id, 128)?;
            if profile.sts != slot.sts {
                return Err(InputError::StsSwitchNeedsSecrets.into());
            }
        }
        if let Some(secrets) = secrets {
            self.secrets.save(&profile.name, secrets)?;
        }
        slot.clone_from(profile);
        config::save(&self.config_path, &file)?;
        tracing::info!(profile = %profile.name, "profile updated");
        Ok(())
    }

    /// Makes `name` the default profile, or clears the default with `None`.
    pub fn set_default(&self, name: Option<&str>) -> Result<(), ProfileError> {
        let _lock = self.lock()?;
        let mut file = self.list()?;
        if let Some(name) = name
            && file.get(name).is_none()
        {
            return Err(ProfileError::NotFound(name.to_owned()));
        }
        file.default = name.map(str::to_owned);
        Ok(config::save(&self.config_path, &file)?)
    }

    /// Keyring entries under onsdesk's service that belong to no profile: left behind by a
    /// crash between the keyring and the file, by an older onsdesk that lost a parallel change
    /// to `profiles.json`, or by an edit of the file. Found by asking the keyring for every
    /// entry of service [`KEYRING_SERVICE`] (stores that cannot list entries say so). Sorted.
    pub fn orphans(&self) -> Result<Vec<String>, ProfileError> {
        let _lock = self.lock()?;
        self.orphans_locked()
    }

    /// Deletes the keyring entries [`ProfileStore::orphans`] finds (only those named in
    /// `only`, unless it is empty) and returns their names. A name in `only` that is not an
    /// orphan is refused before anything is deleted. The profiles' own entries are never
    /// touched: the lock keeps a parallel `add` (which writes the keyring before the file)
    /// from being taken for an orphan.
    pub fn prune_orphans(&self, only: &[String]) -> Result<Vec<String>, ProfileError> {
        let _lock = self.lock()?;
        let mut orphans = self.orphans_locked()?;
        if !only.is_empty() {
            if let Some(stray) = only.iter().find(|name| !orphans.contains(name)) {
                let stray = stray.clone();
                return Err(if self.list()?.get(&stray).is_some() {
                    InputError::NotAnOrphanButAProfile(stray)
                } else {
                    InputError::NotAnOrphan(stray)
                }
                .into());
            }
            orphans.retain(|name| only.contains(name));
        }
        for name in &orphans {
            self.secrets.delete(name)?;
            tracing::info!(account = %name, "orphaned keyring entry deleted");
        }
        Ok(orphans)
    }

    fn orphans_locked(&self) -> Result<Vec<String>, ProfileError> {
        let file = self.list()?;
        let mut orphans: Vec<String> = self
            .secrets
            .accounts()?
            .into_iter()
            .filter(|name| file.get(name).is_none())
            .collect();
        orphans.sort();
        orphans.dedup();
        Ok(orphans)
    }

    /// The profile's full credentials (reads the keyring).
    pub fn credentials(&self, name: &str) -> Result<(Profile, Credentials), ProfileError> {
        let profile = self.get(name)?;
        let secrets = self.secrets.load(name)?;
        let mut credentials = Credentials::new(profile.access_key_id.clone(), secrets.secret);
        if profile.sts {
            match secrets.security_token {
                Some(token) => credentials = credentials.with_security_token(token),
                None => {
                    return Err(KeyringError::Corrupt {
                        store: self.secrets.name(),
                        profile: name.to_owned(),
                        what: secret_store::Corruption::NoToken,
                    }
                    .into());
                }
            }
        }
        Ok((profile, credentials))
    }
}

/// Finds the credentials to use: `explicit` profile → environment (via `env`, e.g.
/// `|k| std::env::var(k).ok()`) → the default profile. Blocking (file and keyring).
pub fn resolve(
    store: &ProfileStore,
    explicit: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Resolved, ResolveError> {
    if let Some(name) = explicit {
        return from_profile(store, name);
    }
    if let Some(credentials) = Credentials::from_lookup(env)? {
        return Ok(Resolved {
            credentials,
            source: CredentialSource::Environment,
            profile: None,
        });
    }
    match store.list()?.default {
        Some(name) => from_profile(store, &name),
        None => Err(ResolveError::NoCredentials),
    }
}

fn from_profile(store: &ProfileStore, name: &str) -> Result<Resolved, ResolveError> {
    let (profile, credentials) = store.credentials(name)?;
    Ok(Resolved {
        credentials,
        source: CredentialSource::Profile(name.to_owned()),
        profile: Some(profile),
    })
}

/// Builds the secret half from what the user typed.
pub fn secrets(secret: String, token: Option<String>) -> ProfileSecrets {
    ProfileSecrets {
        secret: SecretString::new(secret),
        security_token: token.map(SecretString::new),
    }
}

#[cfg(test)]
#[expect(
    clippy::disallowed_methods,
    reason = "tests start plain threads to act as parallel processes, and wait on them"
)]
mod tests {
    use super::*;
    use crate::credentials::{ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET};
    use std::collections::HashMap;

    fn store() -> (tempfile::TempDir, ProfileStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path(), SecretStore::in_memory().unwrap());
        (dir, store)
    }

    fn new_profile(name: &str, id: &str, secret: &str) -> NewProfile {
        NewProfile {
            profile: Profile {
                name: name.into(),
                access_key_id: id.into(),
                sts: false,
                sts_expires: None,
                region: None,
            },
            secrets: secrets(secret.into(), None),
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn add_list_credentials_and_first_is_default() {
        let (dir, store) = store();
        let added = store
            .add(&new_profile("dev", "LTAIdev", "dev-secret-1"), false)
            .unwrap();
        assert!(added.is_default);
        let added = store
            .add(&new_profile("prod", "LTAIprod", "prod-secret-2"), false)
            .unwrap();
        assert!(!added.is_default);
        let list = store.list().unwrap();
        assert_eq!(list.default.as_deref(), Some("dev"));
        assert_eq!(list.profiles.len(), 2);
        let (_, creds) = store.credentials("prod").unwrap();
        assert_eq!(creds.secret.expose(), "prod-secret-2");
        // the secret is in the keyring only, never in the file
        let text = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
        assert!(text.contains("LTAIprod"));
        assert!(!text.contains("prod-secret-2") && !text.contains("dev-secret-1"));
        assert!(matches!(
            store.add(&new_profile("dev", "x", "y"), false),
            Err(ProfileError::AlreadyExists(_))
        ));
    }

    #[test]
    fn whitespace_and_bad_names_are_refused_before_storing() {
        let (_dir, store) = store();
        let err = store
            .add(&new_profile("p", "LTAIx", "secret-with-space "), false)
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("secret ends with a space"), "{text}");
        assert!(!text.contains("secret-with-space"), "{text}");
        let err = store
            .add(&new_profile("p", " LTAIx", "s"), false)
            .unwrap_err();
        assert!(err.to_string().contains("ID begins with a space"), "{err}");
        assert!(matches!(
            store.add(&new_profile("-p", "LTAIx", "s"), false),
            Err(ProfileError::InvalidName { .. })
        ));
        assert!(matches!(
            store.add(&new_profile("a b", "LTAIx", "s"), false),
            Err(ProfileError::InvalidName { .. })
        ));
        assert!(store.list().unwrap().profiles.is_empty());
        assert!(matches!(
            store.secret_store().load("p"),
            Err(KeyringError::Missing { .. })
        ));
    }

    #[test]
    fn sts_profiles_need_their_token() {
        let (_dir, store) = store();
        let mut p = new_profile("t", "STS.id", "sec");
        p.profile.sts = true;
        assert!(store.add(&p, false).is_err());
        p.secrets.security_token = Some(SecretString::from("tok"));
        store.add(&p, false).unwrap();
        let (_, creds) = store.credentials("t").unwrap();
        assert_eq!(creds.security_token.unwrap().expose(), "tok");
    }

    #[test]
    fn resolution_order_explicit_then_env_then_default() {
        let (_dir, store) = store();
        store
            .add(&new_profile("dflt", "LTAIdflt", "s1"), true)
            .unwrap();
        store
            .add(&new_profile("other", "LTAIother", "s2"), false)
            .unwrap();
        let env: HashMap<&str, &str> = HashMap::from([
            (ENV_ACCESS_KEY_ID, "LTAIenv"),
            (ENV_ACCESS_KEY_SECRET, "s3"),
        ]);
        let env = |k: &str| env.get(k).map(|v| (*v).to_owned());

        let r = resolve(&store, Some("other"), env).unwrap();
        assert_eq!(r.source, CredentialSource::Profile("other".into()));
        assert_eq!(r.credentials.access_key_id, "LTAIother");

        let r = resolve(&store, None, env).unwrap();
        assert_eq!(r.source, CredentialSource::Environment);
        assert_eq!(r.credentials.access_key_id, "LTAIenv");
        assert!(r.profile.is_none());

        let (creds, source) = resolve(&store, None, no_env).unwrap().into_parts();
        assert_eq!(source, CredentialSource::Profile("dflt".into()));
        assert_eq!(creds.secret.expose(), "s1");

        store.set_default(None).unwrap();
        assert!(matches!(
            resolve(&store, None, no_env),
            Err(ResolveError::NoCredentials)
        ));
        assert!(matches!(
            resolve(&store, Some("nope"), env),
            Err(ResolveError::Profile(ProfileError::NotFound(_)))
        ));
    }

    #[test]
    fn entry_deleted_behind_our_back_is_a_clear_error() {
        let (_dir, store) = store();
        store.add(&new_profile("p", "LTAIp", "s"), true).unwrap();
        assert!(store.secret_store().delete("p").unwrap());
        let err = resolve(&store, None, no_env).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("no secret for profile \"p\""), "{text}");
        assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
        // removing the listed-but-secretless profile still works
        store.remove("p").unwrap();
        assert!(store.list().unwrap().profiles.is_empty());
        assert_eq!(store.list().unwrap().default, None);
    }

    #[test]
    fn locked_keyring_on_remove_keeps_the_profile() {
        let (_dir, store) = store();
        store.add(&new_profile("p", "LTAIp", "s"), true).unwrap();
        let entry = store.secret_store().entry("p").unwrap();
        let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(keyring_core::Error::NoStorageAccess("locked".into()));
        let err = store.remove("p").unwrap_err();
        assert!(matches!(
            err,
            ProfileError::Keyring(KeyringError::Locked { .. })
        ));
        assert_eq!(store.list().unwrap().profiles.len(), 1);
        assert_eq!(store.credentials("p").unwrap().1.secret.expose(), "s");
    }

    #[test]
    fn rename_moves_the_secret_and_the_default() {
        let (_dir, store) = store();
        store.add(&new_profile("a", "LTAIa", "sa"), true).unwrap();
        store.add(&new_profile("b", "LTAIb", "sb"), false).unwrap();
        assert!(matches!(
            store.rename("a", "b"),
            Err(ProfileError::AlreadyExists(_))
        ));
        store.rename("a", "c").unwrap();
        let list = store.list().unwrap();
        assert_eq!(list.default.as_deref(), Some("c"));
        assert!(list.get("a").is_none());
        assert_eq!(store.credentials("c").unwrap().1.secret.expose(), "sa");
        assert!(matches!(
            store.secret_store().load("a"),
            Err(KeyringError::Missing { .. })
        ));
        store.set_default(Some("b")).unwrap();
        assert_eq!(store.list().unwrap().default.as_deref(), Some("b"));
        assert!(store.set_default(Some("zz")).is_err());
    }

    #[test]
    fn update_keeps_or_replaces_the_secret() {
        let (_dir, store) = store();
        store
            .add(&new_profile("p", "LTAIold", "s-old"), true)
            .unwrap();
        let mut edited = store.get("p").unwrap();
        edited.access_key_id = "LTAInew".into();
        edited.region = Some("cn-shanghai".into());
        store.update(&edited, None).unwrap();
        let (profile, creds) = store.credentials("p").unwrap();
        assert_eq!(profile, edited);
        assert_eq!(creds.secret.expose(), "s-old");
        store
            .update(&edited, Some(&secrets("s-new".into(), None)))
            .unwrap();
        assert_eq!(store.credentials("p").unwrap().1.secret.expose(), "s-new");
        edited.sts = true;
        assert!(matches!(
            store.update(&edited, None),
            Err(ProfileError::InvalidInput(_))
        ));
        assert!(matches!(
            store.update(&new_profile("zz", "x", "y").profile, None),
            Err(ProfileError::NotFound(_))
        ));
        assert!(
            store
                .update(
                    &store.get("p").unwrap(),
                    Some(&secrets("bad ".into(), None))
                )
                .is_err()
        );
        assert_eq!(store.credentials("p").unwrap().1.secret.expose(), "s-new");
    }

    /// Without a keyring: 16 adds at once, each through its own store (as 16
    /// processes would be), all saved. The lock file excludes threads as it does processes.
    #[test]
    fn sixteen_parallel_adds_are_all_saved() {
        let (dir, store) = store();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let own = ProfileStore::new(dir.path(), store.secret_store().clone());
                let barrier = std::sync::Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    own.add(
                        &new_profile(&format!("p{i:02}"), &format!("LTAI{i:02}"), "s"),
                        false,
                    )
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        let list = store.list().unwrap();
        let mut names: Vec<_> = list.profiles.iter().map(|p| p.name.clone()).collect();
        names.sort();
        let expected: Vec<_> = (0..16).map(|i| format!("p{i:02}")).collect();
        assert_eq!(names, expected);
        assert!(list.default.is_some());
        assert!(store.orphans().unwrap().is_empty());
    }

    #[test]
    fn the_lock_is_held_while_a_change_runs() {
        let (dir, store) = store();
        let held = crate::files::lock(&dir.path().join(config::LOCK_FILE)).unwrap();
        let other = store.clone();
        let adding =
            std::thread::spawn(move || other.add(&new_profile("late", "LTAIlate", "s"), false));
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(!adding.is_finished(), "add ran while another held the lock");
        assert!(store.list().unwrap().profiles.is_empty());
        drop(held);
        adding.join().unwrap().unwrap();
        assert_eq!(store.list().unwrap().profiles.len(), 1);
    }

    #[test]
    fn orphans_are_listed_and_pruned_and_profiles_entries_never_are() {
        let (_dir, store) = store();
        store
            .add(&new_profile("kept", "LTAIkept", "s1"), true)
            .unwrap();
        // what a lost update (or a crash between keyring and file) leaves behind
        store
            .secret_store()
            .save("lost-1", &secrets("lost-secret-1".into(), None))
            .unwrap();
        store
            .secret_store()
            .save("lost-2", &secrets("lost-secret-2".into(), None))
            .unwrap();
        assert_eq!(store.orphans().unwrap(), vec!["lost-1", "lost-2"]);
        // naming a profile's own entry, or one that is not there, deletes nothing
        for name in ["kept", "nothing-here"] {
            let err = store.prune_orphans(&[name.to_owned()]).unwrap_err();
            assert!(err.to_string().contains("nothing was deleted"), "{err}");
        }
        assert_eq!(store.orphans().unwrap().len(), 2);
        assert_eq!(
            store.prune_orphans(&["lost-2".to_owned()]).unwrap(),
            vec!["lost-2"]
        );
        assert_eq!(store.prune_orphans(&[]).unwrap(), vec!["lost-1"]);
        assert!(store.orphans().unwrap().is_empty());
        assert!(matches!(
            store.secret_store().load("lost-1"),
            Err(KeyringError::Missing { .. })
        ));
        assert_eq!(store.credentials("kept").unwrap().1.secret.expose(), "s1");
    }
}
