//! The create form: name and remark with live validation, the Create button, and the
//! in-flight row (spinner, elapsed time, Cancel).

use egui::{Key, RichText};

use crate::validation::{
    NAME_MAX_CHARS, REMARK_SOFT_MAX_CHARS, RemarkCheck, validate_instance_name,
};

use super::super::a11y;
use super::super::fonts;
use super::super::i18n::{FormText, Lang, T};
use super::super::preflight::{NameHint, REGION_QUOTA};
use super::super::style::{self, Tone};

/// What the user typed. Kept while a call runs and after an error.
#[derive(Clone, Debug, Default)]
pub struct Form {
    pub name: String,
    pub remark: String,
}

impl Form {
    pub fn is_valid(&self) -> bool {
        validate_instance_name(&self.name).is_ok()
    }
}

/// What the form view needs besides the form.
pub struct FormContext<'a> {
    pub lang: Lang,
    /// Credentials are ready: a create can be sent.
    pub ready: bool,
    /// Seconds the current call has been in flight.
    pub in_flight: Option<f32>,
    /// Set to move keyboard focus into the name field (first frame); cleared here.
    pub focus_name: &'a mut bool,
    /// What the pre-flight look at the region said about this name.
    pub preflight: Option<NameHint>,
    /// The instance this very name (in this region) was created as just now, on the card:
    /// said neutrally, with "New instance", instead of the taken-name warning.
    pub created_now: Option<&'a str>,
    /// Set here: where the form's buttons (or the in-flight row) end, in screen points. The
    /// window keeps the history panel from covering it.
    pub create_bottom: f32,
    /// Enter was refused for this very name, and why (said under the buttons).
    pub refused: Option<Refusal>,
}

/// What the form drew that the create feature speaks through, once it has acted on the
/// frame's input (see [`say`]).
pub struct FormOutput {
    pub action: Option<FormAction>,
    name: egui::Response,
    remark: egui::Response,
    /// The name's verdict (or "created just now"), with a pre-flight warning.
    name_said: String,
}

/// Why Enter sent nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The name is not valid (the reason is under the field).
    InvalidName,
    /// There are no credentials yet.
    NoCredentials,
}

impl Refusal {
    /// What it says, on screen and to a screen reader.
    pub fn text(self) -> FormText {
        match self {
            Self::InvalidName => FormText::FixNameFirst,
            Self::NoCredentials => FormText::NoCredsEnter,
        }
    }
}

/// What the user asked for (one thing per frame).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    Submit,
    Cancel,
    ShowRequest,
    /// "New instance": clear the form and start over in the name field.
    NewInstance,
    /// Enter sent nothing, for this reason.
    Refused(Refusal),
}

/// The name field's id, stable so focus can be moved to it.
pub fn name_field_id() -> egui::Id {
    egui::Id::unique("onsdesk.instance_name")
}

/// Draws the form.
pub fn form_ui(ui: &mut egui::Ui, form: &mut Form, cx: &mut FormContext<'_>) -> FormOutput {
    let lang = cx.lang;
    let mut action = None;
    // No heading: the selected "Create instance" tab above names the view (and the room it
    // took is the history's at 720×480).

    let name_resp = name_field_ui(ui, lang, &mut form.name, name_field_id(), "orders-prod");
    if std::mem::take(&mut *cx.focus_name) {
        name_resp.request_focus();
    }
    let name_said = if let Some(id) = cx.created_now {
        // The name was valid when it was sent: the hint says more than "Valid name".
        created_now_ui(ui, lang, id);
        if let Some(hint @ NameHint::QuotaFull { .. }) = &cx.preflight {
            preflight_ui(ui, lang, hint);
        }
        lang.created_just_now(id)
    } else {
        name_verdict_ui(ui, lang, &form.name);
        if let Some(hint) = &cx.preflight {
            preflight_ui(ui, lang, hint);
        }
        // A warning of the pre-flight is said with the verdict; "the name is free" is not, as
        // it would be said again after every pause in typing.
        let warning = cx
            .preflight
            .as_ref()
            .and_then(|h| preflight_warning(lang, h));
        lang.sentences(&[
            &name_said(lang, &form.name),
            warning.as_deref().unwrap_or_default(),
        ])
    };
    ui.add_space(8.0);

    // A fixed id: the pre-flight hint appearing above must not move focus away.
    let remark_resp = remark_field_ui(
        ui,
        lang,
        &mut form.remark,
        egui::Id::unique("onsdesk.remark"),
    );
    ui.add_space(12.0);

    let can_create = cx.ready && cx.in_flight.is_none() && form.is_valid();
    buttons_ui(ui, form, cx, can_create, &mut action);

    let enter = ui.input(|i| i.key_pressed(Key::Enter));
    if enter && (name_resp.lost_focus() || remark_resp.lost_focus()) {
        if can_create {
            action = Some(FormAction::Submit);
        } else if cx.in_flight.is_none() {
            // Said, not silently ignored: under the buttons, and on the field.
            action = Some(FormAction::Refused(if form.is_valid() {
                Refusal::NoCredentials
            } else {
                Refusal::InvalidName
            }));
        }
        // Keep typing where one was: Enter on an invalid name should not lose the field.
        if name_resp.lost_focus() {
            name_resp.request_focus();
        } else {
            remark_resp.request_focus();
        }
    }
    FormOutput {
        action,
        name: name_resp,
        remark: remark_resp,
        name_said,
    }
}

