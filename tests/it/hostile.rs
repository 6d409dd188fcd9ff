//! Hostile replies and odd input: `onsdesk` as a process against endpoints that answer anything
//! (small stubs on 127.0.0.1 that record what they received), and against odd input. Each test
//! says what it tries and asserts what the user sees, what is stored, or what a server received.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{self, Home, text};
use serde_json::Value;

const KEY_ID: &str = "STS.hostile-test-key";
const SECRET: &str = "hostile-test-secret-value";

/// A token of a real STS token's length and alphabet (`+`, `/` and `=` included).
fn sts_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut t = String::from("CAIS");
    t.extend((0..636).map(|i| char::from(ALPHABET[(i * 29 + i / 7) % ALPHABET.len()])));
    t.push_str("==");
    t
}

/// The first run of 8 or more consecutive token characters found in `haystack`, if any.
fn token_run_in(haystack: &str, token: &str) -> Option<String> {
    token
        .as_bytes()
        .windows(8)
        .filter_map(|w| std::str::from_utf8(w).ok())
        .find(|w| haystack.contains(w))
        .map(str::to_owned)
}

/// Everything the user and the disk got: stdout, stderr and every file under the data dir.
fn everything(home: &Home, out: &Output) -> String {
    let mut all = format!("{}\n{}", text(&out.stdout), text(&out.stderr));
    assert!(
        common::count_files(&home.data()) >= 1,
        "the history was written"
    );
    let mut stack = vec![home.data()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                all.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
            }
        }
    }
    all
}

pub(crate) fn onsdesk(home: &Home, token: Option<&str>) -> Command {
    let mut cmd = home.cmd();
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .stdin(Stdio::null());
    if let Some(token) = token {
        cmd.env("ALIBABA_CLOUD_SECURITY_TOKEN", token);
    }
    cmd
}

/// A request a stub received.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub(crate) head: String,
    pub(crate) body: String,
}

impl Received {
    pub(crate) fn action(&self) -> &str {
        self.body
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or("")
    }
}

/// An HTTP server on 127.0.0.1 answering every request with `reply(request)` (a whole HTTP
/// response), one request per connection, and remembering what it received.
pub(crate) struct Stub {
    pub(crate) url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Stub {
    pub(crate) fn start(reply: impl Fn(&Received) -> String + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::Builder::new()
            .name("hostile-stub".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    if let Some(request) = read_request(&stream) {
                        log.lock().unwrap().push(request.clone());
                        let _ = (&stream).write_all(reply(&request).as_bytes());
                    }
                }
            })
            .unwrap();
        Self { url, received }
    }

    /// A stub that takes `delay` before every reply: a slow endpoint.
    pub(crate) fn slow(
        delay: Duration,
        reply: impl Fn(&Received) -> String + Send + 'static,
    ) -> Self {
        Self::start(move |request| {
            #[expect(
                clippy::disallowed_methods,
                reason = "the stub's own thread stands for a slow endpoint"
            )]
            std::thread::sleep(delay);
            reply(request)
        })
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            break;
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A whole HTTP/1.1 response.
pub(crate) fn http(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n{extra_headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

pub(crate) const REQUEST_ID: &str = "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB";

/// Runs `cmd`, killing it if it takes longer than `limit`.
pub(crate) fn run_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}; stderr so far: {}",
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn run(cmd: &mut Command) -> Output {
    run_within(cmd, Duration::from_mins(1))
}

/// A reply that is no API reply, holding a real-length token past the first 150
/// characters: the excerpt shown and stored must hold none of it.
#[test]
fn an_odd_reply_holding_a_long_token_leaks_none_of_it() {
    let token = sts_token();
    let page = format!(
        "<html><body>{} session {token} end</body></html>",
        "p".repeat(150)
    );
    let stub = Stub::start(move |_| http("502 Bad Gateway", "", &page));
    let home = Home::new();
    let out = run(onsdesk(&home, Some(&token)).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "odd-reply",
        "--json",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("502"), "{}", text(&out.stderr));
    let all = everything(&home, &out);
    assert_eq!(token_run_in(&all, &token), None);
    assert!(text(&out.stderr).contains("<redacted>"));
}

/// The service quotes its string to sign back, and something on the way turned `+`
/// into a space and `/` into `%2F` inside the token.
#[test]
fn a_token_mangled_in_the_quoted_string_to_sign_leaks_none_of_it() {
    let token = sts_token();
    let mangled = token.replace('+', " ").replace('/', "%2F");
    let encode = |s: &str| onsdesk::signing::percent_encode(s).to_string();
    let server_sts = format!(
        "POST&%2F&{}",
        encode(&format!(
            "AccessKeyId={KEY_ID}&Action=OnsInstanceCreate&SecurityToken={}&Version=2019-02-14",
            encode(&mangled)
        ))
    );
    let body = serde_json::json!({
        "RequestId": REQUEST_ID,
        "Code": "SignatureDoesNotMatch",
        "Message": format!("Specified signature is not matched with our calculation. server string to sign is:{server_sts}"),
    })
    .to_string();
    let stub = Stub::start(move |_| http("400 Bad Request", "", &body));
    let home = Home::new();
    let out = run(onsdesk(&home, Some(&token)).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "mangled-token",
        "--json",
    ]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("SignatureDoesNotMatch"));
    let all = everything(&home, &out);
    assert_eq!(token_run_in(&all, &token), None);
}

