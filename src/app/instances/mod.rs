//! The Instances view: the region's live list (with topic and group counts, and a mark on
//! the instances onsdesk created), an instance's details with copyable endpoints, Rename /
//! edit remark with the create form's live name check, and Delete… behind a typed-name
//! confirmation.
//!
//! Everything goes through the safe core in [`crate::instances`] on this feature's own
//! [`Tasks`]: the list (and each instance's base info) is read when the view is first shown,
//! on Refresh, and whenever what it was read for changes ([`ListKey`]: the region, endpoint,
//! credentials, signature, and what the window learned changed in the cloud). An update or a
//! delete carries what it was sent for ([`InstanceOpSent`]): its outcome names that instance,
//! whatever is selected or typed meanwhile. Renames and deletes are recorded in the history, as
//! the CLI records them.

mod confirm;
mod connect_view;
mod held;
mod held_view;

mod overview;
mod view;

use crate::api::{ApiError, InstanceBaseInfo, InstanceSummary, SetupProblem};
use crate::credentials::CredentialSource;
use crate::ids::InstanceId;
use crate::instances::{self, Change, DeleteOutcome, UpdateOutcome};
use crate::operation::{Calls, Report, Step};
use crate::pacing::Policy;
use crate::signing::v3::SignatureVersion;
use crate::validation::validate_instance_name;

use super::session::WindowSession;
use super::style;
use super::tasks::{Failure, Panicked, Tasks};

/// Everything the list depends on: it is read again when this changes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ListKey {
    region: String,
    endpoint: String,
    source: CredentialSource,
    signature: SignatureVersion,
    cloud_changes: u64,
}

impl ListKey {
    /// The key for the session now; `None` without credentials or a usable endpoint.
    fn now(session: &WindowSession) -> Option<Self> {
        let (source, _) = session.ready()?;
        let target = session.target().ok()?;
        Some(Self {
            region: target.region.to_string(),
            endpoint: target.endpoint.to_string(),
            source: source.clone(),
            signature: session.saved.signature,
            cloud_changes: session.cloud_changes,
        })
    }

    /// Same region, endpoint and credentials (the rows shown still belong to it).
    fn same_scope(&self, other: &Self) -> bool {
        self.region == other.region
            && self.endpoint == other.endpoint
            && self.source == other.source
    }
}

/// One instance of the list, with its base info (endpoints, remark) once it was read.
#[derive(Clone, Debug)]
pub struct InstanceRow {
    pub summary: InstanceSummary,
    /// `None` while it is being read: the list shows before its details.
    pub info: Option<Result<InstanceBaseInfo, ApiError>>,
    /// When it was created, in local time (formatted off the UI thread: finding the time
    /// zone reads a file).
    pub created: String,
}

impl InstanceRow {
    fn id(&self) -> &str {
        &self.summary.instance_id
    }

    fn name(&self) -> &str {
        &self.summary.instance_name
    }

    fn remark(&self) -> &str {
        match &self.info {
            Some(Ok(info)) => info.remark.as_str(),
            _ => "",
        }
    }

    /// Whether the search `needle` (lower case, trimmed) finds it: name, ID or remark.
    fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || [self.name(), self.id(), self.remark()]
                .iter()
                .any(|field| field.to_lowercase().contains(needle))
    }
}

/// What an update or delete was sent for, captured when it was sent.
#[derive(Clone, Debug)]
pub struct InstanceOpSent {
    pub id: InstanceId,
    /// The instance's name when it was sent.
    pub name: String,
    pub kind: InstanceOpKind,
}

#[derive(Clone, Debug)]
pub enum InstanceOpKind {
    Update {
        new_name: Option<String>,
        new_remark: Option<String>,
    },
    Delete {
        topics: Option<u64>,
        groups: Option<u64>,
    },
}

/// How an update or delete ended.
#[derive(Debug)]
pub enum Settled {
    Update(Box<Report<UpdateOutcome>>),
    Delete(Box<Report<DeleteOutcome>>),
}

