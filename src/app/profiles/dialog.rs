//! The profiles dialog (add, edit, rename, delete, set default, test, import), drawn from its
//! state (`model.rs`): what the user typed and what came back. The keyring and file calls are
//! the controller's (`profiles/mod.rs`), always off the UI thread.

use egui::RichText;
use zeroize::Zeroizing;

use crate::credentials::mask_id;
use crate::profiles::check::Verdict;
use crate::profiles::input::whitespace_around;
use crate::profiles::{KeyringError, Profile, ProfileError, ProfilesFile};
use crate::region::REGIONS;

use super::super::creds::{ProfileOpDone, ProfileProblem};
use super::super::i18n::{Lang, ProfilesText, T};
use super::super::style::{self, Tone};
use super::model::{
    Editor, ProfileList, ProfileNotice, ProfileOp, ProfilesDialog, TestResult, TestState, TestWhat,
    Tested,
};

/// What the user asked of the dialog.
#[derive(Debug)]
pub enum DialogAction {
    Close,
    Run(ProfileOp),
    Test(TestWhat),
    /// Use this profile now (and close the dialog).
    Use(String),
}

/// The dialog's distance from the window's top, in points.
const DIALOG_TOP: f32 = 40.0;

/// Draws the dialog (when open).
pub fn profiles_dialog_ui(
    ctx: &egui::Context,
    state: &mut ProfilesDialog,
    lang: Lang,
) -> Vec<DialogAction> {
    let mut commands = Vec::new();
    if !state.open {
        return commands;
    }
    let id = egui::Id::unique("onsdesk.profiles_dialog");
    // Named by its title, so a screen reader says which dialog opened.
    // Anchored at the top: the title and the fields stay put while the content's height
    // changes (the editor opening, a notice), where a centred dialog jumped.
    let area = egui::Modal::default_area(id)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, DIALOG_TOP))
        .accessible_name(lang.t(T::ProfilesTitle));
    let modal = egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.horizontal(|ui| {
            ui.heading(lang.t(T::ProfilesTitle));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(lang.t(T::Close)).clicked() {
                    commands.push(DialogAction::Close);
                }
            });
        });
        ui.weak(lang.stored_in(state.store_name));
        ui.add_space(6.0);
        toolbar_ui(ui, state, lang, &mut commands);
        ui.add_space(6.0);
        // Inside a modal a scroll area shrinks to its minimum once content overflows: give it
        // the room the window has.
        let room = (ctx.content_rect().height() - 120.0 - DIALOG_TOP).max(120.0);
        egui::ScrollArea::vertical()
            .max_height(room)
            .min_scrolled_height(room)
            .show(ui, |ui| {
                body_ui(ui, state, lang, &mut commands);
                super::super::a11y::follow_focus(ui);
            });
    });
    if modal.should_close() && state.busy.is_none() {
        commands.push(DialogAction::Close);
    }
    commands
}

/// Add and import: above the list, always in view.
fn toolbar_ui(
    ui: &mut egui::Ui,
    state: &mut ProfilesDialog,
    lang: Lang,
    commands: &mut Vec<DialogAction>,
) {
    let busy = state.busy.is_some();
    if state.editor.is_none() {
        ui.horizontal(|ui| {
            let add = ui.add_enabled(
                !busy,
                egui::Button::new(format!("+ {}", lang.t(ProfilesText::AddProfile))),
            );
            // Not in the modal's first, unseen sizing pass: a control focused there is not in
            // the accessibility tree, and a reader would say the bare window first.
            if state.focus_first && !ui.is_sizing_pass() {
                state.focus_first = false;
                add.request_focus();
            }
            if add.clicked() {
                state.editor = Some(Editor::new());
                state.notice = None;
                state.test = TestState::Idle;
                state.focus_first = true;
            }
            if let Some(path) = &state.aliyun_file
                && ui
                    .add_enabled(!busy, egui::Button::new(lang.t(ProfilesText::ImportAliyun)))
                    .on_hover_text(path.display().to_string())
                    .clicked()
            {
                commands.push(DialogAction::Run(ProfileOp::Import));
            }
        });
    }
}

