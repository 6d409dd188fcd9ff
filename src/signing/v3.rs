//! Signature V3 (`ACS3-HMAC-SHA256`), which Alibaba now recommends; every API that accepts V1
//! accepts it. The action and version travel in `x-acs-*` headers, parameters in the query string
//! (or a form body), the signature in `Authorization`.
//!
//! ```text
//! canonical query   = enc(k)=enc(v) sorted by k, joined by &     (space %20, never +)
//! canonical headers = name:trimmed value\n for every signed header, names lowercase and sorted
//! signed headers    = the same names joined by ;
//! hashed payload    = hex(sha256(body))                           (also sent as x-acs-content-sha256)
//! canonical request = METHOD \n / \n canonical query \n canonical headers \n signed headers \n hashed payload
//! string to sign    = ACS3-HMAC-SHA256 \n hex(sha256(canonical request))
//! signature         = hex(HMAC-SHA256(secret, string to sign))
//! Authorization     = ACS3-HMAC-SHA256 Credential=<key id>,SignedHeaders=<signed headers>,Signature=<signature>
//! ```
//!
//! Each stage is its own type with `Display` (the exact text) and a `Debug` that hides the STS
//! token, which V3 signs as the `x-acs-security-token` header.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::{Digest as _, Sha256};

use super::{API_VERSION, Method, encode_pairs, format_timestamp};
use crate::credentials::{Credentials, SecretString};

/// The algorithm name in the string to sign and `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The header that carries an STS token; its value is hidden from every `Debug`.
pub const SECURITY_TOKEN_HEADER: &str = "x-acs-security-token";

/// Stage 1: `enc(name)=enc(value)` sorted by name, joined by `&` (V1's encoding).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalQuery(String);

/// Stage 2: one `name:value\n` line per signed header, names lowercase and sorted, values
/// trimmed; values of a repeated name sorted and joined by `,`. Ends with `\n`.
#[derive(Clone, PartialEq, Eq)]
pub struct CanonicalHeaders(String);

/// Stage 3: the signed header names, lowercase and sorted, joined by `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders(String);

/// Stage 4: lowercase hex SHA-256 of the body (of nothing when there is no body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashedPayload(String);

/// Stage 5: the lines above, with the method and the path `/`.
#[derive(Clone, PartialEq, Eq)]
pub struct CanonicalRequest(String);

/// Stage 6: `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringToSign(String);

/// Stage 7: lowercase hex HMAC-SHA256 of the string to sign, keyed by the secret as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(String);

/// Stage 8: the `Authorization` header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization(String);

string_stage!(
    CanonicalQuery,
    CanonicalHeaders,
    SignedHeaders,
    HashedPayload,
    CanonicalRequest,
    StringToSign,
    Signature,
    Authorization
);

/// `text` with the value of an `x-acs-security-token:` line replaced by `<redacted>`.
fn redact_token_line(text: &str) -> String {
    let prefix = format!("{SECURITY_TOKEN_HEADER}:");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with(&prefix) {
            out.push_str(&prefix);
            out.push_str("<redacted>");
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

impl CanonicalHeaders {
    /// The stage with the STS token's value replaced, for logs.
    pub fn redacted(&self) -> String {
        redact_token_line(&self.0)
    }
}

impl CanonicalRequest {
    /// The stage with the STS token's value replaced, for logs.
    pub fn redacted(&self) -> String {
        redact_token_line(&self.0)
    }
}

impl fmt::Debug for CanonicalHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CanonicalHeaders")
            .field(&self.redacted())
            .finish()
    }
}

impl fmt::Debug for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CanonicalRequest")
            .field(&self.redacted())
            .finish()
    }
}

impl HashedPayload {
    /// The hash as `x-acs-content-sha256` carries it.
    pub fn hex(&self) -> &str {
        &self.0
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Builds the canonical query from the parameters (sorted by name, as the map holds them).
pub fn canonical_query(params: &BTreeMap<String, String>) -> CanonicalQuery {
    CanonicalQuery(encode_pairs(params))
}

/// Builds the canonical headers and the signed header list from every header to sign. Names
/// may be in any case; values are trimmed.
pub fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (CanonicalHeaders, SignedHeaders) {
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, value) in headers {
        by_name
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.trim());
    }
    let mut lines = String::new();
    let mut names = String::new();
    for (name, mut values) in by_name {
        values.sort_unstable();
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(&name);
        lines.push_str(&name);
        lines.push(':');
        lines.push_str(&values.join(","));
        lines.push('\n');
    }
    (CanonicalHeaders(lines), SignedHeaders(names))
}

