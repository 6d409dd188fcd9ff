//! What onsdesk writes is private to the user, and stays as the user set it.
//! The data folder is created 0700, its files 0600; a user's `chmod` survives every rewrite
//! (history compaction, profiles.json). Unix only: elsewhere the OS's defaults apply.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use onsdesk::history::{FILE_NAME, History, LOCK_NAME};
use onsdesk::profiles::{NewProfile, Profile, ProfileStore, SecretStore};

use crate::common::{count_files, run, text};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn the_first_run_makes_a_private_folder_and_private_files() {
    let root = tempfile::tempdir().unwrap();
    set_mode(root.path(), 0o755);
    let data = root.path().join("share").join("onsdesk");
    let out = run(std::process::Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args(["history", "--include-sandbox", "--json"])
        .env("ONSDESK_DATA_DIR", &data));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&root.path().join("share")), 0o700);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join(FILE_NAME)), 0o600);
    assert_eq!(mode(&data.join(LOCK_NAME)), 0o600);
    // the history and its lock, no temporary file left beside them
    assert_eq!(count_files(&data), 2);
}

#[test]
fn a_users_chmod_survives_history_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = History::open(dir.path()).unwrap();
    let path = dir.path().join(FILE_NAME);
    assert_eq!(mode(&path), 0o600);
    for chosen in [0o640, 0o620] {
        set_mode(&path, chosen);
        h.record_pending(onsdesk::history::NewAttempt {
            name: "kept-mode".into(),
            remark: String::new(),
            region: "cn-hangzhou".into(),
            endpoint: "http://127.0.0.1:9/".into(),
            profile: "work".into(),
        })
        .unwrap();
        h.compact().unwrap();
        assert_eq!(mode(&path), chosen, "compaction changed the mode");
    }
    assert_eq!(History::open(dir.path()).unwrap().0.len(), 2);
}

#[test]
fn profiles_json_is_private_and_a_users_chmod_survives_a_change() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let store = ProfileStore::new(&data, SecretStore::in_memory().unwrap());
    let profile = |name: &str| NewProfile {
        profile: Profile {
            name: name.into(),
            access_key_id: "LTAImodes".into(),
            sts: false,
            sts_expires: None,
            region: None,
        },
        secrets: onsdesk::profiles::secrets("s".into(), None),
    };
    store.add(&profile("one"), false).unwrap();
    let path = store.config_path().to_owned();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&data.join("profiles.lock")), 0o600);
    set_mode(&path, 0o640);
    store.add(&profile("two"), false).unwrap();
    store.set_default(Some("two")).unwrap();
    assert_eq!(mode(&path), 0o640, "a change undid the user's chmod");
    assert_eq!(store.list().unwrap().profiles.len(), 2);
}

#[test]
fn a_cli_export_is_private_and_an_overwritten_one_keeps_its_mode() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let export = |out: &Path| {
        run(std::process::Command::new(env!("CARGO_BIN_EXE_onsdesk"))
            .args(["history", "export", "--format", "csv", "--output"])
            .arg(out)
            .env("ONSDESK_DATA_DIR", &data))
    };
    let fresh = root.path().join("fresh.csv");
    let out = export(&fresh);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&fresh), 0o600, "a new export must be private");

    let shared = root.path().join("shared.csv");
    std::fs::write(&shared, "old").unwrap();
    set_mode(&shared, 0o644);
    let out = export(&shared);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&shared), 0o644, "the user's chosen mode is kept");
    assert_ne!(std::fs::read_to_string(&shared).unwrap(), "old");
}
