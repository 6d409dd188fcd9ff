//! The history table (only the rows on screen are laid out) and the detail of one entry.

use std::sync::Arc;

use egui::{Align, Layout, RichText, Sense};

use crate::history::{CloudState, Entry, Status as EntryStatus};

use super::super::AppCommand;
use super::super::i18n::{HistoryText, Lang, T};
use super::super::style::Tone;
use super::{HistoryContext, HistoryPanel};

/// Every row is one line of this height: `show_rows` needs a fixed height to skip the rest.
const ROW_HEIGHT: f32 = 22.0;

const TIME_FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

/// The exact time in the detail view, with its UTC offset.
const DETAIL_TIME: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[year]-[month]-[day] [hour]:[minute]:[second] UTC[offset_hour sign:mandatory]:[offset_minute]"
);

/// Column widths as shares of the table's width: time, name, region, instance ID, status.
const SHARES: [f32; 5] = [0.14, 0.19, 0.11, 0.30, 0.26];

/// Colour, icon and words for an entry's status (never colour alone).
pub fn status_look(lang: Lang, entry: &Entry) -> (Tone, String) {
    let (status, icon, word) = match &entry.status {
        EntryStatus::Created { .. } => (Tone::Good, "✔", HistoryText::StatusCreated),
        EntryStatus::Adopted { .. } => (Tone::Good, "✔", HistoryText::StatusAdopted),
        EntryStatus::Pending => (Tone::Warn, "⚠", HistoryText::StatusPending),
        EntryStatus::Unknown { .. } => (Tone::Warn, "⚠", HistoryText::StatusUnknown),
        EntryStatus::Refused { .. } => (Tone::Bad, "✖", HistoryText::StatusRefused),
        EntryStatus::NotCreated { .. } => (Tone::Bad, "✖", HistoryText::StatusNotCreated),
    };
    match entry.cloud.map(|c| c.state) {
        None => (status, format!("{icon} {}", lang.t(word))),
        Some(CloudState::InService) => (
            status,
            format!(
                "{icon} {} · {}",
                lang.t(word),
                lang.t(HistoryText::CloudInService)
            ),
        ),
        Some(CloudState::NotFound) => (
            Tone::Warn,
            format!(
                "⚠ {} · {}",
                lang.t(word),
                lang.t(HistoryText::CloudNotFound)
            ),
        ),
    }
}

/// A label cut to its cell's width, with the whole text in the accessibility tree (a screen
/// reader reads what was cut off; hovering shows it too).
fn cut_label(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) {
    let text: egui::WidgetText = text.into();
    let full = text.text().to_owned();
    let resp = ui.add(egui::Label::new(text).truncate());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &full));
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

fn widths(total: f32) -> [f32; 5] {
    SHARES.map(|s| (total * s - 8.0).max(24.0))
}

