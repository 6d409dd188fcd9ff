//! `onsdesk topics` and `onsdesk groups`: list an instance's topics or groups, create one,
//! delete one — with the safe create's care (see [`crate::topics_groups`]). Each create and
//! delete is recorded in the history as pending just before it is sent, and its outcome when
//! it ends ([`super::record`]); unless `--no-history`, one that cannot be recorded is not sent.
//!
//! Exit codes as `create`: 0 done; 2 refused before anything was sent (a bad name or type, a
//! wrong `--confirm`, a name already present, no such topic or group to delete); 3 the service
//! refused, with what to do; 4 transport failure or unknown outcome.

use super::output;
use super::output::say;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::common::{CommonArgs, block_on};
use super::instances::{parse_instance_id, warn_left_out};
use super::output::{
    LookWords, explain, failure_code, local_time, print_json, print_line, rfc3339, say_step, table,
};
use super::record::{self, ChangeRecorder, RecordError};
use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN, refused};
use crate::api::actions::{CreateGroup, CreateTopic, DeleteGroup, DeleteTopic};
use crate::api::{ApiError, Client, ErrorKind, GroupSummary, Listed, TopicSummary};
use crate::history::{ChangeOutcome, NewChange, Resource, Verb};
use crate::ids::{GroupId, InstanceId, RequestId, TopicName};
use crate::instances::DeleteOutcome;
use crate::operation::{Calls, Report, Step};
use crate::region::RegionId;
use crate::resources::{GroupType, MessageType, TopicStatus};
use crate::snippets::{GroupSnippet, TopicSnippet};
use crate::text::Printable;
use crate::topics_groups::{self, AddOutcome, Followed, HeldBy, NameUse, TopicCheck};
use crate::validation::{
    validate_group_id, validate_group_remark, validate_topic_name, validate_topic_remark,
};

#[derive(Debug, Args)]
pub struct TopicsArgs {
    #[command(subcommand)]
    pub command: TopicsCommand,
}

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// An instance's topics (OnsTopicList): name, message type, state, remark, creation time.
    List(ListHeldArgs),
    /// Create a topic (OnsTopicCreate), wait until it is in service (unless --no-wait), and
    /// print its name.
    Create(TopicCreateArgs),
    /// Delete a topic (OnsTopicDelete): its producers and consumers stop working at once.
    Delete(TopicDeleteArgs),
}

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(subcommand)]
    pub command: GroupsCommand,
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// An instance's consumer groups (OnsGroupList): ID, type, remark, creation time.
    List(ListHeldArgs),
    /// Create a consumer group (OnsGroupCreate); prints its ID.
    Create(GroupCreateArgs),
    /// Delete a consumer group (OnsGroupDelete): its consumers stop receiving at once.
    Delete(GroupDeleteArgs),
}

#[derive(Debug, Args)]
pub struct ListHeldArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct TopicCreateArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    /// Topic name: 3-64 letters, digits, '-' or '_', not starting with CID or GID; unique in
    /// the instance among its topics and groups.
    pub topic: String,
    /// Message type; it cannot be changed later.
    #[arg(
        long = "type",
        value_name = "TYPE",
        default_value = "normal",
        value_parser = PossibleValuesParser::new(MessageType::CLI_NAMES)
            .try_map(|s| s.parse::<MessageType>())
    )]
    pub message_type: MessageType,
    /// Optional remark (at most 128 characters).
    #[arg(long)]
    pub remark: Option<String>,
    /// Do not wait for the topic to be in service (it is "creating" for a while after the
    /// create, and clients cannot use it until then). The wait lasts at most --timeout.
    #[arg(long)]
    pub no_wait: bool,
    /// Do not record the create in the history. Without this, a history that cannot be
    /// written stops the create before it is sent: if its reply were then lost, nothing would
    /// be left to settle it by.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct TopicDeleteArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    /// The topic to delete.
    #[arg(value_parser = parse_topic_name)]
    pub topic: TopicName,
    /// The topic's name again, typed out: the delete is sent only when it matches.
    #[arg(long, value_name = "TOPIC")]
    pub confirm: String,
    /// Do not record the delete in the history. Without this, a history that cannot be
    /// written stops the delete before it is sent.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct GroupCreateArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    /// Group ID: 2-64 letters, digits, '-' or '_'; usually GID_ followed by a name (without
    /// that prefix it is accepted, with a warning). Unique in the instance among its topics and
    /// groups.
    pub group_id: String,
    /// The clients the group serves: tcp (the 4.x TCP clients) or http.
    #[arg(
        long = "type",
        value_name = "TYPE",
        default_value = "tcp",
        value_parser = PossibleValuesParser::new(GroupType::CLI_NAMES)
            .try_map(|s| s.parse::<GroupType>())
    )]
    pub group_type: GroupType,
    /// Optional remark (at most 256 characters).
    #[arg(long)]
    pub remark: Option<String>,
    /// Do not record the create in the history. Without this, a history that cannot be
    /// written stops the create before it is sent: if its reply were then lost, nothing would
    /// be left to settle it by.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct GroupDeleteArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    /// The group ID to delete.
    #[arg(value_parser = parse_group_id)]
    pub group_id: GroupId,
    /// The group ID again, typed out: the delete is sent only when it matches.
    #[arg(long, value_name = "GROUP_ID")]
    pub confirm: String,
    /// Do not record the delete in the history. Without this, a history that cannot be
    /// written stops the delete before it is sent.
    #[arg(long)]
    pub no_history: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// A topic argument to delete: any name a list may hold ([`TopicName`]), so a topic made under
