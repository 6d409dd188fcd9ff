//! The API client against the sandbox (and small stubs) over real HTTP on 127.0.0.1.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use onsdesk::api::{ApiError, Client, Delivery, HttpOptions, InstanceType, Target, Transport};
use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::region::Endpoint;
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig, SandboxKey};
use onsdesk::signing::{Method, v1};
use proptest::prelude::*;

fn target(url: &str, region: &str) -> Target {
    Target {
        endpoint: Endpoint::parse(url).unwrap(),
        region: onsdesk::region::RegionId::shaped(region).unwrap(),
    }
}

fn client_for(sandbox: &Sandbox, credentials: Credentials) -> Client {
    Client::new(
        Transport::new(HttpOptions::default()),
        target(&sandbox.url(), "cn-hangzhou"),
        credentials,
    )
}

fn service_code(err: &ApiError) -> &str {
    err.service()
        .map_or("<not a service error>", |e| e.code.as_str())
}

#[tokio::test]
async fn create_with_a_chinese_name_and_remark_then_read_it_back() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = client_for(&sandbox, sandbox::demo_credentials());
    let created = client
        .create_instance("订单服务-生产_01", Some("支付 订单 主实例 & more"))
        .await
        .unwrap();
    assert!(created.instance_id.starts_with("MQ_INST_"), "{created:?}");
    assert_eq!(created.instance_type, InstanceType::STANDARD);
    assert!(!created.request_id.is_empty());

    let stored = sandbox.instances();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].name, "订单服务-生产_01");
    assert_eq!(stored[0].remark, "支付 订单 主实例 & more");
    assert_eq!(stored[0].id, created.instance_id);

    let listed = client.instances_in_service().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].instance_name, "订单服务-生产_01");
    let info = client
        .instance_base_info(&created.instance_id)
        .await
        .unwrap();
    assert_eq!(info.remark, "支付 订单 主实例 & more");
    assert!(
        info.endpoints
            .tcp
            .as_deref()
            .is_some_and(|e| e.contains(":8080"))
    );
    assert!(info.endpoints.http_internet.is_some());
    let regions = client.region_list().await.unwrap();
    assert!(regions.iter().any(|r| r.region_id == "cn-hangzhou"));
}

#[tokio::test]
async fn duplicate_names_and_the_ninth_instance_are_refused() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = client_for(&sandbox, sandbox::demo_credentials());
    client.create_instance("dup-name", None).await.unwrap();
    let err = client.create_instance("dup-name", None).await.unwrap_err();
    assert_eq!(service_code(&err), "BIZ_INSTANCE_NAME_DUPLICATED");
    assert!(!err.outcome_unknown());
    for i in 2..=8 {
        client
            .create_instance(&format!("inst-{i}"), None)
            .await
            .unwrap();
    }
    let err = client.create_instance("inst-9", None).await.unwrap_err();
    assert_eq!(service_code(&err), "BIZ_INSTANCE_QUOTA_EXCEEDED");
    // Another region has its own quota.
    let other = Client::new(
        Transport::new(HttpOptions::default()),
        target(&sandbox.url(), "cn-beijing"),
        sandbox::demo_credentials(),
    );
    other.create_instance("dup-name", None).await.unwrap();
    assert_eq!(sandbox.instances().len(), 9);
}

