//! The on-disk format: JSON lines, a header line then one record per line.
//!
//! ```text
//! {"format":"onsdesk-history","version":1,"file_id":"…","created":"2026-11-28T17:12:00+08:00"}
//! {"put":{"id":"…","at":"…","name":"orders","remark":"","region":"cn-hangzhou",…,"status":"pending"}}
//! {"status":{"id":"…","status":{"created":{"instance_id":"MQ_INST_…",…}},"at":"…"}}
//! {"cloud":{"id":"…","cloud":{"state":"in_service","checked_at":"…"}}}
//! {"remove":{"id":"…","at":"…"}}
//! {"restore":{"id":"…","at":"…"}}
//! {"edited":{"id":"…","name":"orders-live","at":"…"}}
//! {"deleted":{"id":"…","at":"…"}}
//! {"put":{"id":"…",…,"name":"orders","status":"pending","subject":{"topic":{"instance_id":"MQ_INST_…","verb":"create","message_type":0}}}}
//! {"status":{"id":"…","status":{"done":{"request_id":"…"}},"at":"…"}}
//! ```
//!
//! Version 2 added the `edited` and `deleted` records (what onsdesk did to an instance after
//! creating it) and an entry's optional `later` field that keeps them through compaction.
//! Version 3 added topic and group entries: an entry's optional `subject` field (absent for an
//! instance) and the statuses `done`, `seen` and `not_done`. Every line of an older version
//! reads unchanged as the current one (an entry without `subject` is an instance create), so
//! an older file is migrated by [`upgrade`] line by line (the original is kept aside). An
//! older onsdesk refuses a newer file rather than misread it: a version 2 onsdesk would
//! ignore `subject` and show a topic delete as an instance create, and would set aside as
//! damaged a file holding a status it does not know.
//!
//! A line is committed once its `\n` is on disk: bytes after the last `\n` are a write that a
//! crash cut short and are ignored. `file_id` changes whenever the file is rewritten
//! (compaction, salvage), so a process can tell "more lines were appended" from "the file was
//! replaced".
//!
//! This module is the format: the lines and how one is written and read. Reading a whole body
//! (split at line ends, on several threads for a large file) is [`decode`](super::decode).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entry::{CloudCheck, Entry, EntryId, Status};

/// The `format` value of the header line.
pub const FORMAT_NAME: &str = "onsdesk-history";
/// The version this build writes. A later version that changes records raises it and migrates
/// older files in [`upgrade`].
pub const FORMAT_VERSION: u32 = 3;

/// The first line of the file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub file_id: uuid::Uuid,
    #[serde(with = "super::rfc3339")]
    pub created: OffsetDateTime,
}

impl Header {
    pub fn new(created: OffsetDateTime) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            file_id: uuid::Uuid::new_v4(),
            created,
        }
    }
}

/// Reads only what is needed to decide whether a header is ours, and which version.
#[derive(Deserialize)]
struct HeaderProbe {
    format: Option<String>,
    version: Option<u32>,
    file_id: Option<uuid::Uuid>,
}

/// What the header line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderCheck {
    /// Our version; lines parse as [`Record`].
    Current { file_id: uuid::Uuid },
    /// An older version to migrate line by line.
    Older { version: u32, file_id: uuid::Uuid },
    /// Written by a newer onsdesk: do not touch.
    Newer { version: u32 },
    /// Not a history header at all.
    Invalid(super::Damage),
}

