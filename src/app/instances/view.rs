//! How the Instances view looks: the list (search, Refresh, a row per instance) above the
//! selected instance's details (facts, endpoints, rename form, Delete…), the outcome of the
//! last update or delete on top of the details, and the delete confirmation.

use egui::{Align, Layout, RichText};

use crate::api::ApiError;
use crate::instances::{DeleteOutcome, UpdateOutcome};
use crate::validation::validate_instance_name;

use super::super::AppCommand;
use super::super::a11y;
use super::super::copy::{self, Look};
use super::super::create::{listed_endpoints, name_field_ui, name_verdict_ui, remark_field_ui};
use super::super::creds::Creds;
use super::super::history::HistoryPanel;
use super::super::i18n::{Advice, CardText, HistoryText, InstancesText, Lang, T};
use super::super::session::WindowSession;
use super::super::style::{self, Tone};
use super::{
    DeleteDialog, InstanceOp, InstanceOpKind, InstanceOpState, InstancesController, Listed, Settled,
};
use crate::api::ErrorKind;

/// Column widths as shares of the list's width: name, instance ID, status, topics, groups,
/// created.
const SHARES: [f32; 6] = [0.24, 0.31, 0.11, 0.08, 0.08, 0.18];
const ROW_HEIGHT: f32 = 26.0;
/// The list's height without its rows: the search row, the count, the header, margins.
const LIST_CHROME: f32 = 110.0;

fn widths(total: f32) -> [f32; 6] {
    SHARES.map(|s| (total * s - 8.0).max(24.0))
}

/// A fixed-width cell, vertically centred, whose content is cut to fit.
fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ROW_HEIGHT),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            ui.set_clip_rect(ui.max_rect().intersect(ui.clip_rect()));
            add(ui);
        },
    );
}

/// A label cut to its cell's width, with the whole text in the accessibility tree.
fn cut_label(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) {
    let text: egui::WidgetText = text.into();
    let full = text.text().to_owned();
    let resp = ui.add(egui::Label::new(text).truncate());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &full));
}

/// An Instance ID cut in the middle to fit (`MQ_INST_…0000_dwVp137Z`): its end is what tells
/// two IDs of one account apart. The whole ID is in the accessibility tree.
fn id_label(ui: &mut egui::Ui, id: &str) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.ctx().fonts_mut(|f| f.glyph_width(&font, '0')).max(1.0);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a small positive count of characters"
    )]
    let fits = (ui.available_width() / char_width).floor().max(0.0) as usize;
    let resp = ui.label(RichText::new(middle_elided(id, fits)).monospace());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, id));
}

/// `text` in at most `max` characters, the middle replaced by `…`, keeping more of the end.
fn middle_elided(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(1);
    let head = keep / 3;
    let tail = keep - head;
    let mut out: String = chars.iter().take(head).collect();
    out.push('…');
    out.extend(chars.iter().skip(chars.len() - tail));
    out
}

fn count_text(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_owned(), |n| n.to_string())
}

/// The view's Copy buttons, each named for what it copies.
fn copy_button(
    ui: &mut egui::Ui,
    session: &WindowSession,
    text: &str,
    name: &str,
    commands: &mut Vec<AppCommand>,
) {
    if copy::copy_button(ui, session.lang, &session.copied, text, name, Look::Word) {
        commands.push(AppCommand::Copy(text.to_owned()));
    }
}

