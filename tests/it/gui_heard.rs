//! What a screen reader that reads only the focused control hears. GNOME's Orca 43 says the
//! focused control's name, role and description, and says the description again when it
//! changes; it does not speak AccessKit's live-region announcements, and it cannot read an
//! AccessKit text field's text. So every outcome of the create path is also carried where it
//! reads it: on the field the user is in, or on the control the focus moves to. These tests
//! read the same through the accessibility tree; `tests/screen-reader/` has the scenarios that
//! check it with Orca itself.

use crate::gui_support;

use std::time::Duration;

use egui::accesskit::{Invalid, Role};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use gui_support::*;
use onsdesk::app::{HistoryLocation, OnsApp, StartCredentials};
use onsdesk::history::{History, NewAttempt, Status};
use onsdesk::sandbox::Faults;

/// What a reader says about the focused node: its role, name and description.
fn focused(h: &Harness<'static, OnsApp>) -> (Role, String, String) {
    let root = h.root();
    let node = h
        .query_all(by().predicate(
            #[expect(
                clippy::redundant_closure_for_method_calls,
                reason = "the method is not general enough over the node's lifetime"
            )]
            |n| n.is_focused(),
        ))
        .last()
        .map_or_else(|| root.accesskit_node(), |n| n.accesskit_node());
    (
        node.role(),
        node.label().unwrap_or_default(),
        node.description().unwrap_or_default(),
    )
}

/// The description of the node named `label` with this role.
fn description(h: &Harness<'static, OnsApp>, label: &str, role: Role) -> String {
    h.query_all_by_label(label)
        .find(|n| n.accesskit_node().role() == role)
        .unwrap_or_else(|| panic!("no {role:?} named {label:?}: {}", dump(h)))
        .accesskit_node()
        .description()
        .unwrap_or_default()
}

fn name_said(h: &Harness<'static, OnsApp>) -> String {
    description(h, "Instance name", Role::TextInput)
}

/// Steps until the focus is on a node named `label`.
#[track_caller]
fn step_until_focused(h: &mut Harness<'static, OnsApp>, label: &str) {
    let wanted = label.to_owned();
    step_until(h, &format!("the focus on {label:?}"), move |h| {
        focused(h).1 == wanted
    });
}

#[test]
fn the_empty_name_field_says_the_rule_not_its_example_as_if_typed() {
    let rt = runtime();
    let h = offline_app(&rt);
    let field = h
        .query_all_by_label("Instance name")
        .find(|n| n.accesskit_node().role() == Role::TextInput)
        .unwrap();
    // Orca 43 reads a placeholder as the field's text: "Instance name entry orders-prod".
    assert_eq!(field.accesskit_node().placeholder(), None);
    assert_eq!(
        field.accesskit_node().description().as_deref(),
        Some("3 to 64 characters: Chinese characters, letters, digits, '-' or '_'.")
    );
    assert_eq!(field.accesskit_node().data().invalid(), None);
}

#[test]
fn a_name_that_is_not_valid_is_said_with_its_reason_and_marked_invalid() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    type_into(&mut h, "Instance name", "ab!");
    let field = h
        .query_all_by_label("Instance name")
        .find(|n| n.accesskit_node().role() == Role::TextInput)
        .unwrap();
    assert_eq!(field.accesskit_node().data().invalid(), Some(Invalid::True));
    let said = name_said(&h);
    assert!(
        said.contains("Invalid name.")
            && said.contains("Character 3, '!' (U+0021), is not allowed"),
        "{said}"
    );

    // Too short: said without the count, which would change (and be said again) per key.
    h.key_press(Key::Backspace);
    h.step();
    h.step();
    assert!(
        name_said(&h).ends_with("Too short: a name needs at least 3 characters."),
        "{}",
        name_said(&h)
    );
    h.get_by_label("Instance name").type_text("c");
    h.step();
    h.step();
    assert!(name_said(&h).ends_with("Valid name."), "{}", name_said(&h));
    let field = h
        .query_all_by_label("Instance name")
        .find(|n| n.accesskit_node().role() == Role::TextInput)
        .unwrap();
    assert_eq!(field.accesskit_node().data().invalid(), None);
}

