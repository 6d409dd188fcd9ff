//! Every signature V1 case computed by the official Alibaba Cloud SDKs, byte for byte, at each
//! stage (canonical query, string to sign, signature), and through `sign` end to end.
//! `tests/data/signature-v1.json` is a verbatim copy of `shared/vectors/signature-v1.json`.

use std::collections::BTreeMap;

use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::signing::{Method, parse_timestamp, v1};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    method: String,
    access_key_id: String,
    secret: String,
    params: BTreeMap<String, String>,
    canonicalized_query_string: String,
    string_to_sign: String,
    signature: String,
}

fn load() -> Vec<Case> {
    let text = include_str!("../data/signature-v1.json");
    serde_json::from_str::<Vectors>(text)
        .expect("vector file parses")
        .cases
}

fn method(m: &str) -> Method {
    match m {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => panic!("unexpected method {other}"),
    }
}

#[test]
fn every_vector_at_every_stage() {
    let cases = load();
    assert!(
        cases.len() >= 19,
        "the vector file lost cases: {}",
        cases.len()
    );
    for case in &cases {
        let query = v1::canonical_query(&case.params);
        assert_eq!(
            query.as_str(),
            case.canonicalized_query_string,
            "{}: canonical query",
            case.id
        );
        let to_sign = v1::string_to_sign(method(&case.method), &query);
        assert_eq!(
            to_sign.as_str(),
            case.string_to_sign,
            "{}: string to sign",
            case.id
        );
        let sig = v1::signature(&to_sign, &SecretString::new(case.secret.clone()));
        assert_eq!(sig.as_str(), case.signature, "{}: signature", case.id);
    }
}

/// The same cases through the high-level `sign`, which adds the common parameters itself:
/// proves the client builds exactly what the SDKs sign.
#[test]
fn every_vector_through_sign() {
    let cases = load();
    let mut signed_here = 0;
    for case in &cases {
        let p = &case.params;
        if p.get("Format").map(String::as_str) != Some("JSON") {
            continue;
        }
        signed_here += 1;
        let own: Vec<(&str, &str)> = p
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "Action"
                        | "Version"
                        | "Format"
                        | "AccessKeyId"
                        | "SignatureMethod"
                        | "SignatureVersion"
                        | "SignatureNonce"
                        | "Timestamp"
                        | "SecurityToken"
                )
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut creds = Credentials::new(
            case.access_key_id.clone(),
            SecretString::new(case.secret.clone()),
        );
        if let Some(token) = p.get("SecurityToken") {
            creds = creds.with_security_token(SecretString::new(token.clone()));
        }
        let signed = v1::sign(
            &v1::Request {
                method: method(&case.method),
                action: &p["Action"],
                params: &own,
            },
            &creds,
            parse_timestamp(&p["Timestamp"]).expect("timestamp"),
            &p["SignatureNonce"],
        );
        assert_eq!(
            signed.string_to_sign.as_str(),
            case.string_to_sign,
            "{}",
            case.id
        );
        assert_eq!(signed.params["Signature"], case.signature, "{}", case.id);
    }
    // `sign` always asks for JSON: every case that does must have been signed above.
    assert!(
        signed_here >= 19,
        "only {signed_here} of {} cases were signed",
        cases.len()
    );
}
