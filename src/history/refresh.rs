//! "Refresh status": compare the history with what `OnsInstanceInServiceList` lists, and, for
//! topic and group entries, what their instance's `OnsTopicList` or `OnsGroupList` lists.
//!
//! Three steps, so the window never holds the store across the network:
//! 1. [`History::cloud_scopes`] (cheap, in memory): which (profile, region, endpoint) to ask,
//!    and in each which instances' topics and groups;
//! 2. [`list_scopes`] (async, network): one `OnsInstanceInServiceList` per scope, then one
//!    unfiltered topic or group list per instance its entries are on (none for an instance
//!    that the whole instance list leaves out: its topics and groups are gone with it);
//! 3. [`History::apply_listings`] (blocking, one flushed append): mark entries in service or
//!    not found, adopt pending or unknown entries whose exact name is listed, and settle
//!    pending or unknown topic and group creates and deletes by their exact name.
//!
//! Both topic and group list filters are fuzzy, so the lists are asked for whole and the exact
//! name is compared here; a list with entries left out proves what it lists, never an absence.
//!
//! A scope includes the credential profile because an instance is visible only to its own
//! account: an entry is never marked "not found" by asking with another profile's key.
//!
//! A history entry names the endpoint it was made through, and the history file is plain text:
//! a refresh sends the current credentials (STS token included) only to the known region
//! endpoints, and to loopback only the sandbox's demo key, unless the caller says otherwise
//! ([`CustomEndpoints`]); the CLI asks for `--include-custom-endpoints`, the window asks the
//! user. Loopback is whatever process listens there, so a real key needs the same
//! confirmation there as on a custom endpoint.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use super::entry::{CloudCheck, CloudState, Entry, EntryId, EntryOutcome, Status, now_local};
use super::format::Record;
use super::subject::{EntryKind, Subject, Verb};
use super::{History, HistoryError};
use crate::api::actions::ListInstances;
use crate::api::{ApiError, Client, InstanceSummary, Target};
use crate::credentials::CredentialSource;
use crate::ids::InstanceId;
use crate::operation::{Calls, Step};
use crate::pacing::Policy;
use crate::profiles::ResolveError;
use crate::region::{Endpoint, EndpointError, RegionId};
use crate::resources::{GroupType, MessageType};
use crate::topics_groups;

/// Whether a refresh may send credentials to custom endpoints: those that are not a known
/// region endpoint, loopback included unless the key is the sandbox's demo key
/// ([`sent_unasked`]). There is no default: the caller decides (the CLI by
/// `--include-custom-endpoints`, the window by asking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomEndpoints {
    /// Custom endpoints are not asked; their scopes are reported as not checked.
    Skip,
    /// Every scope is asked, custom endpoints too.
    Include,
}

/// True when the key `access_key_id` goes to `endpoint` without asking: any key to a known
/// region endpoint (public or VPC, see [`Endpoint::is_known_region_endpoint`]), and only the
/// sandbox's demo key to loopback. Loopback is whatever process listens there, not
/// necessarily the sandbox: a real key goes there only when the caller says so.
pub fn sent_unasked(endpoint: &str, access_key_id: &str) -> bool {
    Endpoint::parse(endpoint).is_ok_and(|e| {
        e.is_known_region_endpoint()
            || (e.is_loopback() && access_key_id == crate::sandbox::DEMO_ACCESS_KEY_ID)
    })
}

/// Where a set of entries was created: who asked, in which region, through which endpoint;
/// and which instances' topics and groups those entries are about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CloudScope {
    /// The credential source as the entries recorded it (its `Display`).
    pub profile: String,
    pub region: String,
    pub endpoint: String,
    /// The instances whose topics this scope's topic entries are about.
    pub topics_on: BTreeSet<InstanceId>,
    /// The instances whose groups this scope's group entries are about.
    pub groups_on: BTreeSet<InstanceId>,
    /// The history as it was when the scopes were taken, before anything was listed: an entry
    /// added or settled since (another process's create settling its own entry while this
    /// refresh listed) is not judged by lists that may predate it.
    pub as_of: u64,
}

impl CloudScope {
    /// The credentials the entries were made with.
    #[must_use]
    pub fn source(&self) -> CredentialSource {
        CredentialSource::from_recorded(&self.profile)
    }

    /// Where to ask about this scope. The history file is text anyone with access can edit:
    /// its endpoint must parse, and its region must be one ONS serves (any region ID's shape
    /// through a custom endpoint), before anything is sent.
    pub fn target(&self) -> Result<Target, ScopeFailure> {
        let endpoint =
            Endpoint::parse(&self.endpoint).map_err(|e| ScopeFailure::Endpoint(Arc::new(e)))?;
        let region = RegionId::parse(&self.region, !endpoint.is_known_region_endpoint())
            .map_err(|e| ScopeFailure::Endpoint(Arc::new(EndpointError::BadRegion(e))))?;
        Ok(Target { endpoint, region })
    }
}
/// Why a scope was not listed. The front ends put it into words (the window in its language
/// module, the command line in `onsdesk history refresh`).
#[derive(Clone, Debug)]
pub enum ScopeFailure {
    /// A custom endpoint (not a known region endpoint, nor loopback with the demo key) under
    /// [`CustomEndpoints::Skip`]: not asked, so the credentials were not sent there.
    CustomEndpointSkipped,
    /// The endpoint the entries recorded is not usable.
    Endpoint(Arc<EndpointError>),
    /// The entries were made with other credentials than the ones at hand: another account
    /// cannot see their instances.
    OtherCredentials {
        recorded: CredentialSource,
        current: CredentialSource,
    },
    /// No credentials could be found to ask with.
    NoCredentials(Arc<ResolveError>),
    /// The listing call failed.
    Api(ApiError),
    /// One instance's topic or group list could not be had, or left entries out while an
    /// entry's name was not in it: the entries it could not settle are unchanged.
    Held {
        kind: EntryKind,
        instance_id: InstanceId,
        error: ApiError,
    },
    /// The refresh's deadline passed before the scope, or every topic and group list in it,
    /// was asked: what was not asked is unchanged.
    OutOfTime,
}

