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
        // A blinking caret repaints twice a second forever while a field has focus (and the
        // name field has focus from the start): a steady caret keeps an idle window idle.
        style.visuals.text_cursor.blink = false;
    });
}

/// Tones of colour for good, warning and bad news; always shown together with a word or an icon.
#[derive(Clone, Copy, Debug)]
pub enum Tone {
    Good,
    Warn,
    Bad,
}

impl Tone {
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

/// Frames per second for the in-flight animation. egui's `Spinner` asks for a repaint every
/// frame, which without vsync (remote desktops, Xvfb) means hundreds of frames a second; 30
/// is smooth enough for a spinner and for elapsed time shown in tenths.
const SPINNER_FRAME: std::time::Duration = std::time::Duration::from_millis(33);

/// A small rotating arc that repaints at most 30 times a second, only while it is shown.
pub fn spinner(ui: &mut egui::Ui) -> egui::Response {
    let size = ui.text_style_height(&TextStyle::Body);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        ui.ctx().request_repaint_after(SPINNER_FRAME);
        let color = ui.visuals().strong_text_color();
        let radius = rect.height() / 2.0 - 2.0;
        let time = ui.input(|i| i.time);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "an angle; precision is irrelevant"
        )]
        let start = (time * std::f64::consts::TAU * 0.8) as f32;
        let points: Vec<egui::Pos2> = (0..=24)
            .map(|i| {
                #[expect(clippy::cast_precision_loss, reason = "0..=24")]
                let a = start + (i as f32 / 24.0) * std::f32::consts::PI * 1.5;
                rect.center() + radius * egui::vec2(a.cos(), a.sin())
            })
            .collect();
        ui.painter()
            .add(egui::Shape::line(points, egui::Stroke::new(2.0, color)));
    }
    response
}