impl Settled {
    fn is_done(&self) -> bool {
        match self {
            Self::Update(r) => r.outcome.is_done(),
            Self::Delete(r) => r.outcome.is_done(),
        }
    }

    fn clock_offset(&self) -> Option<time::Duration> {
        match self {
            Self::Update(r) => r.clock_offset,
            Self::Delete(r) => r.clock_offset,
        }
    }
}

#[derive(Debug)]
pub enum InstanceOpState {
    Running { seq: u64 },
    Settled(Result<Settled, Panicked>),
}

/// The last update or delete: running, or how it ended (shown until the next one).
#[derive(Debug)]
pub struct InstanceOp {
    pub sent: InstanceOpSent,
    pub state: InstanceOpState,
}

impl InstanceOp {
    fn is_running(&self) -> bool {
        matches!(self.state, InstanceOpState::Running { .. })
    }
}

/// The rename form, prefilled from the instance it edits.
#[derive(Clone, Debug, Default)]
struct EditForm {
    id: String,
    /// The name and remark it was prefilled with.
    base_name: String,
    base_remark: String,
    name: String,
    remark: String,
}

impl EditForm {
    fn of(listed: &InstanceRow) -> Self {
        Self {
            id: listed.id().to_owned(),
            base_name: listed.name().to_owned(),
            base_remark: listed.remark().to_owned(),
            name: listed.name().to_owned(),
            remark: listed.remark().to_owned(),
        }
    }

    fn is_untouched(&self) -> bool {
        self.name == self.base_name && self.remark == self.base_remark
    }

    /// Follows the instance it edits: prefilled again for another instance, or when the
    /// instance changed and the user has not typed anything of their own.
    fn follow(&mut self, listed: &InstanceRow) {
        let current = (listed.name(), listed.remark());
        let moved_on = (self.base_name.as_str(), self.base_remark.as_str()) != current
            && (self.is_untouched() || (self.name.as_str(), self.remark.as_str()) == current);
        if self.id != listed.id() || moved_on {
            *self = Self::of(listed);
        }
    }

    /// The change to send against `listed`; `None` when nothing changed.
    fn change(&self, listed: &InstanceRow) -> Option<(Option<String>, Option<String>)> {
        let name = (self.name != listed.name()).then(|| self.name.clone());
        // A remark that could not be read is left as it is.
        let remark = (matches!(listed.info, Some(Ok(_))) && self.remark != listed.remark())
            .then(|| self.remark.clone());
        (name.is_some() || remark.is_some()).then_some((name, remark))
    }
}

/// Which part of the selected instance's details shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pane {
    /// Facts, endpoints, rename and delete.
    #[default]
    Overview,
    /// Its topics: the list, the add form.
    Topics,
    /// Its groups: the list, the add form.
    Groups,
    /// The client config.
    Connect,
}

impl Pane {
    /// Every pane, in the order of their tabs.
    pub const ALL: [Self; 4] = [Self::Overview, Self::Topics, Self::Groups, Self::Connect];
}

/// Where the keyboard focus goes on the next frame (the widget asks for it as it is drawn).
#[derive(Clone, Debug, PartialEq, Eq)]
enum FocusTo {
    /// The tab of a pane (an instance was selected from the keyboard: its details follow).
    Tab(Pane),
    /// The list row of this instance (its details were closed from the keyboard).
    Row(String),
    /// The search field (the instance whose details had the focus was deleted).
    Search,
    /// The Topics pane's Topic name.
    TopicName,
    /// The Groups pane's Group ID.
    GroupId,
    /// The Connect pane's Copy client config.
    CopyConfig,
}

/// The view's search fields, each with an id of its own: the keyboard is put there when the
/// control that had it goes away (a delete sent from its dialog).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SearchField {
    Instances,
    Topics,
    Groups,
}

