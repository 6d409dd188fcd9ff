//! What the selected instance holds — its topics and groups — for the Topics, Groups and
//! Connect panes: read, created, deleted and followed through the core
//! ([`crate::topics_groups`]), each on this part's own [`Tasks`].
//!
//! - The lists are read when an instance is selected, on Refresh, and again when what they
//!   were read for changes ([`HeldKey`]: the scope, the instance, and every change this window
//!   made or learned), as the instance list is.
//! - A create checks the name first, then looks that it is free in the instance's namespace
//!   (topics and groups share one; [`topics_groups::name_in_use`]), then goes through the safe
//!   create: a lost reply is settled by looking for the exact name. A delete looks that the
//!   topic or group is there, then goes through the safe delete. So does the CLI.
//! - Every change carries what it was sent for ([`HeldSent`]): its outcome names that instance
//!   and that name, whatever is selected or typed by the time it ends.
//! - Every create and delete is recorded in the history as the CLI records it: pending (on
//!   disk) once the look has passed and before it is sent, and its outcome when it ends; one
//!   that cannot be recorded is not sent ([`Recording`]).
//! - A topic listed as being created is followed until it is in service by the core's
//!   [`topics_groups::follow_topic`], in the background: the window is not woken until the
//!   follow ends (no polling, no spinner), and a topic is followed once per list that shows it
//!   creating: one that outlasts the follow is left for Refresh.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use crate::api::actions::{CreateGroup, CreateTopic, DeleteGroup, DeleteTopic};
use crate::api::{ApiError, Client, GroupSummary, Listed, TopicSummary};
use crate::connect::{ConfigFormat, TcpEndpointKind};
use crate::credentials::CredentialSource;
use crate::history::{ChangeOutcome, EntryId, HistoryError, NewChange, Resource, Verb};
use crate::ids::{GroupId, InstanceId, TopicName};
use crate::instances::DeleteOutcome;
use crate::operation::{Calls, Report, Step};
use crate::pacing::Policy;
use crate::resources::{GroupType, MessageType, TopicStatus};
use crate::topics_groups::{self, AddOutcome, Followed, HeldBy, NameUse};

use super::super::recorder::Recorder;
use super::super::session::WindowSession;
use super::super::tasks::{Failure, Panicked, Tasks};
use super::created_text;

/// How long a new topic is followed before the window leaves it to Refresh (the core's
/// deadline for one command is the same).
pub const FOLLOW_WITHIN: Duration = Duration::from_mins(2);

/// Topics followed without being asked again: after opening an instance, a Refresh or a topic
/// this window created. Each follow ends in a fresh read of the lists, and an endpoint that
/// lists a new "creating" topic in every read would otherwise be followed, and its end
/// announced, for as long as the instance is open.
const FOLLOWS_PER_ASK: u8 = 4;

/// Everything the lists depend on: they are read again when this changes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HeldKey {
    region: String,
    endpoint: String,
    source: CredentialSource,
    instance: InstanceId,
    /// What the window learned changed in the cloud, and Refresh.
    changes: (u64, u64),
}

/// A topic as listed, with its creation time in local time (formatted off the UI thread).
#[derive(Clone, Debug)]
pub struct TopicRow {
    pub summary: TopicSummary,
    pub created: String,
}

impl TopicRow {
    pub fn name(&self) -> &str {
        self.summary.topic.as_str()
    }

    pub fn is_creating(&self) -> bool {
        self.summary.service_status == Some(TopicStatus::Creating)
    }

    /// Whether the search `needle` (lower case, trimmed) finds it: name or remark.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.name().to_lowercase().contains(needle)
            || self.summary.remark.to_lowercase().contains(needle)
    }
}

/// A group as listed, as [`TopicRow`].
#[derive(Clone, Debug)]
pub struct GroupRow {
    pub summary: GroupSummary,
    pub created: String,
}

impl GroupRow {
    pub fn id(&self) -> &str {
        self.summary.group_id.as_str()
    }

    /// A group a TCP client can use: `tcp`, or of a type the reply did not give.
    pub fn is_tcp(&self) -> bool {
        self.summary
            .group_type
            .as_ref()
            .is_none_or(|t| *t == GroupType::Tcp)
    }

    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || self.id().to_lowercase().contains(needle)
            || self.summary.remark.to_lowercase().contains(needle)
    }
}

/// One list of the selected instance: the last one read (kept while the next is read), the
/// read under way, and why the last read failed.
#[derive(Debug)]
pub struct ListRead<T> {
    pub rows: Option<Vec<T>>,
    /// Entries of the last reply left out: they failed its checks.
    pub left_out: usize,
    pub pending: Option<u64>,
    pub failed: Option<Failure>,
}

impl<T> Default for ListRead<T> {
    fn default() -> Self {
        Self {
            rows: None,
            left_out: 0,
            pending: None,
            failed: None,
        }
    }
}

