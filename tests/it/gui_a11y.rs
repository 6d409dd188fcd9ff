//! The window as a screen reader gets it: through the accessibility tree (what AccessKit
//! hands to AT-SPI, UI Automation or NSAccessibility), not through pixels. A blind user must
//! be able to type a name, create, hear the outcome and copy the Instance ID.

use crate::gui_support;

use std::collections::HashMap;

use egui::Key;
use egui::accesskit::{Live, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::{HistoryLocation, OnsApp, StartCredentials};
use onsdesk::profiles::{NewProfile, Profile, secrets};

/// Every node in reading order (depth first, children in the order AT sees them), with the
/// name AT would read: the label, or a label's text.
fn reading_order(h: &Harness<'static, OnsApp>) -> Vec<(Role, String, String)> {
    let mut out = Vec::new();
    let root = h.root();
    let mut stack = vec![root.accesskit_node()];
    while let Some(node) = stack.pop() {
        out.push((
            node.role(),
            node.label().unwrap_or_default(),
            node.value().unwrap_or_default(),
        ));
        let children: Vec<_> = node.children().collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// The window after a create: its runtime, its history folder, the harness.
type Created = (
    tokio::runtime::Runtime,
    tempfile::TempDir,
    Harness<'static, OnsApp>,
);

/// Creates `orders-prod` in the demo sandbox (with a history, so its row is in the view too)
/// and waits for the card with its endpoints.
fn created_in_the_sandbox() -> Created {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = TestApp::new(StartCredentials::None)
        .demo()
        .history(HistoryLocation::Dir(dir.path().to_owned()))
        .start(&rt);
    step_until(&mut h, "the sandbox banner", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });
    h.get_by_label("Instance name").type_text("orders-prod");
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    step_until(&mut h, "the endpoints", |h| has_label(h, "TCP"));
    step_until(&mut h, "the history row", |h| {
        has_label_containing(h, "Copy instance ID MQ_INST_")
    });
    (rt, dir, h)
}

/// The names of every control a screen reader can activate, in tree order.
fn control_names(h: &Harness<'static, OnsApp>) -> Vec<String> {
    reading_order(h)
        .into_iter()
        .filter(|(role, _, _)| matches!(role, Role::Button | Role::Link | Role::ComboBox))
        .map(|(_, label, value)| if label.is_empty() { value } else { label })
        .collect()
}

/// No two controls in the view share a name, and none is nameless.
#[track_caller]
fn assert_each_control_has_its_own_name(h: &Harness<'static, OnsApp>) {
    let names = control_names(h);
    let mut seen = HashMap::<&str, usize>::new();
    for n in &names {
        *seen.entry(n.as_str()).or_default() += 1;
    }
    let shared: Vec<_> = seen.iter().filter(|(_, c)| **c > 1).collect();
    assert!(
        shared.is_empty(),
        "controls share a name: {shared:?}; all: {names:?}"
    );
    assert!(
        !names.iter().any(String::is_empty),
        "a nameless control: {names:?}"
    );
}

#[test]
fn after_a_create_every_control_has_its_own_name_and_the_copies_say_what_they_copy() {
    let (_rt, _dir, mut h) = created_in_the_sandbox();
    assert_each_control_has_its_own_name(&h);
    // Each Copy on the card names what it copies (the visible text stays "Copy").
    let names = control_names(&h);
    for wanted in [
        "Copy instance ID",
        "Copy request ID",
        "Copy TCP endpoint",
        "Copy Terraform",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "no control named {wanted:?}: {names:?}"
        );
    }
    // Activating "Copy instance ID" by its name copies the Instance ID.
    let id = shown_instance_id(&h).unwrap();
    click(&mut h, "Copy instance ID");
    assert_eq!(copied_texts(&h), vec![id]);
    // …and a screen reader hears that it did.
    h.step();
    assert!(
        h.query_all(
            egui_kittest::kittest::by()
                .include_labels()
                .predicate(|n| n.live() != Live::Off && n.label().as_deref() == Some("Copied")),
        )
        .next()
        .is_some(),
        "{}",
        dump(&h)
    );

    // The history row's detail, open under the row, has a Copy of its own. (The card also
    // shows the name as sent, as a label: the row is the button of that name.)
    h.query_all_by_label("orders-prod")
        .find(|n| n.accesskit_node().role() == Role::Button)
        .expect("the history row's button")
        .click_accesskit();
    h.step();
    h.step();
    assert!(has_label(&h, "Remove from history"), "{}", dump(&h));
    assert_each_control_has_its_own_name(&h);

    // The same names in Chinese.
    click(&mut h, "中文");
    h.step();
    let names = control_names(&h);
    for wanted in [
        "复制实例 ID",
        "复制请求 ID",
        "复制 TCP 接入点",
        "复制 Terraform 配置",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "no control named {wanted:?}: {names:?}"
        );
    }
}

