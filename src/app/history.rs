//! The history panel slot. The saved history arrives with its own issue; until then this
//! keeps what was created in this window, in memory only. [`SessionHistory::record`] is the
//! seam a create result is reported through.

use egui::RichText;

use super::i18n::{Lang, T};

/// One created instance.
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    pub at: String,
    pub name: String,
    pub region: String,
    pub instance_id: String,
    pub sandbox: bool,
}

/// What was created in this window.
#[derive(Debug, Default)]
pub struct SessionHistory {
    entries: Vec<HistoryEntry>,
}

impl SessionHistory {
    pub fn record(&mut self, entry: HistoryEntry) {
        self.entries.push(entry);
    }
}

/// Draws the slot.
pub fn history_ui(ui: &mut egui::Ui, lang: Lang, history: &SessionHistory) {
    ui.add_space(4.0);
    ui.label(RichText::new(lang.t(T::History)).strong());
    ui.weak(lang.session_count(history.entries.len()));
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("session_history")
                .num_columns(4)
                .spacing([16.0, 2.0])
                .striped(true)
                .show(ui, |ui| {
                    for e in history.entries.iter().rev() {
                        ui.label(&e.at);
                        ui.label(&e.name);
                        ui.label(&e.region);
                        let id = if e.sandbox {
                            format!("{} ({})", e.instance_id, lang.t(T::ProfileSandbox))
                        } else {
                            e.instance_id.clone()
                        };
                        ui.monospace(id);
                        ui.end_row();
                    }
                });
        });
}
