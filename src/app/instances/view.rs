//! How the Instances view looks. With no instance selected: the region's list with all its
//! columns (search, Refresh, a row per instance). With one selected: the list shrinks to a
//! column of names at the left, and the instance's details take the rest of the window — its
//! name and ID on top, then a tab per pane ([`Pane`]), each pane scrolling on its own.

use egui::{Align, Layout, RichText};

use super::super::a11y;
use super::super::command::AppCommand;
use super::super::copy::{self, CopyLook};
use super::super::creds::Creds;
use super::super::history::HistoryPanel;
use super::super::i18n::{CardText, InstancesText, Lang, T, TopicsText};
use super::super::session::WindowSession;
use super::super::style::{self, Tone};
use super::{FocusTo, InstanceRow, InstancesController, Pane, SearchField, take_focus};

/// Column widths as shares of the list's width: name, instance ID, status, topics, groups,
/// created.
const SHARES: [f32; 6] = [0.24, 0.31, 0.11, 0.08, 0.08, 0.18];
const ROW_HEIGHT: f32 = 26.0;
/// The column of names beside an instance's details: a share of the window's width, within
/// these bounds (at 720 points wide it leaves the details about 530).
const NAMES_SHARE: f32 = 0.24;
const NAMES_MIN: f32 = 170.0;
const NAMES_MAX: f32 = 240.0;
/// What the details' Close button needs beside the instance's name.
const CLOSE_ROOM: f32 = 110.0;

fn widths(total: f32) -> [f32; 6] {
    SHARES.map(|s| (total * s - 8.0).max(24.0))
}

/// A fixed-width cell, vertically centred, whose content is cut to fit.
pub(super) fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
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
pub(super) fn cut_label(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) {
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

pub(super) fn count_text(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_owned(), |n| n.to_string())
}

/// The view's Copy buttons, each named for what it copies.
pub(super) fn copy_button(
    ui: &mut egui::Ui,
    session: &WindowSession,
    text: &str,
    name: &str,
    commands: &mut Vec<AppCommand>,
) {
    if copy::copy_button(
        ui,
        session.lang,
        &session.copied,
        text,
        name,
        CopyLook::Word,
    ) {
        commands.push(AppCommand::Copy(text.to_owned()));
    }
}

/// What [`rows_in_view`] remembers of a list from one frame to the next.
#[derive(Clone, Copy, Debug)]
struct RowsSeen {
    /// A row's height with the space after it.
    step: f32,
    /// The row that held the keyboard focus.
    focused: Option<usize>,
}

/// Draws a list's rows only where they can be seen, so that a list of thousands (an instance's
/// topics or groups) costs a frame what a screenful does: the rows inside the scroll area's
/// view and a view's height of them above and below, the row that held the keyboard focus
/// and the row `keep` (one about to take it). The others take their room as empty space, so
/// the scroll bar is the same. egui moves focus with Tab only to widgets it drew: the margin
/// holds the next row, and [`a11y::follow_focus`] then scrolls it into view. Every row must
/// be as tall as the others (one line, [`ROW_HEIGHT`]).
pub(super) fn rows_in_view<R>(
    ui: &mut egui::Ui,
    id: egui::Id,
    rows: &[R],
    keep: Option<usize>,
    mut row_ui: impl FnMut(&mut egui::Ui, &R),
) {
    let seen: Option<RowsSeen> = ui.data(|d| d.get_temp(id));
    let step = seen
        .map_or(ROW_HEIGHT + ui.spacing().item_spacing.y, |s| s.step)
        .max(1.0);
    let clip = ui.clip_rect();
    let top = ui.cursor().top();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "not negative (clamped at 0), and at most rows.len() once used"
    )]
    let row_at = |y: f32| ((y - top) / step).max(0.0) as usize;
    let first = row_at(clip.top() - clip.height()).min(rows.len());
    let end = row_at(clip.bottom() + clip.height())
        .saturating_add(1)
        .min(rows.len());
    let also = [keep, seen.and_then(|s| s.focused)];
    let focused = ui.memory(egui::Memory::focused);
    let (mut skipped, mut measured, mut focused_row) = (0_usize, None, None);
    #[expect(
        clippy::cast_precision_loss,
        reason = "a row count far below f32's exact integers"
    )]
    let room = |n: usize| n as f32 * step;
    for (i, row) in rows.iter().enumerate() {
        if !(first..end).contains(&i) && !also.contains(&Some(i)) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            ui.add_space(room(skipped));
            skipped = 0;
        }
        let above = ui.cursor().top();
        row_ui(ui, row);
        let below = ui.cursor().top();
        measured.get_or_insert(below - above);
        if focused
            .and_then(|f| ui.ctx().read_response(f))
            .is_some_and(|r| r.rect.top() >= above && r.rect.bottom() <= below)
        {
            focused_row = Some(i);
        }
    }
    if skipped > 0 {
        ui.add_space(room(skipped));
    }
    let seen = RowsSeen {
        step: measured.unwrap_or(step),
        focused: focused_row,
    };
    ui.data_mut(|d| d.insert_temp(id, seen));
}