#[test]
fn the_window_and_the_dialogs_have_names() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).demo().start(&rt);
    step_until(&mut h, "the sandbox", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });
    let root = h.root();
    assert_eq!(root.accesskit_node().role(), Role::Window);
    assert_eq!(root.accesskit_node().label().as_deref(), Some("onsdesk"));

    // "Show request" opens a dialog named by its title.
    type_into(&mut h, "Instance name", "orders-prod");
    click(&mut h, "Show request");
    h.step();
    let dialogs: Vec<_> = reading_order(&h)
        .into_iter()
        .filter(|(role, _, _)| *role == Role::Dialog)
        .map(|(_, label, _)| label)
        .collect();
    assert_eq!(
        dialogs,
        vec!["The signed request".to_owned()],
        "{}",
        dump(&h)
    );
}

#[test]
fn the_profiles_dialog_names_each_rows_buttons_by_its_profile() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    for name in ["first", "second"] {
        let profile = Profile {
            name: name.into(),
            access_key_id: format!("LTAI{name}"),
            sts: false,
            sts_expires: None,
            region: None,
        };
        let secrets = secrets("secret-of-the-profile".into(), None);
        store.add(&NewProfile { profile, secrets }, false).unwrap();
    }
    let mut h = TestApp::new(StartCredentials::None)
        .profiles(store)
        .start(&rt);
    click(&mut h, "Profiles…");
    step_until(&mut h, "the list", |h| has_label(h, "second"));
    // The dialog and the window behind it: every control has its own name.
    assert_each_control_has_its_own_name(&h);
    for wanted in [
        "Use profile first",
        "Edit profile second",
        "Delete profile second…",
    ] {
        assert!(has_label(&h, wanted), "{}", dump(&h));
    }
}

#[test]
fn each_selector_reports_its_value() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).demo().start(&rt);
    step_until(&mut h, "the sandbox", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });
    // The value, and the same as the description: AccessKit's AT-SPI adapter passes a
    // combo box's text value on to nobody, but Orca reads the description after the name.
    let combos: Vec<_> = h
        .query_all(
            egui_kittest::kittest::by()
                .include_labels()
                .predicate(|n| n.role() == Role::ComboBox),
        )
        .map(|n| {
            let n = n.accesskit_node();
            (
                n.label().unwrap_or_default(),
                n.value().unwrap_or_default(),
                n.description().unwrap_or_default(),
            )
        })
        .collect();
    let said = |name: &str, value: &str| (name.to_owned(), value.to_owned(), value.to_owned());
    assert_eq!(
        combos,
        vec![
            // the region's value is the console's name; its description adds the ID
            (
                "Region".to_owned(),
                "China (Hangzhou)".to_owned(),
                "China (Hangzhou) · cn-hangzhou".to_owned()
            ),
            said("Profile", "sandbox"),
            said("Theme", "Follow system"),
        ]
    );
}

#[test]
fn the_outcome_of_a_create_is_announced() {
    let (_rt, _dir, h) = created_in_the_sandbox();
    let live: Vec<_> = h
        .query_all(
            egui_kittest::kittest::by()
                .include_labels()
                .predicate(|n| n.live() != Live::Off),
        )
        .map(|n| {
            let n = n.accesskit_node();
            (
                n.label().or_else(|| n.value()).unwrap_or_default(),
                n.live(),
            )
        })
        .collect();
    assert!(
        live.iter()
            .any(|(text, _)| text.contains("Created · Standard")
                && text.contains(&shown_instance_id(&h).unwrap())),
        "no live region says the outcome: {live:?}"
    );
}

#[test]
fn the_form_is_read_before_the_result_and_the_result_before_the_history() {
    let (_rt, _dir, h) = created_in_the_sandbox();
    let order = reading_order(&h);
    let position = |what: &str| {
        order
            .iter()
            .position(|(_, l, v)| l == what || v == what)
            .unwrap_or_else(|| panic!("{what:?} not in the tree"))
    };
    let name_field = order
        .iter()
        .position(|(role, l, _)| *role == Role::TextInput && l == "Instance name")
        .unwrap();
    let result = position("Result");
    let history = position("History");
    assert!(
        name_field < result,
        "the result ({result}) is read before the name field ({name_field})"
    );
    assert!(
        result < history,
        "the history ({history}) is read before the result ({result})"
    );
    // The top bar's right end is read from the left, as seen: English, 中文, Theme.
    let english = position("English");
    let theme = order
        .iter()
        .position(|(role, l, _)| *role == Role::ComboBox && l == "Theme")
        .unwrap();
    assert!(
        position("Region") < english && english < position("中文") && position("中文") < theme,
        "the top bar is not read from the left"
    );
}