fn body_ui(
    ui: &mut egui::Ui,
    state: &mut ProfilesDialog,
    lang: Lang,
    commands: &mut Vec<DialogAction>,
) {
    let busy = state.busy.is_some();
    // While adding or editing, the form alone: short enough to fit, nothing else to click.
    let list = if state.editor.is_some() {
        &ProfileList::Loading
    } else {
        &state.list
    };
    match list {
        _ if state.editor.is_some() => {}
        ProfileList::Loading => {
            ui.horizontal(|ui| {
                style::spinner(ui);
                ui.label(lang.t(ProfilesText::ProfilesLoading));
            });
        }
        ProfileList::Failed(p) => {
            ui.label(RichText::new(format!("✖ {}", lang.problem(p))).color(Tone::Bad.color(ui)));
        }
        ProfileList::Loaded(file) if file.profiles.is_empty() => {
            ui.weak(lang.t(T::NoProfilesYet));
        }
        ProfileList::Loaded(file) => {
            let file = file.clone();
            list_ui(ui, state, &file, lang, commands);
        }
    }
    ui.add_space(6.0);
    if let Some(editor) = &mut state.editor {
        let focus = std::mem::take(&mut state.focus_first);
        let entered = editor_ui(ui, editor, lang, focus);
        if let Some(close) = editor_buttons_ui(ui, editor, lang, busy, entered.as_ref(), commands)
            && close
        {
            state.editor = None;
        }
    }
    test_result_ui(ui, &state.test, state.editor.as_ref(), lang);
    if let Some(notice) = &state.notice {
        ui.add_space(4.0);
        match notice {
            ProfileNotice::Done(done) => {
                ui.label(
                    RichText::new(format!("✔ {}", lang.op_done(done))).color(Tone::Good.color(ui)),
                );
                if let ProfileOpDone::Imported { source_file, .. } = done {
                    ui.label(
                        RichText::new(format!("⚠ {}", lang.plain_text_file_remains(source_file)))
                            .color(Tone::Warn.color(ui)),
                    );
                }
            }
            ProfileNotice::Failed(p) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("✖ {}", lang.problem(p))).color(Tone::Bad.color(ui)),
                    )
                    .wrap(),
                );
                // No keyring at all: the way to work anyway.
                if matches!(p, ProfileProblem::Profile(e)
                    if matches!(**e, ProfileError::Keyring(KeyringError::Unavailable { .. })))
                {
                    ui.add(egui::Label::new(lang.t(T::UseEnvForSession)).wrap());
                }
            }
        }
    }
}

fn list_ui(
    ui: &mut egui::Ui,
    state: &mut ProfilesDialog,
    file: &ProfilesFile,
    lang: Lang,
    commands: &mut Vec<DialogAction>,
) {
    let busy = state.busy.is_some();
    for p in &file.profiles {
        let is_default = file.default.as_deref() == Some(p.name.as_str());
        style::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&p.name).strong());
                if is_default {
                    ui.label(RichText::new(lang.t(ProfilesText::DefaultMark)).small());
                }
                ui.monospace(mask_id(&p.access_key_id));
                if p.sts {
                    ui.label(RichText::new("STS").small());
                }
                if let Some(r) = &p.region {
                    ui.weak(r);
                }
            });
            if p.sts_expired(time::OffsetDateTime::now_utc()) {
                ui.label(
                    RichText::new(format!("⚠ {}", lang.t(ProfilesText::StsExpired)))
                        .color(Tone::Warn.color(ui)),
                );
            }
            if state.confirm_delete.as_deref() == Some(p.name.as_str()) {
                ui.label(RichText::new(lang.confirm_delete(&p.name)).color(Tone::Bad.color(ui)));
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !busy,
                            egui::Button::new(lang.t(ProfilesText::DeleteConfirm)),
                        )
                        .clicked()
                    {
                        commands.push(DialogAction::Run(ProfileOp::Delete(p.name.clone())));
                    }
                    if ui.button(lang.t(ProfilesText::Keep)).clicked() {
                        state.confirm_delete = None;
                    }
                });
                return;
            }
            if let Some((old, new)) = &mut state.rename
                && old == &p.name
            {
                let mut done = None;
                ui.horizontal(|ui| {
                    let label = ui.label(lang.t(ProfilesText::NewName)).id;
                    ui.add(egui::TextEdit::singleline(new).desired_width(180.0))
                        .labelled_by(label);
                    let ok = crate::profiles::validate_name(new).is_ok();
                    if ui
                        .add_enabled(ok && !busy, egui::Button::new(lang.t(ProfilesText::Rename)))
                        .clicked()
                    {
                        done = Some(Some(ProfileOp::Rename {
                            old: old.clone(),
                            new: new.clone(),
                        }));
                    }
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        done = Some(None);
                    }
                });
                if let Some(op) = done {
                    if let Some(op) = op {
                        commands.push(DialogAction::Run(op));
                    }
                    state.rename = None;
                }
                return;
            }
            row_buttons_ui(ui, state, p, is_default, lang, commands);
        });
    }
}

