//! The one engine every call goes through, and every change that onsdesk sends is settled by.
//!
//! None of the service's mutating actions has an idempotency token: a create whose reply is
//! lost may have made the instance, a delete may have removed it. So a change is data — what to
//! send ([`Operation::action`]) and how to tell it took effect ([`Operation::look`]: look for the
//! exact name, for absence, or read the value back) — and one loop ([`Calls::change`]) owns the
//! rest, whatever the action:
//!
//! - every call is paced under the account's rate limits ([`crate::pacing`]);
//! - a throttle waits (exponential backoff with jitter, honouring `Retry-After`, bounded), and
//!   the attempt does not count; a skewed clock is corrected once, by the reply's `Date`;
//! - the request never left (DNS, refused connection): it is sent again plainly (bounded);
//! - an ambiguous failure (a lost or late reply, a 5xx, `SignatureNonceUsed`, an unreadable
//!   body) is settled by looking before anything is sent again — in effect: done (seen);
//!   not in effect: sent again (bounded), looking again after each; the name held by
//!   another (someone else's: made before the attempt, or of another type): not done, and
//!   nothing more sent, since every attempt could only be refused; the look cannot be made:
//!   unknown. An idempotent change (an update) is sent again first and looked at when its
//!   attempts run out;
//! - a refusal after an ambiguous attempt is looked at too (a "duplicate name" may be our own
//!   first attempt): in effect, done; not in effect, the change ends not done when the
//!   refusal is one every attempt would have had alike (the key, the permission: see
//!   [`crate::api::ErrorKind::refuses_every_attempt_alike`]), and unknown otherwise: the
//!   refusal and the look disagree (an update's look reads the value itself and decides);
//! - one deadline bounds the whole command ([`Policy::deadline`]): no request is started and no
//!   wait ends past it. A request in flight is bounded by the transport's timeout, and an
//!   ambiguous attempt is always looked at once, so a change takes at most the deadline plus
//!   one request and one look.
//!
//! Reads ([`Calls::read`]) go through the same pacing, throttle waits, clock correction and
//! deadline, and are sent again after a failure that may be passing. Every step is reported as
//! it happens ([`Step`]), and each change ends in exactly one [`Outcome`].

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::api::{Action, ApiError, Client, Delivery, ErrorKind};
use crate::pacing::{self, Policy, Setback, Setbacks};

/// One thing that happened on the way, for the user to read. A step that follows a failure
/// carries it (words at the edge: the command line's English, the window's language); in
/// `--json` it is its text, under `detail`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "Step")]
pub enum Step {
    /// Sending the change, attempt N.
    Attempt { n: u32 },
    /// The request never left this machine; sending it again.
    NotSentRetrying {
        #[serde(rename = "detail", serialize_with = "as_text")]
        error: ApiError,
    },
    /// No usable reply to a change that is safe to repeat; sending it again.
    Resending {
        #[serde(rename = "detail", serialize_with = "as_text")]
        error: ApiError,
    },
    /// A read failed in a way that may pass; asking again.
    ReadRetrying {
        #[serde(rename = "detail", serialize_with = "as_text")]
        error: ApiError,
    },
    /// The service asked us to slow down; waiting this long.
    Throttled { wait_ms: u64 },
    /// Our clock is off; corrected by this many seconds (service minus us).
    ClockCorrected { offset_secs: i64 },
    /// No usable reply (or a refusal after one): looking whether the change is in effect.
    Looking {
        #[serde(rename = "detail", serialize_with = "as_text")]
        error: ApiError,
    },
    /// It is: what was found, when there is something to name (the adopted InstanceId).
    InEffect { found: Option<String> },
    /// It is not: the attempt changed nothing.
    NotInEffect,
    /// It is not, and cannot be: the name is held by another (someone else's, made before the
    /// attempt or of another type), so the attempt was refused and nothing more is sent.
    Taken,
    /// The look itself failed.
    LookFailed {
        #[serde(rename = "detail", serialize_with = "as_text")]
        error: ApiError,
    },
}

fn as_text<S: serde::Serializer>(error: &ApiError, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(error)
}

