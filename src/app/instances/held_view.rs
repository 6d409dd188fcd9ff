//! How the Topics and Groups panes look: the add form on top (its name checked live, as the
//! instance name is), the card of the last change, then the live list with search, Refresh,
//! a Copy and a Delete… per row; and the delete confirmation of a topic or a group.

use egui::{Align, RichText};

use crate::api::ApiError;
use crate::resources::{GroupType, MessageType};
use crate::topics_groups::{AddOutcome, Followed};
use crate::validation::{
    GROUP_REMARK_MAX_CHARS, TOPIC_REMARK_MAX_CHARS, validate_group_id, validate_group_remark,
    validate_topic_name, validate_topic_remark,
};

use super::super::a11y;
use super::super::command::AppCommand;
use super::super::copy::{self, CopyLook};
use super::super::i18n::{CardText, HeldWhat, InstancesText, Lang, T, TopicsText};
use super::super::session::WindowSession;
use super::super::style::{self, Tone};
use super::confirm;
use super::held::{
    FollowState, GroupRow, HeldChange, HeldDelete, HeldEnded, HeldOp, HeldOpState, HeldSent,
    NotSent, Target, TopicRow,
};
use super::view::{cell, cut_label, fixed_id, rows_in_view};
use super::{FocusTo, InstanceRow, InstancesController, SearchField, take_focus};

/// Column shares of a topic row: name, type, status, Delete…; with room, a remark and the
/// creation time too (else they are in the row's tooltip).
const TOPIC_SHARES: [f32; 4] = [0.36, 0.26, 0.20, 0.18];
const TOPIC_SHARES_WIDE: [f32; 6] = [0.24, 0.19, 0.13, 0.15, 0.17, 0.12];
/// Column shares of a group row: ID, protocol, created, Delete…; with room, a remark.
const GROUP_SHARES: [f32; 4] = [0.40, 0.17, 0.27, 0.16];
const GROUP_SHARES_WIDE: [f32; 5] = [0.30, 0.12, 0.22, 0.22, 0.14];
/// From this width on, the lists show more columns.
const WIDE_FROM: f32 = 600.0;

fn what(change: &HeldChange) -> HeldWhat {
    HeldWhat {
        topic: change.is_topic(),
        delete: change.is_delete(),
    }
}

/// What a name field's verdict shows under it and says to a screen reader, and whether the
/// name may be sent.
struct FieldVerdict {
    shown: String,
    /// The same, less what changes with every key (a count, a suggestion).
    said: String,
    /// Neutral while empty, then good, advice or bad.
    tone: Option<Tone>,
    valid: bool,
}

impl FieldVerdict {
    /// A verdict said as it is shown.
    fn same(text: String, tone: Option<Tone>, valid: bool) -> Self {
        Self {
            said: text.clone(),
            shown: text,
            tone,
            valid,
        }
    }
}

/// A topic name's verdict; `held_by`: the lists hold it already, as a topic (`true`) or a
/// group.
fn topic_verdict(lang: Lang, typed: &str, held_by: Option<bool>) -> FieldVerdict {
    match validate_topic_name(typed) {
        Err(e) if typed.is_empty() => FieldVerdict::same(lang.topic_name_error(&e), None, false),
        Err(e) => FieldVerdict {
            shown: lang.topic_name_error(&e),
            said: lang.topic_name_said(&e),
            tone: Some(Tone::Bad),
            valid: false,
        },
        Ok(()) => held_by.map_or_else(
            || {
                FieldVerdict::same(
                    lang.t(TopicsText::TopicValid).to_owned(),
                    Some(Tone::Good),
                    true,
                )
            },
            |by_topic| FieldVerdict::same(lang.name_held(typed, by_topic), Some(Tone::Bad), false),
        ),
    }
}

/// A group ID's verdict, as [`topic_verdict`], and the ID the `GID_` advice suggests.
fn group_verdict(lang: Lang, typed: &str, held_by: Option<bool>) -> (FieldVerdict, Option<String>) {
    match validate_group_id(typed) {
        Err(e) if typed.is_empty() => (
            FieldVerdict::same(lang.group_id_error(&e), None, false),
            None,
        ),
        Err(e) => (
            FieldVerdict {
                shown: lang.group_id_error(&e),
                said: lang.group_id_said(&e),
                tone: Some(Tone::Bad),
                valid: false,
            },
            None,
        ),
        Ok(_) if held_by.is_some() => (
            FieldVerdict::same(
                lang.name_held(typed, held_by == Some(true)),
                Some(Tone::Bad),
                false,
            ),
            None,
        ),
        Ok(None) => (
            FieldVerdict::same(
                lang.t(TopicsText::GroupValid).to_owned(),
                Some(Tone::Good),
                true,
            ),
            None,
        ),
        // Accepted, with advice: not an error, Create stays enabled.
        Ok(Some(advice)) => {
            let crate::validation::GroupIdAdvice::MissingPrefix { suggestion } = &advice;
            let verdict = FieldVerdict {
                shown: lang.group_id_advice(&advice),
                said: lang.group_id_advice_said(&advice),
                tone: Some(Tone::Warn),
                valid: true,
            };
            (verdict, suggestion.clone())
        }
    }
}