/// older rules can be deleted too; anything else is a usage error (exit 2), never sent.
fn parse_topic_name(s: &str) -> Result<TopicName, String> {
    TopicName::parse(s).map_err(|e| e.to_string())
}

/// A group ID argument to delete, as [`parse_topic_name`].
fn parse_group_id(s: &str) -> Result<GroupId, String> {
    GroupId::parse(s).map_err(|e| e.to_string())
}

/// Runs `onsdesk topics …`.
pub fn run_topics(args: &TopicsArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    match &args.command {
        TopicsCommand::List(a) => list(Kind::Topic, a, endpoint, region),
        TopicsCommand::Create(a) => create_topic(a, endpoint, region),
        TopicsCommand::Delete(a) => delete(
            &Doomed {
                instance_id: &a.instance_id,
                name: Named::Topic(&a.topic),
                confirm: &a.confirm,
                no_history: a.no_history,
                common: &a.common,
            },
            endpoint,
            region,
        ),
    }
}

/// Runs `onsdesk groups …`.
pub fn run_groups(args: &GroupsArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    match &args.command {
        GroupsCommand::List(a) => list(Kind::Group, a, endpoint, region),
        GroupsCommand::Create(a) => create_group(a, endpoint, region),
        GroupsCommand::Delete(a) => delete(
            &Doomed {
                instance_id: &a.instance_id,
                name: Named::Group(&a.group_id),
                confirm: &a.confirm,
                no_history: a.no_history,
                common: &a.common,
            },
            endpoint,
            region,
        ),
    }
}

/// Which of the two a command is about: the words and names that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Topic,
    Group,
}

impl Kind {
    /// "topic", "group".
    fn what(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Group => "group",
        }
    }

    /// The command family: "topics", "groups".
    fn family(self) -> &'static str {
        match self {
            Self::Topic => "topics",
            Self::Group => "groups",
        }
    }

    /// The name's field in `--json`: "Topic", "GroupId".
    fn field(self) -> &'static str {
        match self {
            Self::Topic => "Topic",
            Self::Group => "GroupId",
        }
    }
}

/// What a command was doing when the service refused it, for [`what_to_do`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Doing {
    List,
    Create,
    Delete,
}

/// What to do about a service refusal, beyond its Code and Message (which [`explain`] has
/// printed); `None` when the message says it all.
fn what_to_do(
    err: &ApiError,
    kind: Kind,
    doing: Doing,
    instance_id: &InstanceId,
    region: &RegionId,
    name: &str,
) -> Option<String> {
    let service = err.service()?;
    let (what, family) = (kind.what(), kind.family());
    Some(match (service.kind(), doing) {
        (ErrorKind::NotFound, Doing::Delete) => format!(
            "the {what} {name} or the instance {instance_id} is no longer there (deleted \
             elsewhere?): `onsdesk {family} list {instance_id}` shows what is left"
        ),
        (ErrorKind::NotFound, _) => format!(
            "there is no instance {instance_id} in {region}: check the InstanceId and --region \
             (`onsdesk instances list` shows the region's instances)"
        ),
        (ErrorKind::DuplicateName, _) => format!(
            "the name {name} is taken in {instance_id}, by a topic or a group (they share one \
             namespace; on an instance without a namespace, names are unique across the \
             account): choose another name"
        ),
        (ErrorKind::QuotaReached, _) => format!(
            "{instance_id} holds as many {family} as it may (1,000 groups): delete those it no \
             longer needs (`onsdesk {family} list {instance_id}`), or use another instance"
        ),
        (ErrorKind::NoPermission, _) => {
            let action = match (kind, doing) {
                (Kind::Topic, Doing::List) => "mq:QueryTopicList",
                (Kind::Group, Doing::List) => "mq:QueryGroupList",
                (Kind::Topic, Doing::Create) => "mq:CreateTopic",
                (Kind::Topic, Doing::Delete) => "mq:DeleteTopic",
                (Kind::Group, Doing::Create) => "mq:CreateGroup",
                (Kind::Group, Doing::Delete) => "mq:DeleteGroup",
            };
            format!(
                "this RAM user may not do that: ask an administrator to grant {action} (with \
                 mq:QueryInstanceBaseInfo)"
            )
        }
        (ErrorKind::Throttled, _) => "the service kept throttling this AccessKey and waiting \
                                      longer would pass --deadline: try again later"
            .to_owned(),
        _ => return None,
    })
}

/// Prints a failure on stderr, with what to do; returns its JSON form.
fn fail(
    err: &ApiError,
    what_failed: &str,
    kind: Kind,
    doing: Doing,
    target: (&InstanceId, &RegionId, &str),
) -> Value {
    let v = explain(err, what_failed);
    let (instance_id, region, name) = target;
    if let Some(advice) = what_to_do(err, kind, doing, instance_id, region, name) {
        say!("onsdesk: {}", Printable(&advice));
    }
    v
}

