//! The sandbox as a client meets it over TCP: the gateway's codes and envelopes, the topic and
//! group actions, and a server no client can lock up — idle connections hold no slot and are
//! cut off, slow ones too, connections are capped, bodies are bounded, two `Content-Length`s
//! are refused, and a clock offset it cannot honour is refused at start. Then `onsdesk
//! sandbox` as a process: its keys (never on the command line), seeds and switches.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::sandbox::{Faults, Limits, Sandbox, SandboxConfig, SandboxKey, SeedInstance};
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

/// The reply format a request asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    /// `Format` left out: the API's default, XML.
    Xml,
}

/// A signed V1 POST with `Connection: close`, asking for `format`.
fn signed_post(action: &str, credentials: &Credentials, format: Format) -> Vec<u8> {
    signed_call(action, &[], credentials, format)
}

/// [`signed_post`] with the action's parameters.
fn signed_call(
    action: &str,
    params: &[(&str, &str)],
    credentials: &Credentials,
    format: Format,
) -> Vec<u8> {
    let signed = v1::sign(
        &v1::Request {
            method: Method::Post,
            action,
            params,
        },
        credentials,
        time::OffsetDateTime::now_utc(),
        &new_nonce(),
    );
    let mut params = signed.params;
    if format == Format::Xml {
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

/// Reads one whole reply (head and `Content-Length` body) from a kept-alive connection.
async fn read_one_reply(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    loop {
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .unwrap()
                .parse()
                .unwrap();
            if body.len() >= length {
                return text;
            }
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed mid-reply: {text}");
        got.extend_from_slice(&chunk[..n]);
    }
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
        &signed_post("OnsRegionList", &credentials, Format::Json),
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
        &signed_post("OnsRegionList", &credentials, Format::Json),
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
        &signed_post("OnsRegionList", &demo, Format::Xml),
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
        &signed_post("OnsRegionList", &wrong, Format::Xml),
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
        max_waiting: 8,
        first_byte_timeout: Duration::from_millis(400),
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
        first_byte_timeout: Duration::from_secs(30),
        ..short_limits(2)
    };
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), limits)
        .await
        .unwrap();
    // two clients that started a request and stalled: each holds a slot
    let mut slow_a = TcpStream::connect(sb.addr()).await.unwrap();
    let mut slow_b = TcpStream::connect(sb.addr()).await.unwrap();
    for slow in [&mut slow_a, &mut slow_b] {
        slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let request = signed_post(
        "OnsRegionList",
        &onsdesk::sandbox::demo_credentials(),
        Format::Json,
    );
    let addr = sb.addr();
    let third =
        tokio::spawn(async move { exchange(addr, &request, Duration::from_secs(10)).await });
    // the third is not served while both are taken …
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!third.is_finished());
    assert_eq!(sb.requests_seen(), 0);
    // … and is as soon as one ends
    drop(slow_a);
    let reply = third.await.unwrap().unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    drop(slow_b);
}

/// A process holding idle connections (a pool opened ahead, a port scanner) used to take every
/// slot for the head's 30 s here: connections that have sent nothing now hold none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_do_not_hold_the_slots_other_clients_need() {
    let limits = Limits {
        max_connections: 2,
        header_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), limits)
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..6 {
        idle.push(TcpStream::connect(sb.addr()).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let reply = exchange(
        sb.addr(),
        &signed_post(
            "OnsRegionList",
            &onsdesk::sandbox::demo_credentials(),
            Format::Json,
        ),
        Duration::from_secs(10),
    )
    .await
    .expect("served while idle connections are open");
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_nothing_is_closed_after_the_first_byte_timeout() {
    let limits = Limits {
        first_byte_timeout: Duration::from_millis(300),
        header_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), limits)
        .await
        .unwrap();
    let started = Instant::now();
    let reply = exchange(sb.addr(), b"", Duration::from_secs(10)).await;
    assert_eq!(reply.as_deref(), Some(""), "closed without a word");
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "not the head's 30 s"
    );
}

