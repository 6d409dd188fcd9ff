//! `onsdesk create` as a process against each of the sandbox's fault switches: in
//! every case exactly one instance with the name exists afterwards (or none when the outcome
//! says not created), the history entry holds its ID, and the outcome reported is the true one.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig};
use serde_json::Value;

fn onsdesk(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args(args)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        )
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data)
        .output()
        .unwrap()
}

struct Run {
    code: Option<i32>,
    json: Value,
    stderr: String,
    ids_in_sandbox: Vec<String>,
    history: Vec<Value>,
}

async fn create_with(faults: Faults, name: &str, extra: &[&str]) -> Run {
    let sb = Sandbox::start(SandboxConfig {
        faults,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let mut args = vec![
        "create",
        "--endpoint",
        url.as_str(),
        "--name",
        name,
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = onsdesk(data.path(), &args);
    let history_out = onsdesk(data.path(), &["history", "--include-sandbox", "--json"]);
    Run {
        code: out.status.code(),
        json: serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        ids_in_sandbox: sb
            .instances()
            .into_iter()
            .filter(|i| i.name == name)
            .map(|i| i.id)
            .collect(),
        history: serde_json::from_slice(&history_out.stdout).unwrap(),
    }
}

fn assert_one_instance_recorded(run: &Run, outcome: &str) {
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.ids_in_sandbox.len(),
        1,
        "exactly one instance: {}",
        run.stderr
    );
    assert_eq!(run.json["Outcome"], outcome, "{}", run.stderr);
    assert_eq!(run.json["InstanceId"], run.ids_in_sandbox[0].as_str());
    assert_eq!(run.history.len(), 1);
    assert_eq!(run.history[0]["InstanceId"], run.ids_in_sandbox[0].as_str());
    assert_eq!(run.history[0]["Outcome"], outcome);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_dropped_after_creating_is_adopted() {
    let run = create_with(
        Faults {
            drop_create_replies: 1,
            ..Faults::default()
        },
        "fault-dropped",
        &[],
    )
    .await;
    assert_one_instance_recorded(&run, "adopted");
    assert!(run.stderr.contains("adopted"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_later_than_the_timeout_is_adopted() {
    let faults = Faults {
        create_delay: Duration::from_millis(2500),
        delay_creates: 1,
        ..Faults::default()
    };
    let run = create_with(faults, "fault-delayed", &["--timeout", "1"]).await;
    assert_one_instance_recorded(&run, "adopted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unavailable_for_the_first_requests_then_created_once() {
    let run = create_with(
        Faults {
            unavailable_first: 2,
            ..Faults::default()
        },
        "fault-503",
        &[],
    )
    .await;
    assert_one_instance_recorded(&run, "created");
    assert!(
        run.stderr
            .contains("that attempt has not created it, so far"),
        "the 503 was reconciled first: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_then_created_once() {
    let run = create_with(
        Faults {
            throttle_every: 1,
            ..Faults::default()
        },
        "fault-throttled",
        &[],
    )
    .await;
    // Every request is throttled: the create gives up, and nothing exists.
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(run.json["Outcome"], "not_created");
    assert!(run.ids_in_sandbox.is_empty());
    assert_eq!(run.history[0]["Outcome"], "not_created");
    assert_eq!(run.history[0]["Code"], "Throttling.User");
    assert!(
        run.stderr.contains("throttled by the service; waiting"),
        "{}",
        run.stderr
    );

    let run = create_with(
        Faults {
            throttle_every: 2,
            ..Faults::default()
        },
        "fault-throttled-2",
        &[],
    )
    .await;
    assert_one_instance_recorded(&run, "created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_clock_hours_ahead_is_corrected_and_reported() {
    let run = create_with(
        Faults {
            clock_offset_secs: 5 * 3600,
            ..Faults::default()
        },
        "fault-clock",
        &[],
    )
    .await;
    assert_one_instance_recorded(&run, "created");
    assert!(run.stderr.contains("clock is 5 h behind"), "{}", run.stderr);
    let offset = run.json["ClockOffsetSeconds"].as_i64().unwrap();
    assert!((5 * 3600 - 2..=5 * 3600 + 2).contains(&offset), "{offset}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signature_doctor_names_a_wrong_secret() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args(["create", "--endpoint", &sb.url(), "--name", "doctor-case"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            format!("{} ", sandbox::DEMO_ACCESS_KEY_SECRET),
        )
        .env("ONSDESK_DATA_DIR", data.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("signature doctor: The request arrived exactly as signed"),
        "{err}"
    );
    assert!(err.contains("whitespace"), "{err}");
}

#[test]
fn dry_run_shows_the_signed_request_and_sends_nothing() {
    let data = tempfile::tempdir().unwrap();
    // Port 9 on loopback: nothing is listening, and nothing is sent anyway.
    let out = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args([
            "create",
            "--endpoint",
            "http://127.0.0.1:9",
            "--name",
            "dry-订单",
            "--remark",
            "it's",
            "--dry-run",
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.dry")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dry-secret-value")
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", "dry-token-value")
        .env("ONSDESK_DATA_DIR", data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The output says what it is, where it is printed. With an STS token (redacted)
    // it cannot be replayed as printed; without one it can, for 15 minutes.
    assert!(
        text.starts_with("# Signed request with its STS token redacted"),
        "{text}"
    );
    assert!(text.contains("\nPOST http://127.0.0.1:9/"), "{text}");
    assert!(
        text.contains("InstanceName = dry-订单") && text.contains("Signature = "),
        "{text}"
    );
    assert!(text.contains("SecurityToken = <redacted>"), "{text}");
    assert!(text.contains("aliyun ons OnsInstanceCreate --region cn-hangzhou --InstanceName dry-订单 --Remark 'it'\\''s'"), "{text}");
    assert!(!text.contains("dry-secret-value") && !text.contains("dry-token-value"));
    assert!(text.contains("nothing was sent"));

    let out = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args([
            "create",
            "--endpoint",
            "http://127.0.0.1:9",
            "--name",
            "dry-plain",
            "--dry-run",
            "--json",
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIdry")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "dry-secret-value")
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data.path())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = v["Warning"].as_str().unwrap();
    assert!(
        warning.contains("complete signed request") && warning.contains("15 minutes"),
        "{warning}"
    );
}

/// A create left unknown (its reply and every look lost) whose name the region lists only as
/// a colleague's instance made a month ago: a refresh cannot tell whether the create did
/// anything, leaves it as it was, and says so and why (in `--json` too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_says_why_it_leaves_a_create_whose_name_is_someone_elses() {
    let sb = Sandbox::start(SandboxConfig {
        // the create and its three looks
        faults: Faults {
            unavailable_first: 4,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    sb.seed_instance(&sandbox::SeedInstance::new("colleague-prod", "cn-hangzhou"));
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let args = ["create", "--endpoint", &url, "--name", "colleague-prod"];
    let out = onsdesk(data.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let refresh = onsdesk(data.path(), &["history", "refresh"]);
    let said = String::from_utf8_lossy(&refresh.stderr).into_owned();
    assert!(refresh.status.success(), "{said}");
    assert!(
        said.contains(
            "onsdesk: left as it was: the instance create colleague-prod: what is listed under \
             its name is someone else's (of another type, or made before it was sent)"
        ),
        "{said}"
    );
    let refresh = onsdesk(data.path(), &["history", "refresh", "--json"]);
    let v: Value = serde_json::from_slice(&refresh.stdout).unwrap();
    assert_eq!(v["Left"][0]["Reason"], "someone_elses", "{v}");
    assert_eq!(v["Left"][0]["InstanceName"], "colleague-prod", "{v}");
    let history = onsdesk(data.path(), &["history", "--include-sandbox", "--json"]);
    let history: Vec<Value> = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(history[0]["Outcome"], "unknown", "left as it was");
}

/// A colleague's instance of the same name, made a month ago, is not this create's doing: a
/// 503 that created nothing is settled by a look that passes it by and finds the name taken,
/// so the create is not sent again (it could only be refused). Nothing is adopted, recorded or
/// reported as made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_create_never_adopts_an_older_instance_of_the_name() {
    let sb = Sandbox::start(SandboxConfig {
        faults: Faults {
            unavailable_first: 1,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let theirs = sb.seed_instance(&sandbox::SeedInstance::new("colleague-prod", "cn-hangzhou"));
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let args = [
        "create",
        "--endpoint",
        &url,
        "--name",
        "colleague-prod",
        "--json",
    ];
    let out = onsdesk(data.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(json["Outcome"], "not_created", "{stderr}");
    assert_eq!(json["Attempts"], 1, "{stderr}");
    assert_eq!(json["error"]["Code"], "NameTaken", "{stderr}");
    assert!(!stderr.contains("adopted"), "{stderr}");
    assert!(
        stderr.contains(
            "onsdesk: cn-hangzhou has an instance named \"colleague-prod\", made before this \
             create: the name is taken, so nothing was created and nothing more was sent"
        ),
        "{stderr}"
    );
    // the 503 is answered before an action is counted: no create reached the service
    assert_eq!(sb.action_count("OnsInstanceCreate"), 0);
    let ids: Vec<String> = sb.instances().into_iter().map(|i| i.id).collect();
    assert_eq!(ids, std::slice::from_ref(&theirs));
    // The history holds the attempt, not someone else's instance; a refresh adopts nothing.
    let refresh = onsdesk(data.path(), &["history", "refresh"]);
    assert!(
        refresh.status.success(),
        "{}",
        String::from_utf8_lossy(&refresh.stderr)
    );
    let history = onsdesk(data.path(), &["history", "--include-sandbox", "--json"]);
    let history: Vec<Value> = serde_json::from_slice(&history.stdout).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["Outcome"], "not_created", "{history:?}");
    // why, in the history's words: not the lost reply's 503
    let why = history[0]["Message"].as_str().unwrap_or_default();
    assert!(why.contains("held by someone else's"), "{history:?}");
    assert_ne!(history[0]["InstanceId"], theirs.as_str());
}
