//! The on-disk format: JSON lines, a header line then one record per line.
//!
//! ```text
//! {"format":"onsdesk-history","version":1,"file_id":"…","created":"2026-11-28T17:12:00+08:00"}
//! {"put":{"id":"…","at":"…","name":"orders","remark":"","region":"cn-hangzhou",…,"status":"pending"}}
//! {"status":{"id":"…","status":{"created":{"instance_id":"MQ_INST_…",…}},"at":"…"}}
//! {"cloud":{"id":"…","cloud":{"state":"in_service","checked_at":"…"}}}
//! {"remove":{"id":"…","at":"…"}}
//! {"restore":{"id":"…","at":"…"}}
//! ```
//!
//! A line is committed once its `\n` is on disk: bytes after the last `\n` are a write that a
//! crash cut short and are ignored. `file_id` changes whenever the file is rewritten
//! (compaction, salvage), so a process can tell "more lines were appended" from "the file was
//! replaced".

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::entry::{CloudCheck, Entry, EntryId, Status};

/// The `format` value of the header line.
pub const FORMAT_NAME: &str = "onsdesk-history";
/// The version this build writes. A later version that changes records raises it and migrates
/// older files in [`upgrade`].
pub const FORMAT_VERSION: u32 = 1;

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
    Invalid(String),
}

/// Checks a header line (without its `\n`).
pub fn check_header(line: &[u8]) -> HeaderCheck {
    let probe: HeaderProbe = match serde_json::from_slice(line) {
        Ok(p) => p,
        Err(e) => return HeaderCheck::Invalid(format!("the first line is not a header ({e})")),
    };
    if probe.format.as_deref() != Some(FORMAT_NAME) {
        return HeaderCheck::Invalid(format!(
            "the first line does not say \"format\":\"{FORMAT_NAME}\""
        ));
    }
    let Some(version) = probe.version else {
        return HeaderCheck::Invalid("the header has no version".to_owned());
    };
    let Some(file_id) = probe.file_id else {
        return HeaderCheck::Invalid("the header has no file_id".to_owned());
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
}

/// Parses one record line of a file of `version`. Version 1 is the only one so far; when
/// version 2 changes a record, the old shape is read here and converted.
pub fn upgrade(version: u32, line: &[u8]) -> Result<Record, String> {
    match version {
        FORMAT_VERSION => parse_record(line),
        other => Err(format!("no migration from history format version {other}")),
    }
}

/// Parses one line of the current version.
pub fn parse_record(line: &[u8]) -> Result<Record, String> {
    serde_json::from_slice(line).map_err(|e| e.to_string())
}

/// Appends `value` as one JSON line to `out`.
pub fn write_line<T: Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), serde_json::Error> {
    serde_json::to_writer(&mut *out, value)?;
    out.push(b'\n');
    Ok(())
}

/// A line that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based, counting the header.
    pub line_no: usize,
    pub error: String,
}

/// The records of a body (the bytes after the header line).
#[derive(Debug, Default)]
pub struct ParsedBody {
    pub records: Vec<Record>,
    pub bad: Vec<BadLine>,
    /// Bytes of complete lines consumed (everything up to and including the last `\n`).
    pub complete_len: usize,
    /// Bytes after the last `\n`: an append cut short.
    pub torn_len: usize,
}

/// Below this many bytes a body is parsed on the calling thread.
const PARALLEL_FROM: usize = 1 << 20;

