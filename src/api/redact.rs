//! Keeping the STS token out of everything a reply leads us to print or store.
//!
//! The service quotes the string it signed back in `SignatureDoesNotMatch`, and V1 signs the
//! STS token as a parameter, so an honest error already carries the token. A dishonest or broken
//! endpoint (a captive portal, a proxy, a custom endpoint) may return it in any shape: cut,
//! re-encoded, `+` turned into a space, `/` into `%2F`, escaped for JSON or XML. Matching the exact
//! token is therefore not enough. [`Redactor`] removes it three ways, on a decoded view of the
//! text that remembers where each decoded byte came from:
//!
//! - by **structure**: the value after `SecurityToken=` / `x-acs-security-token:` (in any
//!   percent-encoding depth, any case), whatever it holds;
//! - by **content**: every run of at least [`MIN_RUN`] consecutive characters of the token (case
//!   and `+`/space folded), wherever it stands;
//! - the AccessKey **secret** by its exact forms (it is never sent, so it can only come back
//!   verbatim from our own text).
//!
//! The decoded view undoes `%XX` (nested: `%252B` is `+`), JSON's `\/` and `\u00XX`, and XML
//! character references (`&#43;`, `&#x2B;`); each replaced span is a whole run of source
//! characters, so the output is still valid UTF-8 and the JSON or XML around it keeps its shape.

use std::fmt;

use zeroize::Zeroizing;

use crate::credentials::{Credentials, SecretString};

/// A run of this many consecutive token characters is redacted wherever it appears.
pub const MIN_RUN: usize = 8;

/// What replaces a redacted span.
pub const PLACEHOLDER: &str = "<redacted>";

/// Removes one set of credentials' secret and STS token from text. `Debug` shows nothing of
/// them; the copies it holds are zeroized on drop.
#[derive(Clone, Default)]
pub struct Redactor {
    /// The AccessKey secret, matched in its exact forms.
    secret: Option<SecretString>,
    /// The STS token, folded (see [`fold`]).
    token: Option<Zeroizing<Vec<u8>>>,
    /// Every [`MIN_RUN`]-byte window of the folded token, packed big-endian and sorted.
    grams: Zeroizing<Vec<u64>>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// A redactor for these credentials' secret and STS token.
    pub fn for_credentials(credentials: &Credentials) -> Self {
        Self::new(
            Some(&credentials.secret),
            credentials.security_token.as_ref(),
        )
    }

    /// A redactor for a secret and an STS token (either may be absent or empty).
    pub fn new(secret: Option<&SecretString>, token: Option<&SecretString>) -> Self {
        let secret = secret.filter(|s| !s.is_empty()).cloned();
        let token: Option<Zeroizing<Vec<u8>>> = token
            .filter(|t| !t.is_empty())
            .map(|t| Zeroizing::new(t.expose().bytes().map(fold).collect()));
        let mut grams = Zeroizing::new(Vec::new());
        if let Some(t) = &token {
            grams.extend(t.windows(MIN_RUN).map(pack));
            grams.sort_unstable();
            grams.dedup();
        }
        Self {
            secret,
            token,
            grams,
        }
    }

    /// `text` with the secret and every trace of the token replaced by [`PLACEHOLDER`].
    pub fn redact(&self, text: &str) -> String {
        let text = match &self.secret {
            Some(secret) => secret.redact_from(text),
            None => text.to_owned(),
        };
        if u32::try_from(text.len()).is_err() {
            // Too large to map span by span (4 GiB; replies are capped far below): show nothing.
            return PLACEHOLDER.to_owned();
        }
        let text = match &self.secret {
            Some(secret) => escaped_secret_removed(&text, secret.expose().as_bytes()),
            None => text,
        };
        let Some(token) = &self.token else {
            return text;
        };
        // Decoded, and as is: a `%` just before the token (or any escape-like text around it)
        // would otherwise be read as an escape that swallows its first characters.
        let mut spans = Vec::new();
        for escapes in [true, false] {
            let units = decode(&text, escapes);
            let mut marked = vec![false; units.len()];
            mark_token_values(&units, &mut marked);
            self.mark_runs(token, &units, &mut marked);
            spans.extend(
                units
                    .iter()
                    .zip(&marked)
                    .filter(|(_, m)| **m)
                    .map(|(u, _)| (u.start, u.end)),
            );
        }
        replace_spans(&text, spans)
    }

