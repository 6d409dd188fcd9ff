//! Spacing, type scale and status colours, from one place.

use egui::{Color32, FontFamily, FontId, Margin, TextStyle, Theme};

/// The `InstanceId`'s size: the largest text in the window.
pub const ID_SIZE: f32 = 22.0;
const BODY_SIZE: f32 = 14.0;
const HEADING_SIZE: f32 = 18.0;

/// Applies the type scale (three sizes) and spacing to both themes.
pub fn install(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(BODY_SIZE - 2.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(BODY_SIZE, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(BODY_SIZE, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(BODY_SIZE, FontFamily::Monospace),
            ),
            (
                TextStyle::Heading,
                FontId::new(HEADING_SIZE, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 4.0);
        style.spacing.interact_size.y = 24.0;
        style.spacing.window_margin = Margin::same(12);
    });
}

/// Status colours; always shown together with a word or an icon.
#[derive(Clone, Copy, Debug)]
pub enum Status {
    Good,
    Warn,
    Bad,
}

impl Status {
    /// The colour for this status in the current theme.
    pub fn color(self, ui: &egui::Ui) -> Color32 {
        let dark = ui.visuals().dark_mode;
        match (self, dark) {
            (Self::Good, true) => Color32::from_rgb(0x6c, 0xc6, 0x7c),
            (Self::Good, false) => Color32::from_rgb(0x1a, 0x7f, 0x37),
            (Self::Warn, true) => Color32::from_rgb(0xf0, 0xb4, 0x40),
            (Self::Warn, false) => Color32::from_rgb(0x9a, 0x60, 0x00),
            (Self::Bad, true) => Color32::from_rgb(0xff, 0x7b, 0x72),
            (Self::Bad, false) => Color32::from_rgb(0xc0, 0x24, 0x1c),
        }
    }
}

/// A card: rounded, subtle stroke, a little lighter than the panel.
pub fn card(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::group(ui.style())
        .inner_margin(Margin::same(12))
        .corner_radius(8)
        .fill(ui.visuals().faint_bg_color)
}

/// The sandbox banner's colours.
pub fn banner_colors(theme: Theme) -> (Color32, Color32) {
    match theme {
        Theme::Dark => (
            Color32::from_rgb(0x4a, 0x3a, 0x00),
            Color32::from_rgb(0xff, 0xe0, 0x8a),
        ),
        Theme::Light => (
            Color32::from_rgb(0xff, 0xf1, 0xc2),
            Color32::from_rgb(0x5c, 0x40, 0x00),
        ),
    }
}
