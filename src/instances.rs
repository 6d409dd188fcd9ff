//! Instance management with the safe create's care: list (one region or every region), show,
//! update (rename, remark) and delete.
//!
//! Every call goes through [`crate::pacing`]: the per-AccessKey rate limits (writes 10/s,
//! reads 50/s), a throttle waits with backoff, a skewed clock is corrected once.
//!
//! - **Reads** (list, base info) change nothing, so any failure that may be passing (a lost
//!   reply, a 5xx, an unreadable body, a request that never left) is simply sent again,
//!   bounded by [`Policy::max_attempts`].
//! - **An update is idempotent**: after an ambiguous failure it is sent again (bounded). When
//!   the attempts run out, or the service refuses after an attempt that may have been applied
//!   (a rename that now "collides" with itself, say), the base info decides: the change is in
//!   effect → updated; it is not → not updated.
//! - **A delete is not**: it has no idempotency token, and a second delete of a deleted
//!   instance is refused. So a delete whose reply is lost, late, a 5xx or `SignatureNonceUsed`
//!   is followed by a look at the region's list: gone → deleted (never an error for a delete
//!   that happened); still there → sent again (bounded); the list cannot be read → unknown.
//!
//! Each update or delete ends in exactly one outcome, with the steps taken on the way.

use std::future::Future;
use std::time::Duration;

use serde::Serialize;

use crate::api::{ApiError, Client, ErrorKind, InstanceBaseInfo, InstanceSummary, ReplyMeta};
use crate::create::Policy;
use crate::pacing::{self, CallKind, Setback, Setbacks};

/// One thing that happened during an update or a delete, for the user to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "Step")]
pub enum Step {
    /// Sending attempt N.
    Attempt { n: u32 },
    /// The request never left this machine; sending again.
    NotSentRetrying { detail: String },
    /// No usable reply to an update (which is safe to repeat); sending it again.
    Resending { detail: String },
    /// The service asked us to slow down.
    Throttled { wait_ms: u64 },
    /// Our clock is off; corrected by this many seconds (service minus us).
    ClockCorrected { offset_secs: i64 },
    /// No usable reply (or a refusal after one): looking at the instance before going on.
    Checking { detail: String },
    /// The change is in effect: the update shows in the base info, or the instance is gone.
    InEffect,
    /// It is not: the attempt changed nothing.
    NotInEffect,
    /// The check itself failed.
    CheckFailed { detail: String },
}

/// The whole story of one update or delete.
#[derive(Clone, Debug)]
pub struct Report<O> {
    pub outcome: O,
    /// Requests sent (throttled ones and clock corrections do not count).
    pub attempts: u32,
    /// The clock correction found, if the local clock was off.
    pub clock_offset: Option<time::Duration>,
    pub steps: Vec<Step>,
}

/// How an update ended.
#[derive(Clone, Debug)]
pub enum UpdateOutcome {
    /// The service said so (its RequestId).
    Updated { request_id: String },
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

/// How a delete ended.
#[derive(Clone, Debug)]
pub enum DeleteOutcome {
    /// The service said so (its RequestId).
    Deleted { request_id: String },
    /// No usable reply, but the instance is no longer in the region's list.
    Confirmed,
    /// The service refused (topics or groups left, say), or the instance was proved still
    /// there. Carries the last error.
    NotDeleted(ApiError),
    /// We could not find out: the instance may or may not be gone.
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

    /// True when the instance is gone.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Deleted { .. } | Self::Confirmed)
    }
}

/// What an update changes; `None` leaves a field as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Change<'a> {
    pub name: Option<&'a str>,
    pub remark: Option<&'a str>,
}

impl Change<'_> {
    /// True when `info` already shows this change.
    pub fn is_in(&self, info: &InstanceBaseInfo) -> bool {
        self.name.is_none_or(|n| info.instance_name == n)
            && self.remark.is_none_or(|r| info.remark == r)
    }
}

