//! Names with characters no font can draw: the form says so under the name field (the name is
//! still valid). The harness has only the embedded fonts (no system fallback), as a machine
//! without any CJK font would.

use crate::gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::app::{AppOptions, HistoryLocation, Lang, OnsApp, Setup, StartCredentials};
use onsdesk::credentials::Credentials;

/// The offline app, but drawing tofu for a missing glyph instead of failing the test on it.
fn app_allowing_tofu(rt: &tokio::runtime::Runtime) -> Harness<'static, OnsApp> {
    let handle = rt.handle().clone();
    let setup = Setup {
        options: AppOptions {
            demo: false,
            endpoint: None,
            region: None,
        },
        credentials: StartCredentials::Given(Credentials::new("test-id", "test-secret".into())),
        lang: Some(Lang::En),
        use_storage: false,
        history: HistoryLocation::Off,
        profiles: None,
        profile: None,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(960.0, 640.0))
        .allow_missing_glyphs()
        .build_eframe(move |cc| OnsApp::with_setup(cc, handle, setup));
    harness.step();
    harness
}

const NOTE: &str = "This name contains characters no installed font can show";

#[test]
fn a_rare_character_no_font_has_is_named_under_the_field() {
    let rt = runtime();
    let mut h = app_allowing_tofu(&rt);
    h.run();
    h.get_by_label("Instance name").type_text("订单𠀀服务");
    h.run();
    assert!(has_label(&h, "✔ Valid name."), "the name is valid");
    assert!(
        has_label(
            &h,
            "This name contains characters no installed font can show: U+20000. It is still \
             valid; it will show correctly where a font has them."
        ),
        "the note names the character"
    );
}

#[test]
fn a_common_chinese_name_gets_no_font_note() {
    let rt = runtime();
    let mut h = app_allowing_tofu(&rt);
    h.run();
    h.get_by_label("Instance name").type_text("订单服务-prod");
    h.run();
    assert!(has_label(&h, "✔ Valid name."));
    assert!(!has_label_containing(&h, NOTE));
}