/// A field's verdict: shown under it, and its state for a screen reader (marked invalid when
/// bad; its text said first when it takes the focus).
fn verdict_ui(
    ui: &mut egui::Ui,
    (field, value): (&egui::Response, &str),
    lang: Lang,
    v: &FieldVerdict,
) {
    verdict_label_ui(ui, &v.shown, v.tone);
    a11y::field_state(
        field,
        lang,
        value,
        &v.said,
        matches!(v.tone, Some(Tone::Bad)),
    );
}

/// A verdict's words under a field, in its tone.
fn verdict_label_ui(ui: &mut egui::Ui, text: &str, tone: Option<Tone>) {
    let (icon, shown) = match tone {
        None | Some(Tone::Quiet) => ("", RichText::new(text).weak().small()),
        Some(Tone::Good) => ("✔ ", RichText::new(text).color(Tone::Good.color(ui))),
        Some(Tone::Warn) => ("⚠ ", RichText::new(text).color(Tone::Warn.color(ui))),
        Some(Tone::Bad) => ("✖ ", RichText::new(text).color(Tone::Bad.color(ui))),
    };
    let shown = if icon.is_empty() {
        shown
    } else {
        RichText::new(format!("{icon}{text}")).color(shown_color(ui, tone))
    };
    ui.add(egui::Label::new(shown).wrap());
}

fn shown_color(ui: &egui::Ui, tone: Option<Tone>) -> egui::Color32 {
    tone.map_or_else(|| ui.visuals().weak_text_color(), |t| t.color(ui))
}

/// The filled primary button of a pane ("Create topic"), enabled when `enabled`.
fn primary_button(ui: &mut egui::Ui, text: &str, enabled: bool) -> egui::Response {
    let button = egui::Button::new(RichText::new(text).strong())
        .fill(if enabled {
            ui.visuals().selection.bg_fill
        } else {
            ui.visuals().widgets.inactive.weak_bg_fill
        })
        .min_size(egui::vec2(96.0, 28.0));
    ui.add_enabled(enabled, button)
}

/// The headline of a topic or group change (and its tone once it ended).
pub(super) fn headline(lang: Lang, op: &HeldOp) -> (String, Option<Tone>) {
    let sent = &op.sent;
    let what = what(&sent.change);
    let name = sent.change.name();
    let ended = match &op.state {
        HeldOpState::Running { .. } => {
            return (lang.held_running(what, name, &sent.instance_name), None);
        }
        HeldOpState::Settled(ended) => ended,
    };
    match ended {
        Ok(e) if e.is_done() => (
            format!(
                "✔ {}",
                lang.held_done(what, name, &sent.instance_name, &sent.instance_id)
            ),
            Some(Tone::Good),
        ),
        Ok(e) if e.is_unknown() => (
            lang.held_failed(what, name, &sent.instance_name, true),
            Some(Tone::Warn),
        ),
        Ok(_) => (
            lang.held_failed(what, name, &sent.instance_name, false),
            Some(Tone::Bad),
        ),
        Err(_) => (
            lang.held_failed(what, name, &sent.instance_name, true),
            Some(Tone::Warn),
        ),
    }
}

/// The lines under a change's headline: how it was settled, or why it failed and what to do.
fn detail_lines(lang: Lang, op: &HeldOp) -> Vec<String> {
    let HeldOpState::Settled(ended) = &op.state else {
        return Vec::new();
    };
    let sent = &op.sent;
    let what = what(&sent.change);
    let name = sent.change.name();
    let Ok(ended) = ended else {
        return vec![
            lang.t(CardText::InternalFaultExplained).to_owned(),
            lang.t(TopicsText::CheckTheList).to_owned(),
        ];
    };
    let mut lines = Vec::new();
    if ended.settled_by_looking() {
        lines.push(lang.held_settled_by_looking(what, name));
    }
    let taken = ended.name_held_by_another();
    if taken {
        lines.push(lang.held_taken_after_lost(what.topic, name));
    }
    match ended {
        HeldEnded::NotSent(NotSent::Taken(by)) => {
            lines.push(lang.held_taken(what.topic, name, &sent.instance_name, by));
        }
        HeldEnded::NotSent(NotSent::Absent) => {
            lines.push(lang.held_absent(what.topic, name, &sent.instance_name));
        }
        HeldEnded::NotSent(NotSent::LookFailed(_)) => {
            lines.push(lang.held_look_failed(what.delete).to_owned());
        }
        HeldEnded::NotSent(NotSent::NotRecorded(problem)) => {
            lines.push(lang.not_recorded(problem));
        }
        _ => {}
    }
    if let Some(err) = ended.error() {
        lines.push(error_line(lang, err));
        let kind = err.service().map(crate::api::ServiceError::kind);
        let unknown = ended.is_unknown();
        // a name held by another is the whole advice: sending again would be refused
        if !matches!(ended, HeldEnded::NotSent(_))
            && !taken
            && let Some(advice) = lang.held_advice(what, kind, unknown)
        {
            lines.push(advice);
        }
    }
    lines
}

