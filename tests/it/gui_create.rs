//! Creating against the loopback sandbox through the real window: the success card and its
//! Copy, the error card for a wrong secret and for an unknown code, and cancelling a call in
//! flight. Real HTTP on 127.0.0.1; the harness is stepped until a condition, with a bound.

use crate::gui_support;

use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::StartCredentials;
use onsdesk::credentials::Credentials;
use onsdesk::sandbox::{DEMO_ACCESS_KEY_ID, Faults};

#[test]
fn demo_create_shows_the_instance_id_and_copy_puts_exactly_it_on_the_clipboard() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).demo().start(&rt);
    step_until(&mut h, "the sandbox banner", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });

    // The fast path: type, Enter (focus is already in the name field).
    h.get_by_label("Instance name").type_text("orders-prod");
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance id", |h| {
        shown_instance_id(h).is_some()
    });

    // The demo opens with one instance made elsewhere; the create added exactly one more.
    let all = h.state().sandbox().unwrap().instances();
    assert_eq!(all.len(), 2);
    let created: Vec<_> = all.iter().filter(|i| i.name != "legacy-orders").collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].name, "orders-prod");
    let id = shown_instance_id(&h).unwrap();
    assert_eq!(id, created[0].id);
    assert!(has_label_containing(&h, "✔ Created · Standard"));
    assert!(has_label(&h, "Request ID"));

    // Focus moved to the InstanceId when it arrived: Ctrl+C copies it, no mouse needed.
    h.step();
    // One event per step: the harness keeps only the last frame's output.
    h.event(egui::Event::Key {
        key: Key::C,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    h.step();
    assert_eq!(copied_texts(&h), vec![id.clone()]);
    // What egui-winit sends for the platform's copy shortcut.
    h.event(egui::Event::Copy);
    h.step();
    assert_eq!(copied_texts(&h), vec![id.clone()]);

    // The endpoints arrive from OnsInstanceBaseInfo afterwards.
    step_until(&mut h, "the endpoints", |h| has_label(h, "TCP"));

    // The confirmation shows, then goes away by itself.
    assert!(shows_copied(&h));
    step_until(&mut h, "the Copied mark to clear", |h| !shows_copied(h));

    // The card's Copy next to the InstanceId (its visible text is "Copy").
    h.get_by_label("Copy instance ID").click();
    h.step();
    assert_eq!(copied_texts(&h), vec![id]);
    h.step();
    assert!(shows_copied(&h));
}

/// The InstanceId's Copy button says "✔ Copied" (its visible text; a screen reader gets it
/// as the description of the button named "Copy instance ID").
fn shows_copied(h: &egui_kittest::Harness<'static, onsdesk::app::OnsApp>) -> bool {
    h.get_by_label("Copy instance ID")
        .accesskit_node()
        .description()
        .as_deref()
        == Some("✔ Copied")
}

#[test]
fn wrong_secret_shows_the_error_card_with_its_hint_and_keeps_the_form() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let wrong = Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret".into());
    let mut h = TestApp::new(StartCredentials::Given(wrong))
        .endpoint(&sandbox.url())
        .start(&rt);
    type_into(&mut h, "Instance name", "orders-prod");
    type_into(&mut h, "Remark (optional)", "支付 订单");
    h.get_by_label("Create").click();
    step_until(&mut h, "the error card", |h| {
        has_label(h, "SignatureDoesNotMatch")
    });

    assert!(has_label(&h, "✖ Not created"));
    // The signature doctor compared the service's string to sign with ours: identical, so
    // the request arrived intact and the secret is what is wrong.
    assert!(has_label(&h, "Signature check"));
    assert!(has_label(
        &h,
        "The request arrived exactly as signed, so the AccessKey Secret does not belong to this AccessKey ID. Check that the secret is the one shown when the key was created."
    ));
    assert!(has_label(&h, "Request ID"));
    assert!(has_label(&h, "Troubleshooting guide ↗"));
    assert!(sandbox.instances().is_empty());
    // What the user typed is still there.
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("orders-prod")
    );
    assert_eq!(
        h.get_by_label("Remark (optional)").value().as_deref(),
        Some("支付 订单")
    );
}

#[test]
fn an_unknown_code_is_shown_verbatim_without_a_guess() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.get_by_label("Create").click();
    step_until(&mut h, "the first create", |h| {
        shown_instance_id(h).is_some()
    });

    // Same name again: the sandbox refuses with a code Alibaba Cloud does not document.
    h.get_by_label("Instance name").focus();
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the refusal", |h| {
        has_label(h, "BIZ_INSTANCE_NAME_DUPLICATED")
    });
    assert!(has_label(
        &h,
        "An instance named orders-prod already exists in cn-hangzhou."
    ));
    assert!(!has_label(&h, "What to do"));
    assert_eq!(sandbox.instances().len(), 1);
}

#[test]
fn escape_and_cancel_stop_a_create_in_flight() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_secs(3),
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "slow-one");
    h.key_press(Key::Enter);
    step_until(&mut h, "the in-flight row", |h| has_label(h, "Cancel"));
    assert!(has_label_containing(&h, "Creating… "));
    assert!(
        h.query_by_label("Create").is_none(),
        "no second Create while in flight"
    );

    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(has_label(&h, "⚠ Cancelled"));
    assert!(has_label(&h, "Create"));
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("slow-one")
    );

    // The Cancel button does the same.
    h.get_by_label("Create").click();
    step_until(&mut h, "the second in-flight row", |h| {
        has_label(h, "Cancel")
    });
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(has_label(&h, "⚠ Cancelled"));

    // The late replies are ignored: no InstanceId appears even after the server answers.
    let until = std::time::Instant::now() + Duration::from_millis(3500);
    while std::time::Instant::now() < until {
        h.step();
        assert!(shown_instance_id(&h).is_none());
        #[expect(clippy::disallowed_methods, reason = "waiting out the server's delay")]
        std::thread::sleep(Duration::from_millis(50));
    }
}