fn row_buttons_ui(
    ui: &mut egui::Ui,
    state: &mut ProfilesDialog,
    p: &Profile,
    is_default: bool,
    lang: Lang,
    commands: &mut Vec<DialogAction>,
) {
    let busy = state.busy.is_some();
    ui.horizontal_wrapped(|ui| {
        // Every row has these buttons: each is named for its profile.
        let named = |action| lang.profile_action(action, &p.name);
        if ui
            .button(lang.t(ProfilesText::UseProfile))
            .accessible_name(named(ProfilesText::UseProfile))
            .clicked()
        {
            commands.push(DialogAction::Use(p.name.clone()));
        }
        if ui
            .add_enabled(!busy, egui::Button::new(lang.t(ProfilesText::Edit)))
            .accessible_name(named(ProfilesText::Edit))
            .clicked()
        {
            state.editor = Some(Editor::edit(p, is_default));
            state.notice = None;
            state.focus_first = true;
        }
        if ui
            .add_enabled(!busy, egui::Button::new(lang.t(ProfilesText::Rename)))
            .accessible_name(named(ProfilesText::Rename))
            .clicked()
        {
            state.rename = Some((p.name.clone(), p.name.clone()));
        }
        if !is_default
            && ui
                .add_enabled(!busy, egui::Button::new(lang.t(ProfilesText::SetDefault)))
                .accessible_name(named(ProfilesText::SetDefault))
                .clicked()
        {
            commands.push(DialogAction::Run(ProfileOp::SetDefault(p.name.clone())));
        }
        if ui
            .add_enabled(
                !matches!(state.test, TestState::Pending { .. }),
                egui::Button::new(lang.t(ProfilesText::TestCredentials)),
            )
            .accessible_name(named(ProfilesText::TestCredentials))
            .clicked()
        {
            commands.push(DialogAction::Test(TestWhat::Saved(p.name.clone())));
        }
        if ui
            .add_enabled(!busy, egui::Button::new(lang.t(ProfilesText::Delete)))
            .accessible_name(named(ProfilesText::Delete))
            .clicked()
        {
            state.confirm_delete = Some(p.name.clone());
        }
    });
}