/// Whether a change created a topic that may still be being created (it is followed then).
fn topic_followed(op: &HeldOp) -> bool {
    let HeldOpState::Settled(Ok(HeldEnded::TopicAdded(r))) = &op.state else {
        return false;
    };
    let in_service = matches!(&r.outcome, AddOutcome::Confirmed(t)
        if t.service_status == Some(crate::resources::TopicStatus::InService));
    r.outcome.is_done() && !in_service
}

/// The service's Code and Message, or what went wrong on the way, in one line.
fn error_line(lang: Lang, err: &ApiError) -> String {
    match err {
        ApiError::Service(e) => match &e.request_id {
            Some(r) => format!("{} · {} · {} {r}", e.code, e.message, lang.t(T::RequestId)),
            None => format!("{} · {}", e.code, e.message),
        },
        ApiError::Transport { .. } => {
            format!(
                "{} · {}",
                lang.t(CardText::NetworkError),
                lang.api_error(err)
            )
        }
        other => lang.api_error(other),
    }
}

/// What a screen reader hears of a change: its headline and what it says next, and whether
/// to interrupt.
pub(super) fn news(lang: Lang, op: &HeldOp) -> (String, bool) {
    let (headline, tone) = headline(lang, op);
    let mut text = headline;
    for line in detail_lines(lang, op) {
        text.push(' ');
        text.push_str(&line);
    }
    if topic_followed(op) {
        // Said on screen by the line above the list while it is followed.
        text.push(' ');
        text.push_str(lang.t(TopicsText::Followed));
    }
    (text, matches!(tone, Some(Tone::Bad | Tone::Warn)))
}

/// The card of the last change of a kind: running, or how it ended and what to do.
fn op_card_ui(ui: &mut egui::Ui, lang: Lang, op: &HeldOp) -> egui::Response {
    style::card(ui)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let (headline, tone) = headline(lang, op);
            match tone {
                None => {
                    ui.horizontal(|ui| {
                        style::spinner(ui);
                        ui.add(egui::Label::new(headline).wrap());
                    });
                }
                Some(tone) => {
                    ui.add(
                        egui::Label::new(RichText::new(headline).strong().color(tone.color(ui)))
                            .wrap(),
                    );
                    for line in detail_lines(lang, op) {
                        ui.add(egui::Label::new(line).wrap());
                    }
                }
            }
        })
        .response
}

/// The words of a list's toolbar: the search field's label and hint, Refresh's name and hint.
struct ToolbarWords {
    search: TopicsText,
    hint: TopicsText,
    refresh: TopicsText,
    refresh_hint: TopicsText,
}

const TOPICS_TOOLBAR: ToolbarWords = ToolbarWords {
    search: TopicsText::SearchTopics,
    hint: TopicsText::SearchTopicsHint,
    refresh: TopicsText::RefreshTopicsName,
    refresh_hint: TopicsText::RefreshTopics,
};

const GROUPS_TOOLBAR: ToolbarWords = ToolbarWords {
    search: TopicsText::SearchGroups,
    hint: TopicsText::SearchGroupsHint,
    refresh: TopicsText::RefreshGroupsName,
    refresh_hint: TopicsText::RefreshGroups,
};

/// A list's toolbar: search, Refresh, the count. Returns whether Refresh was clicked.
fn list_toolbar_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    (search, field_id): (&mut String, SearchField),
    words: &ToolbarWords,
    loading: bool,
    count: Option<String>,
) -> bool {
    let mut refresh = false;
    ui.horizontal_wrapped(|ui| {
        let id = ui.label(lang.t(words.search)).id;
        let hint = lang.t(words.hint);
        let field = ui
            .add(
                egui::TextEdit::singleline(search)
                    .id(field_id.id())
                    .hint_text(hint)
                    .desired_width(160.0),
            )
            .labelled_by(id);
        // The hint is said as what it is, not as if it were typed.
        a11y::field_state(&field, lang, search, hint, false);
        // Named for its list: the instance list beside it has a Refresh too.
        refresh = ui
            .add_enabled(!loading, egui::Button::new(lang.t(InstancesText::Refresh)))
            .on_hover_text(lang.t(words.refresh_hint))
            .accessible_name(lang.t(words.refresh))
            .clicked();
        if loading {
            style::spinner(ui);
        }
        if let Some(count) = count {
            ui.weak(count);
        }
    });
    refresh
}

/// A row's Copy (its name) and a screen reader's reading of the row as its description.
fn copy_name_ui(
    ui: &mut egui::Ui,
    session: &WindowSession,
    name: &str,
    copy_name: &str,
    reading: &str,
    commands: &mut Vec<AppCommand>,
) {
    if copy::copy_button(
        ui,
        session.lang,
        &session.copied,
        name,
        copy_name,
        CopyLook::Icon,
    ) {
        commands.push(AppCommand::Copy(name.to_owned()));
    }
    let label = ui.add(egui::Label::new(name).truncate());
    let reading = reading.to_owned();
    label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &reading));
}