/// One scope's listing, or why it could not be had.
#[derive(Clone, Debug)]
pub struct ScopeListing {
    pub scope: CloudScope,
    pub result: Result<Vec<InstanceSummary>, ScopeFailure>,
    /// The topic and group lists of the instances in [`CloudScope::topics_on`] and
    /// [`CloudScope::groups_on`] that were asked (those the instance list holds).
    pub held: Vec<HeldListing>,
    /// The deadline passed before every one of those lists was asked.
    pub held_out_of_time: bool,
}

/// One instance's topics or groups, by their exact names, from an unfiltered list; or why
/// there is no such list.
#[derive(Clone, Debug)]
pub struct HeldListing {
    /// [`EntryKind::Topic`] or [`EntryKind::Group`].
    pub kind: EntryKind,
    pub instance_id: InstanceId,
    pub result: Result<HeldNames, ApiError>,
}

/// The exact names an instance's topic or group list holds, with what it said of each, and how
/// many entries it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldNames {
    /// Each name listed, and what the list said of it beyond its name.
    pub facts: HashMap<String, HeldFacts>,
    /// Entries the reply listed that failed their checks ([`crate::api::Listed::left_out`]):
    /// when there are any, a name missing from `facts` may still be there, so the list proves
    /// what is there but not what is not.
    pub left_out: usize,
}

/// What a topic or group list says of one entry besides its name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldFacts {
    /// Its `CreateTime`.
    pub created: Option<time::OffsetDateTime>,
    /// A topic's message type.
    pub message_type: Option<MessageType>,
    /// A group's protocol.
    pub group_type: Option<GroupType>,
}

impl HeldFacts {
    /// Whether what is listed may be what the create `entry` made: of the type it asked for,
    /// and not made long before it ([`crate::create::made_since`]). Unsaid facts do not rule
    /// it out.
    fn may_be_made_by(&self, entry: &Entry) -> bool {
        let other_type = match &entry.subject {
            Subject::Topic(t) => matches!(
                (t.message_type, self.message_type),
                (Some(a), Some(b)) if a != b
            ),
            Subject::Group(g) => matches!(
                (&g.group_type, &self.group_type),
                (Some(a), Some(b)) if a != b
            ),
            Subject::Instance => false,
        };
        !other_type && crate::create::made_since(self.created, entry.at)
    }
}

impl HeldNames {
    /// A list that left nothing out, of these names and nothing more of them.
    pub fn whole(names: HashSet<String>) -> Self {
        Self {
            facts: names
                .into_iter()
                .map(|name| (name, HeldFacts::default()))
                .collect(),
            left_out: 0,
        }
    }

    /// An instance's topic list, as it came.
    pub fn of_topics(listed: crate::api::Listed<crate::api::TopicSummary>) -> Self {
        Self::of(listed, |t| {
            let facts = HeldFacts {
                created: t.create_time,
                message_type: t.message_type,
                group_type: None,
            };
            (t.topic.to_string(), facts)
        })
    }

    /// An instance's group list, as it came.
    pub fn of_groups(listed: crate::api::Listed<crate::api::GroupSummary>) -> Self {
        Self::of(listed, |g| {
            let facts = HeldFacts {
                created: g.create_time,
                message_type: None,
                group_type: g.group_type,
            };
            (g.group_id.to_string(), facts)
        })
    }

    /// A list, each entry's name and facts taken by `named`.
    fn of<T>(listed: crate::api::Listed<T>, named: impl FnMut(T) -> (String, HeldFacts)) -> Self {
        Self {
            facts: listed.items.into_iter().map(named).collect(),
            left_out: listed.left_out,
        }
    }

    /// Whether the list shows `name` as someone else's to the create `entry`: listed with
    /// another type, or made long before the attempt.
    fn someone_elses(&self, entry: &Entry) -> bool {
        self.facts
            .get(&entry.name)
            .is_some_and(|f| !f.may_be_made_by(entry))
    }

    /// Whether what is listed under the delete `entry`'s name may have been made since the
    /// delete was recorded (or within the clocks' tolerance of it): made again, it is not the
    /// one the delete was aimed at, and its being listed says nothing of the delete.
    fn made_again_since(&self, entry: &Entry) -> bool {
        self.facts.get(&entry.name).is_some_and(|f| {
            crate::create::plausible_create_time(f.created).is_some()
                && crate::create::made_since(f.created, entry.at)
        })
    }