#[test]
fn enter_on_a_name_that_is_not_valid_says_that_nothing_was_sent_and_why() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    type_into(&mut h, "Instance name", "ab!");
    h.key_press(Key::Enter);
    h.step();
    h.step();
    let said = name_said(&h);
    assert!(
        said.starts_with("Nothing was sent: correct the name first.")
            && said.contains("Character 3"),
        "{said}"
    );
    assert_eq!(focused(&h).1, "Instance name");
    // On screen too, under Create.
    assert!(has_label(&h, "✖ Nothing was sent: correct the name first."));

    // Another name: that refusal no longer holds.
    h.get_by_label("Instance name").type_text("x");
    h.step();
    h.step();
    assert!(
        !name_said(&h).contains("Nothing was sent"),
        "{}",
        name_said(&h)
    );
}

#[test]
fn returning_to_the_name_field_says_its_text_first() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    type_into(&mut h, "Instance name", "orders-prod");
    // While typing, the text is not said again with every key.
    assert_eq!(name_said(&h), "Valid name.");
    h.key_press(Key::Tab);
    h.step();
    assert_eq!(focused(&h).1, "Remark (optional)");
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.step();
    h.step();
    assert_eq!(focused(&h).1, "Instance name");
    assert_eq!(focused(&h).2, "orders-prod. Valid name.");
}

#[test]
fn the_create_is_said_on_the_name_field_then_on_the_instance_id_and_so_is_the_copy() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_millis(800),
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the in-flight row", |h| has_label(h, "Cancel"));
    // Enter keeps the focus in the field, which says the create is under way.
    assert_eq!(
        focused(&h),
        (
            Role::TextInput,
            "Instance name".to_owned(),
            "Creating “orders-prod”…".to_owned()
        )
    );

    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    let id = shown_instance_id(&h).unwrap();
    step_until_focused(&mut h, &id);
    let (role, _, said) = focused(&h);
    assert_eq!(role, Role::Button);
    assert_eq!(
        said,
        "Created · Standard: “orders-prod” in China (Hangzhou) · cn-hangzhou. Ctrl+C copies the Instance ID while it has focus."
    );

    // Ctrl+C copies it, and the focused ID says so.
    // What egui-winit makes of Ctrl+C.
    h.event(egui::Event::Copy);
    h.step();
    assert_eq!(copied_texts(&h), vec![id.clone()]);
    h.step();
    let (_, name, said) = focused(&h);
    assert_eq!(name, id);
    assert!(said.starts_with("Copied. Created · Standard"), "{said}");
}

#[test]
fn a_refused_create_is_said_on_the_name_field() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    create_behind_the_window(&rt, &sandbox, "taken-name");
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "taken-name");
    h.key_press(Key::Enter);
    step_until(&mut h, "the refusal", |h| has_label(h, "✖ Not created"));
    h.step();
    let (role, name, said) = focused(&h);
    assert_eq!((role, name.as_str()), (Role::TextInput, "Instance name"));
    assert!(
        said.starts_with("Not created: ") && said.contains("already exists"),
        "{said}"
    );
}

/// After a lost reply, a look that finds the name held by a colleague's instance ends the
/// create "not created": the name field says why (the name is taken), not the lost reply.
#[test]
fn a_create_ended_by_a_taken_name_is_said_on_the_name_field_with_why() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let (mut h, _) = press_create_on_a_taken_name_answered_503(&rt, &sandbox);
    step_until(&mut h, "the refusal", |h| has_label(h, "✖ Not created"));
    h.step();
    let (role, name, said) = focused(&h);
    assert_eq!((role, name.as_str()), (Role::TextInput, "Instance name"));
    assert!(
        said.starts_with("Not created: The reply was lost") && said.contains("The name is taken"),
        "{said}"
    );
}

#[test]
fn the_settings_button_is_named_for_its_purpose_and_keeps_the_keyboard() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).start(&rt);
    assert_eq!(
        description(&h, "Connection settings", Role::Button),
        "Requests go to https://ons.cn-hangzhou.aliyuncs.com/"
    );
    h.get_by_label("Connection settings").focus();
    h.step();
    h.key_press(Key::Space);
    h.step();
    // Never a frame with the focus on the window (Orca says "onsdesk frame").
    assert_ne!(focused(&h).0, Role::Window);
    h.step();
    // The menu opens with the keyboard on its first control, in a menu named for it.
    let (role, name, _) = focused(&h);
    assert_eq!(
        (role, name.as_str()),
        (Role::CheckBox, "Use a custom endpoint")
    );
    assert!(
        h.query_all_by_label("Connection settings")
            .any(|n| n.accesskit_node().role() == Role::Menu),
        "{}",
        dump(&h)
    );
    // Esc closes it, and the keyboard is back on the button (not lost to the window).
    h.key_press(Key::Escape);
    h.step();
    assert_eq!(focused(&h).1, "Connection settings");
    h.step();
    assert_eq!(focused(&h).1, "Connection settings");
}

