//! The one filter between a value and a terminal.
//!
//! Text that onsdesk prints may come from an endpoint (a custom one, a captive portal, a broken
//! proxy can answer anything), from a file someone else can write (the history, the aliyun CLI's
//! config) or from the command line. Whatever its source, before it reaches a terminal it goes
//! through [`printable`] (or its `Display` form, [`Printable`]): control characters, invisible
//! formatting characters and line separators are escaped, so a value cannot move the cursor,
//! change colours, rename the terminal window, hide part of itself or reorder what is shown.
//! `--json` output goes through [`json_line`], which escapes the same characters inside JSON
//! strings (the parsed value is unchanged).
//!
//! The set escaped is Unicode's control characters (C0, DEL, C1), its format characters
//! (general category Cf: zero-width characters, direction marks, embeddings, overrides and
//! isolates, the soft hyphen, the byte order mark, tag characters…), the other characters
//! Unicode says to show as nothing (Default_Ignorable_Code_Point: variation selectors, the
//! combining grapheme joiner, the Hangul fillers…) and the line and paragraph separators.
//! Anything that can hide between two visible characters is escaped, so no value can be
//! split invisibly (an STS token with a variation selector between every character, say).

use std::fmt;
use std::fmt::Write as _;

/// At most this many characters of a body are kept for an error message.
pub const EXCERPT_CHARS: usize = 300;

/// Unicode's format characters (general category Cf, Unicode 16.0), as inclusive ranges.
const FORMAT_CHARACTERS: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{0600}', '\u{0605}'),   // Arabic number signs
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{06DD}', '\u{06DD}'),   // Arabic end of ayah
    ('\u{070F}', '\u{070F}'),   // Syriac abbreviation mark
    ('\u{0890}', '\u{0891}'),   // Arabic pound and piastre marks above
    ('\u{08E2}', '\u{08E2}'),   // Arabic disputed end of ayah
    ('\u{180E}', '\u{180E}'),   // Mongolian vowel separator
    ('\u{200B}', '\u{200F}'),   // zero-width space, joiners, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // direction embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'),   // direction isolates, deprecated format characters
    ('\u{FEFF}', '\u{FEFF}'),   // byte order mark
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation
    ('\u{110BD}', '\u{110BD}'), // Kaithi number sign
    ('\u{110CD}', '\u{110CD}'), // Kaithi number sign above
    ('\u{13430}', '\u{1343F}'), // Egyptian hieroglyph format controls
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0001}', '\u{E0001}'), // language tag
    ('\u{E0020}', '\u{E007F}'), // tag characters
];

/// Unicode's default-ignorable code points (DerivedCoreProperties, Unicode 16.0) that are not
/// format characters: shown as nothing, whatever the font.
const IGNORABLE_CHARACTERS: &[(char, char)] = &[
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180D}'),   // Mongolian free variation selectors
    ('\u{180F}', '\u{180F}'),   // Mongolian free variation selector four
    ('\u{2065}', '\u{2065}'),   // reserved, among the isolates
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFF8}'),   // reserved
    ('\u{E0000}', '\u{E0FFF}'), // tags, variation selectors supplement, reserved
];

/// True for a character that must not reach a terminal as itself: a control character, a
/// format character (Cf), another default-ignorable one, or a line or paragraph separator.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || FORMAT_CHARACTERS
            .iter()
            .chain(IGNORABLE_CHARACTERS)
            .any(|&(first, last)| (first..=last).contains(&c))
}

/// `s` with every character of [`needs_escape`] escaped (`\n`, `\t`, `\u{1b}`, `\u{202e}`).
pub fn printable(s: &str) -> String {
    Printable(s).to_string()
}