impl<T> ListRead<T> {
    fn took(&mut self, seq: u64, result: Result<(Vec<T>, usize), Failure>) -> bool {
        if self.pending != Some(seq) {
            return false;
        }
        self.pending = None;
        match result {
            Ok((rows, left_out)) => {
                self.rows = Some(rows);
                self.left_out = left_out;
                self.failed = None;
            }
            Err(failure) => self.failed = Some(failure),
        }
        true
    }
}

/// The add-a-topic form.
#[derive(Clone, Debug, Default)]
pub struct TopicForm {
    pub name: String,
    pub message_type: MessageType,
    pub remark: String,
}

/// The add-a-group form.
#[derive(Clone, Debug, Default)]
pub struct GroupForm {
    pub id: String,
    pub group_type: GroupType,
    pub remark: String,
}

/// A change to a topic or a group, as it was sent.
#[derive(Clone, Debug)]
pub enum HeldChange {
    AddTopic {
        topic: String,
        message_type: MessageType,
        remark: String,
    },
    AddGroup {
        group_id: String,
        group_type: GroupType,
        remark: String,
    },
    DeleteTopic {
        topic: TopicName,
    },
    DeleteGroup {
        group_id: GroupId,
    },
}

impl HeldChange {
    /// The topic's name or the group's ID.
    pub fn name(&self) -> &str {
        match self {
            Self::AddTopic { topic, .. } => topic,
            Self::AddGroup { group_id, .. } => group_id,
            Self::DeleteTopic { topic } => topic.as_str(),
            Self::DeleteGroup { group_id } => group_id.as_str(),
        }
    }

    pub fn is_topic(&self) -> bool {
        matches!(self, Self::AddTopic { .. } | Self::DeleteTopic { .. })
    }

    pub fn is_delete(&self) -> bool {
        matches!(self, Self::DeleteTopic { .. } | Self::DeleteGroup { .. })
    }
}

/// What a change was sent for, captured when it was sent.
#[derive(Clone, Debug)]
pub struct HeldSent {
    pub instance_id: InstanceId,
    /// The instance's name when it was sent.
    pub instance_name: String,
    pub change: HeldChange,
}

/// Why a change was not sent.
#[derive(Debug)]
pub enum NotSent {
    /// The name is held already, by a topic or a group (they share one namespace).
    Taken(HeldBy),
    /// The topic or group to delete is not listed (deleted elsewhere?).
    Absent,
    /// The look before the change could not be made.
    LookFailed(ApiError),
    /// The history could not record the change, so it was not sent.
    NotRecorded(Arc<HistoryError>),
}

/// How a change ended.
#[derive(Debug)]
pub enum HeldEnded {
    NotSent(NotSent),
    TopicAdded(Box<Report<AddOutcome<TopicSummary>>>),
    GroupAdded(Box<Report<AddOutcome<GroupSummary>>>),
    Deleted(Box<Report<DeleteOutcome>>),
}

impl HeldEnded {
    /// True when the change is in effect.
    pub fn is_done(&self) -> bool {
        match self {
            Self::NotSent(_) => false,
            Self::TopicAdded(r) => r.outcome.is_done(),
            Self::GroupAdded(r) => r.outcome.is_done(),
            Self::Deleted(r) => r.outcome.is_done(),
        }
    }

    /// True when it may or may not have happened.
    pub fn is_unknown(&self) -> bool {
        match self {
            Self::NotSent(_) => false,
            Self::TopicAdded(r) => matches!(r.outcome, AddOutcome::Unknown(_)),
            Self::GroupAdded(r) => matches!(r.outcome, AddOutcome::Unknown(_)),
            Self::Deleted(r) => matches!(r.outcome, DeleteOutcome::Unknown(_)),
        }
    }

    /// True when the reply was lost and a look found the name held by another: not made, and
    /// not sent again.
    pub fn name_held_by_another(&self) -> bool {
        match self {
            Self::TopicAdded(r) => matches!(r.outcome, AddOutcome::NameTaken(_)),
            Self::GroupAdded(r) => matches!(r.outcome, AddOutcome::NameTaken(_)),
            Self::NotSent(_) | Self::Deleted(_) => false,
        }
    }

    /// True when the reply was lost and a look found the change in effect.
    pub fn settled_by_looking(&self) -> bool {
        match self {
            Self::NotSent(_) => false,
            Self::TopicAdded(r) => matches!(r.outcome, AddOutcome::Confirmed(_)),
            Self::GroupAdded(r) => matches!(r.outcome, AddOutcome::Confirmed(_)),
            Self::Deleted(r) => matches!(r.outcome, DeleteOutcome::Confirmed),
        }
    }