/// More idle connections than the lobby holds, none ever timing out: each new connection
/// closes the one idle the longest, so a client gets in at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_lobby_closes_the_connection_idle_the_longest() {
    let limits = Limits {
        max_connections: 2,
        max_waiting: 4,
        first_byte_timeout: Duration::from_mins(1),
        header_timeout: Duration::from_mins(1),
        body_timeout: Duration::from_secs(10),
    };
    let sb = Sandbox::start_with_limits(SandboxConfig::default(), limits)
        .await
        .unwrap();
    let mut idle = Vec::new();
    for _ in 0..10 {
        idle.push(TcpStream::connect(sb.addr()).await.unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reply = exchange(
        sb.addr(),
        &signed_post(
            "OnsRegionList",
            &onsdesk::sandbox::demo_credentials(),
            Format::Json,
        ),
        Duration::from_secs(10),
    )
    .await
    .expect("served although the lobby was full of idle connections");
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    // the oldest was closed to make room
    let mut byte = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), idle[0].read(&mut byte)).await;
    assert!(matches!(read, Ok(Ok(0))), "{read:?}");
    // a kept-alive connection goes back to the lobby between requests, and is served again
    let demo = onsdesk::sandbox::demo_credentials();
    let mut kept = TcpStream::connect(sb.addr()).await.unwrap();
    for _ in 0..2 {
        let raw = String::from_utf8(signed_post("OnsRegionList", &demo, Format::Json))
            .unwrap()
            .replace("Connection: close", "Connection: keep-alive");
        kept.write_all(raw.as_bytes()).await.unwrap();
        let reply = tokio::time::timeout(Duration::from_secs(5), read_one_reply(&mut kept))
            .await
            .unwrap();
        assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
        assert!(reply.contains("Connection: keep-alive"), "{reply}");
    }
    drop(idle);
}

/// 80 idle sockets against a sandbox limited to 64 descriptors locked every
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
    // the idle ones ahead of it never take a slot, and each new connection closes the one
    // idle the longest: it is served at once (once took 15 s, served 32 at a time for 5 s)
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    std::io::Write::write_all(
        &mut client,
        &signed_post(
            "OnsRegionList",
            &onsdesk::sandbox::demo_credentials(),
            Format::Json,
        ),
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

/// A signed JSON call over TCP with `credentials`: the HTTP status and the body (`Null` when
/// the connection closed without a reply).
async fn call_as(
    addr: std::net::SocketAddr,
    credentials: &Credentials,
    action: &str,
    params: &[(&str, &str)],
) -> (u16, Value) {
    let reply = exchange(
        addr,
        &signed_call(action, params, credentials, Format::Json),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let status = reply
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    (
        status,
        serde_json::from_str(body_of(&reply)).unwrap_or(Value::Null),
    )
}

async fn call(sb: &Sandbox, action: &str, params: &[(&str, &str)]) -> (u16, Value) {
    call_as(
        sb.addr(),
        &onsdesk::sandbox::demo_credentials(),
        action,
        params,
    )
    .await
}

fn listed<'a>(body: &'a Value, list: &str, field: &str) -> Vec<&'a str> {
    body["Data"][list]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|v| v[field].as_str().unwrap())
        .collect()
}

fn seeded_config(spec: &str) -> SandboxConfig {
    SandboxConfig {
        seed: vec![SeedInstance::parse(spec).unwrap()],
        ..SandboxConfig::default()
    }
}

