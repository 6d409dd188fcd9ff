//! Profiles in the window, on keyring-core's in-memory store: adding one in the dialog (with
//! pasted whitespace pointed out), testing it, using it for a create against the loopback
//! sandbox, deleting with confirmation, and a keyring that cannot be reached.

use crate::gui_support;

use egui::Key;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::StartCredentials;
use onsdesk::credentials::SecretString;
use onsdesk::profiles::{NewProfile, Profile, secrets};
use onsdesk::sandbox::{Sandbox, SandboxConfig, SandboxKey, demo_credentials};

const KEY_ID: &str = "TESTk5tProfileKey0001";
const SECRET: &str = "profile-secret-Zq81xw";

fn sandbox_with_profile_key(rt: &tokio::runtime::Runtime) -> Sandbox {
    let keys = vec![
        SandboxKey::from(&demo_credentials()),
        SandboxKey {
            access_key_id: KEY_ID.into(),
            secret: SecretString::from(SECRET),
            security_token: None,
        },
    ];
    #[expect(clippy::disallowed_methods, reason = "test set-up on the test thread")]
    rt.block_on(Sandbox::start(SandboxConfig {
        keys,
        ..SandboxConfig::default()
    }))
    .unwrap()
}

#[test]
fn add_a_profile_in_the_dialog_test_it_and_create_with_it() {
    let rt = runtime();
    let sandbox = sandbox_with_profile_key(&rt);
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint(&sandbox.url())
        .profiles(store.clone())
        .start(&rt);
    assert_eq!(selected_profile(&h).as_deref(), Some("none"));

    h.get_by_label("Profiles…").click();
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "No profiles yet.")
    });
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "Profile name", "work");
    type_into(&mut h, "AccessKey ID", KEY_ID);
    // Pasted with a trailing space: pointed out, not stripped, and Save waits.
    type_into(&mut h, "AccessKey Secret", &format!("{SECRET} "));
    assert!(has_label_containing(
        &h,
        "The AccessKey Secret ends with a space (U+0020), probably pasted by accident."
    ));
    assert!(!is_enabled(&h, "Save"));
    // Masked: the secret is not in the accessibility tree.
    assert!(!tree_contains(&h, SECRET));
    h.key_press(Key::Backspace);
    h.run();
    assert!(!has_label_containing(&h, "ends with a space"));
    assert!(is_enabled(&h, "Save"));

    click(&mut h, "Save");
    step_until(&mut h, "the saved notice", |h| {
        has_label(h, "✔ Profile “work” saved; it is the default.")
    });
    // The first profile, with nothing else in use: the window uses it straight away.
    step_until(&mut h, "the selector to show work", |h| {
        selected_profile(h).as_deref() == Some("work")
    });
    let file = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
    assert!(file.contains(KEY_ID) && !file.contains(SECRET), "{file}");
    assert_eq!(store.credentials("work").unwrap().1.secret.expose(), SECRET);

    click(&mut h, "Test profile work");
    step_until(&mut h, "the verdict", |h| {
        has_label_containing(h, "✔ work: OK: the credentials work")
    });

    h.get_by_label("Close").click();
    h.run();
    type_into(&mut h, "Instance name", "orders-prod");
    h.get_by_label("Create").click();
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    let created = sandbox.instances();
    assert_eq!(created.len(), 1);
    assert_eq!(shown_instance_id(&h).unwrap(), created[0].id);
    assert!(!tree_contains(&h, SECRET));

    // What eframe would write to its plain-text RON file: the profile's name, never its secret.
    let mut saved = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut saved);
    let everything: String = saved.0.values().cloned().collect();
    assert!(
        everything.contains("work"),
        "the profile name is remembered: {everything}"
    );
    assert!(
        !everything.contains(SECRET),
        "a secret in eframe's saved state: {everything}"
    );
}