    /// The error of a change that did not happen, or may not have.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Self::NotSent(NotSent::LookFailed(e)) => Some(e),
            Self::NotSent(_) => None,
            Self::TopicAdded(r) => match &r.outcome {
                AddOutcome::NotCreated(e) | AddOutcome::NameTaken(e) | AddOutcome::Unknown(e) => {
                    Some(e)
                }
                _ => None,
            },
            Self::GroupAdded(r) => match &r.outcome {
                AddOutcome::NotCreated(e) | AddOutcome::NameTaken(e) | AddOutcome::Unknown(e) => {
                    Some(e)
                }
                _ => None,
            },
            Self::Deleted(r) => match &r.outcome {
                DeleteOutcome::NotDeleted(e) | DeleteOutcome::Unknown(e) => Some(e),
                _ => None,
            },
        }
    }

    fn clock_offset(&self) -> Option<time::Duration> {
        match self {
            Self::NotSent(_) => None,
            Self::TopicAdded(r) => r.clock_offset,
            Self::GroupAdded(r) => r.clock_offset,
            Self::Deleted(r) => r.clock_offset,
        }
    }
}

#[derive(Debug)]
pub enum HeldOpState {
    Running { seq: u64 },
    Settled(Result<HeldEnded, Panicked>),
}

/// The last change of a kind (topics, or groups): running, or how it ended.
#[derive(Debug)]
pub struct HeldOp {
    pub sent: HeldSent,
    pub state: HeldOpState,
}

impl HeldOp {
    pub fn is_running(&self) -> bool {
        matches!(self.state, HeldOpState::Running { .. })
    }
}

/// A new topic followed until it is in service.
#[derive(Debug)]
pub struct Follow {
    pub instance_id: InstanceId,
    pub topic: String,
    pub state: FollowState,
}

#[derive(Debug)]
pub enum FollowState {
    Running { seq: u64 },
    Ended(Result<Followed, Panicked>),
}

/// The delete confirmation of a topic or a group.
#[derive(Debug)]
pub struct HeldDelete {
    pub sent: HeldSent,
    pub typed: super::confirm::Typed,
}

/// The Connect pane's choices, for the instance they were made for.
#[derive(Clone, Debug, Default)]
pub struct ConnectChoice {
    pub instance: Option<InstanceId>,
    /// `None`: the default (the one just created, else the first usable one).
    pub topic: Option<String>,
    pub group: Option<String>,
    pub format: ConfigFormat,
    pub endpoint: TcpEndpointKind,
}

/// What the Connect pane offers for an instance: the topics and TCP groups a config can name.
#[derive(Debug, Default)]
pub struct ConfigNames {
    pub topics: Vec<String>,
    pub groups: Vec<String>,
    /// The instance has HTTP groups, which are not offered.
    pub has_http: bool,
}

/// What happened that the view around these panes acts on.
#[derive(Debug)]
pub enum HeldEvent {
    /// Say this (failures and doubts urgently).
    Tell { text: String, urgent: bool },
    /// The topic (`true`) or group change ended: say how (its card's words).
    Settled { topic: bool },
    /// A topic was created: on an instance with no TCP group, the next step is one.
    TopicMade { instance_id: InstanceId },
    /// A group was created: on an instance with a topic, the next step is its config.
    GroupMade { instance_id: InstanceId },
}

enum HeldReply {
    Topics {
        seq: u64,
        result: Result<(Vec<TopicRow>, usize), Failure>,
    },
    Groups {
        seq: u64,
        result: Result<(Vec<GroupRow>, usize), Failure>,
    },
    Settled {
        seq: u64,
        ended: Result<HeldEnded, Panicked>,
    },
    Followed {
        seq: u64,
        followed: Result<Followed, Panicked>,
    },
}

/// The topics and groups part of the Instances view.
pub struct Held {
    key: Option<HeldKey>,
    /// Refresh asked (bumped): part of the key.
    refreshes: u64,
    pub topics: ListRead<TopicRow>,
    pub groups: ListRead<GroupRow>,
    pub topic_form: TopicForm,
    pub group_form: GroupForm,
    pub topic_search: String,
    pub group_search: String,
    pub topic_op: Option<HeldOp>,
    pub group_op: Option<HeldOp>,
    pub follow: Option<Follow>,
    /// Topics followed once already and still creating: left for Refresh.
    followed_once: BTreeSet<(InstanceId, String)>,
    /// Follows that may still start before the user asks again ([`FOLLOWS_PER_ASK`]).
    follows_left: u8,
    pub delete: Option<HeldDelete>,
    pub connect: ConnectChoice,
    /// The last topic and group this window created, per instance: the config's defaults.
    made_topic: Option<(InstanceId, String)>,
    made_group: Option<(InstanceId, String)>,
    /// Scroll the op card of topics (`true`) or groups into view (it just started or ended).
    pub reveal: Option<bool>,
    tasks: Tasks<HeldReply>,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Held")
            .field("key", &self.key)
            .field("topic_op", &self.topic_op)
            .field("group_op", &self.group_op)
            .finish_non_exhaustive()
    }
}

