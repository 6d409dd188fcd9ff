//! Time on the wire: HTTP `Date` headers, and the offset between our clock and the service's.

/// RFC 7231 IMF-fixdate, the `Date` header format.
const IMF_FIXDATE: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Formats a `Date` header value.
pub fn http_date(at: time::OffsetDateTime) -> String {
    at.checked_to_offset(time::UtcOffset::UTC)
        .unwrap_or(at)
        .format(IMF_FIXDATE)
        .unwrap_or_default()
}

const MINUTES: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

/// `at` as `YYYY-MM-DD HH:MM` in the zone `offset` (the local one, for a table or a list):
/// in its own offset when moving it would leave the representable range (a year-9999 time
/// east of UTC). Never panics, whatever a reply said.
pub fn minutes_in(at: time::OffsetDateTime, offset: time::UtcOffset) -> String {
    at.checked_to_offset(offset)
        .unwrap_or(at)
        .format(MINUTES)
        .unwrap_or_else(|_| "-".to_owned())
}

/// The years a service's clock can plausibly show. A `Date` outside them is a broken or hostile
/// endpoint, not a clock to correct ours by.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2199;

/// The largest clock correction applied: a local clock reset to 1970 is ~56 years off.
pub const MAX_OFFSET: time::Duration = time::Duration::days(100 * 366);

/// Parses a `Date` header value; `None` when it is not a date or not a plausible one (see
/// [`PLAUSIBLE_YEARS`]).
pub fn parse_http_date(s: &str) -> Option<time::OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), IMF_FIXDATE)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
        .filter(|d| PLAUSIBLE_YEARS.contains(&d.year()))
}

/// How far the service's clock is ahead of ours (negative: behind), from a reply's `Date`
/// header read at `local_now`. Whole seconds: `Date` has no finer resolution. `None` when the
/// difference is larger than [`MAX_OFFSET`] (nothing to correct by).
pub fn offset_from_date(
    server_date: time::OffsetDateTime,
    local_now: time::OffsetDateTime,
) -> Option<time::Duration> {
    let seconds = server_date
        .unix_timestamp()
        .checked_sub(local_now.unix_timestamp())?;
    let offset = time::Duration::seconds(seconds);
    (offset.abs() <= MAX_OFFSET).then_some(offset)
}

/// `base` plus a correction, never panicking: `None` when either the correction is larger than
/// [`MAX_OFFSET`] or the result would leave the representable range.
pub fn corrected(
    base: time::OffsetDateTime,
    offset: time::Duration,
) -> Option<time::OffsetDateTime> {
    if offset.abs() > MAX_OFFSET {
        return None;
    }
    base.checked_add(offset)
}

/// "3 h 20 min", "12 min", "45 s": for telling the user how far off their clock is.
pub fn describe_offset(offset: time::Duration) -> String {
    let secs = offset.whole_seconds().unsigned_abs();
    if secs < 60 {
        return format!("{secs} s");
    }
    // `Date` has whole seconds and the reply takes time: round to the nearest minute.
    let minutes = (secs + 30) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let at = time::macros::datetime!(2026-11-28 09:12:00 UTC);
        let s = http_date(at);
        assert_eq!(s, "Sat, 28 Nov 2026 09:12:00 GMT");
        assert_eq!(parse_http_date(&s), Some(at));
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn offsets_read_like_a_person_says_them() {
        let local = time::macros::datetime!(2026-11-28 09:00:00 UTC);
        let server = time::macros::datetime!(2026-11-28 12:20:30 UTC);
        let off = offset_from_date(server, local).unwrap();
        assert_eq!(off.whole_seconds(), 3 * 3600 + 20 * 60 + 30);
        assert_eq!(describe_offset(off), "3 h 21 min");
        assert_eq!(
            describe_offset(time::Duration::seconds(5 * 3600 - 1)),
            "5 h"
        );
        assert_eq!(describe_offset(-time::Duration::minutes(17)), "17 min");
        assert_eq!(describe_offset(time::Duration::seconds(40)), "40 s");
        assert_eq!(
            describe_offset(time::Duration::MIN),
            describe_offset(time::Duration::MAX)
        );
    }

    #[test]
    fn implausible_dates_and_offsets_are_refused_not_overflowed() {
        assert_eq!(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), None);
        assert_eq!(parse_http_date("Mon, 01 Jan 1900 00:00:00 GMT"), None);
        let local = time::macros::datetime!(2026-11-28 09:00:00 UTC);
        let far = time::macros::datetime!(9999-12-31 23:59:59 UTC);
        assert_eq!(offset_from_date(far, local), None);
        assert_eq!(
            offset_from_date(time::macros::datetime!(-9999-01-01 00:00:00 UTC), far),
            None
        );
        let dead_battery = time::macros::datetime!(1970-01-01 00:00:00 UTC);
        let fixed = offset_from_date(local, dead_battery).unwrap();
        assert_eq!(corrected(dead_battery, fixed), Some(local));
        assert_eq!(corrected(far, time::Duration::days(1)), None);
        assert_eq!(corrected(local, time::Duration::MAX), None);
    }
}