/// A failure after which a read is worth sending again.
fn passing(err: &ApiError) -> bool {
    match err {
        ApiError::Service(e) => e.is_server_fault() || e.kind() == ErrorKind::NonceReused,
        ApiError::Transport { .. } | ApiError::BadReply { .. } => true,
        ApiError::Setup(_) => false,
    }
}

/// A failure after which a write may or may not have been done.
fn ambiguous(err: &ApiError) -> bool {
    err.outcome_unknown()
        || err
            .service()
            .is_some_and(|s| s.kind() == ErrorKind::NonceReused)
}

/// Sends a read through the rate limit, waiting out throttles, correcting the clock, and
/// sending again after a passing failure (bounded by `policy.max_attempts`).
async fn read<T, Fut>(
    client: &Client,
    policy: Policy,
    reads_per_second: usize,
    mut call: impl FnMut(Client) -> Fut,
) -> Result<T, ApiError>
where
    Fut: Future<Output = (Result<T, ApiError>, ReplyMeta)>,
{
    let mut client = client.clone();
    let mut setbacks = Setbacks::default();
    let mut attempts = 0;
    loop {
        attempts += 1;
        pacing::rate_limit(&client, CallKind::Read, reads_per_second).await;
        let (result, meta) = call(client.clone()).await;
        let err = match result {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        match setbacks.judge(&err, &meta, &mut client, policy) {
            Setback::Throttled { wait } => {
                // bounded whatever `Retry-After` asks; the throttle count bounds the rounds
                tokio::time::sleep(wait.min(policy.max_wait)).await;
                continue;
            }
            Setback::ClockCorrected { .. } => continue,
            Setback::TooManyThrottles => return Err(err),
            Setback::None => {}
        }
        if !passing(&err) || attempts >= policy.max_attempts {
            return Err(err);
        }
        tokio::time::sleep(pacing::backoff(policy, attempts)).await;
    }
}

/// The region's instances with their topic and group counts (`NeedResourceInfo=true`).
pub async fn list(client: &Client, policy: Policy) -> Result<Vec<InstanceSummary>, ApiError> {
    read(client, policy, pacing::READS_PER_SECOND, |c| async move {
        c.instances_with_resources_with_meta().await
    })
    .await
}

/// One instance from the region's list (with its counts); `None` when it is not there.
pub async fn find(
    client: &Client,
    instance_id: &str,
    policy: Policy,
) -> Result<Option<InstanceSummary>, ApiError> {
    let listed = list(client, policy).await?;
    Ok(listed.into_iter().find(|i| i.instance_id == instance_id))
}

/// An instance's base info: endpoints, remark.
pub async fn base_info(
    client: &Client,
    instance_id: &str,
    policy: Policy,
) -> Result<InstanceBaseInfo, ApiError> {
    read(client, policy, pacing::READS_PER_SECOND, |c| {
        let id = instance_id.to_owned();
        async move { c.instance_base_info_with_meta(&id).await }
    })
    .await
}

/// One region's list, or why it could not be read.
#[derive(Debug)]
pub struct RegionListing {
    pub region: String,
    pub result: Result<Vec<InstanceSummary>, ApiError>,
}

/// Lists every client's region concurrently (each client targets one region), starting at
/// most `reads_per_second` calls per second per AccessKey across all of them. The listings
/// come back in the clients' order.
pub async fn list_regions(
    clients: Vec<Client>,
    policy: Policy,
    reads_per_second: usize,
) -> Vec<RegionListing> {
    let regions: Vec<String> = clients.iter().map(|c| c.target().region.clone()).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, client) in clients.into_iter().enumerate() {
        tasks.spawn(async move {
            let result = read(&client, policy, reads_per_second, |c| async move {
                c.instances_with_resources_with_meta().await
            })
            .await;
            (i, result)
        });
    }
    let mut results: Vec<Option<Result<Vec<InstanceSummary>, ApiError>>> =
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
            result: result.unwrap_or_else(|| {
                Err(ApiError::Setup(
                    "the listing stopped unexpectedly".to_owned(),
                ))
            }),
        })
        .collect()
}