    /// Whether the list says `name` is there: `Some(true)` listed, `Some(false)` proved
    /// absent (a whole list without it), `None` cannot tell (a list with entries left out).
    fn lists(&self, name: &str) -> Option<bool> {
        if self.facts.contains_key(name) {
            Some(true)
        } else if self.left_out == 0 {
            Some(false)
        } else {
            None
        }
    }
}

impl ScopeListing {
    /// Not asked because its endpoint would need the user's confirmation
    /// ([`CustomEndpoints::Skip`]).
    pub fn skipped_custom_endpoint(&self) -> bool {
        matches!(self.result, Err(ScopeFailure::CustomEndpointSkipped))
    }
}

/// An entry whose instance was found by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adoption {
    pub id: EntryId,
    pub name: String,
    pub instance_id: String,
}

/// A pending or unknown topic or group create or delete that a refresh settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    pub id: EntryId,
    pub kind: EntryKind,
    pub verb: Verb,
    /// The topic or the GroupId.
    pub name: String,
    pub instance_id: InstanceId,
    /// Adopted or not created; deleted or not deleted.
    pub outcome: EntryOutcome,
}

/// What a refresh did.
#[derive(Clone, Debug, Default)]
pub struct RefreshSummary {
    /// Entries whose instance (or topic, or group) is listed.
    pub in_service: usize,
    /// Entries whose instance (or topic, or group; for unresolved instance creates, whose
    /// name) is not listed.
    pub not_found: usize,
    /// Pending or unknown instance creates whose instance was found by exact name.
    pub adopted: Vec<Adoption>,
    /// Pending or unknown instance creates whose name the region's whole list does not hold,
    /// once none of their requests can land any more ([`settle_after`]): settled as not
    /// created. The entry and the instance name.
    pub instances_not_created: Vec<(EntryId, String)>,
    /// Pending or unknown topic and group creates and deletes, settled by their exact name.
    pub settled: Vec<Settled>,
    /// Scopes (or one instance's topics or groups) that could not be listed, with the
    /// reason; their entries are unchanged.
    pub failed: Vec<(CloudScope, ScopeFailure)>,
    /// Pending or unknown topic and group changes that the lists say are not in effect, left
    /// unsettled because they may still take effect ([`settle_after`]).
    pub recent: Vec<Recent>,
    /// Pending or unknown changes left as they were for good reason: what is listed under
    /// their name cannot be told to be their doing.
    pub left: Vec<Left>,
}

impl RefreshSummary {
    /// When the latest of the [`RefreshSummary::recent`] changes can be settled by a refresh.
    pub fn recent_settle_after(&self) -> Option<time::OffsetDateTime> {
        self.recent.iter().map(|r| r.settle_after).max()
    }
}

/// A pending or unknown change a refresh names without settling it: which entry, and what it
/// was of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsettled {
    pub id: EntryId,
    pub kind: EntryKind,
    pub verb: Verb,
    /// The instance's name, the topic or the GroupId.
    pub name: String,
    /// The instance a topic or group is on; `None` for an instance's create.
    pub instance_id: Option<InstanceId>,
}

impl Unsettled {
    fn of(entry: &Entry) -> Self {
        Self {
            id: entry.id,
            kind: entry.subject.kind(),
            verb: entry.subject.verb(),
            name: entry.name.clone(),
            instance_id: entry.subject.parent().cloned(),
        }
    }
}

/// A pending or unknown create or delete that a refresh did not settle, though the list it
/// was judged by says it is not in effect: it may still be on its way (in another onsdesk
/// process, say, or a request still in the network): see [`settle_after`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recent {
    pub change: Unsettled,
    /// From when a refresh settles it, in the entry's own time zone.
    pub settle_after: time::OffsetDateTime,
}

impl Recent {
    fn of(entry: &Entry) -> Self {
        Self {
            change: Unsettled::of(entry),
            settle_after: settle_after(entry),
        }
    }
}

/// A pending or unknown change a refresh left as it was, though its name is listed: whether
/// it made (or undid) what is listed cannot be told, so it is never claimed either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Left {
    pub change: Unsettled,
    pub why: LeftWhy,
}

/// Why a refresh left a change as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftWhy {
    /// A create whose name is listed with another type, or made long before the create:
    /// someone else's (unless the local clock was far off when it was sent).
    SomeoneElses,
    /// A delete whose name is listed, made since the one the delete was aimed at: that one is
    /// gone, but whether this delete removed it cannot be told.
    MadeAgain,
    /// Another create (or delete) of the name in the history may be the one that did it.
    AnotherAttempt,
}

impl LeftWhy {
    /// The word scripts see in `--json` (`Reason`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SomeoneElses => "someone_elses",
            Self::MadeAgain => "made_again",
            Self::AnotherAttempt => "another_attempt",
        }
    }
}

impl Left {
    fn of(entry: &Entry, why: LeftWhy) -> Self {
        Self {
            change: Unsettled::of(entry),
            why,
        }
    }

    /// A topic or group change; `someone_elses`: what is listed under its name is someone
    /// else's (a create) or made again since (a delete), else another change's.
    fn held(entry: &Entry, someone_elses: bool) -> Self {
        let why = match (someone_elses, entry.subject.verb()) {
            (true, Verb::Create) => LeftWhy::SomeoneElses,
            (true, Verb::Delete) => LeftWhy::MadeAgain,
            (false, _) => LeftWhy::AnotherAttempt,
        };
        Self::of(entry, why)
    }
}

