//! The name and remark rules of instances, topics and groups, shared by the CLI, the window
//! and the sandbox.
//!
//! - Instance name: 3 to 64 characters, each a Chinese character, an ASCII letter, an ASCII
//!   digit, `-` or `_` ([`validate_instance_name`]); a remark above 128 characters is only
//!   flagged ([`RemarkCheck`]).
//! - Topic name: 3 to 64 ASCII letters, digits, `-` or `_`, not starting with `CID` or `GID` in
//!   any case ([`validate_topic_name`]); remark at most 128 characters
//!   ([`validate_topic_remark`]).
//! - Group ID: 2 to 64 ASCII letters, digits, `-` or `_` ([`validate_group_id`]); without a
//!   `GID_`/`GID-` prefix it is accepted with advice ([`GroupIdAdvice`]); remark at most 256
//!   characters ([`validate_group_remark`]).
//!
//! Characters are Unicode scalar values, never bytes. Nothing is trimmed or altered: a refused
//! name says exactly why, with the first offending character. Every reason is a typed value
//! (its `Display` is the English sentence for the command line; the window turns the same value
//! into its own words). Where the sources disagree, the reading chosen is explained in
//! docs/topics-groups.md.

use std::fmt;

/// Fewest characters an instance name may have.
pub const NAME_MIN_CHARS: usize = 3;
/// Most characters an instance name may have.
pub const NAME_MAX_CHARS: usize = 64;
/// Above this many characters a remark gets a warning (Terraform's bound; the API states none).
pub const REMARK_SOFT_MAX_CHARS: usize = 128;

/// Why an instance name is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// No characters at all.
    Empty,
    /// Fewer than [`NAME_MIN_CHARS`] characters.
    TooShort { chars: usize },
    /// More than [`NAME_MAX_CHARS`] characters.
    TooLong { chars: usize },
    /// The first character that is not allowed, with its 1-based position.
    BadChar {
        ch: char,
        position: usize,
        kind: BadCharKind,
    },
}

/// What kind of character was refused, so the message can say what to do instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadCharKind {
    /// An ASCII or ideographic space, or another Unicode space.
    Space,
    /// A newline, tab or other control character.
    Control,
    /// A full-width form of an ASCII character; carries its half-width twin.
    FullWidth(char),
    /// Chinese / CJK punctuation such as `，` `。` `、` `【`.
    CjkPunctuation,
    /// An emoji or pictograph (or a joiner/variation selector that builds one).
    Emoji,
    /// ASCII punctuation other than `-` and `_` (`.`, `/`, `@`, …).
    AsciiPunctuation,
    /// Anything else: letters of other scripts, symbols, …
    Other,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "Enter an instance name ({NAME_MIN_CHARS} to {NAME_MAX_CHARS} characters)."
            ),
            Self::TooShort { chars } => write!(
                f,
                "The name has {chars} character{}; it needs at least {NAME_MIN_CHARS}.",
                plural(*chars)
            ),
            Self::TooLong { chars } => write!(
                f,
                "The name has {chars} characters; at most {NAME_MAX_CHARS} are allowed."
            ),
            Self::BadChar { ch, position, kind } => {
                write_bad_char(f, *ch, *position, *kind)?;
                f.write_str(" Use Chinese characters, letters, digits, '-' or '_'.")
            }
        }
    }
}

/// `Character 3 '.' (U+002E) is not allowed.`: the first sentence of every refused character,
/// whatever the name's rule; the caller adds which characters its rule allows.
fn write_bad_char(
    f: &mut fmt::Formatter<'_>,
    ch: char,
    position: usize,
    kind: BadCharKind,
) -> fmt::Result {
    write!(f, "Character {position} ")?;
    write_char_label(f, ch)?;
    match kind {
        BadCharKind::Space => f.write_str(" is a space, which is not allowed."),
        BadCharKind::Control => {
            f.write_str(" is a control character (such as a newline), which is not allowed.")
        }
        BadCharKind::FullWidth(half) => write!(
            f,
            " is a full-width character; type the half-width '{half}' instead."
        ),
        BadCharKind::CjkPunctuation => {
            f.write_str(" is Chinese punctuation, which is not allowed.")
        }
        BadCharKind::Emoji => f.write_str(" is an emoji, which is not allowed."),
        BadCharKind::AsciiPunctuation | BadCharKind::Other => f.write_str(" is not allowed."),
    }
}