/// A labelled single-line field; returns its response. Its id comes from its label, not its
/// place: focus given to it as the editor opens (and the toolbar above goes) stays with it.
fn field(ui: &mut egui::Ui, label: &str, text: &mut String, password: bool) -> egui::Response {
    let id = ui.label(label).id;
    ui.add(
        egui::TextEdit::singleline(text)
            .id_salt(label)
            .password(password)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(id)
}

fn whitespace_note(ui: &mut egui::Ui, lang: Lang, what: ProfilesText, value: &str) {
    if let Some((first, last)) = whitespace_around(value) {
        ui.label(
            RichText::new(format!(
                "⚠ {}",
                lang.whitespace_note(lang.t(what), first, last)
            ))
            .color(Tone::Warn.color(ui)),
        );
    }
}

/// The editor's fields; `focus` puts the keyboard in the first one. Returns the field in
/// which Enter was pressed, if any (Enter saves a valid form).
fn editor_ui(ui: &mut egui::Ui, e: &mut Editor, lang: Lang, focus: bool) -> Option<egui::Response> {
    let mut fields = Vec::new();
    ui.strong(match &e.original {
        None => lang.t(ProfilesText::AddProfile).to_owned(),
        Some(name) => lang.editing(name),
    });
    if e.original.is_none() {
        fields.push(field(
            ui,
            lang.t(ProfilesText::ProfileName),
            &mut e.name,
            false,
        ));
        if !e.name.is_empty() && crate::profiles::validate_name(&e.name).is_err() {
            ui.label(
                RichText::new(format!("✖ {}", lang.t(ProfilesText::ProfileNameRule)))
                    .color(Tone::Bad.color(ui)),
            );
        }
    }
    fields.push(field(
        ui,
        lang.t(ProfilesText::AccessKeyId),
        &mut e.access_key_id,
        false,
    ));
    whitespace_note(ui, lang, ProfilesText::AccessKeyId, &e.access_key_id);
    fields.push(secret_field_ui(
        ui,
        lang,
        ProfilesText::AccessKeySecret,
        &mut e.secret,
        &mut e.show_secret,
    ));
    if e.original.is_some() {
        ui.weak(lang.t(ProfilesText::KeepSecretHint));
    }
    whitespace_note(ui, lang, ProfilesText::AccessKeySecret, &e.secret);
    ui.checkbox(&mut e.sts, lang.t(ProfilesText::StsCheckbox));
    if e.sts {
        fields.push(secret_field_ui(
            ui,
            lang,
            ProfilesText::StsToken,
            &mut e.token,
            &mut e.show_secret,
        ));
        whitespace_note(ui, lang, ProfilesText::StsToken, &e.token);
        let id = ui.label(lang.t(ProfilesText::StsExpires)).id;
        fields.push(
            ui.add(
                egui::TextEdit::singleline(&mut e.expires)
                    .id_salt("sts_expires")
                    .hint_text("2030-01-31 18:00")
                    .desired_width(160.0),
            )
            .labelled_by(id),
        );
        if e.expiry().is_err() {
            ui.label(
                RichText::new(format!("✖ {}", lang.t(ProfilesText::ExpiryFormat)))
                    .color(Tone::Bad.color(ui)),
            );
        }
    }
    let id = ui.label(lang.t(ProfilesText::DefaultRegion)).id;
    let shown = if e.region.is_empty() {
        lang.t(ProfilesText::NoRegion).to_owned()
    } else {
        e.region.clone()
    };
    let combo = egui::ComboBox::from_id_salt("profile_region")
        .selected_text(&shown)
        .width(200.0)
        .height(300.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut e.region, String::new(), lang.t(ProfilesText::NoRegion));
            for r in REGIONS.iter().filter(|r| !r.closed) {
                let name = match lang {
                    Lang::En => r.name_en,
                    Lang::Zh => r.name_zh,
                };
                ui.selectable_value(&mut e.region, r.id.to_owned(), format!("{} · {name}", r.id));
            }
        })
        .response
        .labelled_by(id);
    super::super::a11y::describe_value(&combo, &shown);
    ui.checkbox(&mut e.make_default, lang.t(ProfilesText::MakeDefault));
    if focus && let Some(first) = fields.first() {
        first.request_focus();
    }
    // A single-line field gives up focus on Enter.
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    fields.into_iter().find(|f| enter && f.lost_focus())
}

/// The secret field: masked, with a Show/Hide toggle beside it.
fn secret_field_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    label: ProfilesText,
    text: &mut Zeroizing<String>,
    show: &mut bool,
) -> egui::Response {
    let id = ui.label(lang.t(label)).id;
    ui.horizontal(|ui| {
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut **text)
                    .id_salt(format!("{label:?}").as_str())
                    .password(!*show)
                    .desired_width(ui.available_width() - 70.0),
            )
            .labelled_by(id);
        let toggle = if *show {
            ProfilesText::Hide
        } else {
            ProfilesText::Show
        };
        if ui.button(lang.t(toggle)).clicked() {
            *show = !*show;
        }
        field
    })
    .inner
}