/// How long after it was sent a request may still take effect: the gateway takes a signed
/// request until 15 minutes past its timestamp, and the sender's clock may itself be up to
/// 15 minutes ahead of the service's (onsdesk corrects its clock only once refused for it):
/// 30 minutes, and 5 of margin.
pub const LANDS_WITHIN: time::Duration = time::Duration::minutes(35);

/// From when a refresh may settle `entry` as not in effect ("not created", "not deleted")
/// from a list that does not show it in effect: [`LANDS_WITHIN`] after the last moment the
/// process that recorded it may have sent it ([`Entry::sends_until`]: it records a change
/// before sending it, and may send it again until its deadline), rounded up to the minute.
/// Before that the change may still be on its way. What a list shows in effect (adopted,
/// deleted) is settled at once.
pub fn settle_after(entry: &Entry) -> time::OffsetDateTime {
    let default_window =
        time::Duration::try_from(super::DEFAULT_SEND_WINDOW).unwrap_or(time::Duration::ZERO);
    let last_send = entry
        .sends_until
        .unwrap_or_else(|| entry.at.saturating_add(default_window))
        .max(entry.at);
    let after = last_send.saturating_add(LANDS_WITHIN);
    let whole_minute = after
        .replace_second(0)
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(after);
    if whole_minute == after {
        after
    } else {
        whole_minute.saturating_add(time::Duration::MINUTE)
    }
}

impl RefreshSummary {
    /// Counts what the cloud said of entry `id`, and records it to be written.
    fn count_check(
        &mut self,
        records: &mut Vec<Record>,
        id: EntryId,
        state: CloudState,
        checked_at: time::OffsetDateTime,
    ) {
        match state {
            CloudState::InService => self.in_service += 1,
            CloudState::NotFound => self.not_found += 1,
        }
        records.push(Record::Cloud {
            id,
            cloud: CloudCheck { state, checked_at },
        });
    }
}

/// Why an unresolved create is now known not to be in effect.
const NOT_LISTED: &str = "not listed by its instance when the history was refreshed";
/// Why an unresolved delete is now known not to be in effect.
const STILL_LISTED: &str = "still listed by its instance when the history was refreshed";

