//! Instance management with the safe create's care: list (one region or every region), show,
//! update (rename, remark) and delete, every call through the one engine
//! ([`crate::operation`]): paced under the account's rate limits (writes 10/s, reads 50/s),
//! throttles waited out, a skewed clock corrected once, one deadline for the whole command.
//!
//! - **Reads** (list, base info) change nothing, so a failure that may be passing (a lost
//!   reply, a 5xx, an unreadable body, a request that never left) is simply sent again,
//!   bounded by [`Policy::max_attempts`] and the deadline.
//! - **An update is idempotent**: after an ambiguous failure it is sent again (bounded). When
//!   the attempts run out, or the service refuses after an attempt that may have been applied
//!   (a rename that now "collides" with itself, say), the base info decides: the change is in
//!   effect → updated; it is not → not updated.
//! - **A delete is not**: it has no idempotency token, and a second delete of a deleted
//!   instance is refused. So a delete whose reply is lost, late, a 5xx or `SignatureNonceUsed`
//!   is followed by a look at the region's list: gone → deleted (never an error for a delete
//!   that happened); still there → sent again (bounded); the list cannot be read → unknown.
//!
//! Each update or delete ends in exactly one outcome; the steps on the way are in the
//! command's [`Calls`].

use std::time::Duration;

use crate::api::actions::{DeleteInstance, GetInstance, ListInstances, UpdateInstance};
use crate::api::{ApiError, Client, InstanceBaseInfo, InstanceSummary, Listed};
use crate::ids::{InstanceId, RequestId};
use crate::operation::{Calls, Look, Operation, Outcome, Report, Step};
use crate::pacing::Policy;
use crate::region::RegionId;

/// How an update ended.
#[derive(Clone, Debug)]
pub enum UpdateOutcome {
    /// The service said so (its RequestId).
    Updated { request_id: RequestId },
    /// No usable reply, but the base info shows the change in effect.
    Confirmed,
    /// The service refused, or the change was proved not in effect. Carries the last error.
    NotUpdated(ApiError),
    /// We could not find out.
    Unknown(ApiError),
}

impl UpdateOutcome {
    /// The word scripts see in `--json` (`Outcome`).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Updated { .. } | Self::Confirmed => "updated",
            Self::NotUpdated(_) => "not_updated",
            Self::Unknown(_) => "unknown",
        }
    }

    /// True when the change is in effect.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Updated { .. } | Self::Confirmed)
    }
}

impl<S> From<Outcome<RequestId, S>> for UpdateOutcome {
    fn from(outcome: Outcome<RequestId, S>) -> Self {
        match outcome {
            Outcome::Done(request_id) => Self::Updated { request_id },
            Outcome::Seen(_) => Self::Confirmed,
            // an update's look never finds a name taken; were it to, nothing was changed
            Outcome::NotDone(e) | Outcome::Taken(e) => Self::NotUpdated(e),
            Outcome::Unknown(e) => Self::Unknown(e),
        }
    }
}

/// How a delete ended: an instance's here, a topic's or group's in [`crate::topics_groups`].
#[derive(Clone, Debug)]
pub enum DeleteOutcome {
    /// The service said so (its RequestId).
    Deleted { request_id: RequestId },
    /// No usable reply, but what was deleted is no longer listed.
    Confirmed,
    /// The service refused (an instance with topics or groups left, say), or what was deleted
    /// was proved still there. Carries the last error.
    NotDeleted(ApiError),
    /// We could not find out: it may or may not be gone.
    Unknown(ApiError),
}

impl DeleteOutcome {
    /// The word scripts see in `--json` (`Outcome`).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Deleted { .. } | Self::Confirmed => "deleted",
            Self::NotDeleted(_) => "not_deleted",
            Self::Unknown(_) => "unknown",
        }
    }

    /// True when it is gone.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Deleted { .. } | Self::Confirmed)
    }
}

impl<S> From<Outcome<RequestId, S>> for DeleteOutcome {
    fn from(outcome: Outcome<RequestId, S>) -> Self {
        match outcome {
            Outcome::Done(request_id) => Self::Deleted { request_id },
            Outcome::Seen(_) => Self::Confirmed,
            // a delete's look never finds a name taken; were it to, nothing was deleted
            Outcome::NotDone(e) | Outcome::Taken(e) => Self::NotDeleted(e),
            Outcome::Unknown(e) => Self::Unknown(e),
        }
    }
}

