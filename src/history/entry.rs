//! One entry as the history keeps it: an instance create, or a topic or group create or
//! delete ([`Subject`]), and where it stands ([`Status`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::subject::{ChangeOutcome, Subject, Verb};
use crate::api::{ApiError, CreatedInstance};

/// A history entry's identity (a random UUID, chosen before the request is sent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(uuid::Uuid);

impl EntryId {
    /// A fresh random ID.
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl Default for EntryId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for EntryId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// Where an attempt stands.
///
/// An instance entry uses `Created`, `Adopted` and `NotCreated`; a topic or group entry (history
/// format 3) uses `Done`, `Seen` and `NotDone`, whose words depend on whether it was a create or
/// a delete ([`Status::outcome`]); `Pending`, `Refused` and `Unknown` are shared. `Pending` and
/// `Unknown` are the unresolved ones that "check again" and "refresh status" try to settle.
///
/// On disk: `"pending"`, or `{"created":{"instance_id":…,…}}` (externally tagged: an internal
/// `"state"` tag would make serde buffer every status, a third of the load time of a large
/// history).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Written before the request was sent; no reply yet (or the process stopped before one).
    Pending,
    /// The service answered with the new instance.
    Created {
        instance_id: String,
        instance_type: i64,
        request_id: String,
    },
    /// The reply was lost, but an instance with this exact name was found afterwards.
    Adopted {
        instance_id: String,
        instance_type: i64,
    },
    /// The service refused the request: nothing was created.
    Refused {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// Known not to have been created for another reason (the request never left this
    /// machine, or a later check proved no such instance exists).
    NotCreated { detail: String },
    /// The request may have reached the service but no usable reply came: the instance may or
    /// may not exist.
    Unknown { detail: String },
    /// A topic or group create or delete the service said was done (format 3).
    Done {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
    },
    /// A topic or group create or delete whose reply was lost, found in effect afterwards: the
    /// exact name listed after a create, absent after a delete (format 3).
    Seen,
    /// A topic or group create or delete known not to be in effect: the request never left
    /// this machine, or a look proved it not made (format 3).
    NotDone { detail: String },
}

/// The four ends of a create attempt (docs/safe-create.md), the three of a delete, and "still
/// in flight".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryOutcome {
    Pending,
    Created,
    /// Found by its exact name after a lost reply.
    Adopted,
    NotCreated,
    Unknown,
    /// A topic or group delete in effect (the service said so, or it was found gone).
    Deleted,
    /// A topic or group delete refused, or proved not made.
    NotDeleted,
}

impl EntryOutcome {
    /// The word used in `--json` output and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Created => "created",
            Self::Adopted => "adopted",
            Self::NotCreated => "not_created",
            Self::Unknown => "unknown",
            Self::Deleted => "deleted",
            Self::NotDeleted => "not_deleted",
        }
    }
}

impl fmt::Display for EntryOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pending => "pending",
            Self::Created => "created",
            Self::Adopted => "adopted",
            Self::NotCreated => "not created",
            Self::Unknown => "unknown",
            Self::Deleted => "deleted",
            Self::NotDeleted => "not deleted",
        })
    }
}

/// Why a create that ended [`crate::create::CreateOutcome::NameTaken`] (or a topic's or
/// group's `NameTaken`) was not created: the history's words for it.
pub const NAME_TAKEN: &str = "its reply was lost, and the name is held by someone else's (of \
    another type, or made before this create): not created, and not sent again";

impl Status {
    /// Which of the outcomes this is, for an attempt to `verb` (an instance entry's is
    /// [`Verb::Create`]; [`Entry::outcome`] knows it).
    pub fn outcome(&self, verb: Verb) -> EntryOutcome {
        match (self, verb) {
            (Self::Pending, _) => EntryOutcome::Pending,
            (Self::Unknown { .. }, _) => EntryOutcome::Unknown,
            (Self::Created { .. } | Self::Done { .. }, Verb::Create) => EntryOutcome::Created,
            (Self::Adopted { .. } | Self::Seen, Verb::Create) => EntryOutcome::Adopted,
            (
                Self::Refused { .. } | Self::NotCreated { .. } | Self::NotDone { .. },
                Verb::Create,
            ) => EntryOutcome::NotCreated,
            (
                Self::Created { .. } | Self::Adopted { .. } | Self::Done { .. } | Self::Seen,
                Verb::Delete,
            ) => EntryOutcome::Deleted,
            (
                Self::Refused { .. } | Self::NotCreated { .. } | Self::NotDone { .. },
                Verb::Delete,
            ) => EntryOutcome::NotDeleted,
        }
    }

