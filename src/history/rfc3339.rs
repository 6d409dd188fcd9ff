//! RFC 3339 timestamps for the history file, read fast.
//!
//! Every entry carries two timestamps, and loading 100 000 entries spent a large share of its
//! time in the general RFC 3339 parser. The history only ever writes one layout,
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, so that layout is read directly; anything else
//! falls back to the general parser, so every valid RFC 3339 string still loads.

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;

/// Writes with `time`'s RFC 3339 formatter (unchanged on-disk format).
pub fn serialize<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    time::serde::rfc3339::serialize(at, s)
}

/// Reads the history's own layout directly, anything else through `time`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    if let Some(at) = parse_fast(&text) {
        return Ok(at);
    }
    OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
        .map_err(serde::de::Error::custom)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)`; `None` for anything else.
pub fn parse_fast(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = i32::try_from(digits(&b[0..4])?).ok()?;
    let month = time::Month::try_from(u8::try_from(digits(&b[5..7])?).ok()?).ok()?;
    let day = u8::try_from(digits(&b[8..10])?).ok()?;
    let hour = u8::try_from(digits(&b[11..13])?).ok()?;
    let minute = u8::try_from(digits(&b[14..16])?).ok()?;
    let second = u8::try_from(digits(&b[17..19])?).ok()?;
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(&frac[..n])? * 10u32.pow(u32::try_from(9 - n).ok()?);
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z'] => time::UtcOffset::UTC,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = i8::try_from(digits(&[*h1, *h2])?).ok()?;
            let m = i8::try_from(digits(&[*m1, *m2])?).ok()?;
            let (h, m) = if *sign == b'-' { (-h, -m) } else { (h, m) };
            time::UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => return None,
    };
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn the_fast_path_agrees_with_time() {
        for s in [
            "2026-11-28T17:12:00+08:00",
            "2026-11-28T17:12:00.123+08:00",
            "2026-11-28T09:12:00.123456789Z",
            "2024-02-29T23:59:59-05:30",
            "1999-01-01T00:00:00.5Z",
        ] {
            let general = OffsetDateTime::parse(s, &Rfc3339).unwrap();
            assert_eq!(parse_fast(s), Some(general), "{s}");
            assert_eq!(parse_fast(s).unwrap().offset(), general.offset(), "{s}");
        }
        // Round trip through what the history writes.
        let now = OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
        let written = now.format(&Rfc3339).unwrap();
        assert_eq!(parse_fast(&written), Some(now));
    }

    #[test]
    fn anything_else_is_left_to_the_general_parser() {
        for s in [
            "2026-11-28 17:12:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-28T17:12:00",
            "2026-11-28T17:12:00.Z",
            "x",
        ] {
            assert_eq!(parse_fast(s), None, "{s}");
        }
    }
}