/// Which instance the panes are about: its ID and name.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub id: &'a InstanceId,
    pub name: &'a str,
}

impl Held {
    pub fn new(session: &WindowSession) -> Self {
        Self {
            key: None,
            refreshes: 0,
            topics: ListRead::default(),
            groups: ListRead::default(),
            topic_form: TopicForm::default(),
            group_form: GroupForm::default(),
            topic_search: String::new(),
            group_search: String::new(),
            topic_op: None,
            group_op: None,
            follow: None,
            followed_once: BTreeSet::new(),
            follows_left: FOLLOWS_PER_ASK,
            delete: None,
            connect: ConnectChoice::default(),
            made_topic: None,
            made_group: None,
            reveal: None,
            tasks: Tasks::new(session.runtime.clone(), session.ctx.clone()),
        }
    }

    /// The instance the lists are about, when they are about one.
    pub fn instance(&self) -> Option<&InstanceId> {
        self.key.as_ref().map(|k| &k.instance)
    }

    /// Refresh: both lists again, and a topic still being created followed again.
    pub fn refresh(&mut self) {
        self.refreshes += 1;
        self.follows_left = FOLLOWS_PER_ASK;
        if let Some(key) = &self.key {
            let instance = key.instance.clone();
            self.followed_once.retain(|(i, _)| *i != instance);
        }
    }

    pub fn is_loading(&self) -> bool {
        self.topics.pending.is_some() || self.groups.pending.is_some()
    }

    /// Whether the lists hold exactly `name`: `Some(true)` as a topic, `Some(false)` as a
    /// group (topics and groups share one set of names). Said under the field before anything
    /// is sent; the create looks again, in the cloud.
    pub fn holder_of(&self, name: &str) -> Option<bool> {
        let topics = self.topics.rows.as_deref().unwrap_or_default();
        let groups = self.groups.rows.as_deref().unwrap_or_default();
        if topics.iter().any(|t| t.name() == name) {
            Some(true)
        } else if groups.iter().any(|g| g.id() == name) {
            Some(false)
        } else {
            None
        }
    }

    /// Whether this window made a topic in `instance` (and has not deleted it since).
    pub fn made_topic_in(&self, instance: &InstanceId) -> bool {
        self.made_topic.as_ref().is_some_and(|(i, _)| i == instance)
    }

    /// The topic the config names by default: the one this window just created in
    /// `instance` (even before the list read since shows it), else the first whose name a
    /// config accepts.
    pub fn default_topic(&self, instance: &InstanceId) -> Option<String> {
        let rows = self.topics.rows.as_deref().unwrap_or_default();
        let usable = |name: &str| crate::validation::validate_topic_name(name).is_ok();
        self.made_topic
            .as_ref()
            .filter(|(i, _)| i == instance)
            .map(|(_, t)| t.clone())
            .or_else(|| {
                rows.iter()
                    .map(TopicRow::name)
                    .find(|n| usable(n))
                    .map(str::to_owned)
            })
    }

    /// The group the config names by default, as [`Self::default_topic`], among TCP groups.
    pub fn default_group(&self, instance: &InstanceId) -> Option<String> {
        let rows = self.groups.rows.as_deref().unwrap_or_default();
        let usable =
            |g: &GroupRow| g.is_tcp() && crate::validation::validate_group_id(g.id()).is_ok();
        self.made_group
            .as_ref()
            .filter(|(i, _)| i == instance)
            .map(|(_, g)| g.clone())
            .or_else(|| rows.iter().find(|g| usable(g)).map(|g| g.id().to_owned()))
    }

    /// The topics and TCP groups of `instance` a config can name (as listed; empty while its
    /// lists are not read), and the Connect pane's choice among them, the defaults filled in.
    /// A choice no longer listed falls back to the default; another instance starts from its
    /// own defaults.
    pub fn config_choice(
        &mut self,
        instance: &InstanceId,
    ) -> (ConfigNames, Option<String>, Option<String>) {
        if self.connect.instance.as_ref() != Some(instance) {
            self.connect = ConnectChoice {
                instance: Some(instance.clone()),
                ..ConnectChoice::default()
            };
        }
        let here = self.instance() == Some(instance);
        let topics = self
            .topics
            .rows
            .as_deref()
            .filter(|_| here)
            .unwrap_or_default();
        let groups = self
            .groups
            .rows
            .as_deref()
            .filter(|_| here)
            .unwrap_or_default();
        let names = ConfigNames {
            topics: topics
                .iter()
                .map(TopicRow::name)
                .filter(|n| crate::validation::validate_topic_name(n).is_ok())
                .map(str::to_owned)
                .collect(),
            groups: groups
                .iter()
                .filter(|g| g.is_tcp() && crate::validation::validate_group_id(g.id()).is_ok())
                .map(|g| g.id().to_owned())
                .collect(),
            has_http: groups.iter().any(|g| !g.is_tcp()),
        };
        if self
            .connect
            .topic
            .as_ref()
            .is_some_and(|t| !names.topics.contains(t))
        {
            self.connect.topic = None;
        }
        if self
            .connect
            .group
            .as_ref()
            .is_some_and(|g| !names.groups.contains(g))
        {
            self.connect.group = None;
        }
        let topic = self
            .connect
            .topic
            .clone()
            .or_else(|| self.default_topic(instance));
        let group = self
            .connect
            .group
            .clone()
            .or_else(|| self.default_group(instance));
        (names, topic, group)
    }