impl SearchField {
    fn id(self) -> egui::Id {
        egui::Id::unique(match self {
            Self::Instances => "onsdesk.search_instances",
            Self::Topics => "onsdesk.search_topics",
            Self::Groups => "onsdesk.search_groups",
        })
    }
}

/// Whether `focus_to` is `target`; if so it is taken (the widget asks for the focus once).
fn take_focus(focus_to: &mut Option<FocusTo>, target: &FocusTo) -> bool {
    if focus_to.as_ref() == Some(target) {
        *focus_to = None;
        true
    } else {
        false
    }
}

/// The delete confirmation, for the instance it was opened on.
#[derive(Clone, Debug)]
struct DeleteDialog {
    id: InstanceId,
    name: String,
    topics: Option<u64>,
    groups: Option<u64>,
    typed: confirm::Typed,
}

enum InstancesReply {
    Listed {
        seq: u64,
        result: Result<Loaded, Failure>,
    },
    /// One instance's base info, for the list load `seq`.
    Details {
        seq: u64,
        id: crate::ids::InstanceId,
        info: Result<InstanceBaseInfo, ApiError>,
    },
    Settled {
        seq: u64,
        settled: Result<Settled, Panicked>,
    },
}

/// The Instances feature's state.
pub struct InstancesController {
    /// What the rows (or the load under way) are for.
    key: Option<ListKey>,
    /// The last list read, for `key`'s scope.
    rows: Option<Vec<InstanceRow>>,
    /// How many entries of the last list were left out: they failed the reply's checks.
    left_out: usize,
    /// The list read under way.
    loading: Option<u64>,
    /// The list load whose rows' details are being read (their replies carry its seq).
    details_for: Option<u64>,
    list_error: Option<Failure>,
    refresh_asked: bool,
    search: String,
    /// The selected instance's ID.
    selected: Option<String>,
    /// The part of its details shown.
    pane: Pane,
    focus_to: Option<FocusTo>,
    /// Where the keyboard goes as a dialog closes, and for how many more frames to ask.
    keep_focus: Option<(egui::Id, u8)>,
    edit: EditForm,
    delete: Option<DeleteDialog>,
    op: Option<InstanceOp>,
    /// Scroll the op's card into view (it just started or settled).
    reveal_op: bool,
    /// The last outcome, for screen readers.
    news: crate::app::news::News,
    /// The selected instance's topics and groups, and their changes.
    held: held::Held,
    tasks: Tasks<InstancesReply>,
}

impl std::fmt::Debug for InstancesController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstancesController")
            .field("key", &self.key)
            .field("selected", &self.selected)
            .field("op", &self.op)
            .finish_non_exhaustive()
    }
}

impl InstancesController {
    pub fn new(session: &WindowSession) -> Self {
        Self {
            key: None,
            rows: None,
            left_out: 0,
            loading: None,
            details_for: None,
            list_error: None,
            refresh_asked: false,
            search: String::new(),
            selected: None,
            pane: Pane::default(),
            focus_to: None,
            keep_focus: None,
            edit: EditForm::default(),
            delete: None,
            op: None,
            reveal_op: false,
            news: crate::app::news::News::default(),
            held: held::Held::new(session),
            tasks: Tasks::new(session.runtime.clone(), session.ctx.clone()),
        }
    }

