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
        // Each glyph on whole pixels, drawn once per size, as native toolkits draw UI text:
        // sharper at 1× than egui's four sub-pixel copies (which its docs call blurrier), a
        // quarter of the glyph atlas, and a first frame that rasterises each glyph once
        // (0.8 ms of its 3.2 ms of text; docs/performance.md). Hinting stays on: without it
        // the light UI face goes soft.
        style.visuals.text_options.subpixel_binning = false;
    });
    ctx.style_mut_of(Theme::Dark, |style| legible(&mut style.visuals));
    ctx.style_mut_of(Theme::Light, |style| legible(&mut style.visuals));
}

/// Text colours that reach WCAG AA (4.5:1) on every surface they are drawn on, and a visible
/// edge (3:1) around text fields and buttons. egui's own weak text (normal text at 60 % alpha)
/// measures 2.6–2.9:1, and its light theme draws a white field on a near-white panel with no
/// edge at all. `tests` below measures every pair from the installed style.
fn legible(visuals: &mut egui::Visuals) {
    let gray = Color32::from_gray;
    let w = &mut visuals.widgets;
    if visuals.dark_mode {
        w.noninteractive.fg_stroke.color = gray(200);
        visuals.weak_text_color = Some(gray(150));
        w.inactive.bg_stroke = egui::Stroke::new(1.0, gray(115));
        visuals.warn_fg_color = Color32::from_rgb(0xf0, 0xb4, 0x40);
        visuals.error_fg_color = Color32::from_rgb(0xff, 0x7b, 0x72);
    } else {
        w.noninteractive.fg_stroke.color = gray(50);
        visuals.weak_text_color = Some(gray(105));
        w.inactive.bg_stroke = egui::Stroke::new(1.0, gray(130));
        visuals.hyperlink_color = Color32::from_rgb(0x00, 0x5f, 0xb8);
        visuals.warn_fg_color = Color32::from_rgb(0x9a, 0x60, 0x00);
        visuals.error_fg_color = Color32::from_rgb(0xc0, 0x24, 0x1c);
    }
}

/// Tones of colour for good, warning and bad news; always shown together with a word or an icon.
#[derive(Clone, Copy, Debug)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    /// Neither good nor bad news (an instance deleted since): the theme's weak text.
    Quiet,
}

impl Tone {
    /// The colour for this status in the current theme.
    pub fn color(self, ui: &egui::Ui) -> Color32 {
        self.color_in(ui.visuals())
    }

    /// The colour for this status in `visuals`: warnings and errors are the theme's own
    /// (set by [`install`]), so egui's widgets and ours agree.
    pub fn color_in(self, visuals: &egui::Visuals) -> Color32 {
        match (self, visuals.dark_mode) {
            (Self::Good, true) => Color32::from_rgb(0x6c, 0xc6, 0x7c),
            (Self::Good, false) => Color32::from_rgb(0x1a, 0x7f, 0x37),
            (Self::Warn, _) => visuals.warn_fg_color,
            (Self::Bad, _) => visuals.error_fg_color,
            (Self::Quiet, _) => visuals.weak_text_color(),
        }
    }
}

/// The theme's focus stroke around `rect`: where the keyboard is, for a widget that shows
/// no focus of its own (a frameless button) or too little (a radio button's circle only
/// changes its shade).
pub fn focus_ring(ui: &egui::Ui, rect: egui::Rect) {
    ui.painter().rect_stroke(
        rect.expand2(egui::vec2(4.0, 2.0)),
        4.0,
        ui.visuals().selection.stroke,
        egui::StrokeKind::Outside,
    );
}

/// A card: rounded, subtle stroke, a little lighter than the panel.
pub fn card(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::group(ui.style())
        .inner_margin(Margin::same(12))
        .corner_radius(8)
        .fill(ui.visuals().faint_bg_color)
}

