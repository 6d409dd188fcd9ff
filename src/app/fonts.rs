//! The embedded CJK font, so Chinese renders without any system font (and in kittest).

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans CJK SC, subset to GB2312 (SIL OFL 1.1; see `assets/OFL-NotoSansCJK.txt`).
const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/noto-sans-sc-gb2312.otf");

/// Adds the CJK font as the last fallback of both families: Latin text keeps egui's own
/// fonts, and every hanzi the subset has is drawn from it.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "noto-sans-sc",
        FontData::from_static(NOTO_SANS_SC),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