/// Checks a header line (without its `\n`).
pub fn check_header(line: &[u8]) -> HeaderCheck {
    let probe: HeaderProbe = match serde_json::from_slice(line) {
        Ok(p) => p,
        Err(e) => {
            return HeaderCheck::Invalid(super::Damage::NotAHeader(record_error(&e)));
        }
    };
    if probe.format.as_deref() != Some(FORMAT_NAME) {
        return HeaderCheck::Invalid(super::Damage::NotOurFormat);
    }
    let Some(version) = probe.version else {
        return HeaderCheck::Invalid(super::Damage::NoVersion);
    };
    let Some(file_id) = probe.file_id else {
        return HeaderCheck::Invalid(super::Damage::NoFileId);
    };
    match version.cmp(&FORMAT_VERSION) {
        std::cmp::Ordering::Equal => HeaderCheck::Current { file_id },
        std::cmp::Ordering::Greater => HeaderCheck::Newer { version },
        std::cmp::Ordering::Less => HeaderCheck::Older { version, file_id },
    }
}

/// One change to the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// Adds an entry (or replaces one with the same ID: compaction writes final states so).
    Put(Entry),
    /// The outcome of an attempt, or an adoption by "refresh status".
    Status {
        id: EntryId,
        status: Status,
        #[serde(with = "super::rfc3339")]
        at: OffsetDateTime,
    },
    /// A cloud check.
    Cloud { id: EntryId, cloud: CloudCheck },
    /// Hidden from the history (undo with `Restore`). Never touches the cloud.
    Remove {
        id: EntryId,
        #[serde(with = "super::rfc3339")]
        at: OffsetDateTime,
    },
    /// Undoes a `Remove`.
    Restore {
        id: EntryId,
        #[serde(with = "super::rfc3339")]
        at: OffsetDateTime,
    },
    /// onsdesk renamed the entry's instance and/or changed its remark (format 2). `None`
    /// leaves a field as it was.
    Edited {
        id: EntryId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remark: Option<String>,
        #[serde(with = "super::rfc3339")]
        at: OffsetDateTime,
    },
    /// onsdesk deleted the entry's instance in the cloud (format 2). Unlike `Remove`, the entry
    /// stays visible, marked deleted.
    Deleted {
        id: EntryId,
        #[serde(with = "super::rfc3339")]
        at: OffsetDateTime,
    },
}

/// Parses one record line of a file of `version`. A record whose shape a later version changes
/// is read here in its old shape and converted.
pub fn upgrade(version: u32, line: &[u8]) -> Result<Record, String> {
    match version {
        // Versions 2 and 3 only added records, statuses and optional fields: older lines read
        // as they are.
        1 | 2 | FORMAT_VERSION => parse_record(line),
        other => Err(format!("no migration from history format version {other}")),
    }
}

/// Parses one line of the current version.
pub fn parse_record(line: &[u8]) -> Result<Record, String> {
    serde_json::from_slice(line).map_err(|e| record_error(&e))
}

/// Why a line is not a record, for a message: serde's words quote the line (an unknown
/// variant, a string where a number goes), and the file is text anyone who can write it may
/// have put anything in, so the quote is made printable and cut to an excerpt here, before
/// any message or log holds it.
pub fn record_error(e: &serde_json::Error) -> String {
    crate::text::excerpt(&e.to_string())
}

/// Appends `value` as one JSON line to `out`.
pub fn write_line<T: Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), serde_json::Error> {
    serde_json::to_writer(&mut *out, value)?;
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_told_apart() {
        let mut out = Vec::new();
        let header = Header::new(OffsetDateTime::UNIX_EPOCH);
        write_line(&mut out, &header).unwrap();
        let line = &out[..out.len() - 1];
        assert_eq!(
            check_header(line),
            HeaderCheck::Current {
                file_id: header.file_id
            }
        );
        let newer = String::from_utf8(line.to_vec())
            .unwrap()
            .replace(&format!("\"version\":{FORMAT_VERSION}"), "\"version\":7");
        assert_eq!(
            check_header(newer.as_bytes()),
            HeaderCheck::Newer { version: 7 }
        );
        assert!(matches!(
            check_header(b"{\"put\":{}}"),
            HeaderCheck::Invalid(_)
        ));
        assert!(matches!(
            check_header(b"\x00garbage"),
            HeaderCheck::Invalid(_)
        ));
    }
}
