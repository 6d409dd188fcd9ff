//! What every command prints, written once: tables, `--json` lines, times, failures and the
//! steps of a safe operation.
//!
//! Every byte the command line writes goes through [`stdout`] or [`stderr`] (or the `say!`
//! macro over it): a [`Filtered`] writer that passes each line through
//! [`crate::text`]'s one filter, whatever the values in it came from (a reply, the history
//! file, `profiles.json`, a path, the command line). Callers still escape single values with
//! [`Printable`] where a value's own line break must not start a new line; `--json` is
//! written with [`json_line`], whose output the filter leaves as it is. clippy refuses
//! `println!`, `eprintln!`, `print!`, `eprint!` and `std::io::{stdout, stderr}` everywhere
//! else, so a new command cannot print past the filter.

use std::io::{self, Write};

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN};
use crate::api::ApiError;
use crate::operation::Step;
use crate::text::{Printable, json_line, printable, printable_block};

/// Writes one line to stderr through the filter: `say!("onsdesk: {x}")`.
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = writeln!($crate::cli::output::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// A writer that passes every line through the one filter before `inner` sees it: the
/// characters of [`crate::text::needs_escape`] are escaped, except the line breaks and tabs
/// the text is laid out with ([`printable_block`]). Bytes that are not UTF-8 become U+FFFD.
/// A line is written when its `\n` arrives, the rest on `flush` or drop.
#[derive(Debug)]
pub struct Filtered<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Filtered<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let text = String::from_utf8_lossy(self.pending.get(..upto).unwrap_or_default());
        let filtered = printable_block(&text);
        self.pending.drain(..upto);
        self.inner.write_all(filtered.as_bytes())
    }
}

impl<W: Write> Write for Filtered<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.emit(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.emit(self.pending.len())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Filtered<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Stdout, through the filter.
#[expect(
    clippy::disallowed_methods,
    reason = "the one place the command line reaches stdout"
)]
pub fn stdout() -> Filtered<io::StdoutLock<'static>> {
    Filtered::new(io::stdout().lock())
}

/// Stderr, through the filter.
#[expect(
    clippy::disallowed_methods,
    reason = "the one place the command line reaches stderr"
)]
pub fn stderr() -> Filtered<io::StderrLock<'static>> {
    Filtered::new(io::stderr().lock())
}

/// Writes `value` to stdout as one line of JSON (see [`json_line`]).
pub fn print_json(value: &Value) {
    let _ = writeln!(stdout(), "{}", json_line(value));
}

/// Writes a line of text to stdout.
pub fn print_line(line: impl std::fmt::Display) {
    let _ = writeln!(stdout(), "{line}");
}

/// Says clap's refusal of the command line (exit 2) through the filter: it quotes the
/// arguments, which can hold anything. Help and the version, which quote only onsdesk's own
/// text, are printed by clap itself, in colour where the terminal has it.
pub fn clap_refusal(e: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
    } else {
        // A refusal's lines start with `onsdesk:` like every other line on stderr.
        let rendered = e.render().to_string();
        let mut out = stderr();
        for line in rendered.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(out, "onsdesk: {line}");
        }
    }
    std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// How many deletes a delete that a look settled after a lost reply sent, in words.
pub fn deletes_sent(attempts: u32) -> String {
    match attempts {
        1 => "no second delete was needed".to_owned(),
        n => format!("{n} deletes were sent"),
    }
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

/// Says on stderr how a change ended when its look found the name held by another after a
/// reply was lost (`whose`: what was found, e.g. `cn-hangzhou has an instance named "x", made
/// before this create`), and returns its `--json` `error`: `{"Code": "NameTaken", "Message"}`.
pub fn held_by_another(whose: &str) -> Value {
    let message =
        format!("{whose}: the name is taken, so nothing was created and nothing more was sent");
    say!("onsdesk: {}", Printable(&message));
    serde_json::json!({ "Code": "NameTaken", "Message": message })
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
            say!(
                "onsdesk: the service refused {what}: {}: {}",
                Printable(&s.code),
                Printable(&s.message)
            );
            if let Some(id) = &s.request_id {
                say!("onsdesk: RequestId {}", Printable(id));
            }
            serde_json::to_value(s).unwrap_or_default()
        }
        other => {
            say!("onsdesk: {what} failed: {}", Printable(&other.to_string()));
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
    if let Some(said) = step_words(step, words) {
        say!("onsdesk: {said}");
    }
}

/// [`say_step`] for a step taken in `place` (a region, when several are asked at once).
pub fn say_step_in(place: &str, step: &Step, words: &LookWords) {
    if let Some(said) = step_words(step, words) {
        say!("onsdesk: {}: {said}", Printable(place));
    }
}

/// What is said of a step; `None` for a step that is not said.
fn step_words(step: &Step, words: &LookWords) -> Option<String> {
    Some(match step {
        // a name held by another is said with the outcome it ends in
        Step::Attempt { .. } | Step::InEffect { .. } | Step::Taken => return None,
        Step::NotSentRetrying { error } => {
            format!("{}; sending again", Printable(&error.to_string()))
        }
        Step::Resending { error } => format!(
            "{}; an update is safe to repeat: sending it again",
            Printable(&error.to_string())
        ),
        Step::ReadRetrying { error } => format!("{}; asking again", Printable(&error.to_string())),
        Step::Throttled { wait_ms } => format!("throttled by the service; waiting {wait_ms} ms"),
        Step::ClockCorrected { offset_secs } => {
            let direction = if *offset_secs > 0 {
                "behind"
            } else {
                "ahead of"
            };
            format!(
                "your computer's clock is {} {direction} the service's; corrected for this \
                 request (fix the system clock)",
                crate::clock::describe_offset(time::Duration::seconds(*offset_secs))
            )
        }
        Step::Looking { error } => format!("{}; {}", Printable(&error.to_string()), words.looking),
        Step::NotInEffect => return words.not_in_effect.clone(),
        Step::LookFailed { error } => {
            format!("{}: {}", words.look_failed, Printable(&error.to_string()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filter holds a line until its end arrives (a character split across two writes is
    /// whole again), keeps the text's own line breaks and tabs, escapes the rest, and writes
    /// what is left on drop.
    #[test]
    fn the_filtered_writer_escapes_whole_lines() {
        let mut sink = Vec::new();
        {
            let mut w = Filtered::new(&mut sink);
            let zwsp = "\u{200b}".as_bytes();
            w.write_all(b"a\tb\x1b[2J").unwrap();
            w.write_all(&zwsp[..1]).unwrap();
            w.write_all(&zwsp[1..]).unwrap();
            w.write_all(b"c\nnext\r\xff").unwrap();
            w.write_all("\u{202e}".as_bytes()).unwrap();
        }
        assert_eq!(
            String::from_utf8(sink).unwrap(),
            "a\tb\\u{1b}[2J\\u{200b}c\nnext\\r\u{fffd}\\u{202e}"
        );
    }

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
