//! The InstanceName and Remark rules, shared by the CLI, the window and the sandbox.
//!
//! The API's documented rule: 3 to 64 characters, each a Chinese character, an ASCII letter,
//! an ASCII digit, `-` or `_`. Characters are Unicode scalar values, never bytes. Nothing is
//! trimmed or altered: a refused name says exactly why, with the first offending character.

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
                write!(f, "Character {position} ")?;
                write_char_label(f, *ch)?;
                match kind {
                    BadCharKind::Space => f.write_str(" is a space, which is not allowed"),
                    BadCharKind::Control => f.write_str(
                        " is a control character (such as a newline), which is not allowed",
                    ),
                    BadCharKind::FullWidth(half) => write!(
                        f,
                        " is a full-width character; type the half-width '{half}' instead"
                    ),
                    BadCharKind::CjkPunctuation => {
                        f.write_str(" is Chinese punctuation, which is not allowed")
                    }
                    BadCharKind::Emoji => f.write_str(" is an emoji, which is not allowed"),
                    BadCharKind::AsciiPunctuation | BadCharKind::Other => {
                        f.write_str(" is not allowed")
                    }
                }?;
                f.write_str(". Use Chinese characters, letters, digits, '-' or '_'.")
            }
        }
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

/// CJK unified ideographs, all extension blocks, and the compatibility ideographs.
pub fn is_cjk_ideograph(ch: char) -> bool {
    matches!(
        ch,
        '\u{4E00}'..='\u{9FFF}'       // CJK Unified Ideographs
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
}