/// `-` for an empty value in a table.
fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

/// A topic as `--json` prints it.
fn topic_json(t: &TopicSummary) -> Value {
    json!({
        "Topic": t.topic,
        "MessageType": t.message_type.map(MessageType::code),
        "ServiceStatus": t.service_status.map(TopicStatus::code),
        "Remark": t.remark,
        "CreateTime": rfc3339(t.create_time),
        "InstanceId": t.instance_id,
    })
}

/// A group as `--json` prints it.
fn group_json(g: &GroupSummary) -> Value {
    json!({
        "GroupId": g.group_id,
        "GroupType": g.group_type.as_ref().map(GroupType::as_api_str),
        "Remark": g.remark,
        "CreateTime": rfc3339(g.create_time),
        "InstanceId": g.instance_id,
    })
}

fn topic_table(topics: &Listed<TopicSummary>) -> String {
    let rows: Vec<[String; 5]> = topics
        .iter()
        .map(|t| {
            [
                t.topic.to_string(),
                t.message_type
                    .map_or_else(|| "-".to_owned(), |m| m.english_name().into_owned()),
                t.service_status
                    .map_or_else(|| "-".to_owned(), |s| s.english_name().into_owned()),
                or_dash(&t.remark),
                local_time(t.create_time),
            ]
        })
        .collect();
    table(["TOPIC", "TYPE", "STATUS", "REMARK", "CREATED"], &rows)
}

fn group_table(groups: &Listed<GroupSummary>) -> String {
    let rows: Vec<[String; 4]> = groups
        .iter()
        .map(|g| {
            [
                g.group_id.to_string(),
                g.group_type
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |t| t.as_api_str().to_owned()),
                or_dash(&g.remark),
                local_time(g.create_time),
            ]
        })
        .collect();
    table(["GROUP ID", "TYPE", "REMARK", "CREATED"], &rows)
}

/// The two lists, whichever was asked for.
enum Entries {
    Topics(Listed<TopicSummary>),
    Groups(Listed<GroupSummary>),
}

