//! `onsdesk create` as a process: exit codes, stdout shapes, and that a refusal sends nothing.

use std::process::{Command, Output};

use onsdesk::sandbox::{self, Sandbox, SandboxConfig};

fn onsdesk(args: &[&str], env: &[(&str, &str)]) -> Output {
    // a data folder of its own for every run: a folder shared by parallel tests (or by another
    // checkout's onsdesk, with another history format) would make the runs depend on each other
    let data = tempfile::tempdir().expect("a temporary data folder");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onsdesk"));
    cmd.args(args)
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("onsdesk runs")
}

const DEMO: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        sandbox::DEMO_ACCESS_KEY_SECRET,
    ),
];

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_prints_the_instance_id_alone_or_one_json_object() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = sb.url();
    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "测试实例-cli",
            "--remark",
            "支付 订单",
        ],
        DEMO,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id = sb.instances()[0].id.clone();
    assert_eq!(stdout(&out), format!("{id}\n"));

    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &url,
            "--region",
            "cn-beijing",
            "--name",
            "json-one",
            "--json",
        ],
        DEMO,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("one JSON object");
    assert_eq!(v["InstanceId"], sb.instances()[1].id.as_str());
    assert_eq!(v["InstanceType"], 1);
    assert_eq!(v["InstanceName"], "json-one");
    assert_eq!(v["Remark"], "");
    assert_eq!(v["Region"], "cn-beijing");
    assert_eq!(v["Endpoint"], url.as_str());
    assert_eq!(v["Outcome"], "created");
    assert!(v["RequestId"].as_str().is_some_and(|r| r.len() == 36));
    assert_eq!(sb.instances()[1].region, "cn-beijing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_exit_2_and_send_nothing() {
    type Case<'a> = (Vec<&'a str>, &'a [(&'a str, &'a str)], &'a str);
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = sb.url();
    let cases: Vec<Case> = vec![
        (
            vec!["create", "--endpoint", &url, "--name", "ab"],
            DEMO,
            "at least 3",
        ),
        // with --json too: nothing on stdout, the exit code says it
        (
            vec!["create", "--endpoint", &url, "--name", "ab", "--json"],
            DEMO,
            "at least 3",
        ),
        (
            vec!["create", "--endpoint", &url, "--name", "订单，测试"],
            DEMO,
            "full-width",
        ),
        (
            vec!["create", "--endpoint", &url, "--name", "my instance"],
            DEMO,
            "space",
        ),
        (
            vec!["create", "--endpoint", &url, "--name", "valid-name"],
            &[],
            "no credentials",
        ),
        (
            vec!["create", "--endpoint", &url, "--name", "valid-name"],
            &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "x")],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
        (
            vec![
                "create",
                "--endpoint",
                "http://ons.cn-hangzhou.aliyuncs.com",
                "--name",
                "valid-name",
            ],
            DEMO,
            "plain http",
        ),
        (
            vec![
                "create",
                "--endpoint",
                &url,
                "--name",
                "valid-name",
                "--timeout",
                "0",
            ],
            DEMO,
            "--timeout",
        ),
        (vec!["create", "--endpoint", &url], DEMO, "--name"),
        (
            vec![
                "create",
                "--endpoint",
                &url,
                "--name",
                "valid-name",
                "--bogus",
            ],
            DEMO,
            "--bogus",
        ),
    ];
    for (args, env, expected) in cases {
        let out = onsdesk(&args, env);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "{args:?}");
        // clap's usage errors included: every line is onsdesk's
        assert!(
            stderr(&out).lines().all(|l| l.starts_with("onsdesk: ")),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(sb.requests_seen(), 0, "a refused create must send nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_errors_exit_3_with_code_and_message() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let url = sb.url();
    assert_eq!(
        onsdesk(&["create", "--endpoint", &url, "--name", "dup"], DEMO)
            .status
            .code(),
        Some(0)
    );
    let out = onsdesk(&["create", "--endpoint", &url, "--name", "dup"], DEMO);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("BIZ_INSTANCE_NAME_DUPLICATED"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");

    let wrong = &[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong-secret"),
    ];
    let out = onsdesk(
        &["create", "--endpoint", &url, "--name", "other", "--json"],
        wrong,
    );
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["error"]["Code"], "SignatureDoesNotMatch");
    assert!(
        v["error"]["Message"]
            .as_str()
            .unwrap()
            .contains("server string to sign is:")
    );
    assert!(v["error"]["RequestId"].is_string());
    assert_eq!(v["Outcome"], "not_created");
    assert!(!stdout(&out).contains("wrong-secret") && !stderr(&out).contains("wrong-secret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_listening_exits_4_not_created_after_plain_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--name",
            "nobody-home",
            "--json",
        ],
        DEMO,
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("not sent"), "{}", stderr(&out));
    assert!(stderr(&out).contains("sending again"), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["Outcome"], "not_created");
    assert_eq!(v["Attempts"], 3);
}

#[test]
fn the_sandbox_command_prints_its_url_and_demo_key() {
    use std::io::{BufRead as _, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args(["sandbox", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("onsdesk sandbox listening on ")
        .expect(&first)
        .to_owned();
    let _ = lines.next();
    let hint = lines.next().unwrap().unwrap();
    assert!(hint.contains(sandbox::DEMO_ACCESS_KEY_ID), "{hint}");
    let out = onsdesk(
        &["create", "--endpoint", &url, "--name", "from-cli-sandbox"],
        DEMO,
    );
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("MQ_INST_"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logging_shows_the_request_but_never_the_secret_or_token() {
    let secret = "zq-very-secret-value-7781";
    let token = "zq-sts-token-value-5512";
    let creds = onsdesk::credentials::Credentials::new(
        "STS.logtest",
        onsdesk::credentials::SecretString::from(secret),
    )
    .with_security_token(onsdesk::credentials::SecretString::from(token));
    let sb = Sandbox::start(SandboxConfig {
        keys: vec![onsdesk::sandbox::SandboxKey::from(&creds)],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let env = &[
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.logtest"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", token),
        ("RUST_LOG", "trace"),
    ];
    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &sb.url(),
            "--name",
            "logged-create",
            "--json",
        ],
        env,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("OnsInstanceCreate"),
        "the debug log shows the request: {all}"
    );
    assert!(!all.contains(secret), "secret leaked");
    assert!(!all.contains(token), "STS token leaked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_v3_from_the_cli() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &sb.url(),
            "--name",
            "cli-v3",
            "--signature",
            "v3",
        ],
        DEMO,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), sb.instances()[0].id);
    let out = onsdesk(
        &[
            "create",
            "--endpoint",
            &sb.url(),
            "--name",
            "cli-v9",
            "--signature",
            "v9",
        ],
        DEMO,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(sb.requests_seen(), 1);
}

/// `--help` names every exit code docs/cli.md documents (1: the window could not open), and
/// `history --help` says that without `--region` it shows every region.
#[test]
fn help_names_every_exit_code_and_the_history_region_filter() {
    let top = stdout(&onsdesk(&["--help"], &[]));
    for code in [
        "0 success",
        "1 the window could not open",
        "2 refused",
        "3 the service",
        "4 transport",
        "70 internal",
    ] {
        assert!(top.contains(code), "{code:?} in {top}");
    }
    let history = stdout(&onsdesk(&["history", "--help"], &[]));
    assert!(
        history.contains("`history` without it shows every region"),
        "{history}"
    );
}
