//! The result card tells the whole story: what was sent (name, remark, region by its console
//! name), how it ended, and what to do next — one message, never two that disagree. After a
//! create the form does not warn about the instance just made, and "New instance" starts over.

use crate::gui_support;

use std::time::Duration;

use egui::Key;
use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::sandbox::Faults;

#[test]
fn the_card_shows_the_name_remark_and_region_as_sent() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        create_delay: Duration::from_millis(800),
        delay_creates: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    // The region selector speaks the console's words; its list gives the region ID beside them.
    assert_eq!(
        combo_value(&h, "Region").as_deref(),
        Some("China (Hangzhou)")
    );
    h.get_by_label("Region").click();
    h.step();
    h.step();
    assert!(
        has_label(&h, "China (Shanghai) · cn-shanghai"),
        "{}",
        dump(&h)
    );
    h.key_press(Key::Escape);
    h.step();

    type_into(&mut h, "Instance name", "orig-name");
    type_into(&mut h, "Remark (optional)", "支付 订单");
    h.key_press(Key::Enter);
    step_until(&mut h, "the in-flight row", |h| has_label(h, "Cancel"));
    // Edited while the create runs: the card keeps what was sent.
    type_into(&mut h, "Instance name", "-edited");
    type_into(&mut h, "Remark (optional)", " edited");
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    assert!(has_label(&h, "orig-name"), "{}", dump(&h));
    assert!(has_label(&h, "支付 订单"), "{}", dump(&h));
    assert!(has_label(&h, "✔ Created · Standard"), "{}", dump(&h));
    assert!(
        has_label(&h, "China (Hangzhou) · cn-hangzhou"),
        "{}",
        dump(&h)
    );
}

#[test]
fn after_a_create_the_form_says_created_just_now_and_new_instance_starts_over() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    type_into(&mut h, "Remark (optional)", "main");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    let id = shown_instance_id(&h).unwrap();
    // The pre-flight looks again and finds the instance just made: said neutrally.
    step_until(&mut h, "the created-just-now hint", |h| {
        has_label_containing(h, "Created just now")
    });
    assert!(
        has_label_containing(&h, &id),
        "the hint names the instance: {}",
        dump(&h)
    );
    assert!(
        !has_label_containing(&h, "Creating it again will be refused"),
        "{}",
        dump(&h)
    );

    click(&mut h, "New instance");
    h.step();
    h.step();
    assert_eq!(h.get_by_label("Instance name").value().as_deref(), Some(""));
    assert_eq!(
        h.get_by_label("Remark (optional)").value().as_deref(),
        Some("")
    );
    assert!(h.get_by_label("Instance name").is_focused());
    // Typing goes straight into the name field.
    h.event(egui::Event::Text("next-one".into()));
    h.step();
    h.step();
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("next-one")
    );
}

#[test]
fn a_cancelled_create_can_be_checked_again() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        create_delay: Duration::from_millis(1500),
        delay_creates: 1,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    type_into(&mut h, "Instance name", "slow-one");
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance to exist", |_| {
        sandbox.instances().len() == 1
    });
    h.key_press(Key::Escape);
    h.step();
    h.step();
    assert!(has_label(&h, "⚠ Cancelled"), "{}", dump(&h));
    // The card still says what was sent.
    assert!(has_label(&h, "slow-one"), "{}", dump(&h));
    // The attempt was recorded before it left, and nothing settled it.
    step_until(&mut h, "the history row", |h| has_label(h, "⚠ pending"));
    assert!(has_label(&h, "⚠ pending"), "{}", dump(&h));

    // Cancelling cannot un-send: Check again finds the instance the request made, and the
    // history entry of that attempt is settled with it.
    click(&mut h, "Check again");
    step_until(&mut h, "the adopted card", |h| {
        has_label(h, "✔ Adopted · Standard")
    });
    step_until(&mut h, "the history entry settled", |h| {
        has_label_containing(h, "✔ adopted")
    });
    assert!(!has_label(&h, "⚠ pending"), "{}", dump(&h));
    assert_eq!(
        shown_instance_id(&h).as_deref(),
        Some(sandbox.instances()[0].id.as_str())
    );
    assert_eq!(sandbox.instances().len(), 1);
}

#[test]
fn check_again_finding_nothing_says_one_clear_thing() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    // The service fails on the create and on the look-up that follows: unknown.
    sandbox.set_faults(Faults {
        unavailable_first: 10_000,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the unknown card", |h| {
        has_label(h, "⚠ Outcome unknown")
    });
    sandbox.set_faults(Faults::default());
    click(&mut h, "Check again");
    step_until(&mut h, "the checked card", |h| {
        has_label_containing(h, "It is safe to create it again")
    });
    assert!(sandbox.instances().is_empty());
    // One message: no advice to check the console after the check was made.
    assert!(!tree_contains(&h, "console"), "{}", dump(&h));
    assert!(!has_label(&h, "What to do"), "{}", dump(&h));
}

/// The viewport commands the last frame sent.
fn viewport_commands(
    h: &egui_kittest::Harness<'static, onsdesk::app::OnsApp>,
) -> Vec<egui::ViewportCommand> {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

/// What the window system sends when the user closes the window.
fn request_close(h: &mut egui_kittest::Harness<'static, onsdesk::app::OnsApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

#[test]
fn closing_while_a_create_runs_asks_first() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_secs(5),
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "slow-one");
    h.key_press(Key::Enter);
    step_until(&mut h, "the in-flight row", |h| has_label(h, "Cancel"));

    request_close(&mut h);
    assert!(
        viewport_commands(&h).contains(&egui::ViewportCommand::CancelClose),
        "the close is held back"
    );
    h.step();
    assert!(has_label(&h, "⚠ A create is running"), "{}", dump(&h));
    assert!(has_label_containing(
        &h,
        "the instance may still be created"
    ));

    // Keep open: the create goes on.
    click(&mut h, "Keep open");
    h.step();
    assert!(!has_label(&h, "⚠ A create is running"));
    assert!(has_label(&h, "Cancel"));

    // Asked again, and closed anyway.
    request_close(&mut h);
    h.step();
    h.get_by_label("Close anyway").click_accesskit();
    h.step();
    assert!(
        viewport_commands(&h).contains(&egui::ViewportCommand::Close),
        "{:?}",
        viewport_commands(&h)
    );
}

#[test]
fn after_cancel_the_name_is_looked_up_again() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        create_delay: Duration::from_millis(1500),
        delay_creates: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "slow-one");
    step_until(&mut h, "the free-name hint", |h| {
        has_label_containing(h, "The name is free in")
    });
    h.key_press(Key::Enter);
    step_until(&mut h, "the instance to exist", |_| {
        sandbox.instances().len() == 1
    });
    h.key_press(Key::Escape);
    h.step();
    assert!(has_label(&h, "⚠ Cancelled"), "{}", dump(&h));
    // The request reached the service after all: "free" no longer holds, and is not left
    // standing beside a card that says the instance may exist.
    step_until(&mut h, "the taken-name hint", |h| {
        has_label_containing(h, "An instance with this name already exists")
    });
    assert!(!has_label_containing(&h, "The name is free in"));
}
