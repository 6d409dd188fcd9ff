//! Identifiers that onsdesk hands on: to a terminal, a Terraform snippet, a shell line, the
//! clipboard, the history. Each is a newtype that can only hold a well-formed value, so a value
//! of the type is the proof that it was checked: the API replies are read into them
//! ([`crate::api`]), and nothing else builds them but [`InstanceId::parse`] and its kin.
//!
//! [`TopicName`] and [`GroupId`] are the shapes a *reply* may list, not the rules a new name
//! must meet (those are in [`crate::validation`]): a topic or group made elsewhere, under older
//! rules, must still be shown and deletable, so only the alphabet every ONS identifier has is
//! required. Anything else (a space, a quote, a dot, a `%`, a control character, a Chinese
//! character, more than 64 characters) is left out of a list, counted and said.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A string was not a well-formed identifier of its kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{shown}' is not a valid {what}")]
pub struct BadId {
    /// What was expected ("InstanceId").
    pub what: &'static str,
    /// The value, made printable and shortened.
    pub shown: String,
}

/// 1 to 64 ASCII letters, digits, `_` and `-`: the alphabet of ONS InstanceIds and of
/// RequestIds.
fn is_id_shaped(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

macro_rules! checked_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// What the type is called in messages.
            pub const WHAT: &'static str = $what;

            /// `s` if it is well formed.
            pub fn parse(s: &str) -> Result<Self, BadId> {
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(BadId {
                        what: $what,
                        shown: crate::text::shortened(s, 80),
                    })
                }
            }

            /// True when `s` is well formed.
            pub fn is_valid(s: &str) -> bool {
                let check: fn(&str) -> bool = $check;
                check(s)
            }

            /// The identifier.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadId;

            fn try_from(s: String) -> Result<Self, BadId> {
                let check: fn(&str) -> bool = $check;
                if check(&s) {
                    Ok(Self(s))
                } else {
                    Self::parse(&s)
                }
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

checked_id!(
    /// An ONS InstanceId as the service hands them out (`MQ_INST_1880770869020000_BXSuW61e`):
    /// 1 to 64 ASCII letters, digits, `_` and `-`. Nothing else may reach a Terraform snippet, a
    /// shell line, the history, the clipboard or a terminal as an InstanceId.
    InstanceId,
    "InstanceId",
    is_id_shaped
);

checked_id!(
    /// A RequestId (a UUID such as `5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB`; other IDs of the same
    /// alphabet are accepted): 1 to 64 ASCII letters, digits, `-` and `_`.
    RequestId,
    "RequestId",
    is_id_shaped
);

checked_id!(
    /// A topic's name as a reply lists it (`orders`): 1 to 64 ASCII letters, digits, `_` and
    /// `-`. Looser than the create rule ([`crate::validation::validate_topic_name`]: 3 to 64,
    /// no `CID`/`GID` prefix), so a topic made under older rules is still listed; stricter
    /// than anything that could end a shell word, an HCL string or a config line.
    TopicName,
    "Topic",
    is_id_shaped
);

checked_id!(
    /// A consumer group's ID as a reply lists it (`GID_orders`): 1 to 64 ASCII letters,
    /// digits, `_` and `-`, whatever its prefix (older groups start with `CID_`, newer ones
    /// need none).
    GroupId,
    "GroupId",
    is_id_shaped
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_format() {
        for ok in [
            "MQ_INST_1880770869020000_BXSuW61e",
            "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB",
        ] {
            assert!(
                InstanceId::parse(ok).is_ok() && RequestId::parse(ok).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "",
            "MQ_INST_1\nresource",
            "MQ_INST_1 x",
            "MQ_INST_1\"",
            "id;rm",
            "; rm -rf ~",
            "\u{1b}[2J",
            "MQ_INST_1\u{200b}",
            "测试",
            &"a".repeat(65),
        ] {
            let err = InstanceId::parse(bad).unwrap_err();
            assert!(RequestId::parse(bad).is_err(), "{bad:?}");
            assert!(TopicName::parse(bad).is_err(), "{bad:?}");
            assert!(GroupId::parse(bad).is_err(), "{bad:?}");
            assert!(!err.to_string().contains('\u{1b}'), "{err}");
        }
    }

    #[test]
    fn listed_names_may_break_the_create_rules_but_not_the_alphabet() {
        // made under older rules, or elsewhere: still listed, shown and deletable
        for ok in [
            "ab",
            "GID_legacy",
            "CID-old",
            "orders",
            "a",
            &"t".repeat(64),
        ] {
            assert!(
                TopicName::parse(ok).is_ok() && GroupId::parse(ok).is_ok(),
                "{ok}"
            );
        }
        for bad in ["orders.v2", "MQ_INST_1%orders", "订单", "a'b", "x y"] {
            assert!(TopicName::parse(bad).is_err(), "{bad}");
            assert!(GroupId::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            TopicName::parse("a\u{1b}b").unwrap_err().to_string(),
            "'a\\u{1b}b' is not a valid Topic"
        );
    }

    #[test]
    fn ids_deserialise_only_when_well_formed() {
        let ok: InstanceId = serde_json::from_str("\"MQ_INST_1_a\"").unwrap();
        assert_eq!(ok, "MQ_INST_1_a");
        assert!(serde_json::from_str::<InstanceId>("\"MQ_INST_1\\n\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"MQ_INST_1_a\"");
    }
}