impl HistoryPanel {
    pub(super) fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &HistoryContext<'_>,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = cx.lang;
        let w = widths(ui.available_width());
        ui.horizontal(|ui| {
            cell(ui, w[0], |ui| {
                let arrow = if self.newest_first { "⬇" } else { "⬆" };
                let hint = if self.newest_first {
                    HistoryText::SortNewestHint
                } else {
                    HistoryText::SortOldestHint
                };
                if ui
                    .add(
                        egui::Button::new(
                            RichText::new(format!("{} {arrow}", lang.t(T::Time))).strong(),
                        )
                        .frame(false),
                    )
                    .on_hover_text(lang.t(hint))
                    .clicked()
                {
                    self.newest_first = !self.newest_first;
                }
            });
            for (width, key) in w[1..].iter().zip([
                lang.t(HistoryText::HistoryName),
                lang.t(T::Region),
                lang.t(T::InstanceId),
                lang.t(HistoryText::HistoryStatus),
            ]) {
                cell(ui, *width, |ui| {
                    ui.label(RichText::new(key).strong());
                });
            }
        });
        ui.separator();
        let total = self.rows.len();
        egui::ScrollArea::vertical()
            .id_salt("history_rows")
            .auto_shrink([false, false])
            // The panel may be only as tall as its search row and the column titles.
            .min_scrolled_height(0.0)
            .show_rows(ui, ROW_HEIGHT, total, |ui, range| {
                for r in range {
                    if let Some(entry) = self.shown(r) {
                        self.row_ui(ui, &w, &entry, cx, commands);
                    }
                }
            });
    }

    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        w: &[f32; 5],
        entry: &Arc<Entry>,
        cx: &HistoryContext<'_>,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = cx.lang;
        let selected = self.selected.as_ref().is_some_and(|s| s.id == entry.id);
        ui.horizontal(|ui| {
            ui.set_height(ROW_HEIGHT);
            cell(ui, w[0], |ui| {
                cut_label(ui, entry.at.format(TIME_FORMAT).unwrap_or_default());
            });
            cell(ui, w[1], |ui| {
                if entry.is_sandbox() {
                    sandbox_badge_ui(ui, lang);
                }
                let name = ui
                    .add(egui::Button::selectable(selected, entry.name.as_str()).truncate())
                    .on_hover_text(lang.t(HistoryText::HistoryShowDetail));
                if name.clicked() {
                    self.selected = if selected {
                        None
                    } else {
                        Some(Arc::clone(entry))
                    };
                    // The detail is laid out before the rows: show it on the next frame.
                    ui.ctx().request_repaint();
                }
            });
            cell(ui, w[2], |ui| {
                cut_label(ui, entry.region.as_str());
            });
            cell(ui, w[3], |ui| match entry.instance_id() {
                Some(id) => {
                    copy_id_button(ui, lang, id, &lang.history_copy_id(id), cx, commands);
                    cut_label(ui, RichText::new(id).monospace());
                }
                None => {
                    ui.weak("—");
                }
            });
            cell(ui, w[4], |ui| {
                let (status, text) = status_look(lang, entry);
                let color = status.color(ui);
                cut_label(ui, RichText::new(text).color(color));
            });
        });
    }

    pub(super) fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        entry: &Arc<Entry>,
        cx: &HistoryContext<'_>,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = cx.lang;
        egui::ScrollArea::vertical()
            .id_salt("history_detail_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if entry.is_sandbox() {
                        sandbox_badge_ui(ui, lang);
                    }
                    ui.add(egui::Label::new(RichText::new(&entry.name).strong()).truncate());
                    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                        if ui.small_button(lang.t(HistoryText::CloseDetail)).clicked() {
                            self.selected = None;
                        }
                        if ui
                            .small_button(lang.t(HistoryText::HistoryRemove))
                            .on_hover_text(lang.t(HistoryText::HistoryRemoveNote))
                            .clicked()
                        {
                            self.remove(entry);
                        }
                    });
                });
                let (status, text) = status_look(lang, entry);
                ui.label(RichText::new(text).color(status.color(ui)));
                egui::Grid::new("history_detail_grid")
                    .num_columns(2)
                    .spacing([8.0, 2.0])
                    .show(ui, |ui| {
                        let line = |ui: &mut egui::Ui, key: &str, value: &str| {
                            ui.weak(key);
                            ui.add(egui::Label::new(value).wrap());
                            ui.end_row();
                        };
                        if let Some(id) = entry.instance_id() {
                            ui.weak(lang.t(T::InstanceId));
                            ui.horizontal(|ui| {
                                ui.monospace(id);
                                let name = lang.history_copy_id_in_detail(id);
                                copy_id_button(ui, lang, id, &name, cx, commands);
                            });
                            ui.end_row();
                        }
                        if !entry.remark.is_empty() {
                            line(ui, lang.t(HistoryText::HistoryRemark), &entry.remark);
                        }
                        if let Some(r) = entry.status.request_id() {
                            line(ui, lang.t(T::RequestId), r);
                        }
                        match &entry.status {
                            EntryStatus::Refused { code, message, .. } => {
                                line(ui, lang.t(T::Code), code);
                                line(ui, lang.t(T::Message), message);
                            }
                            EntryStatus::NotCreated { detail }
                            | EntryStatus::Unknown { detail } => {
                                line(ui, lang.t(HistoryText::HistoryDetailNote), detail);
                            }
                            _ => {}
                        }
                        line(ui, lang.t(HistoryText::HistoryEndpoint), &entry.endpoint);
                        line(ui, lang.t(T::Profile), &entry.profile);
                        line(
                            ui,
                            lang.t(T::Time),
                            &entry.at.format(DETAIL_TIME).unwrap_or_default(),
                        );
                        line(ui, lang.t(T::Region), &entry.region);
                        if let EntryStatus::Created { instance_type, .. }
                        | EntryStatus::Adopted { instance_type, .. } = &entry.status
                        {
                            line(ui, lang.t(T::InstanceType), &lang.edition(*instance_type));
                        }
                        if let Some(c) = entry.cloud {
                            let at = c.checked_at.format(TIME_FORMAT).unwrap_or_default();
                            line(ui, lang.t(HistoryText::HistoryCheckedAt), &at);
                        }
                    });
                ui.add_space(4.0);
                ui.weak(lang.t(HistoryText::HistoryRemoveNote));
            });
    }
}

/// "📋" (or "✔" just after copying), named `name` ("Copy instance ID …") for screen readers
/// and tests: the row's and the open detail's say which one they are.
fn copy_id_button(
    ui: &mut egui::Ui,
    lang: Lang,
    id: &str,
    name: &str,
    cx: &HistoryContext<'_>,
    commands: &mut Vec<AppCommand>,
) {
    let recently = cx.session.recently_copied(id);
    let icon = if recently { "✔" } else { "📋" };
    let button = ui
        .add(egui::Button::new(icon).small().sense(Sense::click()))
        .on_hover_text(lang.t(if recently { T::Copied } else { T::Copy }));
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    if button.clicked() {
        commands.push(AppCommand::Copy(id.to_owned()));
    }
}

/// "sandbox", small and framed, before a sandbox entry's name: it created nothing real.
fn sandbox_badge_ui(ui: &mut egui::Ui, lang: Lang) {
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(3, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(lang.t(HistoryText::SandboxBadge)).small());
        })
        .response
        .on_hover_text(lang.t(HistoryText::SandboxBadgeHint));
}
