//! The typed-name confirmation every delete of this view goes through (an instance, a topic, a
//! group): a modal that says what will be deleted and what stops working, and enables Delete
//! only once the exact name is typed. Enter on a name that does not match keeps the cursor in
//! the field and says that capitals count.

use egui::RichText;

use super::super::i18n::{InstancesText, Lang, T};
use super::super::style::Tone;

/// What the user typed into a delete confirmation.
#[derive(Clone, Debug)]
pub struct Typed {
    /// The exact name to type.
    pub name: String,
    pub text: String,
    /// Put the cursor in the field on the next frame.
    focus: bool,
}

impl Typed {
    pub fn new(name: String) -> Self {
        Self {
            name,
            text: String::new(),
            focus: true,
        }
    }

    pub fn confirmed(&self) -> bool {
        self.text == self.name
    }
}

/// What the user did in the dialog this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Waiting,
    Delete,
    Cancel,
}

/// What the dialog says, top to bottom.
pub struct Wording<'a> {
    pub title: &'a str,
    /// "Delete the topic orders of legacy-orders (MQ_INST_…)?"
    pub question: String,
    /// What stops working, what is lost: each line with its tone.
    pub lines: Vec<(String, Option<Tone>)>,
    /// The field's label: "Type the topic's name to confirm".
    pub field: &'a str,
}

/// The modal; `salt` keeps dialogs of different kinds apart. `more` draws what goes under
/// the wording (the ways to what blocks a delete).
pub fn dialog_ui(
    ctx: &egui::Context,
    salt: &str,
    lang: Lang,
    wording: &Wording<'_>,
    typed: &mut Typed,
    more: impl FnOnce(&mut egui::Ui),
) -> Answer {
    let mut answer = Answer::Waiting;
    let modal = egui::Modal::new(egui::Id::unique(("onsdesk.delete", salt))).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading(wording.title);
        ui.add_space(4.0);
        ui.add(egui::Label::new(wording.question.as_str()).wrap());
        ui.label(
            RichText::new(format!("⚠ {}", lang.t(InstancesText::DeleteIrreversible)))
                .strong()
                .color(Tone::Bad.color(ui)),
        );
        for (line, tone) in &wording.lines {
            let text = RichText::new(line.as_str());
            let text = match tone {
                Some(tone) => text.color(tone.color(ui)),
                None => text,
            };
            ui.add(egui::Label::new(text).wrap());
        }
        more(ui);
        ui.add_space(8.0);
        let label = ui.label(wording.field).id;
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut typed.text)
                    .hint_text(typed.name.as_str())
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        if std::mem::take(&mut typed.focus) {
            field.request_focus();
        }
        if field.changed() {
            ui.ctx().request_repaint();
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            if typed.confirmed() {
                answer = Answer::Delete;
            } else {
                // Not yet: the cursor stays where the name is typed.
                field.request_focus();
            }
        }
        let mismatch = !typed.text.is_empty() && !typed.confirmed();
        if mismatch {
            let said = lang.t(InstancesText::ConfirmMismatch);
            ui.weak(said);
            // Said by a screen reader too, with the field.
            ui.ctx()
                .accesskit_node_builder(field.id, |node| node.set_description(said));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let delete =
                egui::Button::new(RichText::new(lang.t(InstancesText::DeleteConfirm)).strong());
            let delete = if typed.confirmed() {
                delete.fill(Tone::Bad.color(ui).gamma_multiply(0.35))
            } else {
                delete
            };
            if ui.add_enabled(typed.confirmed(), delete).clicked() {
                answer = Answer::Delete;
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                answer = Answer::Cancel;
            }
        });
    });
    if answer == Answer::Waiting && modal.should_close() {
        answer = Answer::Cancel;
    }
    answer
}
