//! The window's Copy buttons, one look per place: "Copy" / "✔ Copied" on cards and details,
//! 📋 / ✔ in table rows. Each is named for what it copies (so a screen reader tells them
//! apart), confirms a copy in words, and on X11 says the copy outlives the window.

use std::time::{Duration, Instant};

use super::i18n::{Lang, T};
use super::keep_clipboard;

/// How long "Copied" shows.
pub const COPIED_FOR: Duration = Duration::from_millis(1500);

/// The text last copied and when: what every "Copied" mark reads.
#[derive(Debug, Default)]
pub struct CopyMark(Option<(String, Instant)>);

impl CopyMark {
    /// `text` was copied now.
    pub fn set(&mut self, text: String) {
        self.0 = Some((text, Instant::now()));
    }

    /// The text last copied, however long ago.
    pub fn last(&self) -> Option<&str> {
        self.0.as_ref().map(|(text, _)| text.as_str())
    }

    /// Whether `text` was copied a moment ago (its button says "Copied").
    pub fn recently(&self, text: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|(t, at)| t == text && at.elapsed() < COPIED_FOR)
    }

    /// Whether a "Copied" mark shows now.
    pub fn showing(&self) -> bool {
        self.last().is_some_and(|text| self.recently(text))
    }
}

/// How a Copy button looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyLook {
    /// "Copy", then "✔ Copied": on cards and in details.
    Word,
    /// 📋, then ✔, with the word in its tooltip: in table rows.
    Icon,
}

/// Draws a Copy button for `text`, named `name`; true when clicked (the caller copies, through
/// `AppCommand::Copy`).
pub fn copy_button(
    ui: &mut egui::Ui,
    lang: Lang,
    mark: &CopyMark,
    text: &str,
    name: &str,
    look: CopyLook,
) -> bool {
    let copied = mark.recently(text);
    let word = lang.t(if copied { T::Copied } else { T::Copy });
    let button = match look {
        CopyLook::Word if copied => ui.small_button(format!("✔ {word}")),
        CopyLook::Word => ui.small_button(word),
        CopyLook::Icon => ui.add(egui::Button::new(if copied { "✔" } else { "📋" }).small()),
    };
    let x11 = keep_clipboard::is_x11_session();
    let button = if look == CopyLook::Icon || x11 {
        button.on_hover_ui(|ui| {
            if look == CopyLook::Icon {
                ui.label(word);
            }
            if x11 {
                ui.weak(lang.t(T::CopyKeptOnX11));
            }
        })
    } else {
        button
    };
    let button = button.accessible_name(name);
    if copied {
        // The confirmation, read after the name.
        let said = format!("✔ {word}");
        ui.ctx()
            .accesskit_node_builder(button.id, |node| node.set_description(said));
    }
    button.clicked()
}
