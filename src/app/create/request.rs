//! One create request, from submit to its card: what it sent ([`Sent`], captured at submit and
//! never taken from the form again), whether it runs or has settled ([`RequestState`]), and
//! how it settled ([`CardOutcome`]). Every transition consumes the request and returns the
//! next one, so a card is never patched in place.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use crate::api::{Client, InstanceEndpoints, InstanceSummary, InstanceType};
use crate::history::{EntryId, HistoryError};
use crate::ids::{InstanceId, RequestId};
use crate::operation::Step;
use crate::region::EndpointError;
use crate::signing::v3::SignatureVersion;

use super::super::i18n::CardText;
use super::super::tasks::Failure;

/// What a create sent, from submit to finish. Cards, snippets, "Check again" and the
/// history use these values, whatever the form holds meanwhile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub name: String,
    pub remark: String,
    pub region: String,
    /// Where it went (empty when the endpoint was unusable and nothing was sent).
    pub endpoint: String,
    /// The credentials' source, as the history records it (never a secret).
    pub profile: String,
    pub signature: SignatureVersion,
    /// When it was sent: "Check again" adopts no instance made long before.
    pub at: time::OffsetDateTime,
}

/// Where a create task leaves its history entry's ID once the attempt is recorded. Shared with
/// the task rather than sent with its reply: a cancelled task sends no reply.
pub type RecordedEntry = Arc<OnceLock<EntryId>>;

/// A create request and everything that follows from it.
pub struct CreateRequest {
    pub sent: Sent,
    /// The client it was sent with (same target, same credentials) for its follow-ups.
    pub client: Option<Client>,
    /// The attempt's history entry, set by the create task once it is on disk — before the
    /// request leaves, so a cancelled create's "Check again" still settles it.
    pub history_entry: RecordedEntry,
    pub state: RequestState,
}

/// Running, or settled.
pub enum RequestState {
    Running {
        seq: u64,
        started: Instant,
        abort: AbortHandle,
    },
    Settled(CardOutcome),
}

/// What the background create hands back.
pub enum Finished {
    /// The core's report and, for `SignatureDoesNotMatch`, the signature doctor's diagnosis.
    Reported {
        report: Box<crate::create::CreateReport>,
        diagnosis: Option<crate::doctor::Diagnosis>,
    },
    /// Refused before anything was sent.
    NotSent(NotSent),
    /// The task panicked: the request may or may not have left.
    Panicked,
}

/// What settled a card as not created, beyond its error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCreatedBy {
    /// The service refused, or no attempt can have made it: the card's error says why.
    Refusal,
    /// "Check again" found no instance with the name.
    CheckedAgain,
    /// After a lost reply, the region listed the name as someone else's instance, made before
    /// the attempt: the card's error is the lost reply's, not what to act on.
    NameTaken,
}

/// Why a create was not sent.
#[derive(Debug)]
pub enum NotSent {
    Endpoint(EndpointError),
    /// The attempt could not be recorded in the history, and an unrecorded create is not sent.
    NotRecorded(Arc<HistoryError>),
}

/// How a create settled, as the result column shows it.
pub enum CardOutcome {
    /// Created, or adopted (the reply was lost; found by its name).
    Created(Box<CreatedCard>),
    /// Refused, or proven not to exist.
    NotCreated {
        card: Box<FailedCard>,
        by: NotCreatedBy,
    },
    /// We could not find out: "Check again" lives on this card.
    Unknown {
        card: Box<FailedCard>,
        check: CheckState,
    },
    /// Refused before anything was sent.
    NotSent(NotSent),
    /// Cancelled by the user: the request may still have reached the service, so "Check
    /// again" lives on this card too.
    Cancelled { after: Duration, check: CheckState },
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

/// Everything the success card shows besides what was sent.
pub struct CreatedCard {
    pub instance_id: InstanceId,
    pub instance_type: InstanceType,
    /// The create's Request ID (none when adopted: its reply was lost).
    pub request_id: Option<RequestId>,
    pub adopted: bool,
    /// UTC, already formatted.
    pub at: String,
    pub endpoints: EndpointsRequest,
    pub story: Story,
}

impl CreatedCard {
    pub fn new(
        instance_id: InstanceId,
        instance_type: InstanceType,
        request_id: Option<RequestId>,
        story: Story,
    ) -> Self {
        Self {
            instance_id,
            instance_type,
            adopted: request_id.is_none(),
            request_id,
            at: now_utc_text(),
            endpoints: EndpointsRequest::NotAsked,
            story,
        }
    }
}

/// The error card: not created, or unknown.
pub struct FailedCard {
    pub error: Failure,
    pub diagnosis: Option<crate::doctor::Diagnosis>,
    pub story: Story,
}

/// "Check again" on an unknown or cancelled outcome.
pub enum CheckState {
    Idle,
    Pending {
        seq: u64,
    },
    /// Listing failed again.
    StillUnknown(Failure),
    /// No instance has the name: the cancelled request created nothing. (An unknown outcome
    /// becomes "not created" instead.)
    NotFound,
}

/// The follow-up `OnsInstanceBaseInfo` call.
pub enum EndpointsRequest {
    NotAsked,
    Pending { seq: u64 },
    Done(InstanceEndpoints),
    Failed(Failure),
}

impl CreateRequest {
    pub fn is_running(&self) -> bool {
        matches!(self.state, RequestState::Running { .. })
    }

    /// Seconds since the request was sent, while it runs.
    pub fn elapsed(&self) -> Option<Duration> {
        match &self.state {
            RequestState::Running { started, .. } => Some(started.elapsed()),
            RequestState::Settled(_) => None,
        }
    }

    pub fn outcome(&self) -> Option<&CardOutcome> {
        match &self.state {
            RequestState::Settled(o) => Some(o),
            RequestState::Running { .. } => None,
        }
    }

