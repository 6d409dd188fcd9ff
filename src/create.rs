//! A create that is safe to lose the reply of.
//!
//! `OnsInstanceCreate` has no idempotency token: if the service created the instance and the
//! reply was lost, a blind retry makes a second instance (or fails on the name) and a silent
//! failure loses one the user pays for. So every ambiguous failure is followed by a look at the
//! region's instances for the exact name before anything is sent again:
//!
//! - the request never left (DNS, refused connection): retry plainly;
//! - throttled: back off exponentially with jitter (honouring `Retry-After`), bounded;
//! - clock skew (`InvalidTimeStamp.Expired`): correct by the reply's `Date`, retry once;
//! - the reply is lost, late, a 5xx, or `SignatureNonceUsed`: reconcile — found: adopted;
//!   not found: retry with a fresh nonce and timestamp (bounded), reconciling again after each;
//! - refused: not created (after reconciling, if an earlier attempt was ambiguous).
//!
//! Every wait is bounded ([`Policy::max_wait`]) and no new request starts after the overall
//! [`Policy::deadline`]: a `Retry-After` longer than what is left ends the create at once (it was
//! refused, so nothing exists). A request in flight is still bounded by the transport's timeout,
//! and an ambiguous attempt is always reconciled once, so the whole create takes at most the
//! deadline plus one request and one listing.
//!
//! Every create ends in exactly one [`Outcome`].

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::api::{ApiError, Client, CreatedInstance, InstanceSummary, InstanceType};
use crate::pacing::{self, CallKind, Setback, Setbacks};

/// How a create ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The service said so.
    Created(CreatedInstance),
    /// The reply was lost, but the instance exists: found by its exact name.
    Adopted {
        instance_id: String,
        instance_type: InstanceType,
    },
    /// The service refused, or we proved the instance does not exist. Carries the last error.
    NotCreated(ApiError),
    /// We could not find out: the instance may exist. Check again later.
    Unknown(ApiError),
}

impl Outcome {
    /// The word scripts see in `--json` (`Outcome`).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Created(_) => "created",
            Self::Adopted { .. } => "adopted",
            Self::NotCreated(_) => "not_created",
            Self::Unknown(_) => "unknown",
        }
    }

    /// The instance, when there is one.
    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Self::Created(c) => Some(&c.instance_id),
            Self::Adopted { instance_id, .. } => Some(instance_id),
            Self::NotCreated(_) | Self::Unknown(_) => None,
        }
    }
}

/// One thing that happened on the way, for the user to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "Step")]
pub enum Step {
    /// Sending attempt N.
    Attempt { n: u32 },
    /// The request never left this machine; sending again.
    NotSentRetrying { detail: String },
    /// The service asked us to slow down.
    Throttled { wait_ms: u64 },
    /// Our clock is off; corrected by this many seconds (service minus us).
    ClockCorrected { offset_secs: i64 },
    /// No usable reply; looking for the name in the region.
    Reconciling { detail: String },
    /// The name was found.
    Found { instance_id: String },
    /// The name was not found: the attempt did not create it.
    NotFound,
    /// Listing the region failed.
    ReconcileFailed { detail: String },
}

/// Bounds for retries and waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Requests sent at most (throttled ones do not count): creates here, and updates or
    /// deletes in [`crate::instances`].
    pub max_attempts: u32,
    /// Throttled replies tolerated before giving up.
    pub max_throttled: u32,
    /// First backoff; doubles each time, with full jitter.
    pub base_backoff: Duration,
    /// Largest single wait.
    pub max_backoff: Duration,
    /// Tries to list the region when reconciling.
    pub reconcile_tries: u32,
    /// Create, update and delete calls per second per AccessKey (the service allows 10).
    pub calls_per_second: usize,
    /// The longest single wait, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// No request is started, and no wait ends, later than this after the create began.
    pub deadline: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_throttled: 6,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            reconcile_tries: 3,
            calls_per_second: 10,
            max_wait: Duration::from_secs(30),
            deadline: Duration::from_mins(2),
        }
    }
}

/// The whole story of one create.
#[derive(Clone, Debug)]
pub struct Report {
    pub outcome: Outcome,
    /// Create requests sent.
    pub attempts: u32,
    /// The clock correction found, if the local clock was off.
    pub clock_offset: Option<time::Duration>,
    /// What the last attempt signed (for the signature doctor).
    pub last_string_to_sign: Option<String>,
    pub steps: Vec<Step>,
}

/// Creates `name` with the rules above. `on_step` sees each step as it happens.
pub async fn create(
    client: &Client,
    name: &str,
    remark: Option<&str>,
    policy: Policy,
    mut on_step: impl FnMut(&Step),
) -> Report {
    let started = Instant::now();
    let mut run = Run {
        client: client.clone(),
        policy,
        deadline: started.checked_add(policy.deadline),
        steps: Vec::new(),
        attempts: 0,
        clock_offset: None,
        last_string_to_sign: None,
        on_step: &mut on_step,
        setbacks: Setbacks::default(),
    };
    let outcome = run.go(name, remark).await;
    Report {
        outcome,
        attempts: run.attempts,
        clock_offset: run.clock_offset,
        last_string_to_sign: run.last_string_to_sign,
        steps: run.steps,
    }
}

/// Looks for `name` among the region's instances: "check again" for an unknown outcome.
pub async fn find_by_name(
    client: &Client,
    name: &str,
) -> Result<Option<InstanceSummary>, ApiError> {
    let list = client.instances_in_service().await?;
    Ok(list.into_iter().find(|i| i.instance_name == name))
}

