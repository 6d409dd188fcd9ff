//! The Overview pane of the selected instance: its facts and endpoints, Rename / edit remark
//! (the create form's name and remark fields, with their live check), Delete… behind a
//! typed-name confirmation, and the card of the last rename or delete.

use egui::{Align, RichText};

use crate::api::{ApiError, ErrorKind};
use crate::instances::{DeleteOutcome, UpdateOutcome};
use crate::validation::validate_instance_name;

use super::super::command::AppCommand;
use super::super::create::{listed_endpoints, name_field_ui, name_verdict_ui, remark_field_ui};
use super::super::i18n::{Advice, CardText, HistoryText, InstancesText, Lang, T, TopicsText};
use super::super::session::WindowSession;
use super::super::style::{self, Tone};
use super::view::{copy_button, count_text, fixed_id};
/// Below this width the facts and the rename form are stacked, not side by side.
const TWO_COLUMNS: f32 = 600.0;

use super::{
    DeleteDialog, InstanceOp, InstanceOpKind, InstanceOpState, InstanceRow, InstancesController,
    Settled,
};
use super::{FocusTo, Pane, SearchField, confirm};

impl InstancesController {
    /// The card of the last rename or delete, brought into view when it starts or settles.
    pub(super) fn op_card_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(op) = &self.op else { return };
        let card = op_ui(ui, lang, op);
        if std::mem::take(&mut self.reveal_op) {
            // The pane may be scrolled down to Save or Delete…: bring the news into view.
            card.scroll_to_me(Some(Align::TOP));
        }
        ui.add_space(6.0);
    }

    /// The Overview pane (`ui` is its scroll area's).
    pub(super) fn overview_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        self.op_card_ui(ui, lang);
        let running = self.is_running();
        let mut save = false;
        let mut open_delete = None;
        if ui.available_width() >= TWO_COLUMNS {
            // Not justified: wrapped text in a justified column is spread out letter by letter.
            ui.columns(2, |cols| {
                cols[0].vertical(|ui| facts_ui(ui, lang, row));
                cols[1].vertical(|ui| (save, open_delete) = self.edit_ui(ui, lang, row, running));
            });
        } else {
            facts_ui(ui, lang, row);
            ui.add_space(8.0);
            (save, open_delete) = self.edit_ui(ui, lang, row, running);
        }
        ui.add_space(6.0);
        endpoints_ui(ui, session, row, commands);
        if save {
            self.save(session);
        }
        if let Some(opener) = open_delete {
            // What the lists of its topics and groups say, when they were read for it: fresher
            // than the counts of the instance list.
            let here = self.held.instance() == Some(&row.summary.instance_id);
            let count = |rows: Option<usize>, listed: Option<u64>| {
                rows.filter(|_| here)
                    .and_then(|n| u64::try_from(n).ok())
                    .or(listed)
            };
            self.delete = Some(DeleteDialog {
                id: row.summary.instance_id.clone(),
                name: row.name().to_owned(),
                topics: count(
                    self.held.topics.rows.as_ref().map(Vec::len),
                    row.summary.topic_count,
                ),
                groups: count(
                    self.held.groups.rows.as_ref().map(Vec::len),
                    row.summary.group_count,
                ),
                typed: confirm::Typed::new(row.name().to_owned(), opener),
            });
        }
    }

    /// Rename / edit remark, then Delete…; returns (Save clicked, Delete…'s id if clicked).
    fn edit_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        row: &InstanceRow,
        running: bool,
    ) -> (bool, Option<egui::Id>) {
        let mut save = false;
        let mut open_delete = None;
        ui.label(RichText::new(lang.t(InstancesText::EditTitle)).strong());
        ui.add_space(4.0);
        let name = name_field_ui(
            ui,
            lang,
            &mut self.edit.name,
            egui::Id::unique("onsdesk.instances.name"),
            "",
        );
        name_verdict_ui(ui, lang, &self.edit.name);
        ui.add_space(4.0);
        let remark_resp = remark_field_ui(
            ui,
            lang,
            &mut self.edit.remark,
            egui::Id::unique("onsdesk.instances.remark"),
        );
        ui.add_space(6.0);
        let valid = validate_instance_name(&self.edit.name).is_ok();
        let changed = self.edit.id == row.id() && self.edit.change(row).is_some();
        let can_save = valid && changed && !running;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(can_save, egui::Button::new(lang.t(InstancesText::Save)))
                .clicked()
            {
                save = true;
            }
            if valid && !changed {
                ui.weak(lang.t(InstancesText::NothingChanged));
            }
        });
        ui.add_space(8.0);
        ui.separator();
        ui.horizontal(|ui| {
            let delete = egui::Button::new(
                RichText::new(lang.t(InstancesText::DeleteOpen)).color(Tone::Bad.color(ui)),
            );
            // An id of its own: the cards and notes above it come and go.
            let delete = fixed_id(ui, egui::Id::unique("onsdesk.delete_instance"), |ui| {
                ui.add_enabled(!running, delete)
            })
            .on_hover_text(lang.t(InstancesText::DeleteNotEmpty));
            if delete.clicked() {
                open_delete = Some(delete.id);
            }
        });
        // Enter in either field saves, as Enter creates in the create form, and the cursor
        // stays where it was: the outcome is said there.
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        for field in [&name, &remark_resp] {
            if enter && field.lost_focus() {
                save |= can_save;
                field.request_focus();
            }
        }
        (save, open_delete)
    }

    pub(super) fn delete_dialog_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession) {
        let Some(dialog) = &mut self.delete else {
            return;
        };
        let lang = session.lang;
        let mut lines = vec![(lang.t(InstancesText::DeleteNotEmpty).to_owned(), None)];
        lines.push(match (dialog.topics, dialog.groups) {
            (Some(0), Some(0)) => (lang.delete_holds(dialog.topics, dialog.groups), None),
            (topics, groups) => (lang.blocked_by(topics, groups), Some(Tone::Warn)),
        });
        let wording = confirm::Wording {
            title: lang.t(InstancesText::DeleteTitle),
            question: lang.delete_question(&dialog.name, &dialog.id),
            lines,
            field: lang.t(InstancesText::ConfirmLabel),
        };
        let (topics, groups) = (dialog.topics, dialog.groups);
        let mut go_to = None;
        let answer = confirm::dialog_ui(
            ui.ctx(),
            "instance",
            lang,
            &wording,
            &mut dialog.typed,
            |ui| {
                // The way to what blocks the delete.
                ui.horizontal_wrapped(|ui| {
                    for (n, pane, word) in [
                        (topics, Pane::Topics, TopicsText::GoToTopics),
                        (groups, Pane::Groups, TopicsText::GoToGroups),
                    ] {
                        if n.is_some_and(|n| n > 0) && ui.button(lang.t(word)).clicked() {
                            go_to = Some(pane);
                        }
                    }
                });
            },
        );
        if let Some(pane) = go_to {
            self.delete = None;
            self.pane = pane;
            self.focus_to = Some(FocusTo::Tab(pane));
            return;
        }
        match answer {
            confirm::Answer::Waiting => {}
            confirm::Answer::Delete => {
                self.delete_confirmed(session);
                // Delete… is disabled while the delete runs, and the details go once it is
                // done: the keyboard waits in the search field above the names, where the
                // outcome is said.
                self.keep_focus_on(SearchField::Instances.id());
                self.news.follow_focus();
            }
            confirm::Answer::Cancel => {
                if let Some(opener) = dialog.typed.opener() {
                    self.keep_focus_on(opener);
                }
                self.delete = None;
            }
        }
    }
}