/// eframe's storage, kept in memory so a test can read what would be written.
#[derive(Default)]
struct MemoryStorage(std::collections::BTreeMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn a_wrong_key_in_the_editor_gets_a_verdict_in_words() {
    let rt = runtime();
    let sandbox = sandbox_with_profile_key(&rt);
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint(&sandbox.url())
        .profiles(store)
        .start(&rt);
    h.get_by_label("Profiles…").click();
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "No profiles yet.")
    });
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "AccessKey ID", KEY_ID);
    type_into(&mut h, "AccessKey Secret", "not-the-secret");
    click(&mut h, "Test credentials");
    step_until(&mut h, "the verdict", |h| {
        has_label_containing(h, "✖ The key typed above: Wrong secret")
    });
}

#[test]
fn selecting_rename_default_and_delete_with_confirmation() {
    let rt = runtime();
    let sandbox = sandbox_with_profile_key(&rt);
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    for (name, id) in [("first", "LTAIfirst"), ("second", KEY_ID)] {
        let profile = Profile {
            name: name.into(),
            access_key_id: id.into(),
            sts: false,
            sts_expires: None,
            region: Some("cn-shanghai".into()),
        };
        let secrets = secrets(SECRET.into(), None);
        store.add(&NewProfile { profile, secrets }, false).unwrap();
    }
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint(&sandbox.url())
        .profiles(store.clone())
        .start(&rt);
    // No environment, nothing remembered: the default profile.
    step_until(&mut h, "the default profile", |h| {
        selected_profile(h).as_deref() == Some("first")
    });

    // The selector lists both; picking one switches to it (and to its default region).
    h.get_by_label("Profile").click();
    h.run();
    h.get_by_label("second").click();
    step_until(&mut h, "second in use", |h| {
        selected_profile(h).as_deref() == Some("second")
    });
    assert_eq!(
        combo_value(&h, "Region").as_deref(),
        Some("China (Shanghai)")
    );

    h.get_by_label("Profiles…").click();
    step_until(&mut h, "the list", |h| has_label(h, "(default)"));
    h.get_by_label("Make profile second the default").click();
    step_until(&mut h, "the new default", |h| {
        has_label(h, "✔ “second” is now the default profile.")
    });
    assert_eq!(store.list().unwrap().default.as_deref(), Some("second"));

    // Delete asks first; "Keep it" keeps it.
    h.get_by_label("Delete profile first…").click();
    h.run();
    assert!(has_label(
        &h,
        "Delete profile “first” and its secret in the keyring? This cannot be undone."
    ));
    h.get_by_label("Keep it").click();
    h.run();
    assert_eq!(store.list().unwrap().profiles.len(), 2);
    h.get_by_label("Delete profile first…").click();
    h.run();
    h.get_by_label("Delete").click();
    step_until(&mut h, "the deletion", |h| {
        has_label(h, "✔ Profile “first” and its keyring entry deleted.")
    });
    let left: Vec<String> = store
        .list()
        .unwrap()
        .profiles
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(left, vec!["second".to_owned()]);
    assert!(store.credentials("first").is_err());

    // Rename the one in use: the selector follows.
    click(&mut h, "Rename profile second");
    h.run();
    h.get_by_label("New name").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("New name").type_text("prod");
    h.run();
    h.get_all_by_label("Rename").next().unwrap().click();
    step_until(&mut h, "the rename", |h| {
        has_label(h, "✔ Profile “second” is now “prod”.")
    });
    h.get_by_label("Close").click();
    h.run();
    assert_eq!(selected_profile(&h).as_deref(), Some("prod"));
}

