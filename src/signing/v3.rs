//! Signature V3 (`ACS3-HMAC-SHA256`), which Alibaba now recommends; every API that accepts V1
//! accepts it. Parameters travel in the query string; the signature in `Authorization`.
//!
//! ```text
//! canonical request = METHOD \n / \n canonical query \n canonical headers \n signed headers \n hex(sha256(body))
//! string to sign    = ACS3-HMAC-SHA256 \n hex(sha256(canonical request))
//! signature         = hex(HMAC-SHA256(secret, string to sign))
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::{Digest as _, Sha256};

use super::{Method, percent_encode};
use crate::credentials::SecretString;

/// The algorithm name in the string to sign and `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// A request to sign: query parameters and headers (names lowercase) and the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    pub method: Method,
    pub query: &'a BTreeMap<String, String>,
    /// Headers to sign: `host`, `x-acs-*`, `content-type`. Names must be lowercase.
    pub headers: &'a BTreeMap<String, String>,
    pub body: &'a [u8],
}

/// The stages of one V3 signature, each printable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    pub hashed_canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
}

impl Signed {
    /// The `Authorization` header value.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers, self.signature
        )
    }
}

/// `hex(sha256(bytes))`, lowercase.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The canonical query: `enc(k)=enc(v)` sorted by name, joined by `&` (V1's encoding).
pub fn canonical_query(query: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in query.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        let _ = write!(out, "{}={}", percent_encode(k), percent_encode(v));
    }
    out
}

/// Signs `request` with `secret`.
pub fn sign(request: &Request<'_>, secret: &SecretString) -> Signed {
    let mut canonical_headers = String::new();
    for (name, value) in request.headers {
        let _ = writeln!(canonical_headers, "{name}:{}", value.trim());
    }
    let signed_headers = request
        .headers
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n/\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        request.method,
        canonical_query(request.query),
        sha256_hex(request.body)
    );
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = format!("{ALGORITHM}\n{hashed_canonical_request}");
    let signature = match Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) {
        Ok(mut mac) => {
            mac.update(string_to_sign.as_bytes());
            hex(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    Signed {
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signed_headers,
        signature,
    }
}

/// Which signature a request carries.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SignatureVersion {
    /// HMAC-SHA1 over the parameters (the default, as chosen for onsdesk).
    #[default]
    V1,
    /// ACS3-HMAC-SHA256 in the `Authorization` header.
    V3,
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V1 => "v1",
            Self::V3 => "v3",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Alibaba's published V3 example (ECS RunInstances).
    #[test]
    fn alibaba_published_example() {
        let query = map(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let empty_hash = sha256_hex(b"");
        let headers = map(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", &empty_hash),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ]);
        let signed = sign(
            &Request {
                method: Method::Post,
                query: &query,
                headers: &headers,
                body: b"",
            },
            &SecretString::from("YourAccessKeySecret"),
        );
        assert_eq!(
            signed.hashed_canonical_request,
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            signed.authorization("YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }
}
