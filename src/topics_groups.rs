//! Topics and groups, what makes an instance usable, with the safe create's care: listed,
//! looked up by their exact names, created and deleted through the one engine
//! ([`crate::operation`]), a new topic followed until it is in service, and the topics and
//! groups of many instances listed at once within the rate limit.
//!
//! - **Both list filters are fuzzy.** `OnsGroupList`'s `GroupId` filter is documented to match
//!   anywhere in an ID, `OnsTopicList`'s `Topic` filter is not documented at all: asked for
//!   `orders`, either may list `orders-v2`. So every "is it there" here asks with the name as
//!   the filter, then compares the exact name itself ([`find_topic`], [`find_group`]). A list
//!   with entries left out ([`Listed::left_out`]) and without the name proves nothing: the
//!   answer is then "cannot tell", never "not there".
//! - **Topics and groups share one namespace** in an instance (a group ID may not equal a topic
//!   name): [`name_in_use`] looks in both before a create.
//! - **A create is not idempotent** (no ClientToken). A create whose reply is lost, late, a
//!   5xx or `SignatureNonceUsed` is settled by looking for the exact name: there → created (one
//!   create sent); not there → sent again (bounded); the list cannot be read → unknown.
//! - **Nor is a delete**: after a lost reply, gone → deleted; still there → sent again; the
//!   list cannot be read → unknown.
//! - **A topic is created "creating"** (`ServiceStatus` 0) and turns "in service" (1) later:
//!   [`follow_topic`] reads it again, one paced read after another, the first after a second,
//!   until it is in service or the bound is reached.
//!
//! Every call goes through the command's [`Calls`], so all share its pacing (topic and group
//! calls count against one limit of 10 per second, [`crate::api::CallKind::Resource`]),
//! throttle waits, clock correction and deadline.

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use crate::api::actions::{
    CreateGroup, CreateTopic, DeleteGroup, DeleteTopic, ListGroups, ListTopics,
};
use crate::api::{Action, ApiError, Client, GroupSummary, Listed, TopicSummary};
use crate::ids::{InstanceId, RequestId};
use crate::instances::DeleteOutcome;
use crate::operation::{Calls, Look, Operation, Outcome, Step};
use crate::pacing::Policy;
use crate::resources::{GroupType, MessageType, TopicStatus};

/// How a topic or group create ended.
#[derive(Clone, Debug)]
pub enum AddOutcome<S> {
    /// The service said so (its RequestId).
    Created { request_id: RequestId },
    /// No usable reply, but the instance lists it by its exact name: created, with one
    /// create sent. Carries what the list said (a topic's state).
    Confirmed(S),
    /// The service refused, or the name was proved absent after every attempt. Carries the
    /// last error.
    NotCreated(ApiError),
    /// After an attempt that may have arrived (its error), the instance listed the name held
    /// by someone else's (of another type, or made before the attempt): not created, and not
    /// sent again.
    NameTaken(ApiError),
    /// It could not be found out: it may exist.
    Unknown(ApiError),
}

impl<S> AddOutcome<S> {
    /// The word scripts see in `--json` (`Outcome`).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Created { .. } | Self::Confirmed(_) => "created",
            Self::NotCreated(_) | Self::NameTaken(_) => "not_created",
            Self::Unknown(_) => "unknown",
        }
    }

    /// True when it exists.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Created { .. } | Self::Confirmed(_))
    }
}

impl<S> From<Outcome<RequestId, S>> for AddOutcome<S> {
    fn from(outcome: Outcome<RequestId, S>) -> Self {
        match outcome {
            Outcome::Done(request_id) => Self::Created { request_id },
            Outcome::Seen(found) => Self::Confirmed(found),
            Outcome::NotDone(e) => Self::NotCreated(e),
            Outcome::Taken(e) => Self::NameTaken(e),
            Outcome::Unknown(e) => Self::Unknown(e),
        }
    }
}