#[test]
fn an_unreachable_keyring_is_said_and_the_environment_keeps_working() {
    let rt = runtime();
    let sandbox = sandbox_with_profile_key(&rt);
    let dir = tempfile::tempdir().unwrap();
    let (store, mock) = memory_profiles(dir.path());
    let profile = Profile {
        name: "work".into(),
        access_key_id: KEY_ID.into(),
        sts: false,
        sts_expires: None,
        region: None,
    };
    store
        .add(
            &NewProfile {
                profile,
                secrets: secrets(SECRET.into(), None),
            },
            true,
        )
        .unwrap();
    // The next keyring read fails as it does without a Secret Service on the session bus.
    let store_dyn: std::sync::Arc<keyring_core::CredentialStore> = mock;
    let entry = keyring_core::Entry::new_in_store(&store_dyn, "onsdesk", "work").unwrap();
    let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::PlatformFailure(
        "org.freedesktop.DBus.Error.ServiceUnknown".into(),
    ));

    // "work" was remembered; the environment has the sandbox's demo key.
    let mut h = TestApp::new(StartCredentials::Given(demo_credentials()))
        .endpoint(&sandbox.url())
        .profiles(store)
        .remembered_profile("work")
        .start(&rt);
    step_until(&mut h, "the keyring notice", |h| {
        has_label(h, "⚠ Profile “work” cannot be used right now.")
    });
    // Said plainly: not the keyring's own message.
    assert!(has_label(
        &h,
        "The Secret Service keyring is not available: no keyring service runs on this computer (as on a headless Linux machine or in WSL)."
    ));
    assert!(!tree_contains(&h, "org.freedesktop"), "{}", dump(&h));
    assert!(has_label(
        &h,
        "Working with the credentials from the environment variables for this session."
    ));
    assert_eq!(selected_profile(&h).as_deref(), Some("from environment"));

    // The window keeps working.
    type_into(&mut h, "Instance name", "still-works");
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    assert_eq!(sandbox.instances().len(), 1);

    click(&mut h, "Dismiss");
    h.step();
    assert!(!has_label(&h, "⚠ Profile “work” cannot be used right now."));
}

/// The dialog, opened on an empty store, with the editor's fields in reach of the keyboard.
fn open_empty_dialog(
    rt: &tokio::runtime::Runtime,
    store: onsdesk::profiles::ProfileStore,
) -> egui_kittest::Harness<'static, onsdesk::app::OnsApp> {
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint("http://127.0.0.1:9/")
        .profiles(store)
        .start(rt);
    h.get_by_label("Profiles…").click();
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "No profiles yet.")
    });
    h
}

/// Where the dialog's title is drawn (the dialog itself has the same name).
fn title_rect(h: &egui_kittest::Harness<'static, onsdesk::app::OnsApp>) -> egui::Rect {
    h.query_all_by_label("Credential profiles")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Label)
        .expect("the dialog's title")
        .rect()
}

#[test]
fn the_dialog_opens_with_focus_on_its_first_control_and_stays_put() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = open_empty_dialog(&rt, store);
    assert!(
        h.get_by_label("+ Add profile").is_focused(),
        "the dialog opens with focus on its first control"
    );
    let title = title_rect(&h);
    // Enter on the focused "+ Add profile" opens the editor, the keyboard in its first field.
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.get_by_label("Profile name").is_focused(),
        "the editor opens with focus in its first field"
    );
    // The dialog grew; its title did not move.
    let moved = title_rect(&h);
    assert!(
        (moved.top() - title.top()).abs() < 0.5,
        "the dialog jumped: {title:?} → {moved:?}"
    );
}

#[test]
fn enter_in_a_field_saves_the_profile_when_it_is_complete() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = open_empty_dialog(&rt, store.clone());
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "Profile name", "work");
    type_into(&mut h, "AccessKey ID", KEY_ID);
    // Not complete (no secret): Enter saves nothing and the keyboard stays in the field.
    h.key_press(Key::Enter);
    h.run();
    assert!(h.get_by_label("AccessKey ID").is_focused());
    assert!(store.list().unwrap().profiles.is_empty());

    type_into(&mut h, "AccessKey Secret", SECRET);
    h.key_press(Key::Enter);
    step_until(&mut h, "the saved notice", |h| {
        has_label(h, "✔ Profile “work” saved; it is the default.")
    });
    assert_eq!(store.credentials("work").unwrap().1.secret.expose(), SECRET);
}

/// In Chinese, what the profile store refuses is said in Chinese: an AccessKey ID with a
/// space inside (the editor only points out whitespace around a value) is refused on Save.
#[test]
fn a_refused_profile_is_explained_in_chinese() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint("http://127.0.0.1:9/")
        .profiles(store)
        .start(&rt);
    click(&mut h, "中文");
    step_until(&mut h, "the window in Chinese", |h| {
        has_label(h, "管理凭证…")
    });
    h.get_by_label("管理凭证…").click();
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "还没有凭证配置。")
    });
    h.get_by_label("+ 添加凭证配置").click();
    h.run();
    type_into(&mut h, "配置名称", "work");
    type_into(&mut h, "AccessKey ID", "TESTk5t Inner Space");
    type_into(&mut h, "AccessKey Secret", SECRET);
    click(&mut h, "保存");
    step_until(&mut h, "the refusal", |h| {
        has_label_containing(h, "AccessKey ID 中含有空白字符")
    });
    assert!(!tree_contains(&h, "contains whitespace"), "{}", dump(&h));
}