    /// Content: every run of the token's characters at least [`MIN_RUN`] long (the whole token
    /// when it is shorter than that).
    fn mark_runs(&self, token: &[u8], units: &[Unit], marked: &mut [bool]) {
        if token.len() < MIN_RUN {
            let folded: Vec<u8> = units.iter().map(|u| u.folded).collect();
            for at in memchr::memmem::find_iter(&folded, token) {
                if let Some(run) = marked.get_mut(at..at + token.len()) {
                    run.fill(true);
                }
            }
            return;
        }
        // The text is framed by a space on each side (folded to `+`): whatever prints it may
        // put one there (`Code: Message`), and seven characters of the token after a space
        // read as eight when the token has a `+` there.
        let framed = std::iter::once(fold(b' '))
            .chain(units.iter().map(|u| u.folded))
            .chain(std::iter::once(fold(b' ')));
        let mut window = 0u64;
        for (k, byte) in framed.enumerate() {
            window = (window << 8) | u64::from(byte);
            if k + 1 >= MIN_RUN && self.grams.binary_search(&window).is_ok() {
                // Framed positions k+1-MIN_RUN..=k are units k-MIN_RUN..=k-1, frame excluded.
                let first = (k + 1 - MIN_RUN).saturating_sub(1);
                let last = k.min(units.len()).saturating_sub(1);
                if let Some(run) = marked.get_mut(first..=last) {
                    run.fill(true);
                }
            }
        }
    }
}

/// Structure: the value after a `SecurityToken` key, however it is encoded.
fn mark_token_values(units: &[Unit], marked: &mut [bool]) {
    const KEYS: [&[u8]; 2] = [b"securitytoken", b"security-token"];
    let folded: Vec<u8> = units.iter().map(|u| u.folded).collect();
    let raw = |i: usize| units.get(i).map(|u| u.raw);
    for key in KEYS {
        for at in memchr::memmem::find_iter(&folded, key) {
            let mut i = at + key.len();
            // `SecurityToken=…`, `x-acs-security-token:…`, `"SecurityToken": "…"`
            while raw(i).is_some_and(|b| matches!(b, b'"' | b'\'' | b' ')) {
                i += 1;
            }
            if !raw(i).is_some_and(|b| matches!(b, b'=' | b':')) {
                continue;
            }
            i += 1;
            while raw(i).is_some_and(|b| matches!(b, b'"' | b'\'' | b' ')) {
                i += 1;
            }
            // A `+` may have become a space on the way: spaces inside the value are part of it.
            while raw(i).is_some_and(|b| is_token_char(b) || b == b' ') {
                if let Some(m) = marked.get_mut(i) {
                    *m = true;
                }
                i += 1;
            }
        }
    }
}

/// Characters a token value can hold once mangled on the way: base64 (standard and URL-safe),
/// `.` and `~`, and the space a `+` may have become.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_' | b'.' | b'~')
}

/// Folds case and the `+`/space confusion, so a mangled token still matches.
fn fold(b: u8) -> u8 {
    match b {
        b' ' => b'+',
        b => b.to_ascii_lowercase(),
    }
}

