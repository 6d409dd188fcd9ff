//! The history panel: every create attempt from the saved history (this window's and other
//! processes'), searchable, sortable by time, with a detail view, export, removal with undo and
//! "Refresh status".
//!
//! The store lives behind a [`Recorder`] (`recorder.rs`, shared with the create and
//! instances features through the session): every operation runs in `spawn_blocking`, so the
//! UI thread never touches the disk. Whoever writes through the
//! recorder (this panel, the create feature) makes the store send a new [`Snapshot`] over the
//! recorder's channel; the panel's own operations (refresh, export, remove, undo, a large
//! search) run on its [`Tasks`], like every feature's, and answer even if they panic. The table draws only the rows on screen (`ScrollArea::show_rows`),
//! and the search runs once per keystroke or new snapshot, not per frame.
//!
//! The create path records through [`Recorder::record_pending`] (awaited before the request
//! is sent) and [`Recorder::record_outcome`].

mod table;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use tokio::sync::mpsc;

use crate::api::Transport;
use crate::credentials::{CredentialSource, Credentials};
use crate::history::export::Format;
use crate::history::{Entry, EntryId, HistoryError, Notice, Snapshot};

use super::command::AppCommand;
use super::copy::CopyMark;
use super::i18n::{HistoryText, Lang, T};
use super::recorder::{Recorder, RefreshWith, Refreshed, StoreFailure, StoreReply, WatchGuard};
use super::style::{self, Tone};
use super::tasks::Tasks;

/// What the panel borrows from the window each frame.
pub struct HistoryContext<'a> {
    pub lang: Lang,
    /// What was copied last, for the "Copied" marks.
    pub copied: &'a CopyMark,
    /// The window's current credentials; `None` disables "Refresh status".
    pub credentials: Option<(&'a CredentialSource, &'a Credentials)>,
    /// The running sandbox's endpoint, if any.
    pub sandbox_endpoint: Option<String>,
    /// The window talks to a loopback endpoint (the sandbox): its entries are shown unless
    /// the user says otherwise.
    pub sandbox_session: bool,
    pub transport: &'a Transport,
}

/// A background operation the panel started.
#[derive(Debug, Default)]
enum Task<T> {
    #[default]
    Idle,
    Running,
    Done(T),
    Failed(StoreFailure),
}

impl<T> Task<T> {
    fn is_running(&self) -> bool {
        matches!(self, Self::Running)
    }
}

#[derive(Debug)]
enum Load {
    Loading,
    Ready,
    Unavailable(Arc<HistoryError>),
    Off,
}

/// The panel's runtime state (nothing here is saved).
#[derive(Debug)]
pub struct HistoryPanel {
    recorder: Recorder,
    /// What the store sends whoever wrote through the recorder (snapshots, notices).
    rx: mpsc::Receiver<StoreReply>,
    /// The panel's own operations (refresh, export, remove, undo, a large search).
    tasks: Tasks<StoreReply>,
    _watch: WatchGuard,
    load: Load,
    /// The newest snapshot from the store.
    latest: Snapshot,
    /// What the table shows: a snapshot and the indices in it matching `search`, newest first
    /// (always one pair, so an index never points into another snapshot).
    snapshot: Snapshot,
    notices: Vec<Notice>,
    search: String,
    rows: Vec<usize>,
    /// The last search started; older results are dropped.
    search_seq: u64,
    newest_first: bool,
    selected: Option<Arc<Entry>>,
    /// The last removal, for Undo.
    removed: Option<(EntryId, String)>,
    refresh: Task<Refreshed>,
    /// The refresh's outcome, said to a screen reader once it arrives.
    news: crate::app::news::News,
    export_open: bool,
    export_folder: String,
    export: Task<(PathBuf, usize)>,
    write_error: Option<StoreFailure>,
    focus_search: bool,
    sandbox: SandboxFilter,
    /// The InstanceIds the history knows (created or adopted, not removed), from `latest`.
    known: HashSet<String>,
    /// Attempts an earlier run left pending or unknown, counted once at load; the banner
    /// offering to check them shows while this is `Some` and not empty.
    unsettled_at_start: Option<UnsettledCounts>,
}