/// A radio button is said with the choice it answers: AccessKit gives Orca no radio group.
#[test]
fn a_radio_button_is_said_with_its_group() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).start(&rt);
    h.get_by_label("Connection settings").focus();
    h.step();
    h.key_press(Key::Space);
    h.run();
    // Tab through the menu to its radio buttons, as a keyboard user does.
    let mut heard = Vec::new();
    for _ in 0..6 {
        h.key_press(Key::Tab);
        h.run();
        let (role, name, said) = focused(&h);
        if role == Role::RadioButton {
            heard.push((name, said));
        }
    }
    assert_eq!(
        heard,
        [
            ("V1 (HMAC-SHA1, default)".to_owned(), "Signature".to_owned()),
            ("V3 (ACS3-HMAC-SHA256)".to_owned(), "Signature".to_owned()),
        ],
        "{}",
        dump(&h)
    );
}

#[test]
fn switching_views_is_said_on_the_focused_button() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    assert_eq!(
        description(&h, "Create instance", Role::Button),
        "Shown now"
    );
    h.get_by_label("Instances").focus();
    h.step();
    h.key_press(Key::Space);
    h.step();
    h.step();
    assert_eq!(focused(&h).1, "Instances");
    assert_eq!(focused(&h).2, "Shown now");
    assert_eq!(description(&h, "Create instance", Role::Button), "");
}

#[test]
fn the_profiles_dialog_keeps_the_keyboard_inside_and_gives_it_back_to_its_opener() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let (store, _mock) = memory_profiles(dir.path());
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint("http://127.0.0.1:9/")
        .profiles(store)
        .start(&rt);
    h.get_by_label("Profiles…").focus();
    h.step();
    h.key_press(Key::Space);
    step_until(&mut h, "the empty list", |h| {
        has_label(h, "No profiles yet.")
    });
    h.step();
    assert_eq!(focused(&h).1, "+ Add profile");
    // Round the dialog with Tab: never a frame with the focus on the window (Orca would say
    // "onsdesk frame, 1 unfocused dialog" and read the dialog's text again).
    let mut seen = Vec::new();
    for _ in 0..4 {
        h.key_press(Key::Tab);
        for _ in 0..3 {
            h.step();
            let (role, name, _) = focused(&h);
            assert_ne!(
                role,
                Role::Window,
                "the focus left for the window after {seen:?}"
            );
            seen.push(name);
        }
    }
    assert!(seen.iter().any(|n| n == "Close"), "{seen:?}");
    // Esc: back to "Profiles…" in the frame the dialog closes (else that frame ends with the
    // focus on the window: "onsdesk frame"), and it keeps it.
    h.key_press(Key::Escape);
    for frame in 0..4 {
        h.step();
        assert_eq!(focused(&h).1, "Profiles…", "frame {frame} after Esc");
    }
}

/// The history search's hint ("name, instance ID or remark (Ctrl+F)") is said as a hint, not
/// as its placeholder, which Orca 43 reads as if it had been typed.
#[test]
fn the_history_search_says_its_hint_as_a_hint() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.step();
    h.step();
    let (role, name, said) = focused(&h);
    assert_eq!(
        (role, name.as_str()),
        (Role::TextInput, "Search"),
        "{}",
        dump(&h)
    );
    assert_eq!(said, "name, instance ID or remark (Ctrl+F)");
    let field = h
        .query_all_by_label("Search")
        .find(|n| n.accesskit_node().role() == Role::TextInput)
        .unwrap();
    assert!(
        field
            .accesskit_node()
            .placeholder()
            .is_none_or(str::is_empty),
        "{:?}",
        field.accesskit_node().placeholder()
    );
}