/// A 307 would make an HTTP client re-send the signed body (token included) wherever
/// `Location` points. Nothing may arrive there, and the user is told where it pointed.
#[test]
fn a_redirect_is_not_followed_and_says_where_it_pointed() {
    let elsewhere = Stub::start(|_| http("200 OK", "", "{}"));
    let location = format!("{}collect", elsewhere.url);
    let header = format!("Location: {location}\r\n");
    let stub = Stub::start(move |_| http("307 Temporary Redirect", &header, ""));
    let home = Home::new();
    let token = sts_token();
    let out = run(onsdesk(&home, Some(&token)).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "redirected",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains("redirect") && said.contains(&location),
        "{said}"
    );
    assert!(
        elsewhere.received().is_empty(),
        "followed to {location}: {:?}",
        elsewhere.received()
    );
    assert!(!stub.received().is_empty());
}

/// A proxy that records which hosts clients asked to `CONNECT` to, then hangs up.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::Builder::new()
        .name("recording-proxy".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some(r) = read_request(&stream) {
                    log.lock()
                        .unwrap()
                        .push(r.head.lines().next().unwrap_or("").to_owned());
                }
            }
        })
        .unwrap();
    (url, seen)
}

/// `history refresh` sends the credentials to the endpoint each entry names. A custom
/// one is asked only with `--include-custom-endpoints`; a region's own endpoint always is.
#[test]
fn history_refresh_asks_custom_endpoints_only_when_told() {
    let (proxy, seen) = recording_proxy();
    let home = Home::new();
    let through_proxy = |cmd: &mut Command| {
        cmd.env("HTTPS_PROXY", &proxy)
            .env("https_proxy", &proxy)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy");
    };
    let token = sts_token();
    for args in [
        &[
            "create",
            "--endpoint",
            "https://ons.custom-gateway.example/",
            "--name",
            "via-custom",
            "--timeout",
            "2",
        ][..],
        &[
            "create",
            "--region",
            "cn-hangzhou",
            "--name",
            "via-region",
            "--timeout",
            "2",
        ],
    ] {
        let mut cmd = onsdesk(&home, Some(&token));
        through_proxy(&mut cmd);
        let out = run(cmd.args(args));
        assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let asked = |seen: &Arc<Mutex<Vec<String>>>, host: &str| {
        seen.lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("CONNECT") && l.contains(host))
    };
    assert!(
        asked(&seen, "ons.custom-gateway.example:443"),
        "{:?}",
        seen.lock().unwrap()
    );
    seen.lock().unwrap().clear();

    let mut cmd = onsdesk(&home, Some(&token));
    through_proxy(&mut cmd);
    let out = run(cmd.args(["history", "refresh", "--timeout", "2"]));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        asked(&seen, "ons.cn-hangzhou.aliyuncs.com:443"),
        "{:?}",
        seen.lock().unwrap()
    );
    assert!(
        !asked(&seen, "custom-gateway"),
        "credentials went to the custom endpoint: {:?}",
        seen.lock().unwrap()
    );
    assert!(
        text(&out.stderr).contains("--include-custom-endpoints"),
        "{}",
        text(&out.stderr)
    );
    seen.lock().unwrap().clear();

    let mut cmd = onsdesk(&home, Some(&token));
    through_proxy(&mut cmd);
    let out = run(cmd.args([
        "history",
        "refresh",
        "--timeout",
        "2",
        "--include-custom-endpoints",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        asked(&seen, "ons.custom-gateway.example:443"),
        "{:?}",
        seen.lock().unwrap()
    );
}

/// `user:password@` in an endpoint is refused, and the password is not repeated.
#[test]
fn an_endpoint_with_a_password_is_refused_without_repeating_it() {
    let home = Home::new();
    for endpoint in [
        "https://admin:hunter2-secret@ons.cn-hangzhou.aliyuncs.com/",
        "admin:hunter2-secret@127.0.0.1:9",
        "https://admin:hunter2-secret@bad host/",
    ] {
        let out = run(onsdesk(&home, None).args([
            "create",
            "--endpoint",
            endpoint,
            "--name",
            "with-password",
        ]));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{endpoint}: {}",
            text(&out.stderr)
        );
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!said.contains("hunter2"), "{endpoint}: {said}");
        assert!(said.contains("user info"), "{endpoint}: {said}");
    }
}