    /// Drains the replies; while the view is `visible`, reads the list when what it depends
    /// on changed (or Refresh asked).
    pub fn logic(&mut self, session: &mut WindowSession, visible: bool) {
        while let Some(reply) = self.tasks.try_recv() {
            match reply {
                InstancesReply::Listed { seq, result } => {
                    if self.loading != Some(seq) {
                        continue;
                    }
                    self.loading = None;
                    match result {
                        Ok(Loaded { mut rows, left_out }) => {
                            // Until a row's details are read again, the last ones stand: a
                            // refresh does not blank the pane that shows them.
                            if let Some(old) = self.rows.take() {
                                let mut read: std::collections::HashMap<_, _> = old
                                    .into_iter()
                                    .filter_map(|o| Some((o.summary.instance_id, o.info?)))
                                    .collect();
                                for row in rows.iter_mut().filter(|r| r.info.is_none()) {
                                    row.info = read.remove(&row.summary.instance_id);
                                }
                            }
                            self.left_out = left_out;
                            self.list_error = None;
                            if self
                                .selected
                                .as_ref()
                                .is_some_and(|id| !rows.iter().any(|r| r.id() == id))
                            {
                                self.selected = None;
                            }
                            self.read_details(session, seq, &rows);
                            self.rows = Some(rows);
                        }
                        Err(failure) => self.list_error = Some(failure),
                    }
                }
                InstancesReply::Details { seq, id, info } => {
                    if self.details_for != Some(seq) {
                        continue;
                    }
                    if let Some(row) = self
                        .rows
                        .iter_mut()
                        .flatten()
                        .find(|r| r.summary.instance_id == id)
                    {
                        row.info = Some(info);
                    }
                }
                InstancesReply::Settled { seq, settled } => self.on_settled(session, seq, settled),
            }
        }
        // The selected instance's topics and groups: their replies every frame, their reads
        // while they are shown.
        let target = self
            .selected_row()
            .filter(|_| visible)
            .map(|r| (r.summary.instance_id.clone(), r.name().to_owned()));
        let target = target.as_ref().map(|(id, name)| held::Target { id, name });
        for event in self.held.logic(session, target) {
            self.on_held(session.lang, event);
        }
        if !visible {
            return;
        }
        let key = ListKey::now(session);
        if key == self.key && !self.refresh_asked {
            return;
        }
        self.refresh_asked = false;
        let same_scope = matches!((&key, &self.key), (Some(a), Some(b)) if a.same_scope(b));
        if !same_scope {
            self.rows = None;
            self.list_error = None;
            // What was selected belongs to the last scope; on the first look there was none
            // (an instance opened from the create card waits for the list).
            if self.key.is_some() {
                self.selected = None;
            }
        }
        self.key = key;
        self.loading = None;
        if self.key.is_some()
            && let Some(Ok(client)) = session.client()
        {
            let seq = self.tasks.next_seq();
            self.loading = Some(seq);
            self.tasks.spawn(
                async move {
                    InstancesReply::Listed {
                        seq,
                        result: read_list(client).await,
                    }
                },
                move || InstancesReply::Listed {
                    seq,
                    result: Err(Failure::Panicked),
                },
            );
        }
    }

    /// Reads the base info of each of the first [`DETAILS_READ`] rows, each on its own (paced
    /// within the read rate limit), for the list load `seq`: each fills its row when it comes
    /// (until then a row shows the details an earlier load read, if any).
    fn read_details(&mut self, session: &WindowSession, seq: u64, rows: &[InstanceRow]) {
        self.details_for = Some(seq);
        let Some(Ok(client)) = session.client() else {
            return;
        };
        for row in rows.iter().take(DETAILS_READ) {
            let (client, id) = (client.clone(), row.summary.instance_id.clone());
            let lost = id.clone();
            self.tasks.spawn(
                async move {
                    let mut quiet = |_: &Step| {};
                    let mut calls = Calls::new(&client, Policy::default(), &mut quiet);
                    let info = instances::base_info(&mut calls, &id).await;
                    InstancesReply::Details { seq, id, info }
                },
                move || InstancesReply::Details {
                    seq,
                    id: lost,
                    info: Err(ApiError::Setup(SetupProblem::DetailsLost)),
                },
            );
        }
    }

