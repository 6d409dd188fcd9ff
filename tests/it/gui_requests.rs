//! A request owns what it sent: editing the form while a create runs, or after it ended
//! unknown, never changes what the card, Copy Terraform and Check again use; and the
//! pre-flight hint belongs to the target it was asked of, not to whatever is selected now.

use crate::gui_support;

use std::time::Duration;

use egui::Key;
use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::app::StartCredentials;
use onsdesk::sandbox::{Faults, demo_credentials};

/// The one Terraform text the last frame copied.
fn copied_terraform(h: &egui_kittest::Harness<'static, onsdesk::app::OnsApp>) -> String {
    let copied = copied_texts(h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    copied[0].clone()
}

#[test]
fn editing_the_form_during_a_create_does_not_change_its_card() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        create_delay: Duration::from_millis(1500),
        delay_creates: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orig-name");
    type_into(&mut h, "Remark (optional)", "orig remark");
    h.key_press(Key::Enter);
    step_until(&mut h, "the in-flight row", |h| has_label(h, "Cancel"));

    // The user goes on typing while the create runs.
    type_into(&mut h, "Instance name", "-edited");
    type_into(&mut h, "Remark (optional)", " edited");
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("orig-name-edited")
    );

    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    let instances = sandbox.instances();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].name, "orig-name");

    click(&mut h, "Copy Terraform");
    let terraform = copied_terraform(&h);
    assert!(
        terraform.contains("resource \"alicloud_ons_instance\" \"orig_name\""),
        "{terraform}"
    );
    assert!(
        terraform.contains("instance_name = \"orig-name\"\n"),
        "{terraform}"
    );
    assert!(
        terraform.contains("remark        = \"orig remark\"\n"),
        "{terraform}"
    );
    assert!(!terraform.contains("edited"), "{terraform}");
}

#[test]
fn check_again_looks_for_the_name_that_was_sent() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    // The create is made but its reply is lost, and the region cannot be listed afterwards:
    // the outcome is unknown.
    sandbox.set_faults(Faults {
        drop_create_replies: 1,
        create_delay: Duration::from_millis(800),
        delay_creates: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orig-name");
    type_into(&mut h, "Remark (optional)", "orig remark");
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance to exist", |_| {
        sandbox.instances().len() == 1
    });
    sandbox.set_faults(Faults {
        unavailable_first: 10_000,
        ..Faults::default()
    });
    // Edited while the create runs, and again after it ended.
    type_into(&mut h, "Instance name", "-edited");
    step_until(&mut h, "the unknown card", |h| {
        has_label(h, "⚠ Outcome unknown")
    });
    assert!(has_label_containing(
        &h,
        "We could not find out whether “orig-name” was created in cn-hangzhou"
    ));
    type_into(&mut h, "Remark (optional)", " edited");

    // The service answers again: Check again finds the instance that was sent.
    sandbox.set_faults(Faults::default());
    click(&mut h, "Check again");
    step_until(&mut h, "the adopted card", |h| {
        has_label(h, "✔ Adopted · Standard")
    });
    assert_eq!(
        shown_instance_id(&h).as_deref(),
        Some(sandbox.instances()[0].id.as_str())
    );
    assert!(!has_label_containing(&h, "It is safe to create it again"));
    click(&mut h, "Copy Terraform");
    let terraform = copied_terraform(&h);
    assert!(
        terraform.contains("instance_name = \"orig-name\"\n"),
        "{terraform}"
    );
    assert!(
        terraform.contains("remark        = \"orig remark\"\n"),
        "{terraform}"
    );
    assert!(!terraform.contains("edited"), "{terraform}");
    // Still one instance: nothing was sent twice.
    assert_eq!(sandbox.instances().len(), 1);
}

/// Opens the settings menu (⚙) in the top bar.
fn open_settings(h: &mut egui_kittest::Harness<'static, onsdesk::app::OnsApp>) {
    if h.query_by_label("Use a custom endpoint").is_none() {
        h.get_by_label("Connection settings").click();
        h.step();
        h.step();
    }
}

#[test]
fn the_preflight_hint_follows_the_endpoint() {
    let rt = runtime();
    let busy = start_sandbox(&rt);
    let empty = start_sandbox(&rt);
    create_behind_the_window(&rt, &busy, "orders-prod");

    // No --endpoint: the custom endpoint in the settings decides where requests go.
    let mut h = TestApp::new(StartCredentials::Given(demo_credentials())).start(&rt);
    open_settings(&mut h);
    click(&mut h, "Use a custom endpoint");
    type_into(&mut h, "Custom endpoint", &busy.url());
    type_into(&mut h, "Instance name", "orders-prod");
    step_until(&mut h, "the taken-name hint", |h| {
        has_label_containing(h, "An instance with this name already exists")
    });

    // Another endpoint: the hint about the first one goes, and the new one is asked.
    open_settings(&mut h);
    h.get_by_label("Custom endpoint").focus();
    h.step();
    for _ in 0..busy.url().chars().count() {
        h.key_press(Key::Backspace);
    }
    h.step();
    type_into(&mut h, "Custom endpoint", &empty.url());
    assert!(
        !has_label_containing(&h, "An instance with this name already exists"),
        "a hint about {} shown for {}",
        busy.url(),
        empty.url()
    );
    step_until(&mut h, "the free-name hint", |h| {
        has_label_containing(h, "The name is free in cn-hangzhou (0 of 8")
    });
}