/// Where in `listed` the row is that the keyboard is about to go to.
fn focus_row(focus_to: Option<&FocusTo>, listed: &[&InstanceRow]) -> Option<usize> {
    let Some(FocusTo::Row(id)) = focus_to else {
        return None;
    };
    listed.iter().position(|row| row.id() == id)
}

/// Draws `add` in a scope with this id, so the widget it adds keeps its id (and with it the
/// keyboard focus) however what is drawn around it changes from one pass to the next: the
/// controls the view moves the focus to.
pub(super) fn fixed_id<R>(
    ui: &mut egui::Ui,
    id: egui::Id,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), add)
        .inner
}

/// A click that came from the keyboard (Enter or Space on the focused control) or from
/// assistive technology, not from the pointer: the focus should follow what it opened.
fn clicked_without_pointer(resp: &egui::Response) -> bool {
    resp.clicked() && !resp.clicked_by(egui::PointerButton::Primary)
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
        match self.selected_row().cloned() {
            None => {
                egui::CentralPanel::default().show(ui, |ui| {
                    // A deleted instance's outcome stays in view after its details closed.
                    self.op_card_ui(ui, session.lang);
                    self.list_ui(ui, session, history, &mut commands);
                });
            }
            Some(row) => {
                self.edit.follow(&row);
                let names = (ui.available_width() * NAMES_SHARE).clamp(NAMES_MIN, NAMES_MAX);
                egui::Panel::left("instance_names")
                    .resizable(false)
                    .exact_size(names)
                    .show(ui, |ui| self.names_ui(ui, session, history));
                egui::CentralPanel::default().show(ui, |ui| {
                    self.detail_ui(ui, session, &row, &mut commands);
                });
            }
        }
        self.delete_dialog_ui(ui, session);
        self.held_delete_dialog_ui(ui, session);
        // After every control was drawn, and before the news goes to the focused one.
        self.keep_focus_ui(ui.ctx());
        self.news.show(ui.ctx(), "onsdesk.instances_status");
        commands
    }

    /// Search and Refresh; in the column of names, stacked.
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, lang: Lang, narrow: bool) {
        ui.add_space(4.0);
        let search = |ui: &mut egui::Ui, search: &mut String| {
            let label = ui.label(lang.t(InstancesText::Search)).id;
            let hint = lang.t(InstancesText::SearchHint);
            let field = ui
                .add(
                    egui::TextEdit::singleline(search)
                        .id(SearchField::Instances.id())
                        .hint_text(hint)
                        .desired_width(if narrow { f32::INFINITY } else { 220.0 }),
                )
                .labelled_by(label);
            // The hint is said as what it is, not as if it were typed.
            a11y::field_state(&field, lang, search, hint, false);
            field
        };
        let refresh = |ui: &mut egui::Ui, this: &mut Self| {
            let refresh = ui
                .add_enabled(
                    this.loading.is_none(),
                    egui::Button::new(lang.t(InstancesText::Refresh)),
                )
                .on_hover_text(lang.t(InstancesText::RefreshHint));
            if refresh.clicked() {
                this.refresh_asked = true;
                ui.ctx().request_repaint();
            }
            if this.loading.is_some() {
                style::spinner(ui);
            }
        };
        let field = if narrow {
            let field = search(ui, &mut self.search);
            ui.horizontal(|ui| refresh(ui, self));
            field
        } else {
            ui.horizontal(|ui| {
                let field = search(ui, &mut self.search);
                refresh(ui, self);
                field
            })
            .inner
        };
        if self.take_focus(&FocusTo::Search) {
            field.request_focus();
        }
    }

    /// What stands between the toolbar and the rows: an unusable endpoint, a failed load, the
    /// entries left out, the count. Returns the rows to show (their indices in `rows`), or
    /// `None` when there are none.
    fn list_head_ui(
        &self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        narrow: bool,
    ) -> Option<Vec<usize>> {
        let lang = session.lang;
        if let Err(e) = session.target() {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "✖ {} {}",
                        lang.t(T::EndpointInvalid),
                        lang.endpoint_error(&e)
                    ))
                    .color(Tone::Bad.color(ui)),
                )
                .wrap(),
            );
            return None;
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
                ui.add(
                    egui::Label::new(RichText::new(lang.t(InstancesText::Loading)).weak()).wrap(),
                );
            }
            return None;
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
        if rows.is_empty() {
            ui.weak(lang.t(InstancesText::Empty));
            return None;
        }
        let needle = self.search.trim().to_lowercase();
        let shown: Vec<usize> = (0..rows.len())
            .filter(|&i| rows.get(i).is_some_and(|r| r.matches(&needle)))
            .collect();
        let count = if narrow {
            lang.instances_count_short(shown.len(), rows.len())
        } else {
            lang.instances_count(
                shown.len(),
                rows.len(),
                &lang.region_name(&session.region()),
            )
        };
        ui.add(egui::Label::new(RichText::new(count).weak()).wrap());
        if shown.is_empty() {
            ui.weak(lang.t(InstancesText::NoMatch));
            return None;
        }
        Some(shown)
    }

    /// The list with all its columns (no instance selected).
    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        history: &HistoryPanel,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        self.toolbar_ui(ui, lang, false);
        let Some(shown) = self.list_head_ui(ui, session, false) else {
            return;
        };
        let rows = self.rows.as_deref().unwrap_or_default();
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
                let listed: Vec<&InstanceRow> = shown.iter().filter_map(|&i| rows.get(i)).collect();
                let keep = focus_row(self.focus_to.as_ref(), &listed);
                let id = egui::Id::unique("onsdesk.instance_rows");
                rows_in_view(ui, id, &listed, keep, |ui, row| {
                    let focus = take_focus(&mut self.focus_to, &FocusTo::Row(row.id().to_owned()));
                    let name = row_ui(ui, &w, row, history.knows(row.id()), session, commands);
                    if focus {
                        name.request_focus();
                    }
                    if name.clicked() {
                        clicked = Some((row.id().to_owned(), clicked_without_pointer(&name)));
                    }
                });
                ui.weak(lang.t(InstancesText::SelectHint));
                a11y::follow_focus(ui);
            });
        if let Some((id, from_keyboard)) = clicked {
            self.select(Some(id), from_keyboard);
            ui.ctx().request_repaint();
        }
    }

    /// The column of names beside the selected instance's details.
    fn names_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession, history: &HistoryPanel) {
        let lang = session.lang;
        self.toolbar_ui(ui, lang, true);
        let Some(shown) = self.list_head_ui(ui, session, true) else {
            return;
        };
        let rows = self.rows.as_deref().unwrap_or_default();
        ui.separator();
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("instance_names")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let listed: Vec<&InstanceRow> = shown.iter().filter_map(|&i| rows.get(i)).collect();
                let keep = focus_row(self.focus_to.as_ref(), &listed);
                let id = egui::Id::unique("onsdesk.instance_names");
                rows_in_view(ui, id, &listed, keep, |ui, row| {
                    let selected = self.selected.as_deref() == Some(row.id());
                    let focus = take_focus(&mut self.focus_to, &FocusTo::Row(row.id().to_owned()));
                    let name = ui
                        .horizontal(|ui| {
                            ui.set_height(ROW_HEIGHT);
                            if history.knows(row.id()) {
                                badge_ui(ui, lang, row.name());
                            }
                            let name =
                                ui.add(egui::Button::selectable(selected, row.name()).truncate());
                            describe_row(&name, lang, row);
                            name
                        })
                        .inner;
                    if focus {
                        name.request_focus();
                    }
                    if name.clicked() {
                        clicked = Some((row.id().to_owned(), clicked_without_pointer(&name)));
                    }
                });
                a11y::follow_focus(ui);
            });
        if let Some((id, from_keyboard)) = clicked {
            // The selected one again closes its details.
            let id = (self.selected.as_deref() != Some(id.as_str())).then_some(id);
            self.select(id, from_keyboard);
            ui.ctx().request_repaint();
        }
    }

    /// The selected instance: its name and ID, a tab per pane, and the pane, which scrolls.
    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            // The name, cut to leave room for Close beside it.
            let room = (ui.available_width() - CLOSE_ROOM).max(40.0);
            ui.allocate_ui_with_layout(
                egui::vec2(room, ui.spacing().interact_size.y),
                Layout::left_to_right(Align::Center),
                |ui| {
                    ui.add(egui::Label::new(RichText::new(row.name()).heading()).truncate());
                },
            );
            let close = ui
                .small_button(lang.t(T::Close))
                .accessible_name(lang.close_details(row.name()));
            if close.clicked() {
                let from_keyboard = clicked_without_pointer(&close);
                self.select(None, from_keyboard);
                ui.ctx().request_repaint();
            }
        });
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
        ui.add_space(2.0);
        self.tabs_ui(ui, lang, row);
        ui.separator();
        let pane = self.pane;
        egui::ScrollArea::vertical()
            .id_salt(("instance_pane", pane_salt(pane)))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(4.0);
                // Room for the scroll bar, which floats over the right edge.
                egui::Frame::new()
                    .inner_margin(egui::Margin {
                        right: 14,
                        ..egui::Margin::ZERO
                    })
                    .show(ui, |ui| match pane {
                        Pane::Overview => self.overview_ui(ui, session, row, commands),
                        Pane::Topics => self.topics_ui(ui, session, row, commands),
                        Pane::Groups => self.groups_ui(ui, session, row, commands),
                        Pane::Connect => self.connect_ui(ui, session, row, commands),
                    });
                // Tab to a control below the fold scrolls it into view.
                a11y::follow_focus(ui);
            });
    }

    /// A tab per pane; Topics and Groups with their counts once listed.
    fn tabs_ui(&mut self, ui: &mut egui::Ui, lang: Lang, row: &InstanceRow) {
        let here = self.held.instance() == Some(&row.summary.instance_id);
        let topics = self
            .held
            .topics
            .rows
            .as_ref()
            .filter(|_| here)
            .map(Vec::len);
        let groups = self
            .held
            .groups
            .rows
            .as_ref()
            .filter(|_| here)
            .map(Vec::len);
        ui.horizontal_wrapped(|ui| {
            for pane in Pane::ALL {
                let word = match pane {
                    Pane::Overview => lang.t(InstancesText::TabOverview).to_owned(),
                    Pane::Topics => lang.tab_with_count(TopicsText::TabTopics, topics),
                    Pane::Groups => lang.tab_with_count(TopicsText::TabGroups, groups),
                    Pane::Connect => lang.t(TopicsText::TabConnect).to_owned(),
                };
                let id = egui::Id::unique(("onsdesk.tab", pane_salt(pane)));
                let tab = fixed_id(ui, id, |ui| ui.selectable_label(self.pane == pane, word));
                if self.take_focus(&FocusTo::Tab(pane)) {
                    tab.request_focus();
                }
                if tab.clicked() && self.pane != pane {
                    self.pane = pane;
                    ui.ctx().request_repaint();
                }
            }
        });
    }
}