    fn on_settled(
        &mut self,
        session: &mut WindowSession,
        seq: u64,
        settled: Result<Settled, Panicked>,
    ) {
        let Some(op) = &mut self.op else { return };
        if !matches!(op.state, InstanceOpState::Running { seq: s, .. } if s == seq) {
            return;
        }
        if let Ok(s) = &settled {
            if let Some(offset) = s.clock_offset() {
                session.clock_offset = Some(offset);
            }
            if s.is_done() {
                // The list (and the create form's pre-flight) read the region again.
                session.cloud_changes += 1;
                if matches!(s, Settled::Delete(_))
                    && self.selected.as_deref() == Some(op.sent.id.as_str())
                {
                    self.selected = None;
                }
            }
        }
        op.state = InstanceOpState::Settled(settled);
        self.reveal_op = true;
        let (mut text, tone) = overview::op_headline(session.lang, op);
        if let Some(how) = overview::settled_by_looking(session.lang, op) {
            text = format!("{text} {how}");
        }
        let gone = matches!(&op.state, InstanceOpState::Settled(Ok(s)) if s.is_done())
            && matches!(op.sent.kind, InstanceOpKind::Delete { .. });
        self.news
            .tell(text, !matches!(tone, Some(style::Tone::Good)));
        if gone {
            // Its details closed with it: the focus goes to the search above the list, and the
            // news with it.
            self.focus_to = Some(FocusTo::Search);
            self.news.follow_focus();
        }
    }

    fn is_running(&self) -> bool {
        self.op.as_ref().is_some_and(InstanceOp::is_running)
    }

    /// What the topics and groups part says happened. On a new instance the window leads from
    /// one step to the next: a topic made where no TCP group is yet → the group's ID; a group
    /// made where a topic is → the client config (the news goes with the focus).
    fn on_held(&mut self, lang: crate::app::i18n::Lang, event: held::HeldEvent) {
        let here = |this: &Self, id: &InstanceId, pane: Pane| {
            this.selected.as_deref() == Some(id.as_str())
                && this.pane == pane
                && this.held.instance() == Some(id)
        };
        match event {
            held::HeldEvent::Tell { text, urgent } => self.news.tell(text, urgent),
            held::HeldEvent::Settled { topic } => {
                let op = if topic {
                    &self.held.topic_op
                } else {
                    &self.held.group_op
                };
                if let Some(op) = op {
                    let (text, urgent) = held_view::news(lang, op);
                    self.news.tell(text, urgent);
                }
            }
            held::HeldEvent::TopicMade { instance_id } => {
                if !here(self, &instance_id, Pane::Topics) {
                    return;
                }
                let has_group = self
                    .held
                    .groups
                    .rows
                    .as_deref()
                    .is_some_and(|rows| rows.iter().any(held::GroupRow::is_tcp));
                self.focus_to = Some(if has_group {
                    FocusTo::TopicName
                } else {
                    self.pane = Pane::Groups;
                    FocusTo::GroupId
                });
                self.news.follow_focus();
            }
            held::HeldEvent::GroupMade { instance_id } => {
                if !here(self, &instance_id, Pane::Groups) {
                    return;
                }
                let has_topic = self
                    .held
                    .topics
                    .rows
                    .as_deref()
                    .is_some_and(|rows| !rows.is_empty())
                    || self.held.made_topic_in(&instance_id);
                self.focus_to = Some(if has_topic {
                    self.pane = Pane::Connect;
                    // The config names what was just made.
                    self.held.connect.topic = None;
                    self.held.connect.group = None;
                    FocusTo::CopyConfig
                } else {
                    FocusTo::GroupId
                });
                self.news.follow_focus();
            }
        }
    }

    /// Shows `id` in the view, ready for `task` (the create card's next steps). The list is
    /// read again first: the instance may be newer than the list on screen.
    pub fn open(&mut self, id: &InstanceId, task: super::command::InstanceTask) {
        self.selected = Some(id.to_string());
        self.search.clear();
        self.refresh_asked = true;
        let (pane, focus) = match task {
            super::command::InstanceTask::AddTopic => (Pane::Topics, FocusTo::TopicName),
            super::command::InstanceTask::AddGroup => (Pane::Groups, FocusTo::GroupId),
            super::command::InstanceTask::Connect => (Pane::Connect, FocusTo::CopyConfig),
        };
        self.pane = pane;
        self.focus_to = Some(focus);
    }