fn list(kind: Kind, args: &ListHeldArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let client = match args.common.client(endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let region = client.target().region.clone();
    let reads = LookWords::reads_only();
    let listed = match block_on(async {
        let mut say = |step: &Step| say_step(step, &reads);
        let mut calls = Calls::new(&client, args.common.timing.policy(), &mut say);
        match kind {
            Kind::Topic => topics_groups::list_topics(&mut calls, id)
                .await
                .map(Entries::Topics),
            Kind::Group => topics_groups::list_groups(&mut calls, id)
                .await
                .map(Entries::Groups),
        }
    }) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let held = match listed {
        Ok(held) => held,
        Err(e) => {
            let what = format!("the {} list", kind.what());
            let error = fail(&e, &what, kind, Doing::List, (id, &region, ""));
            if args.common.json {
                print_json(&json!({ "error": error }));
            }
            return ExitCode::from(failure_code(&e));
        }
    };
    let place = format!("{id}");
    let (count, text, rows) = match &held {
        Entries::Topics(t) => {
            warn_left_out(t, "topics", &place);
            (t.len(), topic_table(t), t.iter().map(topic_json).collect())
        }
        Entries::Groups(g) => {
            warn_left_out(g, "groups", &place);
            (g.len(), group_table(g), g.iter().map(group_json).collect())
        }
    };
    if args.common.json {
        print_json(&Value::Array(rows));
    } else if count == 0 {
        print_line(format_args!("No {} in {id}.", kind.family()));
    } else {
        let _ = write!(output::stdout(), "{text}");
    }
    ExitCode::SUCCESS
}

/// What a create says while it settles a lost reply by looking.
fn create_words(kind: Kind, name: &str, instance_id: &InstanceId) -> LookWords {
    let what = kind.what();
    LookWords {
        looking: format!(
            "looking for the {what} {name} in {instance_id} before anything is sent again"
        ),
        not_in_effect: Some(format!(
            "the {what} {name} is not in {instance_id}: that attempt has not created it, so far"
        )),
        look_failed: format!("could not list the {what}s of {instance_id}"),
    }
}

/// Why a create was not sent, after the look at the instance's names.
enum CreateStopped {
    /// The name is held already.
    Taken(HeldBy),
    /// The names could not be read.
    LookFailed(ApiError),
}

/// Why a delete was not sent, after the look for what it deletes.
enum DeleteStopped {
    /// The instance does not list it.
    Absent,
    /// It could not be looked up.
    LookFailed(ApiError),
    /// The history could not record it.
    NotRecorded(RecordError),
}

/// Says why a create was not sent; returns the exit code.
fn not_sent(
    why: &CreateStopped,
    kind: Kind,
    instance_id: &InstanceId,
    region: &RegionId,
    name: &str,
    json_out: bool,
) -> ExitCode {
    match why {
        CreateStopped::Taken(holder) => {
            let by = match holder {
                HeldBy::Topic(t) => format!(
                    "a topic ({}, {})",
                    t.message_type
                        .map_or_else(|| "type unknown".into(), MessageType::english_name),
                    t.service_status
                        .map_or_else(|| "state unknown".into(), TopicStatus::english_name)
                ),
                HeldBy::Group(g) => format!(
                    "a group ({})",
                    g.group_type
                        .as_ref()
                        .map_or("type unknown", GroupType::as_api_str)
                ),
            };
            let shared = if matches!(
                (kind, holder),
                (Kind::Topic, HeldBy::Group(_)) | (Kind::Group, HeldBy::Topic(_))
            ) {
                " (topics and groups share one namespace)"
            } else {
                ""
            };
            refused(format_args!(
                "{name} already exists in {instance_id} as {}{shared}: nothing was sent",
                Printable(&by)
            ))
        }
        CreateStopped::LookFailed(e) => {
            let error = fail(
                e,
                "the look-up before the create",
                kind,
                Doing::List,
                (instance_id, region, name),
            );
            say!("onsdesk: nothing was created");
            if json_out {
                print_json(&json!({
                    "Outcome": "not_created",
                    "InstanceId": instance_id,
                    kind.field(): name,
                    "Region": region,
                    "Attempts": 0,
                    "error": error,
                }));
            }
            ExitCode::from(failure_code(e))
        }
    }
}

/// Looks that `name` is free in the instance's namespace before a create: `Err` says why the
/// create must not be sent.
async fn check_free(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    name: &str,
) -> Result<(), CreateStopped> {
    match topics_groups::name_in_use(calls, instance_id, name).await {
        Ok(NameUse::Free) => Ok(()),
        Ok(NameUse::Unsure { left_out }) => {
            say!(
                "onsdesk: warning: {left_out} entries listed in {instance_id} were left out (they \
                 failed their checks), so whether {name} is free cannot be told: sending the \
                 create, and the service decides"
            );
            Ok(())
        }
        Ok(NameUse::Taken(holder)) => Err(CreateStopped::Taken(holder)),
        Err(e) => Err(CreateStopped::LookFailed(e)),
    }
}

/// The outcome of a create as `--json` starts it, and the exit code; prints the failures.
fn add_outcome<S>(
    report: &Report<AddOutcome<S>>,
    kind: Kind,
    target: (&InstanceId, &RegionId, &str),
    recorder: Option<&ChangeRecorder>,
    v: &mut Value,
) -> u8 {
    let (instance_id, region, name) = target;
    v["Attempts"] = json!(report.attempts);
    v["HistoryId"] = history_id(recorder);
    if let Some(offset) = report.clock_offset {
        v["ClockOffsetSeconds"] = json!(offset.whole_seconds());
    }
    match &report.outcome {
        AddOutcome::Created { request_id } => {
            v["RequestId"] = json!(request_id);
            0
        }
        AddOutcome::Confirmed(_) => {
            let sent = match report.attempts {
                1 => "one create was sent".to_owned(),
                n => format!("{n} creates were sent; a name holds one {}", kind.what()),
            };
            say!(
                "onsdesk: the reply was lost, but {instance_id} lists the {} {name}: created \
                 ({sent})",
                kind.what()
            );
            v["RequestId"] = Value::Null;
            0
        }
        AddOutcome::NameTaken(_) => {
            v["error"] = output::held_by_another(&format!(
                "{instance_id} lists the {} {name}, of another type or made before this create",
                kind.what()
            ));
            EXIT_SERVICE_ERROR
        }
        AddOutcome::NotCreated(e) => {
            v["error"] = fail(e, "the create", kind, Doing::Create, target);
            say!("onsdesk: nothing was created");
            failure_code(e)
        }
        AddOutcome::Unknown(e) => {
            v["error"] = fail(e, "the create", kind, Doing::Create, target);
            if report.last_look_saw_nothing() {
                say!(
                    "onsdesk: the {what} may or may not have been created: {instance_id} does \
                     not list it, but a request whose reply was lost may still take effect; \
                     `onsdesk {family} list {instance_id}` checks again",
                    what = kind.what(),
                    family = kind.family()
                );
            } else {
                say!(
                    "onsdesk: the {what} may or may not have been created, and the {what}s of \
                     {instance_id} in {region} could not be listed to find out; `onsdesk \
                     {family} list {instance_id}` checks again",
                    what = kind.what(),
                    family = kind.family()
                );
            }
            say_unknown_recorded(recorder);
            EXIT_UNKNOWN
        }
    }
}

/// What a create ended with, besides its report.
enum Created<S> {
    NotSent(CreateStopped),
    /// The history could not record it, so it was not sent.
    NotRecorded(RecordError),
    /// With how a new topic was followed, and for how long at most (its `--timeout`, or what
    /// the deadline left).
    Sent(Report<AddOutcome<S>>, Option<Box<(Followed, Duration)>>),
}

/// What a change needs before anything is sent: the client, the name of its credentials for
/// the history (a profile name, `environment`; never a key), and the history itself unless
/// `--no-history` (one that cannot be opened refuses the change: exit 2).
struct Sender {
    client: Client,
    profile: String,
    recorder: Option<ChangeRecorder>,
}

impl Sender {
    fn open(
        common: &CommonArgs,
        no_history: bool,
        verb: &str,
        (endpoint, region): (Option<&str>, Option<&str>),
    ) -> Result<Self, ExitCode> {
        let connection = common.connection()?;
        let client = connection.client_for(endpoint, region)?;
        let recorder = ChangeRecorder::open(no_history, verb, common.timing.send_window())?;
        Ok(Self {
            client,
            profile: connection.resolved().source.to_string(),
            recorder,
        })
    }
}

/// The topic a create makes, as the history names it.
fn topic_created(action: &CreateTopic) -> Resource {
    Resource::Topic {
        instance_id: action.instance_id.clone(),
        topic: action.topic.clone(),
        message_type: Some(action.message_type),
    }
}

/// The group a create makes, as the history names it.
fn group_created(action: &CreateGroup) -> Resource {
    Resource::Group {
        instance_id: action.instance_id.clone(),
        group_id: action.group_id.clone(),
        group_type: Some(action.group_type.clone()),
    }
}

/// A change about to be sent through `client`, as its history entry records it.
fn new_change(
    verb: Verb,
    resource: Resource,
    remark: String,
    client: &Client,
    profile: String,
) -> NewChange {
    NewChange {
        verb,
        resource,
        remark,
        region: client.target().region.to_string(),
        endpoint: client.target().endpoint.to_string(),
        profile,
    }
}

/// Records `change` as pending, when there is a history: `Err` when it could not be, and
/// then the change must not be sent.
async fn record_pending(
    recorder: Option<&mut ChangeRecorder>,
    change: NewChange,
) -> Result<(), RecordError> {
    match recorder {
        Some(r) => r.pending(change).await.map(|_| ()),
        None => Ok(()),
    }
}

/// Records how a change ended, when there is a history (a failure is a warning).
async fn record_outcome(recorder: Option<&mut ChangeRecorder>, outcome: ChangeOutcome) {
    if let Some(r) = recorder {
        r.outcome(outcome).await;
    }
}

/// The history entry of a change, as `--json`'s `HistoryId` (null with `--no-history`).
fn history_id(recorder: Option<&ChangeRecorder>) -> Value {
    recorder
        .and_then(ChangeRecorder::entry)
        .map_or(Value::Null, |id| json!(id.to_string()))
}

/// For an unknown outcome: where the history keeps it, and what settles it.
fn say_unknown_recorded(recorder: Option<&ChangeRecorder>) {
    if let Some(id) = recorder.and_then(ChangeRecorder::entry) {
        say!(
            "onsdesk: it stays unknown in the history as {id}; `onsdesk history refresh` settles \
             it once it can be told (the list read, and no request of it still on its way)"
        );
    }
}

fn create_topic(args: &TopicCreateArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    if let Err(e) = validate_topic_name(&args.topic) {
        return refused(format_args!("topic name refused: {e}"));
    }
    let remark = args.remark.clone().unwrap_or_default();
    if let Err(e) = validate_topic_remark(&remark) {
        return refused(format_args!("remark refused: {e}"));
    }
    let Sender {
        client,
        profile,
        mut recorder,
    } = match Sender::open(&args.common, args.no_history, "create", (endpoint, region)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let name = args.topic.as_str();
    let region = client.target().region.clone();
    let timing = args.common.timing;
    let words = create_words(Kind::Topic, name, id);
    let action = CreateTopic {
        instance_id: id.clone(),
        topic: name.to_owned(),
        message_type: args.message_type,
        remark: remark.clone(),
    };
    let change = new_change(
        Verb::Create,
        topic_created(&action),
        remark.clone(),
        &client,
        profile,
    );
    let ended = match block_on(async {
        let mut say = |step: &Step| say_step(step, &words);
        let mut calls = Calls::new(&client, timing.policy(), &mut say);
        if let Err(why) = check_free(&mut calls, id, name).await {
            return Created::NotSent(why);
        }
        if let Err(e) = record_pending(recorder.as_mut(), change).await {
            return Created::NotRecorded(e);
        }
        let outcome = topics_groups::create_topic(&mut calls, action).await;
        // Recorded before the wait for "in service", which may take until --timeout.
        record_outcome(recorder.as_mut(), ChangeOutcome::of_add(&outcome)).await;
        let followed = if args.no_wait {
            None
        } else {
            let within = calls
                .remaining()
                .map_or(timing.timeout(), |left| left.min(timing.timeout()));
            follow_new(&mut calls, &outcome, id, name, within)
                .await
                .map(|followed| Box::new((followed, within)))
        };
        Created::Sent(calls.report(outcome), followed)
    }) {
        Ok(ended) => ended,
        Err(code) => return code,
    };
    let (report, followed) = match ended {
        Created::NotSent(why) => {
            return not_sent(&why, Kind::Topic, id, &region, name, args.common.json);
        }
        Created::NotRecorded(e) => return record::not_recorded("create", &e),
        Created::Sent(report, followed) => (report, followed),
    };
    let snippet = TopicSnippet {
        region: region.as_str(),
        instance_id: id.as_str(),
        topic: name,
        message_type: args.message_type,
        remark: &remark,
    };
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceId": id,
        "Topic": name,
        "MessageType": args.message_type.code(),
        "Remark": remark,
        "Region": region,
    });
    let target = (id, &region, name);
    let code = add_outcome(&report, Kind::Topic, target, recorder.as_ref(), &mut v);
    if report.outcome.is_done() {
        let known = match &report.outcome {
            AddOutcome::Confirmed(seen) => seen.service_status,
            _ => None,
        };
        v["ServiceStatus"] = json!(say_followed(name, id, followed.as_deref(), known));
        v["Terraform"] = json!(snippet.terraform());
        v["AliyunCli"] = json!(snippet.aliyun_cli());
        if !args.common.json {
            print_line(Printable(name));
        }
    }
    if args.common.json {
        print_json(&v);
    }
    ExitCode::from(code)
}