/// Where a check found the instance.
enum Check {
    InEffect,
    NotInEffect,
    CouldNotTell,
}

struct Run<'a, F: FnMut(&Step)> {
    client: Client,
    policy: Policy,
    steps: Vec<Step>,
    attempts: u32,
    setbacks: Setbacks,
    on_step: &'a mut F,
}

impl<'a, F: FnMut(&Step)> Run<'a, F> {
    fn new(client: &Client, policy: Policy, on_step: &'a mut F) -> Self {
        Self {
            client: client.clone(),
            policy,
            steps: Vec::new(),
            attempts: 0,
            setbacks: Setbacks::default(),
            on_step,
        }
    }

    fn step(&mut self, step: Step) {
        (self.on_step)(&step);
        self.steps.push(step);
    }

    fn report<O>(self, outcome: O) -> Report<O> {
        Report {
            outcome,
            attempts: self.attempts,
            clock_offset: self.setbacks.clock_offset(),
            steps: self.steps,
        }
    }

    /// Sends one write through the rate limit. `Ok` carries the RequestId; `Err(None)` means
    /// a throttle or clock correction was dealt with and the attempt does not count (send
    /// again); `Err(Some(err))` is a failure to judge.
    async fn send<Fut>(
        &mut self,
        call: impl FnOnce(Client) -> Fut,
    ) -> Result<String, Option<ApiError>>
    where
        Fut: Future<Output = (Result<String, ApiError>, ReplyMeta)>,
    {
        self.attempts += 1;
        self.step(Step::Attempt { n: self.attempts });
        pacing::rate_limit(&self.client, CallKind::Write, self.policy.calls_per_second).await;
        let (result, meta) = call(self.client.clone()).await;
        let err = match result {
            Ok(request_id) => return Ok(request_id),
            Err(e) => e,
        };
        match self
            .setbacks
            .judge(&err, &meta, &mut self.client, self.policy)
        {
            Setback::Throttled { wait } => {
                // bounded whatever `Retry-After` asks; the throttle count bounds the rounds
                let wait = wait.min(self.policy.max_wait);
                self.attempts -= 1;
                self.step(Step::Throttled {
                    wait_ms: pacing::millis(wait),
                });
                tokio::time::sleep(wait).await;
                Err(None)
            }
            Setback::ClockCorrected { offset } => {
                self.attempts -= 1;
                self.step(Step::ClockCorrected {
                    offset_secs: offset.whole_seconds(),
                });
                Err(None)
            }
            Setback::TooManyThrottles | Setback::None => Err(Some(err)),
        }
    }

    async fn pause(&self, round: u32) {
        tokio::time::sleep(pacing::backoff(self.policy, round)).await;
    }

    /// Records and returns what a look found: whether the change is in effect, or why the
    /// look failed.
    fn found(&mut self, in_effect: Result<bool, ApiError>) -> Check {
        let (step, check) = match in_effect {
            Ok(true) => (Step::InEffect, Check::InEffect),
            Ok(false) => (Step::NotInEffect, Check::NotInEffect),
            Err(e) => (
                Step::CheckFailed {
                    detail: e.to_string(),
                },
                Check::CouldNotTell,
            ),
        };
        self.step(step);
        check
    }

    async fn check_update(&mut self, instance_id: &str, change: Change<'_>) -> Check {
        let info = base_info(&self.client, instance_id, self.policy).await;
        self.found(info.map(|info| change.is_in(&info)))
    }

    async fn check_delete(&mut self, instance_id: &str) -> Check {
        let listed = read(
            &self.client,
            self.policy,
            pacing::READS_PER_SECOND,
            |c| async move { c.instances_in_service_with_meta().await },
        )
        .await;
        // Deleted: no longer listed.
        self.found(listed.map(|list| !list.iter().any(|i| i.instance_id == instance_id)))
    }
}