/// Whether the sandbox's entries are listed.
#[derive(Debug)]
struct SandboxFilter {
    /// The user's choice; `None` follows the session (shown only while the window itself
    /// talks to the sandbox).
    chosen: Option<bool>,
    /// What the rows were filtered with (they are filtered again when it changes).
    applied: bool,
}

/// Histories up to this size are searched on the UI thread (well under a millisecond);
/// larger ones on a blocking thread.
const INLINE_SEARCH_MAX: usize = 20_000;

/// The search field's id (Ctrl+F focuses it).
pub fn search_id() -> egui::Id {
    egui::Id::unique("onsdesk.history_search")
}

impl HistoryPanel {
    /// Starts loading the history in the background and watching it for other processes'
    /// appends. `rx` receives what `recorder` does.
    pub fn new(
        recorder: Recorder,
        rx: mpsc::Receiver<StoreReply>,
        runtime: tokio::runtime::Handle,
        ctx: egui::Context,
    ) -> Self {
        let (load, watch) = if recorder.is_off() {
            (Load::Off, None)
        } else {
            runtime.spawn(recorder.clone().load());
            let watch = runtime.spawn(recorder.clone().watch()).abort_handle();
            (Load::Loading, Some(watch))
        };
        Self {
            recorder,
            tasks: Tasks::new(runtime, ctx),
            rx,
            _watch: WatchGuard(watch),
            load,
            latest: Snapshot::default(),
            snapshot: Snapshot::default(),
            search_seq: 0,
            notices: Vec::new(),
            search: String::new(),
            rows: Vec::new(),
            newest_first: true,
            selected: None,
            removed: None,
            refresh: Task::Idle,
            news: crate::app::news::News::default(),
            export_open: false,
            export_folder: String::new(),
            export: Task::Idle,
            write_error: None,
            focus_search: false,
            sandbox: SandboxFilter {
                chosen: None,
                applied: true,
            },
            unsettled_at_start: None,
            known: HashSet::new(),
        }
    }

    /// Whether an entry's detail is open (the window then gives the panel more room).
    pub fn detail_open(&self) -> bool {
        self.selected.is_some()
    }

    /// Whether the history knows `instance_id` (onsdesk created or adopted it).
    pub fn knows(&self, instance_id: &str) -> bool {
        self.known.contains(instance_id)
    }

    /// Applies what the background finished. Never blocks. Called from the window's `logic`
    /// every frame, whether the panel is drawn or not (another view is shown, the window is
    /// minimised): the store's channel is bounded, and its writers (a create recording its
    /// attempt before sending it) wait for room. `logic` runs before `ui` in the same pass,
    /// so a new row is laid out in the frame that received it.
    pub fn logic(&mut self, lang: Lang) {
        while let Some(msg) = self.rx.try_recv().ok().or_else(|| self.tasks.try_recv()) {
            match msg {
                StoreReply::Snapshot { snapshot, notices } => {
                    for n in notices {
                        if !self.notices.contains(&n) {
                            self.notices.push(n);
                        }
                    }
                    self.selected = self.selected.as_ref().and_then(|sel| {
                        let id = sel.id;
                        (0..snapshot.len())
                            .filter_map(|i| snapshot.get_arc(i))
                            .find(|e| e.id == id)
                    });
                    if self.unsettled_at_start.is_none() {
                        self.unsettled_at_start = Some(unsettled(&snapshot));
                    }
                    self.known = snapshot
                        .iter()
                        .filter_map(|e| e.instance_id().map(str::to_owned))
                        .collect();
                    self.latest = snapshot;
                    self.research();
                    // Opened after all (another process had held it for a while).
                    if !matches!(&self.load, Load::Unavailable(p) if !p.is_busy()) {
                        self.load = Load::Ready;
                    }
                }
                StoreReply::Unavailable(problem) => self.load = Load::Unavailable(problem),
                StoreReply::ExportFolder(folder) => {
                    if self.export_folder.is_empty() {
                        self.export_folder = folder.display().to_string();
                    }
                }
                StoreReply::Removed { id, name } => self.removed = Some((id, name)),
                StoreReply::Restored => self.removed = None,
                StoreReply::Refreshed(Ok(r)) => {
                    self.refresh = Task::Done(r);
                    self.say_refresh(lang);
                }
                StoreReply::Refreshed(Err(e)) => {
                    self.refresh = Task::Failed(e);
                    self.say_refresh(lang);
                }
                StoreReply::Exported(Ok(done)) => self.export = Task::Done(done),
                StoreReply::Exported(Err(e)) => self.export = Task::Failed(e),
                StoreReply::WriteFailed(e) => self.write_error = Some(e),
                StoreReply::Searched {
                    seq,
                    snapshot,
                    rows,
                } => {
                    if seq == self.search_seq {
                        self.rows = without_sandbox(&snapshot, rows, self.sandbox.applied);
                        self.snapshot = snapshot;
                    }
                }
            }
        }
    }