impl History {
    /// The distinct scopes of the entries shown (not removed), optionally one region only,
    /// each with the instances its topic and group entries are on.
    pub fn cloud_scopes(&self, region: Option<&str>) -> Vec<CloudScope> {
        type Key<'a> = (&'a str, &'a str, &'a str);
        let as_of = super::state::changes();
        let mut scopes: BTreeMap<Key<'_>, (BTreeSet<InstanceId>, BTreeSet<InstanceId>)> =
            BTreeMap::new();
        for e in self.entries() {
            if region.is_some_and(|r| e.region != r) {
                continue;
            }
            let key = (e.profile.as_str(), e.region.as_str(), e.endpoint.as_str());
            let (topics, groups) = scopes.entry(key).or_default();
            match (e.subject.kind(), e.subject.parent()) {
                (EntryKind::Topic, Some(on)) => {
                    topics.insert(on.clone());
                }
                (EntryKind::Group, Some(on)) => {
                    groups.insert(on.clone());
                }
                _ => {}
            }
        }
        scopes
            .into_iter()
            .map(
                |((profile, region, endpoint), (topics_on, groups_on))| CloudScope {
                    profile: profile.to_owned(),
                    region: region.to_owned(),
                    endpoint: endpoint.to_owned(),
                    topics_on,
                    groups_on,
                    as_of,
                },
            )
            .collect()
    }

    /// Marks each entry of a listed scope in service or not found, and adopts unresolved
    /// entries (pending, unknown) whose exact name is listed — the newest such entry per
    /// instance, and only if no other entry already holds that InstanceId. Refused and
    /// not-created entries are left as they are. Topic and group entries are settled from
    /// their instance's list (`settle_held`). Writes everything in one flushed
    /// append. Blocks.
    ///
    /// It decides under the history's lock, from the history as it is then, and judges only
    /// the entries that were there, unchanged, when the scopes were taken
    /// ([`CloudScope::as_of`]): what another process recorded while this refresh listed is
    /// left as that process recorded it.
    pub fn apply_listings(
        &mut self,
        listings: &[ScopeListing],
    ) -> Result<RefreshSummary, HistoryError> {
        self.append_decided(|history| history.decide_listings(listings))
    }

    /// When each instance create in `scope`'s profile and region (any endpoint: the public
    /// and the VPC one reach the same instances) that may have made what is listed under its
    /// name, and was not credited with an instance of its own, was recorded, by name:
    /// unsettled ones (another process may be running one) and adopted ones, from the whole
    /// history as it is now.
    fn uncredited_instance_creates(
        &self,
        scope: &CloudScope,
    ) -> HashMap<&str, Vec<time::OffsetDateTime>> {
        let mut uncredited: HashMap<&str, Vec<time::OffsetDateTime>> = HashMap::new();
        for slot in self.state.slots.iter().filter(|s| s.removed_at.is_none()) {
            let e = &*slot.entry;
            if e.subject.is_instance()
                && e.profile == scope.profile
                && e.region == scope.region
                && matches!(
                    e.outcome(),
                    EntryOutcome::Pending | EntryOutcome::Unknown | EntryOutcome::Adopted
                )
            {
                uncredited.entry(e.name.as_str()).or_default().push(e.at);
            }
        }
        uncredited
    }

    /// The entries shown whose status has not changed since `as_of` ([`CloudScope::as_of`]).
    fn unchanged_since(&self, as_of: u64) -> impl Iterator<Item = &Entry> {
        self.state
            .slots
            .iter()
            .filter(move |s| s.removed_at.is_none() && s.changed <= as_of)
            .map(|s| &*s.entry)
    }

    /// Every InstanceId an entry holds (created or adopted), removed entries included.
    fn held_instance_ids(&self) -> HashSet<String> {
        self.state
            .slots
            .iter()
            .filter_map(|s| s.entry.instance_id().map(str::to_owned))
            .collect()
    }

    fn decide_listings(&self, listings: &[ScopeListing]) -> (Vec<Record>, RefreshSummary) {
        let now = now_local();
        let mut summary = RefreshSummary::default();
        let mut held = self.held_instance_ids();
        let mut records = Vec::new();
        let makers = Makers::of(self);
        for listing in listings {
            let instances = match &listing.result {
                Ok(list) => list,
                Err(reason) => {
                    summary.failed.push((listing.scope.clone(), reason.clone()));
                    continue;
                }
            };
            if listing.held_out_of_time {
                summary
                    .failed
                    .push((listing.scope.clone(), ScopeFailure::OutOfTime));
            }
            self.settle_held(listing, instances, &makers, &mut records, &mut summary);
            let ids: HashSet<&str> = instances.iter().map(|i| i.instance_id.as_str()).collect();
            let mut by_name: HashMap<&str, Vec<&InstanceSummary>> = HashMap::new();
            for i in instances {
                by_name.entry(i.instance_name.as_str()).or_default().push(i);
            }
            // Newest first, so the latest of several attempts at one name adopts it.
            let mut in_scope: Vec<_> = self
                .unchanged_since(listing.scope.as_of)
                .filter(|e| {
                    e.subject.is_instance()
                        && e.profile == listing.scope.profile
                        && e.region == listing.scope.region
                        && e.endpoint == listing.scope.endpoint
                })
                .collect();
            in_scope.sort_by_key(|e| std::cmp::Reverse(e.at));
            let uncredited = self.uncredited_instance_creates(&listing.scope);
            for entry in in_scope {
                let state = if let Some(id) = entry.instance_id() {
                    if ids.contains(id) {
                        CloudState::InService
                    } else {
                        CloudState::NotFound
                    }
                } else if entry.status.is_unresolved() {
                    // not one that was there long before the attempt: someone else's
                    let made = by_name.get(entry.name.as_str()).and_then(|named| {
                        named
                            .iter()
                            .copied()
                            .find(|i| crate::create::may_be_made_since(i, entry.at))
                    });
                    let later_uncredited = uncredited
                        .get(entry.name.as_str())
                        .is_some_and(|ats| ats.iter().any(|at| *at > entry.at));
                    match made {
                        // adopted unless a later create may have made it, or another entry
                        // was given it (`insert` is false then)
                        Some(found)
                            if !later_uncredited && held.insert(found.instance_id.to_string()) =>
                        {
                            adopt(entry, found, now, &mut records, &mut summary);
                            CloudState::InService
                        }
                        // Listed, but a later create of the name may be the one that made it,
                        // or another entry holds it: this attempt did not make it.
                        Some(_) => {
                            let left = Left::of(entry, LeftWhy::AnotherAttempt);
                            summary.left.push(left);
                            continue;
                        }
                        // The name not listed at all (an instance of it that looks older than
                        // the attempt may be its own, seen through a clock that is off), and
                        // no request of it can land any more: not created.
                        None if !by_name.contains_key(entry.name.as_str())
                            && now >= settle_after(entry) =>
                        {
                            records.push(Record::Status {
                                id: entry.id,
                                status: Status::NotDone {
                                    detail: NOT_LISTED.to_owned(),
                                },
                                at: now,
                            });
                            summary
                                .instances_not_created
                                .push((entry.id, entry.name.clone()));
                            CloudState::NotFound
                        }
                        // Not listed, but a request of it may still land: left as it is.
                        None if !by_name.contains_key(entry.name.as_str()) => {
                            summary.recent.push(Recent::of(entry));
                            continue;
                        }
                        // Listed only as made long before the attempt: someone else's.
                        None => {
                            let left = Left::of(entry, LeftWhy::SomeoneElses);
                            summary.left.push(left);
                            CloudState::NotFound
                        }
                    }
                } else {
                    continue;
                };
                summary.count_check(&mut records, entry.id, state, now);
            }
        }
        (records, summary)
    }

    /// Settles the topic and group entries of one listed scope, from their instance's whole
    /// list (an instance the whole instance list leaves out has none): see [`decide`]. An
    /// instance whose list could not be had leaves its entries as they are.
    fn settle_held(
        &self,
        listing: &ScopeListing,
        instances: &[InstanceSummary],
        makers: &Makers<'_>,
        records: &mut Vec<Record>,
        summary: &mut RefreshSummary,
    ) {
        let now = now_local();
        let scope = &listing.scope;
        let listed: HashSet<&str> = instances.iter().map(|i| i.instance_id.as_str()).collect();
        let lists = held_lists(listing, summary);
        // Gone with its instance: a whole list of nothing.
        let none = HeldNames::default();
        // Lists that left entries out and so could not settle an entry absent from them.
        let mut unproved: BTreeSet<(EntryKind, &InstanceId)> = BTreeSet::new();
        let mut in_scope: Vec<&Entry> = self
            .unchanged_since(scope.as_of)
            .filter(|e| {
                !e.subject.is_instance()
                    && e.profile == scope.profile
                    && e.region == scope.region
                    && e.endpoint == scope.endpoint
            })
            .collect();
        // Newest first: the latest of several creates of one name is the one adopted.
        in_scope.sort_by_key(|e| std::cmp::Reverse(e.at));
        let mut claimed: HashSet<(EntryKind, &str, &str)> = HashSet::new();
        for entry in in_scope {
            let kind = entry.subject.kind();
            let Some(on) = entry.subject.parent() else {
                continue;
            };
            let names = if listed.contains(on.as_str()) {
                match lists.get(&(kind, on.as_str())) {
                    Some(names) => *names,
                    None => continue,
                }
            } else {
                &none
            };
            let Some(is_listed) = names.lists(&entry.name) else {
                unproved.insert((kind, on));
                continue;
            };
            let key = (kind, on.as_str(), entry.name.as_str());
            let settle_after = settle_after(entry);
            let young = now < settle_after;
            let other = makers.other_than(entry, on.as_str());
            // Listed with another type, or made long before the create: not what it made.
            // Whether it made anything cannot be told (a clock well ahead makes its own look
            // older), so it is left as it is, never claimed. Listed under a delete's name but
            // made since the delete: not the one it was aimed at; left as it is too.
            let someone_elses = is_listed
                && match entry.subject.verb() {
                    Verb::Create => names.someone_elses(entry),
                    Verb::Delete => names.made_again_since(entry),
                };
            let decision = if someone_elses && entry.status.is_unresolved() {
                Decision::Leave
            } else {
                decide(entry, is_listed, young, other, || claimed.insert(key))
            };
            let (cloud, settled) = match decision {
                Decision::Leave if entry.status.is_unresolved() => {
                    summary.left.push(Left::held(entry, someone_elses));
                    continue;
                }
                Decision::Leave => continue,
                Decision::Wait => {
                    summary.recent.push(Recent::of(entry));
                    continue;
                }
                Decision::Cloud(state) => (Some(state), None),
                Decision::Settle { status, outcome } => {
                    let cloud = (outcome == EntryOutcome::Adopted).then_some(CloudState::InService);
                    (cloud, Some((status, outcome)))
                }
            };
            if let Some(state) = cloud {
                summary.count_check(records, entry.id, state, now);
            }
            if let Some((status, outcome)) = settled {
                records.push(Record::Status {
                    id: entry.id,
                    status,
                    at: now,
                });
                summary.settled.push(Settled {
                    id: entry.id,
                    kind,
                    verb: entry.subject.verb(),
                    name: entry.name.clone(),
                    instance_id: on.clone(),
                    outcome,
                });
            }
        }
        for (kind, instance_id) in unproved {
            summary.failed.push((
                scope.clone(),
                ScopeFailure::Held {
                    kind,
                    instance_id: instance_id.clone(),
                    error: left_out_error(kind),
                },
            ));
        }
    }
}

