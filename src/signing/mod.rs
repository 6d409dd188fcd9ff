//! Request signing for Alibaba Cloud's RPC-style OpenAPI.
//!
//! [`v1`] is signature V1 (HMAC-SHA1, what Alibaba's docs now call "V2, RPC style"); [`v3`] is
//! `ACS3-HMAC-SHA256`. Every stage is its own value with `Display`, a pure function of its inputs;
//! time and nonce are injected so tests are exact. Both are pinned stage by stage to cases the
//! official SDKs computed (`tests/data/signature-v1.json`, `tests/data/signature-v3.json`).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// A signing stage held as text: `Display` and `as_str` give it byte for byte.
macro_rules! string_stage {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl $t {
            /// The stage as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    )*};
}

pub mod v1;
pub mod v3;

pub use crate::percent::{ALIYUN_ENCODE_SET, percent_encode};

/// The ONS OpenAPI version onsdesk speaks.
pub const API_VERSION: &str = "2019-02-14";

/// `enc(name)=enc(value)` for every parameter, in the map's (byte) order, joined by `&`: the
/// canonical query of V1 and of V3 alike. Empty values stay (`Remark=`).
fn encode_pairs(params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(params.len() * 32);
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{}={}", percent_encode(name), percent_encode(value));
    }
    out
}

/// The HTTP method a request is sent with; it is part of what is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats a UTC instant as the API wants it: `YYYY-MM-DDThh:mm:ssZ`, no fractional seconds.
pub fn format_timestamp(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Parses a `YYYY-MM-DDThh:mm:ssZ` timestamp (the sandbox checks the client's clock with it).
pub fn parse_timestamp(s: &str) -> Option<time::OffsetDateTime> {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(s, FORMAT)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// A fresh signature nonce (a random UUID).
pub fn new_nonce() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        let at = time::macros::datetime!(2024-05-01 08:10:00 UTC);
        assert_eq!(format_timestamp(at), "2024-05-01T08:10:00Z");
        assert_eq!(parse_timestamp("2024-05-01T08:10:00Z"), Some(at));
        assert_eq!(parse_timestamp("2024-05-01 08:10:00"), None);
        let plus8 = at.to_offset(time::macros::offset!(+8));
        assert_eq!(format_timestamp(plus8), "2024-05-01T08:10:00Z");
    }
}