/// A kind of thing an instance holds and lists by name.
trait Held: Send + Sync + 'static {
    type Summary: Send + Sync + 'static;
    type List: Action<Output = Listed<Self::Summary>> + Send + Sync;
    /// The list it is read from.
    const LIST: crate::api::ListOf;

    /// The list action, with `name` as its (fuzzy) filter when given.
    fn list(instance_id: &InstanceId, name: Option<&str>) -> Self::List;

    /// The exact name of a listed one.
    fn name(summary: &Self::Summary) -> &str;

    /// What a create asks for beyond the name, which no later request can change: a topic's
    /// message type, a group's protocol.
    type Type: PartialEq + Send + Sync;

    /// A listed one's type, when the list said it.
    fn type_of(summary: &Self::Summary) -> Option<&Self::Type>;

    /// When a listed one was made, when the list said it.
    fn created(summary: &Self::Summary) -> Option<time::OffsetDateTime>;
}

#[derive(Debug)]
struct Topics;

impl Held for Topics {
    type Summary = TopicSummary;
    type List = ListTopics;
    const LIST: crate::api::ListOf = crate::api::ListOf::Topics;

    fn list(instance_id: &InstanceId, name: Option<&str>) -> ListTopics {
        ListTopics {
            instance_id: instance_id.clone(),
            topic: name.map(str::to_owned),
        }
    }

    fn name(summary: &TopicSummary) -> &str {
        &summary.topic
    }

    type Type = MessageType;

    fn type_of(summary: &TopicSummary) -> Option<&MessageType> {
        summary.message_type.as_ref()
    }

    fn created(summary: &TopicSummary) -> Option<time::OffsetDateTime> {
        summary.create_time
    }
}

#[derive(Debug)]
struct Groups;

impl Held for Groups {
    type Summary = GroupSummary;
    type List = ListGroups;
    const LIST: crate::api::ListOf = crate::api::ListOf::Groups;

    fn list(instance_id: &InstanceId, name: Option<&str>) -> ListGroups {
        ListGroups {
            instance_id: instance_id.clone(),
            group_id: name.map(str::to_owned),
        }
    }

    fn name(summary: &GroupSummary) -> &str {
        &summary.group_id
    }

    type Type = GroupType;

    fn type_of(summary: &GroupSummary) -> Option<&GroupType> {
        summary.group_type.as_ref()
    }

    fn created(summary: &GroupSummary) -> Option<time::OffsetDateTime> {
        summary.create_time
    }
}

/// The entry of exactly `name` in `listed`; `Ok(None)` only when the list is whole.
fn exact<K: Held>(listed: Listed<K::Summary>, name: &str) -> Result<Option<K::Summary>, ApiError> {
    let whole = listed.is_whole();
    match listed.into_iter().find(|s| K::name(s) == name) {
        Some(found) => Ok(Some(found)),
        None if whole => Ok(None),
        None => Err(ApiError::left_out(K::LIST)),
    }
}

async fn find<K: Held>(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    name: &str,
) -> Result<Option<K::Summary>, ApiError> {
    let listed = calls.read(&K::list(instance_id, Some(name))).await?;
    exact::<K>(listed, name)
}

/// An instance's topics (`OnsTopicList`, unfiltered).
pub async fn list_topics(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
) -> Result<Listed<TopicSummary>, ApiError> {
    calls.read(&Topics::list(instance_id, None)).await
}

/// An instance's groups (`OnsGroupList`, unfiltered).
pub async fn list_groups(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
) -> Result<Listed<GroupSummary>, ApiError> {
    calls.read(&Groups::list(instance_id, None)).await
}

/// The topic of exactly this name; `Ok(None)` when the instance has none. A list that left
/// entries out and does not hold it cannot tell: an error.
pub async fn find_topic(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    topic: &str,
) -> Result<Option<TopicSummary>, ApiError> {
    find::<Topics>(calls, instance_id, topic).await
}

/// The group of exactly this ID, as [`find_topic`].
pub async fn find_group(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    group_id: &str,
) -> Result<Option<GroupSummary>, ApiError> {
    find::<Groups>(calls, instance_id, group_id).await
}

