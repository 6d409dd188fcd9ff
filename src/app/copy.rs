//! The window's Copy buttons, one look per place: "Copy" / "✔ Copied" on cards and details,
//! 📋 / ✔ in table rows. Each is named for what it copies (so a screen reader tells them
//! apart), confirms a copy in words, and on X11 says the copy outlives the window.

use super::i18n::T;
use super::keep_clipboard;
use super::session::Session;

/// How a Copy button looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// "Copy", then "✔ Copied": on cards and in details.
    Word,
    /// 📋, then ✔, with the word in its tooltip: in table rows.
    Icon,
}

/// Draws a Copy button for `text`, named `name`; true when clicked (the caller copies, through
/// `AppCommand::Copy`).
pub fn copy_button(
    ui: &mut egui::Ui,
    session: &Session,
    text: &str,
    name: &str,
    look: Look,
) -> bool {
    let lang = session.lang;
    let copied = session.recently_copied(text);
    let word = lang.t(if copied { T::Copied } else { T::Copy });
    let button = match look {
        Look::Word if copied => ui.small_button(format!("✔ {word}")),
        Look::Word => ui.small_button(word),
        Look::Icon => ui.add(egui::Button::new(if copied { "✔" } else { "📋" }).small()),
    };
    let x11 = keep_clipboard::is_x11_session();
    let button = if look == Look::Icon || x11 {
        button.on_hover_ui(|ui| {
            if look == Look::Icon {
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
