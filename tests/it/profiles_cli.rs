//! `onsdesk profile …` and `create --profile` as a user runs them, without a real keyring: on
//! Linux the session bus is pointed at a socket that does not exist, so these tests show what
//! happens where there is none (headless Linux, WSL). The Windows Credential Manager and the
//! macOS Keychain cannot be taken away like that: the tests that need no keyring run there
//! too, each home with a keyring service of its own, so none touches the user's entries.
//! The real keyring round trip is in tests/real_keyring.rs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    clippy::too_many_lines,
    reason = "test code: a panic is a failure; a scripted session reads best as one function"
)]

use crate::common;

use common::{Home, SandboxProcess, run, run_with_stdin, text};

const NO_BUS: &str = "unix:path=/nonexistent/onsdesk-test-bus";

fn cmd(home: &Home) -> std::process::Command {
    let mut c = home.cmd();
    c.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
    c
}

#[test]
fn list_without_profiles_says_how_to_add_one() {
    let home = Home::new();
    let out = run(cmd(&home).args(["profile", "list"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No profiles. Add one"));
    let out = run(cmd(&home).args(["profile", "list", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profiles"], serde_json::json!([]));
    assert_eq!(v["environment"], serde_json::Value::Null);
}

#[test]
fn list_shows_environment_as_session_only_and_never_the_secret() {
    let home = Home::new();
    let out = run(cmd(&home)
        .args(["profile", "list"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "TESTenvironment9876")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret-value-42"));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(environment)"), "{stdout}");
    assert!(stdout.contains("TEST****9876"), "{stdout}");
    assert!(stdout.contains("this session only"), "{stdout}");
    assert!(!stdout.contains("env-secret-value-42") && !text(&out.stderr).contains("env-secret"));
}

#[test]
fn secret_is_never_taken_from_argv() {
    let home = Home::new();
    let out = run(cmd(&home).args([
        "profile",
        "add",
        "dev",
        "--access-key-id",
        "LTAIx",
        "--secret",
        "argv-secret",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unexpected argument '--secret'"));
}

#[test]
fn whitespace_around_the_secret_or_id_is_refused_before_anything_is_stored() {
    let home = Home::new();
    let out = run_with_stdin(
        cmd(&home).args(["profile", "add", "dev", "--access-key-id", "LTAIabc"]),
        " pasted-secret-77\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("secret begins with a space"), "{stderr}");
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    assert!(!stderr.contains("pasted-secret-77"), "{stderr}");

    let out = run_with_stdin(
        cmd(&home).args(["profile", "add", "dev", "--access-key-id", "LTAIabc\t"]),
        "s\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ID ends with a tab"),
        "{}",
        text(&out.stderr)
    );
    assert!(!home.data().join("profiles.json").exists());
}

#[test]
fn sts_profile_without_a_token_on_stdin_is_refused() {
    let home = Home::new();
    let out = run_with_stdin(
        cmd(&home).args(["profile", "add", "t", "--access-key-id", "STS.x", "--sts"]),
        "only-the-secret\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no STS security token on stdin"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_keyring_add_says_what_happened_and_what_to_do_and_writes_nothing() {
    let home = Home::new();
    let out = run_with_stdin(
        cmd(&home).args([
            "profile",
            "add",
            "dev",
            "--access-key-id",
            "TESTabcdefgh1234",
        ]),
        "no-keyring-secret-5\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Secret Service keyring is not available"),
        "{stderr}"
    );
    assert!(stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{stderr}");
    assert!(
        stderr.contains("never falls back to a plain-text file"),
        "{stderr}"
    );
    assert!(!stderr.contains("no-keyring-secret-5"));
    assert!(common::files_containing(home.dir.path(), b"no-keyring-secret-5").is_empty());
    assert!(!home.data().join("profiles.json").exists());
}

fn write_profiles_json(home: &Home, default: &str) {
    std::fs::write(
        home.data().join("profiles.json"),
        format!(
            r#"{{"version":1,"default":"{default}","profiles":[{{"name":"{default}","access_key_id":"LTAIlisted0000"}}]}}"#
        ),
    )
    .unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn default_profile_without_a_keyring_is_refused_with_advice() {
    let home = Home::new();
    write_profiles_json(&home, "work");
    let out = run(cmd(&home).args([
        "create",
        "--name",
        "inst-1",
        "--endpoint",
        "http://127.0.0.1:9/",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("not available"), "{stderr}");
    assert!(
        stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{stderr}"
    );
}

#[test]
fn environment_still_works_without_a_keyring_and_beats_the_default_profile() {
    let home = Home::new();
    write_profiles_json(&home, "work");
    let sandbox = SandboxProcess::start(&[]);
    let out = run(cmd(&home)
        .args(["create", "--name", "env-inst", "--endpoint", &sandbox.url])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "sandbox-demo-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sandbox-demo-secret"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("MQ_INST_"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn unknown_profile_is_refused_before_sending() {
    let home = Home::new();
    let sandbox = SandboxProcess::start(&[]);
    let out = run(cmd(&home)
        .args([
            "create",
            "--name",
            "x-inst",
            "--profile",
            "nope",
            "--endpoint",
            &sandbox.url,
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "sandbox-demo-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sandbox-demo-secret"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no profile named \"nope\""),
        "{}",
        text(&out.stderr)
    );
    let out = run(cmd(&home).args(["profile", "test", "nope", "--endpoint", &sandbox.url]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_credentials_at_all_is_refused_with_every_way_out() {
    let home = Home::new();
    let out = run(cmd(&home).args([
        "create",
        "--name",
        "x-inst",
        "--endpoint",
        "http://127.0.0.1:9/",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("onsdesk profile add"), "{stderr}");
    assert!(stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{stderr}");
}

#[test]
fn profile_test_reports_verdicts_from_the_environment() {
    let home = Home::new();
    let sandbox = SandboxProcess::start(&[]);
    let test = |secret: &str| {
        run(cmd(&home)
            .args(["profile", "test", "--json", "--endpoint", &sandbox.url])
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "sandbox-demo-key")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret))
    };
    let out = test("sandbox-demo-secret");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "ok");
    assert_eq!(v["source"], "environment");
    let out = test("not-the-secret");
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "wrong_secret");
    assert!(!text(&out.stdout).contains("not-the-secret"));

    let out = run(cmd(&home)
        .args(["profile", "test", "--endpoint", &sandbox.url])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIunknownkey")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "x"));
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stdout).starts_with("unknown key"),
        "{}",
        text(&out.stdout)
    );

    // nothing listens on a port we just closed
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(cmd(&home)
        .args([
            "profile",
            "test",
            "--endpoint",
            &format!("http://127.0.0.1:{port}/"),
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "sandbox-demo-key")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sandbox-demo-secret"));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).starts_with("no network"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn import_from_a_missing_file_is_refused() {
    let home = Home::new();
    let out = run(cmd(&home).args([
        "profile",
        "import-aliyun",
        "--from",
        "/nonexistent/config.json",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("could not read /nonexistent/config.json"));
}

/// `--from /dev/zero` is refused at once with a message, instead of reading an endless file into
/// memory. A build that reads it fails here rather than filling the machine's memory: the
/// process gets 2 GiB of address space (`ulimit -v`) and 20 s.
#[cfg(unix)]
#[test]
fn import_from_an_endless_device_is_refused_at_once() {
    let home = Home::new();
    let inner = cmd(&home);
    let mut limited = std::process::Command::new("sh");
    limited
        .args(["-c", "ulimit -v 2097152 && exec \"$0\" \"$@\""])
        .arg(inner.get_program())
        .args(["profile", "import-aliyun", "--from", "/dev/zero"]);
    for (key, value) in inner.get_envs() {
        match value {
            Some(value) => limited.env(key, value),
            None => limited.env_remove(key),
        };
    }
    let mut child = limited
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("import-aliyun --from /dev/zero still reading after 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("/dev/zero is not a regular file"),
        "{stderr}"
    );
    assert!(!home.data().join("profiles.json").exists());
}

/// `profile orphans` and `profile prune` need the keyring to list its entries: without one
/// they say so, delete nothing, and leave the profiles file alone.
#[cfg(target_os = "linux")]
#[test]
fn orphans_and_prune_without_a_keyring_say_why_and_change_nothing() {
    let home = Home::new();
    for args in [&["profile", "orphans"][..], &["profile", "prune"]] {
        let out = run(cmd(&home).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("Secret Service keyring is not available"),
            "{stderr}"
        );
        assert!(!home.data().join("profiles.json").exists());
    }
}

/// Another onsdesk process holding the profiles' lock and never letting go (stopped, or
/// waiting on a keyring prompt nobody answers) does not hang `profile add`: after 10 s it says
/// why and changes nothing.
#[test]
fn a_profiles_lock_held_by_a_stuck_process_stops_a_change_after_a_bounded_wait() {
    let home = Home::new();
    let held = onsdesk::files::lock(&home.data().join("profiles.lock")).unwrap();
    let started = std::time::Instant::now();
    let out = run_with_stdin(
        cmd(&home).args(["profile", "add", "dev", "--access-key-id", "LTAIabcdefgh"]),
        "a-secret-of-realistic-length-0123\n",
    );
    assert!(started.elapsed() >= onsdesk::profiles::LOCK_WAIT);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("being changed by another onsdesk process")
            && stderr.contains("still held after 10 s"),
        "{stderr}"
    );
    assert!(!home.data().join("profiles.json").exists());
    drop(held);
}