/// Whether a name is free in an instance's namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameUse {
    /// Neither a topic nor a group: both lists are whole and hold no entry of this name.
    Free,
    /// A topic or a group has exactly this name.
    Taken(HeldBy),
    /// Not in either list, but one of them left entries out: whether it is free cannot be
    /// told (the service decides).
    Unsure { left_out: usize },
}

/// What holds a name in an instance's namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeldBy {
    Topic(TopicSummary),
    Group(GroupSummary),
}

/// Whether `name` is held by a topic or a group of the instance: topics and groups share one
/// namespace, so a create of either looks in both.
pub async fn name_in_use(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    name: &str,
) -> Result<NameUse, ApiError> {
    let topics = calls.read(&Topics::list(instance_id, Some(name))).await?;
    let mut left_out = topics.left_out;
    if let Some(t) = topics.into_iter().find(|t| t.topic == name) {
        return Ok(NameUse::Taken(HeldBy::Topic(t)));
    }
    let groups = calls.read(&Groups::list(instance_id, Some(name))).await?;
    left_out += groups.left_out;
    if let Some(g) = groups.into_iter().find(|g| g.group_id == name) {
        return Ok(NameUse::Taken(HeldBy::Group(g)));
    }
    Ok(if left_out == 0 {
        NameUse::Free
    } else {
        NameUse::Unsure { left_out }
    })
}

/// A create, for the engine: in effect when the instance lists exactly this name, of the type
/// asked for, made since the attempt began ([`crate::create::made_since`]). Listed otherwise,
/// the name is someone else's: taken, never claimed as this create's.
struct Add<K: Held, A> {
    action: A,
    instance_id: InstanceId,
    name: String,
    asked: K::Type,
    /// When the attempt began.
    started: Instant,
}

impl<K: Held, A: Action<Output = RequestId> + Sync> Operation for Add<K, A> {
    type Action = A;
    type Seen = K::Summary;
    const IDEMPOTENT: bool = false;

    fn action(&self) -> &A {
        &self.action
    }

    async fn look(&self, calls: &mut Calls<'_>) -> Look<K::Summary> {
        let listed = calls
            .read_once(&K::list(&self.instance_id, Some(&self.name)))
            .await;
        let whole = listed.as_ref().is_ok_and(Listed::is_whole);
        match listed.and_then(|l| exact::<K>(l, &self.name)) {
            Ok(Some(found)) => {
                let asked_type = K::type_of(&found).is_none_or(|t| *t == self.asked);
                let started = calls.service_time_of(self.started);
                if asked_type && crate::create::made_since(K::created(&found), started) {
                    Look::InEffect(found)
                } else if whole {
                    Look::Taken
                } else {
                    // a list that repeats names (or left others out) is not believed about
                    // whose this one is
                    Look::CouldNotTell(ApiError::left_out(K::LIST))
                }
            }
            Ok(None) => Look::NotInEffect,
            Err(e) => Look::CouldNotTell(e),
        }
    }

    fn found(seen: &K::Summary) -> Option<String> {
        Some(K::name(seen).to_owned())
    }
}

/// A delete, for the engine: in effect when the instance no longer lists exactly this name,
/// or lists one of the name made at another time than the one the delete was aimed at (made
/// again since: the one aimed at is gone, and the new one is not sent a delete).
struct Remove<K, A> {
    action: A,
    instance_id: InstanceId,
    name: String,
    /// When the one the delete is aimed at was made, as its look-up listed it.
    aimed_at: Option<time::OffsetDateTime>,
    kind: PhantomData<K>,
}

impl<K: Held, A: Action<Output = RequestId> + Sync> Operation for Remove<K, A> {
    type Action = A;
    type Seen = ();
    const IDEMPOTENT: bool = false;

    fn action(&self) -> &A {
        &self.action
    }