impl std::error::Error for NameError {}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes `'x' (U+0078)`, or only the code point for characters that do not print.
pub fn write_char_label(f: &mut impl fmt::Write, ch: char) -> fmt::Result {
    if ch.is_control() || is_invisible(ch) {
        write!(f, "(U+{:04X})", u32::from(ch))
    } else {
        write!(f, "'{ch}' (U+{:04X})", u32::from(ch))
    }
}

fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// Checks an instance name exactly as typed. `Ok` means the API's rule is met.
pub fn validate_instance_name(name: &str) -> Result<(), NameError> {
    // The first offending character is the most useful thing to report, even when the
    // length is also wrong: the user fixes the character, then sees the count.
    for (index, ch) in name.chars().enumerate() {
        if !is_name_char(ch) {
            return Err(NameError::BadChar {
                ch,
                position: index + 1,
                kind: classify(ch),
            });
        }
    }
    let chars = name.chars().count();
    match chars {
        0 => Err(NameError::Empty),
        n if n < NAME_MIN_CHARS => Err(NameError::TooShort { chars: n }),
        n if n > NAME_MAX_CHARS => Err(NameError::TooLong { chars: n }),
        _ => Ok(()),
    }
}

/// One character allowed in an instance name.
pub fn is_name_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || is_cjk_ideograph(ch)
}

/// CJK unified ideographs, all extension blocks, the compatibility ideographs, and 〇 (the
/// ideographic number zero, written in Chinese dates and numbers: 二〇二六).
pub fn is_cjk_ideograph(ch: char) -> bool {
    matches!(
        ch,
        '\u{4E00}'..='\u{9FFF}'       // CJK Unified Ideographs
        | '\u{3007}'                 // 〇, ideographic number zero
        | '\u{3400}'..='\u{4DBF}'     // Extension A
        | '\u{20000}'..='\u{2A6DF}'   // Extension B
        | '\u{2A700}'..='\u{2B73F}'   // Extension C
        | '\u{2B740}'..='\u{2B81F}'   // Extension D
        | '\u{2B820}'..='\u{2CEAF}'   // Extension E
        | '\u{2CEB0}'..='\u{2EBEF}'   // Extension F
        | '\u{2EBF0}'..='\u{2EE5F}'   // Extension I
        | '\u{30000}'..='\u{3134F}'   // Extension G
        | '\u{31350}'..='\u{323AF}'   // Extension H
        | '\u{323B0}'..='\u{3347F}'   // Extension J
        | '\u{F900}'..='\u{FAFF}'     // Compatibility Ideographs
        | '\u{2F800}'..='\u{2FA1F}' // Compatibility Ideographs Supplement
    )
}

fn classify(ch: char) -> BadCharKind {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width ASCII variants sit exactly 0xFEE0 above their half-width twins.
            char::from_u32(u32::from(ch) - 0xFEE0)
                .map_or(BadCharKind::Other, BadCharKind::FullWidth)
        }
        c if c.is_whitespace() && !c.is_control() => BadCharKind::Space,
        c if c.is_control() => BadCharKind::Control,
        '\u{3000}'..='\u{303F}'
        | '\u{FF5F}'..='\u{FF65}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{2014}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2026}'
        | '\u{00B7}' => BadCharKind::CjkPunctuation,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{FE0F}'
        | '\u{200D}'
        | '\u{E0020}'..='\u{E007F}' => BadCharKind::Emoji,
        c if c.is_ascii_punctuation() => BadCharKind::AsciiPunctuation,
        _ => BadCharKind::Other,
    }
}

/// How a remark measures up. A remark is never refused; a long one is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemarkCheck {
    /// Characters (Unicode scalar values).
    pub chars: usize,
}

impl RemarkCheck {
    /// Measures a remark as typed.
    pub fn of(remark: &str) -> Self {
        Self {
            chars: remark.chars().count(),
        }
    }

    /// True above [`REMARK_SOFT_MAX_CHARS`].
    pub fn is_long(self) -> bool {
        self.chars > REMARK_SOFT_MAX_CHARS
    }

    /// The warning to show, if any.
    pub fn warning(self) -> Option<String> {
        self.is_long().then(|| {
            format!(
                "The remark has {} characters; tools such as Terraform accept at most {REMARK_SOFT_MAX_CHARS}.",
                self.chars
            )
        })
    }
}