    /// The success card, when there is one.
    pub fn created(&self) -> Option<&CreatedCard> {
        match &self.state {
            RequestState::Settled(CardOutcome::Created(card)) => Some(card),
            _ => None,
        }
    }

    /// The success card, when there is one, to update.
    pub fn created_mut(&mut self) -> Option<&mut CreatedCard> {
        match &mut self.state {
            RequestState::Settled(CardOutcome::Created(card)) => Some(card),
            _ => None,
        }
    }

    /// Running → cancelled (the request may have reached the service).
    pub fn cancelled(self) -> Self {
        match self.state {
            RequestState::Running { started, abort, .. } => {
                abort.abort();
                Self {
                    state: RequestState::Settled(CardOutcome::Cancelled {
                        after: started.elapsed(),
                        check: CheckState::Idle,
                    }),
                    ..self
                }
            }
            RequestState::Settled(_) => self,
        }
    }

    /// Running → settled with the create's reply; replies to anything else are dropped.
    pub fn finished(self, reply_seq: u64, finished: Finished) -> Self {
        let RequestState::Running { seq, .. } = &self.state else {
            return self;
        };
        if *seq != reply_seq {
            return self;
        }
        let outcome = match finished {
            Finished::Reported { report, diagnosis } => {
                let report = *report;
                let story = Story {
                    steps: report.steps,
                    clock_offset: report.clock_offset,
                };
                let failed = |error| {
                    Box::new(FailedCard {
                        error: Failure::Api(error),
                        diagnosis,
                        story: story.clone(),
                    })
                };
                match report.outcome {
                    crate::create::CreateOutcome::Created(c) => {
                        CardOutcome::Created(Box::new(CreatedCard::new(
                            c.instance_id,
                            c.instance_type,
                            Some(c.request_id),
                            story.clone(),
                        )))
                    }
                    crate::create::CreateOutcome::Adopted {
                        instance_id,
                        instance_type,
                    } => CardOutcome::Created(Box::new(CreatedCard::new(
                        instance_id,
                        instance_type,
                        None,
                        story.clone(),
                    ))),
                    crate::create::CreateOutcome::NotCreated(e) => CardOutcome::NotCreated {
                        card: failed(e),
                        by: NotCreatedBy::Refusal,
                    },
                    crate::create::CreateOutcome::NameTaken(e) => CardOutcome::NotCreated {
                        card: failed(e),
                        by: NotCreatedBy::NameTaken,
                    },
                    crate::create::CreateOutcome::Unknown(e) => CardOutcome::Unknown {
                        card: failed(e),
                        check: CheckState::Idle,
                    },
                }
            }
            Finished::NotSent(why) => CardOutcome::NotSent(why),
            Finished::Panicked => CardOutcome::Unknown {
                card: Box::new(FailedCard {
                    error: Failure::Panicked,
                    diagnosis: None,
                    story: Story::default(),
                }),
                check: CheckState::Idle,
            },
        };
        Self {
            state: RequestState::Settled(outcome),
            ..self
        }
    }

    /// Unknown or cancelled → "Check again" pending, when it is not already.
    pub fn checking(mut self, seq: u64) -> (Self, bool) {
        if let RequestState::Settled(
            CardOutcome::Unknown { check, .. } | CardOutcome::Cancelled { check, .. },
        ) = &mut self.state
            && !matches!(check, CheckState::Pending { .. })
        {
            *check = CheckState::Pending { seq };
            return (self, true);
        }
        (self, false)
    }

    /// Unknown or cancelled → what "Check again" found: created (adopted), not created, or
    /// still unknown. One transition; replies to an earlier check are dropped.
    pub fn checked(self, reply_seq: u64, result: Result<Option<InstanceSummary>, Failure>) -> Self {
        let outcome = match self.state {
            RequestState::Settled(CardOutcome::Unknown {
                card,
                check: CheckState::Pending { seq },
            }) if seq == reply_seq => match result {
                Ok(Some(found)) => adopted(found, card.story),
                Ok(None) => CardOutcome::NotCreated {
                    card,
                    by: NotCreatedBy::CheckedAgain,
                },
                Err(failure) => CardOutcome::Unknown {
                    card,
                    check: CheckState::StillUnknown(failure),
                },
            },
            RequestState::Settled(CardOutcome::Cancelled {
                after,
                check: CheckState::Pending { seq },
            }) if seq == reply_seq => match result {
                Ok(Some(found)) => adopted(found, Story::default()),
                Ok(None) => CardOutcome::Cancelled {
                    after,
                    check: CheckState::NotFound,
                },
                Err(failure) => CardOutcome::Cancelled {
                    after,
                    check: CheckState::StillUnknown(failure),
                },
            },
            state => {
                return Self { state, ..self };
            }
        };
        Self {
            state: RequestState::Settled(outcome),
            ..self
        }
    }
}

/// The instance "Check again" found by its name: the success card, adopted.
fn adopted(found: InstanceSummary, story: Story) -> CardOutcome {
    CardOutcome::Created(Box::new(CreatedCard::new(
        found.instance_id,
        found.instance_type,
        None,
        story,
    )))
}

/// The endpoints worth showing, in a fixed order, with the text key naming each.
pub fn listed_endpoints(e: &InstanceEndpoints) -> Vec<(CardText, &str)> {
    [
        (CardText::TcpEndpoint, &e.tcp),
        (CardText::TcpInternetEndpoint, &e.tcp_internet),
        (CardText::HttpInternalEndpoint, &e.http_internal),
        (CardText::HttpInternetEndpoint, &e.http_internet),
        (CardText::HttpsInternetEndpoint, &e.http_internet_secure),
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