/// Waits (at most 10 s) until the sandbox has `topic` of `id` in service.
async fn until_in_service(sb: &Sandbox, id: &str, topic: &str) {
    let waited = std::time::Instant::now();
    while sb.topic_in_service(id, topic) != Some(true) {
        assert!(
            waited.elapsed() < Duration::from_secs(10),
            "never in service"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topics_and_groups_over_tcp_beside_longer_names() {
    let sb = Sandbox::start(SandboxConfig {
        // long enough that the list below comes before it even under Wine's slow start
        topic_ready: Duration::from_secs(2),
        group_limit: 3,
        ..seeded_config("legacy-orders:orders-v2:GID_orders-v2")
    })
    .await
    .unwrap();
    let id = sb.instances()[0].id.clone();
    let create = [
        ("InstanceId", id.as_str()),
        ("Topic", "orders"),
        ("MessageType", "0"),
    ];
    let (status, body) = call(&sb, "OnsTopicCreate", &create).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_object().unwrap().len(), 1, "RequestId only: {body}");
    // the filter is fuzzy over the wire too: both come back, the new one being created
    let filter = [("InstanceId", id.as_str()), ("Topic", "orders")];
    let (_, body) = call(&sb, "OnsTopicList", &filter).await;
    assert_eq!(
        listed(&body, "PublishInfoDo", "Topic"),
        ["orders-v2", "orders"]
    );
    assert_eq!(body["Data"]["PublishInfoDo"][1]["ServiceStatus"], 0);
    assert_eq!(sb.topic_in_service(&id, "orders"), Some(false));
    until_in_service(&sb, &id, "orders").await;
    let (_, body) = call(&sb, "OnsTopicList", &filter).await;
    assert_eq!(body["Data"]["PublishInfoDo"][1]["ServiceStatus"], 1);

    let group = [("InstanceId", id.as_str()), ("GroupId", "GID_orders")];
    let (status, body) = call(&sb, "OnsGroupCreate", &group).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&sb, "OnsGroupList", &group).await;
    assert_eq!(
        listed(&body, "SubscribeInfoDo", "GroupId"),
        ["GID_orders-v2", "GID_orders"]
    );
    // taken names, of either kind
    let (status, body) = call(&sb, "OnsTopicCreate", &create).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("BIZ_TOPIC_EXISTED"))
    );
    let topic_named_like_group = [
        ("InstanceId", id.as_str()),
        ("Topic", "payments"),
        ("MessageType", "0"),
    ];
    call(
        &sb,
        "OnsGroupCreate",
        &[("InstanceId", &id), ("GroupId", "payments")],
    )
    .await;
    let (_, body) = call(&sb, "OnsTopicCreate", &topic_named_like_group).await;
    assert_eq!(body["Code"], "BIZ_GROUP_EXISTED");
    // three groups now: the limit
    let (status, body) = call(
        &sb,
        "OnsGroupCreate",
        &[("InstanceId", &id), ("GroupId", "GID_x")],
    )
    .await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("Group.NumLimited"))
    );
    assert_eq!(body["Message"], "group count exceed limit");
    // what the test-facing accessors see
    let topics: Vec<String> = sb
        .topics(&id)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(topics, ["orders-v2", "orders"]);
    let groups: Vec<String> = sb.groups(&id).unwrap().into_iter().map(|g| g.id).collect();
    assert_eq!(groups, ["GID_orders-v2", "GID_orders", "payments"]);
    assert!(sb.topics("MQ_INST_none").is_none());
    // a non-empty instance is not deleted
    let (_, body) = call(&sb, "OnsInstanceDelete", &[("InstanceId", &id)]).await;
    assert_eq!(body["Code"], "BIZ_INSTANCE_NOT_EMPTY");
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .ends_with("still has 2 topics and 3 groups; delete them first."),
        "{body}"
    );
    for (action, key, name) in [
        ("OnsTopicDelete", "Topic", "orders"),
        ("OnsTopicDelete", "Topic", "orders-v2"),
        ("OnsGroupDelete", "GroupId", "GID_orders"),
        ("OnsGroupDelete", "GroupId", "GID_orders-v2"),
        ("OnsGroupDelete", "GroupId", "payments"),
    ] {
        let (status, body) = call(&sb, action, &[("InstanceId", &id), (key, name)]).await;
        assert_eq!(status, 200, "{action} {name}: {body}");
    }
    let (status, _) = call(&sb, "OnsInstanceDelete", &[("InstanceId", &id)]).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_and_group_replies_in_xml_have_the_action_root_and_repeated_items() {
    let sb = Sandbox::start(seeded_config("legacy-orders:orders,payments:GID_orders"))
        .await
        .unwrap();
    let id = sb.instances()[0].id.clone();
    let demo = onsdesk::sandbox::demo_credentials();
    let xml = |action: &'static str, params: Vec<(&'static str, String)>| {
        let addr = sb.addr();
        let demo = demo.clone();
        async move {
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = exchange(
                addr,
                &signed_call(action, &params, &demo, Format::Xml),
                Duration::from_secs(10),
            )
            .await
            .unwrap();
            body_of(&reply).to_owned()
        }
    };
    let body = xml("OnsTopicList", vec![("InstanceId", id.clone())]).await;
    assert!(
        body.starts_with(
            "<?xml version='1.0' encoding='UTF-8'?><OnsTopicListResponse><Data><PublishInfoDo>"
        ),
        "{body}"
    );
    assert_eq!(body.matches("<PublishInfoDo>").count(), 2, "{body}");
    assert!(body.contains("<Topic>payments</Topic>"), "{body}");
    assert!(body.contains("<ServiceStatus>1</ServiceStatus>"), "{body}");
    let body = xml("OnsGroupList", vec![("InstanceId", id.clone())]).await;
    assert!(body.contains("<SubscribeInfoDo><CreateTime>"), "{body}");
    assert!(body.contains("<GroupType>tcp</GroupType>"), "{body}");
    let body = xml(
        "OnsGroupCreate",
        vec![("InstanceId", id.clone()), ("GroupId", "GID_new".into())],
    )
    .await;
    assert!(
        body.contains("<OnsGroupCreateResponse><RequestId>"),
        "{body}"
    );
    let body = xml(
        "OnsGroupCreate",
        vec![("InstanceId", id.clone()), ("GroupId", "GID_new".into())],
    )
    .await;
    assert!(body.contains("<Error>"), "{body}");
    assert!(body.contains("<Code>BIZ_GROUP_EXISTED</Code>"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_reply_closes_the_connection_after_the_work() {
    let sb = Sandbox::start(SandboxConfig {
        faults: Faults {
            drop_replies: [("OnsTopicCreate".to_owned(), 1)].into(),
            ..Faults::default()
        },
        ..seeded_config("legacy-orders")
    })
    .await
    .unwrap();
    let id = sb.instances()[0].id.clone();
    let create = |topic: &'static str| {
        signed_call(
            "OnsTopicCreate",
            &[("InstanceId", &id), ("Topic", topic), ("MessageType", "0")],
            &onsdesk::sandbox::demo_credentials(),
            Format::Json,
        )
    };
    let reply = exchange(sb.addr(), &create("orders"), Duration::from_secs(10)).await;
    assert_eq!(reply.as_deref(), Some(""), "no reply at all");
    assert_eq!(sb.topics(&id).unwrap().len(), 1, "the topic was made");
    assert_eq!(sb.action_count("OnsTopicCreate"), 1);
    let reply = exchange(sb.addr(), &create("payments"), Duration::from_secs(10))
        .await
        .unwrap();
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
}

fn addr_of(url: &str) -> std::net::SocketAddr {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

fn sandbox_refusal(args: &[&str], stdin: &str) -> String {
    let out = common::run_with_stdin(Command::new(BIN).arg("sandbox").args(args), stdin);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        common::text(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "{args:?}: nothing listens");
    common::text(&out.stderr)
}

/// A secret on the command line is visible to every local user in the process list: the
/// sandbox reads it from stdin (or a file) and refuses it as an argument.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_takes_a_keys_secret_from_stdin_never_from_its_command_line() {
    let sb = common::SandboxProcess::start_with_stdin(
        &["--key", "LTAItest", "--sts-key", "STS.test"],
        Some("s3cret\nsts-secret\nsts-token\n"),
    );
    let addr = addr_of(&sb.url);
    let key = Credentials::new("LTAItest", SecretString::from("s3cret"));
    assert_eq!(call_as(addr, &key, "OnsRegionList", &[]).await.0, 200);
    let sts = Credentials::new("STS.test", SecretString::from("sts-secret"))
        .with_security_token(SecretString::from("sts-token"));
    assert_eq!(call_as(addr, &sts, "OnsRegionList", &[]).await.0, 200);
    // the demo key is no longer accepted
    let (_, body) = call_as(
        addr,
        &onsdesk::sandbox::demo_credentials(),
        "OnsRegionList",
        &[],
    )
    .await;
    assert_eq!(body["Code"], "InvalidAccessKeyId.NotFound");

    for args in [
        &["--key", "LTAItest:s3cret-on-argv"][..],
        &["--sts-key", "STS.test:s3cret-on-argv:token-on-argv"],
    ] {
        let stderr = sandbox_refusal(args, "");
        assert!(stderr.contains("AccessKey ID alone"), "{stderr}");
        assert!(
            !stderr.contains("on-argv"),
            "the secret is not repeated: {stderr}"
        );
    }
    let stderr = sandbox_refusal(&["--key", "LTAItest"], "");
    assert!(
        stderr.contains("no Secret of sandbox key LTAItest on stdin"),
        "{stderr}"
    );
    let stderr = sandbox_refusal(&["--sts-key", "STS.test"], "only-the-secret\n");
    assert!(
        stderr.contains("no STS token of sandbox key STS.test"),
        "{stderr}"
    );
    let stderr = sandbox_refusal(&["--key", "LTAItest"], "\n");
    assert!(stderr.contains("is empty"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_file_gives_keys_and_sts_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sandbox-keys");
    std::fs::write(
        &file,
        "# keys for the team's tests\nLTAIfile:file-secret\n\nSTS.file:sts-secret:sts-token\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let sb = common::SandboxProcess::start(&["--key-file", path]);
    let addr = addr_of(&sb.url);
    let key = Credentials::new("LTAIfile", SecretString::from("file-secret"));
    assert_eq!(call_as(addr, &key, "OnsRegionList", &[]).await.0, 200);
    let sts = Credentials::new("STS.file", SecretString::from("sts-secret"))
        .with_security_token(SecretString::from("sts-token"));
    assert_eq!(call_as(addr, &sts, "OnsRegionList", &[]).await.0, 200);
    drop(sb);

    std::fs::write(&file, "LTAIfile:file-secret\nSTS.file:do-not-print:\n").unwrap();
    let stderr = sandbox_refusal(&["--key-file", path], "");
    assert!(stderr.contains("--key-file"), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(!stderr.contains("do-not-print"), "{stderr}");
    let missing = dir.path().join("missing");
    let stderr = sandbox_refusal(&["--key-file", missing.to_str().unwrap()], "");
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_seeds_and_the_topic_group_switches_from_the_command_line() {
    let sb = common::SandboxProcess::start(&[
        "--seed-instance",
        "legacy-orders:orders,orders-v2:GID_orders",
        "--group-limit",
        "1",
        "--fault-drop-reply",
        "OnsTopicCreate",
    ]);
    let addr = addr_of(&sb.url);
    let demo = onsdesk::sandbox::demo_credentials();
    let (_, body) = call_as(addr, &demo, "OnsInstanceInServiceList", &[]).await;
    let id = body["Data"]["InstanceVO"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = call_as(addr, &demo, "OnsTopicList", &[("InstanceId", &id)]).await;
    assert_eq!(
        listed(&body, "PublishInfoDo", "Topic"),
        ["orders", "orders-v2"]
    );
    let (_, body) = call_as(addr, &demo, "OnsGroupList", &[("InstanceId", &id)]).await;
    assert_eq!(listed(&body, "SubscribeInfoDo", "GroupId"), ["GID_orders"]);
    // --group-limit 1
    let (_, body) = call_as(
        addr,
        &demo,
        "OnsGroupCreate",
        &[("InstanceId", &id), ("GroupId", "GID_more")],
    )
    .await;
    assert_eq!(body["Code"], "Group.NumLimited");
    // --fault-drop-reply: made, not answered; the command line's topics take 2 s to be ready
    let (_, body) = call_as(
        addr,
        &demo,
        "OnsTopicCreate",
        &[
            ("InstanceId", &id),
            ("Topic", "refunds"),
            ("MessageType", "0"),
        ],
    )
    .await;
    assert_eq!(body, Value::Null, "no reply");
    let (_, body) = call_as(
        addr,
        &demo,
        "OnsTopicList",
        &[("InstanceId", &id), ("Topic", "refunds")],
    )
    .await;
    assert_eq!(listed(&body, "PublishInfoDo", "Topic"), ["refunds"]);
    assert_eq!(body["Data"]["PublishInfoDo"][0]["ServiceStatus"], 0);
    drop(sb);

    let sb = common::SandboxProcess::start(&[
        "--seed-instance",
        "legacy-orders::",
        "--topic-ready-ms",
        "0",
    ]);
    let addr = addr_of(&sb.url);
    let (_, body) = call_as(addr, &demo, "OnsInstanceInServiceList", &[]).await;
    let id = body["Data"]["InstanceVO"][0]["InstanceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = call_as(
        addr,
        &demo,
        "OnsTopicCreate",
        &[
            ("InstanceId", &id),
            ("Topic", "refunds"),
            ("MessageType", "5"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = call_as(addr, &demo, "OnsTopicList", &[("InstanceId", &id)]).await;
    assert_eq!(body["Data"]["PublishInfoDo"][0]["ServiceStatus"], 1);
}

#[test]
fn bad_topic_and_group_switches_are_refused_at_start() {
    for (args, says) in [
        (
            &["--fault-drop-reply", "OnsTopicCreat"][..],
            "not an action the sandbox serves",
        ),
        (&["--fault-drop-reply", "OnsTopicCreate:0"], "not a count"),
        (
            &["--seed-instance", "legacy:GID_orders"],
            "must not start with GID",
        ),
        (
            &["--seed-instance", "legacy:orders:orders"],
            "appears twice",
        ),
        (&["--group-limit", "many"], "--group-limit"),
    ] {
        let stderr = sandbox_refusal(args, "");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