#[tokio::test]
async fn wrong_secret_gets_the_servers_string_to_sign_which_equals_ours() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wrong = Credentials::new(
        sandbox::DEMO_ACCESS_KEY_ID,
        SecretString::from("not-the-secret"),
    );
    let client = client_for(&sandbox, wrong);
    let err = client
        .send(&onsdesk::api::actions::ListRegions)
        .await
        .result
        .unwrap_err();
    let service = err.service().expect("a service error");
    assert_eq!(service.code, "SignatureDoesNotMatch");
    assert_eq!(service.http_status, 400);
    assert!(service.request_id.is_some());
    let server_sts = service
        .server_string_to_sign()
        .expect("server string to sign");
    assert!(
        server_sts.starts_with("POST&%2F&AccessKeyId%3Dsandbox-demo-key%26Action%3DOnsRegionList"),
        "{server_sts}"
    );
    // Same string, different secret: the doctor's "the secret is wrong" case.
    let now = time::OffsetDateTime::now_utc();
    let ours = client.prepare("OnsRegionList", &[], now, "fixed-nonce");
    assert_eq!(
        server_sts.split("%26SignatureNonce").next(),
        ours.string_to_sign
            .as_str()
            .split("%26SignatureNonce")
            .next()
    );
    assert!(!service.message.contains("not-the-secret"));
    assert!(sandbox.instances().is_empty());
}

#[tokio::test]
async fn unknown_key_and_sts_tokens() {
    let sts = Credentials::new("STS.sandbox-temp", SecretString::from("temp-secret"))
        .with_security_token(SecretString::from("token-123"));
    let sandbox = Sandbox::start(SandboxConfig {
        keys: vec![
            SandboxKey::from(&sandbox::demo_credentials()),
            SandboxKey::from(&sts),
        ],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let err = client_for(
        &sandbox,
        Credentials::new("nobody", SecretString::from("x")),
    )
    .create_instance("abc", None)
    .await
    .unwrap_err();
    assert_eq!(service_code(&err), "InvalidAccessKeyId.NotFound");
    assert_eq!(err.service().unwrap().http_status, 404);

    client_for(&sandbox, sts.clone())
        .create_instance("via-sts", None)
        .await
        .unwrap();
    let no_token = Credentials::new("STS.sandbox-temp", SecretString::from("temp-secret"));
    let err = client_for(&sandbox, no_token)
        .create_instance("via-sts-2", None)
        .await
        .unwrap_err();
    assert_eq!(service_code(&err), "MissingSecurityToken");
    let forged = no_token_with("forged");
    let err = client_for(&sandbox, forged)
        .create_instance("via-sts-3", None)
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&err),
        "InvalidSecurityToken.MismatchWithAccessKey"
    );
    assert_eq!(sandbox.instances().len(), 1);
}

fn no_token_with(token: &str) -> Credentials {
    Credentials::new("STS.sandbox-temp", SecretString::from("temp-secret"))
        .with_security_token(SecretString::from(token))
}

/// Serves one canned HTTP reply on 127.0.0.1 and returns its URL.
fn stub(status: &'static str, content_type: &'static str, body: &'static str) -> String {
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::Builder::new()
        .name("stub".into())
        .spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = vec![0u8; 65536];
                let _ = s.read(&mut buf);
                let _ = s.write_all(reply.as_bytes());
            }
        })
        .unwrap();
    url
}

#[tokio::test]
async fn xml_and_html_error_bodies_stay_readable() {
    let url = stub(
        "403 Forbidden",
        "text/xml",
        "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>X-1</RequestId><Code>Forbidden.RAM</Code><Message>User not authorized &amp; denied.</Message></Error>",
    );
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        target(&url, "cn-hangzhou"),
        sandbox::demo_credentials(),
    );
    let err = client.create_instance("abc", None).await.unwrap_err();
    let e = err.service().expect("service error from XML");
    assert_eq!(
        (
            e.code.as_str(),
            e.message.as_str(),
            e.request_id.as_deref(),
            e.http_status
        ),
        (
            "Forbidden.RAM",
            "User not authorized & denied.",
            Some("X-1"),
            403
        )
    );

    let url = stub(
        "502 Bad Gateway",
        "text/html",
        "<html><h1>Bad Gateway</h1></html>",
    );
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        target(&url, "cn-hangzhou"),
        sandbox::demo_credentials(),
    );
    let err = client.create_instance("abc", None).await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::BadReply {
                http_status: 502,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("Bad Gateway"));
    assert!(
        err.outcome_unknown(),
        "a 502 after sending: the create may have happened"
    );
}