    /// Selects an instance (its details replace the list's columns) or none (the whole list
    /// again). From the keyboard (or a screen reader), the focus follows: to the details'
    /// tab, or back to the instance's row.
    fn select(&mut self, id: Option<String>, from_keyboard: bool) {
        let previous = std::mem::replace(&mut self.selected, id);
        if from_keyboard {
            self.focus_to = match (&self.selected, previous) {
                (Some(_), _) => Some(FocusTo::Tab(self.pane)),
                (None, Some(previous)) => Some(FocusTo::Row(previous)),
                (None, None) => None,
            };
        }
    }

    /// Whether the focus should go to `target` now (asked once).
    fn take_focus(&mut self, target: &FocusTo) -> bool {
        take_focus(&mut self.focus_to, target)
    }

    /// The keyboard goes to the control `id` as a dialog closes: to what opened it, or where
    /// its outcome will be said. See [`Self::keep_focus_ui`].
    fn keep_focus_on(&mut self, id: egui::Id) {
        self.keep_focus = Some((id, KEEP_FOCUS_FRAMES));
    }

    /// Puts the keyboard where [`Self::keep_focus_on`] asked, at the end of the frame, until it
    /// keeps it through one. A modal keeps the controls behind it from taking the focus for
    /// one more frame after it closed (egui drops the focus a control behind it asks for as it
    /// is drawn): asked for after they were drawn, the focus stays on one, and a screen reader
    /// is never left on the bare window in between.
    fn keep_focus_ui(&mut self, ctx: &egui::Context) {
        let Some((id, frames)) = self.keep_focus else {
            return;
        };
        if ctx.memory(|m| m.has_focus(id)) && frames < KEEP_FOCUS_FRAMES {
            // It kept it through a frame.
            self.keep_focus = None;
            return;
        }
        ctx.memory_mut(|m| m.request_focus(id));
        ctx.request_repaint();
        self.keep_focus = frames.checked_sub(1).map(|left| (id, left));
    }

    /// The selected instance as last listed.
    fn selected_row(&self) -> Option<&InstanceRow> {
        let id = self.selected.as_deref()?;
        self.rows.as_ref()?.iter().find(|r| r.id() == id)
    }

    /// Sends the rename form's change for the selected instance.
    fn save(&mut self, session: &WindowSession) {
        if self.is_running() || validate_instance_name(&self.edit.name).is_err() {
            return;
        }
        let Some(row) = self.selected_row() else {
            return;
        };
        if row.id() != self.edit.id {
            return;
        }
        let Some((new_name, new_remark)) = self.edit.change(row) else {
            return;
        };
        let sent = InstanceOpSent {
            id: row.summary.instance_id.clone(),
            name: row.name().to_owned(),
            kind: InstanceOpKind::Update {
                new_name,
                new_remark,
            },
        };
        self.start(session, sent);
    }

    /// Sends the delete the dialog confirmed.
    fn delete_confirmed(&mut self, session: &WindowSession) {
        let Some(dialog) = self.delete.take() else {
            return;
        };
        if !dialog.typed.confirmed() || self.is_running() {
            return;
        }
        let sent = InstanceOpSent {
            id: dialog.id,
            name: dialog.name,
            kind: InstanceOpKind::Delete {
                topics: dialog.topics,
                groups: dialog.groups,
            },
        };
        self.start(session, sent);
    }