/// Why a list could not be read, and what was left out of it.
fn list_problems_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    failed: Option<&super::super::tasks::Failure>,
    failed_word: TopicsText,
    left_out: usize,
) {
    if let Some(failure) = failed {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "⚠ {} {}",
                    lang.t(failed_word),
                    lang.failure(failure)
                ))
                .color(Tone::Warn.color(ui)),
            )
            .wrap(),
        );
    }
    if left_out > 0 {
        ui.add(
            egui::Label::new(
                RichText::new(lang.held_left_out(left_out)).color(Tone::Warn.color(ui)),
            )
            .wrap(),
        );
    }
}

impl InstancesController {
    /// The Topics pane of the selected instance (`ui` is its scroll area's).
    pub(super) fn topics_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        let target = Target {
            id: &row.summary.instance_id,
            name: row.name(),
        };
        self.topic_form_ui(ui, session, target);
        if let Some(op) = &self.held.topic_op {
            ui.add_space(6.0);
            let card = op_card_ui(ui, lang, op);
            if self.held.reveal == Some(true) {
                self.held.reveal = None;
                card.scroll_to_me(None);
            }
        }
        ui.add_space(8.0);
        ui.separator();
        self.topic_list_ui(ui, session, row, commands);
    }

    /// The Topics pane's list: search, Refresh, what is being followed, the rows.
    fn topic_list_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        let rows = self.held.topics.rows.as_deref();
        let needle = self.held.topic_search.trim().to_lowercase();
        let count = rows.map(|rows| {
            let shown = rows.iter().filter(|r| r.matches(&needle)).count();
            lang.held_count(true, shown, rows.len())
        });
        let loading = self.held.topics.pending.is_some();
        if list_toolbar_ui(
            ui,
            lang,
            (&mut self.held.topic_search, SearchField::Topics),
            &TOPICS_TOOLBAR,
            loading,
            count,
        ) {
            self.held.refresh();
            ui.ctx().request_repaint();
        }
        list_problems_ui(
            ui,
            lang,
            self.held.topics.failed.as_ref(),
            TopicsText::TopicsFailed,
            self.held.topics.left_out,
        );
        if let Some(follow) = &self.held.follow
            && follow.instance_id == row.summary.instance_id
        {
            follow_line_ui(ui, lang, follow);
        }
        let words = [
            TopicsText::LoadingTopics,
            TopicsText::NoTopics,
            TopicsText::NoTopicMatch,
        ];
        let Some(shown) = shown_rows(
            ui,
            lang,
            self.held.topics.rows.as_deref(),
            loading,
            words,
            |r| r.matches(&needle),
        ) else {
            return;
        };
        let (w, wide) = column_widths(ui, &TOPIC_SHARES, &TOPIC_SHARES_WIDE);
        let mut heads = vec![
            lang.t(TopicsText::ColTopic),
            lang.t(TopicsText::ColType),
            lang.t(TopicsText::ColStatus),
        ];
        if wide {
            heads.push(lang.t(TopicsText::ColRemark));
            heads.push(lang.t(TopicsText::ColCreated));
        }
        heads_ui(ui, &w, &heads);
        let running = self.held.is_running(true);
        let mut delete = None;
        let id = egui::Id::unique("onsdesk.topic_rows");
        rows_in_view(ui, id, &shown, None, |ui, topic| {
            if let Some(opener) =
                Self::topic_row_ui(ui, session, &w, wide, topic, running, commands)
            {
                delete = Some((topic.summary.topic.clone(), opener));
            }
        });
        if let Some((topic, opener)) = delete {
            self.held.delete = Some(HeldDelete {
                typed: confirm::Typed::new(topic.to_string(), opener),
                sent: HeldSent {
                    instance_id: row.summary.instance_id.clone(),
                    instance_name: row.name().to_owned(),
                    change: HeldChange::DeleteTopic { topic },
                },
            });
        }
    }

    /// One topic row; returns its Delete…'s id when it was clicked.
    fn topic_row_ui(
        ui: &mut egui::Ui,
        session: &WindowSession,
        w: &[f32],
        wide: bool,
        topic: &TopicRow,
        running: bool,
        commands: &mut Vec<AppCommand>,
    ) -> Option<egui::Id> {
        let lang = session.lang;
        let unknown = lang.t(TopicsText::Unknown);
        let kind = topic
            .summary
            .message_type
            .map_or_else(|| unknown.to_owned(), |t| lang.message_type(t));
        let status = topic
            .summary
            .service_status
            .map_or_else(|| unknown.to_owned(), |s| lang.topic_status(s));
        let reading = lang.topic_row(topic.name(), &kind, &status);
        let mut clicked = None;
        let mut col = w.iter().copied();
        let mut next = || col.next().unwrap_or(24.0);
        ui.horizontal(|ui| {
            cell(ui, next(), |ui| {
                copy_name_ui(
                    ui,
                    session,
                    topic.name(),
                    &lang.copy_topic_name(topic.name()),
                    &reading,
                    commands,
                );
            });
            cell(ui, next(), |ui| cut_label(ui, kind.as_str()));
            cell(ui, next(), |ui| {
                let tone = if topic.is_creating() {
                    Tone::Warn
                } else {
                    Tone::Good
                };
                cut_label(ui, RichText::new(status.as_str()).color(tone.color(ui)));
            });
            if wide {
                cell(ui, next(), |ui| {
                    cut_label(ui, topic.summary.remark.as_str());
                });
                cell(ui, next(), |ui| cut_label(ui, topic.created.as_str()));
            }
            cell(ui, next(), |ui| {
                let name = topic.name().to_owned();
                let id = egui::Id::unique(("onsdesk.delete_topic", name.as_str()));
                let button = fixed_id(ui, id, |ui| {
                    ui.add_enabled(
                        !running,
                        egui::Button::new(lang.t(TopicsText::DeleteRow)).small(),
                    )
                })
                .accessible_name(lang.delete_topic_named(&name));
                describe(&button, &reading);
                clicked = button.clicked().then_some(button.id);
            });
        })
        .response
        .on_hover_text(row_tooltip(&reading, &topic.summary.remark, &topic.created));
        clicked
    }

    fn topic_form_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession, target: Target<'_>) {
        let lang = session.lang;
        ui.label(RichText::new(lang.t(TopicsText::NewTopic)).strong());
        let key_w = style::facts_key_width(
            ui,
            &[
                lang.t(TopicsText::TopicName),
                lang.t(TopicsText::MessageType),
                lang.t(TopicsText::Remark),
            ],
        );
        let type_word = lang.t(TopicsText::MessageType);
        let beside = text_width(ui, type_word) + TYPE_COMBO + 4.0 * ui.spacing().item_spacing.x;
        // The type beside the name where there is room, else on a row of its own under it.
        let side_by_side = form_room(ui, key_w) - beside >= NAME_FIELD_MIN;
        let form = &mut self.held.topic_form;
        let field = form_row(
            ui,
            key_w,
            lang.t(TopicsText::TopicName),
            |ui, label, rest| {
                let width = if side_by_side { rest - beside } else { rest };
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut form.name)
                            .id(egui::Id::unique("onsdesk.topic_name"))
                            .desired_width(width.max(NAME_FIELD_MIN)),
                    )
                    .labelled_by(label);
                if side_by_side {
                    let type_label = ui.label(type_word).id;
                    message_type_ui(ui, lang, type_label, &mut form.message_type);
                }
                field
            },
        );
        if field.changed() {
            ui.ctx().request_repaint();
        }
        if take_focus(&mut self.focus_to, &FocusTo::TopicName) {
            field.request_focus();
        }
        let typed = self.held.topic_form.name.clone();
        let held_by = self.held.holder_of(&typed);
        let verdict = topic_verdict(lang, &typed, held_by);
        under_field(ui, key_w, |ui| {
            verdict_ui(ui, (&field, &typed), lang, &verdict);
        });
        if !side_by_side {
            let form = &mut self.held.topic_form;
            form_row(ui, key_w, type_word, |ui, label, _| {
                message_type_ui(ui, lang, label, &mut form.message_type);
            });
        }
        let remark_ok = validate_topic_remark(&self.held.topic_form.remark).is_ok();
        let can =
            verdict.valid && remark_ok && !self.held.is_running(true) && session.ready().is_some();
        let mut submit = remark_row_ui(
            ui,
            (lang, key_w),
            &mut self.held.topic_form.remark,
            &TOPIC_REMARK,
            (lang.t(TopicsText::CreateTopic), can),
        );
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            submit |= can;
            // The cursor stays where it was: the outcome is said there.
            field.request_focus();
        }
        if submit
            && self.held.add_topic(session, target)
            && let Some(op) = &self.held.topic_op
        {
            self.news.tell(headline(lang, op).0, false);
        }
    }
}