/// What the fields say to a screen reader, after the frame's keys and the action they led
/// to (so it is never a frame behind what was typed): the name its verdict, unless `status`
/// (the create running or how it ended, or why Enter sent nothing) is to be said, on both
/// fields. Orca 43 says a focused field's description again when it changes, and does not
/// speak live regions.
pub fn say(out: &FormOutput, lang: Lang, form: &Form, status: Option<&str>) {
    let invalid = !form.name.is_empty() && !form.is_valid();
    let said = status.unwrap_or(&out.name_said);
    a11y::field_state(&out.name, lang, &form.name, said, invalid);
    if let Some(status) = status {
        a11y::field_state(&out.remark, lang, &form.remark, status, false);
    }
}

/// Create (or the in-flight row with Cancel), then the quiet "Show request".
fn buttons_ui(
    ui: &mut egui::Ui,
    form: &Form,
    cx: &mut FormContext<'_>,
    can_create: bool,
    action: &mut Option<FormAction>,
) {
    let lang = cx.lang;
    if let Some(secs) = cx.in_flight {
        let row = ui.horizontal(|ui| {
            style::spinner(ui);
            ui.label(lang.creating(secs));
            if ui.button(lang.t(T::Cancel)).clicked() {
                *action = Some(FormAction::Cancel);
            }
        });
        cx.create_bottom = row.response.rect.bottom();
        return;
    }
    let row = ui.horizontal_wrapped(|ui| {
        let button = egui::Button::new(RichText::new(lang.t(FormText::Create)).strong())
            .fill(if can_create {
                ui.visuals().selection.bg_fill
            } else {
                ui.visuals().widgets.inactive.weak_bg_fill
            })
            .min_size(egui::vec2(96.0, 28.0));
        if ui.add_enabled(can_create, button).clicked() {
            *action = Some(FormAction::Submit);
            // The button gives way to "Creating…" and Cancel: the keyboard goes to the name,
            // where the create is said as it runs and ends.
            *cx.focus_name = true;
        }
        if cx.created_now.is_some() {
            // Beside Create, where the next step is: the form stays short enough for the
            // smallest window.
            if ui
                .button(lang.t(FormText::NewInstance))
                .on_hover_text(lang.t(FormText::NewInstanceHint))
                .clicked()
            {
                *action = Some(FormAction::NewInstance);
            }
        } else {
            ui.weak(lang.t(FormText::EnterHint));
        }
    });
    let refused = cx.refused.map(|why| {
        ui.add(
            egui::Label::new(
                RichText::new(format!("✖ {}", lang.t(why.text())))
                    .small()
                    .color(Tone::Bad.color(ui)),
            )
            .wrap(),
        )
    });
    let can_show = cx.ready && form.is_valid();
    let show = ui
        .add_enabled(
            can_show,
            egui::Button::new(lang.t(FormText::ShowRequest)).small(),
        )
        .on_hover_text(lang.t(FormText::ShowRequestHint));
    if show.clicked() {
        *action = Some(FormAction::ShowRequest);
    }
    // The last of the buttons: a half-hidden one under the history looks broken.
    cx.create_bottom = row
        .response
        .rect
        .bottom()
        .max(show.rect.bottom())
        .max(refused.map_or(f32::MIN, |r| r.rect.bottom()));
}

/// `Label ......... n/max`, the counter coloured by `status` (never colour alone: the message
/// under the field says it in words). Returns the label's id for `labelled_by`.
/// "Instance name  n/64" over its field (a name for it in the accessibility tree), and a note
/// when no installed font can show some of its characters. The create form's and the rename's.
pub fn name_field_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    name: &mut String,
    id: egui::Id,
    hint: &str,
) -> egui::Response {
    let label = label_with_counter(
        ui,
        lang.t(FormText::InstanceName),
        name.chars().count(),
        NAME_MAX_CHARS,
        |n| (n > NAME_MAX_CHARS).then_some(Tone::Bad),
    );
    let field = ui
        .add(
            egui::TextEdit::singleline(name)
                .id(id)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label);
    // The verdict, said after the name and the value; the create form says more.
    let invalid = !name.is_empty() && validate_instance_name(name).is_err();
    a11y::field_state(&field, lang, name, &name_said(lang, name), invalid);
    // The counter above the field was drawn before this keystroke landed: one more frame.
    if field.changed() {
        ui.ctx().request_repaint();
    }
    let unshown = fonts::missing_glyphs(ui.ctx(), name);
    if !unshown.is_empty() {
        ui.add(egui::Label::new(RichText::new(lang.unshown_chars(&unshown)).weak()).wrap());
    }
    field
}