/// Gives a pending or unknown instance create the instance `found` by its exact name.
fn adopt(
    entry: &Entry,
    found: &InstanceSummary,
    now: time::OffsetDateTime,
    records: &mut Vec<Record>,
    summary: &mut RefreshSummary,
) {
    records.push(Record::Status {
        id: entry.id,
        status: Status::Adopted {
            instance_id: found.instance_id.to_string(),
            instance_type: found.instance_type.0,
        },
        at: now,
    });
    summary.adopted.push(Adoption {
        id: entry.id,
        name: entry.name.clone(),
        instance_id: found.instance_id.to_string(),
    });
}

/// Why an entry absent from a list that left entries out is not settled.
fn left_out_error(kind: EntryKind) -> ApiError {
    ApiError::left_out(match kind {
        EntryKind::Instance => crate::api::ListOf::Instances,
        EntryKind::Topic => crate::api::ListOf::Topics,
        EntryKind::Group => crate::api::ListOf::Groups,
    })
}

/// The whole topic and group lists of a scope's instances, by kind and InstanceId; the ones
/// that could not be had go to the summary's failures.
fn held_lists<'a>(
    listing: &'a ScopeListing,
    summary: &mut RefreshSummary,
) -> HashMap<(EntryKind, &'a str), &'a HeldNames> {
    let mut lists = HashMap::new();
    for held in &listing.held {
        match &held.result {
            Ok(names) => {
                lists.insert((held.kind, held.instance_id.as_str()), names);
            }
            Err(error) => summary.failed.push((
                listing.scope.clone(),
                ScopeFailure::Held {
                    kind: held.kind,
                    instance_id: held.instance_id.clone(),
                    error: error.clone(),
                },
            )),
        }
    }
    lists
}

/// What a refresh does with one topic or group entry.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Nothing.
    Leave,
    /// An unresolved one that the list says is not in effect, but may still be on its way
    /// ([`settle_after`]): nothing yet.
    Wait,
    /// A created one: listed or not.
    Cloud(CloudState),
    /// An unresolved one, settled.
    Settle {
        status: Status,
        outcome: EntryOutcome,
    },
}