/// `s` made printable for `Display`: `eprintln!("… {}", Printable(&name))` writes what
/// [`printable`] returns, without an intermediate `String`.
#[derive(Clone, Copy, Debug)]
pub struct Printable<'a>(pub &'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if !s.chars().any(needs_escape) {
            return f.write_str(s);
        }
        for c in s.chars() {
            match c {
                '\n' | '\r' | '\t' => write!(f, "{}", c.escape_default())?,
                c if needs_escape(c) => write!(f, "{}", c.escape_unicode())?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// [`printable`], but keeping line breaks (`\n`): for a service's Message, where a V3
/// `SignatureDoesNotMatch` quotes a multi-line canonical request the signature doctor compares
/// with ours. Whoever prints it on a terminal line still passes it through [`printable`].
pub fn printable_multiline(s: &str) -> String {
    s.split('\n').map(printable).collect::<Vec<_>>().join("\n")
}

/// [`printable`], but keeping line breaks and tabs: for a block of code or configuration that
/// onsdesk wrote (a client config), whose layout they are.
pub fn printable_block(s: &str) -> String {
    s.split('\n')
        .map(|line| {
            line.split('\t')
                .map(printable)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// At most this many characters of an error's chain of causes are kept ([`error_chain`]).
pub const ERROR_CHAIN_CHARS: usize = 512;

/// An error and its causes on one line ("a: b: c"), printable and cut to
/// [`ERROR_CHAIN_CHARS`]. The words of a library's error are not onsdesk's: a TLS error quotes
/// the names in the certificate a server sent, a D-Bus error what the service said.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    shortened(&out, ERROR_CHAIN_CHARS)
}

/// `s` made printable and cut to at most `max` characters, with `…` when there was more:
/// text a reply or a file may make as long as it likes stays that short however many hidden
/// characters (each escaped in up to ten) it holds. An escape is never cut in half.
pub fn shortened(s: &str, max: usize) -> String {
    shortened_with(s, max, printable)
}

/// [`shortened`], keeping line breaks ([`printable_multiline`]).
pub fn shortened_multiline(s: &str, max: usize) -> String {
    shortened_with(s, max, printable_multiline)
}

fn shortened_with(s: &str, max: usize, escape: fn(&str) -> String) -> String {
    // escaping never shortens, so the first `max` characters hold all that can be kept
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(max).collect();
    let more = chars.next().is_some();
    let escaped = escape(&head);
    let Some((end, _)) = escaped.char_indices().nth(max) else {
        return if more { escaped + "…" } else { escaped };
    };
    let mut kept = escaped.get(..end).unwrap_or_default();
    // an escape cut in half (`\u{20`, a lone `\`) would read as something else
    if let Some(start) = kept.rfind("\\u{")
        && !kept.get(start..).unwrap_or_default().contains('}')
    {
        kept = kept.get(..start).unwrap_or_default();
    }
    kept = kept.strip_suffix('\\').unwrap_or(kept);
    format!("{kept}…")
}

/// The first [`EXCERPT_CHARS`] characters of `s` (already redacted), made printable, with `…`
/// when there was more.
pub fn excerpt(s: &str) -> String {
    shortened(s, EXCERPT_CHARS)
}

/// `value` as one line of JSON for a terminal or a pipe: serde_json's own escaping (quotes,
/// backslashes, C0 controls), and every other character of [`needs_escape`] (C1 controls,
/// format characters, line separators) as a `\uXXXX` escape. Such characters can only stand
/// inside JSON strings, so the value a script parses is exactly the same.
pub fn json_line(value: &serde_json::Value) -> String {
    let json = value.to_string();
    if !json.chars().any(needs_escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_keeps_its_layout_and_nothing_else() {
        assert_eq!(
            printable_block("a\n\tb = 1\n"),
            "a\n\tb = 1\n",
            "lines and tabs are its layout"
        );
        assert_eq!(
            printable_block("x\u{1b}[2J\r\n\u{202e}y"),
            "x\\u{1b}[2J\\r\n\\u{202e}y"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("ok\u{1b}]0;pwned\u{7}\u{1b}[31mred\nline\u{202e}"),
            "ok\\u{1b}]0;pwned\\u{7}\\u{1b}[31mred\\nline\\u{202e}"
        );
        assert_eq!(printable("订单 & more"), "订单 & more");
        assert_eq!(printable("\u{9b}"), "\\u{9b}");
        assert_eq!(printable_multiline("a\nb\r\u{1b}"), "a\nb\\r\\u{1b}");
    }

    #[test]
    fn invisible_characters_are_escaped() {
        for c in [
            '\u{AD}',
            '\u{61C}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{2028}',
            '\u{2029}',
            '\u{2060}',
            '\u{2066}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            // default-ignorable, though not format characters
            '\u{34F}',
            '\u{115F}',
            '\u{1160}',
            '\u{17B4}',
            '\u{180B}',
            '\u{3164}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{FFA0}',
            '\u{E0100}',
        ] {
            let s = format!("a{c}b");
            let shown = printable(&s);
            assert!(!shown.contains(c), "{c:?} reached the terminal: {shown:?}");
            assert_eq!(shown, format!("a{}b", c.escape_unicode()));
        }
        // what a name may legitimately hold passes as it is
        for ok in ["orders-prod_1", "订单服务", "𠀀𠀁", "café", "ＡＢＣ"] {
            assert_eq!(printable(ok), ok);
        }
    }

    #[test]
    fn printable_display_matches_the_function() {
        let s = "x\u{1b}y\u{200b}z";
        assert_eq!(Printable(s).to_string(), printable(s));
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        let long = "a".repeat(400);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("x\u{1b}"), "x\\u{1b}");
    }

    /// The bound holds for what is shown, escapes included, and no escape is cut in half.
    /// A library's error may quote what a server sent (a TLS error, the names in the
    /// certificate): its chain is printable and short, whatever the causes hold.
    #[test]
    fn an_error_chain_is_printable_and_bounded() {
        #[derive(Debug)]
        struct Quoting(String, Option<Box<Quoting>>);
        impl fmt::Display for Quoting {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::error::Error for Quoting {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.1.as_deref().map(|e| e as _)
            }
        }
        let cause = Quoting(
            format!("only valid for \u{1b}]0;pwned\u{7}{}", "x".repeat(5_000)),
            None,
        );
        let e = Quoting("error sending request".into(), Some(Box::new(cause)));
        let text = error_chain(&e);
        assert!(text.starts_with("error sending request: only valid for \\u{1b}]0;pwned\\u{7}x"));
        assert!(!text.chars().any(needs_escape), "{text:?}");
        assert_eq!(
            text.chars().count(),
            ERROR_CHAIN_CHARS + 1,
            "cut, with its …"
        );
    }

    #[test]
    fn shortened_text_is_bounded_once_escaped() {
        let hidden = "\u{200b}".repeat(100);
        let s = shortened(&hidden, 20);
        assert_eq!(s, format!("{}…", "\\u{200b}".repeat(2)));
        assert_eq!(shortened("ab\ncd", 3), "ab…");
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("abcd", 3), "abc…");
        assert_eq!(shortened_multiline("a\nb\u{1b}", 10), "a\nb\\u{1b}");
    }

    #[test]
    fn json_lines_escape_c1_and_invisible_characters_and_parse_back_the_same() {
        let value = serde_json::json!({
            "name": "a\u{85}b\u{9b}c\u{200b}d\u{2028}e\u{E0041}f\u{1b}g订单",
        });
        let line = json_line(&value);
        for c in [
            '\u{85}',
            '\u{9b}',
            '\u{200b}',
            '\u{2028}',
            '\u{E0041}',
            '\u{1b}',
        ] {
            assert!(!line.contains(c), "{c:?} in {line}");
        }
        assert!(
            line.contains("\\u0085") && line.contains("\\udb40\\udc41"),
            "{line}"
        );
        assert!(line.contains("订单"), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value);
    }
}
