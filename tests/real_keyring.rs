//! Against a real Secret Service (Linux). Run inside a private session bus with an unlocked
//! gnome-keyring:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; cargo test --test real_keyring'
//! ```
//!
//! Without a reachable, unlocked keyring each test prints why and passes, unless
//! `ONSDESK_NO_SKIP=1` (CI sets it): then it fails (the rule of `tests/support/skip.rs`).
//!
//! Each test files its entries under a keyring service of its own (`Home::keyring_service`,
//! `onsdesk-test-…`), never under onsdesk's: on Windows and macOS the store is the user's own
//! Credential Manager or Keychain. It deletes them when it ends and checks that none is left.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::disallowed_methods,
    clippy::too_many_lines,
    reason = "test code: a panic is a failure; a scripted session reads best as one function"
)]

#[path = "support/process.rs"]
#[allow(
    dead_code,
    reason = "this binary uses the keyring part of the process helpers"
)]
mod common;
#[path = "support/skip.rs"]
mod skip;

use common::{Home, SandboxProcess, count_files, files_containing, run, run_with_stdin, text};
use onsdesk::credentials::SecretString;
use onsdesk::profiles::{KeyringError, ProfileSecrets, SecretStore};

/// `Some(store)`, the real keyring with `home`'s own service, when it works; `None` (after
/// saying why) when a developer machine has none; a failure where no test may skip (CI).
#[track_caller]
fn real_keyring(home: &Home) -> Option<SecretStore> {
    let reason =
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            "DBUS_SESSION_BUS_ADDRESS is not set (no session bus)".to_owned()
        } else {
            let store = SecretStore::platform_with_service(&home.keyring_service);
            let probe = unique("probe");
            let secrets = ProfileSecrets {
                secret: SecretString::from("probe"),
                security_token: None,
            };
            match store
                .save(&probe, &secrets)
                .and_then(|()| store.delete(&probe))
            {
                Ok(_) => return Some(store),
                Err(e) => format!("the keyring is not usable: {e}"),
            }
        };
    skip::skip(
        "the real keyring test",
        &format!(
            "{reason}; run it inside dbus-run-session with an unlocked gnome-keyring-daemon \
             (check.sh does)"
        ),
    );
    None
}

/// A name no developer's real profile has.
fn unique(what: &str) -> String {
    format!("onsdesk-test-{what}-{}", uuid::Uuid::new_v4().simple())
}

/// Deletes a test's keyring entries however it ends: the names it made, and whatever else its
/// service holds. [`Cleanup::finish`] then checks that none is left.
struct Cleanup(SecretStore, Vec<String>);

impl Cleanup {
    fn finish(self) {
        self.delete_all();
        assert_eq!(
            self.0.accounts().unwrap(),
            Vec::<String>::new(),
            "keyring entries left behind"
        );
    }

    fn delete_all(&self) {
        for name in &self.1 {
            let _ = self.0.delete(name);
        }
        for name in self.0.accounts().unwrap_or_default() {
            let _ = self.0.delete(&name);
        }
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.delete_all();
    }
}

#[test]
fn secret_store_round_trip() {
    let home = Home::new();
    let Some(store) = real_keyring(&home) else {
        return;
    };
    let name = unique("store");
    let cleanup = Cleanup(store.clone(), vec![name.clone()]);
    let first = ProfileSecrets {
        secret: SecretString::from("first-secret"),
        security_token: None,
    };
    store.save(&name, &first).unwrap();
    assert_eq!(store.load(&name).unwrap(), first);
    let second = ProfileSecrets {
        secret: SecretString::from("zweites Geheimnis – 秘密"),
        security_token: Some(SecretString::from("sts-token/+=")),
    };
    store.save(&name, &second).unwrap();
    assert_eq!(store.load(&name).unwrap(), second);
    // a second handle (another process would see the same) reads the same value
    assert_eq!(
        SecretStore::platform_with_service(&home.keyring_service)
            .load(&name)
            .unwrap(),
        second
    );
    assert!(store.delete(&name).unwrap());
    assert!(!store.delete(&name).unwrap());
    assert!(matches!(
        store.load(&name),
        Err(KeyringError::Missing { .. })
    ));
    cleanup.finish();
}

