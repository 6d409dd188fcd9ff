//! Every signature V3 case computed by Alibaba's official Python SDK, in both directions:
//!
//! - signing: byte for byte at every stage (canonical query, canonical headers, signed headers,
//!   hashed payload, canonical request, string to sign, signature, Authorization), from the
//!   stage functions and again through the high-level `v3::sign`;
//! - verifying: the sandbox takes each request exactly as the SDK put it on the wire (the
//!   captured bytes, parsed as the sandbox's server parses them) and accepts it, and refuses it
//!   once one byte of the body, of a signed header or of the query, or the secret, is changed.
//!
//! `tests/data/signature-v3.json` is a verbatim copy of `shared/vectors/signature-v3.json`.

use std::collections::BTreeMap;

use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::sandbox::gateway::{GatewayRequest, V3Error, verify_v3};
use onsdesk::sandbox::{Faults, Gateway, SandboxKey, http};
use onsdesk::signing::{API_VERSION, Method, parse_timestamp, v3};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    method: String,
    host: String,
    /// Decoded query pairs, in wire order.
    query: Vec<(String, String)>,
    /// Every header on the wire, names lowercase, values as sent.
    headers: Vec<(String, String)>,
    unsigned_headers: Vec<String>,
    body: String,
    access_key_id: String,
    secret: String,
    security_token: Option<String>,
    x_acs_date: String,
    x_acs_signature_nonce: String,
    canonical_query_string: String,
    canonical_headers: String,
    signed_headers: String,
    hashed_payload: String,
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
    /// The captured bytes (request line in absolute form: they went through a proxy).
    raw_request: String,
    /// The same request line as sent to the server directly.
    request_line_origin_form: String,
}

