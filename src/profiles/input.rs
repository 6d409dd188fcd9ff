//! What a user can get wrong in a profile: its name and its fields. Each refusal is a value
//! that names the field and never holds the value (it may be a secret); `Display` gives the
//! command line's words, and the window says it in its own language module.

use std::fmt;

/// A profile's field, as a refusal names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    AccessKeyId,
    Secret,
    SecurityToken,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AccessKeyId => "AccessKey ID",
            Self::Secret => "AccessKey secret",
            Self::SecurityToken => "STS security token",
        })
    }
}

/// Which rule a profile name breaks (1 to 64 letters, digits, `-`, `_` or `.`, not starting
/// with `-` or `.`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Empty,
    TooLong,
    BadStart,
    BadCharacter,
}

impl fmt::Display for NameRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "it is empty",
            Self::TooLong => "it is longer than 64 characters",
            Self::BadStart => "it starts with '-' or '.'",
            Self::BadCharacter => "use only letters, digits, '-', '_' and '.'",
        })
    }
}

/// Why a value given for a profile was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the {0} is empty")]
    Empty(Field),
    /// Whitespace at the start and/or the end: a classic copy-paste accident.
    #[error(
        "the {field} {}: probably a copy-paste accident, and the service would answer \
         SignatureDoesNotMatch or an unknown key; nothing was stored, enter it again without it",
        whitespace_place(*first, *last)
    )]
    SurroundingWhitespace {
        field: Field,
        first: Option<char>,
        last: Option<char>,
    },
    /// A control character, an invisible formatting character (a zero-width space, a direction
    /// mark) or a line separator: never part of a key, and a way to hide or reorder text.
    #[error("the {0} contains a control or invisible formatting character; nothing was stored")]
    ControlCharacter(Field),
    #[error("the {field} is longer than {max_chars} characters; nothing was stored")]
    TooLong { field: Field, max_chars: usize },
    #[error("the AccessKey ID contains whitespace; AccessKey IDs never do")]
    WhitespaceInAccessKeyId,
    #[error("an STS profile needs its security token")]
    StsWithoutToken,
    #[error("a security token was given for a profile not marked as STS")]
    TokenWithoutSts,
    #[error(
        "switching between a plain AccessKey and STS needs the secret (and the token) entered \
         again"
    )]
    StsSwitchNeedsSecrets,
    /// A keyring entry asked to be pruned belongs to this profile.
    #[error(
        "{0:?} is a profile's entry; remove the profile with `onsdesk profile remove {0}`; \
         nothing was deleted"
    )]
    NotAnOrphanButAProfile(String),
    /// A keyring entry asked to be pruned is not an orphan.
    #[error(
        "{0:?} is not an orphaned keyring entry (see `onsdesk profile orphans`); nothing was \
         deleted"
    )]
    NotAnOrphan(String),
}

/// The whitespace at the start and at the end of `value` (a copy-paste accident), if any.
#[must_use]
pub fn whitespace_around(value: &str) -> Option<(Option<char>, Option<char>)> {
    let first = value.chars().next().filter(|c| c.is_whitespace());
    let last = value.chars().next_back().filter(|c| c.is_whitespace());
    (first.is_some() || last.is_some()).then_some((first, last))
}

/// "begins with a space", "ends with a newline", "begins with a tab and ends with …".
fn whitespace_place(first: Option<char>, last: Option<char>) -> String {
    fn kind(c: char) -> &'static str {
        match c {
            ' ' => "a space",
            '\t' => "a tab",
            '\n' => "a newline",
            '\r' => "a carriage return",
            '\u{a0}' => "a non-breaking space",
            _ => "a whitespace character",
        }
    }
    match (first, last) {
        (None, None) => String::new(),
        (Some(f), None) => format!("begins with {}", kind(f)),
        (None, Some(l)) => format!("ends with {}", kind(l)),
        (Some(f), Some(l)) => format!("begins with {} and ends with {}", kind(f), kind(l)),
    }
}

/// Refuses empty values, control and invisible formatting characters
/// ([`crate::text::needs_escape`]), surrounding whitespace and overlong values.
pub fn check_field(field: Field, value: &str, max_chars: usize) -> Result<(), InputError> {
    if value.is_empty() {
        return Err(InputError::Empty(field));
    }
    if let Some((first, last)) = whitespace_around(value) {
        return Err(InputError::SurroundingWhitespace { field, first, last });
    }
    if value.chars().any(crate::text::needs_escape) {
        return Err(InputError::ControlCharacter(field));
    }
    if value.chars().count() > max_chars {
        return Err(InputError::TooLong { field, max_chars });
    }
    Ok(())
}

/// Checks a profile name against [`NameRule`].
pub fn check_name(name: &str) -> Result<(), NameRule> {
    if name.is_empty() {
        return Err(NameRule::Empty);
    }
    if name.chars().count() > super::MAX_NAME_CHARS {
        return Err(NameRule::TooLong);
    }
    if name.starts_with(['-', '.']) {
        return Err(NameRule::BadStart);
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(NameRule::BadCharacter);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_field_and_never_the_value() {
        let e = check_field(Field::Secret, "\tsecret-value ", 1024).unwrap_err();
        assert_eq!(
            e,
            InputError::SurroundingWhitespace {
                field: Field::Secret,
                first: Some('\t'),
                last: Some(' ')
            }
        );
        let text = e.to_string();
        assert!(
            text.starts_with("the AccessKey secret begins with a tab and ends with a space:"),
            "{text}"
        );
        assert!(!text.contains("secret-value"), "{text}");
        for hidden in [
            "a\u{7}b",
            "LTAIab\u{202e}\u{200b}k",
            "a\u{9b}b",
            "a\u{2028}b",
        ] {
            assert_eq!(
                check_field(Field::AccessKeyId, hidden, 128),
                Err(InputError::ControlCharacter(Field::AccessKeyId)),
                "{hidden:?}"
            );
        }
        assert_eq!(
            check_field(Field::SecurityToken, "tok", 2),
            Err(InputError::TooLong {
                field: Field::SecurityToken,
                max_chars: 2
            })
        );
    }

    #[test]
    fn surrounding_whitespace_descriptions() {
        let surrounding_whitespace =
            |v: &str| whitespace_around(v).map(|(first, last)| whitespace_place(first, last));
        assert_eq!(surrounding_whitespace("abc"), None);
        assert_eq!(
            surrounding_whitespace("abc\n").as_deref(),
            Some("ends with a newline")
        );
        assert_eq!(
            surrounding_whitespace("\tabc ").as_deref(),
            Some("begins with a tab and ends with a space")
        );
        assert_eq!(surrounding_whitespace("a b"), None);
    }

    #[test]
    fn names_follow_the_rule() {
        assert_eq!(check_name(""), Err(NameRule::Empty));
        assert_eq!(check_name(&"a".repeat(65)), Err(NameRule::TooLong));
        assert_eq!(check_name(".hidden"), Err(NameRule::BadStart));
        assert_eq!(check_name("a b"), Err(NameRule::BadCharacter));
        assert_eq!(check_name("work_2.cn-hangzhou"), Ok(()));
    }
}