    /// The status a topic or group create or delete's outcome leaves.
    pub fn of_change(outcome: &ChangeOutcome) -> Self {
        match outcome {
            ChangeOutcome::Done { request_id } => Self::Done {
                request_id: Some(request_id.to_string()),
            },
            ChangeOutcome::Seen => Self::Seen,
            ChangeOutcome::Refused {
                code,
                message,
                request_id,
            } => Self::Refused {
                code: code.clone(),
                message: message.clone(),
                request_id: request_id.clone(),
            },
            ChangeOutcome::NotDone { detail } => Self::NotDone {
                detail: detail.clone(),
            },
            ChangeOutcome::Unknown { detail } => Self::Unknown {
                detail: detail.clone(),
            },
        }
    }

    /// The status a create call's result leaves: created; refused when the service said no;
    /// unknown when the request may have been acted on without a usable reply; not created when
    /// it never left this machine.
    pub fn of_create(result: &Result<CreatedInstance, ApiError>) -> Self {
        match result {
            Ok(c) => Self::Created {
                instance_id: c.instance_id.to_string(),
                instance_type: c.instance_type.0,
                request_id: c.request_id.to_string(),
            },
            Err(ApiError::Service(e)) if !e.is_server_fault() => Self::refused(e),
            Err(e) if e.outcome_unknown() => Self::Unknown {
                detail: e.to_string(),
            },
            Err(e) => Self::NotCreated {
                detail: e.to_string(),
            },
        }
    }

    /// The service said no: its Code, Message and RequestId.
    fn refused(e: &crate::api::ServiceError) -> Self {
        Self::Refused {
            code: e.code.clone(),
            message: e.message.clone(),
            request_id: e.request_id.clone(),
        }
    }

    /// The status a safe create's outcome leaves (see [`crate::create`]).
    pub fn of_outcome(outcome: &crate::create::CreateOutcome) -> Self {
        use crate::create::CreateOutcome as Outcome;
        match outcome {
            Outcome::Created(c) => Self::of_create(&Ok(c.clone())),
            Outcome::Adopted {
                instance_id,
                instance_type,
            } => Self::Adopted {
                instance_id: instance_id.to_string(),
                instance_type: instance_type.0,
            },
            Outcome::NotCreated(ApiError::Service(e)) => Self::refused(e),
            Outcome::NotCreated(e) => Self::NotCreated {
                detail: e.to_string(),
            },
            Outcome::NameTaken(_) => Self::NotCreated {
                detail: NAME_TAKEN.to_owned(),
            },
            Outcome::Unknown(e) => Self::Unknown {
                detail: e.to_string(),
            },
        }
    }

    /// The InstanceId, once known.
    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Self::Created { instance_id, .. } | Self::Adopted { instance_id, .. } => {
                Some(instance_id)
            }
            _ => None,
        }
    }

    /// The RequestId of the reply, if one came.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Created { request_id, .. } => Some(request_id),
            Self::Refused { request_id, .. } | Self::Done { request_id } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Pending or unknown: the instance may exist without our knowing its ID.
    pub fn is_unresolved(&self) -> bool {
        matches!(self, Self::Pending | Self::Unknown { .. })
    }

    /// One line for a table or a detail view: the error for refusals, the detail otherwise.
    pub fn detail(&self) -> String {
        match self {
            Self::Pending
            | Self::Created { .. }
            | Self::Adopted { .. }
            | Self::Done { .. }
            | Self::Seen => String::new(),
            Self::Refused { code, message, .. } => format!("{code}: {message}"),
            Self::NotCreated { detail } | Self::NotDone { detail } | Self::Unknown { detail } => {
                detail.clone()
            }
        }
    }
}

/// What the last "refresh status" saw in the cloud for this entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloudState {
    /// Listed by `OnsInstanceInServiceList`.
    InService,
    /// Not listed (deleted, or never created).
    NotFound,
}

impl fmt::Display for CloudState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InService => "in service",
            Self::NotFound => "not found in the cloud",
        })
    }
}

/// A cloud check and when it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudCheck {
    pub state: CloudState,
    #[serde(with = "super::rfc3339")]
    pub checked_at: OffsetDateTime,
}

/// An entry's region as read from the file: of a region ID's shape
/// ([`crate::region::RegionId::shaped`]), exactly, or an error.
fn region_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    match crate::region::RegionId::shaped(&s) {
        Ok(id) if id.as_str() == s => Ok(s),
        _ => Err(serde::de::Error::custom("a region that is not a region ID")),
    }
}

