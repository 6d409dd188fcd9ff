//! AccessKey credentials and the secret type that never prints.
//!
//! Where credentials come from is a [`CredentialSource`]: the environment today, keyring
//! profiles and the sandbox's demo key through the same seam.

use std::fmt;
use std::fmt::Write as _;

use zeroize::Zeroizing;

/// Environment variable holding the AccessKey ID (the official SDKs' name).
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// One naming of the AccessKey variables: the ID, the secret and the STS token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvKeyNames {
    pub access_key_id: &'static str,
    pub secret: &'static str,
    pub security_token: &'static str,
}

/// The AccessKey variables onsdesk reads, strongest first. The first set in which the ID or
/// the secret is present is used whole; sets are never mixed (an ID from one tool's variables
/// with another's secret would only fail as `SignatureDoesNotMatch`).
///
/// 1. `ALIBABA_CLOUD_*`: onsdesk's own, the official SDKs' and the aliyun CLI's first choice;
/// 2. `ALIBABACLOUD_*`, 3. `ALICLOUD_ACCESS_KEY_ID`/`_SECRET`: the aliyun CLI's aliases, in
///    its order;
/// 4. `ALICLOUD_ACCESS_KEY`, `ALICLOUD_SECRET_KEY`, `ALICLOUD_SECURITY_TOKEN`: Terraform's
///    alicloud provider. Last, so that onsdesk's documented names win when both are set.
pub const ENV_KEY_SETS: [EnvKeyNames; 4] = [
    EnvKeyNames {
        access_key_id: ENV_ACCESS_KEY_ID,
        secret: ENV_ACCESS_KEY_SECRET,
        security_token: ENV_SECURITY_TOKEN,
    },
    EnvKeyNames {
        access_key_id: "ALIBABACLOUD_ACCESS_KEY_ID",
        secret: "ALIBABACLOUD_ACCESS_KEY_SECRET",
        security_token: "ALIBABACLOUD_SECURITY_TOKEN",
    },
    EnvKeyNames {
        access_key_id: "ALICLOUD_ACCESS_KEY_ID",
        secret: "ALICLOUD_ACCESS_KEY_SECRET",
        security_token: "ALICLOUD_SECURITY_TOKEN",
    },
    EnvKeyNames {
        access_key_id: "ALICLOUD_ACCESS_KEY",
        secret: "ALICLOUD_SECRET_KEY",
        security_token: "ALICLOUD_SECURITY_TOKEN",
    },
];

/// Variables naming the profile to use when `--profile` is not given, strongest first (the
/// aliyun CLI reads the same three, in this order).
pub const ENV_PROFILE_VARS: [&str; 3] = [
    "ALIBABACLOUD_PROFILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALICLOUD_PROFILE",
];

/// The profile the environment names: `(variable, name)` for the first of
/// [`ENV_PROFILE_VARS`] that is set and not blank.
pub fn profile_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<(&'static str, String)> {
    ENV_PROFILE_VARS.iter().find_map(|&var| {
        lookup(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .map(|v| (var, v))
    })
}

/// A secret string: zeroized on drop, redacted in `Debug`, no `Display`, no `Serialize`.
/// The only way to read it is [`SecretString::expose`], so every use is greppable.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret. The caller's `String` moves in; no copy is left behind.
    pub fn new(secret: String) -> Self {
        Self(Zeroizing::new(secret))
    }

    /// The secret itself, for signing. Never log or format the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when the secret begins or ends with whitespace: a classic copy-paste accident that
    /// makes every signature fail. Pointed out to the user, never silently stripped.
    pub fn has_surrounding_whitespace(&self) -> bool {
        self.0.trim() != self.0.as_str()
    }
}

impl SecretString {
    /// `text` with every appearance of this secret replaced by `<redacted>`: as is,
    /// percent-encoded, and percent-encoded twice (as it stands inside a string to sign, which
    /// the service quotes back in `SignatureDoesNotMatch` messages), and with every byte
    /// percent-encoded.
    pub fn redact_from(&self, text: &str) -> String {
        let raw = self.expose();
        if raw.is_empty() {
            return text.to_owned();
        }
        let once = crate::percent::percent_encode(raw).to_string();
        let twice = crate::percent::percent_encode(&once).to_string();
        // every byte escaped, as some encoders do, in either case of hex digit
        let every_byte = raw.bytes().fold(String::new(), |mut all, b| {
            let _ = write!(all, "%{b:02X}");
            all
        });
        let every_byte_lower = every_byte.to_ascii_lowercase();
        // Longest first, so a shorter form inside a longer one cannot leave a remainder.
        let mut forms = [every_byte, every_byte_lower, twice, once, raw.to_owned()];
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        forms.iter().fold(text.to_owned(), |acc, form| {
            acc.replace(form.as_str(), "<redacted>")
        })
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        Self::new(s.to_owned())
    }
}