/// What an update changes; `None` leaves a field as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change<'a> {
    pub name: Option<&'a str>,
    pub remark: Option<&'a str>,
}

impl Change<'_> {
    /// True when `info` already shows this change. A reply's text is kept printable and cut
    /// ([`crate::api::reply_text`]): what was sent is compared in that form, or a remark with
    /// a tab or a line break would never look applied.
    pub fn is_in(&self, info: &InstanceBaseInfo) -> bool {
        let shown = crate::api::reply_text;
        self.name.is_none_or(|n| info.instance_name == shown(n))
            && self.remark.is_none_or(|r| info.remark == shown(r))
    }
}

/// The region's instances with their topic and group counts (`NeedResourceInfo=true`).
pub async fn list(calls: &mut Calls<'_>) -> Result<Listed<InstanceSummary>, ApiError> {
    calls.read(&ListInstances { resources: true }).await
}

/// One instance from the region's list (with its counts); `None` when it is not there. A list
/// that left entries out and does not hold it cannot tell: an error.
pub async fn find(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
) -> Result<Option<InstanceSummary>, ApiError> {
    let listed = list(calls).await?;
    let whole = listed.is_whole();
    match listed.into_iter().find(|i| i.instance_id == *instance_id) {
        Some(found) => Ok(Some(found)),
        None if whole => Ok(None),
        None => Err(ApiError::left_out(crate::api::ListOf::Instances)),
    }
}

/// An instance's base info: endpoints, remark.
pub async fn base_info(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
) -> Result<InstanceBaseInfo, ApiError> {
    let action = GetInstance {
        instance_id: instance_id.clone(),
    };
    calls.read(&action).await
}

/// One region's list, or why it could not be read.
#[derive(Debug)]
pub struct RegionListing {
    pub region: RegionId,
    pub result: Result<Listed<InstanceSummary>, ApiError>,
}

/// Lists every client's region concurrently (each client targets one region), starting at
/// most `policy.reads_per_second` calls per second per AccessKey across all of them, all within
/// the policy's one deadline. `on_step` sees each region's steps (throttles, retries) as they
/// happen. The listings come back in the clients' order.
pub async fn list_regions(
    clients: Vec<Client>,
    policy: Policy,
    on_step: impl Fn(&RegionId, &Step) + Clone + Send + Sync + 'static,
) -> Vec<RegionListing> {
    let regions: Vec<RegionId> = clients.iter().map(|c| c.target().region.clone()).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, client) in clients.into_iter().enumerate() {
        let on_step = on_step.clone();
        tasks.spawn(async move {
            let region = client.target().region.clone();
            let mut say = |step: &Step| on_step(&region, step);
            let mut calls = Calls::new(&client, policy, &mut say);
            (i, list(&mut calls).await)
        });
    }
    let mut results: Vec<Option<Result<Listed<InstanceSummary>, ApiError>>> =
        regions.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, result)) = joined
            && let Some(slot) = results.get_mut(i)
        {
            *slot = Some(result);
        }
    }
    regions
        .into_iter()
        .zip(results)
        .map(|(region, result)| RegionListing {
            region,
            result: result.unwrap_or(Err(ApiError::Setup(
                crate::api::SetupProblem::ListingStopped,
            ))),
        })
        .collect()
}

/// An update, for the engine: in effect when the base info shows every changed field.
struct Update(UpdateInstance);

impl Operation for Update {
    type Action = UpdateInstance;
    type Seen = ();
    const IDEMPOTENT: bool = true;

    fn action(&self) -> &UpdateInstance {
        &self.0
    }

    async fn look(&self, calls: &mut Calls<'_>) -> Look<()> {
        let action = GetInstance {
            instance_id: self.0.instance_id.clone(),
        };
        let change = Change {
            name: self.0.name.as_deref(),
            remark: self.0.remark.as_deref(),
        };
        match calls.read_once(&action).await {
            Ok(info) if change.is_in(&info) => Look::InEffect(()),
            Ok(_) => Look::NotInEffect,
            Err(e) => Look::CouldNotTell(e),
        }
    }
}

/// A delete, for the engine: in effect when the region no longer lists the instance.
struct Delete(DeleteInstance);

impl Operation for Delete {
    type Action = DeleteInstance;
    type Seen = ();
    const IDEMPOTENT: bool = false;