#[tokio::test]
async fn transport_errors_say_whether_the_request_may_have_arrived() {
    // Nothing listens: the request never left.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        target(&format!("http://127.0.0.1:{port}/"), "cn-hangzhou"),
        sandbox::demo_credentials(),
    );
    let err = client.create_instance("abc", None).await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Transport {
                delivery: Delivery::NotSent,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());

    // The sandbox creates, then the reply is lost.
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.set_faults(Faults {
        drop_create_replies: 1,
        ..Faults::default()
    });
    let err = client_for(&sandbox, sandbox::demo_credentials())
        .create_instance("lost-reply", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Transport {
                delivery: Delivery::MaybeReceived,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    assert_eq!(
        sandbox.instances().len(),
        1,
        "the instance exists although the reply was lost"
    );

    // A reply slower than the timeout.
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_millis(800),
        ..Faults::default()
    });
    let impatient = Client::new(
        Transport::new(HttpOptions {
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_millis(200),
        }),
        target(&sandbox.url(), "cn-hangzhou"),
        sandbox::demo_credentials(),
    );
    let err = impatient
        .create_instance("slow-reply", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Transport {
                delivery: Delivery::MaybeReceived,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("no reply in time"), "{err}");
}

#[tokio::test]
async fn server_faults_are_service_errors_with_unknown_outcome() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    let client = client_for(&sandbox, sandbox::demo_credentials());
    let err = client.create_instance("abc", None).await.unwrap_err();
    assert_eq!(service_code(&err), "ServiceUnavailable");
    assert!(err.outcome_unknown());
    client.create_instance("abc", None).await.unwrap();
    sandbox.set_faults(Faults {
        throttle_every: 1,
        ..Faults::default()
    });
    let err = client.create_instance("abc-2", None).await.unwrap_err();
    assert!(err.service().unwrap().is_throttling());
}

#[tokio::test]
async fn the_sandbox_answers_xml_without_format_json_like_the_service() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let reply = reqwest::Client::new()
        .post(sandbox.url())
        .body("Action=OnsRegionList")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 400);
    let body = reply.text().await.unwrap();
    assert!(
        body.starts_with("<?xml") && body.contains("<Code>MissingVersion</Code>"),
        "{body}"
    );
}

fn name_strategy() -> impl Strategy<Value = String> {
    // Letters, digits, '-', '_' and CJK ideographs from several blocks, 3 to 64 characters.
    let ch = prop_oneof![
        prop::char::range('a', 'z'),
        prop::char::range('A', 'Z'),
        prop::char::range('0', '9'),
        Just('-'),
        Just('_'),
        prop::char::range('\u{4E00}', '\u{9FFF}'),
        prop::char::range('\u{3400}', '\u{4DBF}'),
        prop::char::range('\u{20000}', '\u{2A6DF}'),
        prop::char::range('\u{F900}', '\u{FA6D}'),
    ];
    prop::collection::vec(ch, 3..=64).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Any valid name and any remark survive sign → form encoding → sandbox parse → verify → create.
    #[test]
    fn any_valid_name_and_remark_round_trip_through_the_sandbox(name in name_strategy(), remark in any::<String>(), get in any::<bool>()) {
        prop_assert!(onsdesk::validation::validate_instance_name(&name).is_ok());
        let creds = sandbox::demo_credentials();
        let method = if get { Method::Get } else { Method::Post };
        let now = time::OffsetDateTime::now_utc();
        let signed = v1::sign(&v1::Request { method, action: "OnsInstanceCreate", params: &[("InstanceName", &name), ("Remark", &remark)] }, &creds, now, &onsdesk::signing::new_nonce());
        let encoded = v1::encode_form(&signed.params);
        let request = if get {
            onsdesk::sandbox::gateway::GatewayRequest::from_http("GET", &format!("/?{encoded}"), None, b"")
        } else {
            onsdesk::sandbox::gateway::GatewayRequest::from_http("POST", "/", Some("application/x-www-form-urlencoded"), encoded.as_bytes())
        };
        let mut gateway = onsdesk::sandbox::Gateway::new(vec![SandboxKey::from(&creds)], Faults::default());
        let reply = gateway.handle(&request, now);
        prop_assert_eq!(reply.status, 200, "{:?}", reply.body);
        prop_assert_eq!(&gateway.instances()[0].name, &name);
        prop_assert_eq!(&gateway.instances()[0].remark, &remark);
    }
}

