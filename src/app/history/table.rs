//! The history table (only the rows on screen are laid out) and the detail of one entry.

use std::sync::Arc;

use egui::{Align, Layout, RichText};

use crate::history::{CloudState, Entry, EntryKind, Status as EntryStatus, Verb};

use super::super::command::AppCommand;
use super::super::copy::{self, CopyLook};
use super::super::i18n::{HistoryText, Lang, T};
use super::super::style::{self, Tone};
use super::{HistoryContext, HistoryPanel};

/// Every row is one line of this height: `show_rows` needs a fixed height to skip the rest.
const ROW_HEIGHT: f32 = 22.0;

const TIME_FORMAT: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

/// The exact time in the detail view, with its UTC offset.
const DETAIL_TIME: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[year]-[month]-[day] [hour]:[minute]:[second] UTC[offset_hour sign:mandatory]:[offset_minute]"
);

/// Widths of the columns after the time as shares of what the time leaves: name, region,
/// instance ID, status.
const SHARES: [f32; 4] = [0.32, 0.13, 0.29, 0.26];

/// Colour, icon and words for an entry's status (never colour alone).
pub fn status_look(lang: Lang, entry: &Entry) -> (Tone, String) {
    let (tone, icon, words) = created_look(lang, entry);
    if entry.deleted_at().is_some() {
        // onsdesk deleted it since: a fact, neither good nor bad news, and no "✔" (which
        // emoji fonts draw green whatever the text's colour).
        return (
            Tone::Quiet,
            format!("{words} · {}", lang.t(HistoryText::StatusDeleted)),
        );
    }
    (tone, format!("{icon} {words}"))
}