    async fn look(&self, calls: &mut Calls<'_>) -> Look<()> {
        let listed = calls
            .read_once(&K::list(&self.instance_id, Some(&self.name)))
            .await;
        let whole = listed.as_ref().is_ok_and(Listed::is_whole);
        let made = |t| crate::create::plausible_create_time(t);
        match listed.and_then(|l| exact::<K>(l, &self.name)) {
            Ok(Some(found)) => match (made(self.aimed_at), made(K::created(&found))) {
                (Some(aimed_at), Some(created)) if aimed_at != created => {
                    if whole {
                        Look::InEffect(())
                    } else {
                        // a list that repeats names may hold the one aimed at too
                        Look::CouldNotTell(ApiError::left_out(K::LIST))
                    }
                }
                _ => Look::NotInEffect,
            },
            Ok(None) => Look::InEffect(()),
            Err(e) => Look::CouldNotTell(e),
        }
    }
}

/// Creates a topic with the rules above, as one of `calls`' changes. The caller has validated
/// the name and remark, and looked that the name is free ([`name_in_use`]).
pub async fn create_topic(calls: &mut Calls<'_>, action: CreateTopic) -> AddOutcome<TopicSummary> {
    let op = Add::<Topics, _> {
        instance_id: action.instance_id.clone(),
        name: action.topic.clone(),
        asked: action.message_type,
        action,
        started: Instant::now(),
    };
    calls.change(&op).await.into()
}

/// Creates a group, as [`create_topic`].
pub async fn create_group(calls: &mut Calls<'_>, action: CreateGroup) -> AddOutcome<GroupSummary> {
    let op = Add::<Groups, _> {
        instance_id: action.instance_id.clone(),
        name: action.group_id.clone(),
        asked: action.group_type.clone(),
        action,
        started: Instant::now(),
    };
    calls.change(&op).await.into()
}

/// Deletes a topic with the rules above, as one of `calls`' changes. The caller has
/// confirmed it with the user and looked it up: `aimed_at` is when the topic it found was
/// made (its listed `CreateTime`), so that one made again since is not sent the delete.
pub async fn delete_topic(
    calls: &mut Calls<'_>,
    action: DeleteTopic,
    aimed_at: Option<time::OffsetDateTime>,
) -> DeleteOutcome {
    let op = Remove::<Topics, _> {
        instance_id: action.instance_id.clone(),
        name: action.topic.to_string(),
        action,
        aimed_at,
        kind: PhantomData,
    };
    calls.change(&op).await.into()
}

/// Deletes a group, as [`delete_topic`].
pub async fn delete_group(
    calls: &mut Calls<'_>,
    action: DeleteGroup,
    aimed_at: Option<time::OffsetDateTime>,
) -> DeleteOutcome {
    let op = Remove::<Groups, _> {
        instance_id: action.instance_id.clone(),
        name: action.group_id.to_string(),
        action,
        aimed_at,
        kind: PhantomData,
    };
    calls.change(&op).await.into()
}

/// When [`follow_topic`] first reads a new topic again: about a second after the create.
pub const FOLLOW_FIRST_CHECK: Duration = Duration::from_secs(1);
/// The time a check needs beyond its wait for [`follow_topic`] to plan it: one that would
/// start at the bound is not planned (nor said).
const FOLLOW_CHECK_ROOM: Duration = Duration::from_millis(100);
/// The longest gap between two of [`follow_topic`]'s reads (Terraform waits at least 3 s).
pub const FOLLOW_MAX_INTERVAL: Duration = Duration::from_secs(3);

/// One read of a new topic while it is followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicCheck {
    /// Its state as listed (`None`: the reply did not say).
    pub status: Option<TopicStatus>,
    /// When the next read comes; `None` when this was the last.
    pub next_in: Option<Duration>,
}

/// How following a new topic ended.
#[derive(Clone, Debug)]
pub enum Followed {
    /// In service: clients can use it.
    InService(TopicSummary),
    /// The bound came first: still being created at the last read (`None`: no time was left
    /// for a read). It exists; it will be in service later.
    StillCreating(Option<TopicSummary>),
    /// Listed in a state that is neither creating nor in service, or with none: not followed
    /// further.
    Unexpected(TopicSummary),
    /// No longer listed (deleted meanwhile).
    Gone,
    /// A read failed: its state is unknown (the topic itself exists).
    CouldNotTell(ApiError),
}