/// Hashes the body exactly as sent.
pub fn hashed_payload(body: &[u8]) -> HashedPayload {
    HashedPayload(hex(&Sha256::digest(body)))
}

/// Joins the stages into the canonical request for `method` (the path is always `/`).
pub fn canonical_request(
    method: Method,
    query: &CanonicalQuery,
    headers: &CanonicalHeaders,
    signed_headers: &SignedHeaders,
    payload: &HashedPayload,
) -> CanonicalRequest {
    CanonicalRequest(format!(
        "{method}\n/\n{query}\n{headers}\n{signed_headers}\n{payload}"
    ))
}

/// Builds the string to sign.
pub fn string_to_sign(request: &CanonicalRequest) -> StringToSign {
    StringToSign(format!(
        "{ALGORITHM}\n{}",
        hex(&Sha256::digest(request.0.as_bytes()))
    ))
}

/// Signs a string to sign with `secret` (the key is the secret's bytes; nothing is appended).
pub fn signature(to_sign: &StringToSign, secret: &SecretString) -> Signature {
    // HMAC accepts keys of any length, so this never fails; keep the match total anyway.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return Signature(String::new());
    };
    mac.update(to_sign.0.as_bytes());
    Signature(hex(&mac.finalize().into_bytes()))
}

/// Builds the `Authorization` header value.
pub fn authorization(
    access_key_id: &str,
    signed_headers: &SignedHeaders,
    signature: &Signature,
) -> Authorization {
    Authorization(format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    ))
}

/// Every stage of one signature, in order: what the signer sends and what the verifier compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stages {
    pub canonical_query: CanonicalQuery,
    pub canonical_headers: CanonicalHeaders,
    pub signed_headers: SignedHeaders,
    pub hashed_payload: HashedPayload,
    pub canonical_request: CanonicalRequest,
    pub string_to_sign: StringToSign,
    pub signature: Signature,
}

impl Stages {
    /// Runs every stage over a request's parts: its query parameters, the headers it signs, and
    /// its body's hash.
    pub fn compute<'a>(
        method: Method,
        query: &BTreeMap<String, String>,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        hashed_payload: HashedPayload,
        secret: &SecretString,
    ) -> Self {
        let canonical_query = canonical_query(query);
        let (canonical_headers, signed_headers) = canonical_headers(headers);
        let canonical_request = canonical_request(
            method,
            &canonical_query,
            &canonical_headers,
            &signed_headers,
            &hashed_payload,
        );
        let string_to_sign = string_to_sign(&canonical_request);
        let signature = signature(&string_to_sign, secret);
        Self {
            canonical_query,
            canonical_headers,
            signed_headers,
            hashed_payload,
            canonical_request,
            string_to_sign,
            signature,
        }
    }
}

/// What one API call signs. The signer adds `host`, `x-acs-action`, `x-acs-version`,
/// `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` and, with STS credentials,
/// `x-acs-security-token`.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub method: Method,
    /// The endpoint's host, signed as `host`.
    pub host: &'a str,
    pub action: &'a str,
    /// Parameters for the query string.
    pub query: &'a [(&'a str, &'a str)],
    /// Further headers to sign and send (`accept`, `content-type`, …); any case. One named like
    /// a header the signer adds is replaced by the signer's.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body exactly as it will be sent (a form body, or empty).
    pub body: &'a [u8],
}

/// A signed request: the headers to send and every stage (which hold no secret, but the
/// canonical headers and request hold an STS token: log their `redacted()` form).
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    /// Every header to send, names lowercase: the signed ones, then `authorization`.
    pub headers: Vec<(String, String)>,
    pub stages: Stages,
    pub authorization: Authorization,
}

impl fmt::Debug for Signed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k == SECURITY_TOKEN_HEADER {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Signed")
            .field("headers", &headers)
            .field("stages", &self.stages)
            .field("authorization", &self.authorization)
            .finish()
    }
}