    fn action(&self) -> &DeleteInstance {
        &self.0
    }

    async fn look(&self, calls: &mut Calls<'_>) -> Look<()> {
        match calls.read_once(&ListInstances::default()).await {
            Ok(listed) if listed.iter().any(|i| i.instance_id == self.0.instance_id) => {
                Look::NotInEffect
            }
            Ok(listed) if listed.is_whole() => Look::InEffect(()),
            Ok(_) => Look::CouldNotTell(ApiError::left_out(crate::api::ListOf::Instances)),
            Err(e) => Look::CouldNotTell(e),
        }
    }
}

/// Updates an instance's name and/or remark with the rules above, as one of `calls`' changes
/// (sharing their deadline, clock correction and steps). The caller validates the name first
/// (with [`crate::validation::validate_instance_name`]).
pub async fn update_in(
    calls: &mut Calls<'_>,
    instance_id: &InstanceId,
    change: Change<'_>,
) -> UpdateOutcome {
    let op = Update(UpdateInstance {
        instance_id: instance_id.clone(),
        name: change.name.map(str::to_owned),
        remark: change.remark.map(str::to_owned),
    });
    calls.change(&op).await.into()
}

/// [`update_in`] on calls of its own: `policy`'s deadline from now; `on_step` sees each step
/// as it happens.
pub async fn update(
    client: &Client,
    instance_id: &InstanceId,
    change: Change<'_>,
    policy: Policy,
    mut on_step: impl FnMut(&Step) + Send,
) -> Report<UpdateOutcome> {
    let mut calls = Calls::new(client, policy, &mut on_step);
    let outcome = update_in(&mut calls, instance_id, change).await;
    calls.report(outcome)
}

/// Deletes an instance with the rules above, as one of `calls`' changes. The caller has
/// confirmed it with the user (the CLI asks for the instance's current name).
pub async fn delete_in(calls: &mut Calls<'_>, instance_id: &InstanceId) -> DeleteOutcome {
    let op = Delete(DeleteInstance {
        instance_id: instance_id.clone(),
    });
    calls.change(&op).await.into()
}

/// [`delete_in`] on calls of its own: `policy`'s deadline from now; `on_step` sees each step
/// as it happens.
pub async fn delete(
    client: &Client,
    instance_id: &InstanceId,
    policy: Policy,
    mut on_step: impl FnMut(&Step) + Send,
) -> Report<DeleteOutcome> {
    let mut calls = Calls::new(client, policy, &mut on_step);
    let outcome = delete_in(&mut calls, instance_id).await;
    calls.report(outcome)
}

/// How long the rate limit alone makes listing `regions` regions take at `per_second`, when
/// each reply takes `reply`: the last call may start only after `ceil(n / per_second) - 1`
/// whole seconds, then its reply comes. (The bench's yardstick.)
pub fn rate_limit_floor(regions: usize, per_second: usize, reply: Duration) -> Duration {
    let batches = regions.div_ceil(per_second.max(1)).max(1);
    Duration::from_secs(u64::try_from(batches - 1).unwrap_or(u64::MAX)) + reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_in_effect_only_when_every_given_field_matches() {
        let info = InstanceBaseInfo {
            instance_id: InstanceId::parse("MQ_INST_1").unwrap(),
            instance_name: "orders".into(),
            instance_status: Some(5),
            instance_type: crate::api::InstanceType::STANDARD,
            remark: "r".into(),
            endpoints: crate::api::InstanceEndpoints::default(),
            create_time: None,
        };
        assert!(Change::default().is_in(&info));
        assert!(
            Change {
                name: Some("orders"),
                remark: Some("r")
            }
            .is_in(&info)
        );
        assert!(
            !Change {
                name: Some("orders-2"),
                remark: None
            }
            .is_in(&info)
        );
        assert!(
            !Change {
                name: None,
                remark: Some("")
            }
            .is_in(&info)
        );
    }

    #[test]
    fn the_floor_counts_whole_seconds_between_batches() {
        let reply = Duration::from_millis(100);
        assert_eq!(rate_limit_floor(27, 50, reply), reply);
        assert_eq!(
            rate_limit_floor(27, 10, reply),
            Duration::from_secs(2) + reply
        );
        assert_eq!(rate_limit_floor(10, 10, reply), reply);
        assert_eq!(rate_limit_floor(0, 0, reply), reply);
    }
}