/// Follows the topic `topic` of `instance_id` until it is in service: reads it again (by its
/// exact name, through `calls`: paced, throttles waited out) after [`FOLLOW_FIRST_CHECK`], then
/// at growing intervals up to [`FOLLOW_MAX_INTERVAL`], never past `within` from now or the
/// deadline. `known` is its state if already known (a create settled by a look). `on_check`
/// sees every read.
pub async fn follow_topic(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    topic: &str,
    known: Option<TopicSummary>,
    within: Duration,
    mut on_check: impl FnMut(&TopicCheck) + Send,
) -> Followed {
    let until = Instant::now().checked_add(within);
    let mut last = match known {
        Some(t) => match t.service_status {
            Some(TopicStatus::InService) => return Followed::InService(t),
            Some(TopicStatus::Creating) => Some(t),
            _ => return Followed::Unexpected(t),
        },
        None => None,
    };
    let left = |calls: &Calls<'_>| {
        let to_bound = until.map(|u| u.saturating_duration_since(Instant::now()));
        match (to_bound, calls.remaining()) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => Duration::MAX,
        }
    };
    let mut interval = FOLLOW_FIRST_CHECK;
    loop {
        let pause = interval.min(left(calls));
        if pause.is_zero() || !calls.pause(pause).await {
            return Followed::StillCreating(last);
        }
        let found = match find::<Topics>(calls, instance_id, topic).await {
            Ok(Some(t)) => t,
            Ok(None) => return Followed::Gone,
            Err(e) => return Followed::CouldNotTell(e),
        };
        interval = (interval.saturating_mul(3) / 2).min(FOLLOW_MAX_INTERVAL);
        let creating = found.service_status == Some(TopicStatus::Creating);
        // A next check is said only when its wait ends before the bound: one that would end
        // at it (or past it) is not made.
        let next_fits = interval + FOLLOW_CHECK_ROOM < left(calls);
        on_check(&TopicCheck {
            status: found.service_status,
            next_in: (creating && next_fits).then_some(interval),
        });
        match found.service_status {
            Some(TopicStatus::InService) => return Followed::InService(found),
            Some(TopicStatus::Creating) => last = Some(found),
            _ => return Followed::Unexpected(found),
        }
    }
}

/// One instance's topics and groups, or why either could not be listed.
#[derive(Debug)]
pub struct InstanceHoldings {
    pub instance_id: InstanceId,
    pub topics: Result<Listed<TopicSummary>, ApiError>,
    pub groups: Result<Listed<GroupSummary>, ApiError>,
}

/// One list of one instance, for [`list_many`].
enum Listing {
    Topics(Result<Listed<TopicSummary>, ApiError>),
    Groups(Result<Listed<GroupSummary>, ApiError>),
}

/// Lists the topics and the groups of each instance (all in `client`'s region) concurrently:
/// every list starts as soon as the rate limit allows
/// ([`Policy::resource_calls_per_second`], shared by every topic and group call of this
/// AccessKey in the process), each within `policy`'s deadline from now. `on_step` sees each
/// instance's steps (throttles, retries) as they happen. The results come back in
/// `instance_ids`' order.
pub async fn list_many(
    client: &Client,
    instance_ids: Vec<InstanceId>,
    policy: Policy,
    on_step: impl Fn(&InstanceId, &Step) + Clone + Send + Sync + 'static,
) -> Vec<InstanceHoldings> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in instance_ids.iter().enumerate() {
        for topics in [true, false] {
            let client = client.clone();
            let id = id.clone();
            let on_step = on_step.clone();
            tasks.spawn(async move {
                let mut say = |step: &Step| on_step(&id, step);
                let mut calls = Calls::new(&client, policy, &mut say);
                let listing = if topics {
                    Listing::Topics(list_topics(&mut calls, &id).await)
                } else {
                    Listing::Groups(list_groups(&mut calls, &id).await)
                };
                (i, listing)
            });
        }
    }
    let stopped = || ApiError::Setup(crate::api::SetupProblem::ListingStopped);
    let mut results: Vec<InstanceHoldings> = instance_ids
        .into_iter()
        .map(|instance_id| InstanceHoldings {
            instance_id,
            topics: Err(stopped()),
            groups: Err(stopped()),
        })
        .collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, listing)) = joined
            && let Some(slot) = results.get_mut(i)
        {
            match listing {
                Listing::Topics(r) => slot.topics = r,
                Listing::Groups(r) => slot.groups = r,
            }
        }
    }
    results
}