/// Fewest characters a topic name may have.
pub const TOPIC_MIN_CHARS: usize = 3;
/// Most characters a topic name may have.
pub const TOPIC_MAX_CHARS: usize = 64;
/// Prefixes a topic name may not start with, in any case: they mark group IDs.
pub const TOPIC_RESERVED_PREFIXES: [&str; 2] = ["CID", "GID"];
/// Most characters a topic's remark may have (Terraform's bound; the API states none).
pub const TOPIC_REMARK_MAX_CHARS: usize = 128;
/// Fewest characters a group ID may have.
pub const GROUP_MIN_CHARS: usize = 2;
/// Most characters a group ID may have.
pub const GROUP_MAX_CHARS: usize = 64;
/// The prefixes a group ID is advised (not required) to start with, exactly as written.
pub const GROUP_ID_PREFIXES: [&str; 2] = ["GID_", "GID-"];
/// Most characters a group's remark may have (Terraform's bound; the API states none).
pub const GROUP_REMARK_MAX_CHARS: usize = 256;

/// Why a topic name is refused. Checked in this order: the first character that is not
/// allowed, then the length, then the reserved prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopicNameError {
    /// No characters at all.
    Empty,
    /// Fewer than [`TOPIC_MIN_CHARS`] characters.
    TooShort { chars: usize },
    /// More than [`TOPIC_MAX_CHARS`] characters.
    TooLong { chars: usize },
    /// The first character that is not an ASCII letter, digit, `-` or `_`, with its 1-based
    /// position. Chinese characters are refused here (they are [`BadCharKind::Other`]).
    BadChar {
        ch: char,
        position: usize,
        kind: BadCharKind,
    },
    /// The name starts with one of [`TOPIC_RESERVED_PREFIXES`] (in any case); `prefix` is the
    /// reserved prefix as listed there (`"GID"`), not as typed.
    ReservedPrefix { prefix: &'static str },
}

impl fmt::Display for TopicNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "Enter a topic name ({TOPIC_MIN_CHARS} to {TOPIC_MAX_CHARS} characters)."
            ),
            Self::TooShort { chars } => write!(
                f,
                "The topic name has {chars} character{}; it needs at least {TOPIC_MIN_CHARS}.",
                plural(*chars)
            ),
            Self::TooLong { chars } => write!(
                f,
                "The topic name has {chars} characters; at most {TOPIC_MAX_CHARS} are allowed."
            ),
            Self::BadChar { ch, position, kind } => {
                write_bad_char(f, *ch, *position, *kind)?;
                f.write_str(ASCII_NAME_CHARS)
            }
            Self::ReservedPrefix { prefix } => write!(
                f,
                "A topic name cannot start with '{prefix}' (in upper or lower case): that prefix marks group IDs."
            ),
        }
    }
}

impl std::error::Error for TopicNameError {}

/// Why a group ID is refused. A group ID without the `GID_` prefix is not refused: see
/// [`GroupIdAdvice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupIdError {
    /// No characters at all.
    Empty,
    /// Fewer than [`GROUP_MIN_CHARS`] characters.
    TooShort { chars: usize },
    /// More than [`GROUP_MAX_CHARS`] characters.
    TooLong { chars: usize },
    /// The first character that is not an ASCII letter, digit, `-` or `_`, with its 1-based
    /// position.
    BadChar {
        ch: char,
        position: usize,
        kind: BadCharKind,
    },
}

impl fmt::Display for GroupIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "Enter a group ID ({GROUP_MIN_CHARS} to {GROUP_MAX_CHARS} characters)."
            ),
            Self::TooShort { chars } => write!(
                f,
                "The group ID has {chars} character{}; it needs at least {GROUP_MIN_CHARS}.",
                plural(*chars)
            ),
            Self::TooLong { chars } => write!(
                f,
                "The group ID has {chars} characters; at most {GROUP_MAX_CHARS} are allowed."
            ),
            Self::BadChar { ch, position, kind } => {
                write_bad_char(f, *ch, *position, *kind)?;
                f.write_str(ASCII_NAME_CHARS)
            }
        }
    }
}

impl std::error::Error for GroupIdError {}