#[test]
fn cli_round_trip_add_create_remove() {
    let home = Home::new();
    let Some(store) = real_keyring(&home) else {
        return;
    };
    let name = unique("cli");
    let cleanup = Cleanup(store.clone(), vec![name.clone()]);
    let id = "TESTroundtrip0001";
    let secret = format!("rt-{}", uuid::Uuid::new_v4().simple());
    // The secret on stdin: never on a command line.
    let sandbox = SandboxProcess::start_with_stdin(&["--key", id], Some(&format!("{secret}\n")));

    let out = run_with_stdin(
        home.cmd()
            .args(["profile", "add", &name, "--access-key-id", id]),
        &format!("{secret}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!(
            "the secret is in the {}",
            onsdesk::profiles::secret_store::platform_store_name()
        )),
        "{}",
        text(&out.stdout)
    );
    // in the keyring under the test's own service, not onsdesk's; not in the file
    assert_eq!(store.load(&name).unwrap().secret.expose(), secret);
    assert!(matches!(
        SecretStore::platform_with_service(onsdesk::profiles::KEYRING_SERVICE).load(&name),
        Err(KeyringError::Missing { .. })
    ));
    let file = std::fs::read_to_string(home.data().join("profiles.json")).unwrap();
    assert!(file.contains(id) && !file.contains(&secret), "{file}");

    let out = run(home.cmd().args([
        "create",
        "--profile",
        &name,
        "--name",
        "round-trip-1",
        "--endpoint",
        &sandbox.url,
    ]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("MQ_INST_"),
        "{}",
        text(&out.stdout)
    );

    let out = run(home
        .cmd()
        .args(["profile", "test", &name, "--endpoint", &sandbox.url]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("OK"));

    let out = run(home.cmd().args(["profile", "remove", &name]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(matches!(
        store.load(&name),
        Err(KeyringError::Missing { .. })
    ));
    let out = run(home.cmd().args([
        "create",
        "--profile",
        &name,
        "--name",
        "round-trip-2",
        "--endpoint",
        &sandbox.url,
    ]));
    assert_eq!(out.status.code(), Some(2));
    cleanup.finish();
}

#[test]
fn entry_deleted_behind_our_back_is_explained() {
    let home = Home::new();
    let Some(store) = real_keyring(&home) else {
        return;
    };
    let name = unique("gone");
    let cleanup = Cleanup(store.clone(), vec![name.clone()]);
    let out = run_with_stdin(
        home.cmd()
            .args(["profile", "add", &name, "--access-key-id", "LTAIgone0001"]),
        "gone-secret\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(store.delete(&name).unwrap());
    let out = run(home.cmd().args([
        "create",
        "--name",
        "gone-1",
        "--endpoint",
        "http://127.0.0.1:9/",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("no secret for profile \"{name}\"")),
        "{stderr}"
    );
    assert!(stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{stderr}");
    cleanup.finish();
}

/// Add a profile, create, fail with a wrong secret, import from an aliyun file, list and test,
/// all with `RUST_LOG=trace`; then no file under the data dir, HOME or the XDG dirs, and no
/// captured output, holds any of the secrets' bytes.
#[test]
fn secret_hygiene_after_a_scripted_session() {
    let home = Home::new();
    let Some(store) = real_keyring(&home) else {
        return;
    };
    let good = unique("hyg-good");
    let wrong = unique("hyg-wrong");
    let imported = unique("hyg-imp");
    let cleanup = Cleanup(store, vec![good.clone(), wrong.clone(), imported.clone()]);
    let id = "TESThygiene000001";
    let secret = format!("hygiene-secret-{}", uuid::Uuid::new_v4().simple());
    let wrong_secret = format!("wrong-secret-{}", uuid::Uuid::new_v4().simple());
    let import_secret = format!("import-secret-{}", uuid::Uuid::new_v4().simple());
    let import_token = format!("import-token-{}", uuid::Uuid::new_v4().simple());
    // The secret on stdin: never on a command line.
    let sandbox = SandboxProcess::start_with_stdin(&["--key", id], Some(&format!("{secret}\n")));
    // The aliyun CLI's own plain-text file sits outside the searched dirs: it is the user's.
    let aliyun_dir = tempfile::tempdir().unwrap();
    let aliyun_file = aliyun_dir.path().join("config.json");
    std::fs::write(
        &aliyun_file,
        format!(
            r#"{{"current":"{imported}","profiles":[{{"name":"{imported}","mode":"StsToken","access_key_id":"STS.hyg","access_key_secret":"{import_secret}","sts_token":"{import_token}","region_id":"cn-beijing"}}]}}"#
        ),
    )
    .unwrap();

    let trace = |c: &mut std::process::Command| {
        c.env("RUST_LOG", "trace");
    };
    let mut outputs = Vec::new();
    let mut step = |args: &[&str], stdin: &str, expect: Option<i32>| {
        let mut c = home.cmd();
        trace(&mut c);
        let out = run_with_stdin(c.args(args), stdin);
        assert_eq!(out.status.code(), expect, "{args:?}: {}", text(&out.stderr));
        outputs.push(out);
    };
    step(
        &["profile", "add", &good, "--access-key-id", id],
        &format!("{secret}\n"),
        Some(0),
    );
    step(
        &["profile", "add", &wrong, "--access-key-id", id],
        &format!("{wrong_secret}\n"),
        Some(0),
    );
    step(
        &[
            "create",
            "--profile",
            &good,
            "--name",
            "hygiene-1",
            "--endpoint",
            &sandbox.url,
        ],
        "",
        Some(0),
    );
    step(
        &[
            "create",
            "--profile",
            &wrong,
            "--name",
            "hygiene-2",
            "--endpoint",
            &sandbox.url,
            "--json",
        ],
        "",
        Some(3),
    );
    step(
        &[
            "profile",
            "import-aliyun",
            "--from",
            aliyun_file.to_str().unwrap(),
        ],
        "",
        Some(0),
    );
    step(&["profile", "list"], "", Some(0));
    step(&["profile", "list", "--json"], "", Some(0));
    step(
        &["profile", "test", &wrong, "--endpoint", &sandbox.url],
        "",
        Some(3),
    );
    step(
        &[
            "profile",
            "test",
            &imported,
            "--json",
            "--endpoint",
            &sandbox.url,
        ],
        "",
        Some(3),
    );

    // the session really logged at trace level, and the import said the file is still there
    let all_err: String = outputs.iter().map(|o| text(&o.stderr)).collect();
    assert!(
        all_err.contains("onsdesk: trace: ") || all_err.contains("onsdesk: debug: "),
        "no trace output captured"
    );
    assert!(
        all_err.contains("still holds this secret in plain text"),
        "{all_err}"
    );
    assert!(count_files(home.dir.path()) >= 1);
    // the search does find what is meant to be on disk: the non-secret AccessKey ID, in the
    // profiles and in the history (the refused create's message quotes the string to sign)
    assert_eq!(
        files_containing(home.dir.path(), id.as_bytes()),
        vec![
            home.data().join("history.jsonl"),
            home.data().join("profiles.json")
        ]
    );

    for needle in [&secret, &wrong_secret, &import_secret, &import_token] {
        let found = files_containing(home.dir.path(), needle.as_bytes());
        assert!(found.is_empty(), "a secret was written to {found:?}");
        for (i, out) in outputs.iter().enumerate() {
            assert!(
                !common::contains(&out.stdout, needle.as_bytes()),
                "stdout of step {i}"
            );
            assert!(
                !common::contains(&out.stderr, needle.as_bytes()),
                "stderr of step {i}"
            );
        }
    }
    // the secrets did land in the keyring
    let store = SecretStore::platform_with_service(&home.keyring_service);
    assert_eq!(
        store
            .load(&imported)
            .unwrap()
            .security_token
            .unwrap()
            .expose(),
        import_token
    );
    cleanup.finish();
}

/// A keyring that is there but locked (gnome-keyring started without `--unlock`, in its own
/// private session bus with a fresh HOME): refused with advice, nothing written.
#[cfg(target_os = "linux")]
#[test]
fn locked_keyring_is_refused_with_advice() {
    let home = Home::new();
    if real_keyring(&home).is_none() {
        return;
    }
    let script = format!(
        "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; \
         printf 'locked-secret-1\\n' | exec '{}' profile add locked --access-key-id LTAIlocked01",
        common::BIN
    );
    let mut cmd = std::process::Command::new("timeout");
    cmd.args(["60", "dbus-run-session", "--", "sh", "-c", &script])
        .env("HOME", home.home())
        .env("ONSDESK_DATA_DIR", home.data())
        .env("XDG_DATA_HOME", home.dir.path().join("xdg-data"))
        .env("XDG_CONFIG_HOME", home.dir.path().join("config"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let out = run(&mut cmd);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("locked or refused access"), "{stderr}");
    assert!(stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{stderr}");
    assert!(!home.data().join("profiles.json").exists());
    assert!(files_containing(home.dir.path(), b"locked-secret-1").is_empty());
}

/// 16 `onsdesk profile add` at once all said "Added" and
/// only 8 were saved, the others' secrets left in the keyring out of `profile remove`'s reach.
/// Now all 16 are saved, and `profile orphans` / `profile prune` find and delete an entry that
/// belongs to no profile while leaving every profile's entry alone.
#[test]
fn sixteen_parallel_adds_are_all_saved_and_orphans_are_found_and_pruned() {
    use std::io::Write as _;
    let home = Home::new();
    let Some(store) = real_keyring(&home) else {
        return;
    };
    let names: Vec<String> = (0..16).map(|i| unique(&format!("par{i}"))).collect();
    let orphan = unique("orphan");
    let mut everything = names.clone();
    everything.push(orphan.clone());
    let cleanup = Cleanup(store.clone(), everything);

    let children: Vec<_> = names
        .iter()
        .map(|name| {
            let mut child = home
                .cmd()
                .args(["profile", "add", name, "--access-key-id", "LTAIparallel01"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (name, child.stdin.take().unwrap(), child)
        })
        .collect();
    // every child is waiting on stdin: release them together
    let children: Vec<_> = children
        .into_iter()
        .map(|(name, mut stdin, child)| {
            stdin
                .write_all(format!("secret-of-{name}\n").as_bytes())
                .unwrap();
            drop(stdin);
            (name, child)
        })
        .collect();
    for (name, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        assert!(text(&out.stdout).starts_with("Added profile"), "{name}");
    }
    let out = run(home.cmd().args(["profile", "list", "--json"]));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut saved: Vec<String> = listed["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    saved.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(saved, expected, "profiles.json lost a parallel add");
    for name in &names {
        assert_eq!(
            store.load(name).unwrap().secret.expose(),
            format!("secret-of-{name}")
        );
    }

    // an entry no profile owns, as a lost add used to leave
    store
        .save(
            &orphan,
            &ProfileSecrets {
                secret: SecretString::from("left-behind"),
                security_token: None,
            },
        )
        .unwrap();
    let out = run(home.cmd().args(["profile", "orphans"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&orphan), "{stdout}");
    assert!(!stdout.contains("left-behind"), "{stdout}");
    for name in &names {
        assert!(
            !stdout.contains(name.as_str()),
            "{name} is a profile: {stdout}"
        );
    }
    // a profile's own entry cannot be pruned
    let out = run(home.cmd().args(["profile", "prune", &names[0]]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nothing was deleted"));
    // by name: only the orphan goes
    let out = run(home.cmd().args(["profile", "prune", &orphan]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&orphan));
    assert!(matches!(
        store.load(&orphan),
        Err(KeyringError::Missing { .. })
    ));
    for name in &names {
        assert!(store.load(name).is_ok(), "{name} was pruned");
    }
    cleanup.finish();
}