impl InstancesController {
    /// Draws the view in what is left of the window; returns what the window should do.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        history: &HistoryPanel,
    ) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        if session.ready().is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.add_space(8.0);
                no_credentials_ui(ui, session, &mut commands);
            });
            return commands;
        }
        if let Some(row) = self.selected_row().cloned() {
            self.edit.follow(&row);
        }
        let detail_from = a11y::child_count(ui);
        // The list keeps room for its first rows (a region holds a handful of instances);
        // the details take the rest and scroll.
        let rows = self.rows.as_ref().map_or(0, Vec::len).min(5);
        #[expect(clippy::cast_precision_loss, reason = "at most 5")]
        let list_height = LIST_CHROME + rows as f32 * (ROW_HEIGHT + ui.spacing().item_spacing.y);
        let available = ui.available_height();
        let detail_height = (available - list_height).max(150.0).min(available * 0.65);
        egui::Panel::bottom("instance_detail")
            .resizable(false)
            .exact_size(detail_height)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("instance_detail_scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        ui.add_space(6.0);
                        // Room for the scroll bar, which floats over the right edge.
                        egui::Frame::new()
                            .inner_margin(egui::Margin {
                                right: 14,
                                ..egui::Margin::ZERO
                            })
                            .show(ui, |ui| self.detail_ui(ui, session, &mut commands));
                    });
            });
        let detail_nodes = detail_from..a11y::child_count(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            self.list_ui(ui, session, history, &mut commands);
        });
        // Read as seen: the list, then the details under it.
        a11y::read_after_the_rest(ui, detail_nodes);
        self.delete_dialog_ui(ui, session);
        self.status_node(ui.ctx(), session.lang);
        commands
    }

    /// Search and Refresh.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label(lang.t(InstancesText::Search)).id;
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(lang.t(InstancesText::SearchHint))
                    .desired_width(220.0),
            )
            .labelled_by(label);
            let refresh = ui
                .add_enabled(
                    self.loading.is_none(),
                    egui::Button::new(lang.t(InstancesText::Refresh)),
                )
                .on_hover_text(lang.t(InstancesText::RefreshHint));
            if refresh.clicked() {
                self.refresh_asked = true;
                ui.ctx().request_repaint();
            }
            if self.loading.is_some() {
                style::spinner(ui);
            }
        });
    }

    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        history: &HistoryPanel,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        self.toolbar_ui(ui, lang);
        if let Err(e) = session.target() {
            ui.label(
                RichText::new(format!(
                    "✖ {} {}",
                    lang.t(T::EndpointInvalid),
                    lang.endpoint_error(&e)
                ))
                .color(Tone::Bad.color(ui)),
            );
            return;
        }
        if let Some(failure) = &self.list_error {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "⚠ {} {}",
                        lang.t(InstancesText::ListFailed),
                        lang.failure(failure)
                    ))
                    .color(Tone::Warn.color(ui)),
                )
                .wrap(),
            );
        }
        let Some(rows) = &self.rows else {
            if self.loading.is_some() {
                ui.weak(lang.t(InstancesText::Loading));
            }
            return;
        };
        if self.left_out > 0 {
            ui.add(
                egui::Label::new(
                    RichText::new(lang.instances_left_out(self.left_out))
                        .color(Tone::Warn.color(ui)),
                )
                .wrap(),
            );
        }
        let needle = self.search.trim().to_lowercase();
        let shown: Vec<&Listed> = rows.iter().filter(|r| r.matches(&needle)).collect();
        let region = lang.region_name(&session.region());
        if rows.is_empty() {
            ui.weak(lang.t(InstancesText::Empty));
            return;
        }
        ui.weak(lang.instances_count(shown.len(), rows.len(), &region));
        if shown.is_empty() {
            ui.weak(lang.t(InstancesText::NoMatch));
            return;
        }
        let w = widths(ui.available_width());
        ui.horizontal(|ui| {
            for (width, key) in w.iter().zip([
                lang.t(InstancesText::ColName),
                lang.t(T::InstanceId),
                lang.t(InstancesText::ColStatus),
                lang.t(InstancesText::ColTopics),
                lang.t(InstancesText::ColGroups),
                lang.t(InstancesText::ColCreated),
            ]) {
                cell(ui, *width, |ui| {
                    ui.label(RichText::new(key).strong());
                });
            }
        });
        ui.separator();
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("instance_rows")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for row in shown {
                    let selected = self.selected.as_deref() == Some(row.id());
                    if row_ui(
                        ui,
                        &w,
                        row,
                        selected,
                        history.knows(row.id()),
                        session,
                        commands,
                    ) {
                        clicked = Some(row.id().to_owned());
                    }
                }
            });
        if let Some(id) = clicked {
            self.selected = if self.selected.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id)
            };
            // The details are laid out before the rows: show them on the next frame.
            ui.ctx().request_repaint();
        }
    }

    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        if let Some(op) = &self.op {
            let card = op_ui(ui, lang, op);
            if std::mem::take(&mut self.reveal_op) {
                // The details may be scrolled down to Save or Delete…: bring the news into view.
                card.scroll_to_me(Some(Align::TOP));
            }
            ui.add_space(6.0);
        }
        let Some(row) = self.selected_row().cloned() else {
            ui.weak(lang.t(InstancesText::SelectHint));
            return;
        };
        let running = self.is_running();
        let mut save = false;
        let mut open_delete = false;
        // Not justified: wrapped text in a justified column is spread out letter by letter.
        ui.columns(2, |cols| {
            cols[0].vertical(|ui| facts_ui(ui, session, &row, commands));
            cols[1].vertical(|ui| (save, open_delete) = self.edit_ui(ui, lang, &row, running));
        });
        ui.add_space(6.0);
        endpoints_ui(ui, session, &row, commands);
        if save {
            self.save(session);
        }
        if open_delete {
            self.delete = Some(DeleteDialog {
                id: row.summary.instance_id.clone(),
                name: row.name().to_owned(),
                topics: row.summary.topic_count,
                groups: row.summary.group_count,
                typed: String::new(),
                focus: true,
            });
        }
    }

    /// Rename / edit remark, then Delete…; returns (Save clicked, Delete… clicked).
    fn edit_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        row: &Listed,
        running: bool,
    ) -> (bool, bool) {
        let mut save = false;
        let mut open_delete = false;
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
            if ui
                .add_enabled(!running, delete)
                .on_hover_text(lang.t(InstancesText::DeleteNotEmpty))
                .clicked()
            {
                open_delete = true;
            }
        });
        // Enter in either field saves, as Enter creates in the create form.
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter && can_save && (name.lost_focus() || remark_resp.lost_focus()) {
            save = true;
        }
        (save, open_delete)
    }

    fn delete_dialog_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession) {
        let Some(dialog) = &mut self.delete else {
            return;
        };
        let lang = session.lang;
        let mut confirm = false;
        let mut cancel = false;
        let modal =
            egui::Modal::new(egui::Id::unique("onsdesk.delete_instance")).show(ui.ctx(), |ui| {
                ui.set_max_width(440.0);
                ui.heading(lang.t(InstancesText::DeleteTitle));
                ui.add_space(4.0);
                ui.add(egui::Label::new(lang.delete_question(&dialog.name, &dialog.id)).wrap());
                ui.label(
                    RichText::new(format!("⚠ {}", lang.t(InstancesText::DeleteIrreversible)))
                        .strong()
                        .color(Tone::Bad.color(ui)),
                );
                ui.add(egui::Label::new(lang.t(InstancesText::DeleteNotEmpty)).wrap());
                ui.label(lang.delete_holds(dialog.topics, dialog.groups));
                ui.add_space(8.0);
                let label = ui.label(lang.t(InstancesText::ConfirmLabel)).id;
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut dialog.typed)
                            .hint_text(&dialog.name)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label);
                if std::mem::take(&mut dialog.focus) {
                    field.request_focus();
                }
                if field.changed() {
                    ui.ctx().request_repaint();
                }
                if field.lost_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && dialog.confirmed()
                {
                    confirm = true;
                }
                if !dialog.typed.is_empty() && !dialog.confirmed() {
                    ui.weak(lang.t(InstancesText::ConfirmMismatch));
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let delete = egui::Button::new(
                        RichText::new(lang.t(InstancesText::DeleteConfirm)).strong(),
                    );
                    let delete = if dialog.confirmed() {
                        delete.fill(Tone::Bad.color(ui).gamma_multiply(0.35))
                    } else {
                        delete
                    };
                    if ui.add_enabled(dialog.confirmed(), delete).clicked() {
                        confirm = true;
                    }
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        cancel = true;
                    }
                });
            });
        if confirm {
            self.delete_confirmed(session);
        } else if cancel || modal.should_close() {
            self.delete = None;
        }
    }

    /// The live status for screen readers: what the last update or delete is doing, then how
    /// it ended (announced once per change, failures interrupting), as the create's.
    fn status_node(&self, ctx: &egui::Context, lang: Lang) {
        let Some(op) = &self.op else { return };
        let (text, tone) = op_headline(lang, op);
        let live = match tone {
            Some(Tone::Bad | Tone::Warn) => egui::accesskit::Live::Assertive,
            _ => egui::accesskit::Live::Polite,
        };
        ctx.accesskit_node_builder(egui::Id::unique("onsdesk.instances_status"), |node| {
            node.set_role(egui::accesskit::Role::Status);
            node.set_live(live);
            node.set_label(text);
        });
    }
}