/// Advice about a group ID that is accepted. Not an error: the current API accepts the ID; older
/// documentation, Terraform and ROS require the prefix, so a user is told before creating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupIdAdvice {
    /// The ID does not start with `GID_` or `GID-` (exactly, in capitals).
    /// `suggestion` is the ID with the prefix (`orders` → `GID_orders`; a `CID_` or lower-case
    /// `gid_` prefix is replaced, `CID_orders` → `GID_orders`), or `None` when that would be
    /// longer than [`GROUP_MAX_CHARS`].
    MissingPrefix { suggestion: Option<String> },
}

impl fmt::Display for GroupIdAdvice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingPrefix { suggestion } => {
                f.write_str(
                    "Group IDs usually start with 'GID_' or 'GID-' (Terraform and older tools require it)",
                )?;
                match suggestion {
                    Some(s) => write!(f, ": consider '{s}'."),
                    None => write!(
                        f,
                        "; with the prefix this ID would be longer than {GROUP_MAX_CHARS} characters."
                    ),
                }
            }
        }
    }
}

/// A topic's or a group's remark is longer than its limit ([`TOPIC_REMARK_MAX_CHARS`],
/// [`GROUP_REMARK_MAX_CHARS`]). Characters are Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemarkTooLong {
    /// Characters in the remark.
    pub chars: usize,
    /// The limit it breaks.
    pub max_chars: usize,
}

impl fmt::Display for RemarkTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The remark has {} characters; at most {} are allowed.",
            self.chars, self.max_chars
        )
    }
}

impl std::error::Error for RemarkTooLong {}

/// What topic names and group IDs allow, after a refused character's sentence.
const ASCII_NAME_CHARS: &str = " Use letters (A-Z, a-z), digits, '-' or '_'.";

/// One character allowed in a topic name or a group ID: an ASCII letter or digit, `-`, `_`.
pub fn is_ascii_name_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'
}

/// What is wrong with an ASCII name's characters or length, before the resource's own rules.
enum AsciiNameProblem {
    Empty,
    TooShort(usize),
    TooLong(usize),
    BadChar(char, usize, BadCharKind),
}