/// One attempt: an instance create, or a topic or group create or delete. Never holds a secret:
/// the profile is recorded by name only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    /// When the attempt was recorded, in the local time of the machine with its UTC offset
    /// (RFC 3339, e.g. `2026-11-28T17:12:00.123+08:00`): both the wall-clock time the user saw
    /// and, through the offset, the exact UTC instant.
    #[serde(with = "super::rfc3339")]
    pub at: OffsetDateTime,
    /// The instance's name (the one it was created with), the topic, or the GroupId.
    pub name: String,
    #[serde(default)]
    pub remark: String,
    /// A region ID's shape, or the line is not read (a hand-edited file is set aside whole,
    /// as for any unreadable line): a region is printed, and a refresh asks there.
    #[serde(deserialize_with = "region_id")]
    pub region: String,
    pub endpoint: String,
    /// The credential source's display name: a profile name, `environment` or `sandbox`.
    pub profile: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<CloudCheck>,
    /// What onsdesk did to the instance later: renamed, remark changed, deleted (history
    /// format 2; absent in older entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub later: Option<Box<Later>>,
    /// What the entry is about (history format 3; absent for an instance, which every older
    /// entry is).
    #[serde(default, skip_serializing_if = "Subject::is_instance")]
    pub subject: Subject,
    /// The latest the process that recorded this change may still send it: when it was
    /// recorded, plus that process's deadline and one request's time limit. Absent in entries
    /// recorded before onsdesk stamped it, which are given [`DEFAULT_SEND_WINDOW`].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub sends_until: Option<OffsetDateTime>,
}

/// How long after recording a change a process may still send it, when it does not say: the
/// default deadline (2 minutes) and one request's default time limit (30 s).
pub const DEFAULT_SEND_WINDOW: std::time::Duration = std::time::Duration::from_secs(150);

impl Entry {
    /// Made in the sandbox: sent to a loopback endpoint. The sandbox only listens on
    /// loopback, and plain `http://` (which the sandbox speaks) is refused for anything else,
    /// so this holds for entries written by any onsdesk version without a new field.
    pub fn is_sandbox(&self) -> bool {
        is_loopback_url(&self.endpoint)
    }
}

/// Whether a recorded endpoint URL's host is loopback (`127.0.0.0/8`, `::1`, `localhost`),
/// without a full URL parse (the history filters 100 000 entries with it).
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// What onsdesk did to an entry's instance after creating it (history format 2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Later {
    /// The name a rename gave it ([`Entry::name`] keeps the name it was created with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_to: Option<String>,
    /// The remark an update gave it ([`Entry::remark`] keeps the one it was created with).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// When it was last renamed or its remark changed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub edited_at: Option<OffsetDateTime>,
    /// When onsdesk deleted it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub deleted_at: Option<OffsetDateTime>,
}

impl Entry {
    /// The recording time in UTC.
    pub fn at_utc(&self) -> OffsetDateTime {
        self.at.to_offset(time::UtcOffset::UTC)
    }

    /// `at` as RFC 3339 (empty if it cannot be formatted, which a valid entry never hits).
    pub fn at_rfc3339(&self) -> String {
        self.at.format(&Rfc3339).unwrap_or_default()
    }

    /// [`Entry::at_utc`] as RFC 3339.
    pub fn at_utc_rfc3339(&self) -> String {
        self.at_utc().format(&Rfc3339).unwrap_or_default()
    }

    /// The InstanceId of the instance an instance entry created or adopted, once known; `None`
    /// for a topic or group entry (see [`Entry::instance`]).
    pub fn instance_id(&self) -> Option<&str> {
        if self.subject.is_instance() {
            self.status.instance_id()
        } else {
            None
        }
    }

    /// The instance the entry is about, for an InstanceId column: the one an instance entry
    /// created (once known), or the one a topic or group is on.
    pub fn instance(&self) -> Option<&str> {
        match self.subject.parent() {
            Some(parent) => Some(parent.as_str()),
            None => self.status.instance_id(),
        }
    }

    /// Which of the outcomes this is (for a topic or group delete, deleted or not).
    pub fn outcome(&self) -> EntryOutcome {
        self.status.outcome(self.subject.verb())
    }

    /// The status in words, with the cloud check when there is one: "created · in service",
    /// and "deleted" once onsdesk deleted the instance. A delete still pending or unknown says
    /// so: "delete pending".
    pub fn status_text(&self) -> String {
        let outcome = match (self.subject.verb(), self.outcome()) {
            (Verb::Delete, o @ (EntryOutcome::Pending | EntryOutcome::Unknown)) => {
                format!("delete {o}")
            }
            (_, o) => o.to_string(),
        };
        let mut text = match &self.cloud {
            Some(c) => format!("{outcome} · {}", c.state),
            None => outcome,
        };
        if self.deleted_at().is_some() {
            text.push_str(" · deleted");
        }
        text
    }

    /// The instance's name now: the rename's, else the one it was created with.
    pub fn current_name(&self) -> &str {
        self.later
            .as_ref()
            .and_then(|l| l.renamed_to.as_deref())
            .unwrap_or(&self.name)
    }

