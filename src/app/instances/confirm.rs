//! The typed-name confirmation every delete of this view goes through (an instance, a topic, a
//! group): a modal that says what will be deleted and what stops working, and enables Delete
//! only once the exact name is typed. Enter on a name that does not match keeps the cursor in
//! the field and says that capitals count.
//!
//! For a screen reader the field says, as its description, whether the name matches (Orca 43
//! cannot read the text typed), and has no placeholder: the name to type shows in the field,
//! but read as the field's value it would sound as if it were typed already. The keyboard
//! stays with a control on screen throughout: with what opened the dialog until the dialog is
//! drawn visibly; on Cancel or Esc the view gives it back to the opener ([`Typed::opener`]).

use egui::RichText;

use super::super::a11y;
use super::super::i18n::{InstancesText, Lang, T};
use super::super::style::Tone;

/// What the user typed into a delete confirmation.
#[derive(Clone, Debug)]
pub struct Typed {
    /// The exact name to type.
    pub name: String,
    pub text: String,
    /// Put the cursor in the field once the dialog shows.
    focus: bool,
    /// The control that opened the dialog: it gets the keyboard back on Cancel.
    opener: Option<egui::Id>,
    /// Enter was pressed on a name that does not match: said until the next key.
    refused_enter: bool,
}

impl Typed {
    /// A confirmation of `name`, opened by the control `opener`.
    pub fn new(name: String, opener: egui::Id) -> Self {
        Self {
            name,
            text: String::new(),
            focus: true,
            opener: Some(opener),
            refused_enter: false,
        }
    }

    pub fn confirmed(&self) -> bool {
        self.text == self.name
    }

    /// The control that opened the dialog (it gets the keyboard back on Cancel).
    pub fn opener(&self) -> Option<egui::Id> {
        self.opener
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
        // The first frame of a modal is an invisible sizing pass: a field focused then is not
        // in the accessibility tree, and a reader would say the bare window instead.
        if typed.focus && !ui.is_sizing_pass() {
            typed.focus = false;
            field.request_focus();
        }
        if field.changed() {
            typed.refused_enter = false;
            ui.ctx().request_repaint();
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            if typed.confirmed() {
                answer = Answer::Delete;
            } else {
                // Not yet: the cursor stays where the name is typed, and says why.
                typed.refused_enter = !typed.text.is_empty();
                field.request_focus();
            }
        }
        let mismatch = !typed.text.is_empty() && !typed.confirmed();
        if mismatch {
            ui.weak(lang.t(InstancesText::ConfirmMismatch));
        }
        // Said by a screen reader with the field: whether the name matches yet.
        let said = if typed.confirmed() {
            lang.t(InstancesText::ConfirmMatches)
        } else if typed.refused_enter {
            lang.t(InstancesText::ConfirmMismatchEnter)
        } else if mismatch {
            lang.t(InstancesText::ConfirmMismatch)
        } else {
            ""
        };
        a11y::field_state(&field, lang, &typed.text, said, false);
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