/// A stable name for a pane's scroll area (each keeps its own scroll position).
fn pane_salt(pane: Pane) -> &'static str {
    match pane {
        Pane::Overview => "overview",
        Pane::Topics => "topics",
        Pane::Groups => "groups",
        Pane::Connect => "connect",
    }
}

/// What a screen reader reads after a row's name: its ID, status and counts.
fn describe_row(resp: &egui::Response, lang: Lang, row: &InstanceRow) {
    let said = lang.instance_row_description(
        row.id(),
        &lang.instance_status(row.summary.instance_status),
        row.summary.topic_count,
        row.summary.group_count,
    );
    resp.ctx
        .accesskit_node_builder(resp.id, |node| node.set_description(said));
}

/// One row of the list with all its columns; returns its name's response (a click selects).
fn row_ui(
    ui: &mut egui::Ui,
    w: &[f32; 6],
    row: &InstanceRow,
    known: bool,
    session: &WindowSession,
    commands: &mut Vec<AppCommand>,
) -> egui::Response {
    let lang = session.lang;
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        let mut name = None;
        cell(ui, w[0], |ui| {
            if known {
                badge_ui(ui, lang, row.name());
            }
            let resp = ui.add(egui::Button::selectable(false, row.name()).truncate());
            describe_row(&resp, lang, row);
            name = Some(resp);
        });
        cell(ui, w[1], |ui| {
            let id = row.id();
            if copy::copy_button(
                ui,
                session.lang,
                &session.copied,
                id,
                &lang.instances_copy_id(id),
                CopyLook::Icon,
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
        name
    })
    .inner
    .unwrap_or_else(|| ui.response())
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
    use super::middle_elided;

    #[test]
    fn an_id_keeps_its_end() {
        let id = "MQ_INST_1880770869020000_dwVp137Z";
        assert_eq!(middle_elided(id, 40), id);
        assert_eq!(middle_elided(id, 22), "MQ_INST…20000_dwVp137Z");
        assert_eq!(middle_elided(id, 22).chars().count(), 22);
        assert_eq!(middle_elided(id, 0), "…");
    }
}
