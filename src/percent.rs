//! Alibaba Cloud's percent-encoding: what a signature encodes, and what a secret looks like
//! once a request has carried it (so it can be found and redacted in that form too). It sits
//! below both the signing and the credentials modules, which use it.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte except `A–Z a–z 0–9 - _ . ~` becomes `%XX` (uppercase). Space is `%20` (never
/// `+`), `*` is `%2A`, `~` stays literal.
pub const ALIYUN_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `s` the way the signature expects (UTF-8 bytes, [`ALIYUN_ENCODE_SET`]).
pub fn percent_encode(s: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(s, ALIYUN_ENCODE_SET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_alibaba() {
        assert_eq!(
            percent_encode("a b*c~d+e/f&g").to_string(),
            "a%20b%2Ac~d%2Be%2Ff%26g"
        );
        assert_eq!(percent_encode("测").to_string(), "%E6%B5%8B");
        assert_eq!(percent_encode("AZaz09-_.~").to_string(), "AZaz09-_.~");
    }
}