/// The selected instance's facts (its name and ID are above the tabs).
fn facts_ui(ui: &mut egui::Ui, lang: Lang, row: &InstanceRow) {
    let remark = match &row.info {
        Some(Ok(info)) if info.remark.is_empty() => Some("—"),
        Some(Ok(info)) => Some(info.remark.as_str()),
        Some(Err(_)) | None => None,
    };
    let facts = [
        (
            lang.t(T::InstanceType),
            Some(lang.edition(row.summary.instance_type.0)),
        ),
        (
            lang.t(InstancesText::ColStatus),
            Some(lang.instance_status(row.summary.instance_status)),
        ),
        (
            lang.t(HistoryText::HistoryRemark),
            remark.map(str::to_owned),
        ),
        (lang.t(InstancesText::ColCreated), Some(row.created.clone())),
        (
            lang.t(InstancesText::ColTopics),
            Some(count_text(row.summary.topic_count)),
        ),
        (
            lang.t(InstancesText::ColGroups),
            Some(count_text(row.summary.group_count)),
        ),
    ];
    let keys: Vec<&str> = facts.iter().map(|(key, _)| *key).collect();
    let key_width = style::facts_key_width(ui, &keys);
    for (key, value) in facts {
        if let Some(value) = value {
            style::fact_ui(ui, key_width, key, |ui| {
                ui.add(egui::Label::new(value).wrap());
            });
        }
    }
}

