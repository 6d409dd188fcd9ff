//! The ONS OpenAPI client: typed calls over a signed HTTP transport.
//!
//! Every action is an [`Action`] (`actions.rs`): what it sends, the shape of its reply, and how
//! that reply is checked. [`Client::send`] is the one way to call one, and [`read_reply`] the one
//! place where a reply's bytes become values (`gate.rs`): redacted, parsed, then checked by the
//! action — IDs well formed and the ones asked for, text printable and short, times
//! representable — so the values a caller gets are the proof that they were checked.

mod action;
pub mod actions;
mod client;
mod error_kind;
mod gate;
mod problem;
pub mod redact;
pub mod response;

pub use action::Action;
pub use client::{
    Client, HttpOptions, MAX_REPLY_BYTES, PreparedRequest, Reply, ReplyMeta, Target, Transport,
};
pub use error_kind::ErrorKind;
pub use gate::{Listed, read_reply, text as reply_text, time_from_millis};
pub use problem::{ListOf, ReplyProblem, SetupProblem, TransportCause};
pub use response::MAX_TEXT_CHARS;
pub use response::ServiceError;

use serde::Serialize;
use std::fmt;
use time::OffsetDateTime;

use crate::ids::{GroupId, InstanceId, RequestId, TopicName};
use crate::resources::{GroupType, MessageType, TopicStatus};

/// Which of the service's per-account rate limits a call counts against (Alibaba's API
/// documentation): the instances' writes (create, update, delete) and reads (list, info), and
/// the topic and group calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// Instance create, update, delete: 10 calls/s.
    Write,
    /// The instance list and info calls: 50 calls/s.
    Read,
    /// Topic and group create, delete and list: 10 calls/s. Whether that is per action or
    /// shared by all six is not published; onsdesk counts all six against one limit (the safe
    /// reading: it can never exceed either).
    Resource,
}

/// Instance edition as the API numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct InstanceType(pub i64);

impl InstanceType {
    /// `OnsInstanceCreate` makes Standard Edition instances.
    pub const STANDARD: Self = Self(1);
    /// Platinum Edition.
    pub const PLATINUM: Self = Self(2);

    /// English name of the edition.
    pub fn name_en(self) -> String {
        match self.0 {
            1 => "Standard".to_owned(),
            2 => "Platinum".to_owned(),
            n => format!("type {n}"),
        }
    }
}

/// What `OnsInstanceCreate` returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreatedInstance {
    #[serde(rename = "InstanceId")]
    pub instance_id: InstanceId,
    #[serde(rename = "InstanceType")]
    pub instance_type: InstanceType,
    #[serde(rename = "RequestId")]
    pub request_id: RequestId,
}

/// One entry of `OnsInstanceInServiceList`. Text fields are printable (see [`crate::text`])
/// and at most [`MAX_TEXT_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstanceSummary {
    #[serde(rename = "InstanceId")]
    pub instance_id: InstanceId,
    #[serde(rename = "InstanceName")]
    pub instance_name: String,
    /// The service's status code; `None` when the reply gave none, or no number.
    #[serde(rename = "InstanceStatus")]
    pub instance_status: Option<i64>,
    #[serde(rename = "InstanceType")]
    pub instance_type: InstanceType,
    /// When it was made (UTC); `None` when the reply did not say, or said something out of
    /// range (a representable time in years 1 to 9998, so any time zone can show it).
    #[serde(rename = "CreateTime", skip)]
    pub create_time: Option<OffsetDateTime>,
    /// Topics in the instance: only filled with `NeedResourceInfo=true`.
    #[serde(rename = "TopicCount", skip_serializing_if = "Option::is_none")]
    pub topic_count: Option<u64>,
    /// Consumer groups in the instance: only filled with `NeedResourceInfo=true`.
    #[serde(rename = "GroupCount", skip_serializing_if = "Option::is_none")]
    pub group_count: Option<u64>,
}

/// The client endpoints of an instance (`OnsInstanceBaseInfo`), each printable and short.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InstanceEndpoints {
    #[serde(rename = "TcpEndpoint", skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    #[serde(
        rename = "TcpInternetEndpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp_internet: Option<String>,
    #[serde(
        rename = "HttpInternalEndpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internal: Option<String>,
    #[serde(
        rename = "HttpInternetEndpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internet: Option<String>,
    #[serde(
        rename = "HttpInternetSecureEndpoint",
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internet_secure: Option<String>,
}