    /// The name for a list: `created-name → current-name` after a rename, so the original
    /// stays visible.
    pub fn name_text(&self) -> String {
        match self.later.as_ref().and_then(|l| l.renamed_to.as_deref()) {
            Some(now) if now != self.name => format!("{} → {now}", self.name),
            _ => self.name.clone(),
        }
    }

    /// When onsdesk deleted the instance.
    pub fn deleted_at(&self) -> Option<OffsetDateTime> {
        self.later.as_ref().and_then(|l| l.deleted_at)
    }
}

/// What the caller knows when recording an attempt, before it is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAttempt {
    pub name: String,
    pub remark: String,
    pub region: String,
    pub endpoint: String,
    /// [`crate::credentials::CredentialSource`]'s `Display`: never a secret.
    pub profile: String,
}

/// The machine's time zone, read once per process: a create stamps two records and the window
/// many, and each read parsed and checksummed the zone file again. On Unix without `TZ`,
/// `/etc/localtime` is parsed directly: `TimeZone::system()` also looks the zone's name up in
/// the zoneinfo database, which walks `/usr/share/zoneinfo` and cost a cold `onsdesk create`
/// several milliseconds.
fn system_zone() -> &'static jiff::tz::TimeZone {
    static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(read_system_zone)
}

fn read_system_zone() -> jiff::tz::TimeZone {
    #[cfg(unix)]
    if std::env::var_os("TZ").is_none()
        && let Ok(data) = std::fs::read("/etc/localtime")
        && let Ok(zone) = jiff::tz::TimeZone::tzif("localtime", &data)
    {
        return zone;
    }
    jiff::tz::TimeZone::system()
}

/// The current time in the machine's time zone. Falls back to UTC when the zone cannot be read.
pub fn now_local() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let offset_secs = jiff::Timestamp::try_from(std::time::SystemTime::now())
        .map_or(0, |ts| system_zone().to_offset(ts).seconds());
    match time::UtcOffset::from_whole_seconds(offset_secs) {
        Ok(offset) => now.to_offset(offset),
        Err(_) => now,
    }
}

/// `at` in the machine's time zone, at the offset in force then (not now's: a time after a
/// daylight-saving change shows the clock of that moment). `at` as it is when the zone cannot
/// say.
pub fn local_at(at: OffsetDateTime) -> OffsetDateTime {
    jiff::Timestamp::from_second(at.unix_timestamp())
        .ok()
        .map(|ts| system_zone().to_offset(ts).seconds())
        .and_then(|secs| time::UtcOffset::from_whole_seconds(secs).ok())
        .and_then(|offset| at.checked_to_offset(offset))
        .unwrap_or(at)
}

#[cfg(test)]
mod tests {

    #[test]
    fn loopback_endpoints_are_sandbox_entries() {
        for url in [
            "http://127.0.0.1:41049/",
            "http://127.0.0.1",
            "http://localhost:8080/x",
            "http://[::1]:9/",
            "http://user@127.0.0.2:1/",
        ] {
            assert!(super::is_loopback_url(url), "{url}");
        }
        for url in [
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "https://127.0.0.1.example.com/",
            "https://[2001:db8::1]/",
            "",
        ] {
            assert!(!super::is_loopback_url(url), "{url}");
        }
    }

    use super::*;

    #[test]
    fn status_serialises_with_a_readable_tag() {
        let s = Status::Refused {
            code: "BIZ_INSTANCE_NAME_DUPLICATED".into(),
            message: "exists".into(),
            request_id: None,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"refused":{"code":"BIZ_INSTANCE_NAME_DUPLICATED","message":"exists"}}"#
        );
        assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
        assert_eq!(s.outcome(Verb::Create), EntryOutcome::NotCreated);
        assert_eq!(s.outcome(Verb::Delete), EntryOutcome::NotDeleted);
        assert_eq!(
            serde_json::to_string(&Status::Pending).unwrap(),
            r#""pending""#
        );
    }

    #[test]
    fn unresolved_is_pending_or_unknown() {
        assert!(Status::Pending.is_unresolved());
        assert!(Status::Unknown { detail: "x".into() }.is_unresolved());
        assert!(
            !Status::Created {
                instance_id: "i".into(),
                instance_type: 1,
                request_id: "r".into()
            }
            .is_unresolved()
        );
    }

    #[test]
    fn local_time_keeps_the_instant() {
        let before = OffsetDateTime::now_utc();
        let local = now_local();
        assert!(local >= before - time::Duration::seconds(1));
        assert!(local <= OffsetDateTime::now_utc() + time::Duration::seconds(1));
    }

    #[test]
    fn entry_ids_round_trip() {
        let id = EntryId::new();
        assert_eq!(id.to_string().parse::<EntryId>().unwrap(), id);
        assert!("nope".parse::<EntryId>().is_err());
    }
}