/// Follows a topic the create made (none when it made none).
async fn follow_new(
    calls: &mut Calls<'_>,
    outcome: &AddOutcome<TopicSummary>,
    instance_id: &InstanceId,
    topic: &str,
    within: Duration,
) -> Option<Followed> {
    let known = match outcome {
        AddOutcome::Created { .. } => None,
        AddOutcome::Confirmed(seen) => Some(seen.clone()),
        AddOutcome::NotCreated(_) | AddOutcome::NameTaken(_) | AddOutcome::Unknown(_) => {
            return None;
        }
    };
    Some(follow(calls, instance_id, topic, known, within).await)
}

/// Follows a new topic until it is in service (or `within`), saying each check on stderr.
async fn follow(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    topic: &str,
    known: Option<TopicSummary>,
    within: Duration,
) -> Followed {
    say!(
        "onsdesk: waiting up to {} for {topic} to be in service (--no-wait skips this)",
        seconds(within)
    );
    topics_groups::follow_topic(
        calls,
        instance_id,
        topic,
        known,
        within,
        |check: &TopicCheck| {
            if let (Some(TopicStatus::Creating), Some(next)) = (check.status, check.next_in) {
                say!(
                    "onsdesk: {topic} is still being created; checking again in {}",
                    seconds(next)
                );
            }
        },
    )
    .await
}