/// Save / Test / Cancel. Enter in a field (`entered`) saves too, when Save would. `Some(true)`
/// closes the editor.
fn editor_buttons_ui(
    ui: &mut egui::Ui,
    e: &mut Editor,
    lang: Lang,
    busy: bool,
    entered: Option<&egui::Response>,
    commands: &mut Vec<DialogAction>,
) -> Option<bool> {
    let blocker = e.blocker();
    let can_save = blocker.is_none() && !busy;
    let mut close = None;
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let save = egui::Button::new(RichText::new(lang.t(ProfilesText::SaveProfile)).strong());
        let clicked = ui.add_enabled(can_save, save).clicked();
        if clicked || (entered.is_some() && can_save) {
            commands.push(DialogAction::Run(e.op()));
        } else if let Some(field) = entered {
            // Not savable yet: keep typing where one was (the line under the buttons says why).
            field.request_focus();
        }
        let typed = e.typed_credentials();
        let can_test = typed.is_some() || e.original.is_some();
        if ui
            .add_enabled(
                can_test,
                egui::Button::new(lang.t(ProfilesText::TestCredentials)),
            )
            .clicked()
        {
            let what = match (typed, &e.original) {
                (Some(credentials), _) => TestWhat::Typed {
                    credentials,
                    typed: e.typed(),
                },
                (None, Some(name)) => TestWhat::Saved(name.clone()),
                (None, None) => return,
            };
            commands.push(DialogAction::Test(what));
        }
        if ui.button(lang.t(T::Cancel)).clicked() {
            close = Some(true);
        }
    });
    if let Some(why) = blocker
        && !(e.name.is_empty() && e.access_key_id.is_empty() && e.secret.is_empty())
    {
        ui.weak(lang.t(why));
    }
    close
}

/// The test's verdict: about the key that was tested (one typed since is not that key), and
/// where it was tested.
fn test_result_ui(ui: &mut egui::Ui, test: &TestState, editor: Option<&Editor>, lang: Lang) {
    let named = |who: &Tested| match who {
        Tested::TypedKey { .. } => lang.t(ProfilesText::TypedKey).to_owned(),
        Tested::Profile(name) => name.clone(),
    };
    let still_typed = |who: &Tested| match who {
        Tested::TypedKey { typed } => editor.is_some_and(|e| e.typed() == *typed),
        Tested::Profile(_) => true,
    };
    match test {
        TestState::Idle => {}
        TestState::Pending { who, .. } => {
            ui.horizontal(|ui| {
                style::spinner(ui);
                ui.label(lang.testing(&named(who)));
            });
        }
        TestState::Done { who, .. } if !still_typed(who) => {}
        TestState::Done {
            who,
            result,
            sandbox,
        } => {
            let ok = matches!(result, TestResult::Checked(v) if v.is_ok());
            let sandbox_unknown =
                *sandbox && matches!(result, TestResult::Checked(Verdict::UnknownKey));
            let said = match result {
                // The sandbox knows one key: "unknown key" says nothing about Alibaba Cloud.
                _ if sandbox_unknown => lang.t(ProfilesText::SandboxUnknownKey).to_owned(),
                TestResult::Checked(verdict) => lang.verdict(verdict),
                TestResult::NotLoaded(problem) => lang.problem(problem),
                TestResult::Endpoint(e) => lang.endpoint_not_usable(e),
            };
            let (status, icon) = if ok {
                (Tone::Good, "✔")
            } else if sandbox_unknown {
                (Tone::Warn, "⚠")
            } else {
                (Tone::Bad, "✖")
            };
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{icon} {}: {said}", named(who))).color(status.color(ui)),
                )
                .wrap(),
            );
            if *sandbox && !sandbox_unknown && matches!(result, TestResult::Checked(_)) {
                ui.add(
                    egui::Label::new(RichText::new(lang.t(ProfilesText::TestedInSandbox)).weak())
                        .wrap(),
                );
            }
        }
    }
}