/// The selected instance's endpoints, each with its Copy.
fn endpoints_ui(
    ui: &mut egui::Ui,
    session: &WindowSession,
    row: &InstanceRow,
    commands: &mut Vec<AppCommand>,
) {
    let lang = session.lang;
    ui.label(RichText::new(lang.t(InstancesText::Endpoints)).strong());
    match &row.info {
        None => {
            ui.weak(lang.t(InstancesText::DetailsReading));
        }
        Some(Err(e)) => {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "⚠ {} {}",
                        lang.t(InstancesText::DetailsFailed),
                        lang.api_error(e)
                    ))
                    .color(Tone::Warn.color(ui)),
                )
                .wrap(),
            );
        }
        Some(Ok(info)) => {
            let listed = listed_endpoints(&info.endpoints);
            if listed.is_empty() {
                ui.weak(lang.t(CardText::EndpointsNone));
            }
            for (key, url) in listed {
                ui.horizontal(|ui| {
                    ui.weak(lang.t(key));
                    copy_button(ui, session, url, lang.copy_endpoint(key), commands);
                });
                ui.add(egui::Label::new(RichText::new(url).monospace()).wrap());
            }
        }
    }
}

/// Why an update or delete failed, and what to do, in words.
fn error_lines(lang: Lang, op: &InstanceOp, err: &ApiError, unknown: bool) -> Vec<String> {
    let mut lines = Vec::new();
    match err {
        ApiError::Service(e) => {
            lines.push(format!("{} · {}", e.code, e.message));
            if let Some(r) = &e.request_id {
                lines.push(format!("{} {r}", lang.t(T::RequestId)));
            }
        }
        ApiError::Transport { .. } => {
            lines.push(format!(
                "{} · {}",
                lang.t(CardText::NetworkError),
                lang.api_error(err)
            ));
        }
        other => lines.push(lang.api_error(other)),
    }
    let kind = err.service().map(crate::api::ServiceError::kind);
    let advice = if unknown {
        Some(lang.t(InstancesText::CheckTheList).to_owned())
    } else if kind == Some(ErrorKind::NotFound) {
        Some(lang.t(InstancesText::GoneAlready).to_owned())
    } else if let InstanceOpKind::Delete { topics, groups } = op.sent.kind
        && (topics.unwrap_or(1) > 0 || groups.unwrap_or(1) > 0)
        && err.service().is_some()
    {
        Some(lang.t(InstancesText::EmptyItFirst).to_owned())
    } else {
        let deleting = matches!(op.sent.kind, InstanceOpKind::Delete { .. });
        match kind {
            // The create's advice for these speaks of a create: said here for a change.
            Some(ErrorKind::NoPermission) if deleting => {
                Some(lang.t(InstancesText::NoPermissionDelete).to_owned())
            }
            Some(ErrorKind::NoPermission) => {
                Some(lang.t(InstancesText::NoPermissionUpdate).to_owned())
            }
            Some(ErrorKind::Throttled) => Some(lang.t(InstancesText::ThrottledChange).to_owned()),
            // A server fault the safe change could not settle by looking: whether it happened
            // is for the list to say.
            Some(ErrorKind::ServerTrouble) => Some(lang.t(InstancesText::CheckTheList).to_owned()),
            None => None,
            Some(k) => lang.advice(Advice::Service(k)).map(str::to_owned),
        }
    };
    lines.extend(advice);
    lines
}

/// The op's headline (and its tone once settled).
pub(super) fn op_headline(lang: Lang, op: &InstanceOp) -> (String, Option<Tone>) {
    let sent = &op.sent;
    let deleting = matches!(sent.kind, InstanceOpKind::Delete { .. });
    let settled = match &op.state {
        InstanceOpState::Running { .. } => {
            return (lang.instance_op_running(deleting, &sent.name), None);
        }
        InstanceOpState::Settled(s) => s,
    };
    let done = || match &sent.kind {
        InstanceOpKind::Update { new_name, .. } => {
            lang.updated_line(&sent.name, new_name.as_deref(), &sent.id)
        }
        InstanceOpKind::Delete { .. } => lang.deleted_line(&sent.name, &sent.id),
    };
    let refused = |title: InstancesText| {
        (
            format!("✖ {}: {} ({})", lang.t(title), sent.name, sent.id),
            Some(Tone::Bad),
        )
    };
    match settled {
        Ok(Settled::Update(r)) => match r.outcome {
            UpdateOutcome::Updated { .. } | UpdateOutcome::Confirmed => {
                (format!("✔ {}", done()), Some(Tone::Good))
            }
            UpdateOutcome::NotUpdated(_) => refused(InstancesText::NotUpdated),
            UpdateOutcome::Unknown(_) => unknown_headline(lang, sent),
        },
        Ok(Settled::Delete(r)) => match r.outcome {
            DeleteOutcome::Deleted { .. } | DeleteOutcome::Confirmed => {
                (format!("✔ {}", done()), Some(Tone::Good))
            }
            DeleteOutcome::NotDeleted(_) => refused(InstancesText::NotDeleted),
            DeleteOutcome::Unknown(_) => unknown_headline(lang, sent),
        },
        Err(_) => unknown_headline(lang, sent),
    }
}

