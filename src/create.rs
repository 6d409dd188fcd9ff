//! A create that is safe to lose the reply of.
//!
//! `OnsInstanceCreate` has no idempotency token: if the service created the instance and the
//! reply was lost, a blind retry makes a second instance (or fails on the name) and a silent
//! failure loses one the user pays for. So the create is an [`Operation`] for the one engine
//! ([`crate::operation`]): every ambiguous failure is followed by a look at the region's
//! instances for the exact name before anything is sent again — found: adopted; not found:
//! sent again (bounded); the list cannot be read (or left entries out): unknown.
//!
//! Every create ends in exactly one [`CreateOutcome`].

use crate::api::actions::{CreateInstance, ListInstances};
use crate::api::{ApiError, Client, CreatedInstance, InstanceSummary, InstanceType, ListOf};
use crate::ids::InstanceId;
use crate::operation::{Calls, Look, Operation, Outcome, Report, Step};
use crate::pacing::Policy;
use std::time::Instant;
use time::OffsetDateTime;

/// How a create ended.
#[derive(Clone, Debug)]
pub enum CreateOutcome {
    /// The service said so.
    Created(CreatedInstance),
    /// The reply was lost, but the instance exists: found by its exact name.
    Adopted {
        instance_id: InstanceId,
        instance_type: InstanceType,
    },
    /// The service refused, or we proved the instance does not exist. Carries the last error.
    NotCreated(ApiError),
    /// After an attempt that may have arrived (its error), the region listed the name held by
    /// someone else's instance, made before the attempt: not created, and not sent again.
    NameTaken(ApiError),
    /// We could not find out: the instance may exist. Check again later.
    Unknown(ApiError),
}

impl CreateOutcome {
    /// The word scripts see in `--json` (`Outcome`).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Created(_) => "created",
            Self::Adopted { .. } => "adopted",
            Self::NotCreated(_) | Self::NameTaken(_) => "not_created",
            Self::Unknown(_) => "unknown",
        }
    }

    /// The instance, when there is one.
    pub fn instance_id(&self) -> Option<&InstanceId> {
        match self {
            Self::Created(c) => Some(&c.instance_id),
            Self::Adopted { instance_id, .. } => Some(instance_id),
            Self::NotCreated(_) | Self::NameTaken(_) | Self::Unknown(_) => None,
        }
    }
}

impl From<Outcome<CreatedInstance, InstanceSummary>> for CreateOutcome {
    fn from(outcome: Outcome<CreatedInstance, InstanceSummary>) -> Self {
        match outcome {
            Outcome::Done(created) => Self::Created(created),
            Outcome::Seen(found) => Self::Adopted {
                instance_id: found.instance_id,
                instance_type: found.instance_type,
            },
            Outcome::NotDone(e) => Self::NotCreated(e),
            Outcome::Taken(e) => Self::NameTaken(e),
            Outcome::Unknown(e) => Self::Unknown(e),
        }
    }
}

/// The whole story of one create.
pub type CreateReport = Report<CreateOutcome>;

/// How long before an attempt a listed instance may have been created and still be the
/// attempt's doing: the gateway takes a request whose clock is up to 15 minutes off the
/// service's, so the attempt's own time may be that far from the `CreateTime` it is given.
pub const MADE_BEFORE_SLACK: time::Duration = time::Duration::minutes(20);

/// Whether `found` may be what an attempt started at `started` made: not an instance that was
/// there long before it (someone else's of the same name). One without a `CreateTime` may be.
pub fn may_be_made_since(found: &InstanceSummary, started: OffsetDateTime) -> bool {
    made_since(found.create_time, started)
}

/// Whether something listed as made at `created` may be what an attempt started at `started`
/// made, as [`may_be_made_since`]: a topic or group too. A `CreateTime` that cannot be a real
/// one ([`plausible_create_time`]) says nothing.
pub fn made_since(created: Option<OffsetDateTime>, started: OffsetDateTime) -> bool {
    match (
        plausible_create_time(created),
        started.checked_sub(MADE_BEFORE_SLACK),
    ) {
        (Some(created), Some(earliest)) => created >= earliest,
        _ => true,
    }
}