impl Case {
    fn method(&self) -> Method {
        match self.method.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            other => panic!("{}: unexpected method {other}", self.id),
        }
    }

    fn secret(&self) -> SecretString {
        SecretString::new(self.secret.clone())
    }

    fn query_map(&self) -> BTreeMap<String, String> {
        self.query.iter().cloned().collect()
    }

    /// The headers the SDK signed, as on the wire.
    fn signed(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .filter(|(k, _)| !self.unsigned_headers.contains(k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find_map(|(k, v)| (k == name).then_some(v.as_str()))
            .unwrap_or_else(|| panic!("{}: no {name} header", self.id))
    }

    /// The captured request as the server receives it when sent directly.
    fn wire(&self) -> Wire {
        let (line, rest) = self.raw_request.split_once("\r\n").unwrap();
        assert!(line.starts_with(&format!("{} http://{}/", self.method, self.host)));
        let (head, body) = rest.split_once("\r\n\r\n").unwrap();
        assert_eq!(body, self.body, "{}: body in the capture", self.id);
        let target = self
            .request_line_origin_form
            .split(' ')
            .nth(1)
            .unwrap()
            .to_owned();
        Wire {
            method: self.method.clone(),
            target,
            headers: head
                .split("\r\n")
                .map(|l| {
                    let (k, v) = l.split_once(": ").unwrap();
                    (k.to_owned(), v.to_owned())
                })
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn key(&self) -> SandboxKey {
        SandboxKey {
            access_key_id: self.access_key_id.clone(),
            secret: self.secret(),
            security_token: self.security_token.clone().map(SecretString::new),
        }
    }

    fn at(&self) -> time::OffsetDateTime {
        parse_timestamp(&self.x_acs_date).unwrap()
    }
}

/// A request as bytes on the wire, taken apart so that one byte can be changed.
#[derive(Clone)]
struct Wire {
    method: String,
    /// The origin-form request target (`/?…`).
    target: String,
    /// Header lines in wire order, names as sent.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    /// The bytes, with `Content-Length` following the body when the request had one.
    fn bytes(&self) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.1\r\n", self.method, self.target).into_bytes();
        for (k, v) in &self.headers {
            let v = if k.eq_ignore_ascii_case("content-length") {
                self.body.len().to_string()
            } else {
                v.clone()
            };
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        if !self.body.is_empty()
            && !self
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// Parsed the way the sandbox's server parses a connection's bytes.
    fn request(&self) -> GatewayRequest {
        request_from_bytes(&self.bytes())
    }

    fn header_mut(&mut self, name: &str) -> &mut String {
        &mut self
            .headers
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .unwrap()
            .1
    }
}

fn request_from_bytes(raw: &[u8]) -> GatewayRequest {
    let head = http::parse_head(raw).unwrap().unwrap();
    let body = &raw[head.len..head.len + head.content_length];
    assert_eq!(
        head.len + head.content_length,
        raw.len(),
        "the whole request"
    );
    GatewayRequest::from_http(
        &head.method,
        &head.target,
        head.content_type.as_deref(),
        body,
    )
    .with_headers(head.headers)
}

/// `Z` in place of the byte, or `Y` if it already is `Z`: an unreserved character, so the
/// change survives percent-decoding.
fn other_byte(b: u8) -> u8 {
    if b == b'Z' { b'Y' } else { b'Z' }
}

fn load() -> Vec<Case> {
    let text = include_str!("../data/signature-v3.json");
    let cases = serde_json::from_str::<Vectors>(text)
        .expect("vector file parses")
        .cases;
    assert!(
        cases.len() >= 12,
        "the vector file lost cases: {}",
        cases.len()
    );
    cases
}

#[test]
fn every_v3_case_at_every_stage() {
    for case in load() {
        let id = &case.id;
        let query = v3::canonical_query(&case.query_map());
        assert_eq!(
            query.as_str(),
            case.canonical_query_string,
            "{id}: canonical query"
        );
        let (headers, signed_headers) = v3::canonical_headers(case.signed());
        assert_eq!(
            headers.as_str(),
            case.canonical_headers,
            "{id}: canonical headers"
        );
        assert_eq!(
            signed_headers.as_str(),
            case.signed_headers,
            "{id}: signed headers"
        );
        let payload = v3::hashed_payload(case.body.as_bytes());
        assert_eq!(
            payload.as_str(),
            case.hashed_payload,
            "{id}: hashed payload"
        );
        let request =
            v3::canonical_request(case.method(), &query, &headers, &signed_headers, &payload);
        assert_eq!(
            request.as_str(),
            case.canonical_request,
            "{id}: canonical request"
        );
        let to_sign = v3::string_to_sign(&request);
        assert_eq!(
            to_sign.as_str(),
            case.string_to_sign,
            "{id}: string to sign"
        );
        let signature = v3::signature(&to_sign, &case.secret());
        assert_eq!(signature.as_str(), case.signature, "{id}: signature");
        let authorization = v3::authorization(&case.access_key_id, &signed_headers, &signature);
        assert_eq!(
            authorization.as_str(),
            case.authorization,
            "{id}: Authorization"
        );
        assert_eq!(
            case.header("authorization"),
            case.authorization,
            "{id}: on the wire"
        );
    }
}

/// The headers `v3::sign` adds itself; every other signed header is passed in.
const ADDED_BY_SIGN: [&str; 7] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-security-token",
];

/// The same cases through the high-level `sign`, which adds the V3 headers itself from the
/// host, action, credentials, time and nonce: proves the client builds what the SDK signs.
#[test]
fn every_v3_case_through_sign() {
    for case in load() {
        let id = &case.id;
        assert_eq!(case.header("x-acs-version"), API_VERSION, "{id}");
        let extra: Vec<(&str, &str)> = case
            .signed()
            .into_iter()
            .filter(|(k, _)| !ADDED_BY_SIGN.contains(k))
            .collect();
        let query: Vec<(&str, &str)> = case
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut creds = Credentials::new(case.access_key_id.clone(), case.secret());
        if let Some(token) = &case.security_token {
            creds = creds.with_security_token(SecretString::new(token.clone()));
        }
        let signed = v3::sign(
            &v3::Request {
                method: case.method(),
                host: &case.host,
                action: case.header("x-acs-action"),
                query: &query,
                headers: &extra,
                body: case.body.as_bytes(),
            },
            &creds,
            case.at(),
            &case.x_acs_signature_nonce,
        );
        let s = &signed.stages;
        assert_eq!(
            s.canonical_query.as_str(),
            case.canonical_query_string,
            "{id}"
        );
        assert_eq!(s.canonical_headers.as_str(), case.canonical_headers, "{id}");
        assert_eq!(s.signed_headers.as_str(), case.signed_headers, "{id}");
        assert_eq!(s.hashed_payload.as_str(), case.hashed_payload, "{id}");
        assert_eq!(s.canonical_request.as_str(), case.canonical_request, "{id}");
        assert_eq!(s.string_to_sign.as_str(), case.string_to_sign, "{id}");
        assert_eq!(s.signature.as_str(), case.signature, "{id}");
        assert_eq!(signed.authorization.as_str(), case.authorization, "{id}");
        // What is sent: the SDK's signed headers (values as it sent them) and Authorization.
        let mut sent = signed.headers.clone();
        sent.sort();
        let mut expected: Vec<(String, String)> = case
            .signed()
            .into_iter()
            .chain([("authorization", case.authorization.as_str())])
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        expected.sort();
        assert_eq!(sent, expected, "{id}: headers to send");
    }
}

/// The vector's own capture, untouched, through the sandbox's verifier alone.
#[test]
fn the_sandbox_verifier_accepts_every_v3_case_as_sent() {
    for case in load() {
        let origin_form = case.raw_request.replacen(
            case.raw_request.split("\r\n").next().unwrap(),
            &case.request_line_origin_form,
            1,
        );
        let req = request_from_bytes(origin_form.as_bytes());
        assert_eq!(
            req.query, case.query,
            "{}: the query as the sandbox decodes it",
            case.id
        );
        assert_eq!(verify_v3(&req, &case.secret()), Ok(()), "{}", case.id);
        // Taking the capture apart and putting it back together changes nothing.
        assert_eq!(case.wire().bytes(), origin_form.as_bytes(), "{}", case.id);
    }
}

fn assert_mismatch(result: &Result<(), V3Error>, what: &str) {
    assert!(
        matches!(result, Err(V3Error::Mismatch(_))),
        "{what}: {result:?}"
    );
}

#[test]
fn the_sandbox_verifier_refuses_one_changed_byte() {
    for case in load() {
        let id = &case.id;
        let secret = case.secret();
        let wire = case.wire();
        assert_eq!(verify_v3(&wire.request(), &secret), Ok(()), "{id}");

        // One byte of the body (an empty body gains one).
        let mut w = wire.clone();
        if w.body.is_empty() {
            w.body.push(b'Z');
        } else {
            let mid = w.body.len() / 2;
            w.body[mid] = other_byte(w.body[mid]);
        }
        assert_mismatch(&verify_v3(&w.request(), &secret), &format!("{id}: body"));

        // The first byte of each signed header's value, one header at a time.
        for (name, _) in case.signed() {
            let mut w = wire.clone();
            let value = w.header_mut(name);
            let first = value.as_bytes()[0];
            value.replace_range(..1, &char::from(other_byte(first)).to_string());
            assert_mismatch(
                &verify_v3(&w.request(), &secret),
                &format!("{id}: header {name}"),
            );
        }

        // One byte of the query: the first byte of the first value (a query is added where
        // there was none).
        let mut w = wire.clone();
        match w.target.find('=') {
            Some(eq) if eq + 1 < w.target.len() => {
                let b = w.target.as_bytes()[eq + 1];
                w.target
                    .replace_range(eq + 1..eq + 2, &char::from(other_byte(b)).to_string());
            }
            Some(_) => w.target.push('Z'),
            None => w.target.push_str("?Z=Z"),
        }
        assert_mismatch(&verify_v3(&w.request(), &secret), &format!("{id}: query"));

        // One byte of the secret.
        let mut other = case.secret.clone().into_bytes();
        other[0] = other_byte(other[0]);
        let wrong = SecretString::new(String::from_utf8(other).unwrap());
        assert_mismatch(
            &verify_v3(&wire.request(), &wrong),
            &format!("{id}: secret"),
        );

        // An unsigned x-acs-* header, and a signed one gone.
        let mut w = wire.clone();
        w.headers.push(("x-acs-extra".into(), "1".into()));
        assert_eq!(
            verify_v3(&w.request(), &secret),
            Err(V3Error::UnsignedHeader("x-acs-extra".into())),
            "{id}"
        );
        let mut w = wire.clone();
        w.headers.retain(|(k, _)| k != "accept");
        assert_eq!(
            verify_v3(&w.request(), &secret),
            Err(V3Error::MissingSignedHeader("accept".into())),
            "{id}"
        );
    }
}

fn code(reply: &onsdesk::sandbox::gateway::Reply) -> &str {
    reply.body["Code"].as_str().unwrap_or("")
}

/// The whole gateway (headers, date window, key, token, signature, nonce, then the action) on
/// each capture at the case's own time.
#[test]
fn the_sandbox_gateway_accepts_every_v3_case_and_refuses_tampering() {
    for case in load() {
        let id = &case.id;
        let wire = case.wire();
        let gateway = || Gateway::new(vec![case.key()], Faults::default());

        let reply = gateway().handle(&wire.request(), case.at());
        assert_eq!(reply.status, 200, "{id}: {:?}", reply.body);
        assert!(!reply.xml, "{id}: a V3 caller gets JSON");

        // The body changed and its hash with it: only the signature can tell.
        let mut w = wire.clone();
        w.body
            .extend_from_slice(if w.body.is_empty() { b"Z=Z" } else { b"&Z=Z" });
        *w.header_mut("x-acs-content-sha256") = v3::hashed_payload(&w.body).as_str().to_owned();
        let reply = gateway().handle(&w.request(), case.at());
        assert_eq!(code(&reply), "SignatureDoesNotMatch", "{id}: body");
        assert!(
            reply.body["Message"]
                .as_str()
                .unwrap()
                .contains("server string to sign is:"),
            "{id}"
        );

        // The body changed, its announced hash not.
        let mut w = wire.clone();
        w.body.push(b'Z');
        let reply = gateway().handle(&w.request(), case.at());
        assert_ne!(reply.status, 200, "{id}: body hash");
        assert!(!code(&reply).is_empty(), "{id}: body hash");

        let mut w = wire.clone();
        w.header_mut("user-agent").push('Z');
        let reply = gateway().handle(&w.request(), case.at());
        assert_eq!(code(&reply), "SignatureDoesNotMatch", "{id}: header");

        let mut w = wire.clone();
        w.target.push_str(if w.target.contains('?') {
            "&Z=Z"
        } else {
            "?Z=Z"
        });
        let reply = gateway().handle(&w.request(), case.at());
        assert_eq!(code(&reply), "SignatureDoesNotMatch", "{id}: query");

        let mut key = case.key();
        key.secret = SecretString::new(format!("{}Z", case.secret));
        let reply = Gateway::new(vec![key], Faults::default()).handle(&wire.request(), case.at());
        assert_eq!(code(&reply), "SignatureDoesNotMatch", "{id}: secret");

        // The same capture twice: the nonce is remembered.
        let mut g = gateway();
        assert_eq!(g.handle(&wire.request(), case.at()).status, 200, "{id}");
        assert_eq!(
            code(&g.handle(&wire.request(), case.at())),
            "SignatureNonceUsed",
            "{id}"
        );
    }
}
