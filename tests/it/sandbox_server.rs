//! The sandbox as a client meets it over TCP (issue 13, item 17): the gateway's codes and
//! envelopes.

use std::time::Duration;

use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::sandbox::{Sandbox, SandboxConfig, SandboxKey};
use onsdesk::signing::{Method, new_nonce, v1};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Sends raw bytes and reads until the server closes (or `within` passes: `None`).
async fn exchange(url_addr: std::net::SocketAddr, raw: &[u8], within: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(url_addr).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut out)).await {
        Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
        Err(_) => None,
    }
}

/// A signed V1 POST with `Connection: close`; `json` false leaves `Format` out (XML reply).
fn signed_post(action: &str, credentials: &Credentials, json: bool) -> Vec<u8> {
    let signed = v1::sign(
        &v1::Request {
            method: Method::Post,
            action,
            params: &[],
        },
        credentials,
        time::OffsetDateTime::now_utc(),
        &new_nonce(),
    );
    let mut params = signed.params;
    if !json {
        params.remove("Format");
        params.remove("Signature");
        let to_sign = v1::string_to_sign(Method::Post, &v1::canonical_query(&params));
        let signature = v1::signature(&to_sign, &credentials.secret);
        params.insert("Signature".to_owned(), signature.as_str().to_owned());
    }
    let body = v1::encode_form(&params);
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn body_of(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

fn sts_sandbox_config() -> SandboxConfig {
    SandboxConfig {
        keys: vec![SandboxKey {
            access_key_id: "STS.TESTsandbox0001".into(),
            secret: SecretString::from("sts-sandbox-secret"),
            security_token: Some(SecretString::from("the-right-token")),
        }],
        ..SandboxConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_sts_token_is_mismatch_with_access_key_and_recommend_names_the_request() {
    let sb = Sandbox::start(sts_sandbox_config()).await.unwrap();
    let credentials = Credentials::new(
        "STS.TESTsandbox0001",
        SecretString::from("sts-sandbox-secret"),
    )
    .with_security_token(SecretString::from("a-wrong-token"));
    let reply = exchange(
        sb.addr(),
        &signed_post("OnsRegionList", &credentials, true),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 400 "), "{reply}");
    let body: Value = serde_json::from_str(body_of(&reply)).unwrap();
    assert_eq!(body["Code"], "InvalidSecurityToken.MismatchWithAccessKey");
    assert_eq!(
        body["Message"],
        "Specified SecurityToken mismatch with the AccessKey."
    );
    let request_id = body["RequestId"].as_str().unwrap();
    assert_eq!(
        body["Recommend"],
        format!(
            "https://api.aliyun.com/troubleshoot?q=InvalidSecurityToken.MismatchWithAccessKey&product=Ons&requestId={request_id}"
        )
    );
    // the right token passes
    let credentials = credentials.with_security_token(SecretString::from("the-right-token"));
    let reply = exchange(
        sb.addr(),
        &signed_post("OnsRegionList", &credentials, true),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_xml_success_has_the_action_response_root_and_an_error_the_error_root() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let demo = onsdesk::sandbox::demo_credentials();
    let reply = exchange(
        sb.addr(),
        &signed_post("OnsRegionList", &demo, false),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    let body = body_of(&reply);
    assert!(
        body.starts_with("<?xml version='1.0' encoding='UTF-8'?><OnsRegionListResponse>"),
        "{body}"
    );
    assert!(body.ends_with("</OnsRegionListResponse>"), "{body}");
    assert!(body.contains("<RequestId>"), "{body}");

    let wrong = Credentials::new(
        onsdesk::sandbox::DEMO_ACCESS_KEY_ID,
        SecretString::from("not-the-secret"),
    );
    let reply = exchange(
        sb.addr(),
        &signed_post("OnsRegionList", &wrong, false),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let body = body_of(&reply);
    assert!(body.contains("><Error><"), "{body}");
    assert!(
        body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{body}"
    );
}