struct Run<'a, F: FnMut(&Step)> {
    client: Client,
    policy: Policy,
    /// `None`: too far ahead to represent, i.e. no deadline.
    deadline: Option<Instant>,
    steps: Vec<Step>,
    attempts: u32,
    clock_offset: Option<time::Duration>,
    last_string_to_sign: Option<String>,
    on_step: &'a mut F,
    setbacks: Setbacks,
}

enum Found {
    Yes(InstanceSummary),
    No,
    CouldNotTell,
}

impl<F: FnMut(&Step)> Run<'_, F> {
    fn step(&mut self, step: Step) {
        (self.on_step)(&step);
        self.steps.push(step);
    }

    /// True when a wait of `wait` ends by the deadline.
    fn fits(&self, wait: Duration) -> bool {
        self.deadline.is_none_or(|deadline| {
            Instant::now()
                .checked_add(wait)
                .is_some_and(|ends| ends <= deadline)
        })
    }

    /// Waits `wait` (capped at [`Policy::max_wait`]) if it ends by the deadline; otherwise
    /// returns false at once.
    async fn wait_within_deadline(&self, wait: Duration) -> bool {
        if !self.fits(wait) {
            return false;
        }
        tokio::time::sleep(wait.min(self.policy.max_wait)).await;
        true
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    async fn go(&mut self, name: &str, remark: Option<&str>) -> Outcome {
        let mut ambiguous_before = false;
        let mut backoff_round = 0;
        loop {
            self.attempts += 1;
            self.step(Step::Attempt { n: self.attempts });
            pacing::rate_limit(&self.client, CallKind::Write, self.policy.calls_per_second).await;
            let (result, meta) = self.client.create_instance_with_meta(name, remark).await;
            self.last_string_to_sign.clone_from(&meta.string_to_sign);
            let err = match result {
                Ok(created) => return Outcome::Created(created),
                Err(err) => err,
            };
            let out_of_attempts = self.attempts >= self.policy.max_attempts;
            match self
                .setbacks
                .judge(&err, &meta, &mut self.client, self.policy)
            {
                Setback::Throttled { wait } => {
                    self.attempts -= 1; // nothing was done: it does not use up an attempt
                    if !self.wait_within_deadline_checked(wait).await {
                        // refused, so nothing exists: giving up here is "not created"
                        return Outcome::NotCreated(err);
                    }
                    continue;
                }
                Setback::TooManyThrottles => return Outcome::NotCreated(err),
                Setback::ClockCorrected { offset } => {
                    self.clock_offset = Some(offset);
                    self.step(Step::ClockCorrected {
                        offset_secs: offset.whole_seconds(),
                    });
                    self.attempts -= 1; // refused before anything was done
                    continue;
                }
                Setback::None => {}
            }
            let ambiguous = err.outcome_unknown()
                || err
                    .service()
                    .is_some_and(|s| s.kind() == crate::api::ErrorKind::NonceReused);
            if ambiguous || ambiguous_before && err.service().is_some() {
                // Either this attempt may have created it, or a refusal (a duplicate name,
                // say) follows an attempt that may have: look before concluding.
                ambiguous_before = true;
                self.step(Step::Reconciling {
                    detail: err.to_string(),
                });
                match self.reconcile(name).await {
                    Found::Yes(found) => {
                        return Outcome::Adopted {
                            instance_id: found.instance_id,
                            instance_type: found.instance_type,
                        };
                    }
                    Found::CouldNotTell => return Outcome::Unknown(err),
                    Found::No if !ambiguous || out_of_attempts => return Outcome::NotCreated(err),
                    Found::No => {}
                }
            } else if err.service().is_some()
                || out_of_attempts
                || matches!(err, ApiError::Setup(_))
            {
                return Outcome::NotCreated(err);
            } else {
                self.step(Step::NotSentRetrying {
                    detail: err.to_string(),
                });
            }
            // Every attempt so far is known not to have created it (refused, never sent, or
            // reconciled as not found): stopping at the deadline is "not created".
            backoff_round += 1;
            if !self
                .wait_within_deadline(pacing::backoff(self.policy, backoff_round))
                .await
            {
                return Outcome::NotCreated(err);
            }
        }
    }

    /// [`Run::wait_within_deadline`] for a throttled reply, shown to the user as a step first.
    async fn wait_within_deadline_checked(&mut self, wait: Duration) -> bool {
        if self.fits(wait) {
            self.step(Step::Throttled {
                wait_ms: u64::try_from(wait.min(self.policy.max_wait).as_millis())
                    .unwrap_or(u64::MAX),
            });
        }
        self.wait_within_deadline(wait).await
    }

    async fn reconcile(&mut self, name: &str) -> Found {
        for round in 0..self.policy.reconcile_tries.max(1) {
            // The first look always happens, whatever the deadline: it is what settles an
            // ambiguous attempt.
            if round > 0 {
                if self.past_deadline() {
                    break;
                }
                tokio::time::sleep(pacing::backoff(self.policy, round).min(self.policy.max_wait))
                    .await;
            }
            match find_by_name(&self.client, name).await {
                Ok(Some(found)) => {
                    self.step(Step::Found {
                        instance_id: found.instance_id.clone(),
                    });
                    return Found::Yes(found);
                }
                Ok(None) => {
                    self.step(Step::NotFound);
                    return Found::No;
                }
                Err(e) => {
                    self.step(Step::ReconcileFailed {
                        detail: e.to_string(),
                    });
                }
            }
        }
        Found::CouldNotTell
    }
}