/// `OnsInstanceBaseInfo`'s `InstanceBaseInfo`, for the instance that was asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstanceBaseInfo {
    #[serde(rename = "InstanceId")]
    pub instance_id: InstanceId,
    #[serde(rename = "InstanceName")]
    pub instance_name: String,
    /// The service's status code; `None` when the reply gave none, or no number.
    #[serde(rename = "InstanceStatus")]
    pub instance_status: Option<i64>,
    #[serde(rename = "InstanceType")]
    pub instance_type: InstanceType,
    #[serde(rename = "Remark")]
    pub remark: String,
    #[serde(rename = "Endpoints")]
    pub endpoints: InstanceEndpoints,
    /// When it was made (UTC), as for [`InstanceSummary::create_time`].
    #[serde(skip)]
    pub create_time: Option<OffsetDateTime>,
}

/// One entry of `OnsTopicList`, about the instance asked for. Text is printable and at most
/// [`MAX_TEXT_CHARS`] characters; a number the service sends that onsdesk does not know is
/// kept (`MessageType::Other`), and a field the reply left out is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicSummary {
    pub topic: TopicName,
    pub message_type: Option<MessageType>,
    /// Creating (0) until in service (1).
    pub service_status: Option<TopicStatus>,
    pub remark: String,
    /// When it was made (UTC), as for [`InstanceSummary::create_time`].
    pub create_time: Option<OffsetDateTime>,
    /// The instance asked about (an entry naming another one is left out).
    pub instance_id: InstanceId,
}

/// One entry of `OnsGroupList`, about the instance asked for; as [`TopicSummary`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSummary {
    pub group_id: GroupId,
    /// `tcp` or `http`; another value is kept as it came, made printable.
    pub group_type: Option<GroupType>,
    pub remark: String,
    pub create_time: Option<OffsetDateTime>,
    pub instance_id: InstanceId,
}

/// One entry of `OnsRegionList`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    #[serde(rename = "OnsRegionId")]
    pub region_id: crate::region::RegionId,
    #[serde(rename = "RegionName")]
    pub region_name: String,
}

/// Whether a failed request may have reached the service. For a create, which is not
/// idempotent, this decides between "retry" and "find out first".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Delivery {
    /// It never left this machine (DNS, connection refused, TLS setup): safe to retry.
    NotSent,
    /// It may have been received and acted on: the outcome is unknown.
    MaybeReceived,
}

/// A call failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error.
    #[error("{0}")]
    Service(ServiceError),
    /// No usable reply: network trouble, timeout, connection closed.
    #[error("{cause}{}", delivery_note(*.delivery))]
    Transport {
        delivery: Delivery,
        cause: TransportCause,
    },
    /// A reply came but is not an API reply (a proxy's HTML page, a truncated body…), or not
    /// one to believe.
    #[error("{}", bad_reply_text(*.http_status, .problem))]
    BadReply {
        http_status: u16,
        problem: ReplyProblem,
        request_id: Option<String>,
    },
    /// The call was not made, or its answer is missing, for a reason of onsdesk's own.
    #[error("{0}")]
    Setup(SetupProblem),
}

fn delivery_note(d: Delivery) -> &'static str {
    match d {
        Delivery::NotSent => " (the request was not sent)",
        Delivery::MaybeReceived => " (the request may have reached the service)",
    }
}

/// A [`ApiError::BadReply`] in the command line's words: the HTTP status, unless the problem is
/// about a success reply's content.
pub fn bad_reply_text(http_status: u16, problem: &ReplyProblem) -> String {
    if problem.is_about_content() {
        problem.to_string()
    } else {
        format!("HTTP {http_status}: {problem}")
    }
}

impl ApiError {
    /// A list with entries left out (they failed their checks) proves nothing about what is
    /// not in it.
    pub fn left_out(list: ListOf) -> Self {
        Self::BadReply {
            http_status: 200,
            problem: ReplyProblem::LeftOut(list),
            request_id: None,
        }
    }

    /// True when the request may have been acted on although we have no success reply:
    /// for a create, the instance may exist.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            // a 429 not in the service's own words: whatever answered may have passed it on
            Self::Service(e) => {
                e.is_server_fault() || (e.http_status == 429 && !e.is_own_throttle())
            }
            Self::Transport { delivery, .. } => *delivery == Delivery::MaybeReceived,
            Self::BadReply { .. } => true,
            Self::Setup(_) => false,
        }
    }

    /// The service error, if the service answered with one.
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's own throttling code: the request was not acted on.
    pub fn is_own_throttle(&self) -> bool {
        self.service().is_some_and(ServiceError::is_own_throttle)
    }

    /// Asked to slow down: a throttling code, or an HTTP 429 whatever its body says (a
    /// gateway in front of the service may answer 429 with no error body at all). Only the
    /// service's own code ([`ApiError::is_own_throttle`]) says the request was not acted on.
    pub fn is_throttle(&self) -> bool {
        match self {
            Self::Service(e) => e.is_throttling(),
            Self::BadReply {
                http_status: 429, ..
            } => true,
            _ => false,
        }
    }
}

impl fmt::Display for InstanceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name_en())
    }
}