/// A `Date` in year 9999 with `InvalidTimeStamp.Expired` made the clock correction
/// overflow (a panic after the create was sent). It is not a clock to correct by.
#[test]
fn a_date_in_year_9999_is_not_a_clock_to_correct_by() {
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}}"#
    );
    let stub = Stub::start(move |_| {
        http(
            "400 Bad Request",
            "Date: Fri, 31 Dec 9999 23:59:59 GMT\r\n",
            &body,
        )
    });
    let home = Home::new();
    let out = run(onsdesk(&home, None).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "far-future",
        "--json",
    ]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "not_created");
    assert_eq!(v["error"]["Code"], "InvalidTimeStamp.Expired");
    assert!(v.get("ClockOffsetSeconds").is_none(), "{v}");
    assert_eq!(stub.received().len(), 1, "refused once, not corrected");
}

/// Out-of-range durations are usage errors (exit 2), for every command that takes one.
#[test]
fn out_of_range_durations_are_usage_errors() {
    let home = Home::new();
    for value in ["1e20", "NaN", "inf", "-1", "0", "100000"] {
        for args in [
            vec![
                "create",
                "--endpoint",
                "http://127.0.0.1:9/",
                "--name",
                "durations",
                "--timeout",
                value,
            ],
            vec![
                "create",
                "--endpoint",
                "http://127.0.0.1:9/",
                "--name",
                "durations",
                "--deadline",
                value,
            ],
            vec!["history", "refresh", "--timeout", value],
            vec!["history", "refresh", "--deadline", value],
            vec![
                "profile",
                "test",
                "--endpoint",
                "http://127.0.0.1:9/",
                "--timeout",
                value,
            ],
        ] {
            let out = run(onsdesk(&home, None).args(&args));
            assert_eq!(
                out.status.code(),
                Some(2),
                "{args:?}: {}",
                text(&out.stderr)
            );
            assert!(
                text(&out.stderr).contains(value),
                "{args:?}: {}",
                text(&out.stderr)
            );
        }
    }
}

/// `profile test` makes one call, and `--timeout` bounds it: an endpoint that takes its time
/// gets a "no network" verdict when the limit passes, not a wait of the default 30 s.
#[test]
fn profile_test_gives_up_at_its_timeout() {
    let stub = Stub::slow(Duration::from_secs(4), |_| http("200 OK", "", "{}"));
    let home = Home::new();
    let started = Instant::now();
    let out = run_within(
        onsdesk(&home, None).args([
            "profile",
            "test",
            "--endpoint",
            &stub.url,
            "--timeout",
            "0.5",
            "--json",
        ]),
        Duration::from_secs(20),
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "no_network", "{v}");
}