/// "Remark (optional)  n/128" over its field, and the warning past the soft limit. The create
/// form's and the remark edit's.
pub fn remark_field_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    remark: &mut String,
    id: egui::Id,
) -> egui::Response {
    let check = RemarkCheck::of(remark);
    let label = label_with_counter(
        ui,
        lang.t(FormText::Remark),
        check.chars,
        REMARK_SOFT_MAX_CHARS,
        |n| (n > REMARK_SOFT_MAX_CHARS).then_some(Tone::Warn),
    );
    let field = ui
        .add(
            egui::TextEdit::singleline(remark)
                .id(id)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label);
    a11y::field_state(&field, lang, remark, "", false);
    if field.changed() {
        ui.ctx().request_repaint();
    }
    if check.is_long() {
        ui.label(
            RichText::new(format!(
                "⚠ {}",
                lang.remark_warning(check.chars, REMARK_SOFT_MAX_CHARS)
            ))
            .color(Tone::Warn.color(ui)),
        );
    }
    field
}

pub fn label_with_counter(
    ui: &mut egui::Ui,
    text: &str,
    n: usize,
    max: usize,
    status: impl Fn(usize) -> Option<Tone>,
) -> egui::Id {
    ui.horizontal(|ui| {
        let id = ui.label(text).id;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let counter = RichText::new(format!("{n}/{max}")).small();
            match status(n) {
                Some(s) => ui.label(counter.color(s.color(ui))),
                None => ui.weak(counter),
            };
        });
        id
    })
    .inner
}

/// The name's verdict under its field: valid, or why not in words (neutral while empty).
pub fn name_verdict_ui(ui: &mut egui::Ui, lang: Lang, name: &str) {
    match validate_instance_name(name) {
        Ok(()) => {
            ui.label(
                RichText::new(format!("✔ {}", lang.t(FormText::NameValid)))
                    .color(Tone::Good.color(ui)),
            );
        }
        Err(e) if name.is_empty() => {
            ui.weak(lang.name_error(&e));
        }
        Err(e) => {
            ui.label(
                RichText::new(format!("✖ {}", lang.name_error(&e))).color(Tone::Bad.color(ui)),
            );
        }
    }
}

/// The name's verdict as a screen reader says it (the rule while it is empty).
fn name_said(lang: Lang, name: &str) -> String {
    match validate_instance_name(name) {
        Ok(()) => lang.t(FormText::NameValid).to_owned(),
        Err(e) => lang.name_error_said(&e),
    }
}

/// The name is the one just created: a fact, not a warning ("New instance", the way to start
/// over, is beside Create). The ID on a line of its own: a sentence around it would break
/// in the middle of a word, in Chinese, where there are no spaces to break at.
fn created_now_ui(ui: &mut egui::Ui, lang: Lang, id: &str) {
    let mut job = egui::text::LayoutJob::default();
    for part in [
        RichText::new(format!("✔ {}\n", lang.t(FormText::CreatedJustNow))).small(),
        RichText::new(format!("{id}\n")).small().monospace(),
        RichText::new(lang.t(FormText::CreateAnother)).small(),
    ] {
        part.append_to(
            &mut job,
            ui.style(),
            egui::FontSelection::Default,
            egui::Align::LEFT,
        );
    }
    // One sentence for a screen reader, as it is said on the name field.
    let said = format!("✔ {}", lang.created_just_now(id));
    ui.add(egui::Label::new(job).wrap())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &said));
}

/// A pre-flight hint that warns (the name is taken, the region is full), in words.
fn preflight_warning(lang: Lang, hint: &NameHint) -> Option<String> {
    match hint {
        NameHint::Taken { id, region } => Some(lang.name_taken(id, region)),
        NameHint::QuotaFull { region, count } => {
            Some(lang.region_quota_full(region, *count, REGION_QUOTA))
        }
        NameHint::Free { .. } => None,
    }
}

fn preflight_ui(ui: &mut egui::Ui, lang: Lang, hint: &NameHint) {
    let (status, icon) = match hint {
        NameHint::Taken { .. } | NameHint::QuotaFull { .. } => (Tone::Warn, "⚠"),
        NameHint::Free { .. } => (Tone::Good, "✔"),
    };
    let said = match hint {
        NameHint::Free { region, count } => lang.name_free(region, *count, REGION_QUOTA),
        warning => preflight_warning(lang, warning).unwrap_or_default(),
    };
    let text = RichText::new(format!("{icon} {said}")).small();
    match status {
        Tone::Good => ui.weak(text),
        _ => ui.label(text.color(status.color(ui))),
    };
}
