//! The ONS OpenAPI client: typed calls over a signed HTTP transport.

mod client;
mod error_kind;
pub mod redact;
pub mod response;
pub mod untrusted;

pub use client::{
    Client, HttpOptions, MAX_REPLY_BYTES, PreparedRequest, ReplyMeta, Target, Transport,
    read_create_reply, read_list_reply, read_reply,
};
pub use error_kind::ErrorKind;
pub use response::ServiceError;

use serde::{Deserialize, Serialize};
use std::fmt;

/// Instance edition as the API numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInstance {
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    #[serde(rename = "InstanceType")]
    pub instance_type: InstanceType,
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// One entry of `OnsInstanceInServiceList`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSummary {
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    #[serde(rename = "InstanceName", default)]
    pub instance_name: String,
    #[serde(rename = "InstanceStatus", default)]
    pub instance_status: i64,
    #[serde(rename = "InstanceType", default = "standard")]
    pub instance_type: InstanceType,
    /// Milliseconds since the epoch.
    #[serde(rename = "CreateTime", default)]
    pub create_time: Option<i64>,
    /// Topics in the instance: only filled with `NeedResourceInfo=true`
    /// ([`Client::instances_with_resources`]).
    #[serde(
        rename = "TopicCount",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_count"
    )]
    pub topic_count: Option<u64>,
    /// Consumer groups in the instance: only filled with `NeedResourceInfo=true`.
    #[serde(
        rename = "GroupCount",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_count"
    )]
    pub group_count: Option<u64>,
}

/// A count as the service sends it: a number, a numeric string, or null. Anything else (a
/// negative or fractional number, text) reads as unknown rather than failing the whole list.
fn lenient_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Milliseconds since the epoch as a number or a numeric string (`OnsInstanceBaseInfo` sends
/// a string); anything else reads as unknown.
fn lenient_millis<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn standard() -> InstanceType {
    InstanceType::STANDARD
}

/// The client endpoints of an instance (`OnsInstanceBaseInfo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceEndpoints {
    #[serde(
        rename = "TcpEndpoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp: Option<String>,
    #[serde(
        rename = "TcpInternetEndpoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp_internet: Option<String>,
    #[serde(
        rename = "HttpInternalEndpoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internal: Option<String>,
    #[serde(
        rename = "HttpInternetEndpoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internet: Option<String>,
    #[serde(
        rename = "HttpInternetSecureEndpoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub http_internet_secure: Option<String>,
}

/// `OnsInstanceBaseInfo`'s `InstanceBaseInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceBaseInfo {
    #[serde(rename = "InstanceId")]
    pub instance_id: String,
    #[serde(rename = "InstanceName", default)]
    pub instance_name: String,
    #[serde(rename = "InstanceStatus", default)]
    pub instance_status: i64,
    #[serde(rename = "InstanceType", default = "standard")]
    pub instance_type: InstanceType,
    #[serde(rename = "Remark", default)]
    pub remark: String,
    #[serde(rename = "Endpoints", default)]
    pub endpoints: InstanceEndpoints,
    /// Milliseconds since the epoch (sent as a string by this action).
    #[serde(
        rename = "CreateTime",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_millis"
    )]
    pub create_time: Option<i64>,
}

/// One entry of `OnsRegionList`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionInfo {
    #[serde(rename = "OnsRegionId")]
    pub region_id: String,
    #[serde(rename = "RegionName", default)]
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
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error.
    #[error("{0}")]
    Service(ServiceError),
    /// No usable reply: network trouble, timeout, connection closed.
    #[error("{message}{}", delivery_note(*.delivery))]
    Transport { delivery: Delivery, message: String },
    /// A reply came but is not an API reply (a proxy's HTML page, a truncated body…).
    #[error("{detail}")]
    BadReply {
        http_status: u16,
        detail: String,
        request_id: Option<String>,
    },
    /// The call could not even be prepared (client set-up).
    #[error("{0}")]
    Setup(String),
}

fn delivery_note(d: Delivery) -> &'static str {
    match d {
        Delivery::NotSent => " (the request was not sent)",
        Delivery::MaybeReceived => " (the request may have reached the service)",
    }
}

impl ApiError {
    /// True when the request may have been acted on although we have no success reply:
    /// for a create, the instance may exist.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Service(e) => e.is_server_fault(),
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
}

impl fmt::Display for InstanceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name_en())
    }
}