/// `Retry-After: 100000` must not make `create` sleep 27 hours.
#[test]
fn a_retry_after_of_a_day_does_not_make_create_wait() {
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Code":"Throttling.User","Message":"Request was denied due to user flow control."}}"#
    );
    let stub =
        Stub::start(move |_| http("429 Too Many Requests", "Retry-After: 100000\r\n", &body));
    let home = Home::new();
    let started = Instant::now();
    let out = run_within(
        onsdesk(&home, None).args([
            "create",
            "--endpoint",
            &stub.url,
            "--name",
            "throttled-long",
        ]),
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        text(&out.stderr).contains("Throttling.User"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(stub.received().len(), 1);
}

/// A panic prints one line saying it is a bug, with the version and nothing of the
/// panic's message, and exits 70.
#[test]
fn a_panic_is_one_line_with_the_version_and_exit_70() {
    let home = Home::new();
    let out = run(onsdesk(&home, None)
        .env("ONSDESK_TEST_PANIC", "payload-with-a-secret-k3y")
        .args(["history"]));
    assert_eq!(out.status.code(), Some(70), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.starts_with("onsdesk: "), "{said}");
    assert!(said.contains("bug"), "{said}");
    assert!(said.contains(env!("CARGO_PKG_VERSION")), "{said}");
    assert!(!said.contains("k3y"), "{said}");
}

/// An InstanceId with a newline would inject HCL into the Terraform snippet and lines
/// into the terminal: it is a protocol error, the outcome unknown, and nothing stores it.
#[test]
fn an_instance_id_with_a_newline_is_a_protocol_error() {
    let evil = "MQ_INST_1_abc\n}\nresource \"evil\" \"x\" {\n";
    let body = serde_json::json!({
        "RequestId": REQUEST_ID,
        "Data": {"InstanceId": evil, "InstanceType": 1},
    })
    .to_string();
    // The listing that would settle it fails: the outcome stays unknown.
    let stub = Stub::start(move |r| {
        if r.action() == "OnsInstanceCreate" {
            http("200 OK", "", &body)
        } else {
            http("503 Service Unavailable", "", "")
        }
    });
    let home = Home::new();
    let out = run(onsdesk(&home, None).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "evil-id",
        "--json",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "unknown", "{v}");
    assert!(
        v.get("Terraform").is_none() && v.get("InstanceId").is_none(),
        "{v}"
    );
    let said = text(&out.stderr);
    assert!(said.contains("InstanceId"), "{said}");
    assert!(!said.contains("\nresource"), "{said}");
    let all = everything(&home, &out);
    assert!(!all.contains("\nresource"), "{all}");
    // the stub listens on loopback, so its entries count as sandbox ones
    let listed = run(onsdesk(&home, None).args(["history", "--json", "--include-sandbox"]));
    let rows: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows[0]["Outcome"], "unknown", "{rows}");
    assert!(rows[0]["InstanceId"].is_null(), "{rows}");
    let creates = stub
        .received()
        .iter()
        .filter(|r| r.action() == "OnsInstanceCreate")
        .count();
    assert_eq!(creates, 1, "not sent again while the outcome is unknown");
}

/// Escape sequences in what the server says never reach the terminal.
#[test]
fn escape_sequences_from_the_server_do_not_reach_the_terminal() {
    let body = serde_json::json!({
        "RequestId": REQUEST_ID,
        "Code": "Forbidden.RAM\u{1b}[2J",
        "Message": "\u{1b}]0;owned\u{7}denied\u{1b}[31m\u{9b}2J\r\u{202e}",
        "Recommend": "https://api.aliyun.com/troubleshoot\u{1b}[8m",
        "HostId": "ons.cn-hangzhou.aliyuncs.com\u{1b}[0m",
    })
    .to_string();
    let stub = Stub::start(move |_| http("403 Forbidden", "", &body));
    let home = Home::new();
    let out = run(onsdesk(&home, None).args([
        "create",
        "--endpoint",
        &stub.url,
        "--name",
        "escapes",
        "--json",
    ]));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let listed = run(onsdesk(&home, None).args(["history"]));
    for (what, bytes) in [
        ("stdout", &out.stdout),
        ("stderr", &out.stderr),
        ("history", &listed.stdout),
    ] {
        let s = text(bytes);
        assert!(
            !s.chars()
                .any(|c| c.is_control() && c != '\n' || c == '\u{202e}'),
            "{what}: {s:?}"
        );
    }
    assert!(
        text(&out.stderr).contains("denied"),
        "{}",
        text(&out.stderr)
    );
}