    /// Drains the replies; while the view shows `target`, reads its lists when what they
    /// depend on changed, and follows a topic listed as being created.
    pub fn logic(
        &mut self,
        session: &mut WindowSession,
        target: Option<Target<'_>>,
    ) -> Vec<HeldEvent> {
        let mut events = Vec::new();
        while let Some(reply) = self.tasks.try_recv() {
            match reply {
                HeldReply::Topics { seq, result } => {
                    if self.topics.took(seq, result) {
                        self.follow_next(session);
                    }
                }
                HeldReply::Groups { seq, result } => {
                    self.groups.took(seq, result);
                }
                HeldReply::Settled { seq, ended } => {
                    self.on_settled(session, seq, ended, &mut events);
                }
                HeldReply::Followed { seq, followed } => {
                    self.on_followed(session, seq, followed, &mut events);
                }
            }
        }
        let Some(target) = target else {
            return events;
        };
        let key = session.target().ok().and_then(|t| {
            let (source, _) = session.ready()?;
            Some(HeldKey {
                region: t.region.to_string(),
                endpoint: t.endpoint.to_string(),
                source: source.clone(),
                instance: target.id.clone(),
                changes: (session.cloud_changes, self.refreshes),
            })
        });
        if key == self.key {
            return events;
        }
        let same_instance = matches!((&key, &self.key), (Some(a), Some(b))
            if a.instance == b.instance && a.region == b.region && a.endpoint == b.endpoint
                && a.source == b.source);
        if !same_instance {
            self.topics = ListRead::default();
            self.groups = ListRead::default();
            self.topic_search.clear();
            self.group_search.clear();
            self.follows_left = FOLLOWS_PER_ASK;
        }
        self.key = key;
        if let (Some(key), Some(Ok(client))) = (&self.key, session.client()) {
            self.read_lists(client, key.instance.clone());
        }
        events
    }

    fn read_lists(&mut self, client: Client, instance: InstanceId) {
        let seq = self.tasks.next_seq();
        self.topics.pending = Some(seq);
        let (c, id) = (client.clone(), instance.clone());
        self.tasks.spawn(
            async move {
                HeldReply::Topics {
                    seq,
                    result: read_topics(c, id).await,
                }
            },
            move || HeldReply::Topics {
                seq,
                result: Err(Failure::Panicked),
            },
        );
        let seq = self.tasks.next_seq();
        self.groups.pending = Some(seq);
        self.tasks.spawn(
            async move {
                HeldReply::Groups {
                    seq,
                    result: read_groups(client, instance).await,
                }
            },
            move || HeldReply::Groups {
                seq,
                result: Err(Failure::Panicked),
            },
        );
    }

    /// Follows a topic the list shows being created (the one this window created first),
    /// unless one is followed already, it was followed once (then Refresh follows it again) or
    /// [`FOLLOWS_PER_ASK`] were followed since the user last asked.
    fn follow_next(&mut self, session: &WindowSession) {
        if self.follows_left == 0
            || self
                .follow
                .as_ref()
                .is_some_and(|f| matches!(f.state, FollowState::Running { .. }))
        {
            return;
        }
        let Some(key) = &self.key else { return };
        let instance = key.instance.clone();
        let made = self
            .made_topic
            .as_ref()
            .filter(|(i, _)| *i == instance)
            .map(|(_, t)| t.as_str());
        let candidates = || {
            self.topics
                .rows
                .as_deref()
                .unwrap_or_default()
                .iter()
                .filter(|t| {
                    t.is_creating()
                        && !self
                            .followed_once
                            .contains(&(instance.clone(), t.name().to_owned()))
                })
        };
        let Some(creating) = candidates()
            .find(|t| Some(t.name()) == made)
            .or_else(|| candidates().next())
            .map(|t| t.summary.clone())
        else {
            return;
        };
        let Some(Ok(client)) = session.client() else {
            return;
        };
        let topic = creating.topic.to_string();
        self.followed_once.insert((instance.clone(), topic.clone()));
        self.follows_left -= 1;
        let seq = self.tasks.next_seq();
        let (id, name) = (instance.clone(), topic.clone());
        self.tasks.spawn(
            async move {
                let mut quiet = |_: &Step| {};
                let mut calls = Calls::new(&client, Policy::default(), &mut quiet);
                let followed = topics_groups::follow_topic(
                    &mut calls,
                    &id,
                    &name,
                    Some(creating),
                    FOLLOW_WITHIN,
                    |_| {},
                )
                .await;
                HeldReply::Followed {
                    seq,
                    followed: Ok(followed),
                }
            },
            move || HeldReply::Followed {
                seq,
                followed: Err(Panicked),
            },
        );
        self.follow = Some(Follow {
            instance_id: instance,
            topic,
            state: FollowState::Running { seq },
        });
    }