#[test]
fn copy_terraform_is_said_in_a_sentence_and_its_block_is_shown_apart() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    let said = description(&h, "Copy Terraform", Role::Button);
    assert!(
        !said.contains("resource") && said.len() < 120,
        "the button reads the block: {said}"
    );
    assert!(!tree_contains(&h, "resource \"alicloud_ons_instance\""));
    click(&mut h, "Show the Terraform block");
    h.step();
    assert!(tree_contains(
        &h,
        "resource \"alicloud_ons_instance\" \"orders_prod\""
    ));
}

#[test]
fn the_splitter_and_the_language_of_the_tree_follow_the_window() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    let splitter = |h: &Harness<'static, OnsApp>| {
        h.query_all(by().predicate(|n| n.role() == Role::Splitter))
            .map(|n| n.accesskit_node().label().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(splitter(&h), vec!["Resize the history panel".to_owned()]);
    assert_eq!(h.root().accesskit_node().data().language(), Some("en"));
    click(&mut h, "中文");
    h.step();
    assert_eq!(splitter(&h), vec!["调整创建记录面板的高度".to_owned()]);
    assert_eq!(h.root().accesskit_node().data().language(), Some("zh-CN"));
}

#[test]
fn tab_goes_from_the_left_in_the_top_bar_and_the_history_header() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        let e = history
            .record_pending(NewAttempt {
                name: "orders-prod".to_owned(),
                remark: String::new(),
                region: "cn-hangzhou".to_owned(),
                endpoint: "http://127.0.0.1:9/".to_owned(),
                profile: "environment".to_owned(),
            })
            .unwrap();
        history
            .record_outcome(
                e,
                Status::Created {
                    instance_id: "MQ_INST_1880770869020000_AAAAaaaa".to_owned(),
                    instance_type: 1,
                    request_id: "REQ-1".to_owned(),
                },
            )
            .unwrap();
    }
    let mut h = TestApp::new(StartCredentials::Given(
        onsdesk::credentials::Credentials::new("test-id", "test-secret".into()),
    ))
    .endpoint("http://127.0.0.1:9/")
    .history(HistoryLocation::Dir(dir.path().to_owned()))
    .start(&rt);
    step_until(&mut h, "the history", |h| has_label(h, "orders-prod"));
    let mut order = Vec::new();
    h.get_by_label("English").focus();
    h.step();
    for _ in 0..2 {
        order.push(focused(&h).1);
        h.key_press(Key::Tab);
        h.step();
        h.step();
    }
    order.push(focused(&h).1);
    assert_eq!(order, ["English", "中文", "Theme"]);

    h.get_by_label("Refresh status").focus();
    h.step();
    h.key_press(Key::Tab);
    h.step();
    h.step();
    assert_eq!(focused(&h).1, "Export");
}

/// A create the sandbox answers at once is still said as it starts: in the very frame of the
/// Enter (the reply is taken in before the next frame is drawn).
#[test]
fn an_instant_create_is_said_as_it_starts() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    h.step();
    assert_eq!(name_said(&h), "Creating “orders-prod”…");
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });
    let id = shown_instance_id(&h).unwrap();
    step_until_focused(&mut h, &id);
    // Once the keyboard is on the ID, the field says what was made.
    h.step();
    assert!(
        name_said(&h).starts_with("Created just now: "),
        "{}",
        name_said(&h)
    );
}

/// "Refresh status" pressed from the keyboard: what the refresh found is said on the button
/// that keeps the focus (Orca 43 speaks descriptions, not announcements) and by the live
/// status node, in the words shown.
#[test]
fn a_refresh_says_what_it_found_on_the_focused_button_and_in_the_status() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the history row", |h| {
        has_label_containing(h, "✔ created")
    });
    // The create's outcome is written behind the row shown (on a loaded machine, a frame or
    // more later): Refresh status is usable once it is.
    step_until(&mut h, "Refresh status usable", |h| {
        !h.get_by_label("Refresh status")
            .accesskit_node()
            .is_disabled()
    });
    h.get_by_label("Refresh status").focus();
    h.step();
    h.key_press(Key::Space);
    let summary = "Checked: 1 in service, 0 not found in the cloud, 0 adopted by name.";
    step_until(&mut h, "the refresh said", |h| {
        focused(h).2.starts_with(summary)
    });
    assert_eq!(focused(&h).1, "Refresh status");
    let status = h.query_all(by().role(Role::Status)).find_map(|n| {
        n.accesskit_node()
            .label()
            .filter(|l| l.starts_with(summary))
    });
    assert!(status.is_some(), "{}", dump(&h));
}