/// One row; returns whether its name was clicked.
fn row_ui(
    ui: &mut egui::Ui,
    w: &[f32; 6],
    row: &Listed,
    selected: bool,
    known: bool,
    session: &WindowSession,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let lang = session.lang;
    let mut clicked = false;
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        cell(ui, w[0], |ui| {
            if known {
                badge_ui(ui, lang, row.name());
            }
            clicked = ui
                .add(egui::Button::selectable(selected, row.name()).truncate())
                .clicked();
        });
        cell(ui, w[1], |ui| {
            let id = row.id();
            if copy::copy_button(
                ui,
                session.lang,
                &session.copied,
                id,
                &lang.instances_copy_id(id),
                Look::Icon,
            ) {
                commands.push(AppCommand::Copy(id.to_owned()));
            }
            id_label(ui, id);
        });
        cell(ui, w[2], |ui| {
            cut_label(ui, lang.instance_status(row.summary.instance_status));
        });
        cell(ui, w[3], |ui| {
            cut_label(ui, count_text(row.summary.topic_count));
        });
        cell(ui, w[4], |ui| {
            cut_label(ui, count_text(row.summary.group_count));
        });
        cell(ui, w[5], |ui| {
            cut_label(ui, row.created.as_str());
        });
    });
    clicked
}

