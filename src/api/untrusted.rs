//! Text from an endpoint is untrusted: a custom endpoint, a captive portal or a broken proxy can
//! answer anything. What reaches a terminal, a snippet or the history goes through here first:
//! control characters escaped, IDs checked against their formats, excerpts short.

/// At most this many characters of a body are kept for an error message.
pub const EXCERPT_CHARS: usize = 300;

/// `s` with control characters (C0, DEL, C1) and invisible direction or formatting characters
/// escaped (`\n`, `\u{1b}`, `\u{202e}`), so a reply cannot move the cursor, change colours,
/// rename the terminal window or reorder what is shown.
pub fn printable(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.extend(c.escape_default()),
            c if needs_escape(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// [`printable`], but keeping line breaks (`\n`): for a service's Message, where a V3
/// `SignatureDoesNotMatch` quotes a multi-line canonical request the signature doctor compares
/// with ours. Whoever prints it on a terminal line still passes it through [`printable`].
pub fn printable_multiline(s: &str) -> String {
    s.split('\n').map(printable).collect::<Vec<_>>().join("\n")
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width characters, left-to-right and right-to-left marks
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202A}'..='\u{202E}' // direction embeddings and overrides
            | '\u{2060}'..='\u{2069}' // word joiner, invisible operators, direction isolates
            | '\u{FEFF}' // byte order mark
        )
}

/// The first [`EXCERPT_CHARS`] characters of `s` (already redacted), control characters escaped,
/// with `…` when there was more.
pub fn excerpt(s: &str) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    let mut out = printable(&head);
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// True for an ONS InstanceId as the service hands them out (`MQ_INST_1880770869020000_BXSuW61e`):
/// 1 to 64 ASCII letters, digits, `_` and `-`. Nothing else may reach a Terraform snippet, a
/// shell line, the history or a terminal.
pub fn is_instance_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// True for a RequestId (a UUID such as `5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB`; other IDs of
/// the same alphabet are accepted): 1 to 64 ASCII letters, digits, `-` and `_`.
pub fn is_request_id(s: &str) -> bool {
    is_instance_id(s)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn excerpts_are_short_and_printable() {
        let long = "a".repeat(400);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("x\u{1b}"), "x\\u{1b}");
    }

    #[test]
    fn ids_have_their_format() {
        for ok in [
            "MQ_INST_1880770869020000_BXSuW61e",
            "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB",
        ] {
            assert!(is_instance_id(ok) && is_request_id(ok), "{ok}");
        }
        for bad in [
            "",
            "MQ_INST_1\nresource",
            "MQ_INST_1 x",
            "MQ_INST_1\"",
            "id;rm",
            "\u{1b}[2J",
            "测试",
            &"a".repeat(65),
        ] {
            assert!(!is_instance_id(bad) && !is_request_id(bad), "{bad:?}");
        }
    }
}