/// The message type selector's width (its longest name fits).
const TYPE_COMBO: f32 = 170.0;
/// The narrowest a name field gets before its selector wraps under it.
const NAME_FIELD_MIN: f32 = 140.0;

/// One row of an add form: its label in a column `key_w` wide, then `add`, given the label's
/// id (for `labelled_by`) and the width left in the row.
fn form_row<R>(
    ui: &mut egui::Ui,
    key_w: f32,
    label: &str,
    add: impl FnOnce(&mut egui::Ui, egui::Id, f32) -> R,
) -> R {
    let rest = form_room(ui, key_w);
    ui.horizontal_wrapped(|ui| {
        let label = ui
            .allocate_ui_with_layout(
                egui::vec2(key_w, ui.spacing().interact_size.y),
                egui::Layout::left_to_right(Align::Center),
                |ui| {
                    ui.set_width(key_w);
                    ui.label(label).id
                },
            )
            .inner;
        add(ui, label, rest)
    })
    .inner
}

/// The width `text` takes in the body font.
fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.ctx()
        .fonts_mut(|f| f.layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER))
        .size()
        .x
}

/// The width a form's row leaves after its label column.
fn form_room(ui: &egui::Ui, key_w: f32) -> f32 {
    ui.available_width() - key_w - ui.spacing().item_spacing.x
}

