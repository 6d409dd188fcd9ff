//! Time on the wire: HTTP `Date` headers, and the offset between our clock and the service's.

/// RFC 7231 IMF-fixdate, the `Date` header format.
const IMF_FIXDATE: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Formats a `Date` header value.
pub fn http_date(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(IMF_FIXDATE)
        .unwrap_or_default()
}

/// Parses a `Date` header value.
pub fn parse_http_date(s: &str) -> Option<time::OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), IMF_FIXDATE)
        .ok()
        .map(time::PrimitiveDateTime::assume_utc)
}

/// How far the service's clock is ahead of ours (negative: behind), from a reply's `Date`
/// header read at `local_now`. Whole seconds: `Date` has no finer resolution.
pub fn offset_from_date(
    server_date: time::OffsetDateTime,
    local_now: time::OffsetDateTime,
) -> time::Duration {
    time::Duration::seconds((server_date - local_now).whole_seconds())
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
        let off = offset_from_date(server, local);
        assert_eq!(off.whole_seconds(), 3 * 3600 + 20 * 60 + 30);
        assert_eq!(describe_offset(off), "3 h 21 min");
        assert_eq!(
            describe_offset(time::Duration::seconds(5 * 3600 - 1)),
            "5 h"
        );
        assert_eq!(describe_offset(-time::Duration::minutes(17)), "17 min");
        assert_eq!(describe_offset(time::Duration::seconds(40)), "40 s");
    }
}