/// What a look found.
#[derive(Debug)]
pub enum Look<S> {
    /// The change is in effect; `S` is what shows it (the instance found by its name).
    InEffect(S),
    /// It is not.
    NotInEffect,
    /// It is not, and cannot be: the look saw the name held by another (an instance of the
    /// name made long before the attempt, a topic of another type). No attempt made it, none
    /// that may still arrive can, and one sent again could only be refused.
    Taken,
    /// The look could not be made.
    CouldNotTell(ApiError),
}

/// How a change ended.
#[derive(Clone, Debug)]
pub enum Outcome<D, S> {
    /// The service said it was done, with its reply.
    Done(D),
    /// No usable reply, but a look showed the change in effect.
    Seen(S),
    /// The service refused, or a look proved the change not in effect. Carries the last error.
    NotDone(ApiError),
    /// Not done, and not to be done: after an attempt that may have arrived (its error), a
    /// look found the name held by another ([`Look::Taken`]), so nothing more was sent.
    Taken(ApiError),
    /// It could not be found out: the change may or may not be in effect.
    Unknown(ApiError),
}

/// The whole story of one command's change: its outcome and the steps on the way.
#[derive(Clone, Debug)]
pub struct Report<O> {
    pub outcome: O,
    /// Requests of the change sent (throttled ones and clock corrections do not count).
    pub attempts: u32,
    /// The clock correction found, if the local clock was off.
    pub clock_offset: Option<time::Duration>,
    /// What the last request signed (for the signature doctor; no secret in it).
    pub last_string_to_sign: Option<String>,
    pub steps: Vec<Step>,
}

impl<O> Report<O> {
    /// True when the last look was made and did not show the change: an unknown outcome then
    /// is not for want of a list, but because a request whose reply was lost may still take
    /// effect (or a refusal and the list disagree).
    pub fn last_look_saw_nothing(&self) -> bool {
        last_look_saw_nothing(&self.steps)
    }

    /// The same report with its outcome turned into another form.
    pub fn map<P>(self, f: impl FnOnce(O) -> P) -> Report<P> {
        Report {
            outcome: f(self.outcome),
            attempts: self.attempts,
            clock_offset: self.clock_offset,
            last_string_to_sign: self.last_string_to_sign,
            steps: self.steps,
        }
    }
}