    fn on_followed(
        &mut self,
        session: &mut WindowSession,
        seq: u64,
        followed: Result<Followed, Panicked>,
        events: &mut Vec<HeldEvent>,
    ) {
        let Some(follow) = &mut self.follow else {
            return;
        };
        if !matches!(follow.state, FollowState::Running { seq: s } if s == seq) {
            return;
        }
        let (text, urgent) = session.lang.followed(
            &follow.topic,
            followed.as_ref().ok(),
            FOLLOW_WITHIN.as_secs(),
        );
        follow.state = FollowState::Ended(followed);
        events.push(HeldEvent::Tell { text, urgent });
        // The list shows the state it was followed to (and any other topic being created).
        self.refreshes += 1;
    }

    fn on_settled(
        &mut self,
        session: &mut WindowSession,
        seq: u64,
        ended: Result<HeldEnded, Panicked>,
        events: &mut Vec<HeldEvent>,
    ) {
        let op = [&mut self.topic_op, &mut self.group_op]
            .into_iter()
            .flatten()
            .find(|op| matches!(op.state, HeldOpState::Running { seq: s } if s == seq));
        let Some(op) = op else { return };
        let done = ended.as_ref().is_ok_and(HeldEnded::is_done);
        if let Ok(e) = &ended
            && let Some(offset) = e.clock_offset()
        {
            session.clock_offset = Some(offset);
        }
        op.state = HeldOpState::Settled(ended);
        events.push(HeldEvent::Settled {
            topic: op.sent.change.is_topic(),
        });
        self.reveal = Some(op.sent.change.is_topic());
        if !done {
            return;
        }
        let sent = op.sent.clone();
        // The lists, the instance's counts and the create form's pre-flight read again.
        session.cloud_changes += 1;
        match &sent.change {
            HeldChange::AddTopic { topic, .. } => {
                self.made_topic = Some((sent.instance_id.clone(), topic.clone()));
                self.follows_left = FOLLOWS_PER_ASK;
                self.topic_form = TopicForm::default();
                events.push(HeldEvent::TopicMade {
                    instance_id: sent.instance_id,
                });
            }
            HeldChange::AddGroup { group_id, .. } => {
                self.made_group = Some((sent.instance_id.clone(), group_id.clone()));
                self.group_form = GroupForm::default();
                events.push(HeldEvent::GroupMade {
                    instance_id: sent.instance_id,
                });
            }
            HeldChange::DeleteTopic { topic } => {
                if self
                    .made_topic
                    .as_ref()
                    .is_some_and(|(i, t)| *i == sent.instance_id && t == topic.as_str())
                {
                    self.made_topic = None;
                }
            }
            HeldChange::DeleteGroup { group_id } => {
                if self
                    .made_group
                    .as_ref()
                    .is_some_and(|(i, g)| *i == sent.instance_id && g == group_id.as_str())
                {
                    self.made_group = None;
                }
            }
        }
    }

    /// Whether a change of this kind (topics: `true`) runs.
    pub fn is_running(&self, topics: bool) -> bool {
        let op = if topics {
            &self.topic_op
        } else {
            &self.group_op
        };
        op.as_ref().is_some_and(HeldOp::is_running)
    }

    /// Sends the topic form's create for `target`, when it is valid and none runs.
    pub fn add_topic(&mut self, session: &WindowSession, target: Target<'_>) -> bool {
        let form = &self.topic_form;
        if self.is_running(true)
            || crate::validation::validate_topic_name(&form.name).is_err()
            || crate::validation::validate_topic_remark(&form.remark).is_err()
        {
            return false;
        }
        let change = HeldChange::AddTopic {
            topic: form.name.clone(),
            message_type: form.message_type,
            remark: form.remark.clone(),
        };
        self.start(session, target, change)
    }