/// How long the rate limit alone makes [`list_many`] take for `instances` instances at
/// `per_second` topic and group calls a second, when each reply takes `reply`: two lists per
/// instance (the bench's yardstick).
pub fn list_many_floor(instances: usize, per_second: usize, reply: Duration) -> Duration {
    crate::instances::rate_limit_floor(instances.saturating_mul(2), per_second, reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{GroupId, TopicName};

    fn topic(name: &str) -> TopicSummary {
        TopicSummary {
            topic: TopicName::parse(name).unwrap(),
            message_type: None,
            service_status: Some(TopicStatus::InService),
            remark: String::new(),
            create_time: None,
            instance_id: InstanceId::parse("MQ_INST_1").unwrap(),
        }
    }

    #[test]
    fn only_the_exact_name_is_found_and_a_partial_list_proves_no_absence() {
        let listed = Listed {
            items: vec![topic("orders-v2"), topic("old-orders"), topic("ORDERS")],
            left_out: 0,
        };
        assert_eq!(exact::<Topics>(listed.clone(), "orders").unwrap(), None);
        let found = exact::<Topics>(
            Listed {
                items: vec![topic("orders-v2"), topic("orders")],
                left_out: 0,
            },
            "orders",
        )
        .unwrap();
        assert_eq!(
            found.map(|t| t.topic.to_string()).as_deref(),
            Some("orders")
        );
        let partial = Listed {
            left_out: 1,
            ..listed
        };
        let err = exact::<Topics>(partial, "orders").unwrap_err();
        assert!(err.to_string().contains("topic list had entries"), "{err}");
    }

    #[test]
    fn a_group_is_found_by_its_exact_id() {
        let g = |id: &str| GroupSummary {
            group_id: GroupId::parse(id).unwrap(),
            group_type: None,
            remark: String::new(),
            create_time: None,
            instance_id: InstanceId::parse("MQ_INST_1").unwrap(),
        };
        let listed = Listed {
            items: vec![g("GID_orders-v2"), g("xGID_ordersy")],
            left_out: 0,
        };
        assert_eq!(exact::<Groups>(listed, "GID_orders").unwrap(), None);
    }

    #[test]
    fn outcomes_have_their_labels() {
        let created: AddOutcome<()> = Outcome::Done(RequestId::parse("R-1").unwrap()).into();
        assert_eq!(created.label(), "created");
        assert!(created.is_done());
        let seen: AddOutcome<()> = Outcome::Seen(()).into();
        assert_eq!(seen.label(), "created");
        let refused: AddOutcome<()> =
            Outcome::NotDone(ApiError::Setup(crate::api::SetupProblem::NoLook)).into();
        assert_eq!(refused.label(), "not_created");
        assert!(!refused.is_done());
        let unknown: AddOutcome<()> =
            Outcome::Unknown(ApiError::Setup(crate::api::SetupProblem::NoLook)).into();
        assert_eq!(unknown.label(), "unknown");
    }

    #[test]
    fn the_floor_counts_two_lists_per_instance() {
        let reply = Duration::from_millis(100);
        assert_eq!(
            list_many_floor(20, 10, reply),
            Duration::from_secs(3) + reply
        );
        assert_eq!(list_many_floor(5, 10, reply), reply);
    }
}