/// The width of a facts column wide enough for the longest of `keys` (at most 40% of the room).
pub fn facts_key_width(ui: &egui::Ui, keys: &[&str]) -> f32 {
    let font = TextStyle::Body.resolve(ui.style());
    let widest = ui.ctx().fonts_mut(|f| {
        keys.iter()
            .map(|k| {
                f.layout_no_wrap((*k).to_owned(), font.clone(), Color32::PLACEHOLDER)
                    .size()
                    .x
            })
            .fold(0.0, f32::max)
    });
    (widest + 2.0 * ui.spacing().item_spacing.x).min(ui.available_width() * 0.4)
}

/// One fact: its name, weak, in a column `key_width` wide, then its value wrapping in the rest
/// of the width. Laid out in this frame, unlike a `Grid`, which sizes its columns from the last
/// one: a value that wraps differently on the first frame (a long name on a new card) then
/// runs into the next row or makes everything below it jump.
pub fn fact_ui(ui: &mut egui::Ui, key_width: f32, key: &str, value: impl FnOnce(&mut egui::Ui)) {
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(key_width, 0.0),
            egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true),
            |ui| {
                ui.set_width(key_width);
                ui.add(egui::Label::new(egui::RichText::new(key).weak()).wrap());
            },
        );
        ui.allocate_ui_with_layout(
            egui::vec2(ui.available_width(), 0.0),
            egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true),
            value,
        );
    });
}

/// An Instance ID cut in the middle to fit the room left in `ui` (`MQ_INST…0000_dwVp137Z`):
/// its end is what tells two IDs of one account apart. The whole ID is in the accessibility
/// tree.
pub fn middle_cut_id(ui: &mut egui::Ui, id: &str) -> egui::Response {
    let font = TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.ctx().fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive count of characters"
    )]
    let fits = (ui.available_width() / char_width).floor().max(0.0) as usize;
    let resp = ui.label(egui::RichText::new(middle_elided(id, fits)).monospace());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, id));
    resp
}