/// Where a set of credentials came from: shown to the user, recorded in history (never the
/// secret), and the seam through which keyring profiles arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialSource {
    /// `ALIBABA_CLOUD_*` environment variables (session only).
    Environment,
    /// A named profile whose secret is in the OS keyring.
    Profile(String),
    /// The built-in sandbox's demo key.
    Sandbox,
}

impl CredentialSource {
    /// The source a recorded name stands for: the inverse of `Display`, which is what the
    /// history records for each entry ("environment", "sandbox", or the profile's name).
    #[must_use]
    pub fn from_recorded(name: &str) -> Self {
        match name {
            "environment" => Self::Environment,
            "sandbox" => Self::Sandbox,
            profile => Self::Profile(profile.to_owned()),
        }
    }
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Environment => f.write_str("environment"),
            Self::Profile(name) => f.write_str(name),
            Self::Sandbox => f.write_str("sandbox"),
        }
    }
}

/// An AccessKey pair, with an STS token when the key is temporary.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The AccessKey ID. Not a secret, but shown masked in `Debug`.
    pub access_key_id: String,
    /// The AccessKey secret.
    pub secret: SecretString,
    /// The STS security token for temporary credentials.
    pub security_token: Option<SecretString>,
}

impl Credentials {
    /// Plain AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, secret: SecretString) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret,
            security_token: None,
        }
    }

    /// Adds an STS security token.
    #[must_use]
    pub fn with_security_token(mut self, token: SecretString) -> Self {
        self.security_token = Some(token);
        self
    }

    /// Reads the AccessKey variables ([`ENV_KEY_SETS`], first set present wins). `Ok(None)`
    /// when no set has its ID or secret; an error when the chosen set has only one of them, or
    /// an empty value.
    pub fn from_env() -> Result<Option<Self>, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Credentials::from_env`] over any variable lookup (tests pass a map).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialsError> {
        for names in &ENV_KEY_SETS {
            if let Some(found) = Self::from_key_set(names, &lookup)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    fn from_key_set(
        names: &EnvKeyNames,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialsError> {
        let id = lookup(names.access_key_id);
        let secret = lookup(names.secret).map(SecretString::new);
        let token = lookup(names.security_token)
            .filter(|t| !t.is_empty())
            .map(SecretString::new);
        match (id, secret) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialsError::MissingEnv(names.secret)),
            (None, Some(_)) => Err(CredentialsError::MissingEnv(names.access_key_id)),
            (Some(id), Some(_)) if id.is_empty() => {
                Err(CredentialsError::EmptyEnv(names.access_key_id))
            }
            (Some(_), Some(secret)) if secret.is_empty() => {
                Err(CredentialsError::EmptyEnv(names.secret))
            }
            (Some(id), Some(secret)) => {
                let creds = Self::new(id, secret);
                Ok(Some(match token {
                    Some(token) => creds.with_security_token(token),
                    None => creds,
                }))
            }
        }
    }

    /// The AccessKey ID with its middle hidden, for display: `LTAI****abcd`.
    pub fn masked_id(&self) -> String {
        mask_id(&self.access_key_id)
    }
}

/// Masks the middle of an AccessKey ID, keeping 4 characters at each end of long IDs.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return id.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.masked_id())
            .field("secret", &self.secret)
            .field("security_token", &self.security_token)
            .finish()
    }
}

/// Credentials could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialsError {
    #[error("{0} is not set, but the other AccessKey variable is; set both or neither")]
    MissingEnv(&'static str),
    #[error("{0} is set but empty")]
    EmptyEnv(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        move |k| map.get(k).map(|v| (*v).to_owned())
    }

    #[test]
    fn a_recorded_source_reads_back_as_itself() {
        for source in [
            CredentialSource::Environment,
            CredentialSource::Sandbox,
            CredentialSource::Profile("work".to_owned()),
        ] {
            assert_eq!(CredentialSource::from_recorded(&source.to_string()), source);
        }
    }

    #[test]
    fn secrets_never_print() {
        let creds = Credentials::new(
            "TEST5tExampleExample1234",
            SecretString::from("s3cr3t-value"),
        )
        .with_security_token(SecretString::from("tok3n-value"));
        let debug = format!("{creds:?} {:?}", creds.secret);
        assert!(!debug.contains("s3cr3t-value"), "{debug}");
        assert!(!debug.contains("tok3n-value"), "{debug}");
        assert!(debug.contains("TEST****1234"), "{debug}");
    }

    #[test]
    fn env_lookup() {
        assert_eq!(Credentials::from_lookup(lookup(&[])), Ok(None));
        let c = Credentials::from_lookup(lookup(&[
            (ENV_ACCESS_KEY_ID, "id"),
            (ENV_ACCESS_KEY_SECRET, "sec"),
            (ENV_SECURITY_TOKEN, "tok"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.access_key_id, "id");
        assert_eq!(c.secret.expose(), "sec");
        assert_eq!(
            c.security_token.as_ref().map(SecretString::expose),
            Some("tok")
        );
        assert_eq!(
            Credentials::from_lookup(lookup(&[(ENV_ACCESS_KEY_ID, "id")])),
            Err(CredentialsError::MissingEnv(ENV_ACCESS_KEY_SECRET))
        );
        assert_eq!(
            Credentials::from_lookup(lookup(&[
                (ENV_ACCESS_KEY_ID, ""),
                (ENV_ACCESS_KEY_SECRET, "x")
            ])),
            Err(CredentialsError::EmptyEnv(ENV_ACCESS_KEY_ID))
        );
    }

    #[test]
    fn the_first_key_set_present_wins_and_sets_never_mix() {
        let terraform = [
            ("ALICLOUD_ACCESS_KEY", "tf-id"),
            ("ALICLOUD_SECRET_KEY", "tf-secret"),
            ("ALICLOUD_SECURITY_TOKEN", "tf-token"),
        ];
        let c = Credentials::from_lookup(lookup(&terraform))
            .unwrap()
            .unwrap();
        assert_eq!(c.access_key_id, "tf-id");
        assert_eq!(c.secret.expose(), "tf-secret");
        assert_eq!(
            c.security_token.as_ref().map(SecretString::expose),
            Some("tf-token")
        );
        // onsdesk's own names beat Terraform's; Terraform's token is not borrowed
        let mut both = terraform.to_vec();
        both.extend([
            (ENV_ACCESS_KEY_ID, "own-id"),
            (ENV_ACCESS_KEY_SECRET, "own-secret"),
        ]);
        let c = Credentials::from_lookup(lookup(&both)).unwrap().unwrap();
        assert_eq!(c.access_key_id, "own-id");
        assert_eq!(c.secret.expose(), "own-secret");
        assert!(c.security_token.is_none());
        // the aliyun CLI's aliases, in its order
        let c = Credentials::from_lookup(lookup(&[
            ("ALICLOUD_ACCESS_KEY_ID", "c-id"),
            ("ALICLOUD_ACCESS_KEY_SECRET", "c-secret"),
            ("ALIBABACLOUD_ACCESS_KEY_ID", "b-id"),
            ("ALIBABACLOUD_ACCESS_KEY_SECRET", "b-secret"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.access_key_id, "b-id");
        // a half-set stronger set is an error naming its missing variable, not a fallthrough
        assert_eq!(
            Credentials::from_lookup(lookup(&[
                (ENV_ACCESS_KEY_ID, "own-id"),
                ("ALICLOUD_ACCESS_KEY", "tf-id"),
                ("ALICLOUD_SECRET_KEY", "tf-secret"),
            ])),
            Err(CredentialsError::MissingEnv(ENV_ACCESS_KEY_SECRET))
        );
        assert_eq!(
            Credentials::from_lookup(lookup(&[("ALICLOUD_SECRET_KEY", "tf-secret")])),
            Err(CredentialsError::MissingEnv("ALICLOUD_ACCESS_KEY"))
        );
    }

    #[test]
    fn the_profile_variable_follows_the_aliyun_cli_order() {
        assert_eq!(profile_from_lookup(lookup(&[])), None);
        assert_eq!(
            profile_from_lookup(lookup(&[
                ("ALICLOUD_PROFILE", "c"),
                ("ALIBABA_CLOUD_PROFILE", "b"),
            ])),
            Some(("ALIBABA_CLOUD_PROFILE", "b".to_owned()))
        );
        assert_eq!(
            profile_from_lookup(lookup(&[
                ("ALIBABACLOUD_PROFILE", "  "),
                ("ALICLOUD_PROFILE", " prod "),
            ])),
            Some(("ALICLOUD_PROFILE", "prod".to_owned()))
        );
    }

    #[test]
    fn redaction_catches_encoded_forms() {
        let token = SecretString::from("CAIS+a/b=");
        let text = "raw CAIS+a/b= once CAIS%2Ba%2Fb%3D twice CAIS%252Ba%252Fb%253D";
        assert_eq!(
            token.redact_from(text),
            "raw <redacted> once <redacted> twice <redacted>"
        );
        assert_eq!(SecretString::from("").redact_from("abc"), "abc");
    }

    #[test]
    fn whitespace_is_detected_not_stripped() {
        let s = SecretString::from("abc \n");
        assert!(s.has_surrounding_whitespace());
        assert_eq!(s.expose(), "abc \n");
        assert!(!SecretString::from("abc").has_surrounding_whitespace());
    }
}