/// [`status_look`] before anything onsdesk did to the instance later: tone, icon, words. A
/// topic or group delete has words of its own.
fn created_look(lang: Lang, entry: &Entry) -> (Tone, &'static str, String) {
    let (status, icon, word) = match (entry.subject.verb(), &entry.status) {
        (Verb::Create, EntryStatus::Created { .. } | EntryStatus::Done { .. }) => {
            (Tone::Good, "✔", HistoryText::StatusCreated)
        }
        (Verb::Create, EntryStatus::Adopted { .. } | EntryStatus::Seen) => {
            (Tone::Good, "✔", HistoryText::StatusAdopted)
        }
        (Verb::Create, EntryStatus::Pending) => (Tone::Warn, "⚠", HistoryText::StatusPending),
        (Verb::Create, EntryStatus::Unknown { .. }) => {
            (Tone::Warn, "⚠", HistoryText::StatusUnknown)
        }
        (Verb::Create, EntryStatus::Refused { .. }) => (Tone::Bad, "✖", HistoryText::StatusRefused),
        (Verb::Create, EntryStatus::NotCreated { .. } | EntryStatus::NotDone { .. }) => {
            (Tone::Bad, "✖", HistoryText::StatusNotCreated)
        }
        (
            Verb::Delete,
            EntryStatus::Done { .. }
            | EntryStatus::Seen
            | EntryStatus::Created { .. }
            | EntryStatus::Adopted { .. },
        ) => (Tone::Good, "✔", HistoryText::StatusDeleted),
        (Verb::Delete, EntryStatus::Pending) => (Tone::Warn, "⚠", HistoryText::StatusDeletePending),
        (Verb::Delete, EntryStatus::Unknown { .. }) => {
            (Tone::Warn, "⚠", HistoryText::StatusDeleteUnknown)
        }
        (Verb::Delete, EntryStatus::Refused { .. }) => {
            (Tone::Bad, "✖", HistoryText::StatusDeleteRefused)
        }
        (Verb::Delete, EntryStatus::NotCreated { .. } | EntryStatus::NotDone { .. }) => {
            (Tone::Bad, "✖", HistoryText::StatusNotDeleted)
        }
    };
    match entry.cloud.map(|c| c.state) {
        None => (status, icon, lang.t(word).to_owned()),
        Some(CloudState::InService) => (
            status,
            icon,
            format!("{} · {}", lang.t(word), lang.t(HistoryText::CloudInService)),
        ),
        Some(CloudState::NotFound) => (
            Tone::Warn,
            "⚠",
            format!("{} · {}", lang.t(word), lang.t(HistoryText::CloudNotFound)),
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

/// The columns' widths: the time as wide as its text (never cut to "2026-11-29 1…"), the rest
/// shared out.
fn widths(ui: &egui::Ui, total: f32) -> [f32; 5] {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let time = ui
        .ctx()
        .fonts_mut(|f| {
            f.layout_no_wrap(
                "0000-00-00 00:00".to_owned(),
                font,
                egui::Color32::PLACEHOLDER,
            )
        })
        .size()
        .x
        + 4.0;
    let spacing = ui.spacing().item_spacing.x;
    let rest = (total - time - 5.0 * spacing).max(0.0);
    let [name, region, id, status] = SHARES.map(|s| (rest * s).max(24.0));
    if rest < NARROW {
        // Beside an open detail in a small window: the region (which the detail shows) and
        // part of the ID (copyable from its button, whole in the detail) give their room to
        // the name, which would otherwise be cut to "…".
        return [
            time,
            name + region + spacing + id * 0.4,
            0.0,
            id * 0.6,
            status,
        ];
    }
    [time, name, region, id, status]
}

/// Below this width for the name, region, ID and status columns, the region column goes.
const NARROW: f32 = 420.0;

impl HistoryPanel {
    pub(super) fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &HistoryContext<'_>,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = cx.lang;
        let w = widths(ui, ui.available_width());
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
                if *width <= 0.0 {
                    continue;
                }
                cell(ui, *width, |ui| {
                    ui.add(egui::Label::new(RichText::new(key).strong()).truncate());
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
                kind_badge_ui(ui, lang, entry);
                let name = ui
                    .add(egui::Button::selectable(selected, entry.name_text()).truncate())
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
            if w[2] > 0.0 {
                cell(ui, w[2], |ui| {
                    cut_label(ui, entry.region.as_str());
                });
            }
            cell(ui, w[3], |ui| match entry.instance() {
                Some(id) => {
                    copy_id_button(ui, id, &lang.history_copy_id(id), cx, commands);
                    // Cut in the middle: every ID of one account starts the same way.
                    style::middle_cut_id(ui, id);
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
            // As short as the history panel is (a small window keeps it short).
            .min_scrolled_height(0.0)
            .show(ui, |ui| {
                // The name on its own lines (a long one wraps), the actions under it: nothing
                // is drawn over anything else, however narrow the panel.
                ui.horizontal_wrapped(|ui| {
                    if entry.is_sandbox() {
                        sandbox_badge_ui(ui, lang);
                    }
                    kind_badge_ui(ui, lang, entry);
                    ui.add(egui::Label::new(RichText::new(entry.name_text()).strong()).wrap());
                });
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .small_button(lang.t(HistoryText::HistoryRemove))
                        .on_hover_text(lang.t(HistoryText::HistoryRemoveNote))
                        .clicked()
                    {
                        self.remove(entry);
                    }
                    if ui.small_button(lang.t(HistoryText::CloseDetail)).clicked() {
                        self.selected = None;
                    }
                });
                let (status, text) = status_look(lang, entry);
                ui.add(egui::Label::new(RichText::new(text).color(status.color(ui))).wrap());
                // Two columns laid out in this frame (a Grid sizes its rows from the last
                // one, and a value that wraps differently would run into the next row).
                let key_width = (ui.available_width() * 0.32).min(110.0);
                let line = |ui: &mut egui::Ui, key: &str, value: &str| {
                    style::fact_ui(ui, key_width, key, |ui| {
                        ui.add(egui::Label::new(value).wrap());
                    });
                };
                line(
                    ui,
                    lang.t(HistoryText::HistoryKind),
                    &lang.history_kind(entry),
                );
                if let Some(id) = entry.instance() {
                    style::fact_ui(ui, key_width, lang.t(T::InstanceId), |ui| {
                        ui.add(egui::Label::new(RichText::new(id).monospace()).wrap());
                        let name = lang.history_copy_id_in_detail(id);
                        copy_id_button(ui, id, &name, cx, commands);
                    });
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
                    | EntryStatus::NotDone { detail }
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
                ui.add_space(4.0);
                ui.add(
                    egui::Label::new(RichText::new(lang.t(HistoryText::HistoryRemoveNote)).weak())
                        .wrap(),
                );
                super::super::a11y::follow_focus(ui);
            });
    }
}

/// 📋 (✔ just after copying), named `name` ("Copy instance ID …"): the row's and the open
/// detail's say which one they are.
fn copy_id_button(
    ui: &mut egui::Ui,
    id: &str,
    name: &str,
    cx: &HistoryContext<'_>,
    commands: &mut Vec<AppCommand>,
) {
    if copy::copy_button(ui, cx.lang, cx.copied, id, name, CopyLook::Icon) {
        commands.push(AppCommand::Copy(id.to_owned()));
    }
}

/// "topic" or "group", small and framed, before the name of an entry that is not an instance's
/// (an instance entry, by far the most common, has none).
fn kind_badge_ui(ui: &mut egui::Ui, lang: Lang, entry: &Entry) {
    let word = match entry.subject.kind() {
        EntryKind::Instance => return,
        EntryKind::Topic => HistoryText::BadgeTopic,
        EntryKind::Group => HistoryText::BadgeGroup,
    };
    egui::Frame::new()
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(3, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(lang.t(word)).small());
        });
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