#[tokio::test]
async fn signature_v3_against_the_sandbox() {
    use onsdesk::signing::v3::SignatureVersion;
    let sts = Credentials::new("STS.v3-temp", SecretString::from("v3-secret"))
        .with_security_token(SecretString::from("v3-token"));
    let sandbox = Sandbox::start(SandboxConfig {
        keys: vec![
            SandboxKey::from(&sandbox::demo_credentials()),
            SandboxKey::from(&sts),
        ],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let v3 = client_for(&sandbox, sandbox::demo_credentials()).with_signature(SignatureVersion::V3);
    let created = v3
        .create_instance("v3-实例", Some("签名 V3 & more"))
        .await
        .unwrap();
    let stored = sandbox.instances();
    assert_eq!(
        (
            stored[0].id.as_str(),
            stored[0].name.as_str(),
            stored[0].remark.as_str()
        ),
        (created.instance_id.as_str(), "v3-实例", "签名 V3 & more")
    );
    assert_eq!(v3.instances_in_service().await.unwrap().len(), 1);

    client_for(&sandbox, sts.clone())
        .with_signature(SignatureVersion::V3)
        .create_instance("v3-sts", None)
        .await
        .unwrap();
    let forged = Credentials::new("STS.v3-temp", SecretString::from("v3-secret"))
        .with_security_token(SecretString::from("forged"));
    let err = client_for(&sandbox, forged)
        .with_signature(SignatureVersion::V3)
        .create_instance("v3-forged", None)
        .await
        .unwrap_err();
    assert_eq!(
        service_code(&err),
        "InvalidSecurityToken.MismatchWithAccessKey"
    );

    let wrong = Credentials::new(sandbox::DEMO_ACCESS_KEY_ID, SecretString::from("wrong"));
    let err = client_for(&sandbox, wrong)
        .with_signature(SignatureVersion::V3)
        .create_instance("v3-wrong", None)
        .await
        .unwrap_err();
    assert_eq!(service_code(&err), "SignatureDoesNotMatch");
    assert!(
        err.service()
            .unwrap()
            .server_string_to_sign()
            .is_some_and(|s| s.starts_with("POST\n/\n"))
    );

    // A signed request whose query is changed afterwards fails.
    let client =
        client_for(&sandbox, sandbox::demo_credentials()).with_signature(SignatureVersion::V3);
    let mut prepared = client.prepare(
        "OnsInstanceCreate",
        &[("InstanceName", "v3-honest")],
        time::OffsetDateTime::now_utc(),
        "nonce-v3-tamper",
    );
    prepared
        .url
        .set_query(Some("InstanceName=v3-tampered&RegionId=cn-hangzhou"));
    let honest = onsdesk::api::actions::CreateInstance {
        name: "v3-honest".to_owned(),
        remark: None,
    };
    let err = client
        .send_prepared(&honest, &prepared)
        .await
        .result
        .unwrap_err();
    assert_eq!(service_code(&err), "SignatureDoesNotMatch");
    assert_eq!(sandbox.instances().len(), 2);
}

#[tokio::test]
async fn the_sts_token_quoted_back_by_the_service_is_scrubbed() {
    let token = "CAIS+sts/token=value-77";
    let sts = Credentials::new("STS.scrub", SecretString::from("right-secret"))
        .with_security_token(SecretString::from(token));
    let sandbox = Sandbox::start(SandboxConfig {
        keys: vec![SandboxKey::from(&sts)],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let wrong = Credentials::new("STS.scrub", SecretString::from("wrong-secret"))
        .with_security_token(SecretString::from(token));
    let err = client_for(&sandbox, wrong)
        .create_instance("scrubbed", None)
        .await
        .unwrap_err();
    let service = err.service().unwrap();
    assert_eq!(service.code, "SignatureDoesNotMatch");
    assert!(
        service.message.contains("SecurityToken%3D<redacted>"),
        "{}",
        service.message
    );
    let everything = format!("{err} {err:?}");
    for form in [
        token,
        "CAIS%2Bsts%2Ftoken%3Dvalue-77",
        "CAIS%252Bsts%252Ftoken%253Dvalue-77",
    ] {
        assert!(!everything.contains(form), "{form} in {everything}");
    }
}

/// A server with a keep-alive of `cut`, at its worst: a request that arrives on a connection
/// idle for `cut` or longer meets the server closing it (as when the close and the request
/// cross on the wire), so it is read and left unanswered. Every other request gets a region
/// list, and its connection is kept. Returns the URL and the number of connections accepted.
fn keep_alive_server(cut: Duration) -> (String, Arc<AtomicUsize>) {
    const BODY: &str = r#"{"RequestId":"0C6E3E4A-6B0B-4C53-9D7C-2D3B9F1F0A11","Data":{"RegionDo":[{"OnsRegionId":"cn-hangzhou","RegionName":"华东1（杭州）"}]}}"#;
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nKeep-Alive: timeout={}\r\nContent-Length: {}\r\n\r\n{BODY}",
        cut.as_secs(),
        BODY.len()
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::Builder::new()
        .name("keep-alive-stub".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                counter.fetch_add(1, Ordering::SeqCst);
                let reply = reply.clone();
                std::thread::Builder::new()
                    .name("keep-alive-conn".into())
                    .spawn(move || {
                        let mut answered: Option<Instant> = None;
                        let mut buf = Vec::new();
                        loop {
                            // one whole request: the head, then Content-Length bytes
                            let head_end = loop {
                                if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                    break at + 4;
                                }
                                let mut chunk = [0u8; 4096];
                                match stream.read(&mut chunk) {
                                    Ok(0) | Err(_) => return,
                                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                                }
                            };
                            let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
                            let length: usize = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .map_or(0, |v| v.trim().parse().unwrap());
                            while buf.len() < head_end + length {
                                let mut chunk = [0u8; 4096];
                                match stream.read(&mut chunk) {
                                    Ok(0) | Err(_) => return,
                                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                                }
                            }
                            buf.drain(..head_end + length);
                            if answered.is_some_and(|t| t.elapsed() >= cut) {
                                return; // closed, unanswered
                            }
                            if stream.write_all(reply.as_bytes()).is_err() {
                                return;
                            }
                            answered = Some(Instant::now());
                        }
                    })
                    .unwrap();
            }
        })
        .unwrap();
    (url, accepted)
}

/// A call made after a wait longer than the server's keep-alive (a throttling backoff of 5 to
/// 8 s against the sandbox's 5 s) goes out on a new connection, so the server's idle cut can
/// never meet it on the old one and lose it. Calls in a burst still share a connection.
#[tokio::test]
async fn a_call_after_a_wait_longer_than_the_servers_keep_alive_is_not_lost() {
    let (url, connections) = keep_alive_server(Duration::from_secs(5));
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        target(&url, "cn-hangzhou"),
        sandbox::demo_credentials(),
    );
    client.region_list().await.unwrap();
    client.region_list().await.unwrap();
    assert_eq!(connections.load(Ordering::SeqCst), 1, "a burst shares one");
    tokio::time::sleep(Duration::from_millis(5200)).await;
    let regions = client.region_list().await.unwrap();
    assert_eq!(regions[0].region_id, "cn-hangzhou");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}