/// `1.5 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// Says how following a new topic ended; returns its `ServiceStatus` for `--json` (`None`
/// when it was not read: `--no-wait`, or no time left for a read).
fn say_followed(
    topic: &str,
    instance_id: &InstanceId,
    followed: Option<&(Followed, Duration)>,
    known: Option<TopicStatus>,
) -> Option<i64> {
    let check_later = format!("`onsdesk topics list {instance_id}` shows its state");
    let Some((followed, within)) = followed else {
        if known != Some(TopicStatus::InService) {
            say!(
                "onsdesk: {topic} was created; it is in service once its state says so \
                 ({check_later})"
            );
        }
        return known.map(TopicStatus::code);
    };
    match followed {
        Followed::InService(_) => {
            say!("onsdesk: {topic} is in service");
            Some(TopicStatus::InService.code())
        }
        Followed::StillCreating(last) => {
            say!(
                "onsdesk: {topic} exists but was still being created when the wait ended (after \
                 at most {}); clients can use it once it is in service ({check_later})",
                seconds(*within)
            );
            last.as_ref()
                .and_then(|t| t.service_status)
                .map(TopicStatus::code)
        }
        Followed::Unexpected(t) => {
            let state = t
                .service_status
                .map_or_else(|| "no state".into(), TopicStatus::english_name);
            say!(
                "onsdesk: {topic} exists and is listed with {}: not waiting for it \
                 ({check_later})",
                Printable(&state)
            );
            t.service_status.map(TopicStatus::code)
        }
        Followed::Gone => {
            say!(
                "onsdesk: warning: {topic} was created but is no longer listed in {instance_id} \
                 (deleted meanwhile?)"
            );
            None
        }
        Followed::CouldNotTell(e) => {
            say!(
                "onsdesk: warning: {topic} was created, but its state could not be read: {} \
                 ({check_later})",
                Printable(&e.to_string())
            );
            None
        }
    }
}