    /// Sends the group form's create for `target`, as [`Self::add_topic`].
    pub fn add_group(&mut self, session: &WindowSession, target: Target<'_>) -> bool {
        let form = &self.group_form;
        if self.is_running(false)
            || crate::validation::validate_group_id(&form.id).is_err()
            || crate::validation::validate_group_remark(&form.remark).is_err()
        {
            return false;
        }
        let change = HeldChange::AddGroup {
            group_id: form.id.clone(),
            group_type: form.group_type.clone(),
            remark: form.remark.clone(),
        };
        self.start(session, target, change)
    }

    /// Sends the delete the dialog confirmed.
    pub fn delete_confirmed(&mut self, session: &WindowSession) -> bool {
        let Some(dialog) = self.delete.take() else {
            return false;
        };
        if !dialog.typed.confirmed() || self.is_running(dialog.sent.change.is_topic()) {
            return false;
        }
        let HeldSent {
            instance_id,
            instance_name,
            change,
        } = dialog.sent;
        let target = Target {
            id: &instance_id,
            name: &instance_name,
        };
        self.start(session, target, change)
    }

    fn start(&mut self, session: &WindowSession, target: Target<'_>, change: HeldChange) -> bool {
        let (Some(Ok(client)), Some((source, _))) = (session.client(), session.ready()) else {
            return false;
        };
        let recording = Recording {
            recorder: session.recorder.clone(),
            profile: source.to_string(),
        };
        let seq = self.tasks.next_seq();
        let sent = HeldSent {
            instance_id: target.id.clone(),
            instance_name: target.name.to_owned(),
            change,
        };
        let (id, change) = (sent.instance_id.clone(), sent.change.clone());
        self.tasks.spawn(
            async move {
                HeldReply::Settled {
                    seq,
                    ended: Ok(send(client, id, change, recording).await),
                }
            },
            move || HeldReply::Settled {
                seq,
                ended: Err(Panicked),
            },
        );
        let topics = sent.change.is_topic();
        let op = HeldOp {
            sent,
            state: HeldOpState::Running { seq },
        };
        if topics {
            self.topic_op = Some(op);
        } else {
            self.group_op = Some(op);
        }
        self.reveal = Some(topics);
        true
    }
}

/// Where a change is recorded: the window's history, and the name of the credentials it is
/// sent with (a profile name, `environment`, `sandbox`; never a key).
struct Recording {
    recorder: Recorder,
    profile: String,
}

impl Recording {
    /// Records the change about to be sent through `client` as pending, on disk. `Ok(None)`:
    /// the window has no usable history (its panel says why); `Err`: it could not be written,
    /// and the change must not be sent.
    async fn pending(
        &self,
        client: &Client,
        verb: Verb,
        resource: Resource,
        remark: String,
    ) -> Result<Option<EntryId>, NotSent> {
        let target = client.target();
        let change = NewChange {
            verb,
            resource,
            remark,
            region: target.region.to_string(),
            endpoint: target.endpoint.to_string(),
            profile: self.profile.clone(),
        };
        self.recorder
            .record_change_pending(change)
            .await
            .map_err(NotSent::NotRecorded)
    }

    /// Records how the change ended (a failure is shown in the history panel; the entry then
    /// stays pending, which "Refresh status" settles).
    async fn outcome(&self, entry: Option<EntryId>, outcome: ChangeOutcome) {
        self.recorder.record_change_outcome(entry, outcome).await;
    }
}

