//! The aliyun CLI's and Terraform's environment variables, as `onsdesk create` reads them:
//! which set of keys, which profile and which region win (the table in
//! `onsdesk::credentials::ENV_KEY_SETS` and `onsdesk::region::ENV_REGION_VARS`).

use crate::common::{Home, SandboxProcess, run, text};

use onsdesk::sandbox::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

/// `onsdesk create --json` against the sandbox with these variables; the parsed reply.
fn create(
    home: &Home,
    url: &str,
    name: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> serde_json::Value {
    let mut cmd = home.cmd();
    cmd.args([
        "create",
        "--endpoint",
        url,
        "--name",
        name,
        "--json",
        "--no-history",
    ])
    .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

const TERRAFORM: &[(&str, &str)] = &[
    ("ALICLOUD_ACCESS_KEY", DEMO_ACCESS_KEY_ID),
    ("ALICLOUD_SECRET_KEY", DEMO_ACCESS_KEY_SECRET),
    ("ALICLOUD_REGION", "cn-beijing"),
];

#[test]
fn terraform_variables_alone_are_enough() {
    let sandbox = SandboxProcess::start(&[]);
    let home = Home::new();
    let v = create(&home, &sandbox.url, "env-terraform", &[], TERRAFORM);
    assert_eq!(v["Outcome"], "created");
    assert_eq!(v["Region"], "cn-beijing");
}

#[test]
fn flag_beats_aliyun_variables_beat_terraform_variables() {
    let sandbox = SandboxProcess::start(&[]);
    let home = Home::new();
    let mut env = TERRAFORM.to_vec();
    env.push(("ALICLOUD_REGION_ID", "cn-qingdao"));
    let v = create(&home, &sandbox.url, "env-order-1", &[], &env);
    assert_eq!(v["Region"], "cn-qingdao");
    env.push(("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"));
    let v = create(&home, &sandbox.url, "env-order-2", &[], &env);
    assert_eq!(v["Region"], "cn-shanghai");
    let v = create(
        &home,
        &sandbox.url,
        "env-order-3",
        &["--region", "cn-shenzhen"],
        &env,
    );
    assert_eq!(v["Region"], "cn-shenzhen");
}

#[test]
fn onsdesk_keys_beat_terraform_keys_and_sets_never_mix() {
    let sandbox = SandboxProcess::start(&[]);
    let home = Home::new();
    // Terraform's pair is wrong: the call only succeeds if the ALIBABA_CLOUD_* pair is used
    let env = [
        ("ALICLOUD_ACCESS_KEY", "TESTterraformWrongKey"),
        ("ALICLOUD_SECRET_KEY", "wrong-secret"),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET),
    ];
    let v = create(&home, &sandbox.url, "env-keys", &[], &env);
    assert_eq!(v["Outcome"], "created");
    // half of onsdesk's pair is refused by name, not completed from Terraform's
    let out = run(home
        .cmd()
        .args(["create", "--endpoint", &sandbox.url, "--name", "env-half"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALICLOUD_ACCESS_KEY", DEMO_ACCESS_KEY_ID)
        .env("ALICLOUD_SECRET_KEY", DEMO_ACCESS_KEY_SECRET));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_profile_variable_beats_the_key_variables_and_says_so_when_it_fails() {
    let sandbox = SandboxProcess::start(&[]);
    let home = Home::new();
    let out = run(home
        .cmd()
        .args([
            "create",
            "--endpoint",
            &sandbox.url,
            "--name",
            "env-profile",
        ])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/onsdesk-test-bus",
        )
        .env("ALIBABA_CLOUD_PROFILE", "nosuch")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("\"nosuch\""), "{stderr}");
    assert!(
        stderr.contains("ALIBABA_CLOUD_PROFILE names the profile"),
        "{stderr}"
    );
    // --profile is stronger still: the variable is not even looked at
    let out = run(home
        .cmd()
        .args([
            "create",
            "--endpoint",
            &sandbox.url,
            "--name",
            "env-profile",
            "--profile",
            "other",
        ])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/onsdesk-test-bus",
        )
        .env("ALIBABA_CLOUD_PROFILE", "nosuch"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("\"other\"") && !stderr.contains("nosuch"),
        "{stderr}"
    );
}

#[test]
fn a_bad_region_variable_is_named_in_the_refusal() {
    let home = Home::new();
    let out = run(home
        .cmd()
        .args(["create", "--name", "env-bad-region", "--dry-run"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET)
        .env("ALICLOUD_REGION", "cn hangzhou"));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ALICLOUD_REGION"), "{stderr}");
}