    /// Draws the panel; returns what the window should do (copying).
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &HistoryContext<'_>) -> Vec<AppCommand> {
        // A bottom panel is as tall as what it holds: a short "Loading…" on the first frame
        // would shrink it for good. It keeps the height the user (or the default) gave it.
        ui.set_min_height(ui.max_rect().height());
        let show_sandbox = self.sandbox.chosen.unwrap_or(cx.sandbox_session);
        if show_sandbox != self.sandbox.applied {
            self.sandbox.applied = show_sandbox;
            self.research();
        }
        let mut commands = Vec::new();
        if ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)))
        {
            self.focus_search = true;
        }
        ui.add_space(4.0);
        self.toolbar_ui(ui, cx);
        self.unsettled_banner_ui(ui, cx);
        self.messages_ui(ui, cx.lang);
        if self.export_open {
            self.export_ui(ui, cx.lang);
        }
        match &self.load {
            Load::Off => {}
            Load::Loading => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.weak(cx.lang.t(HistoryText::HistoryLoading));
                });
            }
            Load::Unavailable(_) if self.snapshot.is_empty() => {}
            Load::Ready | Load::Unavailable(_) => {
                if let Some(entry) = self.selected.clone() {
                    // Narrower in a small window, so the table keeps room for its columns.
                    let width = (ui.available_width() * 0.36).clamp(240.0, 300.0);
                    egui::Panel::right("history_detail")
                        .resizable(false)
                        .exact_size(width)
                        .show(ui, |ui| self.detail_ui(ui, &entry, cx, &mut commands));
                }
                if self.snapshot.is_empty() && !self.latest.is_empty() {
                    // A large history's first search is still running.
                    ui.horizontal(|ui| {
                        style::spinner(ui);
                        ui.weak(cx.lang.t(HistoryText::HistoryLoading));
                    });
                } else if self.snapshot.is_empty() {
                    ui.weak(cx.lang.t(HistoryText::HistoryEmpty));
                } else if self.rows.is_empty() {
                    ui.weak(cx.lang.t(HistoryText::HistoryNoMatch));
                } else {
                    self.table_ui(ui, cx, &mut commands);
                }
            }
        }
        self.news.show(ui.ctx(), "onsdesk.history_status");
        commands
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, cx: &HistoryContext<'_>) {
        let lang = cx.lang;
        // What "Refresh status" and "Export" took last frame: they stay on the search's row,
        // at its right end, when they fit there, and take a row of their own when they do not.
        let actions_width_id = egui::Id::unique("onsdesk.history_actions_width");
        let actions_width: f32 = ui.data(|d| d.get_temp(actions_width_id)).unwrap_or(220.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(lang.t(HistoryText::History)).strong());
            let label = ui.label(lang.t(HistoryText::HistorySearch));
            let hint = lang.t(HistoryText::HistorySearchHint);
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .id(search_id())
                        .hint_text(hint)
                        .desired_width(
                            (ui.available_size_before_wrap().x * 0.3).clamp(160.0, 260.0),
                        ),
                )
                .labelled_by(label.id);
            // The hint is said as what it is: Orca 43 reads a placeholder as if it were typed.
            super::a11y::field_state(&search, lang, &self.search, hint, false);
            if std::mem::take(&mut self.focus_search) {
                search.request_focus();
            }
            if search.changed() {
                self.research();
            }
            if matches!(self.load, Load::Ready) {
                ui.weak(lang.history_count(self.rows.len(), self.snapshot.len()));
            }
            let mut show_sandbox = self.sandbox.applied;
            if ui
                .checkbox(&mut show_sandbox, lang.t(HistoryText::ShowSandbox))
                .on_hover_text(lang.t(HistoryText::ShowSandboxHint))
                .changed()
            {
                self.sandbox = SandboxFilter {
                    chosen: Some(show_sandbox),
                    applied: show_sandbox,
                };
                self.research();
            }
            if ui.available_size_before_wrap().x < actions_width {
                ui.end_row();
            }
            // At the right end, laid out from the left: Tab reaches them (and a reader reads
            // them) in the order they are seen.
            ui.add_space(
                (ui.available_size_before_wrap().x - actions_width + ui.spacing().item_spacing.x)
                    .max(0.0),
            );
            let actions = ui.horizontal(|ui| {
                let usable = matches!(self.load, Load::Ready);
                let refresh = self.refresh_button_ui(ui, cx, usable);
                let export = ui.add_enabled(
                    usable,
                    egui::Button::selectable(self.export_open, lang.t(HistoryText::Export)),
                );
                if export.clicked() {
                    self.export_open = !self.export_open;
                }
                export.rect.right() - refresh.left()
            });
            let width = actions.inner + ui.spacing().item_spacing.x;
            if (width - actions_width).abs() > 0.5 {
                ui.data_mut(|d| d.insert_temp(actions_width_id, width));
                ui.ctx().request_repaint();
            }
        });
    }

    /// "Refresh status" ("Refreshing…" and a spinner while it runs); returns where it was
    /// drawn. The button stays while the refresh runs, so that the keyboard focus stays on it
    /// and hears the outcome there (a click meanwhile does nothing).
    fn refresh_button_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &HistoryContext<'_>,
        usable: bool,
    ) -> egui::Rect {
        let lang = cx.lang;
        let running = self.refresh.is_running();
        let (words, enabled) = if running {
            (HistoryText::Refreshing, true)
        } else {
            (
                HistoryText::RefreshStatus,
                usable && cx.credentials.is_some() && !self.snapshot.is_empty(),
            )
        };
        let button = ui
            .add_enabled(enabled, egui::Button::new(lang.t(words)))
            .on_hover_text(lang.t(HistoryText::RefreshHint))
            .on_disabled_hover_text(lang.t(HistoryText::RefreshNeedsCreds));
        if running {
            return button.rect.union(style::spinner(ui).rect);
        }
        if button.clicked() {
            self.start_refresh(cx);
        }
        button.rect
    }

    /// "Refresh status": asks the cloud about the recorded instances and settles pending or
    /// unknown attempts found by name, with the window's current credentials.
    fn start_refresh(&mut self, cx: &HistoryContext<'_>) {
        let Some((source, credentials)) = cx.credentials else {
            return;
        };
        let with = RefreshWith {
            source: source.clone(),
            credentials: credentials.clone(),
            sandbox_endpoint: cx.sandbox_endpoint.clone(),
        };
        self.refresh = Task::Running;
        self.tasks.spawn(
            self.recorder.clone().refresh(with, cx.transport.clone()),
            || StoreReply::Refreshed(Err(StoreFailure::Unavailable)),
        );
    }

    /// At start, when earlier runs left attempts pending or unknown (the window was closed,
    /// or the process stopped, mid-create): one banner offering to check them now.
    fn unsettled_banner_ui(&mut self, ui: &mut egui::Ui, cx: &HistoryContext<'_>) {
        let Some(n) = self.unsettled_at_start.filter(|n| !n.is_empty()) else {
            return;
        };
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "⚠ {}",
                    lang.history_unsettled(n.instances, n.changes)
                ))
                .color(Tone::Warn.color(ui)),
            );
            let can = cx.credentials.is_some() && !self.refresh.is_running();
            if ui
                .add_enabled(can, egui::Button::new(lang.t(HistoryText::CheckUnsettled)))
                .on_disabled_hover_text(lang.t(HistoryText::RefreshNeedsCreds))
                .clicked()
            {
                self.unsettled_at_start = Some(UnsettledCounts::default());
                self.start_refresh(cx);
            }
            if ui.small_button(lang.t(T::Dismiss)).clicked() {
                self.unsettled_at_start = Some(UnsettledCounts::default());
            }
        });
    }

    /// Tells a screen reader what the refresh that just ended found (or why it failed): the
    /// same words as on screen, the scopes not checked included.
    fn say_refresh(&mut self, lang: Lang) {
        let (text, urgent) = match &self.refresh {
            Task::Done(r) => {
                let mut text = lang.refresh_summary(r);
                for (scope, why) in &r.summary.failed {
                    text.push(' ');
                    text.push_str(&lang.refresh_scope_failed(&scope.region, &scope.endpoint, why));
                }
                (text, !r.summary.failed.is_empty())
            }
            Task::Failed(why) => (lang.refresh_failed(why), true),
            Task::Idle | Task::Running => return,
        };
        self.news.tell(text, urgent);
    }

    fn messages_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        if let Load::Unavailable(problem) = &self.load {
            ui.label(
                RichText::new(format!("✖ {}", lang.history_problem(problem)))
                    .color(Tone::Bad.color(ui)),
            );
        }
        let mut dismissed = None;
        for (i, notice) in self.notices.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("⚠ {}", lang.history_notice(notice)))
                        .color(Tone::Warn.color(ui)),
                );
                if ui.small_button(lang.t(T::Dismiss)).clicked() {
                    dismissed = Some(i);
                }
            });
        }
        if let Some(i) = dismissed {
            self.notices.remove(i);
        }
        if let Some(e) = &self.write_error {
            let mut close = false;
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("✖ {}", lang.history_write_failed(e)))
                        .color(Tone::Bad.color(ui)),
                );
                close = ui.small_button(lang.t(T::Dismiss)).clicked();
            });
            if close {
                self.write_error = None;
            }
        }
        if let Some((id, name)) = &self.removed {
            let (id, name) = (*id, name.clone());
            ui.horizontal_wrapped(|ui| {
                ui.label(lang.history_removed(&name));
                if ui.small_button(lang.t(HistoryText::Undo)).clicked() {
                    self.tasks.spawn(self.recorder.clone().restore(id), || {
                        StoreReply::WriteFailed(StoreFailure::Unavailable)
                    });
                }
                if ui.small_button(lang.t(T::Dismiss)).clicked() {
                    self.removed = None;
                }
            });
        }
        match &self.refresh {
            Task::Done(r) => {
                let mut close = false;
                ui.horizontal_wrapped(|ui| {
                    let color = if r.summary.failed.is_empty() {
                        Tone::Good
                    } else {
                        Tone::Warn
                    };
                    ui.label(RichText::new(lang.refresh_summary(r)).color(color.color(ui)));
                    close = ui.small_button(lang.t(T::Dismiss)).clicked();
                });
                for (scope, why) in &r.summary.failed {
                    ui.label(
                        RichText::new(format!(
                            "⚠ {}",
                            lang.refresh_scope_failed(&scope.region, &scope.endpoint, why)
                        ))
                        .color(Tone::Warn.color(ui)),
                    );
                }
                if close {
                    self.refresh = Task::Idle;
                }
            }
            Task::Failed(why) => {
                ui.label(
                    RichText::new(format!("✖ {}", lang.refresh_failed(why)))
                        .color(Tone::Bad.color(ui)),
                );
            }
            Task::Idle | Task::Running => {}
        }
    }

    fn export_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(lang.t(HistoryText::ExportFolder));
            ui.add(egui::TextEdit::singleline(&mut self.export_folder).desired_width(300.0))
                .labelled_by(label.id);
            let idle = !self.export.is_running() && !self.export_folder.trim().is_empty();
            let mut format = None;
            if ui
                .add_enabled(idle, egui::Button::new(lang.t(HistoryText::ExportCsv)))
                .clicked()
            {
                format = Some(Format::Csv);
            }
            if ui
                .add_enabled(idle, egui::Button::new(lang.t(HistoryText::ExportJson)))
                .clicked()
            {
                format = Some(Format::Json);
            }
            if let Some(format) = format {
                self.export = Task::Running;
                let rows = self.ordered_rows();
                self.tasks.spawn(
                    Recorder::export(
                        self.snapshot.clone(),
                        rows,
                        format,
                        PathBuf::from(self.export_folder.trim()),
                    ),
                    || StoreReply::Exported(Err(StoreFailure::Unavailable)),
                );
            }
        });
        match &self.export {
            Task::Idle => {
                ui.weak(lang.history_export_scope(self.rows.len()));
            }
            Task::Running => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                });
            }
            Task::Done((path, n)) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("✔ {}", lang.history_exported(*n)))
                            .color(Tone::Good.color(ui)),
                    );
                    let path = path.display().to_string();
                    let shown = ui.add(egui::Label::new(RichText::new(&path).monospace()));
                    shown.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &path));
                });
            }
            Task::Failed(why) => {
                ui.label(
                    RichText::new(format!("✖ {}", lang.history_export_failed(why)))
                        .color(Tone::Bad.color(ui)),
                );
            }
        }
    }

    /// Runs the search over the latest snapshot: right here for a history small enough to
    /// search within a frame, else on a blocking thread (the table keeps showing the previous
    /// result until the new one arrives, so typing never waits for 100 000 entries).
    fn research(&mut self) {
        self.search_seq += 1;
        let snapshot = self.latest.clone();
        if snapshot.len() <= INLINE_SEARCH_MAX {
            self.rows = without_sandbox(
                &snapshot,
                snapshot.search(&self.search),
                self.sandbox.applied,
            );
            self.snapshot = snapshot;
        } else {
            self.tasks.spawn(
                Recorder::search(self.search_seq, snapshot, self.search.clone()),
                || StoreReply::WriteFailed(StoreFailure::Unavailable),
            );
        }
    }

    /// The filtered rows in the order shown.
    fn ordered_rows(&self) -> Vec<usize> {
        if self.newest_first {
            self.rows.clone()
        } else {
            self.rows.iter().rev().copied().collect()
        }
    }

    /// Row `r` as shown (after sorting).
    fn shown(&self, r: usize) -> Option<Arc<Entry>> {
        let i = if self.newest_first {
            self.rows.get(r)
        } else {
            self.rows
                .len()
                .checked_sub(r + 1)
                .and_then(|j| self.rows.get(j))
        }?;
        self.snapshot.get_arc(*i)
    }

    fn remove(&mut self, entry: &Entry) {
        self.selected = None;
        self.tasks.spawn(
            self.recorder.clone().remove(entry.id, entry.name.clone()),
            || StoreReply::WriteFailed(StoreFailure::Unavailable),
        );
    }
}

/// The search's rows, without the sandbox's entries unless they are shown.
fn without_sandbox(snapshot: &Snapshot, mut rows: Vec<usize>, show_sandbox: bool) -> Vec<usize> {
    if !show_sandbox {
        rows.retain(|&i| snapshot.get_arc(i).is_some_and(|e| !e.is_sandbox()));
    }
    rows
}

/// Attempts with no known outcome (pending or unknown), by what they are about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct UnsettledCounts {
    /// Instance creates.
    instances: usize,
    /// Topic and group creates and deletes.
    changes: usize,
}

impl UnsettledCounts {
    fn is_empty(self) -> bool {
        self.instances + self.changes == 0
    }
}

/// Attempts with no known outcome (pending or unknown) that are still listed.
fn unsettled(snapshot: &Snapshot) -> UnsettledCounts {
    let mut n = UnsettledCounts::default();
    for e in snapshot.iter().filter(|e| e.status.is_unresolved()) {
        if e.subject.is_instance() {
            n.instances += 1;
        } else {
            n.changes += 1;
        }
    }
    n
}