fn create_group(args: &GroupCreateArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    match validate_group_id(&args.group_id) {
        Err(e) => return refused(format_args!("group ID refused: {e}")),
        Ok(Some(advice)) => say!("onsdesk: warning: {advice}"),
        Ok(None) => {}
    }
    let remark = args.remark.clone().unwrap_or_default();
    if let Err(e) = validate_group_remark(&remark) {
        return refused(format_args!("remark refused: {e}"));
    }
    let Sender {
        client,
        profile,
        mut recorder,
    } = match Sender::open(&args.common, args.no_history, "create", (endpoint, region)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let name = args.group_id.as_str();
    let region = client.target().region.clone();
    let words = create_words(Kind::Group, name, id);
    let action = CreateGroup {
        instance_id: id.clone(),
        group_id: name.to_owned(),
        group_type: args.group_type.clone(),
        remark: remark.clone(),
    };
    let change = new_change(
        Verb::Create,
        group_created(&action),
        remark.clone(),
        &client,
        profile,
    );
    let ended = match block_on(async {
        let mut say = |step: &Step| say_step(step, &words);
        let mut calls = Calls::new(&client, args.common.timing.policy(), &mut say);
        if let Err(why) = check_free(&mut calls, id, name).await {
            return Created::NotSent(why);
        }
        if let Err(e) = record_pending(recorder.as_mut(), change).await {
            return Created::NotRecorded(e);
        }
        let outcome = topics_groups::create_group(&mut calls, action).await;
        record_outcome(recorder.as_mut(), ChangeOutcome::of_add(&outcome)).await;
        Created::Sent(calls.report(outcome), None)
    }) {
        Ok(ended) => ended,
        Err(code) => return code,
    };
    let report = match ended {
        Created::NotSent(why) => {
            return not_sent(&why, Kind::Group, id, &region, name, args.common.json);
        }
        Created::NotRecorded(e) => return record::not_recorded("create", &e),
        Created::Sent(report, _) => report,
    };
    let snippet = GroupSnippet {
        region: region.as_str(),
        instance_id: id.as_str(),
        group_id: name,
        group_type: &args.group_type,
        remark: &remark,
    };
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceId": id,
        "GroupId": name,
        "GroupType": args.group_type.as_api_str(),
        "Remark": remark,
        "Region": region,
    });
    let target = (id, &region, name);
    let code = add_outcome(&report, Kind::Group, target, recorder.as_ref(), &mut v);
    if report.outcome.is_done() {
        v["Terraform"] = json!(snippet.terraform());
        v["AliyunCli"] = json!(snippet.aliyun_cli());
        if !args.common.json {
            print_line(Printable(name));
        }
    }
    if args.common.json {
        print_json(&v);
    }
    ExitCode::from(code)
}

/// A topic's or a group's name, checked when the command line was read.
#[derive(Clone, Copy, Debug)]
enum Named<'a> {
    Topic(&'a TopicName),
    Group(&'a GroupId),
}

/// A topic or group to delete, as the command line gave it.
struct Doomed<'a> {
    instance_id: &'a InstanceId,
    name: Named<'a>,
    confirm: &'a str,
    no_history: bool,
    common: &'a CommonArgs,
}

fn delete(d: &Doomed<'_>, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let (kind, name) = match d.name {
        Named::Topic(t) => (Kind::Topic, t.as_str()),
        Named::Group(g) => (Kind::Group, g.as_str()),
    };
    let id = d.instance_id;
    let what = kind.what();
    if d.confirm != name {
        return refused(format_args!(
            "--confirm {:?} does not match the {what} {name}: nothing was deleted (type the \
             {what}'s name exactly, case included)",
            Printable(d.confirm).to_string()
        ));
    }
    let Sender {
        client,
        profile,
        mut recorder,
    } = match Sender::open(d.common, d.no_history, "delete", (endpoint, region)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let region = client.target().region.clone();
    let words = LookWords {
        looking: format!("looking for the {what} {name} in {id} before going on"),
        not_in_effect: None,
        look_failed: format!("could not list the {what}s of {id}"),
    };
    let result = block_on(async {
        let mut say = |step: &Step| say_step(step, &words);
        let mut calls = Calls::new(&client, d.common.timing.policy(), &mut say);
        // Look it up first (by its exact name): deleting what is not there sends nothing.
        let (resource, aimed_at) = match look_up(&mut calls, id, d.name).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err(DeleteStopped::Absent),
            Err(e) => return Err(DeleteStopped::LookFailed(e)),
        };
        let change = new_change(Verb::Delete, resource, String::new(), &client, profile);
        if let Err(e) = record_pending(recorder.as_mut(), change).await {
            return Err(DeleteStopped::NotRecorded(e));
        }
        let outcome = match d.name {
            Named::Topic(t) => {
                let action = DeleteTopic {
                    instance_id: id.clone(),
                    topic: t.clone(),
                };
                topics_groups::delete_topic(&mut calls, action, aimed_at).await
            }
            Named::Group(g) => {
                let action = DeleteGroup {
                    instance_id: id.clone(),
                    group_id: g.clone(),
                };
                topics_groups::delete_group(&mut calls, action, aimed_at).await
            }
        };
        record_outcome(recorder.as_mut(), ChangeOutcome::of_delete(&outcome)).await;
        Ok(calls.report(outcome))
    });
    let report = match result {
        Err(code) => return code,
        Ok(Ok(report)) => report,
        Ok(Err(DeleteStopped::Absent)) => {
            return refused(format_args!(
                "there is no {what} {name} in {id}: nothing was deleted (`onsdesk {} list {id}` \
                 shows what is there)",
                kind.family()
            ));
        }
        Ok(Err(DeleteStopped::LookFailed(e))) => {
            let error = fail(
                &e,
                "the look-up before the delete",
                kind,
                Doing::List,
                (id, &region, name),
            );
            say!("onsdesk: nothing was deleted");
            if d.common.json {
                print_json(&json!({
                    "Outcome": "not_deleted",
                    "InstanceId": id,
                    kind.field(): name,
                    "Region": region,
                    "Attempts": 0,
                    "error": error,
                }));
            }
            return ExitCode::from(failure_code(&e));
        }
        Ok(Err(DeleteStopped::NotRecorded(e))) => return record::not_recorded("delete", &e),
    };
    let code = say_deleted(d, kind, (id, &region, name), &report, recorder.as_ref());
    ExitCode::from(code)
}