/// [`Report::last_look_saw_nothing`] for the steps of a report kept on their own (the
/// window's card keeps them).
pub fn last_look_saw_nothing(steps: &[Step]) -> bool {
    steps
        .iter()
        .rev()
        .find_map(|step| match step {
            Step::NotInEffect => Some(true),
            Step::LookFailed { .. } | Step::InEffect { .. } | Step::Taken => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

/// A change to send: the action, and how to tell whether it took effect.
pub trait Operation: Sync {
    /// The mutating action sent.
    type Action: Action + Sync;
    /// What a look finds when the change is in effect.
    type Seen: Send;

    /// True for a change that may be sent twice with no harm (an update to given values): after
    /// an ambiguous failure it is sent again, and looked at only when its attempts run out.
    /// Otherwise (a create, a delete) it is looked at before anything is sent again.
    const IDEMPOTENT: bool;

    /// What is sent, each attempt.
    fn action(&self) -> &Self::Action;

    /// Looks whether the change is in effect, reading through `calls` (paced, bounded).
    fn look(&self, calls: &mut Calls<'_>) -> impl Future<Output = Look<Self::Seen>> + Send;

    /// What to name in the steps when a look finds the change in effect.
    fn found(seen: &Self::Seen) -> Option<String> {
        let _ = seen;
        None
    }
}

/// The reads and changes of one command: one client (whose clock correction, once found,
/// holds for the rest), one policy, one deadline, one list of steps.
pub struct Calls<'a> {
    client: Client,
    policy: Policy,
    /// `None`: too far ahead to represent, i.e. no deadline.
    deadline: Option<Instant>,
    setbacks: Setbacks,
    attempts: u32,
    last_string_to_sign: Option<String>,
    /// A call was sent: a plain read then waits for no reply past the deadline.
    sent_any: bool,
    steps: Vec<Step>,
    on_step: &'a mut (dyn FnMut(&Step) + Send),
}

impl std::fmt::Debug for Calls<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calls")
            .field("target", self.client.target())
            .field("policy", &self.policy)
            .field("attempts", &self.attempts)
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

/// A failure after which a change may or may not have been done.
fn ambiguous(err: &ApiError) -> bool {
    err.outcome_unknown()
        || err
            .service()
            .is_some_and(|s| s.kind() == ErrorKind::NonceReused)
}

/// How a change no one has seen in effect ends: not done, or unknown when an attempt that may
/// have arrived may still take effect (`may_still_land`).
fn not_seen<D, S>(err: ApiError, may_still_land: bool) -> Outcome<D, S> {
    if may_still_land {
        Outcome::Unknown(err)
    } else {
        Outcome::NotDone(err)
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

impl<'a> Calls<'a> {
    /// Starts a command's calls now: its deadline is `policy.deadline` from now. `on_step` sees
    /// each step as it happens.
    pub fn new(
        client: &Client,
        policy: Policy,
        on_step: &'a mut (dyn FnMut(&Step) + Send),
    ) -> Self {
        Self::until(
            client,
            policy,
            Instant::now().checked_add(policy.deadline),
            on_step,
        )
    }

    /// Starts calls that end at `deadline` (`None`: none), shared with other calls of the same
    /// command: one made per endpoint, say, under the command's one deadline. `policy.deadline`
    /// is not used.
    pub fn until(
        client: &Client,
        policy: Policy,
        deadline: Option<Instant>,
        on_step: &'a mut (dyn FnMut(&Step) + Send),
    ) -> Self {
        Self {
            client: client.clone(),
            policy,
            deadline,
            setbacks: Setbacks::default(),
            attempts: 0,
            last_string_to_sign: None,
            sent_any: false,
            steps: Vec::new(),
            on_step,
        }
    }

    /// The client calls are made with (its clock corrected once a correction was found).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// When `at` (on this machine's monotonic clock) was in the service's time, as far as the
    /// client's clock correction knows it: what a listed `CreateTime` is compared with.
    pub fn service_time_of(&self, at: std::time::Instant) -> time::OffsetDateTime {
        let now = self.client.now();
        time::Duration::try_from(at.elapsed())
            .ok()
            .and_then(|elapsed| now.checked_sub(elapsed))
            .unwrap_or(now)
    }

    /// The policy in force.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// True once the deadline has passed.
    pub fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Time left before the deadline; `None` when there is none.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Waits `wait` between two reads that follow a change (a new topic until it is in
    /// service), if the wait ends by the deadline; otherwise returns false at once.
    pub async fn pause(&mut self, wait: Duration) -> bool {
        self.wait(wait).await
    }

    /// The report of what was done, with `outcome`.
    pub fn report<O>(self, outcome: O) -> Report<O> {
        Report {
            outcome,
            attempts: self.attempts,
            clock_offset: self.setbacks.clock_offset(),
            last_string_to_sign: self.last_string_to_sign,
            steps: self.steps,
        }
    }

    /// Records a step and tells `on_step`.
    pub fn step(&mut self, step: Step) {
        (self.on_step)(&step);
        self.steps.push(step);
    }

    /// True when a wait of `wait` ends by the deadline. The wait is taken as asked, not as
    /// capped: a `Retry-After` longer than what is left ends the command at once (the service
    /// will not take the call before then).
    fn fits(&self, wait: Duration) -> bool {
        self.deadline.is_none_or(|deadline| {
            Instant::now()
                .checked_add(wait)
                .is_some_and(|ends| ends <= deadline)
        })
    }

    /// Waits `wait` (capped at [`Policy::max_wait`]) if `wait` ends by the deadline; otherwise
    /// returns false at once.
    async fn wait(&mut self, wait: Duration) -> bool {
        if !self.fits(wait) {
            return false;
        }
        tokio::time::sleep(wait.min(self.policy.max_wait)).await;
        true
    }

    /// Sends `action` once, paced; then deals with the setbacks: `Ok(None)` means a throttle
    /// was waited out or the clock corrected (send again; nothing was done), `Err` is a
    /// failure to judge. A change (`read` false) answered 429 without the service's own
    /// throttling code (no body, or another code) is not waited out and sent again: whatever
    /// answered may have passed it on, so it is looked at first.
    async fn send_once<A: Action>(
        &mut self,
        action: &A,
        read: bool,
    ) -> Result<Option<A::Output>, ApiError> {
        pacing::rate_limit(&self.client, A::KIND, self.policy.per_second(A::KIND)).await;
        self.sent_any = true;
        let reply = self.client.send(action).await;
        self.last_string_to_sign
            .clone_from(&reply.meta.string_to_sign);
        let err = match reply.result {
            Ok(value) => return Ok(Some(value)),
            Err(err) => err,
        };
        if !read && err.is_throttle() && !err.is_own_throttle() {
            return Err(err);
        }
        match self
            .setbacks
            .judge(&err, &reply.meta, &mut self.client, self.policy)
        {
            Setback::Throttled { wait } => {
                if !self.fits(wait) {
                    // waiting would pass the deadline: the refusal stands
                    return Err(err);
                }
                self.step(Step::Throttled {
                    wait_ms: pacing::millis(wait.min(self.policy.max_wait)),
                });
                self.wait(wait).await;
                Ok(None)
            }
            Setback::ClockCorrected { offset } => {
                self.step(Step::ClockCorrected {
                    offset_secs: offset.whole_seconds(),
                });
                Ok(None)
            }
            Setback::TooManyThrottles | Setback::None => Err(err),
        }
    }

    /// Sends a read: paced, throttles waited out, the clock corrected, and sent again after a
    /// failure that may be passing (at most [`Policy::max_attempts`] times, and not past the
    /// deadline, except that the first attempt is always made: a look that settles an
    /// ambiguous change must happen).
    pub async fn read<A: Action>(&mut self, action: &A) -> Result<A::Output, ApiError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let err = match self.send_read(action).await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {
                    attempts -= 1;
                    continue;
                }
                Err(err) => err,
            };
            if !passing(&err) || attempts >= self.policy.max_attempts {
                return Err(err);
            }
            let backoff = pacing::backoff(self.policy, attempts);
            if !self.fits(backoff) {
                return Err(err);
            }
            self.step(Step::ReadRetrying { error: err.clone() });
            self.wait(backoff).await;
        }
    }

    /// [`Calls::send_once`] for a plain read, abandoned when the deadline passes before its
    /// reply: a read changes nothing, so nothing is left to settle, and the deadline holds
    /// for a command that only reads. With no time left, a read is not sent at all once the
    /// command has sent anything (what a refused delete holds, asked after it); the command's
    /// first call is always made, and awaited up to the transport's timeout.
    async fn send_read<A: Action>(&mut self, action: &A) -> Result<Option<A::Output>, ApiError> {
        if self.sent_any && self.remaining().is_some_and(|left| left.is_zero()) {
            return Err(ApiError::Transport {
                delivery: Delivery::NotSent,
                cause: crate::api::TransportCause::Deadline,
            });
        }
        match self.remaining() {
            Some(left) if !left.is_zero() => {
                match tokio::time::timeout(left, self.send_once(action, true)).await {
                    Ok(sent) => sent,
                    Err(_) => Err(ApiError::Transport {
                        delivery: Delivery::MaybeReceived,
                        cause: crate::api::TransportCause::Deadline,
                    }),
                }
            }
            _ => self.send_once(action, true).await,
        }
    }

    /// Sends a read once: paced, throttles waited out and the clock corrected, but not sent
    /// again after a failure (for a look, which [`Policy::look_tries`] repeats).
    pub async fn read_once<A: Action>(&mut self, action: &A) -> Result<A::Output, ApiError> {
        loop {
            if let Some(value) = self.send_once(action, true).await? {
                return Ok(value);
            }
        }
    }

    /// Looks whether `op` is in effect, a few times if the look fails (not past the deadline
    /// after the first), and records what it found.
    async fn look<O: Operation>(&mut self, op: &O) -> Look<O::Seen> {
        let mut last = None;
        for round in 0..self.policy.look_tries.max(1) {
            if round > 0 && !self.wait(pacing::backoff(self.policy, round)).await {
                break;
            }
            match op.look(self).await {
                Look::InEffect(seen) => {
                    self.step(Step::InEffect {
                        found: O::found(&seen),
                    });
                    return Look::InEffect(seen);
                }
                Look::NotInEffect => {
                    self.step(Step::NotInEffect);
                    return Look::NotInEffect;
                }
                Look::Taken => {
                    self.step(Step::Taken);
                    return Look::Taken;
                }
                Look::CouldNotTell(e) => {
                    self.step(Step::LookFailed { error: e.clone() });
                    last = Some(e);
                }
            }
        }
        Look::CouldNotTell(last.unwrap_or(ApiError::Setup(crate::api::SetupProblem::NoLook)))
    }

    /// Sends the change `op` with the rules in the module documentation.
    pub async fn change<O: Operation>(
        &mut self,
        op: &O,
    ) -> Outcome<<O::Action as Action>::Output, O::Seen> {
        let mut ambiguous_before = false;
        let mut round = 0;
        loop {
            self.attempts += 1;
            self.step(Step::Attempt { n: self.attempts });
            let err = match self.send_once(op.action(), false).await {
                Ok(Some(done)) => return Outcome::Done(done),
                Ok(None) => {
                    self.attempts -= 1; // nothing was done: it does not use up an attempt
                    continue;
                }
                Err(err) => err,
            };
            if err.is_own_throttle() && !(O::IDEMPOTENT && ambiguous_before) {
                // throttled beyond what the policy or the deadline allows: refused, so nothing
                // was done by this attempt; but an earlier one that may have arrived may still
                // take effect, whatever its look found
                return not_seen(err, ambiguous_before);
            }
            let out_of_attempts = self.attempts >= self.policy.max_attempts;
            let this_ambiguous = ambiguous(&err);
            // "sending it again" is said once the wait before it has fitted the deadline: a
            // repeat the deadline stops is never announced
            let again;
            if O::IDEMPOTENT && this_ambiguous && !out_of_attempts {
                ambiguous_before = true;
                again = Some(Step::Resending { error: err.clone() });
            } else if this_ambiguous || ambiguous_before && err.service().is_some() {
                // This attempt may have done it, or a refusal (a duplicate name, "no such
                // instance") follows one that may have: look before concluding or sending
                // again.
                ambiguous_before = true;
                self.step(Step::Looking { error: err.clone() });
                match self.look(op).await {
                    Look::InEffect(seen) => return Outcome::Seen(seen),
                    Look::CouldNotTell(_) => return Outcome::Unknown(err),
                    // The name is someone else's: every attempt of this change was or will be
                    // refused for it, so none is sent again and none may still take effect.
                    Look::Taken => return Outcome::Taken(err),
                    Look::NotInEffect => {
                        // A refusal that an earlier attempt's arrival may explain ("exists"
                        // after a create whose reply was lost) against a look that neither
                        // shows the change nor what else the refusal is about: the evidence
                        // disagrees, so it is not known. An update's look reads the value
                        // itself, and has the last word.
                        let explained = err
                            .service()
                            .is_some_and(|e| e.kind().refuses_every_attempt_alike());
                        // Out of attempts after one that may have arrived is the same: a look
                        // that does not show it yet is no proof, since a request may take effect
                        // long after it was sent (see `history::refresh::LANDS_WITHIN`).
                        if !this_ambiguous || out_of_attempts || O::IDEMPOTENT {
                            return not_seen(err, !O::IDEMPOTENT && !explained);
                        }
                    }
                }
                again = None;
            } else if err.service().is_some()
                || out_of_attempts
                || matches!(err, ApiError::Setup(_))
            {
                // an earlier attempt that may have arrived may still take effect
                return not_seen(err, ambiguous_before && !O::IDEMPOTENT);
            } else {
                again = Some(Step::NotSentRetrying { error: err.clone() });
            }
            // Every attempt so far is known not to have done it (refused, never sent, or looked
            // at and not in effect), or is an idempotent one to repeat: stopping here at the
            // deadline is "not done", except for a repeat, which is looked at first.
            round += 1;
            if !self.wait(pacing::backoff(self.policy, round)).await {
                if O::IDEMPOTENT && ambiguous_before {
                    self.step(Step::Looking { error: err.clone() });
                    return match self.look(op).await {
                        Look::InEffect(seen) => Outcome::Seen(seen),
                        Look::NotInEffect => Outcome::NotDone(err),
                        Look::Taken => Outcome::Taken(err),
                        Look::CouldNotTell(_) => Outcome::Unknown(err),
                    };
                }
                // an earlier attempt that may have arrived may still take effect
                return not_seen(err, ambiguous_before && !O::IDEMPOTENT);
            }
            if let Some(step) = again {
                self.step(step);
            }
        }
    }
}