/// Whether another create of an entry's name on its instance, anywhere in the history (through
/// any profile or endpoint: the InstanceId alone names the resource; what other processes
/// recorded since the refresh took its scopes included), may be what is listed under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OtherMaker {
    /// None: what is listed may be this entry's doing.
    None,
    /// One that made it or was credited with it (created, adopted), recorded before or after
    /// this entry, or one recorded after it and still unsettled (another process may be
    /// running it): this entry is not credited, and nothing can be told of it from the list.
    /// (Not "not created": the name may have been deleted and made again in between, in the
    /// console even, which no list shows.)
    Maybe,
}

/// The topic and group creates in the whole history, by name (kind, InstanceId, name), as it
/// is now: when each was recorded, and whether it is credited with what it made (created or
/// adopted). Creates that made nothing are left out.
struct Makers<'a> {
    by_name: HashMap<HeldName<'a>, Vec<(EntryId, time::OffsetDateTime, bool)>>,
}

/// A topic's or group's name on its instance: kind, InstanceId, name.
type HeldName<'a> = (EntryKind, &'a str, &'a str);

impl<'a> Makers<'a> {
    fn of(history: &'a History) -> Self {
        let mut by_name: HashMap<_, Vec<_>> = HashMap::new();
        for slot in history
            .state
            .slots
            .iter()
            .filter(|s| s.removed_at.is_none())
        {
            let e = &*slot.entry;
            let Some(on) = e.subject.parent() else {
                continue;
            };
            let credited = match (e.subject.verb(), e.outcome()) {
                (Verb::Create, EntryOutcome::Created | EntryOutcome::Adopted) => true,
                (Verb::Create, EntryOutcome::Pending | EntryOutcome::Unknown) => false,
                _ => continue,
            };
            by_name
                .entry((e.subject.kind(), on.as_str(), e.name.as_str()))
                .or_default()
                .push((e.id, e.at, credited));
        }
        Self { by_name }
    }

    /// Whether another create may be what is listed under `entry`'s name on `on`: for a
    /// create, one credited with it or a later one still unsettled; for a delete, any create
    /// recorded after it (it may have made the name again).
    fn other_than(&self, entry: &Entry, on: &str) -> OtherMaker {
        let key = (entry.subject.kind(), on, entry.name.as_str());
        let is_create = entry.subject.verb() == Verb::Create;
        let maybe = self
            .by_name
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|(id, ..)| *id != entry.id)
            .any(|&(_, at, credited)| (is_create && credited) || at > entry.at);
        if maybe {
            OtherMaker::Maybe
        } else {
            OtherMaker::None
        }
    }
}

/// What to do with `entry`, whose exact name its instance lists (`is_listed`) or not: a
/// pending or unknown create is adopted when listed (unless another create of the name may
/// be what is listed: `other`, and `claim` for the creates this refresh decides), not created
/// when not; a pending or unknown delete is deleted when not listed, not deleted when listed
/// (unless a create of the name may have made it again: then it is left); a created one is
/// marked in service or not found. `claim` records that a create made the listed name, for
/// the older ones of the name. A change that may still be on its way (`young`, see
/// [`settle_after`]) is not settled as not in effect: it waits.
fn decide(
    entry: &Entry,
    is_listed: bool,
    young: bool,
    other: OtherMaker,
    claim: impl FnOnce() -> bool,
) -> Decision {
    let not_done = |detail: &str| Status::NotDone {
        detail: detail.to_owned(),
    };
    match (entry.subject.verb(), entry.outcome()) {
        (Verb::Create, EntryOutcome::Created | EntryOutcome::Adopted) => {
            claim();
            Decision::Cloud(if is_listed {
                CloudState::InService
            } else {
                CloudState::NotFound
            })
        }
        (Verb::Create, EntryOutcome::Pending | EntryOutcome::Unknown) => match is_listed {
            // Listed, but another create of this name may be the one that made it.
            true if other == OtherMaker::Maybe => Decision::Leave,
            false if young => Decision::Wait,
            false => Decision::Settle {
                status: not_done(NOT_LISTED),
                outcome: EntryOutcome::NotCreated,
            },
            true if claim() => Decision::Settle {
                status: Status::Seen,
                outcome: EntryOutcome::Adopted,
            },
            // Listed, but a later create of this name is the one that made it.
            true => Decision::Leave,
        },
        (Verb::Delete, EntryOutcome::Pending | EntryOutcome::Unknown) => {
            if is_listed && young {
                Decision::Wait
            } else if is_listed && other == OtherMaker::Maybe {
                // what is listed may have been made again since: nothing can be told
                Decision::Leave
            } else if is_listed {
                Decision::Settle {
                    status: not_done(STILL_LISTED),
                    outcome: EntryOutcome::NotDeleted,
                }
            } else {
                Decision::Settle {
                    status: Status::Seen,
                    outcome: EntryOutcome::Deleted,
                }
            }
        }
        _ => Decision::Leave,
    }
}