/// A listed `CreateTime` that can be a real one: from 2015 on (ApsaraMQ for RocketMQ 4.x came
/// later). `0`, or seconds read as milliseconds (January 1970), is a service saying nothing.
pub fn plausible_create_time(created: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    created.filter(|t| t.year() >= 2015)
}

/// The create, for the engine: sent as `OnsInstanceCreate`, in effect when the region lists an
/// instance of exactly this name made since the attempt began ([`may_be_made_since`]).
struct Create {
    action: CreateInstance,
    /// When the attempt began.
    started: Instant,
}

impl Operation for Create {
    type Action = CreateInstance;
    type Seen = InstanceSummary;
    const IDEMPOTENT: bool = false;

    fn action(&self) -> &CreateInstance {
        &self.action
    }

    async fn look(&self, calls: &mut Calls<'_>) -> Look<InstanceSummary> {
        match calls.read_once(&ListInstances::default()).await {
            Ok(listed) => {
                let whole = listed.is_whole();
                let started = calls.service_time_of(self.started);
                let named: Vec<InstanceSummary> = listed
                    .into_iter()
                    .filter(|i| i.instance_name == self.action.name)
                    .collect();
                let taken = !named.is_empty();
                match named.into_iter().find(|i| may_be_made_since(i, started)) {
                    Some(found) => Look::InEffect(found),
                    // someone else's, made long before: what a "name taken" is about
                    None if whole && taken => Look::Taken,
                    None if whole => Look::NotInEffect,
                    // an entry that failed its checks may be the one: not proof of absence
                    None => Look::CouldNotTell(ApiError::left_out(ListOf::Instances)),
                }
            }
            Err(e) => Look::CouldNotTell(e),
        }
    }

    fn found(seen: &InstanceSummary) -> Option<String> {
        Some(seen.instance_id.to_string())
    }
}

/// Creates `name` with the rules above. `on_step` sees each step as it happens.
pub async fn create(
    client: &Client,
    name: &str,
    remark: Option<&str>,
    policy: Policy,
    mut on_step: impl FnMut(&Step) + Send,
) -> CreateReport {
    let op = Create {
        action: CreateInstance {
            name: name.to_owned(),
            remark: remark.map(str::to_owned),
        },
        started: Instant::now(),
    };
    let mut calls = Calls::new(client, policy, &mut on_step);
    let outcome = calls.change(&op).await;
    calls.report(CreateOutcome::from(outcome))
}

/// Looks for `name` among the region's instances, made since `started` (when the attempt
/// began, [`may_be_made_since`]): "check again" for an unknown outcome. A list with entries left
/// out that does not hold the name cannot tell: an error.
pub async fn find_by_name(
    client: &Client,
    name: &str,
    started: OffsetDateTime,
) -> Result<Option<InstanceSummary>, ApiError> {
    let listed = client.instances_in_service().await?;
    let whole = listed.is_whole();
    let mut named = listed.into_iter().filter(|i| i.instance_name == name);
    match named.find(|i| may_be_made_since(i, started)) {
        Some(found) => Ok(Some(found)),
        None if whole => Ok(None),
        None => Err(ApiError::left_out(ListOf::Instances)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `CreateTime` of 0, or in seconds read as milliseconds, says nothing: what is listed
    /// may still be the attempt's. A real one long before the attempt is someone else's.
    #[test]
    fn an_implausible_create_time_rules_nothing_out() {
        let started = OffsetDateTime::from_unix_timestamp(1_765_000_000).unwrap();
        let at_ms = |ms: i128| OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000).ok();
        assert!(made_since(at_ms(0), started));
        assert!(made_since(at_ms(1_764_999_000), started), "seconds as ms");
        assert!(made_since(None, started));
        assert!(!made_since(at_ms(1_577_836_800_000), started), "2020");
        assert!(
            made_since(at_ms(1_764_999_000_000), started),
            "17 minutes before"
        );
    }
}