/// The message type selector, named by `label`; its value is also its description.
fn message_type_ui(ui: &mut egui::Ui, lang: Lang, label: egui::Id, chosen: &mut MessageType) {
    let shown = lang.message_type(*chosen);
    let combo = egui::ComboBox::from_id_salt("onsdesk.message_type")
        .selected_text(shown.as_str())
        .width(TYPE_COMBO)
        .show_ui(ui, |ui| {
            for t in MessageType::CREATABLE {
                ui.selectable_value(chosen, t, lang.message_type(t));
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(lang.t(TopicsText::MessageTypeHint));
    a11y::describe_value(&combo, &shown);
}

/// What goes under a form's field, indented to it.
fn under_field(ui: &mut egui::Ui, key_w: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.horizontal(|ui| {
        ui.add_space(key_w + ui.spacing().item_spacing.x);
        ui.vertical(add);
    });
}

/// The remark's row, with the form's Create button at its end; returns whether Create was
/// clicked. Over its limit, the remark says why under it.
fn remark_row_ui(
    ui: &mut egui::Ui,
    (lang, key_w): (Lang, f32),
    remark: &mut String,
    rule: &RemarkRule,
    (create, can): (&str, bool),
) -> bool {
    let beside = (text_width(ui, create) + 2.0 * ui.spacing().button_padding.x).max(96.0)
        + 2.0 * ui.spacing().item_spacing.x;
    let (field, clicked) = form_row(ui, key_w, lang.t(TopicsText::Remark), |ui, label, rest| {
        let field = ui
            .add(
                egui::TextEdit::singleline(remark)
                    .id(egui::Id::unique(rule.salt))
                    .desired_width((rest - beside).max(NAME_FIELD_MIN)),
            )
            .labelled_by(label);
        let clicked = primary_button(ui, create, can).clicked();
        (field, clicked)
    });
    if field.changed() {
        ui.ctx().request_repaint();
    }
    let max = rule.max;
    if let Err(e) = (rule.check)(remark) {
        let verdict = FieldVerdict::same(lang.held_remark_error(&e), Some(Tone::Bad), false);
        under_field(ui, key_w, |ui| {
            verdict_ui(ui, (&field, remark.as_str()), lang, &verdict);
        });
    } else if remark.chars().count() > max / 2 {
        under_field(ui, key_w, |ui| {
            ui.weak(format!("{}/{max}", remark.chars().count()));
        });
    }
    clicked
}

/// A remark field's id and rule.
struct RemarkRule {
    salt: &'static str,
    max: usize,
    check: fn(&str) -> Result<(), crate::validation::RemarkTooLong>,
}

const TOPIC_REMARK: RemarkRule = RemarkRule {
    salt: "onsdesk.topic_remark",
    max: TOPIC_REMARK_MAX_CHARS,
    check: validate_topic_remark,
};

const GROUP_REMARK: RemarkRule = RemarkRule {
    salt: "onsdesk.group_remark",
    max: GROUP_REMARK_MAX_CHARS,
    check: validate_group_remark,
};

/// A topic being followed, or why its follow ended before it was in service. No spinner: the
/// follow wakes the window when it ends, and only then.
fn follow_line_ui(ui: &mut egui::Ui, lang: Lang, follow: &super::held::Follow) {
    let said = match &follow.state {
        FollowState::Running { .. } => lang.topic_followed(&follow.topic),
        FollowState::Ended(Ok(Followed::InService(_))) => return,
        FollowState::Ended(ended) => {
            let within = super::held::FOLLOW_WITHIN.as_secs();
            lang.followed(&follow.topic, ended.as_ref().ok(), within).0
        }
    };
    ui.add(egui::Label::new(RichText::new(said).color(Tone::Warn.color(ui))).wrap());
}

/// What a screen reader reads after a row's control: the row itself ("topic orders, normal,
/// in service"), so Tab along the rows says what each is.
fn describe(resp: &egui::Response, reading: &str) {
    resp.ctx
        .accesskit_node_builder(resp.id, |node| node.set_description(reading));
}

/// A row's tooltip: what a screen reader reads of it, its remark and when it was created
/// (the columns a narrow list leaves out).
fn row_tooltip(reading: &str, remark: &str, created: &str) -> String {
    [reading, remark, created]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The rows of a topic or group list that the search keeps, or, when there are none to show,
/// why (`words`: loading, none at all, none that match) said in their place.
fn shown_rows<'a, R>(
    ui: &mut egui::Ui,
    lang: Lang,
    rows: Option<&'a [R]>,
    loading: bool,
    [loading_word, none_word, no_match_word]: [TopicsText; 3],
    keep: impl Fn(&R) -> bool,
) -> Option<Vec<&'a R>> {
    let Some(rows) = rows else {
        if loading {
            ui.weak(lang.t(loading_word));
        }
        return None;
    };
    if rows.is_empty() {
        ui.weak(lang.t(none_word));
        return None;
    }
    let shown: Vec<&R> = rows.iter().filter(|r| keep(r)).collect();
    if shown.is_empty() {
        ui.weak(lang.t(no_match_word));
        return None;
    }
    Some(shown)
}

/// A list's column widths from their shares of the room, and whether the room is wide enough
/// for the wide set (more columns).
fn column_widths(ui: &egui::Ui, narrow: &[f32], wide_shares: &[f32]) -> (Vec<f32>, bool) {
    let width = ui.available_width();
    let wide = width >= WIDE_FROM;
    let shares = if wide { wide_shares } else { narrow };
    let w = shares.iter().map(|s| (width * s - 8.0).max(24.0)).collect();
    (w, wide)
}

/// The column heads of a list.
fn heads_ui(ui: &mut egui::Ui, w: &[f32], heads: &[&str]) {
    ui.horizontal(|ui| {
        for (width, head) in w.iter().zip(heads) {
            cell(ui, *width, |ui| {
                ui.label(RichText::new(*head).strong());
            });
        }
    });
    ui.separator();
}

impl InstancesController {
    /// The Groups pane of the selected instance (`ui` is its scroll area's).
    pub(super) fn groups_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        let target = Target {
            id: &row.summary.instance_id,
            name: row.name(),
        };
        self.group_form_ui(ui, session, target);
        if let Some(op) = &self.held.group_op {
            ui.add_space(6.0);
            let card = op_card_ui(ui, lang, op);
            if self.held.reveal == Some(false) {
                self.held.reveal = None;
                card.scroll_to_me(None);
            }
        }
        ui.add_space(8.0);
        ui.separator();
        let needle = self.held.group_search.trim().to_lowercase();
        let count = self.held.groups.rows.as_deref().map(|rows| {
            let shown = rows.iter().filter(|r| r.matches(&needle)).count();
            lang.held_count(false, shown, rows.len())
        });
        let loading = self.held.groups.pending.is_some();
        if list_toolbar_ui(
            ui,
            lang,
            (&mut self.held.group_search, SearchField::Groups),
            &GROUPS_TOOLBAR,
            loading,
            count,
        ) {
            self.held.refresh();
            ui.ctx().request_repaint();
        }
        list_problems_ui(
            ui,
            lang,
            self.held.groups.failed.as_ref(),
            TopicsText::GroupsFailed,
            self.held.groups.left_out,
        );
        let words = [
            TopicsText::LoadingGroups,
            TopicsText::NoGroups,
            TopicsText::NoGroupMatch,
        ];
        let Some(shown) = shown_rows(
            ui,
            lang,
            self.held.groups.rows.as_deref(),
            loading,
            words,
            |r| r.matches(&needle),
        ) else {
            return;
        };
        let (w, wide) = column_widths(ui, &GROUP_SHARES, &GROUP_SHARES_WIDE);
        let mut heads = vec![
            lang.t(TopicsText::ColGroup),
            lang.t(TopicsText::ColProtocol),
        ];
        if wide {
            heads.push(lang.t(TopicsText::ColRemark));
        }
        heads.push(lang.t(TopicsText::ColCreated));
        heads_ui(ui, &w, &heads);
        let running = self.held.is_running(false);
        let mut delete = None;
        let id = egui::Id::unique("onsdesk.group_rows");
        rows_in_view(ui, id, &shown, None, |ui, group| {
            if let Some(opener) =
                Self::group_row_ui(ui, session, &w, wide, group, running, commands)
            {
                delete = Some((group.summary.group_id.clone(), opener));
            }
        });
        if let Some((group_id, opener)) = delete {
            self.held.delete = Some(HeldDelete {
                typed: confirm::Typed::new(group_id.to_string(), opener),
                sent: HeldSent {
                    instance_id: row.summary.instance_id.clone(),
                    instance_name: row.name().to_owned(),
                    change: HeldChange::DeleteGroup { group_id },
                },
            });
        }
    }

    /// One group row; returns its Delete…'s id when it was clicked.
    fn group_row_ui(
        ui: &mut egui::Ui,
        session: &WindowSession,
        w: &[f32],
        wide: bool,
        group: &GroupRow,
        running: bool,
        commands: &mut Vec<AppCommand>,
    ) -> Option<egui::Id> {
        let lang = session.lang;
        let protocol = group.summary.group_type.as_ref().map_or_else(
            || lang.t(TopicsText::Unknown).to_owned(),
            |t| lang.group_protocol(t),
        );
        let reading = lang.group_row(group.id(), &protocol);
        let mut clicked = None;
        let mut col = w.iter().copied();
        let mut next = || col.next().unwrap_or(24.0);
        ui.horizontal(|ui| {
            cell(ui, next(), |ui| {
                copy_name_ui(
                    ui,
                    session,
                    group.id(),
                    &lang.copy_group_id(group.id()),
                    &reading,
                    commands,
                );
            });
            cell(ui, next(), |ui| cut_label(ui, protocol.as_str()));
            if wide {
                cell(ui, next(), |ui| {
                    cut_label(ui, group.summary.remark.as_str());
                });
            }
            cell(ui, next(), |ui| cut_label(ui, group.created.as_str()));
            cell(ui, next(), |ui| {
                let id = group.id().to_owned();
                let scope = egui::Id::unique(("onsdesk.delete_group", id.as_str()));
                let button = fixed_id(ui, scope, |ui| {
                    ui.add_enabled(
                        !running,
                        egui::Button::new(lang.t(TopicsText::DeleteRow)).small(),
                    )
                })
                .accessible_name(lang.delete_group_named(&id));
                describe(&button, &reading);
                clicked = button.clicked().then_some(button.id);
            });
        })
        .response
        .on_hover_text(row_tooltip(&reading, &group.summary.remark, &group.created));
        clicked
    }

    fn group_form_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession, target: Target<'_>) {
        let lang = session.lang;
        ui.label(RichText::new(lang.t(TopicsText::NewGroup)).strong());
        let key_w = style::facts_key_width(
            ui,
            &[lang.t(TopicsText::GroupId), lang.t(TopicsText::Remark)],
        );
        let form = &mut self.held.group_form;
        let words = [
            lang.t(TopicsText::Protocol),
            lang.t(TopicsText::ProtocolTcp),
            lang.t(TopicsText::ProtocolHttp),
        ];
        let radio = ui.spacing().icon_width + ui.spacing().icon_spacing;
        let beside = words.iter().map(|w| text_width(ui, w)).sum::<f32>()
            + 2.0 * radio
            + 5.0 * ui.spacing().item_spacing.x;
        let field = form_row(ui, key_w, lang.t(TopicsText::GroupId), |ui, label, rest| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut form.id)
                        .id(egui::Id::unique("onsdesk.group_id"))
                        .desired_width((rest - beside).max(NAME_FIELD_MIN)),
                )
                .labelled_by(label);
            ui.label(lang.t(TopicsText::Protocol))
                .on_hover_text(lang.t(TopicsText::ProtocolHint));
            a11y::radio_choices(
                ui,
                &mut form.group_type,
                [
                    (GroupType::Tcp, lang.t(TopicsText::ProtocolTcp)),
                    (GroupType::Http, lang.t(TopicsText::ProtocolHttp)),
                ],
                lang.t(TopicsText::Protocol),
            );
            field
        });
        if field.changed() {
            ui.ctx().request_repaint();
        }
        if take_focus(&mut self.focus_to, &FocusTo::GroupId) {
            field.request_focus();
        }
        let typed = self.held.group_form.id.clone();
        let held_by = self.held.holder_of(&typed);
        let (verdict, suggestion) = group_verdict(lang, &typed, held_by);
        let mut use_suggestion = false;
        under_field(ui, key_w, |ui| {
            verdict_ui(ui, (&field, &typed), lang, &verdict);
            if let Some(s) = &suggestion {
                use_suggestion = ui.small_button(lang.use_suggestion(s)).clicked();
            }
        });
        if use_suggestion && let Some(s) = suggestion {
            self.held.group_form.id = s;
            self.focus_to = Some(FocusTo::GroupId);
            ui.ctx().request_repaint();
        }
        let remark_ok = validate_group_remark(&self.held.group_form.remark).is_ok();
        let can =
            verdict.valid && remark_ok && !self.held.is_running(false) && session.ready().is_some();
        let mut submit = remark_row_ui(
            ui,
            (lang, key_w),
            &mut self.held.group_form.remark,
            &GROUP_REMARK,
            (lang.t(TopicsText::CreateGroup), can),
        );
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            submit |= can;
            field.request_focus();
        }
        if submit
            && self.held.add_group(session, target)
            && let Some(op) = &self.held.group_op
        {
            self.news.tell(headline(lang, op).0, false);
        }
    }

    /// The delete confirmation of a topic or a group, when open.
    pub(super) fn held_delete_dialog_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession) {
        let Some(dialog) = &mut self.held.delete else {
            return;
        };
        let lang = session.lang;
        let sent = &dialog.sent;
        let topic = sent.change.is_topic();
        let name = sent.change.name().to_owned();
        let wording = confirm::Wording {
            title: lang.t(if topic {
                TopicsText::DeleteTopicTitle
            } else {
                TopicsText::DeleteGroupTitle
            }),
            question: lang.delete_held_question(
                topic,
                &name,
                &sent.instance_name,
                &sent.instance_id,
            ),
            lines: vec![(
                lang.t(if topic {
                    TopicsText::DeleteTopicStops
                } else {
                    TopicsText::DeleteGroupStops
                })
                .to_owned(),
                Some(Tone::Warn),
            )],
            field: lang.t(if topic {
                TopicsText::ConfirmTopic
            } else {
                TopicsText::ConfirmGroup
            }),
        };
        let salt = if topic { "topic" } else { "group" };
        let answer = confirm::dialog_ui(ui.ctx(), salt, lang, &wording, &mut dialog.typed, |_| {});
        if answer == confirm::Answer::Waiting {
            return;
        }
        if answer == confirm::Answer::Cancel {
            // The keyboard goes back to the row's Delete….
            if let Some(opener) = dialog.typed.opener() {
                self.keep_focus_on(opener);
            }
            self.held.delete = None;
            return;
        }
        if self.held.delete_confirmed(session) {
            let op = if topic {
                &self.held.topic_op
            } else {
                &self.held.group_op
            };
            if let Some(op) = op {
                self.news.tell(headline(lang, op).0, false);
            }
        }
        // The row's Delete… is disabled while the delete runs and gone once it is done: the
        // keyboard waits in the list's search field, where the outcome is said.
        let search = if topic {
            SearchField::Topics
        } else {
            SearchField::Groups
        };
        self.keep_focus_on(search.id());
        self.news.follow_focus();
    }
}
