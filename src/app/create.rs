//! The create request and what it leaves behind, as one enum per request (see STYLE.md):
//! the result view is a `match`, the last result stays visible while a new call runs, and
//! replies to anything but the current request are ignored.

use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use crate::api::{ApiError, InstanceEndpoints, InstanceType};
use crate::create::Step;

/// The create call.
pub enum CreateRequest {
    Idle,
    Pending {
        seq: u64,
        started: Instant,
        abort: AbortHandle,
        previous: Option<Box<Outcome>>,
    },
    Done(Box<Outcome>),
}

impl CreateRequest {
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending { .. })
    }

    /// Seconds since the pending call started.
    pub fn elapsed(&self) -> Option<Duration> {
        match self {
            Self::Pending { started, .. } => Some(started.elapsed()),
            _ => None,
        }
    }

    /// The outcome on screen: the finished one, or the previous one while a call runs.
    pub fn outcome(&self) -> Option<&Outcome> {
        match self {
            Self::Idle => None,
            Self::Pending { previous, .. } => previous.as_deref(),
            Self::Done(o) => Some(o),
        }
    }

    pub fn outcome_mut(&mut self) -> Option<&mut Outcome> {
        match self {
            Self::Idle => None,
            Self::Pending { previous, .. } => previous.as_deref_mut(),
            Self::Done(o) => Some(o),
        }
    }

    /// Moves to `Pending`, keeping the current outcome as the previous one.
    pub fn start(&mut self, seq: u64, abort: AbortHandle) {
        let previous = match std::mem::replace(self, Self::Idle) {
            Self::Done(o) => Some(o),
            Self::Pending {
                previous,
                abort: old,
                ..
            } => {
                old.abort();
                previous
            }
            Self::Idle => None,
        };
        *self = Self::Pending {
            seq,
            started: Instant::now(),
            abort,
            previous,
        };
    }

    /// Takes a reply: `true` if it answered the current request (else it is dropped).
    pub fn finish(&mut self, reply_seq: u64, outcome: Outcome) -> bool {
        match self {
            Self::Pending { seq, .. } if *seq == reply_seq => {
                *self = Self::Done(Box::new(outcome));
                true
            }
            _ => false,
        }
    }

    /// Aborts the call in flight; the outcome is unknown (it may have reached the service).
    pub fn cancel(&mut self) {
        if let Self::Pending { started, abort, .. } = self {
            abort.abort();
            let after = started.elapsed();
            *self = Self::Done(Box::new(Outcome::Cancelled { after }));
        }
    }
}

/// What the background create hands back: the core's report and, for
/// `SignatureDoesNotMatch`, the signature doctor's diagnosis.
pub struct Finished {
    pub report: crate::create::Report,
    pub diagnosis: Option<crate::doctor::Diagnosis>,
    /// The attempt's history entry, when there is a history.
    pub history_entry: Option<crate::history::EntryId>,
}

/// How a create ended, as the result column shows it.
pub enum Outcome {
    /// Created, or adopted (the reply was lost; found by its name).
    Created(Box<CreatedCard>),
    /// Refused, or proven not to exist.
    NotCreated(Box<FailedCard>),
    /// We could not find out: "Check again" lives on this card.
    Unknown(Box<FailedCard>),
    Cancelled {
        after: Duration,
    },
}

/// What happened on the way (retries, throttling waits, a corrected clock).
#[derive(Clone, Debug, Default)]
pub struct Story {
    pub steps: Vec<Step>,
    pub clock_offset: Option<time::Duration>,
}

impl Story {
    /// Worth showing: more happened than one request and its reply.
    pub fn is_eventful(&self) -> bool {
        self.clock_offset.is_some()
            || self
                .steps
                .iter()
                .any(|s| !matches!(s, Step::Attempt { n: 1 }))
    }
}

/// Everything the success card shows.
pub struct CreatedCard {
    pub instance_id: String,
    pub instance_type: InstanceType,
    /// The create's Request ID (none when adopted: its reply was lost).
    pub request_id: Option<String>,
    pub adopted: bool,
    pub name: String,
    pub remark: String,
    pub region: String,
    /// The region's English and Chinese names, when it is in the table.
    pub region_name: Option<(&'static str, &'static str)>,
    /// UTC, already formatted.
    pub at: String,
    pub endpoints: EndpointsRequest,
    pub story: Story,
}

/// The error card: not created, or unknown.
pub struct FailedCard {
    pub error: ApiError,
    pub diagnosis: Option<crate::doctor::Diagnosis>,
    pub story: Story,
    pub name: String,
    pub region: String,
    pub check: CheckState,
    /// The attempt's history entry: "Check again" settles it there too.
    pub history_entry: Option<crate::history::EntryId>,
}

/// "Check again" on an unknown outcome.
pub enum CheckState {
    Idle,
    Pending {
        seq: u64,
    },
    /// Listing failed again.
    StillUnknown(String),
    /// The name is not in the region: nothing was created.
    NotFound,
}

/// The follow-up `OnsInstanceBaseInfo` call.
pub enum EndpointsRequest {
    Pending { seq: u64 },
    Done(InstanceEndpoints),
    Failed(String),
}

/// The endpoints worth showing, in a fixed order, with the text key naming each.
pub fn listed_endpoints(e: &InstanceEndpoints) -> Vec<(super::i18n::T, &str)> {
    use super::i18n::T;
    [
        (T::TcpEndpoint, &e.tcp),
        (T::TcpInternetEndpoint, &e.tcp_internet),
        (T::HttpInternalEndpoint, &e.http_internal),
        (T::HttpInternetEndpoint, &e.http_internet),
        (T::HttpsInternetEndpoint, &e.http_internet_secure),
    ]
    .into_iter()
    .filter_map(|(key, v)| v.as_deref().filter(|s| !s.is_empty()).map(|s| (key, s)))
    .collect()
}

/// UTC wall time for the card, `2025-11-28 09:12:03 UTC`.
pub fn now_utc_text() -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}