/// An endpoint DNS cannot carry is refused before sending (exit 2), not retried.
#[test]
fn an_overlong_endpoint_is_refused_before_sending() {
    let home = Home::new();
    for endpoint in [
        format!("https://{}.example.com/", "a".repeat(300)),
        format!("https://ons.example.com/{}", "p".repeat(5000)),
    ] {
        let started = Instant::now();
        let out = run(onsdesk(&home, None).args([
            "create",
            "--endpoint",
            &endpoint,
            "--name",
            "overlong",
        ]));
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("longer than"),
            "{}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).len() < 400, "{}", text(&out.stderr));
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

// The core API under the same stubs: what the window gets too.

fn client_to(url: &str, token: Option<&str>) -> onsdesk::api::Client {
    let mut credentials = onsdesk::credentials::Credentials::new(
        KEY_ID,
        onsdesk::credentials::SecretString::from(SECRET),
    );
    if let Some(token) = token {
        credentials =
            credentials.with_security_token(onsdesk::credentials::SecretString::from(token));
    }
    onsdesk::api::Client::new(
        onsdesk::api::Transport::new(onsdesk::api::HttpOptions {
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
        }),
        onsdesk::api::Target {
            endpoint: onsdesk::region::Endpoint::parse(url).unwrap(),
            region: onsdesk::region::RegionId::shaped("cn-hangzhou").unwrap(),
        },
        credentials,
    )
}

/// The safe create in process: a `Retry-After` beyond the deadline ends the create at once
/// (refused, so not created); one within it is waited, capped at `max_wait`.
#[tokio::test]
async fn the_safe_create_keeps_its_deadline_whatever_retry_after_says() {
    use onsdesk::create::{CreateOutcome, create};
    use onsdesk::operation::Step;
    use onsdesk::pacing::Policy;
    let throttled = |retry_after: &'static str| {
        let body = format!(
            r#"{{"RequestId":"{REQUEST_ID}","Code":"Throttling.User","Message":"slow down"}}"#
        );
        Stub::start(move |_| {
            http(
                "429 Too Many Requests",
                &format!("Retry-After: {retry_after}\r\n"),
                &body,
            )
        })
    };
    let policy = Policy {
        max_wait: Duration::from_millis(300),
        deadline: Duration::from_secs(3),
        max_throttled: 3,
        ..Policy::default()
    };

    let stub = throttled("100000");
    let started = Instant::now();
    let report = create(
        &client_to(&stub.url, None),
        "far-retry",
        None,
        policy,
        |_| {},
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(&report.outcome, CreateOutcome::NotCreated(e) if e.service().is_some_and(|s| s.code == "Throttling.User")),
        "{:?}",
        report.outcome
    );
    assert!(
        !report
            .steps
            .iter()
            .any(|s| matches!(s, Step::Throttled { .. }))
    );
    assert_eq!(stub.received().len(), 1);

    // Asked for 1 s each time: waited, but never more than max_wait, and the limit of
    // throttled replies ends it.
    let stub = throttled("1");
    let started = Instant::now();
    let report = create(
        &client_to(&stub.url, None),
        "near-retry",
        None,
        policy,
        |_| {},
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let waits: Vec<u64> = report
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Throttled { wait_ms } => Some(*wait_ms),
            _ => None,
        })
        .collect();
    assert_eq!(waits, vec![300, 300, 300], "{:?}", report.steps);
    assert_eq!(stub.received().len(), 4);
}