/// How a change whose reply was lost was found to have happened, as the CLI says it; `None`
/// when the service's reply said so.
pub(super) fn settled_by_looking(lang: Lang, op: &InstanceOp) -> Option<&'static str> {
    match &op.state {
        InstanceOpState::Settled(Ok(Settled::Update(r)))
            if matches!(r.outcome, UpdateOutcome::Confirmed) =>
        {
            Some(lang.t(InstancesText::UpdateSettledByLooking))
        }
        InstanceOpState::Settled(Ok(Settled::Delete(r)))
            if matches!(r.outcome, DeleteOutcome::Confirmed) =>
        {
            Some(lang.t(InstancesText::DeleteSettledByLooking))
        }
        _ => None,
    }
}

fn unknown_headline(lang: Lang, sent: &super::InstanceOpSent) -> (String, Option<Tone>) {
    (
        format!(
            "⚠ {}: {} ({})",
            lang.t(CardText::OutcomeUnknown),
            sent.name,
            sent.id
        ),
        Some(Tone::Warn),
    )
}

/// The last update's or delete's card: running, or how it ended, with what to do.
fn op_ui(ui: &mut egui::Ui, lang: Lang, op: &InstanceOp) -> egui::Response {
    style::card(ui)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let (headline, tone) = op_headline(lang, op);
            match tone {
                None => {
                    ui.horizontal(|ui| {
                        style::spinner(ui);
                        let word = match op.sent.kind {
                            InstanceOpKind::Update { .. } => InstancesText::Saving,
                            InstanceOpKind::Delete { .. } => InstancesText::Deleting,
                        };
                        ui.label(format!("{} {}", lang.t(word), op.sent.name));
                    });
                    return;
                }
                Some(tone) => {
                    ui.add(
                        egui::Label::new(RichText::new(headline).strong().color(tone.color(ui)))
                            .wrap(),
                    );
                }
            }
            if let Some(how) = settled_by_looking(lang, op) {
                ui.add(egui::Label::new(how).wrap());
            }
            let failure = match &op.state {
                InstanceOpState::Settled(Ok(Settled::Update(r))) => match &r.outcome {
                    UpdateOutcome::NotUpdated(e) => Some((e, false)),
                    UpdateOutcome::Unknown(e) => Some((e, true)),
                    _ => None,
                },
                InstanceOpState::Settled(Ok(Settled::Delete(r))) => match &r.outcome {
                    DeleteOutcome::NotDeleted(e) => Some((e, false)),
                    DeleteOutcome::Unknown(e) => Some((e, true)),
                    _ => None,
                },
                InstanceOpState::Settled(Err(_)) => {
                    ui.add(egui::Label::new(lang.t(InstancesText::CheckTheList)).wrap());
                    None
                }
                InstanceOpState::Running { .. } => None,
            };
            if let Some((err, unknown)) = failure {
                for line in error_lines(lang, op, err, unknown) {
                    ui.add(egui::Label::new(line).wrap());
                }
            }
        })
        .response
}

#[cfg(test)]
mod tests {
    use super::super::{InstanceOp, InstanceOpKind, InstanceOpSent, InstanceOpState};
    use super::{Lang, error_lines};
    use crate::api::{ApiError, ServiceError};

    fn refused(code: &str) -> ApiError {
        ApiError::Service(ServiceError {
            http_status: 403,
            code: code.to_owned(),
            message: "refused".to_owned(),
            request_id: None,
            host_id: None,
            recommend: None,
        })
    }

    fn op(kind: InstanceOpKind) -> InstanceOp {
        InstanceOp {
            sent: InstanceOpSent {
                id: crate::ids::InstanceId::parse("MQ_INST_1880770869020000_dwVp137Z").unwrap(),
                name: "orders".to_owned(),
                kind,
            },
            state: InstanceOpState::Running { seq: 1 },
        }
    }

    #[test]
    fn a_refused_change_is_explained_as_a_change_not_as_a_create() {
        let delete = op(InstanceOpKind::Delete {
            topics: Some(0),
            groups: Some(0),
        });
        let update = op(InstanceOpKind::Update {
            new_name: Some("orders-2".to_owned()),
            new_remark: None,
        });
        let said = |op: &InstanceOp, code: &str| {
            error_lines(Lang::En, op, &refused(code), false).join("\n")
        };
        for (op, code, wanted) in [
            (&delete, "Forbidden.RAM", "mq:DeleteInstance"),
            (&update, "Forbidden.RAM", "may not change instances"),
            (
                &delete,
                "Throttling.User",
                "10 update or delete calls per second",
            ),
            (&update, "InternalError", "Refresh the list"),
        ] {
            let text = said(op, code);
            assert!(text.contains(wanted), "{code}: {text}");
            assert!(
                !text.contains("create"),
                "{code} explained as a create: {text}"
            );
        }
    }
}