fn check_ascii_name(name: &str, min: usize, max: usize) -> Result<(), AsciiNameProblem> {
    // As for instance names: the first offending character first, then the count.
    if let Some((index, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !is_ascii_name_char(*c))
    {
        return Err(AsciiNameProblem::BadChar(ch, index + 1, classify(ch)));
    }
    // Every character is ASCII now: bytes are characters.
    match name.len() {
        0 => Err(AsciiNameProblem::Empty),
        n if n < min => Err(AsciiNameProblem::TooShort(n)),
        n if n > max => Err(AsciiNameProblem::TooLong(n)),
        _ => Ok(()),
    }
}

/// Checks a topic name exactly as typed: 3 to 64 ASCII letters, digits, `-` or `_`, not
/// starting with `CID` or `GID` in any case. `Ok` means the documented rule is met.
pub fn validate_topic_name(name: &str) -> Result<(), TopicNameError> {
    check_ascii_name(name, TOPIC_MIN_CHARS, TOPIC_MAX_CHARS).map_err(|p| match p {
        AsciiNameProblem::Empty => TopicNameError::Empty,
        AsciiNameProblem::TooShort(chars) => TopicNameError::TooShort { chars },
        AsciiNameProblem::TooLong(chars) => TopicNameError::TooLong { chars },
        AsciiNameProblem::BadChar(ch, position, kind) => {
            TopicNameError::BadChar { ch, position, kind }
        }
    })?;
    match TOPIC_RESERVED_PREFIXES.into_iter().find(|p| {
        name.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    }) {
        Some(prefix) => Err(TopicNameError::ReservedPrefix { prefix }),
        None => Ok(()),
    }
}

/// Checks a group ID exactly as typed: 2 to 64 ASCII letters, digits, `-` or `_`. An accepted
/// ID may come with advice (`Ok(Some(…))`): without a `GID_` or `GID-` prefix it is valid, but
/// Terraform and older tools would refuse it.
pub fn validate_group_id(id: &str) -> Result<Option<GroupIdAdvice>, GroupIdError> {
    check_ascii_name(id, GROUP_MIN_CHARS, GROUP_MAX_CHARS).map_err(|p| match p {
        AsciiNameProblem::Empty => GroupIdError::Empty,
        AsciiNameProblem::TooShort(chars) => GroupIdError::TooShort { chars },
        AsciiNameProblem::TooLong(chars) => GroupIdError::TooLong { chars },
        AsciiNameProblem::BadChar(ch, position, kind) => {
            GroupIdError::BadChar { ch, position, kind }
        }
    })?;
    if GROUP_ID_PREFIXES.iter().any(|p| id.starts_with(p)) {
        return Ok(None);
    }
    // `CID_x` (the 4.x console's old prefix) and `gid_x` already mean the prefix: replace it
    // rather than stack a second one (`GID_CID_x`).
    let retyped = ["CID_", "CID-", "GID_", "GID-"].iter().any(|p| {
        id.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    });
    let suggestion = match id.get(3..) {
        Some(rest) if retyped => format!("GID{rest}"),
        _ => format!("GID_{id}"),
    };
    Ok(Some(GroupIdAdvice::MissingPrefix {
        suggestion: (suggestion.len() <= GROUP_MAX_CHARS).then_some(suggestion),
    }))
}

/// Checks a topic's remark: at most [`TOPIC_REMARK_MAX_CHARS`] characters.
pub fn validate_topic_remark(remark: &str) -> Result<(), RemarkTooLong> {
    check_remark(remark, TOPIC_REMARK_MAX_CHARS)
}

/// Checks a group's remark: at most [`GROUP_REMARK_MAX_CHARS`] characters.
pub fn validate_group_remark(remark: &str) -> Result<(), RemarkTooLong> {
    check_remark(remark, GROUP_REMARK_MAX_CHARS)
}

fn check_remark(remark: &str, max_chars: usize) -> Result<(), RemarkTooLong> {
    let chars = remark.chars().count();
    if chars > max_chars {
        Err(RemarkTooLong { chars, max_chars })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(name: &str) -> NameError {
        validate_instance_name(name).expect_err(name)
    }

    #[test]
    fn lengths_at_the_boundaries() {
        assert_eq!(err(""), NameError::Empty);
        assert_eq!(err("ab"), NameError::TooShort { chars: 2 });
        assert!(validate_instance_name("abc").is_ok());
        assert!(validate_instance_name(&"a".repeat(64)).is_ok());
        assert_eq!(err(&"a".repeat(65)), NameError::TooLong { chars: 65 });
        // Counted in characters, not bytes: 64 hanzi are 192 bytes and still fine.
        assert!(validate_instance_name(&"测".repeat(64)).is_ok());
        assert_eq!(err(&"测".repeat(65)), NameError::TooLong { chars: 65 });
        assert_eq!(err("测试"), NameError::TooShort { chars: 2 });
    }

    #[test]
    fn allowed_characters() {
        for ok in [
            "orders-prod_01",
            "测试实例",
            "订单-prod_测试",
            "\u{3400}\u{4DBF}x",   // Extension A ends
            "\u{20000}\u{2A6DF}x", // Extension B ends
            "\u{2B740}\u{2CEB0}x", // D, F
            "\u{30000}\u{31350}x", // G, H
            "\u{F900}\u{2F800}x",  // compatibility ideographs
            "二〇二六订单",        // 〇, the ideographic zero
            "A-Z",
            "___",
        ] {
            assert_eq!(validate_instance_name(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn refused_characters_name_the_first_offender_and_its_position() {
        let cases: &[(&str, char, usize, BadCharKind)] = &[
            ("my instance", ' ', 3, BadCharKind::Space),
            ("ab\ncd", '\n', 3, BadCharKind::Control),
            ("ab\tcd", '\t', 3, BadCharKind::Control),
            ("ＡＢＣ", 'Ａ', 1, BadCharKind::FullWidth('A')),
            ("ab１", '１', 3, BadCharKind::FullWidth('1')),
            ("订单，测试", '，', 3, BadCharKind::FullWidth(',')),
            ("订单。测试", '。', 3, BadCharKind::CjkPunctuation),
            ("订单\u{3000}测试", '\u{3000}', 3, BadCharKind::Space),
            ("【测试】", '【', 1, BadCharKind::CjkPunctuation),
            ("abc😀", '😀', 4, BadCharKind::Emoji),
            ("a.b.c", '.', 2, BadCharKind::AsciiPunctuation),
            ("café", 'é', 4, BadCharKind::Other),
            ("テスト", 'テ', 1, BadCharKind::Other),
        ];
        for &(name, ch, position, kind) in cases {
            assert_eq!(
                err(name),
                NameError::BadChar { ch, position, kind },
                "{name:?}"
            );
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            err("ab").to_string(),
            "The name has 2 characters; it needs at least 3."
        );
        assert_eq!(
            err(&"x".repeat(70)).to_string(),
            "The name has 70 characters; at most 64 are allowed."
        );
        assert_eq!(
            err("ab１").to_string(),
            "Character 3 '１' (U+FF11) is a full-width character; type the half-width '1' instead. Use Chinese characters, letters, digits, '-' or '_'."
        );
        assert_eq!(
            err("a\nb").to_string(),
            "Character 2 (U+000A) is a control character (such as a newline), which is not allowed. Use Chinese characters, letters, digits, '-' or '_'."
        );
    }

    #[test]
    fn remark_warns_above_128() {
        assert_eq!(RemarkCheck::of("").warning(), None);
        assert!(!RemarkCheck::of(&"备".repeat(128)).is_long());
        let long = RemarkCheck::of(&"备".repeat(129));
        assert!(long.is_long());
        assert_eq!(long.chars, 129);
        assert!(long.warning().is_some_and(|w| w.contains("129")));
    }

    fn topic_err(name: &str) -> TopicNameError {
        validate_topic_name(name).expect_err(name)
    }

    fn group_err(id: &str) -> GroupIdError {
        validate_group_id(id).expect_err(id)
    }

    #[test]
    fn topic_names_at_the_boundaries() {
        assert_eq!(topic_err(""), TopicNameError::Empty);
        assert_eq!(topic_err("ab"), TopicNameError::TooShort { chars: 2 });
        assert_eq!(validate_topic_name("abc"), Ok(()));
        assert_eq!(validate_topic_name(&"t".repeat(64)), Ok(()));
        assert_eq!(
            topic_err(&"t".repeat(65)),
            TopicNameError::TooLong { chars: 65 }
        );
        for ok in [
            "orders",
            "orders-v2",
            "Orders_2024",
            "a-_",
            "123",
            "topic-CID",
            "xGID",
        ] {
            assert_eq!(validate_topic_name(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn topic_names_refuse_group_prefixes_in_any_case() {
        for (name, prefix) in [
            ("GID_orders", "GID"),
            ("gid-orders", "GID"),
            ("Gid", "GID"),
            ("CID_orders", "CID"),
            ("cidr-events", "CID"),
            ("cId", "CID"),
        ] {
            assert_eq!(
                topic_err(name),
                TopicNameError::ReservedPrefix { prefix },
                "{name:?}"
            );
        }
        // The characters and the length are reported before the prefix.
        assert_eq!(topic_err("GI"), TopicNameError::TooShort { chars: 2 });
        assert!(matches!(
            topic_err("GID orders"),
            TopicNameError::BadChar { .. }
        ));
    }

    #[test]
    fn topic_names_are_ascii_only() {
        let cases: &[(&str, char, usize, BadCharKind)] = &[
            ("订单", '订', 1, BadCharKind::Other),
            ("orders 2", ' ', 7, BadCharKind::Space),
            ("orders.v2", '.', 7, BadCharKind::AsciiPunctuation),
            ("ｏrders", 'ｏ', 1, BadCharKind::FullWidth('o')),
            ("ord\ners", '\n', 4, BadCharKind::Control),
            ("ord%ers", '%', 4, BadCharKind::AsciiPunctuation),
            ("café", 'é', 4, BadCharKind::Other),
            ("a😀b", '😀', 2, BadCharKind::Emoji),
        ];
        for &(name, ch, position, kind) in cases {
            assert_eq!(
                topic_err(name),
                TopicNameError::BadChar { ch, position, kind },
                "{name:?}"
            );
        }
        // Positions count characters, not bytes.
        assert_eq!(
            topic_err("订单x\u{1b}"),
            TopicNameError::BadChar {
                ch: '订',
                position: 1,
                kind: BadCharKind::Other
            }
        );
    }

    #[test]
    fn topic_messages_say_what_to_do() {
        assert_eq!(
            topic_err("").to_string(),
            "Enter a topic name (3 to 64 characters)."
        );
        assert_eq!(
            topic_err("a").to_string(),
            "The topic name has 1 character; it needs at least 3."
        );
        assert_eq!(
            topic_err(&"x".repeat(70)).to_string(),
            "The topic name has 70 characters; at most 64 are allowed."
        );
        assert_eq!(
            topic_err("订单").to_string(),
            "Character 1 '订' (U+8BA2) is not allowed. Use letters (A-Z, a-z), digits, '-' or '_'."
        );
        assert_eq!(
            topic_err("ab\u{202e}c").to_string(),
            "Character 3 (U+202E) is not allowed. Use letters (A-Z, a-z), digits, '-' or '_'."
        );
        assert_eq!(
            topic_err("ｏrders").to_string(),
            "Character 1 'ｏ' (U+FF4F) is a full-width character; type the half-width 'o' instead. Use letters (A-Z, a-z), digits, '-' or '_'."
        );
        assert_eq!(
            topic_err("gid_orders").to_string(),
            "A topic name cannot start with 'GID' (in upper or lower case): that prefix marks group IDs."
        );
    }

    #[test]
    fn group_ids_at_the_boundaries() {
        assert_eq!(group_err(""), GroupIdError::Empty);
        assert_eq!(group_err("G"), GroupIdError::TooShort { chars: 1 });
        assert_eq!(validate_group_id("GID_"), Ok(None));
        assert!(validate_group_id("ab").is_ok());
        let longest = format!("GID_{}", "g".repeat(60));
        assert_eq!(validate_group_id(&longest), Ok(None));
        assert_eq!(
            group_err(&format!("{longest}x")),
            GroupIdError::TooLong { chars: 65 }
        );
        assert_eq!(
            group_err("GID_订单"),
            GroupIdError::BadChar {
                ch: '订',
                position: 5,
                kind: BadCharKind::Other
            }
        );
        assert_eq!(
            group_err("GID orders").to_string(),
            "Character 4 ' ' (U+0020) is a space, which is not allowed. Use letters (A-Z, a-z), digits, '-' or '_'."
        );
        assert_eq!(
            group_err("G").to_string(),
            "The group ID has 1 character; it needs at least 2."
        );
        assert_eq!(
            group_err("").to_string(),
            "Enter a group ID (2 to 64 characters)."
        );
    }

    #[test]
    fn group_ids_without_the_prefix_are_accepted_with_advice() {
        for ok in ["GID_orders", "GID-orders", "GID_orders-v2"] {
            assert_eq!(validate_group_id(ok), Ok(None), "{ok:?}");
        }
        for (id, suggestion) in [
            ("orders", "GID_orders"),
            ("ab", "GID_ab"),
            ("CID_orders", "GID_orders"),
            ("cid-orders", "GID-orders"),
            ("gid_orders", "GID_orders"),
            ("Gid-orders", "GID-orders"),
            ("GIDorders", "GID_GIDorders"),
        ] {
            assert_eq!(
                validate_group_id(id),
                Ok(Some(GroupIdAdvice::MissingPrefix {
                    suggestion: Some(suggestion.to_owned())
                })),
                "{id:?}"
            );
        }
        let advice = validate_group_id("orders").unwrap().unwrap();
        assert_eq!(
            advice.to_string(),
            "Group IDs usually start with 'GID_' or 'GID-' (Terraform and older tools require it): consider 'GID_orders'."
        );
        // A suggestion must itself be a valid ID: 61 characters plus `GID_` would be 65.
        let long = "o".repeat(61);
        let advice = validate_group_id(&long).unwrap().unwrap();
        assert_eq!(advice, GroupIdAdvice::MissingPrefix { suggestion: None });
        assert!(
            advice.to_string().ends_with("longer than 64 characters."),
            "{advice}"
        );
        let fits = "o".repeat(60);
        let Some(GroupIdAdvice::MissingPrefix {
            suggestion: Some(s),
        }) = validate_group_id(&fits).unwrap()
        else {
            panic!("no suggestion for 60 characters");
        };
        assert_eq!(validate_group_id(&s), Ok(None));
    }

    #[test]
    fn topic_and_group_remarks_are_refused_above_their_limits() {
        assert_eq!(validate_topic_remark(""), Ok(()));
        assert_eq!(validate_topic_remark(&"备".repeat(128)), Ok(()));
        assert_eq!(
            validate_topic_remark(&"备".repeat(129)),
            Err(RemarkTooLong {
                chars: 129,
                max_chars: 128
            })
        );
        assert_eq!(validate_group_remark(&"r".repeat(256)), Ok(()));
        let err = validate_group_remark(&"r".repeat(257)).unwrap_err();
        assert_eq!(
            err,
            RemarkTooLong {
                chars: 257,
                max_chars: 256
            }
        );
        assert_eq!(
            err.to_string(),
            "The remark has 257 characters; at most 256 are allowed."
        );
    }
}