/// Parses the complete lines of `body`; `first_line_no` numbers its first line. Large bodies
/// are split at line ends and parsed on scoped threads (one per core, at most 4): JSON
/// decoding is most of the load time of a large history.
pub fn parse_body(body: &[u8], version: u32, first_line_no: usize) -> ParsedBody {
    let complete_len = body
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |pos| pos + 1);
    let (complete, torn) = body.split_at(complete_len);
    let threads = if complete.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    };
    let chunks = split_at_lines(complete, threads);
    let results: Vec<Chunk> = if chunks.len() <= 1 {
        chunks.iter().map(|c| parse_chunk(c, version)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|c| {
                    let spawned = std::thread::Builder::new()
                        .name("onsdesk-history-load".to_owned())
                        .spawn_scoped(scope, move || parse_chunk(c, version));
                    (c, spawned)
                })
                .collect();
            handles
                .into_iter()
                .map(|(c, spawned)| {
                    // A thread that could not start (or failed) is made up for here.
                    spawned
                        .ok()
                        .and_then(|h| h.join().ok())
                        .unwrap_or_else(|| parse_chunk(c, version))
                })
                .collect()
        })
    };
    let mut parsed = ParsedBody {
        records: Vec::with_capacity(results.iter().map(|r| r.records.len()).sum()),
        complete_len,
        torn_len: torn.len(),
        ..ParsedBody::default()
    };
    let mut line_no = first_line_no;
    for chunk in results {
        parsed.records.extend(chunk.records);
        parsed
            .bad
            .extend(chunk.bad.into_iter().map(|(i, error)| BadLine {
                line_no: line_no + i,
                error,
            }));
        line_no += chunk.lines;
    }
    parsed
}

/// Up to `n` pieces of about equal size, each ending just after a `\n`.
fn split_at_lines(complete: &[u8], n: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(n);
    let mut rest = complete;
    for left in (1..=n).rev() {
        if rest.is_empty() {
            break;
        }
        let target = rest.len() / left;
        let cut = rest
            .get(target..)
            .and_then(|tail| tail.iter().position(|&b| b == b'\n'))
            .map_or(rest.len(), |p| target + p + 1);
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// The records of whole lines, bad lines numbered from 0 within the piece, and its line count.
struct Chunk {
    records: Vec<Record>,
    bad: Vec<(usize, String)>,
    lines: usize,
}

fn parse_chunk(piece: &[u8], version: u32) -> Chunk {
    let mut chunk = Chunk {
        records: Vec::with_capacity(piece.len() / 300 + 1),
        bad: Vec::new(),
        lines: 0,
    };
    // Every piece ends with `\n`, so the split's last (empty) item is not a line.
    let mut lines = piece.split(|&b| b == b'\n');
    let _ = lines.next_back();
    for (i, line) in lines.enumerate() {
        chunk.lines = i + 1;
        // Blank lines carry nothing.
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match upgrade(version, line) {
            Ok(r) => chunk.records.push(r),
            Err(error) => chunk.bad.push((i, error)),
        }
    }
    chunk
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
            .replace("\"version\":1", "\"version\":7");
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

    #[test]
    fn a_body_splits_into_records_bad_lines_and_a_torn_tail() {
        let id = EntryId::new();
        let mut body = Vec::new();
        write_line(
            &mut body,
            &Record::Remove {
                id,
                at: OffsetDateTime::UNIX_EPOCH,
            },
        )
        .unwrap();
        body.extend_from_slice(b"not json\n\n{\"remove\":{\"id\":\"");
        let parsed = parse_body(&body, FORMAT_VERSION, 2);
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.bad.len(), 1);
        assert_eq!(parsed.bad[0].line_no, 3);
        assert_eq!(parsed.torn_len, "{\"remove\":{\"id\":\"".len());
        assert_eq!(parsed.complete_len + parsed.torn_len, body.len());
    }

    #[test]
    fn a_large_body_parsed_in_pieces_keeps_order_and_line_numbers() {
        let mut body = Vec::new();
        let ids: Vec<EntryId> = (0..20_000).map(|_| EntryId::new()).collect();
        for (i, id) in ids.iter().enumerate() {
            if i == 15_000 {
                body.extend_from_slice(b"garbage\n\n");
            }
            write_line(
                &mut body,
                &Record::Remove {
                    id: *id,
                    at: OffsetDateTime::UNIX_EPOCH,
                },
            )
            .unwrap();
        }
        assert!(body.len() > PARALLEL_FROM);
        let parsed = parse_body(&body, FORMAT_VERSION, 2);
        let got: Vec<EntryId> = parsed
            .records
            .iter()
            .map(|r| match r {
                Record::Remove { id, .. } => *id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got, ids);
        assert_eq!(parsed.bad.len(), 1);
        assert_eq!(parsed.bad[0].line_no, 2 + 15_000);
        for n in 1..6 {
            let pieces = split_at_lines(&body, n);
            assert_eq!(pieces.concat(), body);
            assert!(pieces.iter().all(|p| p.ends_with(b"\n")));
        }
    }
}