/// "onsdesk", small and framed, before the name of an instance the history knows.
fn badge_ui(ui: &mut egui::Ui, lang: Lang, name: &str) {
    let said = lang.created_by_onsdesk(name);
    let resp = egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(3, 0))
        .show(ui, |ui| {
            let label = ui.label(RichText::new(lang.t(InstancesText::Badge)).small());
            label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &said));
        })
        .response;
    resp.on_hover_text(lang.t(InstancesText::BadgeHint));
}

/// The selected instance's facts and endpoints.
fn facts_ui(
    ui: &mut egui::Ui,
    session: &WindowSession,
    row: &Listed,
    commands: &mut Vec<AppCommand>,
) {
    let lang = session.lang;
    ui.add(egui::Label::new(RichText::new(row.name()).strong()).wrap());
    // The ID on a line of its own (outside the grid, so Copy wraps under it when narrow).
    let id = row.id();
    ui.horizontal_wrapped(|ui| {
        ui.weak(lang.t(T::InstanceId));
        ui.add(egui::Label::new(RichText::new(id).monospace()).wrap());
        copy_button(
            ui,
            session,
            id,
            &lang.history_copy_id_in_detail(id),
            commands,
        );
    });
    let remark = match &row.info {
        Ok(info) if info.remark.is_empty() => Some("—"),
        Ok(info) => Some(info.remark.as_str()),
        Err(_) => None,
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
    row: &Listed,
    commands: &mut Vec<AppCommand>,
) {
    let lang = session.lang;
    ui.label(RichText::new(lang.t(InstancesText::Endpoints)).strong());
    match &row.info {
        Err(e) => {
            ui.add(
                egui::Label::new(
                    RichText::new(format!("⚠ {} {e}", lang.t(InstancesText::DetailsFailed)))
                        .color(Tone::Warn.color(ui)),
                )
                .wrap(),
            );
        }
        Ok(info) => {
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
        ApiError::Transport { message, .. } => {
            lines.push(format!("{} · {message}", lang.t(CardText::NetworkError)));
        }
        other => lines.push(other.to_string()),
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
fn op_headline(lang: Lang, op: &InstanceOp) -> (String, Option<Tone>) {
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

/// Why there is no list without credentials, and what to do (the create card's words).
fn no_credentials_ui(ui: &mut egui::Ui, session: &WindowSession, commands: &mut Vec<AppCommand>) {
    let lang = session.lang;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match &session.creds {
            Creds::SandboxStarting => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.t(CardText::SandboxStarting));
                });
                return;
            }
            Creds::Loading { profile, .. } => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.reading_profile(profile));
                });
                return;
            }
            _ => {}
        }
        ui.label(
            RichText::new(format!("⚠ {}", lang.t(CardText::NoCredsTitle)))
                .strong()
                .color(Tone::Warn.color(ui)),
        );
        ui.label(lang.t(CardText::NoCredsBody));
        if session.store.is_some() {
            ui.add_space(4.0);
            if ui.button(lang.t(CardText::AddProfileWelcome)).clicked() {
                commands.push(AppCommand::OpenProfiles);
            }
        }
        ui.add_space(4.0);
        ui.label(lang.t(CardText::NoCredsOr));
        if ui
            .button(format!("▶ {}", lang.t(CardText::TrySandbox)))
            .clicked()
        {
            commands.push(AppCommand::StartSandbox);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::{InstanceOp, InstanceOpKind, InstanceOpSent, InstanceOpState};
    use super::{Lang, error_lines, middle_elided};
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

    #[test]
    fn an_id_keeps_its_end() {
        let id = "MQ_INST_1880770869020000_dwVp137Z";
        assert_eq!(middle_elided(id, 40), id);
        assert_eq!(middle_elided(id, 22), "MQ_INST…20000_dwVp137Z");
        assert_eq!(middle_elided(id, 22).chars().count(), 22);
        assert_eq!(middle_elided(id, 0), "…");
    }
}
