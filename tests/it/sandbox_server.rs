//! The sandbox as a client meets it over TCP: the gateway's codes
//! and envelopes, and a server no client can lock up — idle and slow connections are cut off,
//! connections are capped, bodies are bounded, two `Content-Length`s are refused, and a clock
//! offset it cannot honour is refused at start.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::sandbox::{Limits, Sandbox, SandboxConfig, SandboxKey};
use onsdesk::signing::{Method, new_nonce, v1};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_onsdesk");

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_content_lengths_and_an_oversized_body_are_refused() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let raw = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nA=1&";
    let reply = exchange(sb.addr(), raw, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(reply.starts_with("HTTP/1.1 400 "), "{reply}");
    assert!(
        body_of(&reply).contains("more than one Content-Length"),
        "{reply}"
    );
    // 100 KB of parameters: far more than any ONS call, refused before it is read
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        100 * 1024
    );
    let reply = exchange(sb.addr(), raw.as_bytes(), Duration::from_secs(10))
        .await
        .unwrap();
    assert!(reply.starts_with("HTTP/1.1 413 "), "{reply}");
    assert_eq!(sb.requests_seen(), 0);
}

fn short_limits(max_connections: usize) -> Limits {
    Limits {
        max_connections,
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_millis(400),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_connections_are_cut_off() {
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), short_limits(8))
        .await
        .unwrap();
    // idle: closed without a word
    let started = Instant::now();
    let reply = exchange(sb.addr(), b"", Duration::from_secs(5)).await;
    assert_eq!(reply.as_deref(), Some(""));
    assert!(started.elapsed() >= Duration::from_millis(300));
    // half a head: 408
    let reply = exchange(
        sb.addr(),
        b"POST / HTTP/1.1\r\nHost: x\r\n",
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 408 "), "{reply}");
    assert!(
        body_of(&reply).contains("request head did not arrive"),
        "{reply}"
    );
    // a body that never comes: 408
    let reply = exchange(
        sb.addr(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nA=1",
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 408 "), "{reply}");
    assert_eq!(sb.requests_seen(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_until_one_ends() {
    let limits = Limits {
        header_timeout: Duration::from_secs(30),
        ..short_limits(2)
    };
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), limits)
        .await
        .unwrap();
    let idle_a = TcpStream::connect(sb.addr()).await.unwrap();
    let idle_b = TcpStream::connect(sb.addr()).await.unwrap();
    let request = signed_post("OnsRegionList", &onsdesk::sandbox::demo_credentials(), true);
    let addr = sb.addr();
    let third =
        tokio::spawn(async move { exchange(addr, &request, Duration::from_secs(10)).await });
    // the third is not served while two are open (it waits in the kernel's queue) …
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!third.is_finished());
    assert_eq!(sb.requests_seen(), 0);
    // … and is as soon as one closes
    drop(idle_a);
    let reply = third.await.unwrap().unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    drop(idle_b);
}

/// The audit's case: 80 idle sockets against a sandbox limited to 64 descriptors locked every
/// client out for good. Now the idle ones are capped and cut off, and a client gets through.
/// Unix only: Windows has no per-process descriptor limit to lower (`ulimit -n`); the cap
/// on connections served at once, tested above, holds there too.
#[cfg(unix)]
#[test]
fn eighty_idle_sockets_under_64_descriptors_do_not_lock_a_client_out() {
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 64 && exec \"$0\" sandbox --port 0", BIN])
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("onsdesk sandbox listening on http://")
        .unwrap_or_else(|| panic!("{line:?}"))
        .trim_end_matches('/')
        .to_owned();
    let idle: Vec<_> = (0..80)
        .map(|_| std::net::TcpStream::connect(&url).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut client = std::net::TcpStream::connect(&url).unwrap();
    // the idle ones ahead of it in the queue are served (and cut off) 32 at a time, 5 s each
    client
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    std::io::Write::write_all(
        &mut client,
        &signed_post("OnsRegionList", &onsdesk::sandbox::demo_credentials(), true),
    )
    .unwrap();
    let mut reply = String::new();
    let read = std::io::Read::read_to_string(&mut client, &mut reply);
    child.kill().ok();
    child.wait().ok();
    drop(idle);
    read.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
}

#[test]
fn a_clock_offset_it_cannot_honour_is_refused_at_start() {
    let mut child = Command::new(BIN)
        .args([
            "sandbox",
            "--port",
            "0",
            "--clock-offset",
            "9223372036854775807",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let status = status.expect("the sandbox started with a clock offset it cannot honour");
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("clock offset"), "{stderr}");
    assert!(stderr.contains("out of range"), "{stderr}");
}
