//! Pacing shared by every call: the bounds of a safe operation ([`Policy`]), the per-AccessKey
//! rate limits, backoff with jitter, and the two setbacks any call may meet before it is judged
//! on its merits — the service asking us to slow down, and a local clock too far from the
//! service's.
//!
//! Every call goes through [`crate::operation::Calls`], which uses these, so a throttle or a
//! skewed clock is handled the same way whatever the action.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub use crate::api::CallKind;
use crate::api::{ApiError, Client, ReplyMeta};

/// List and info calls per second per account the service allows.
pub const READS_PER_SECOND: usize = 50;

/// Create, update and delete calls per second per account the service allows.
pub const WRITES_PER_SECOND: usize = 10;

/// Topic and group calls (create, delete, list) per second per account the service allows.
pub const RESOURCE_CALLS_PER_SECOND: usize = 10;

/// Bounds for one command's calls: retries, waits, rates and the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Requests of one change sent at most (throttled ones do not count); also the attempts
    /// of one read.
    pub max_attempts: u32,
    /// Throttled replies tolerated before giving up.
    pub max_throttled: u32,
    /// First backoff; doubles each time, with full jitter.
    pub base_backoff: Duration,
    /// Largest single backoff.
    pub max_backoff: Duration,
    /// Tries to read when looking whether a change is in effect.
    pub look_tries: u32,
    /// Create, update and delete calls per second per AccessKey.
    pub writes_per_second: usize,
    /// List and info calls per second per AccessKey.
    pub reads_per_second: usize,
    /// Topic and group calls (create, delete, list) per second per AccessKey, all six
    /// actions together.
    pub resource_calls_per_second: usize,
    /// The longest single wait, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// No request is started, and no wait ends, later than this after the command began.
    pub deadline: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_throttled: 6,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            look_tries: 3,
            writes_per_second: WRITES_PER_SECOND,
            reads_per_second: READS_PER_SECOND,
            resource_calls_per_second: RESOURCE_CALLS_PER_SECOND,
            max_wait: Duration::from_secs(30),
            deadline: Duration::from_mins(2),
        }
    }
}

impl Policy {
    /// The rate limit for calls of `kind`.
    pub fn per_second(&self, kind: CallKind) -> usize {
        match kind {
            CallKind::Write => self.writes_per_second,
            CallKind::Read => self.reads_per_second,
            CallKind::Resource => self.resource_calls_per_second,
        }
    }
}

/// Exponential backoff with full jitter: a random wait in `[0, min(max, base·2^round)]`,
/// at least a millisecond.
pub fn backoff(policy: Policy, round: u32) -> Duration {
    let ceiling = policy
        .base_backoff
        .saturating_mul(1 << round.min(16))
        .min(policy.max_backoff);
    let millis = u64::try_from(ceiling.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    Duration::from_millis(fastrand::u64(1..=millis))
}

/// An AccessKey ID and the kind of call.
type Bucket = (String, CallKind);

/// Calls sent per AccessKey and kind in the last second, across this process.
static RECENT_CALLS: LazyLock<Mutex<HashMap<Bucket, VecDeque<Instant>>>> =
    LazyLock::new(Mutex::default);

/// Waits until a call of `kind` fits under `per_second` for this client's AccessKey.
pub async fn rate_limit(client: &Client, kind: CallKind, per_second: usize) {
    let key = (client.access_key_id().to_owned(), kind);
    loop {
        let wait = {
            let mut all = RECENT_CALLS.lock().unwrap_or_else(PoisonError::into_inner);
            let recent = all.entry(key.clone()).or_default();
            let now = Instant::now();
            while recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
            {
                recent.pop_front();
            }
            if recent.len() < per_second.max(1) {
                recent.push_back(now);
                None
            } else {
                recent.front().map(|oldest| {
                    Duration::from_secs(1).saturating_sub(now.duration_since(*oldest))
                })
            }
        };
        match wait {
            None => return,
            Some(w) => tokio::time::sleep(w.max(Duration::from_millis(1))).await,
        }
    }
}

/// What a failed call's error means before it is judged on its merits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setback {
    /// Throttled: wait this long and send again (nothing was done).
    Throttled { wait: Duration },
    /// Throttled more often than the policy tolerates: give up with this error.
    TooManyThrottles,
    /// The clock was off (`InvalidTimeStamp.Expired`): the client now signs with this offset
    /// (the service's clock minus ours, at least a second either way); send again (nothing
    /// was done).
    ClockCorrected { offset: time::Duration },
    /// Neither: the error stands.
    None,
}

/// Throttles and the clock correction over one operation (a create, a delete…).
#[derive(Clone, Debug, Default)]
pub struct Setbacks {
    throttled: u32,
    clock_offset: Option<time::Duration>,
}

impl Setbacks {
    /// The clock correction made, if the local clock was off.
    pub fn clock_offset(&self) -> Option<time::Duration> {
        self.clock_offset
    }

    /// Judges `err`: a throttle waits (exponential backoff, honouring `Retry-After`, at most
    /// [`Policy::max_throttled`] times); a first clock refusal ([`crate::api::ErrorKind::ClockSkew`])
    /// with a `Date` on the reply corrects `client`'s clock.
    pub fn judge(
        &mut self,
        err: &ApiError,
        meta: &ReplyMeta,
        client: &mut Client,
        policy: Policy,
    ) -> Setback {
        if err.is_throttle() {
            self.throttled += 1;
            if self.throttled > policy.max_throttled {
                return Setback::TooManyThrottles;
            }
            // the longer of our backoff and the service's Retry-After, uncapped: each caller
            // bounds it ([`Policy::max_wait`]) and holds it against its own deadline
            let wait = backoff(policy, self.throttled).max(meta.retry_after.unwrap_or_default());
            return Setback::Throttled { wait };
        }
        let Some(service) = err.service() else {
            return Setback::None;
        };
        if service.kind() == crate::api::ErrorKind::ClockSkew
            && self.clock_offset.is_none()
            && let (Some(server), Some(ours)) = (meta.server_date, meta.received_at)
            // checked: an implausible `Date` gives no offset rather than an overflow
            // `Date` has whole seconds: a smaller difference is no correction, and the refusal
            // stands as it came
            && let Some(delta) = crate::clock::offset_from_date(server, ours)
                .filter(|delta| delta.whole_seconds() != 0)
            && let Some(offset) = client.clock_offset().checked_add(delta)
                .filter(|o| o.abs() <= crate::clock::MAX_OFFSET)
        {
            self.clock_offset = Some(offset);
            *client = client.clone().with_clock_offset(offset);
            return Setback::ClockCorrected { offset };
        }
        Setback::None
    }
}

/// Milliseconds of a wait, for the user.
pub fn millis(wait: Duration) -> u64 {
    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_bounds() {
        let policy = Policy::default();
        for round in 0..40 {
            let wait = backoff(policy, round);
            assert!(
                wait >= Duration::from_millis(1) && wait <= policy.max_backoff,
                "{round}: {wait:?}"
            );
        }
    }
}