/// One change, as the CLI sends it: the look first (a create: is the name free; a delete: is it
/// there), then the pending entry in the history, then the safe change through one `Calls`,
/// then its outcome in the history.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per change, each the same four steps in order"
)]
async fn send(
    client: Client,
    instance_id: InstanceId,
    change: HeldChange,
    recording: Recording,
) -> HeldEnded {
    let mut quiet = |step: &Step| tracing::debug!(?step, "topic or group change");
    let mut calls = Calls::new(&client, Policy::default(), &mut quiet);
    match change {
        HeldChange::AddTopic {
            topic,
            message_type,
            remark,
        } => {
            if let Some(stop) = check_free(&mut calls, &instance_id, &topic).await {
                return HeldEnded::NotSent(stop);
            }
            let resource = Resource::Topic {
                instance_id: instance_id.clone(),
                topic: topic.clone(),
                message_type: Some(message_type),
            };
            let entry = match recording
                .pending(&client, Verb::Create, resource, remark.clone())
                .await
            {
                Ok(entry) => entry,
                Err(stop) => return HeldEnded::NotSent(stop),
            };
            let action = CreateTopic {
                instance_id,
                topic,
                message_type,
                remark,
            };
            let outcome = topics_groups::create_topic(&mut calls, action).await;
            recording
                .outcome(entry, ChangeOutcome::of_add(&outcome))
                .await;
            HeldEnded::TopicAdded(Box::new(calls.report(outcome)))
        }
        HeldChange::AddGroup {
            group_id,
            group_type,
            remark,
        } => {
            if let Some(stop) = check_free(&mut calls, &instance_id, &group_id).await {
                return HeldEnded::NotSent(stop);
            }
            let resource = Resource::Group {
                instance_id: instance_id.clone(),
                group_id: group_id.clone(),
                group_type: Some(group_type.clone()),
            };
            let entry = match recording
                .pending(&client, Verb::Create, resource, remark.clone())
                .await
            {
                Ok(entry) => entry,
                Err(stop) => return HeldEnded::NotSent(stop),
            };
            let action = CreateGroup {
                instance_id,
                group_id,
                group_type,
                remark,
            };
            let outcome = topics_groups::create_group(&mut calls, action).await;
            recording
                .outcome(entry, ChangeOutcome::of_add(&outcome))
                .await;
            HeldEnded::GroupAdded(Box::new(calls.report(outcome)))
        }
        HeldChange::DeleteTopic { topic } => {
            let listed = match topics_groups::find_topic(&mut calls, &instance_id, &topic).await {
                Ok(Some(found)) => found,
                Ok(None) => return HeldEnded::NotSent(NotSent::Absent),
                Err(e) => return HeldEnded::NotSent(NotSent::LookFailed(e)),
            };
            let resource = Resource::Topic {
                instance_id: instance_id.clone(),
                topic: topic.to_string(),
                message_type: listed.message_type,
            };
            let entry = match recording
                .pending(&client, Verb::Delete, resource, String::new())
                .await
            {
                Ok(entry) => entry,
                Err(stop) => return HeldEnded::NotSent(stop),
            };
            let action = DeleteTopic { instance_id, topic };
            let outcome = topics_groups::delete_topic(&mut calls, action, listed.create_time).await;
            recording
                .outcome(entry, ChangeOutcome::of_delete(&outcome))
                .await;
            HeldEnded::Deleted(Box::new(calls.report(outcome)))
        }
        HeldChange::DeleteGroup { group_id } => {
            let listed = match topics_groups::find_group(&mut calls, &instance_id, &group_id).await
            {
                Ok(Some(found)) => found,
                Ok(None) => return HeldEnded::NotSent(NotSent::Absent),
                Err(e) => return HeldEnded::NotSent(NotSent::LookFailed(e)),
            };
            let resource = Resource::Group {
                instance_id: instance_id.clone(),
                group_id: group_id.to_string(),
                group_type: listed.group_type,
            };
            let entry = match recording
                .pending(&client, Verb::Delete, resource, String::new())
                .await
            {
                Ok(entry) => entry,
                Err(stop) => return HeldEnded::NotSent(stop),
            };
            let action = DeleteGroup {
                instance_id,
                group_id,
            };
            let outcome = topics_groups::delete_group(&mut calls, action, listed.create_time).await;
            recording
                .outcome(entry, ChangeOutcome::of_delete(&outcome))
                .await;
            HeldEnded::Deleted(Box::new(calls.report(outcome)))
        }
    }
}

/// Whether `name` is free in the instance's namespace; `Some` says why the create must not be
/// sent. A list with entries left out cannot tell: the service decides, as in the CLI.
async fn check_free(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    name: &str,
) -> Option<NotSent> {
    match topics_groups::name_in_use(calls, instance_id, name).await {
        Ok(NameUse::Free | NameUse::Unsure { .. }) => None,
        Ok(NameUse::Taken(by)) => Some(NotSent::Taken(by)),
        Err(e) => Some(NotSent::LookFailed(e)),
    }
}

/// The instance's topics, each with its creation time in local time.
async fn read_topics(client: Client, id: InstanceId) -> Result<(Vec<TopicRow>, usize), Failure> {
    let mut quiet = |_: &Step| {};
    let mut calls = Calls::new(&client, Policy::default(), &mut quiet);
    let listed: Listed<TopicSummary> = topics_groups::list_topics(&mut calls, &id)
        .await
        .map_err(Failure::Api)?;
    let offset = crate::history::now_local().offset();
    let left_out = listed.left_out;
    let rows = listed
        .items
        .into_iter()
        .map(|summary| TopicRow {
            created: created_text(summary.create_time, offset),
            summary,
        })
        .collect();
    Ok((rows, left_out))
}

/// The instance's groups, as [`read_topics`].
async fn read_groups(client: Client, id: InstanceId) -> Result<(Vec<GroupRow>, usize), Failure> {
    let mut quiet = |_: &Step| {};
    let mut calls = Calls::new(&client, Policy::default(), &mut quiet);
    let listed: Listed<GroupSummary> = topics_groups::list_groups(&mut calls, &id)
        .await
        .map_err(Failure::Api)?;
    let offset = crate::history::now_local().offset();
    let left_out = listed.left_out;
    let rows = listed
        .items
        .into_iter()
        .map(|summary| GroupRow {
            created: created_text(summary.create_time, offset),
            summary,
        })
        .collect();
    Ok((rows, left_out))
}
