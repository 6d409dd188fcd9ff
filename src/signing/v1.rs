//! Signature V1: HMAC-SHA1 over the sorted, percent-encoded parameters.
//!
//! ```text
//! canonical query  = enc(k)=enc(v) sorted by k, joined by &
//! string to sign   = METHOD & %2F & enc(canonical query)
//! signature        = base64(HMAC-SHA1(secret + "&", string to sign))
//! ```

use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha1::Sha1;

use super::{API_VERSION, Method, encode_pairs, format_timestamp};
use crate::credentials::{Credentials, SecretString};

/// The signature method parameter value.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The signature version parameter value.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The signed parameters, sorted by name (byte order, as the service sorts them).
pub type Params = BTreeMap<String, String>;

/// Stage 1: `enc(name)=enc(value)` pairs sorted by name, joined by `&`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalQuery(String);

/// Stage 2: `METHOD&%2F&enc(canonical query)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringToSign(String);

/// Stage 3: base64 of the HMAC-SHA1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(String);

string_stage!(CanonicalQuery, StringToSign, Signature);

/// Builds the canonicalized query from parameters already sorted by name.
pub fn canonical_query(params: &Params) -> CanonicalQuery {
    CanonicalQuery(encode_pairs(params))
}

/// Builds the string to sign for `method`.
pub fn string_to_sign(method: Method, query: &CanonicalQuery) -> StringToSign {
    // The canonical query is already percent-encoded: it holds only unreserved characters,
    // `%XX` escapes, `=` and `&`. Encoding it again therefore only touches those three bytes,
    // which this loop does without the general encoder's per-byte table walk.
    let mut out = String::with_capacity(query.0.len() + query.0.len() / 4 + 12);
    out.push_str(method.as_str());
    out.push_str("&%2F&");
    for ch in query.0.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '=' => out.push_str("%3D"),
            '&' => out.push_str("%26"),
            other => out.push(other),
        }
    }
    StringToSign(out)
}

/// Signs a string to sign with `secret` (the HMAC key is `secret + "&"`).
pub fn signature(to_sign: &StringToSign, secret: &SecretString) -> Signature {
    let mut key = zeroize::Zeroizing::new(Vec::with_capacity(secret.expose().len() + 1));
    key.extend_from_slice(secret.expose().as_bytes());
    key.push(b'&');
    // HMAC accepts keys of any length, so this never fails; keep the match total anyway.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&key) else {
        return Signature(String::new());
    };
    mac.update(to_sign.0.as_bytes());
    Signature(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// What one API call signs: the action and its own parameters; the common parameters are added.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub method: Method,
    pub action: &'a str,
    /// The action's own parameters (`InstanceName`, `Remark`, `RegionId`, …).
    pub params: &'a [(&'a str, &'a str)],
}

/// A signed request: every parameter to send (including `Signature`) and the string that was
/// signed (kept for the signature doctor; it holds no secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub params: Params,
    pub string_to_sign: StringToSign,
}

/// Adds the common parameters to `request` and signs it.
pub fn sign(
    request: &Request<'_>,
    credentials: &Credentials,
    timestamp: time::OffsetDateTime,
    nonce: &str,
) -> Signed {
    let mut params: Params = request
        .params
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let common = [
        ("Action", request.action),
        ("Version", API_VERSION),
        ("Format", "JSON"),
        ("AccessKeyId", credentials.access_key_id.as_str()),
        ("SignatureMethod", SIGNATURE_METHOD),
        ("SignatureVersion", SIGNATURE_VERSION),
        ("SignatureNonce", nonce),
    ];
    for (k, v) in common {
        params.insert(k.to_owned(), v.to_owned());
    }
    params.insert("Timestamp".to_owned(), format_timestamp(timestamp));
    if let Some(token) = &credentials.security_token {
        params.insert("SecurityToken".to_owned(), token.expose().to_owned());
    }
    let string_to_sign = string_to_sign(request.method, &canonical_query(&params));
    let sig = signature(&string_to_sign, &credentials.secret);
    params.insert("Signature".to_owned(), sig.0);
    Signed {
        params,
        string_to_sign,
    }
}

/// Encodes parameters as an `application/x-www-form-urlencoded` body (or a query string) with
/// the same encoding as the signature, so `%20` is used for spaces.
pub fn encode_form(params: &Params) -> String {
    canonical_query(params).0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Alibaba's own published example (DescribeRegions, GET, secret `testsecret`).
    #[test]
    fn alibaba_published_example() {
        let params: Params = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let sts = string_to_sign(Method::Get, &canonical_query(&params));
        let sig = signature(&sts, &SecretString::from("testsecret"));
        assert_eq!(sig.as_str(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn sign_adds_common_params_and_token() {
        let creds = Credentials::new("testid", SecretString::from("testsecret"))
            .with_security_token(SecretString::from("tok"));
        let at = time::macros::datetime!(2024-05-01 08:10:00 UTC);
        let signed = sign(
            &Request {
                method: Method::Post,
                action: "OnsInstanceCreate",
                params: &[("InstanceName", "abc")],
            },
            &creds,
            at,
            "n-1",
        );
        assert_eq!(signed.params["SecurityToken"], "tok");
        assert_eq!(signed.params["Timestamp"], "2024-05-01T08:10:00Z");
        assert_eq!(signed.params["Version"], API_VERSION);
        assert!(
            signed
                .string_to_sign
                .as_str()
                .starts_with("POST&%2F&AccessKeyId%3Dtestid")
        );
        assert!(!signed.string_to_sign.as_str().contains("testsecret"));
    }
}