fn pack(window: &[u8]) -> u64 {
    window.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// `text` with the secret removed where escapes spell it (`\u0053`, `&#83;`, `%53` mixed with
/// plain characters): the exact forms are gone already ([`SecretString::redact_from`]), but an
/// endpoint may echo the secret in any of them, in a body that is not JSON or XML enough to be
/// decoded before it is shown.
fn escaped_secret_removed(text: &str, secret: &[u8]) -> String {
    if secret.is_empty() || !text.bytes().any(|b| matches!(b, b'\\' | b'&' | b'%')) {
        return text.to_owned();
    }
    let units = decode(text, true);
    let raw: Vec<u8> = units.iter().map(|u| u.raw).collect();
    let spans: Vec<(u32, u32)> = memchr::memmem::find_iter(&raw, secret)
        .filter_map(|at| {
            let first = units.get(at)?;
            let last = units.get(at + secret.len() - 1)?;
            Some((first.start, last.end))
        })
        .collect();
    if spans.is_empty() {
        return text.to_owned();
    }
    replace_spans(text, spans)
}

/// One decoded byte (as is, and folded) and the source bytes it came from.
#[derive(Clone, Copy)]
struct Unit {
    raw: u8,
    folded: u8,
    start: u32,
    end: u32,
}

/// The folded view of `text` (at most `u32::MAX` bytes), escapes decoded if `escapes`. Every
/// span starts and ends on a character boundary.
fn decode(text: &str, escapes: bool) -> Vec<Unit> {
    let src = text.as_bytes();
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mut units = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        if escapes && let Some((byte, len)) = decode_escape(src, i) {
            units.push(Unit {
                raw: byte,
                folded: fold(byte),
                start: at(i),
                end: at(i + len),
            });
            i += len;
            continue;
        }
        // A whole character: each of its bytes is one unit spanning all of it.
        let len = text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8);
        for k in 0..len {
            let raw = src.get(i + k).copied().unwrap_or_default();
            units.push(Unit {
                raw,
                folded: fold(raw),
                start: at(i),
                end: at(i + len),
            });
        }
        i += len;
    }
    units
}

/// An escape at `i` that stands for one ASCII byte: `%XX` (nested `%25XX` too), `\/`, `\u00XX`,
/// `&#NN;`, `&#xHH;`. Returns the byte and the escape's length.
fn decode_escape(src: &[u8], i: usize) -> Option<(u8, usize)> {
    let hex_at = |j: usize| -> Option<u8> {
        let hi = char::from(*src.get(j)?).to_digit(16)?;
        let lo = char::from(*src.get(j + 1)?).to_digit(16)?;
        u8::try_from(hi * 16 + lo).ok()
    };
    match src.get(i)? {
        b'%' => {
            let mut byte = hex_at(i + 1)?;
            let mut j = i + 3;
            while byte == b'%'
                && let Some(inner) = hex_at(j)
            {
                byte = inner;
                j += 2;
            }
            Some((byte, j - i))
        }
        b'\\' => match src.get(i + 1)? {
            b'/' => Some((b'/', 2)),
            b'u' if src.get(i + 2) == Some(&b'0') && src.get(i + 3) == Some(&b'0') => {
                hex_at(i + 4).filter(u8::is_ascii).map(|b| (b, 6))
            }
            _ => None,
        },
        b'&' if src.get(i + 1) == Some(&b'#') => {
            let (radix, digits_at) = if matches!(src.get(i + 2), Some(b'x' | b'X')) {
                (16, i + 3)
            } else {
                (10, i + 2)
            };
            let digits = src
                .get(digits_at..)?
                .iter()
                .take(8)
                .take_while(|b| char::from(**b).is_digit(radix))
                .count();
            let end = digits_at + digits;
            if digits == 0 || src.get(end) != Some(&b';') {
                return None;
            }
            let text = std::str::from_utf8(src.get(digits_at..end)?).ok()?;
            let value = u32::from_str_radix(text, radix).ok()?;
            let byte = u8::try_from(value).ok().filter(u8::is_ascii)?;
            Some((byte, end + 1 - i))
        }
        _ => None,
    }
}