/// Lists each scope's instances with a client from `make_client` (which may refuse a scope,
/// e.g. when it has no credentials for that profile: the reason is kept), one scope after the
/// other; then, when that list is whole, the topics of each instance in
/// [`CloudScope::topics_on`] and the groups of each in [`CloudScope::groups_on`] that it holds
/// (`list_held`). Every read goes through [`Calls`] (paced, throttles waited out, passing
/// failures retried, `on_step` told) under one deadline for the whole refresh,
/// `policy.deadline` from now: a scope not reached by then fails with
/// [`ScopeFailure::OutOfTime`], and so does one whose topic and group lists were cut short.
/// With [`CustomEndpoints::Skip`], a scope whose key would not be sent unasked
/// ([`sent_unasked`]) is not asked and fails with [`ScopeFailure::CustomEndpointSkipped`]; for
/// one that is neither a known region endpoint nor loopback, `make_client` is not even called.
pub async fn list_scopes(
    scopes: Vec<CloudScope>,
    custom: CustomEndpoints,
    policy: Policy,
    on_step: &mut (dyn FnMut(&Step) + Send),
    make_client: impl Fn(&CloudScope) -> Result<Client, ScopeFailure>,
) -> Vec<ScopeListing> {
    let skip = custom == CustomEndpoints::Skip;
    let deadline = Instant::now().checked_add(policy.deadline);
    let out_of_time = || deadline.is_some_and(|d| Instant::now() >= d);
    let mut out = Vec::with_capacity(scopes.len());
    for scope in scopes {
        // Any key may go to a known region endpoint, and the demo key to loopback.
        let may_be_sent = Endpoint::parse(&scope.endpoint)
            .is_ok_and(|e| e.is_known_region_endpoint() || e.is_loopback());
        let mut held = Vec::new();
        let mut held_out_of_time = false;
        let result = if skip && !may_be_sent {
            Err(ScopeFailure::CustomEndpointSkipped)
        } else if out_of_time() {
            Err(ScopeFailure::OutOfTime)
        } else {
            match make_client(&scope) {
                Ok(client) if skip && !sent_unasked(&scope.endpoint, client.access_key_id()) => {
                    Err(ScopeFailure::CustomEndpointSkipped)
                }
                Ok(client) => {
                    let mut calls = Calls::until(&client, policy, deadline, &mut *on_step);
                    match calls.read(&ListInstances::default()).await {
                        // "not found" is only believed from a whole list
                        Ok(listed) if listed.is_whole() => {
                            held_out_of_time =
                                list_held(&mut calls, &scope, &listed.items, &mut held).await;
                            Ok(listed.items)
                        }
                        Ok(_) => Err(ScopeFailure::Api(ApiError::left_out(
                            crate::api::ListOf::Instances,
                        ))),
                        Err(e) => Err(ScopeFailure::Api(e)),
                    }
                }
                Err(reason) => Err(reason),
            }
        };
        out.push(ScopeListing {
            scope,
            result,
            held,
            held_out_of_time,
        });
    }
    out
}

/// Into `out`: the unfiltered topic list of each instance in `scope.topics_on`, and the group
/// list of each in `scope.groups_on`, that `instances` (the region's whole list) holds, one
/// after the other through `calls` (paced under the topic and group rate limit as well).
/// None is started past the deadline: then the rest are not asked and this returns true. An
/// instance the region no longer lists is not asked: its topics and groups are gone with it.
/// The lists are asked for whole because the service's filters are fuzzy;
/// [`History::apply_listings`] compares the exact names.
async fn list_held(
    calls: &mut Calls<'_>,
    scope: &CloudScope,
    instances: &[InstanceSummary],
    out: &mut Vec<HeldListing>,
) -> bool {
    let listed: HashSet<&str> = instances.iter().map(|i| i.instance_id.as_str()).collect();
    let asked = |on: &BTreeSet<InstanceId>, kind: EntryKind| {
        on.iter()
            .filter(|id| listed.contains(id.as_str()))
            .map(move |id| (kind, id.clone()))
            .collect::<Vec<_>>()
    };
    let mut lists = asked(&scope.topics_on, EntryKind::Topic);
    lists.extend(asked(&scope.groups_on, EntryKind::Group));
    for (kind, instance_id) in lists {
        if calls.past_deadline() {
            return true;
        }
        let result = if kind == EntryKind::Group {
            topics_groups::list_groups(calls, &instance_id)
                .await
                .map(HeldNames::of_groups)
        } else {
            topics_groups::list_topics(calls, &instance_id)
                .await
                .map(HeldNames::of_topics)
        };
        out.push(HeldListing {
            kind,
            instance_id,
            result,
        });
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::DEMO_ACCESS_KEY_ID;

    #[test]
    fn a_real_key_goes_unasked_only_to_a_known_region_endpoint() {
        let real = "ExampleKeyOfSomeone";
        for known in [
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "https://ons-vpc.cn-beijing.aliyuncs.com/",
        ] {
            assert!(sent_unasked(known, real), "{known}");
            assert!(sent_unasked(known, DEMO_ACCESS_KEY_ID), "{known}");
        }
        for loopback in [
            "http://127.0.0.1:9/",
            "http://localhost:9/",
            "http://[::1]:9/",
        ] {
            assert!(!sent_unasked(loopback, real), "{loopback}");
            assert!(sent_unasked(loopback, DEMO_ACCESS_KEY_ID), "{loopback}");
        }
        for custom in ["https://ons.custom-gateway.example/", "not a url"] {
            assert!(!sent_unasked(custom, real), "{custom}");
            assert!(!sent_unasked(custom, DEMO_ACCESS_KEY_ID), "{custom}");
        }
    }
}
