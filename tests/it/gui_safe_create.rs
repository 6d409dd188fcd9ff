//! The safe create through the window, against the loopback sandbox's fault switches: a lost
//! reply ends "adopted" with the one instance's ID, a skewed clock is corrected and said,
//! the pre-flight hint names a taken name, and "Show request" never shows the secret.

use crate::gui_support;

use egui::Key;
use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::app::StartCredentials;
use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::sandbox::Faults;

#[test]
fn a_lost_reply_is_adopted_with_the_one_instance_it_made() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        drop_create_replies: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the adopted card", |h| {
        has_label(h, "✔ Adopted · Standard")
    });
    assert!(has_label(
        &h,
        "The reply was lost; we found the instance by its name."
    ));
    let instances = sandbox.instances();
    assert_eq!(instances.len(), 1, "exactly one instance, no duplicate");
    assert_eq!(shown_instance_id(&h).unwrap(), instances[0].id);
    // The steps say what happened, compactly.
    assert!(has_label_containing(&h, "What happened ("));
    assert!(has_label(&h, &format!("· Found it: {}.", instances[0].id)));
    // The pre-flight looks again: the name is taken now, by the instance on the card.
    step_until(&mut h, "the created-just-now hint", |h| {
        has_label(
            h,
            &format!(
                "✔ Created just now: {}. To create another, give it a new name.",
                instances[0].id
            ),
        )
    });
    // No Request ID: its reply was the one lost.
    assert!(!has_label(&h, "Request ID"));
    // Terraform for the adopted instance.
    click(&mut h, "Copy Terraform");
    let copied = copied_texts(&h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    assert!(copied[0].contains("resource \"alicloud_ons_instance\" \"orders_prod\""));
    assert!(copied[0].contains(&format!(
        "terraform import alicloud_ons_instance.orders_prod {}",
        instances[0].id
    )));
}

#[test]
fn a_skewed_clock_is_corrected_and_the_user_is_told() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        clock_offset_secs: 3 * 3600 + 20 * 60,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "clock-test");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    assert!(has_label(&h, "✔ Created · Standard"));
    assert!(has_label(
        &h,
        "⚠ Your computer's clock is 3 h 20 min behind Alibaba Cloud's. onsdesk corrected for it this time; set the clock to synchronise automatically."
    ));
    assert!(has_label(
        &h,
        "· The service refused our timestamp; corrected the clock by 3 h 20 min and signed again."
    ));
    assert_eq!(sandbox.instances().len(), 1);
    // Later calls sign with the corrected clock too: the endpoints arrive.
    step_until(&mut h, "the endpoints", |h| has_label(h, "TCP"));
}

#[test]
fn throttling_is_waited_out_and_listed() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "retry-test");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    // A 503 may mean it was created: the region was checked before sending again.
    assert!(has_label_containing(
        &h,
        "looking for the name in the region before anything else."
    ));
    assert!(has_label(
        &h,
        "· Not found: that attempt has not created it, so far."
    ));
    assert!(has_label(&h, "· Sent the create request (attempt 2)."));
    assert_eq!(sandbox.instances().len(), 1);
}

#[test]
fn preflight_warns_about_a_taken_name_without_blocking_create() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let taken = create_behind_the_window(&rt, &sandbox, "orders-prod");

    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    // Typing on in the remark while the hint arrives above it: the keystrokes stay there.
    type_into(&mut h, "Remark (optional)", "x");
    step_until(&mut h, "the pre-flight hint", |h| {
        has_label_containing(h, "An instance with this name already exists")
    });
    assert!(has_label(
        &h,
        &format!(
            "⚠ An instance with this name already exists in cn-hangzhou ({}). Creating it again will be refused.",
            taken.instance_id
        )
    ));
    assert!(is_enabled(&h, "Create"), "a hint, not a block");
    h.event(egui::Event::Text("y".into()));
    h.step();
    h.step();
    assert_eq!(
        h.get_by_label("Remark (optional)").value().as_deref(),
        Some("xy")
    );
    h.get_by_label("Instance name").focus();
    h.step();

    h.key_press(Key::Backspace);
    h.run();
    assert!(
        !has_label_containing(&h, "already exists"),
        "stale hint gone"
    );
    h.get_by_label("Instance name").type_text("x");
    step_until(&mut h, "the free-name hint", |h| {
        has_label(
            h,
            "✔ The name is free in cn-hangzhou (1 of 8 instances used).",
        )
    });
}