/// Adds the headers V3 needs to `request` and signs it.
pub fn sign(
    request: &Request<'_>,
    credentials: &Credentials,
    timestamp: time::OffsetDateTime,
    nonce: &str,
) -> Signed {
    let payload = hashed_payload(request.body);
    let mut own = vec![
        ("host", request.host.to_owned()),
        ("x-acs-action", request.action.to_owned()),
        ("x-acs-version", API_VERSION.to_owned()),
        ("x-acs-date", format_timestamp(timestamp)),
        ("x-acs-signature-nonce", nonce.to_owned()),
        ("x-acs-content-sha256", payload.0.clone()),
    ];
    if let Some(token) = &credentials.security_token {
        own.push((SECURITY_TOKEN_HEADER, token.expose().to_owned()));
    }
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|&(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        .filter(|(k, _)| !own.iter().any(|(name, _)| name == k))
        .collect();
    headers.extend(own.into_iter().map(|(k, v)| (k.to_owned(), v)));
    headers.sort();
    let query: BTreeMap<String, String> = request
        .query
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let stages = Stages::compute(
        request.method,
        &query,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        payload,
        &credentials.secret,
    );
    let authorization = authorization(
        &credentials.access_key_id,
        &stages.signed_headers,
        &stages.signature,
    );
    headers.push(("authorization".to_owned(), authorization.0.clone()));
    Signed {
        headers,
        stages,
        authorization,
    }
}

/// The three fields of an `Authorization: ACS3-HMAC-SHA256 …` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationFields<'a> {
    /// The AccessKey ID.
    pub credential: &'a str,
    /// The signed header names, as listed (`;`-separated).
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

impl<'a> AuthorizationFields<'a> {
    /// Parses a header value; `None` unless it names [`ALGORITHM`] and has all three fields.
    pub fn parse(value: &'a str) -> Option<Self> {
        let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for field in rest.split(',') {
            let (name, value) = field.trim().split_once('=')?;
            let slot = match name {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => return None,
            };
            if slot.replace(value).is_some() {
                return None;
            }
        }
        Some(Self {
            credential: credential?,
            signed_headers: signed_headers?,
            signature: signature?,
        })
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

    /// Alibaba's published V3 example (ECS RunInstances), stage by stage.
    #[test]
    fn alibaba_published_example() {
        let query = map(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let payload = hashed_payload(b"");
        let payload_hex = payload.hex().to_owned();
        let headers = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", payload_hex.as_str()),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ];
        let stages = Stages::compute(
            Method::Post,
            &query,
            headers,
            payload,
            &SecretString::from("YourAccessKeySecret"),
        );
        assert_eq!(
            stages.string_to_sign.as_str(),
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            stages.signature.as_str(),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            authorization("YourAccessKeyId", &stages.signed_headers, &stages.signature).as_str(),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn headers_are_lowercased_trimmed_sorted_and_repeats_joined() {
        let (lines, names) =
            canonical_headers([("X-B", " 2 "), ("host", "h"), ("x-b", "1"), ("Accept", "a")]);
        assert_eq!(lines.as_str(), "accept:a\nhost:h\nx-b:1,2\n");
        assert_eq!(names.as_str(), "accept;host;x-b");
    }

    #[test]
    fn sign_adds_its_headers_and_keeps_the_token_out_of_debug() {
        let creds = Credentials::new("testid", SecretString::from("testsecret"))
            .with_security_token(SecretString::from("tok-123"));
        let signed = sign(
            &Request {
                method: Method::Post,
                host: "ons.cn-hangzhou.aliyuncs.com",
                action: "OnsInstanceCreate",
                query: &[("InstanceName", "a b")],
                headers: &[("Accept", "application/json"), ("HOST", "ignored")],
                body: b"",
            },
            &creds,
            time::macros::datetime!(2024-05-01 08:10:00 UTC),
            "n-1",
        );
        assert_eq!(
            signed.stages.signed_headers.as_str(),
            "accept;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
        );
        assert_eq!(signed.stages.canonical_query.as_str(), "InstanceName=a%20b");
        assert!(
            signed
                .headers
                .contains(&("host".to_owned(), "ons.cn-hangzhou.aliyuncs.com".to_owned()))
        );
        assert_eq!(
            signed.headers.last(),
            Some(&("authorization".to_owned(), signed.authorization.to_string()))
        );
        assert!(signed.stages.canonical_request.as_str().contains("tok-123"));
        let debug = format!("{signed:?}");
        assert!(!debug.contains("tok-123"), "{debug}");
        assert!(!debug.contains("testsecret"), "{debug}");
        assert!(
            debug.contains("x-acs-security-token:<redacted>\\n"),
            "{debug}"
        );
    }

    #[test]
    fn authorization_fields_parse_strictly() {
        let f = AuthorizationFields::parse(
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=ab",
        );
        assert_eq!(
            f,
            Some(AuthorizationFields {
                credential: "id",
                signed_headers: "host;x-acs-date",
                signature: "ab",
            })
        );
        for bad in [
            "ACS3-HMAC-SHA256Credential=id,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA1 Credential=id,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
            "ACS3-HMAC-SHA256 Credential=id,Credential=id,SignedHeaders=host,Signature=ab",
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=ab,Extra=1",
        ] {
            assert_eq!(AuthorizationFields::parse(bad), None, "{bad}");
        }
    }
}