/// The topic or group to delete, by its exact name, as the history records it (with its
/// listed type); `Ok(None)` when the instance does not list it.
async fn look_up(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    name: Named<'_>,
) -> Result<Option<(Resource, Option<time::OffsetDateTime>)>, ApiError> {
    Ok(match name {
        Named::Topic(t) => topics_groups::find_topic(calls, instance_id, t)
            .await?
            .map(|found| {
                let resource = Resource::Topic {
                    instance_id: instance_id.clone(),
                    topic: t.to_string(),
                    message_type: found.message_type,
                };
                (resource, found.create_time)
            }),
        Named::Group(g) => topics_groups::find_group(calls, instance_id, g)
            .await?
            .map(|found| {
                let resource = Resource::Group {
                    instance_id: instance_id.clone(),
                    group_id: g.to_string(),
                    group_type: found.group_type,
                };
                (resource, found.create_time)
            }),
    })
}

/// Reports a delete's outcome on stderr and stdout (or as `--json`); returns the exit code.
fn say_deleted(
    d: &Doomed<'_>,
    kind: Kind,
    target: (&InstanceId, &RegionId, &str),
    report: &Report<DeleteOutcome>,
    recorder: Option<&ChangeRecorder>,
) -> u8 {
    let (id, region, name) = target;
    let what = kind.what();
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceId": id,
        kind.field(): name,
        "Region": region,
        "Attempts": report.attempts,
        "HistoryId": history_id(recorder),
    });
    if let Some(offset) = report.clock_offset {
        v["ClockOffsetSeconds"] = json!(offset.whole_seconds());
    }
    let code = match &report.outcome {
        DeleteOutcome::Deleted { .. } | DeleteOutcome::Confirmed => {
            let request_id: Option<&RequestId> = match &report.outcome {
                DeleteOutcome::Deleted { request_id } => Some(request_id),
                _ => None,
            };
            if request_id.is_none() {
                let sent = output::deletes_sent(report.attempts);
                say!(
                    "onsdesk: the reply was lost, but {id} no longer lists the {what} {name}: \
                     deleted ({sent})"
                );
            }
            v["RequestId"] = json!(request_id);
            if !d.common.json {
                print_line(format_args!("{name}: deleted from {id}"));
            }
            0
        }
        DeleteOutcome::NotDeleted(e) => {
            v["error"] = fail(e, "the delete", kind, Doing::Delete, target);
            say!("onsdesk: nothing was deleted");
            failure_code(e)
        }
        DeleteOutcome::Unknown(e) => {
            v["error"] = fail(e, "the delete", kind, Doing::Delete, target);
            if report.last_look_saw_nothing() {
                say!(
                    "onsdesk: the {what} may or may not have been deleted: {id} still lists it, \
                     but a request whose reply was lost may still take effect; `onsdesk {} list \
                     {id}` checks again",
                    kind.family()
                );
            } else {
                say!(
                    "onsdesk: the {what} may or may not have been deleted, and the {what}s of \
                     {id} could not be listed to find out; `onsdesk {} list {id}` checks again",
                    kind.family()
                );
            }
            say_unknown_recorded(recorder);
            EXIT_UNKNOWN
        }
    };
    if d.common.json {
        print_json(&v);
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_what_to_do_by_kind_and_what_was_being_done() {
        let id = InstanceId::parse("MQ_INST_1_a").unwrap();
        let region = RegionId::known("cn-hangzhou").unwrap();
        let refusal = |code: &str| {
            ApiError::Service(crate::api::ServiceError {
                http_status: 400,
                code: code.to_owned(),
                message: "m".to_owned(),
                request_id: None,
                host_id: None,
                recommend: None,
            })
        };
        let say = |code: &str, kind, doing| {
            what_to_do(&refusal(code), kind, doing, &id, &region, "orders").unwrap_or_default()
        };
        assert!(
            say("Group.NumLimited", Kind::Group, Doing::Create)
                .contains("holds as many groups as it may")
        );
        assert!(
            say("BIZ_TOPIC_EXISTED", Kind::Topic, Doing::Create)
                .contains("the name orders is taken in MQ_INST_1_a")
        );
        assert!(
            say("INSTANCE_NOT_FOUND", Kind::Topic, Doing::List)
                .contains("there is no instance MQ_INST_1_a in cn-hangzhou")
        );
        assert!(
            say("BIZ_GROUP_NOT_FOUND", Kind::Group, Doing::Delete).contains("is no longer there")
        );
        assert!(say("Forbidden.RAM", Kind::Topic, Doing::Delete).contains("mq:DeleteTopic"));
        assert!(say("SomethingNew", Kind::Topic, Doing::Create).is_empty());
        assert_eq!(
            what_to_do(
                &ApiError::Setup(crate::api::SetupProblem::NoLook),
                Kind::Topic,
                Doing::Create,
                &id,
                &region,
                "x"
            ),
            None
        );
    }

    #[test]
    fn seconds_are_said_plainly() {
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
