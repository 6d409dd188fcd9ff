//! The form through the accessibility tree: validation while typing, the Create button's
//! state, IME input, language switching, the first-run card. No display needed.

use crate::gui_support;

use egui::Key;
use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::app::StartCredentials;

#[test]
fn name_has_focus_at_start_and_validation_speaks_while_typing() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    h.run();
    assert!(
        h.get_by_label("Instance name").is_focused(),
        "name field focused at start"
    );

    // Empty: neutral, the rule is shown, Create disabled.
    assert!(has_label(
        &h,
        "3 to 64 characters: Chinese characters, letters, digits, '-' or '_'."
    ));
    assert!(has_label(&h, "0/64"));
    assert!(!is_enabled(&h, "Create"));

    // Typed straight away, without clicking: focus was there.
    h.get_by_label("Instance name").type_text("a");
    h.run();
    assert!(has_label(
        &h,
        "✖ Too short: 1 character; a name needs at least 3."
    ));
    assert!(has_label(&h, "1/64"));
    assert!(!is_enabled(&h, "Create"));

    h.get_by_label("Instance name").type_text("b ");
    h.run();
    assert!(has_label(
        &h,
        "✖ Character 3 is a space (U+0020), which is not allowed. Use Chinese characters, letters, digits, '-' or '_'."
    ));
    assert!(!is_enabled(&h, "Create"));

    h.key_press(Key::Backspace);
    h.run();
    h.get_by_label("Instance name").type_text("c");
    h.run();
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("abc")
    );
    assert!(has_label(&h, "✔ Valid name."));
    assert!(is_enabled(&h, "Create"));

    h.get_by_label("Instance name").type_text("Ａ");
    h.run();
    assert!(has_label_containing(
        &h,
        "is a full-width character; type the half-width 'A' instead"
    ));
    assert!(!is_enabled(&h, "Create"));

    h.key_press(Key::Backspace);
    h.run();
    h.get_by_label("Instance name").type_text(&"x".repeat(62));
    h.run();
    assert!(has_label(
        &h,
        "✖ Too long: 65 characters; at most 64 are allowed."
    ));
    assert!(has_label(&h, "65/64"));
    assert!(!is_enabled(&h, "Create"));
}

#[test]
fn remark_counts_and_warns_above_128() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    type_into(&mut h, "Remark (optional)", &"备".repeat(128));
    assert!(has_label(&h, "128/128"));
    assert!(!has_label_containing(&h, "The remark has"));
    h.get_by_label("Remark (optional)").type_text("注");
    h.run();
    assert!(has_label(&h, "129/128"));
    assert!(has_label(
        &h,
        "⚠ The remark has 129 characters; tools such as Terraform accept at most 128. It will be sent as typed."
    ));
}

#[test]
fn ime_commit_puts_chinese_into_the_name() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    h.run();
    assert!(h.get_by_label("Instance name").is_focused());
    h.event(egui::Event::Ime(egui::ImeEvent::Preedit {
        text: "ceshi".to_owned(),
        active_range_chars: None,
    }));
    h.event(egui::Event::Ime(egui::ImeEvent::Commit(
        "测试实例".to_owned(),
    )));
    h.run();
    h.run();
    assert_eq!(
        h.get_by_label("Instance name").value().as_deref(),
        Some("测试实例")
    );
    assert!(has_label(&h, "4/64"));
    assert!(has_label(&h, "✔ Valid name."));
    assert!(is_enabled(&h, "Create"));
}

#[test]
fn switching_language_changes_the_labels() {
    let rt = runtime();
    let mut h = offline_app(&rt);
    assert!(has_label(&h, "Instance name"));
    h.get_by_label("中文").click();
    h.run();
    h.run();
    for zh in [
        "实例名称",
        "备注（可选）",
        "创建",
        "地域",
        "凭证配置",
        "创建记录",
        "结果",
    ] {
        assert!(has_label(&h, zh), "missing {zh}");
    }
    assert!(!has_label(&h, "Instance name"));
    type_into(&mut h, "实例名称", "a");
    assert!(has_label(&h, "✖ 太短：当前 1 个字符，至少需要 3 个。"));

    h.get_by_label("English").click();
    h.run();
    h.run();
    assert!(has_label(&h, "Instance name"));
    assert!(has_label(
        &h,
        "✖ Too short: 1 character; a name needs at least 3."
    ));
}

#[test]
fn without_credentials_the_window_says_so_and_offers_the_sandbox() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).start(&rt);
    assert!(has_label(&h, "⚠ No credentials found"));
    assert!(has_label(&h, "  ALIBABA_CLOUD_ACCESS_KEY_ID"));
    assert_eq!(selected_profile(&h).as_deref(), Some("none"));
    type_into(&mut h, "Instance name", "orders-prod");
    assert!(!is_enabled(&h, "Create"), "nothing to sign with yet");

    h.get_by_label("▶ Try the sandbox").click();
    step_until(&mut h, "the sandbox banner", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });
    assert_eq!(selected_profile(&h).as_deref(), Some("sandbox"));
    assert!(h.state().sandbox().is_some());
    assert!(is_enabled(&h, "Create"));
}

/// The top bar fits the window down to the minimum size, in both languages: no two of its
/// controls are drawn over each other (language and theme move to a second row when they
/// do not fit beside the region and profile selectors).
#[test]
fn the_top_bar_never_draws_one_control_over_another() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT as _;
    let rt = runtime();
    for demo in [false, true] {
        for size in [egui::vec2(720.0, 480.0), egui::vec2(960.0, 640.0)] {
            for language in ["English", "中文"] {
                let mut h = if demo {
                    TestApp::new(StartCredentials::FromEnvironment)
                        .demo()
                        .start(&rt)
                } else {
                    offline_app(&rt)
                };
                h.set_size(size);
                h.run();
                click(&mut h, language);
                h.run();
                let controls: Vec<(String, egui::Rect)> = h
                    .query_all(egui_kittest::kittest::by().predicate(|n| {
                        matches!(
                            n.role(),
                            Role::Button | Role::ComboBox | Role::CheckBox | Role::TextInput
                        )
                    }))
                    .map(|n| {
                        let label = n.accesskit_node().label().unwrap_or_default();
                        (label, n.rect())
                    })
                    // the top bar: its one or two rows, above the banners and panels
                    .filter(|(_, rect)| rect.max.y <= 72.0)
                    .collect();
                assert!(controls.len() >= 5, "{size:?} {language}: {controls:?}");
                for (i, (a, ra)) in controls.iter().enumerate() {
                    for (b, rb) in &controls[i + 1..] {
                        assert!(
                            !ra.shrink(0.5).intersects(rb.shrink(0.5)),
                            "{size:?} {language} demo={demo}: {a:?} {ra:?} is drawn over {b:?} {rb:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn enter_without_credentials_says_that_nothing_was_sent() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).start(&rt);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "Nothing was sent: there are no credentials yet."),
        "{}",
        dump(&h)
    );
    assert!(h.get_by_label("Instance name").is_focused());
}

#[test]
fn a_custom_endpoint_in_use_is_shown_in_the_top_bar() {
    let rt = runtime();
    let h = offline_app(&rt);
    assert!(
        has_label(&h, "Custom endpoint: http://127.0.0.1:9/"),
        "{}",
        dump(&h)
    );
    // The region's own endpoint is not worth a word there.
    let h = TestApp::new(StartCredentials::None).start(&rt);
    assert!(!has_label_containing(&h, "Custom endpoint:"));
}
