//! The one gate where a reply's bytes become values.
//!
//! [`read_reply`] is pure (status, headers, body in; a checked value or an error out), so the
//! whole path can be fuzzed without sockets, and [`crate::api::Client::send`] is its only caller
//! in the product. In order:
//!
//! 1. the body is redacted (the STS token in any shape, see [`Redactor`]) before anything is
//!    read from it; `Date` and `Retry-After` are read only when plausible;
//! 2. a redirect is an error naming where it pointed (never followed);
//! 3. the body is parsed as the action's raw reply, or as a service error (JSON or XML), whose
//!    fields are made printable and whose RequestId must have its format;
//! 4. the action checks the raw reply ([`Action::check`]) with the helpers below: IDs well
//!    formed and the ones asked for, text printable and at most [`MAX_TEXT_CHARS`], times
//!    representable in any time zone, list entries that fail a check left out and counted.

use std::time::Duration;

use serde::Deserialize;
use time::OffsetDateTime;

use super::action::Action;
use super::redact::Redactor;
use super::response::{MAX_TEXT_CHARS, Parsed, parse};
use super::{ApiError, Reply, ReplyMeta, ReplyProblem};
use crate::ids::BadId;
use crate::text::{excerpt, shortened};

/// The entries of a list reply that passed their checks, and how many did not (a malformed ID,
/// an entry about another instance). The entries are also reachable as a slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    /// Entries left out because they failed a check: not shown, not matched, not believed.
    pub left_out: usize,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            left_out: 0,
        }
    }
}

impl<T> Listed<T> {
    /// Keeps what `check` accepts, counting the rest.
    pub fn checked<R>(raw: Vec<R>, mut check: impl FnMut(R) -> Option<T>) -> Self {
        let mut left_out = 0;
        let items = raw
            .into_iter()
            .filter_map(|r| {
                let item = check(r);
                if item.is_none() {
                    left_out += 1;
                }
                item
            })
            .collect();
        Self { items, left_out }
    }

    /// Keeps the first entry of each `key` (an ID, a name), counting the others as left out:
    /// a reply that lists one name twice is not to be believed about either, and the window
    /// gives each row's controls an ID made of its name.
    #[must_use]
    pub fn unique_by<K: Eq + std::hash::Hash>(mut self, key: impl Fn(&T) -> K) -> Self {
        let mut seen = std::collections::HashSet::new();
        let before = self.items.len();
        self.items.retain(|item| seen.insert(key(item)));
        self.left_out += before - self.items.len();
        self
    }

    /// True when every entry of the reply passed: only then does "not in the list" mean "not
    /// there".
    pub fn is_whole(&self) -> bool {
        self.left_out == 0
    }
}

impl<T> std::ops::Deref for Listed<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for Listed<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Listed<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Reads the reply to `action`: see the module documentation. `received_at` is our (corrected)
/// clock when the reply arrived.
pub fn read_reply<A: Action>(
    action: &A,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
    redactor: &Redactor,
    received_at: OffsetDateTime,
) -> Reply<A::Output> {
    let header = |name: reqwest::header::HeaderName| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let server_date = header(reqwest::header::DATE).and_then(|d| crate::clock::parse_http_date(&d));
    let meta = ReplyMeta {
        server_date,
        received_at: Some(received_at),
        retry_after: header(reqwest::header::RETRY_AFTER)
            .and_then(|v| retry_after(&v, server_date.unwrap_or(received_at))),
        string_to_sign: None,
    };
    if tracing::enabled!(tracing::Level::DEBUG) {
        let text = redactor.redact(&String::from_utf8_lossy(body));
        tracing::debug!(status, body = %excerpt(&text), "reply");
    }
    if (300..400).contains(&status) {
        let location = header(reqwest::header::LOCATION).map(|l| excerpt(&redactor.redact(&l)));
        let error = ApiError::BadReply {
            http_status: status,
            problem: ReplyProblem::Redirected { location },
            request_id: None,
        };
        return Reply {
            result: Err(error),
            meta,
        };
    }
    let result = match parse::<A::Raw>(status, body, redactor) {
        Parsed::Ok(raw) => action.check(raw),
        Parsed::Service(e) => Err(ApiError::Service(e)),
        Parsed::Unreadable {
            problem,
            request_id,
        } => Err(ApiError::BadReply {
            http_status: status,
            problem,
            request_id,
        }),
    };
    Reply { result, meta }
}

