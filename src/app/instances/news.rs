//! What a screen reader user hears of the view's outcomes (a rename, a delete; a topic or a
//! group created or deleted; a topic in service; a config copied).
//!
//! Each outcome is said twice over, because readers differ: as the label of a live status
//! node, which AccessKit announces (NVDA, VoiceOver and newer Orca speak it), and as the
//! description of the control that has the keyboard focus, which Orca 43 — deaf to
//! announcements — speaks when it changes. The description carries the news only while the
//! focus stays where it was when the news came (or, when the view moves the focus itself, on
//! the control it moves it to), so it is not read again and again.

use egui::accesskit::{Live, Role};

/// The last outcome to be heard.
#[derive(Clone, Debug, Default)]
pub struct News {
    /// What the live status node says, and how urgently; kept until the next news.
    said: Option<(String, Live)>,
    /// The same words, on the focused control's description.
    carried: Option<Carried>,
}

#[derive(Clone, Debug)]
struct Carried {
    text: String,
    /// The control that carries it: the one focused when it was first drawn.
    on: Option<egui::Id>,
}

impl News {
    /// Something happened: say `text` (failures and doubts `urgent`ly).
    pub fn tell(&mut self, text: String, urgent: bool) {
        let live = if urgent {
            Live::Assertive
        } else {
            Live::Polite
        };
        self.carried = Some(Carried {
            text: text.clone(),
            on: None,
        });
        self.said = Some((text, live));
    }

    /// The focus is about to be moved by the view: the news goes to where it lands.
    pub fn follow_focus(&mut self) {
        if let Some(carried) = &mut self.carried {
            carried.on = None;
        }
    }

    /// Puts the news in the tree, once per frame after the view was drawn: the live status
    /// node (named `status`), and the focused control's description.
    pub fn show(&mut self, ctx: &egui::Context, status: &str) {
        if let Some((text, live)) = &self.said {
            ctx.accesskit_node_builder(egui::Id::unique(status), |node| {
                node.set_role(Role::Status);
                node.set_live(*live);
                node.set_label(text.as_str());
            });
        }
        let Some(carried) = &mut self.carried else {
            return;
        };
        let Some(focused) = ctx.memory(egui::Memory::focused) else {
            return;
        };
        let on = *carried.on.get_or_insert(focused);
        if on != focused {
            // The user moved on: the news was heard where it was (or is in the status node).
            self.carried = None;
            return;
        }
        if ctx.has_accesskit_node(focused) {
            ctx.accesskit_node_builder(focused, |node| {
                let text = match node.description() {
                    Some(own) if !own.is_empty() => format!("{}. {own}", carried.text),
                    _ => carried.text.clone(),
                };
                node.set_description(text);
            });
        }
    }
}
