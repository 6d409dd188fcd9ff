//! What every command prints, written once: tables, `--json` lines, times, failures and the
//! steps of a safe operation. Every value that reaches the terminal passes through
//! [`crate::text`]: table cells and messages through [`Printable`], JSON through
//! [`crate::text::json_line`].

use std::io::Write as _;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN};
use crate::api::ApiError;
use crate::operation::Step;
use crate::text::{Printable, json_line, printable};

/// Writes `value` to stdout as one line of JSON (see [`json_line`]).
pub fn print_json(value: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", json_line(value));
}

/// Writes a line of text to stdout. The caller has passed every value in it through
/// [`Printable`].
pub fn print_line(line: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// Terminal columns of `s`: East Asian wide characters take two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = u32::from(c);
            let wide = matches!(c,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Padded columns (CJK characters count double). Every cell is made printable here, whatever
/// its source (a reply, the history file), so no caller can put a raw value in a table.
pub fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let rows: Vec<[String; N]> = rows
        .iter()
        .map(|row| row.each_ref().map(|cell| printable(cell)))
        .collect();
    let mut widths = header.map(display_width);
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(c));
        }
    }
    let mut out = String::new();
    let mut push_row = |row: [&str; N]| {
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            out.push_str(cell);
            if i + 1 < N {
                out.push_str(&" ".repeat(w - display_width(cell) + 2));
            }
        }
        out.push('\n');
    };
    push_row(header);
    for row in &rows {
        push_row(row.each_ref().map(String::as_str));
    }
    out
}

/// A time as RFC 3339 UTC, for `--json`.
pub fn rfc3339(at: Option<OffsetDateTime>) -> Option<String> {
    at?.format(&Rfc3339).ok()
}

/// A time in this machine's time zone, for a table; `-` when unknown. Never panics: a time
/// that cannot be moved to the local offset is shown in UTC.
pub fn local_time(at: Option<OffsetDateTime>) -> String {
    let Some(at) = at else {
        return "-".to_owned();
    };
    crate::clock::minutes_in(at, crate::history::now_local().offset())
}

/// The exit code for a call that failed: 3 when the service refused, 4 otherwise.
pub fn failure_code(e: &ApiError) -> u8 {
    match e {
        ApiError::Service(s) if !s.is_server_fault() => EXIT_SERVICE_ERROR,
        _ => EXIT_UNKNOWN,
    }
}

/// `{"Code", "Message"}` in `--json` output for a failure that is not the service's own
/// refusal (a service error serialises itself, with its RequestId).
pub fn failure_json(err: &ApiError) -> Value {
    let code = match err {
        ApiError::Transport { .. } => "Transport",
        ApiError::BadReply { .. } => "BadReply",
        ApiError::Setup(_) => "Setup",
        ApiError::Service(_) => "Service",
    };
    serde_json::json!({ "Code": code, "Message": err.to_string() })
}

/// Prints a failed call on stderr ("the service refused {what}: …") and returns its JSON form.
pub fn explain(e: &ApiError, what: &str) -> Value {
    match e {
        ApiError::Service(s) => {
            eprintln!(
                "onsdesk: the service refused {what}: {}: {}",
                Printable(&s.code),
                Printable(&s.message)
            );
            if let Some(id) = &s.request_id {
                eprintln!("onsdesk: RequestId {}", Printable(id));
            }
            serde_json::to_value(s).unwrap_or_default()
        }
        other => {
            eprintln!("onsdesk: {what} failed: {}", Printable(&other.to_string()));
            failure_json(other)
        }
    }
}

/// What a command says while a change is settled by looking: the words that depend on what is
/// looked for.
#[derive(Clone, Debug)]
pub struct LookWords {
    /// After "…; ": what is looked at, e.g. `looking for "orders" in cn-hangzhou before
    /// anything is sent again`.
    pub looking: String,
    /// Said when the look shows the attempt did nothing (`None`: silent).
    pub not_in_effect: Option<String>,
    /// Before ": <why>" when the look fails, e.g. `could not list cn-hangzhou`.
    pub look_failed: String,
}

impl LookWords {
    /// The words for a command that only reads (it never looks).
    pub fn reads_only() -> Self {
        Self {
            looking: "looking before going on".to_owned(),
            not_in_effect: None,
            look_failed: "could not look".to_owned(),
        }
    }
}

/// Prints a step of a safe operation (or of a read) on stderr.
pub fn say_step(step: &Step, words: &LookWords) {
    match step {
        Step::Attempt { .. } | Step::InEffect { .. } => {}
        Step::NotSentRetrying { detail } => {
            eprintln!("onsdesk: {}; sending again", Printable(detail));
        }
        Step::Resending { detail } => {
            eprintln!(
                "onsdesk: {}; an update is safe to repeat: sending it again",
                Printable(detail)
            );
        }
        Step::ReadRetrying { detail } => {
            eprintln!("onsdesk: {}; asking again", Printable(detail));
        }
        Step::Throttled { wait_ms } => {
            eprintln!("onsdesk: throttled by the service; waiting {wait_ms} ms");
        }
        Step::ClockCorrected { offset_secs } => {
            let direction = if *offset_secs > 0 {
                "behind"
            } else {
                "ahead of"
            };
            eprintln!(
                "onsdesk: your computer's clock is {} {direction} the service's; corrected for \
                 this request (fix the system clock)",
                crate::clock::describe_offset(time::Duration::seconds(*offset_secs))
            );
        }
        Step::Looking { detail } => {
            eprintln!("onsdesk: {}; {}", Printable(detail), words.looking);
        }
        Step::NotInEffect => {
            if let Some(said) = &words.not_in_effect {
                eprintln!("onsdesk: {said}");
            }
        }
        Step::LookFailed { detail } => {
            eprintln!("onsdesk: {}: {}", words.look_failed, Printable(detail));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_wide_characters() {
        let t = table(
            ["A", "B"],
            &[
                ["订单".to_owned(), "x".to_owned()],
                ["ab".to_owned(), "y".to_owned()],
            ],
        );
        assert_eq!(t, "A     B\n订单  x\nab    y\n");
    }

    #[test]
    fn table_cells_are_printable_whatever_their_source() {
        let t = table(
            ["NAME"],
            &[
                ["evil\u{1b}[2J\u{200b}\u{2028}".to_owned()],
                ["ok".to_owned()],
            ],
        );
        assert!(!t.contains('\u{1b}') && !t.contains('\u{200b}') && !t.contains('\u{2028}'));
        assert_eq!(t.lines().count(), 3, "{t}");
    }

    #[test]
    fn times_far_in_the_future_or_past_do_not_panic() {
        for at in [
            time::macros::datetime!(9999-12-31 23:59:59 UTC),
            time::macros::datetime!(-9999-01-01 00:00:00 UTC),
        ] {
            let shown = local_time(Some(at));
            assert!(!shown.is_empty());
            assert!(rfc3339(Some(at)).is_none_or(|s| !s.is_empty()));
        }
        assert_eq!(local_time(None), "-");
        assert_eq!(
            rfc3339(Some(time::macros::datetime!(2025-11-29 07:06:40 UTC))).as_deref(),
            Some("2025-11-29T07:06:40Z")
        );
    }
}