/// The API client in process: a redirect is an error that names where it pointed, with the
/// outcome unknown, and nothing is sent there.
#[tokio::test]
async fn the_client_follows_no_redirect() {
    let elsewhere = Stub::start(|_| http("200 OK", "", "{}"));
    let token = sts_token();
    let location = format!("{}?t={}", elsewhere.url, &token[..100]);
    let header = format!("Location: {location}\r\n");
    let stub = Stub::start(move |_| http("308 Permanent Redirect", &header, ""));
    let err = client_to(&stub.url, Some(&token))
        .create_instance("redirected", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            onsdesk::api::ApiError::BadReply {
                http_status: 308,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    let said = err.to_string();
    assert!(
        said.contains(&elsewhere.url) && said.contains("redirect"),
        "{said}"
    );
    assert_eq!(token_run_in(&said, &token), None, "{said}");
    assert!(elsewhere.received().is_empty());
}

/// An endless body is not read: past 1 MiB the reply is refused as not an API reply.
#[tokio::test]
async fn a_huge_reply_is_not_read() {
    let huge = format!("{{\"Message\":\"{}\"}}", "x".repeat(2 << 20));
    let stub = Stub::start(move |_| http("200 OK", "", &huge));
    let err = client_to(&stub.url, None).region_list().await.unwrap_err();
    assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
    assert!(err.outcome_unknown());
}

/// The refresh's core in process: with `CustomEndpoints::Skip` no client is even made for a
/// custom endpoint's scope (one on loopback is made, to see whose key it would send); with
/// `Include` every scope's is.
#[tokio::test]
async fn list_scopes_makes_no_client_for_a_skipped_custom_endpoint() {
    use onsdesk::credentials::CredentialSource;
    use onsdesk::history::refresh::{CloudScope, CustomEndpoints, ScopeFailure, list_scopes};
    use onsdesk::pacing::Policy;
    let scopes = || {
        [
            "https://ons.custom-gateway.example/",
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "https://ons-vpc.cn-beijing.aliyuncs.com/",
            "http://127.0.0.1:9/",
        ]
        .map(|e| CloudScope {
            profile: "environment".into(),
            region: "cn-hangzhou".into(),
            endpoint: e.into(),
            topics_on: std::collections::BTreeSet::new(),
            groups_on: std::collections::BTreeSet::new(),
            as_of: 0,
        })
        .to_vec()
    };
    let asked = Mutex::new(Vec::new());
    let make = |s: &CloudScope| {
        asked.lock().unwrap().push(s.endpoint.clone());
        Err(ScopeFailure::OtherCredentials {
            recorded: s.source(),
            current: CredentialSource::Profile("not-this-time".to_owned()),
        })
    };
    let listings = list_scopes(
        scopes(),
        CustomEndpoints::Skip,
        Policy::default(),
        &mut |_| {},
        &make,
    )
    .await;
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        [
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "https://ons-vpc.cn-beijing.aliyuncs.com/",
            "http://127.0.0.1:9/"
        ]
    );
    assert!(
        matches!(listings[0].result, Err(ScopeFailure::CustomEndpointSkipped)),
        "{:?}",
        listings[0].result
    );
    asked.lock().unwrap().clear();
    list_scopes(
        scopes(),
        CustomEndpoints::Include,
        Policy::default(),
        &mut |_| {},
        &make,
    )
    .await;
    assert_eq!(asked.lock().unwrap().len(), 4);
}

/// Whatever a file onsdesk reads holds, nothing of it reaches the terminal raw: a history line
/// that is not a record (serde's error quotes it, in onsdesk's message and in the log line),
/// and a tampered `profiles.json` (names, regions and AccessKey IDs, in text and in `--json`,
/// which stays valid JSON).
#[test]
fn what_a_tampered_file_holds_is_escaped_in_every_message() {
    let hostile = "x\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}\u{200b}\u{9b}";
    let raw = ['\u{1b}', '\u{7}', '\u{202e}', '\u{200b}', '\u{9b}'];
    let home = Home::new();
    let (history, _) = onsdesk::history::History::open(&home.data()).unwrap();
    drop(history);
    let path = home.data().join("history.jsonl");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let line = serde_json::json!({ "status": hostile }).to_string();
    writeln!(file, "{line}").unwrap();
    drop(file);
    let out = run(onsdesk(&home, None)
        .args(["history"])
        .env("RUST_LOG", "warn"));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is not a history record"), "{stderr}");
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr}");
    for c in raw {
        assert!(!stderr.contains(c), "{c:?} in {stderr:?}");
        assert!(!text(&out.stdout).contains(c), "{c:?} in stdout");
    }

    let home = Home::new();
    std::fs::write(
        home.data().join("profiles.json"),
        serde_json::json!({
            "version": 1,
            "default": hostile,
            "profiles": [{ "name": hostile, "access_key_id": hostile, "region": hostile }],
        })
        .to_string(),
    )
    .unwrap();
    for args in [
        &["profile", "list"][..],
        &["profile", "list", "--json"],
        &["profile", "remove", hostile],
    ] {
        let out = run(home.cmd().args(args));
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        for c in raw {
            assert!(!stdout.contains(c), "{args:?}: {c:?} in {stdout:?}");
            assert!(!stderr.contains(c), "{args:?}: {c:?} in {stderr:?}");
        }
        if args.contains(&"--json") {
            let v: Value =
                serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
            assert!(v.to_string().contains("pwned"), "{v}");
        }
    }
}