/// A `Retry-After` header: seconds, or an HTTP date (read against the reply's own `Date`, or
/// our clock when it has none; a date past is no wait). `None` when it is neither.
fn retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = crate::clock::parse_http_date(value)?;
    Some(Duration::try_from(at - now).unwrap_or(Duration::ZERO))
}

/// A success reply whose content is not what the API returns: a protocol error. For a change
/// the outcome is then unknown (the service, or whatever answered, may have done it).
pub(super) fn untrusted(problem: ReplyProblem) -> ApiError {
    ApiError::BadReply {
        http_status: 200,
        problem,
        request_id: None,
    }
}

/// [`untrusted`] for an identifier that failed its check.
pub(super) fn bad_id(e: &BadId) -> ApiError {
    untrusted(ReplyProblem::BadId {
        what: e.what,
        shown: e.shown.clone(),
    })
}

/// Text from a reply, printable and at most [`MAX_TEXT_CHARS`] characters: how a reply's
/// names and remarks are kept, so a value sent is compared with one read back in this form.
pub fn text(s: &str) -> String {
    shortened(s, MAX_TEXT_CHARS)
}

/// [`text`] for an optional field, an empty one being absent.
pub(super) fn optional_text(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.is_empty()).map(text)
}

/// A time in milliseconds since the epoch, when every time zone can show it: years 1 to 9998
/// (a year-9999 or negative-year time would overflow when moved to a local offset).
pub fn time_from_millis(millis: i64) -> Option<OffsetDateTime> {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()?;
    (1..=9998).contains(&at.year()).then_some(at)
}

/// A number as the service sends it: a number, a numeric string, or null. Anything else (text,
/// a fraction) reads as unknown rather than failing the whole reply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Lenient(pub Option<i64>);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }))
    }
}

impl Lenient {
    /// A count: a non-negative number.
    pub fn count(self) -> Option<u64> {
        self.0.and_then(|n| u64::try_from(n).ok())
    }

    /// A time in milliseconds since the epoch ([`time_from_millis`]).
    pub fn time(self) -> Option<OffsetDateTime> {
        self.0.and_then(time_from_millis)
    }
}

/// A text field as the service sends it: a string, or anything else (a number, null, an
/// object), which reads as absent rather than failing the whole reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct LenientText(pub Option<String>);

impl<'de> Deserialize<'de> for LenientText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }))
    }
}

impl LenientText {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = time::macros::datetime!(2026-12-06 10:00:00 UTC);
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Sun, 06 Dec 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Dec 2026 09:59:00 GMT", now),
            Some(Duration::ZERO)
        );
        for junk in ["-5", "soon", "", "1e9"] {
            assert_eq!(retry_after(junk, now), None, "{junk}");
        }
    }

    #[test]
    fn times_are_kept_only_when_every_zone_can_show_them() {
        assert_eq!(
            time_from_millis(1_764_400_000_000).map(OffsetDateTime::unix_timestamp),
            Some(1_764_400_000)
        );
        // 9999-12-31T23:59:59Z: moving it east of UTC would overflow
        assert_eq!(time_from_millis(253_402_300_799_000), None);
        assert_eq!(time_from_millis(-377_705_116_800_000), None);
        assert_eq!(time_from_millis(i64::MAX), None);
        assert_eq!(time_from_millis(i64::MIN), None);
        let late = time_from_millis(253_370_764_800_000 - 1).unwrap(); // 9998-12-31T23:59:59.999Z
        assert!(
            late.checked_to_offset(time::UtcOffset::from_hms(25, 59, 59).unwrap())
                .is_some()
        );
    }

    #[test]
    fn lists_count_what_they_leave_out() {
        let l = Listed::checked(vec![1, -2, 3, -4], |n| (n > 0).then_some(n));
        assert_eq!(l.items, vec![1, 3]);
        assert_eq!(l.left_out, 2);
        assert!(!l.is_whole());
        assert_eq!(l.len(), 2);
    }
}