/// A colleague's instance of the name, made a month ago, and a create answered by a 503 that
/// may have made it: the look finds the name taken by theirs, so the create is not sent again,
/// and the card says so in place of advice to try again.
#[test]
fn a_lost_reply_to_a_taken_name_ends_not_created_and_is_not_sent_again() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let (mut h, theirs) = press_create_on_a_taken_name_answered_503(&rt, &sandbox);
    step_until(&mut h, "the not-created card", |h| {
        has_label_containing(h, "The name is taken")
    });
    let finding = "The reply was lost, so onsdesk listed cn-hangzhou: an instance named \
                   “orders-prod” is there, made before this create. The name is taken: nothing \
                   was created, and the create was not sent again. Choose another name.";
    assert!(has_label(&h, finding));
    // the finding comes before the lost reply's error, which is kept for the record
    let code = h.get_by_label("ServiceUnavailable").rect();
    assert!(h.get_by_label(finding).rect().bottom() <= code.top());
    assert!(has_label(
        &h,
        "· Found the name held by an instance made before this attempt: the attempt did not \
         create it, and nothing more was sent."
    ));
    assert!(!has_label_containing(&h, "(attempt 2)"), "sent once");
    assert!(!has_label(&h, "What to do"), "no advice to try again");
    assert!(
        !has_label(&h, "Troubleshooting guide ↗"),
        "no guide to the 503's cause: the name is what stops it"
    );
    // the 503 is answered before an action is counted: no create reached the service
    assert_eq!(sandbox.action_count("OnsInstanceCreate"), 0);
    let ids: Vec<String> = sandbox.instances().into_iter().map(|i| i.id).collect();
    assert_eq!(ids, [theirs]);
}

#[test]
fn show_request_never_contains_the_secret_or_the_token() {
    let rt = runtime();
    let secret = "s3cret-Never-Shown-9f2";
    let token = "sts-Token-Never-Shown-77";
    let creds = Credentials::new("TESTk5tShowRequest01", SecretString::from(secret))
        .with_security_token(SecretString::from(token));
    let mut h = TestApp::new(StartCredentials::Given(creds))
        .endpoint("http://127.0.0.1:9/")
        .start(&rt);
    type_into(&mut h, "Instance name", "orders-prod");
    type_into(&mut h, "Remark (optional)", "it's prod");
    click(&mut h, "Show request");
    // The dialog sizes itself invisibly in its first frame.
    h.step();
    h.step();
    assert!(has_label(&h, "The signed request"), "{}", dump(&h));
    assert!(has_label(&h, "OnsInstanceCreate"));
    assert!(has_label(&h, "Signature"));
    assert!(
        has_label(&h, "<redacted>"),
        "the STS token is named, not shown"
    );
    assert!(has_label(&h, "TESTk5tShowRequest01"));
    assert!(!tree_contains(&h, secret), "{}", dump(&h));
    assert!(!tree_contains(&h, token), "{}", dump(&h));

    click(&mut h, "Copy as aliyun CLI command");
    assert_eq!(
        copied_texts(&h),
        vec![
            "aliyun ons OnsInstanceCreate --region cn-hangzhou --InstanceName orders-prod --Remark 'it'\\''s prod'"
                .to_owned()
        ]
    );
    click(&mut h, "Close");
    h.step();
    assert!(!has_label(&h, "The signed request"));

    // With V3 the signature is in the headers; still no secret, still no token.
    h.get_by_label("Connection settings").click();
    h.step();
    h.step();
    h.get_by_label("V3 (ACS3-HMAC-SHA256)").click();
    h.step();
    h.key_press(Key::Escape);
    h.step();
    h.step();
    click(&mut h, "Show request");
    // The dialog sizes itself invisibly in its first frame.
    h.step();
    h.step();
    assert!(has_label(&h, "x-acs-signature-nonce"));
    assert!(has_label_containing(
        &h,
        "ACS3-HMAC-SHA256 Credential=TESTk5tShowRequest01"
    ));
    assert!(!tree_contains(&h, secret));
    assert!(!tree_contains(&h, token));
}

/// Every create's reply is lost, and the region's list, read after each, does not show the
/// instance: the card says the outcome is unknown because a lost request may still take
/// effect, not that the list could not be read, in English and in Chinese.
#[test]
fn an_unknown_create_whose_region_was_read_says_a_lost_request_may_still_land() {
    use crate::hostile::{REQUEST_ID, Received, Stub, http};
    let stub = Stub::start(|r: &Received| match r.action() {
        "OnsInstanceCreate" => String::new(),
        _ => http(
            "200 OK",
            "",
            &format!(r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[]}}}}"#),
        ),
    });
    let rt = runtime();
    let mut h = app_at(&rt, &stub.url);
    type_into(&mut h, "Instance name", "lands-late");
    h.key_press(Key::Enter);
    step_until(&mut h, "the unknown card", |h| {
        has_label(h, "⚠ Outcome unknown")
    });
    assert!(
        has_label_containing(
            &h,
            "does not list it yet, but a request whose reply was lost can still take effect"
        ),
        "{}",
        dump(&h)
    );
    assert!(
        !has_label_containing(&h, "could not be read"),
        "{}",
        dump(&h)
    );
    click(&mut h, "中文");
    step_until(&mut h, "the card in Chinese", |h| {
        has_label_containing(h, "回复丢失的请求在一段时间内仍可能生效")
    });
}