/// clap's refusal quotes the arguments: it goes through the same filter as every message.
#[test]
fn a_refused_argument_is_quoted_escaped() {
    let home = Home::new();
    let out = run(onsdesk(&home, None).args([
        "instances",
        "show",
        "MQ_INST_x\u{202e}\u{200b}\u{9b}\u{1b}[2J",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("is not a valid InstanceId"), "{stderr}");
    assert!(stderr.contains("\\u{202e}"), "{stderr}");
    for c in ['\u{202e}', '\u{200b}', '\u{9b}', '\u{1b}'] {
        assert!(!stderr.contains(c), "{c:?} in {stderr:?}");
    }
}

/// A FIFO named as a file to read is refused at once, not waited on until a writer comes.
#[cfg(unix)]
#[test]
fn a_fifo_named_as_a_file_to_read_is_refused_at_once() {
    let home = Home::new();
    let fifo = home.home().join("keys.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    for args in [
        &["sandbox", "--key-file", fifo][..],
        &["profile", "import-aliyun", "--from", fifo],
    ] {
        let out = run_within(home.cmd().args(args), Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("is not a regular file"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// `--region` is of a region ID's shape for every command, those that only read the local
/// history and the sandbox too: refused when the command line is read, never printed raw.
#[test]
fn every_command_refuses_a_region_that_is_not_a_region_id() {
    let home = Home::new();
    for region in ["cn-\u{1b}[2Jhangzhou", "", &"a".repeat(65)] {
        for command in [
            &["history"][..],
            &["history", "refresh"],
            &["history", "export", "--output", "/dev/null"],
            &["sandbox"],
        ] {
            let out = run(onsdesk(&home, None)
                .args(command)
                .args(["--region", region]));
            let stderr = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} {region:?}: {stderr}"
            );
            assert!(stderr.contains("is not a region ID"), "{stderr}");
            assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
        }
    }
}

/// `profile test` against something that is not the service (a redirect, a proxy's page):
/// exit 4, "no usable answer", not 3 ("the service refused them").
#[test]
fn profile_test_says_no_answer_for_a_reply_that_is_not_the_services() {
    for reply in [
        http("307 Temporary Redirect", "Location: http://127.0.0.1:9/\r\n", ""),
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 14\r\n\r\n<html>hi</html".to_owned(),
    ] {
        let stub = Stub::start(move |_| reply.clone());
        let home = Home::new();
        let out = run(onsdesk(&home, None).args([
            "profile",
            "test",
            "--endpoint",
            &stub.url,
            "--json",
        ]));
        assert_eq!(out.status.code(), Some(4), "{}", text(&out.stdout));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_ne!(v["verdict"], "ok", "{v}");
    }
}