/// `text` in at most `max` characters, the middle replaced by `…`, keeping more of the end.
pub fn middle_elided(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let head = keep / 3;
    let tail = keep - head;
    let mut out: String = chars.iter().take(head).collect();
    out.push('…');
    out.extend(chars.iter().skip(chars.len() - tail));
    out
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

#[cfg(test)]
mod tests {
    use super::{Tone, banner_colors, install, middle_elided};
    use egui::{Color32, Theme, Visuals};

    /// WCAG 2.x relative luminance of an opaque sRGB colour.
    fn luminance(c: Color32) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn ratio(a: Color32, b: Color32) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// `top` (premultiplied, possibly translucent) painted over the opaque `bottom`.
    fn over(top: Color32, bottom: Color32) -> Color32 {
        let keep = 1.0 - f32::from(top.a()) / 255.0;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "0..=255 by construction"
        )]
        let mix = |t: u8, b: u8| (f32::from(t) + f32::from(b) * keep).round().min(255.0) as u8;
        Color32::from_rgb(
            mix(top.r(), bottom.r()),
            mix(top.g(), bottom.g()),
            mix(top.b(), bottom.b()),
        )
    }

    /// Every (what, foreground, background, minimum) pair the window draws in `theme`.
    fn pairs(theme: Theme, v: &Visuals) -> Vec<(String, Color32, Color32, f64)> {
        let surfaces = [
            ("panel", v.panel_fill),
            ("window", v.window_fill),
            ("card on panel", over(v.faint_bg_color, v.panel_fill)),
            ("card on window", over(v.faint_bg_color, v.window_fill)),
            (
                "striped row on a card",
                over(v.faint_bg_color, over(v.faint_bg_color, v.panel_fill)),
            ),
            ("text field", v.text_edit_bg_color()),
        ];
        let texts = [
            ("text", v.text_color()),
            ("weak text", v.weak_text_color()),
            ("strong text", v.strong_text_color()),
            ("field text", v.widgets.inactive.text_color()),
            ("hyperlink", v.hyperlink_color),
            ("warn", v.warn_fg_color),
            ("error", v.error_fg_color),
            ("good", Tone::Good.color_in(v)),
            ("Tone::Warn", Tone::Warn.color_in(v)),
            ("Tone::Bad", Tone::Bad.color_in(v)),
        ];
        let mut out = Vec::new();
        for (bg_name, bg) in surfaces {
            for (fg_name, fg) in texts {
                out.push((format!("{fg_name} on {bg_name}"), over(fg, bg), bg, 4.5));
            }
            // A field or button edge must stand out from what it sits on (WCAG 1.4.11).
            if bg_name != "text field" {
                let edge = v.widgets.inactive.bg_stroke;
                let field = v.text_edit_bg_color();
                let stroke = over(edge.color, bg);
                let seen = if edge.width > 0.0 && ratio(stroke, bg) > ratio(field, bg) {
                    stroke
                } else {
                    field
                };
                out.push((format!("field edge on {bg_name}"), seen, bg, 3.0));
                // Hovered and focused (the selection stroke) fields keep an edge too.
                for (state, edge) in [
                    ("hovered", v.widgets.hovered.bg_stroke.color),
                    ("focused", v.selection.stroke.color),
                ] {
                    out.push((
                        format!("{state} field edge on {bg_name}"),
                        over(edge, bg),
                        bg,
                        3.0,
                    ));
                }
            }
        }
        let panel = v.panel_fill;
        for (state, w) in [
            ("inactive", &v.widgets.inactive),
            ("hovered", &v.widgets.hovered),
            ("active", &v.widgets.active),
            ("open", &v.widgets.open),
        ] {
            let fill = over(w.weak_bg_fill, panel);
            out.push((
                format!("{state} button text"),
                over(w.text_color(), fill),
                fill,
                4.5,
            ));
        }
        let sel = over(v.selection.bg_fill, panel);
        out.push((
            "selected text".into(),
            over(v.selection.stroke.color, sel),
            sel,
            4.5,
        ));
        // The Create button: strong text on the selection colour.
        out.push((
            "Create button text".into(),
            over(v.strong_text_color(), sel),
            sel,
            4.5,
        ));
        let (fill, text) = banner_colors(theme);
        out.push(("banner text".into(), text, fill, 4.5));
        out.push((
            "banner strong text".into(),
            v.strong_text_color(),
            fill,
            4.5,
        ));
        out
    }

    /// Every text colour of the installed style reaches WCAG AA (4.5:1) against every surface
    /// it is drawn on, and text fields have an edge or fill of 3:1, in both themes.
    #[test]
    fn installed_style_meets_wcag_contrast() {
        let ctx = egui::Context::default();
        install(&ctx);
        let mut failures = Vec::new();
        for theme in [Theme::Dark, Theme::Light] {
            let style = ctx.style_of(theme);
            for (what, fg, bg, min) in pairs(theme, &style.visuals) {
                let r = ratio(fg, bg);
                if r < min {
                    failures.push(format!(
                        "{theme:?}: {what}: {fg:?} on {bg:?} = {r:.2}:1 < {min}:1"
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn contrast_ratio_matches_known_values() {
        assert!((ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known lightest grey that passes AA: 4.54:1.
        let r = ratio(Color32::from_gray(0x76), Color32::WHITE);
        assert!((r - 4.54).abs() < 0.01, "{r}");
    }

    #[test]
    fn an_id_cut_in_the_middle_keeps_its_end() {
        let id = "MQ_INST_1880770869020000_dwVp137Z";
        assert_eq!(middle_elided(id, 40), id);
        assert_eq!(middle_elided(id, 22), "MQ_INST…20000_dwVp137Z");
        assert_eq!(middle_elided(id, 22).chars().count(), 22);
        assert_eq!(middle_elided(id, 0), "…");
    }
}