/// Updates an instance's name and/or remark with the rules above. The caller validates the
/// name first (with [`crate::validation::validate_instance_name`]). `on_step` sees each step
/// as it happens.
pub async fn update(
    client: &Client,
    instance_id: &str,
    change: Change<'_>,
    policy: Policy,
    mut on_step: impl FnMut(&Step),
) -> Report<UpdateOutcome> {
    let mut run = Run::new(client, policy, &mut on_step);
    let mut ambiguous_before = false;
    let mut round = 0;
    let outcome = loop {
        let err = match run
            .send(|c| async move {
                c.update_instance_with_meta(instance_id, change.name, change.remark)
                    .await
            })
            .await
        {
            Ok(request_id) => break UpdateOutcome::Updated { request_id },
            Err(None) => continue,
            Err(Some(err)) => err,
        };
        let out_of_attempts = run.attempts >= policy.max_attempts;
        let this_ambiguous = ambiguous(&err);
        if this_ambiguous && !out_of_attempts {
            ambiguous_before = true;
            run.step(Step::Resending {
                detail: err.to_string(),
            });
        } else if this_ambiguous || ambiguous_before && err.service().is_some() {
            run.step(Step::Checking {
                detail: err.to_string(),
            });
            break match run.check_update(instance_id, change).await {
                Check::InEffect => UpdateOutcome::Confirmed,
                Check::NotInEffect => UpdateOutcome::NotUpdated(err),
                Check::CouldNotTell => UpdateOutcome::Unknown(err),
            };
        } else if err.service().is_some() || out_of_attempts || matches!(err, ApiError::Setup(_)) {
            break UpdateOutcome::NotUpdated(err);
        } else {
            run.step(Step::NotSentRetrying {
                detail: err.to_string(),
            });
        }
        round += 1;
        run.pause(round).await;
    };
    run.report(outcome)
}

/// Deletes an instance with the rules above. The caller has confirmed it with the user (the
/// CLI asks for the instance's current name). `on_step` sees each step as it happens.
pub async fn delete(
    client: &Client,
    instance_id: &str,
    policy: Policy,
    mut on_step: impl FnMut(&Step),
) -> Report<DeleteOutcome> {
    let mut run = Run::new(client, policy, &mut on_step);
    let mut ambiguous_before = false;
    let mut round = 0;
    let outcome = loop {
        let err = match run
            .send(|c| async move { c.delete_instance_with_meta(instance_id).await })
            .await
        {
            Ok(request_id) => break DeleteOutcome::Deleted { request_id },
            Err(None) => continue,
            Err(Some(err)) => err,
        };
        let out_of_attempts = run.attempts >= policy.max_attempts;
        let this_ambiguous = ambiguous(&err);
        if this_ambiguous || ambiguous_before && err.service().is_some() {
            // This attempt may have deleted it, or a refusal ("no such instance", say) follows
            // one that may have: look before concluding or sending again.
            ambiguous_before = true;
            run.step(Step::Checking {
                detail: err.to_string(),
            });
            match run.check_delete(instance_id).await {
                Check::InEffect => break DeleteOutcome::Confirmed,
                Check::CouldNotTell => break DeleteOutcome::Unknown(err),
                Check::NotInEffect if !this_ambiguous || out_of_attempts => {
                    break DeleteOutcome::NotDeleted(err);
                }
                Check::NotInEffect => {}
            }
        } else if err.service().is_some() || out_of_attempts || matches!(err, ApiError::Setup(_)) {
            break DeleteOutcome::NotDeleted(err);
        } else {
            run.step(Step::NotSentRetrying {
                detail: err.to_string(),
            });
        }
        round += 1;
        run.pause(round).await;
    };
    run.report(outcome)
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
            instance_id: "MQ_INST_1".into(),
            instance_name: "orders".into(),
            instance_status: 5,
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