#[test]
fn saving_without_a_secret_service_says_so_plainly_and_what_to_do() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, mock) = memory_profiles(dir.path());
    // The keyring write fails as it does without a Secret Service on the session bus.
    let store_dyn: std::sync::Arc<keyring_core::CredentialStore> = mock;
    let entry = keyring_core::Entry::new_in_store(&store_dyn, "onsdesk", "work").unwrap();
    let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::PlatformFailure(
        "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files".into(),
    ));
    let mut h = open_empty_dialog(&rt, store.clone());
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "Profile name", "work");
    type_into(&mut h, "AccessKey ID", KEY_ID);
    type_into(&mut h, "AccessKey Secret", SECRET);
    click(&mut h, "Save");
    step_until(&mut h, "the refusal", |h| {
        has_label_containing(h, "The Secret Service keyring is not available")
    });
    assert!(!tree_contains(&h, "zbus"), "{}", dump(&h));
    assert!(!tree_contains(&h, "org.freedesktop"), "{}", dump(&h));
    // The next step, as the documentation promises: the environment variables.
    assert!(
        tree_contains(
            &h,
            "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        ),
        "{}",
        dump(&h)
    );
    assert!(store.list().unwrap().profiles.is_empty());
}

/// The demo's sandbox knows only its demo key: a real-looking key is "unknown" there, which
/// says nothing about Alibaba Cloud, and the window says where it was tested.
#[test]
fn testing_a_key_in_the_demo_says_it_was_tested_against_the_local_sandbox() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = TestApp::new(StartCredentials::None)
        .demo()
        .profiles(store)
        .start(&rt);
    step_until(&mut h, "the sandbox", |h| {
        has_label_containing(h, "Sandbox — ")
    });
    h.get_by_label("Profiles…").click();
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "No profiles yet.")
    });
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "AccessKey ID", "ExampleOtherKey01");
    type_into(&mut h, "AccessKey Secret", SECRET);
    click(&mut h, "Test credentials");
    step_until(&mut h, "the verdict", |h| {
        has_label_containing(h, "The key typed above: ")
    });
    assert!(
        has_label_containing(&h, "the local sandbox does not know this key"),
        "{}",
        dump(&h)
    );
    assert!(!has_label_containing(&h, "Unknown key"), "{}", dump(&h));

    // The demo key itself: OK, and said to be the sandbox's verdict.
    h.get_by_label("AccessKey ID").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("AccessKey ID").type_text("sandbox-demo-key");
    h.step();
    h.get_by_label("AccessKey Secret").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("AccessKey Secret")
        .type_text("sandbox-demo-secret");
    h.step();
    click(&mut h, "Test credentials");
    step_until(&mut h, "the second verdict", |h| {
        has_label_containing(h, "The key typed above: OK")
    });
    assert!(has_label_containing(
        &h,
        "Tested against the local sandbox, not Alibaba Cloud"
    ));
}

#[test]
fn a_tested_keys_verdict_goes_once_the_key_is_edited() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    // Nothing listens there: the test fails with "No network".
    let mut h = open_empty_dialog(&rt, store);
    h.get_by_label("+ Add profile").click();
    h.run();
    type_into(&mut h, "AccessKey ID", KEY_ID);
    type_into(&mut h, "AccessKey Secret", SECRET);
    click(&mut h, "Test credentials");
    step_until(&mut h, "the verdict", |h| {
        has_label_containing(h, "✖ The key typed above: ")
    });
    // The next key is not the one that failed.
    h.get_by_label("AccessKey ID").focus();
    h.step();
    h.get_by_label("AccessKey ID").type_text("2");
    h.step();
    h.step();
    assert!(
        !has_label_containing(&h, "The key typed above: "),
        "{}",
        dump(&h)
    );
}
