//! Robustness: the name validator, the reply parsers (JSON and XML error bodies) and the
//! sandbox's request parser take any input without panicking.
//!
//! Each property runs `ONSDESK_FUZZ_CASES` generated inputs (default 1 000, so `cargo test`
//! stays quick). The recorded 1 000 000-input runs:
//! `ONSDESK_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --test-threads 1`: 4 × 1 000 000
//! inputs, no panic, 136 s on the 2-core CI machine kind (2026-11-28).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is a failure"
)]

use onsdesk::api::response::{Parsed, parse};
use onsdesk::sandbox::gateway::{Gateway, GatewayRequest};
use onsdesk::sandbox::{Faults, SandboxConfig, http};
use onsdesk::validation::{RemarkCheck, validate_instance_name};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("ONSDESK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings that look like API replies: JSON and XML fragments, error fields, junk.
fn reply_body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("\"Code\":".to_owned()),
        Just("\"Message\":\"x\"".to_owned()),
        Just("\"RequestId\":".to_owned()),
        Just("\"Data\":{\"InstanceId\":\"MQ_INST_1\",\"InstanceType\":1}".to_owned()),
        Just(",".to_owned()),
        Just("<Error>".to_owned()),
        Just("</Error>".to_owned()),
        Just("<Code>".to_owned()),
        Just("</Code>".to_owned()),
        Just("<Message><![CDATA[".to_owned()),
        Just("]]></Message>".to_owned()),
        Just("&amp;&lt;&#x".to_owned()),
        "\\PC{0,8}",
        any::<u32>().prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

/// Raw bytes shaped like HTTP request heads.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("POST / HTTP/1.1\r\n".to_owned()),
        Just("GET /?Action=OnsRegionList&Format=JSON HTTP/1.1\r\n".to_owned()),
        Just("Content-Length: ".to_owned()),
        Just("Transfer-Encoding: chunked\r\n".to_owned()),
        Just("Connection: close\r\n".to_owned()),
        Just(
            "Authorization: ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=b\r\n"
                .to_owned()
        ),
        Just("\r\n".to_owned()),
        Just(":".to_owned()),
        any::<u64>().prop_map(|n| n.to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..16).prop_map(|v| v.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..512),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_name_validator_takes_any_string(name in "\\PC{0,80}|.{0,80}") {
        let verdict = validate_instance_name(&name);
        // Whatever it says, it says it consistently with the rule.
        let n = name.chars().count();
        if verdict.is_ok() {
            prop_assert!((3..=64).contains(&n));
        }
        let _ = verdict.map_err(|e| e.to_string());
        let _ = RemarkCheck::of(&name).warning();
    }

    #[test]
    fn the_reply_parser_takes_any_body(status in 100u16..600, body in reply_body()) {
        match parse::<serde_json::Value>(status, &body) {
            Parsed::Ok(_) => prop_assert!((200..300).contains(&status)),
            Parsed::Service(e) => { let _ = e.to_string(); let _ = e.server_string_to_sign(); }
            Parsed::Unreadable { detail, .. } => prop_assert!(!detail.is_empty()),
        }
    }

    #[test]
    fn the_sandbox_request_parser_takes_any_bytes(raw in request_bytes()) {
        if let Ok(Some(head)) = http::parse_head(&raw) {
            prop_assert!(head.len <= raw.len());
            let body_end = (head.len + head.content_length).min(raw.len());
            let request = GatewayRequest::from_http(&head.method, &head.target, head.content_type.as_deref(), &raw[head.len..body_end])
                .with_headers(head.headers);
            let mut gateway = Gateway::new(SandboxConfig::default().keys, Faults::default());
            let reply = gateway.handle(&request, time::OffsetDateTime::now_utc());
            prop_assert!(reply.status >= 400, "an unsigned request must be refused");
        }
    }

    #[test]
    fn the_gateway_takes_any_parameters(params in prop::collection::vec(("[A-Za-z]{1,16}", "\\PC{0,24}"), 0..12), get in any::<bool>()) {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        let request = if get {
            GatewayRequest::from_http("GET", &format!("/?{body}"), None, b"")
        } else {
            GatewayRequest::from_http("POST", "/", Some("application/x-www-form-urlencoded"), body.as_bytes())
        };
        let mut gateway = Gateway::new(SandboxConfig::default().keys, Faults::default());
        let reply = gateway.handle(&request, time::OffsetDateTime::now_utc());
        prop_assert!(reply.status >= 400);
        prop_assert!(gateway.instances().is_empty());
    }
}
