//! What a screen reader user hears of a view's outcomes (a rename, a delete; a topic or a
//! group created or deleted; a topic in service; a config copied; what a history refresh
//! found).
//!
//! Each outcome is said twice over, because readers differ: as the label of a live status
//! node, which AccessKit announces (NVDA, VoiceOver and newer Orca speak it), and as the
//! description of the control that has the keyboard focus, which Orca 43 — deaf to
//! announcements — speaks when it changes. The description carries the news only while the
//! focus stays where it was when the news came (or, when the view moves the focus itself, on
//! the control it moves it to) and until the next key: it is heard once, not read again with
//! every character typed.

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
        let typed = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(
                    e,
                    egui::Event::Key { pressed: true, .. }
                        | egui::Event::Text(_)
                        | egui::Event::Paste(_)
                )
            })
        });
        let on = match carried.on {
            Some(on) if on != focused || typed => {
                // The user moved on: the news was heard where it was (and is in the status
                // node).
                self.carried = None;
                return;
            }
            Some(on) => on,
            None => *carried.on.insert(focused),
        };
        if ctx.has_accesskit_node(on) {
            ctx.accesskit_node_builder(on, |node| {
                let text = match node.description() {
                    Some(own) if !own.is_empty() => joined(&carried.text, own),
                    _ => carried.text.clone(),
                };
                node.set_description(text);
            });
        }
    }
}

/// The news, then what the control says of itself, as one description.
fn joined(news: &str, own: &str) -> String {
    let ends_a_sentence = news.ends_with(['.', '。', '!', '?', '！', '？', '…']);
    if ends_a_sentence {
        format!("{news} {own}")
    } else {
        format!("{news}. {own}")
    }
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn a_sentence_is_not_ended_twice() {
        assert_eq!(
            joined("Topic orders created.", "Group ID"),
            "Topic orders created. Group ID"
        );
        assert_eq!(
            joined("已创建 Topic orders。", "Group ID"),
            "已创建 Topic orders。 Group ID"
        );
        assert_eq!(
            joined("Creating the group", "✔ Valid."),
            "Creating the group. ✔ Valid."
        );
    }
}