/// `text` with every span replaced; overlapping and adjacent spans share one placeholder.
fn replace_spans(text: &str, mut spans: Vec<(u32, u32)>) -> String {
    if spans.is_empty() {
        return text.to_owned();
    }
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in merged {
        let (start, end) = (start as usize, end as usize);
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push_str(PLACEHOLDER);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "CAIS+sts/token=Value77abcdefGHIJ0123";

    fn redactor() -> Redactor {
        Redactor::new(
            Some(&SecretString::from("the-secret")),
            Some(&SecretString::from(TOKEN)),
        )
    }

    #[test]
    fn exact_and_encoded_forms_go() {
        let r = redactor();
        for form in [
            TOKEN.to_owned(),
            crate::signing::percent_encode(TOKEN).to_string(),
            crate::signing::percent_encode(&crate::signing::percent_encode(TOKEN).to_string())
                .to_string(),
            TOKEN.replace('/', "\\/"),
            TOKEN.replace('+', "&#43;"),
            TOKEN.replace('+', "\\u002B"),
            TOKEN.to_lowercase(),
        ] {
            let out = r.redact(&format!("before {form} after"));
            assert_eq!(out, "before <redacted> after", "{form}");
        }
        assert_eq!(r.redact("a the-secret b"), "a <redacted> b");
    }

    #[test]
    fn a_mangled_token_in_a_quoted_string_to_sign_goes() {
        let r = redactor();
        // `+` became a space, `/` became %2F, inside the once-encoded query of a string to sign.
        let mangled = TOKEN.replace('+', " ").replace('/', "%2F");
        let sts = format!(
            "POST&%2F&AccessKeyId%3Dk%26SecurityToken%3D{}%26Timestamp%3D2026",
            crate::signing::percent_encode(&mangled)
        );
        let out = r.redact(&sts);
        assert_eq!(
            out,
            "POST&%2F&AccessKeyId%3Dk%26SecurityToken%3D<redacted>%26Timestamp%3D2026"
        );
    }

    #[test]
    fn the_value_of_a_security_token_key_goes_whatever_it_is() {
        let r = redactor();
        assert_eq!(
            r.redact("x-acs-security-token:totally-other\nx-acs-date:1"),
            "x-acs-security-token:<redacted>\nx-acs-date:1"
        );
        assert_eq!(
            r.redact(r#"{"SecurityToken": "abc/def"}"#),
            r#"{"SecurityToken": "<redacted>"}"#
        );
    }

    #[test]
    fn pieces_of_the_token_go_and_other_text_stays() {
        let r = redactor();
        let out = r.redact("x:sts/token=Val y Value77abcd z 2026-11-29 MQ_INST_1_abc 测试");
        assert_eq!(
            out,
            "x:<redacted> y <redacted> z 2026-11-29 MQ_INST_1_abc 测试"
        );
        // Seven characters of it are not enough to matter...
        assert_eq!(r.redact("x token=V"), "x token=V");
        // ...unless a space before or after would make them eight (the token has `+sts/tok`).
        assert_eq!(r.redact("sts/tok"), "<redacted>");
        // A `%` just before it is not an escape that hides its first characters.
        assert_eq!(r.redact("100%CAIS+sts/t"), "100%<redacted>");
    }

    #[test]
    fn without_a_token_only_the_secret_goes() {
        let r = Redactor::new(Some(&SecretString::from("s3cret")), None);
        assert_eq!(
            r.redact("a s3cret SecurityToken=x"),
            "a <redacted> SecurityToken=x"
        );
        assert!(!format!("{:?}", redactor()).contains("CAIS"));
    }

    /// The secret spelt with escapes in text that is not decoded before it is shown (a body
    /// that is not JSON, an XML element with character references) is removed too, and only
    /// it: the escapes around it stay.
    #[test]
    fn the_secret_spelt_with_escapes_is_removed_where_it_stands() {
        let r = Redactor::new(Some(&SecretString::from("Zq9XkpSecretValue7Xy")), None);
        for (text, shown) in [
            (
                r#"{"Message":"Zq9\u0058kpSecretValue7Xy","Code":"X","Code":"Y"}"#,
                r#"{"Message":"<redacted>","Code":"X","Code":"Y"}"#,
            ),
            (
                "<RequestId>Zq9&#88;kpSecretValue7Xy</RequestId>",
                "<RequestId><redacted></RequestId>",
            ),
            (
                "a Zq9%58kp%53ecretValue7Xy b \\u0041",
                "a <redacted> b \\u0041",
            ),
            ("Zq9XkpSecretValue7X", "Zq9XkpSecretValue7X"),
        ] {
            assert_eq!(r.redact(text), shown, "{text}");
        }
    }

    #[test]
    fn a_short_token_is_matched_whole() {
        let r = Redactor::new(None, Some(&SecretString::from("tok-1")));
        assert_eq!(
            r.redact("a tok-1 b TOK%2D1 c"),
            "a <redacted> b <redacted> c"
        );
    }
}