    fn start(&mut self, session: &WindowSession, sent: InstanceOpSent) {
        let Some(Ok(client)) = session.client() else {
            return;
        };
        let seq = self.tasks.next_seq();
        let recorder = session.recorder.clone();
        let id = sent.id.clone();
        let kind = sent.kind.clone();
        self.tasks.spawn(
            async move {
                let policy = Policy::default();
                let settled = match kind {
                    InstanceOpKind::Update {
                        new_name,
                        new_remark,
                    } => {
                        let change = Change {
                            name: new_name.as_deref(),
                            remark: new_remark.as_deref(),
                        };
                        let report = instances::update(&client, &id, change, policy, |_| {}).await;
                        if report.outcome.is_done() {
                            recorder
                                .record_instance_edited(id.to_string(), new_name, new_remark)
                                .await;
                        }
                        Settled::Update(Box::new(report))
                    }
                    InstanceOpKind::Delete { .. } => {
                        let report = instances::delete(&client, &id, policy, |_| {}).await;
                        if report.outcome.is_done() {
                            recorder.record_instance_deleted(id.to_string()).await;
                        }
                        Settled::Delete(Box::new(report))
                    }
                };
                InstancesReply::Settled {
                    seq,
                    settled: Ok(settled),
                }
            },
            move || InstancesReply::Settled {
                seq,
                settled: Err(Panicked),
            },
        );
        self.reveal_op = true;
        let op = InstanceOp {
            sent,
            state: InstanceOpState::Running { seq },
        };
        self.news
            .tell(overview::op_headline(session.lang, &op).0, false);
        self.op = Some(op);
    }
}

/// For how many frames the keyboard is put back where a closing dialog sent it.
const KEEP_FOCUS_FRAMES: u8 = 3;

/// How many instances' details one list load reads. A region holds a handful (the quota is a
/// few per region); a reply listing thousands, from a broken or hostile endpoint, must not
/// turn into thousands of calls.
const DETAILS_READ: usize = 64;

/// A list load: the rows, and how many entries of the reply were left out because they failed
/// its checks (a malformed InstanceId): the view says so.
#[derive(Debug)]
pub struct Loaded {
    rows: Vec<InstanceRow>,
    left_out: usize,
}

/// The region's list; the base info of each of its first [`DETAILS_READ`] instances is read
/// after it ([`InstancesController::read_details`]), so one slow detail does not hold the list.
async fn read_list(client: crate::api::Client) -> Result<Loaded, Failure> {
    let mut quiet = |_: &Step| {};
    let list = instances::list(&mut Calls::new(&client, Policy::default(), &mut quiet))
        .await
        .map_err(Failure::Api)?;
    let left_out = list.left_out;
    let offset = crate::history::now_local().offset();
    let rows = list
        .into_iter()
        .enumerate()
        .map(|(i, summary)| InstanceRow {
            created: created_text(summary.create_time, offset),
            summary,
            info: (i >= DETAILS_READ).then_some(Err(ApiError::Setup(
                SetupProblem::DetailsNotRead {
                    limit: DETAILS_READ,
                },
            ))),
        })
        .collect();
    Ok(Loaded { rows, left_out })
}

/// A creation time as local `YYYY-MM-DD HH:MM` (in UTC if it cannot be moved to the local
/// offset; a dash when unknown). Never panics.
fn created_text(at: Option<time::OffsetDateTime>, offset: time::UtcOffset) -> String {
    let Some(at) = at else {
        return "—".to_owned();
    };
    crate::clock::minutes_in(at, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_times_at_the_ends_of_the_calendar_do_not_panic() {
        let east = time::UtcOffset::from_hms(14, 0, 0).unwrap();
        let west = time::UtcOffset::from_hms(-12, 0, 0).unwrap();
        for at in [
            time::macros::datetime!(9999-12-31 23:59:59 UTC),
            time::macros::datetime!(-9999-01-01 00:00:00 UTC),
        ] {
            for offset in [east, west] {
                assert!(!created_text(Some(at), offset).is_empty());
            }
        }
        assert_eq!(
            created_text(Some(time::macros::datetime!(2025-11-29 07:06:40 UTC)), east),
            "2025-11-29 21:06"
        );
        assert_eq!(created_text(None, east), "—");
    }
}
