//! Reading a history file's records: its body split at line ends, decoded on up to four threads
//! for a large file (each reading its own stretch a block at a time), and handed back in file
//! order, with the lines that do not parse and a tail an interrupted append left.

use super::format::{FORMAT_VERSION, Record, upgrade};
use super::parallel::on_threads;

/// A line that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based, counting the header.
    pub line_no: usize,
    pub error: String,
}

/// What a parse found besides the records themselves.
#[derive(Debug)]
pub struct Outline {
    /// How many records.
    pub records: usize,
    pub bad: Vec<BadLine>,
    /// Bytes of complete lines consumed (everything up to and including the last `\n`).
    pub complete_len: usize,
    /// Bytes after the last `\n`: an append cut short.
    pub torn_len: usize,
    /// The number of the next chunk's first line.
    next_line_no: usize,
}

impl Outline {
    fn new(first_line_no: usize) -> Self {
        Self {
            records: 0,
            bad: Vec::new(),
            complete_len: 0,
            torn_len: 0,
            next_line_no: first_line_no,
        }
    }

    /// Takes in the next chunk (in file order) and returns its records; `None` for a chunk
    /// with nothing of its own (a stretch inside one long line, or after a torn end). The
    /// lengths count what was parsed: whole lines, and the unterminated rest of the last
    /// chunk.
    fn add<T>(&mut self, chunk: Chunk<T>) -> Option<Vec<T>> {
        if chunk.complete_len + chunk.torn_len == 0 {
            return None;
        }
        let first = self.next_line_no;
        self.records += chunk.records.len();
        self.bad
            .extend(chunk.bad.into_iter().map(|(i, error)| BadLine {
                line_no: first + i,
                error,
            }));
        self.next_line_no += chunk.lines;
        self.complete_len += self.torn_len + chunk.complete_len;
        self.torn_len = chunk.torn_len;
        Some(chunk.records)
    }
}

/// Below this many bytes a body is read and parsed on the calling thread.
const PARALLEL_FROM: u64 = 1 << 20;

/// How many threads parse a body of `len` bytes: one per core, at most 4, for a large one.
fn threads_for(len: u64) -> usize {
    if len < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    }
}

/// Parses the lines of `body` (the bytes after the header line, or the part of them appended
/// since the last read); `first_line_no` numbers its first line. Every record goes to `sink`
/// in file order. Large bodies are split at line ends and parsed on several threads.
pub fn parse_body(
    body: &[u8],
    version: u32,
    first_line_no: usize,
    sink: &mut dyn FnMut(Record),
) -> Outline {
    let threads = threads_for(body.len() as u64);
    let pieces = split_at_lines(body, threads);
    let mut outline = Outline::new(first_line_no);
    let work = |piece: &&[u8]| Ok(parse_chunk(piece, version, &|r| r));
    // Parsing bytes in memory cannot fail.
    let _ = on_threads(&pieces, threads, work, |chunk| {
        for record in outline.add(chunk).into_iter().flatten() {
            sink(record);
        }
    });
    outline
}

/// Reads and parses the body of the file at `path`: the bytes from `body_start` to `len`.
/// Large files are split into stretches that separate threads read and decode (reading a
/// 47 MB history on one thread took as long as decoding half of it); each line is parsed by
/// the thread whose stretch it starts in. `prepare` runs on those threads; `sink` gets every
/// record, in file order, on the calling thread, each stretch's as soon as it and those
/// before it are done (so the caller builds its state while later stretches are decoded).
///
/// # Errors
/// A read error (of any stretch). `sink` may have had some records by then.
pub fn parse_file<T: Send>(
    path: &std::path::Path,
    (body_start, len): (u64, u64),
    version: u32,
    first_line_no: usize,
    prepare: &(dyn Fn(Record) -> T + Sync),
    sink: &mut dyn FnMut(T),
) -> std::io::Result<Outline> {
    let threads = threads_for(len.saturating_sub(body_start));
    let split = Split {
        threads,
        // One each: 4 per thread measured slower on this 2-core machine, in the load, in
        // searching what it loaded, and in the whole `onsdesk history` command.
        stretches: threads,
        block: 1 << 20,
    };
    parse_file_split(
        path,
        (body_start, len),
        (version, first_line_no),
        prepare,
        sink,
        split,
    )
}

/// How [`parse_file`] divides the work: `stretches` shared out among `threads`, each read
/// `block` bytes at a time.
#[derive(Clone, Copy, Debug)]
struct Split {
    threads: usize,
    stretches: usize,
    block: u64,
}

/// [`parse_file`] as `split` says.
fn parse_file_split<T: Send>(
    path: &std::path::Path,
    (body_start, len): (u64, u64),
    (version, first_line_no): (u32, usize),
    prepare: &(dyn Fn(Record) -> T + Sync),
    sink: &mut dyn FnMut(T),
    split: Split,
) -> std::io::Result<Outline> {
    let body_len = len.saturating_sub(body_start);
    let n = split.stretches.max(1) as u64;
    let stretches: Vec<(u64, u64)> = (0..n)
        .map(|i| {
            (
                body_start + body_len * i / n,
                body_start + body_len * (i + 1) / n,
            )
        })
        .filter(|(from, to)| from < to)
        .collect();
    let mut outline = Outline::new(first_line_no);
    let work = |&(from, to): &(u64, u64)| {
        let bounds = (body_start, from, to, len);
        parse_stretch(path, bounds, split.block.max(1), version, prepare)
    };
    on_threads(&stretches, split.threads, work, |chunk| {
        for record in outline.add(chunk).into_iter().flatten() {
            sink(record);
        }
    })?;
    Ok(outline)
}

/// Parses the lines that start in `from..to` of the file, through the end of the last one
/// (or the end of the file, `len`). A line starts at `body_start` or after a `\n`.
///
/// The stretch is read a block at a time into one reused buffer: reading it whole took a
/// fresh 47 MB for a 100 000-entry history, and faulting those pages in cost a cold process
/// more than decoding them.
fn parse_stretch<T>(
    path: &std::path::Path,
    (body_start, from, to, len): (u64, u64, u64, u64),
    block: u64,
    version: u32,
    prepare: &(dyn Fn(Record) -> T + Sync),
) -> std::io::Result<Chunk<T>> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    // One byte earlier: whether a line starts exactly at `from` depends on it.
    let at = if from > body_start { from - 1 } else { from };
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(at))?;
    let mut file = file.take(len.saturating_sub(at));
    let mut chunk = Chunk::new(usize::try_from((to - from) / 300).unwrap_or(0));
    let mut buf: Vec<u8> = Vec::with_capacity(usize::try_from(2 * block).unwrap_or(0));
    // The file offset of `buf[0]`, and whether the rest of a line that started before `from`
    // (the previous stretch's) is still to be skipped.
    let mut buf_at = at;
    let mut skipping = at < from;
    loop {
        let got = (&mut file).take(block).read_to_end(&mut buf)?;
        let mut start = 0;
        if skipping {
            match memchr::memchr(b'\n', &buf) {
                Some(pos) => {
                    start = pos + 1;
                    skipping = false;
                }
                None if got == 0 => return Ok(chunk),
                None => {
                    buf_at += buf.len() as u64;
                    buf.clear();
                    continue;
                }
            }
        }
        let limit = usize::try_from(to.saturating_sub(buf_at)).unwrap_or(usize::MAX);
        let rest = buf.get(start..).unwrap_or_default();
        start += chunk.parse_lines(rest, limit.saturating_sub(start), version, prepare);
        if buf_at + start as u64 >= to {
            // The next line starts in the next stretch.
            return Ok(chunk);
        }
        if got == 0 {
            // What is left has no `\n`: an append cut short.
            chunk.torn_len = buf.len() - start;
            return Ok(chunk);
        }
        buf.drain(..start);
        buf_at += start as u64;
    }
}

/// Up to `n` pieces of about equal size, each ending just after a `\n` (but the last, when
/// `bytes` does not end with one).
fn split_at_lines(bytes: &[u8], n: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(n);
    let mut rest = bytes;
    for left in (1..=n).rev() {
        if rest.is_empty() {
            break;
        }
        let target = rest.len() / left;
        let cut = rest
            .get(target..)
            .and_then(|tail| memchr::memchr(b'\n', tail))
            .map_or(rest.len(), |p| target + p + 1);
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// The records of the whole lines of a piece, bad lines numbered from 0 within it, its line
/// count, and the lengths of its whole lines and of what follows the last `\n`.
struct Chunk<T> {
    records: Vec<T>,
    bad: Vec<(usize, String)>,
    lines: usize,
    complete_len: usize,
    torn_len: usize,
}

impl<T> Chunk<T> {
    fn new(capacity: usize) -> Self {
        Self {
            records: Vec::with_capacity(capacity),
            bad: Vec::new(),
            lines: 0,
            complete_len: 0,
            torn_len: 0,
        }
    }

    /// Parses the whole lines at the start of `bytes` that start before `limit`, and returns
    /// how many bytes they took (through the last one's `\n`).
    fn parse_lines(
        &mut self,
        bytes: &[u8],
        limit: usize,
        version: u32,
        prepare: &(dyn Fn(Record) -> T + Sync),
    ) -> usize {
        let complete = bytes
            .get(..memchr::memrchr(b'\n', bytes).map_or(0, |pos| pos + 1))
            .unwrap_or_default();
        // One UTF-8 check for all the lines instead of one per string; if it fails they are
        // parsed from bytes, so only the bad line is reported.
        let text = std::str::from_utf8(complete).ok();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', complete) {
            if start >= limit {
                break;
            }
            let line = complete.get(start..end).unwrap_or_default();
            let line_text = text.and_then(|t| t.get(start..end));
            let i = self.lines;
            self.lines += 1;
            start = end + 1;
            // Blank lines carry nothing.
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let record = match (version, line_text) {
                (FORMAT_VERSION, Some(t)) => {
                    serde_json::from_str(t).map_err(|e| super::format::record_error(&e))
                }
                _ => upgrade(version, line),
            };
            match record {
                Ok(r) => self.records.push(prepare(r)),
                Err(error) => self.bad.push((i, error)),
            }
        }
        self.complete_len += start;
        start
    }
}

/// A piece of whole lines (and perhaps an unterminated rest) parsed on its own.
fn parse_chunk<T>(piece: &[u8], version: u32, prepare: &(dyn Fn(Record) -> T + Sync)) -> Chunk<T> {
    let mut chunk = Chunk::new(piece.len() / 300 + 1);
    let used = chunk.parse_lines(piece, piece.len(), version, prepare);
    chunk.torn_len = piece.len() - used;
    chunk
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;

    use super::*;
    use crate::history::entry::{EntryId, Status};
    use crate::history::format::write_line;

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
        let mut records = Vec::new();
        let parsed = parse_body(&body, FORMAT_VERSION, 2, &mut |r| records.push(r));
        assert_eq!(records.len(), 1);
        assert_eq!(parsed.records, 1);
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
        assert!(body.len() as u64 > PARALLEL_FROM);
        let mut records = Vec::new();
        let parsed = parse_body(&body, FORMAT_VERSION, 2, &mut |r| records.push(r));
        let got: Vec<EntryId> = records
            .into_iter()
            .map(|r| match r {
                Record::Remove { id, .. } => id,
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

    /// A file read in stretches by separate threads, a block at a time, gives exactly what one
    /// read of the whole body gives, wherever the stretch and block boundaries fall: inside a
    /// line, just after a `\n`, inside a line longer than a stretch or a block, on a bad line,
    /// and with a torn tail.
    #[test]
    fn a_file_read_in_stretches_parses_like_one_read() {
        let header = b"{\"format\":\"onsdesk-history\"}\n";
        let mut body = Vec::new();
        let mut ids = Vec::new();
        for i in 0..300 {
            let id = EntryId::new();
            ids.push(id);
            match i {
                100 => body.extend_from_slice(b"not a record\n"),
                150 => body.extend_from_slice(b"\n"),
                // A line longer than several stretches.
                200 => {
                    let long = Record::Status {
                        id,
                        status: Status::NotCreated {
                            detail: "x".repeat(20_000),
                        },
                        at: OffsetDateTime::UNIX_EPOCH,
                    };
                    write_line(&mut body, &long).unwrap();
                    continue;
                }
                _ => {}
            }
            let remove = Record::Remove {
                id,
                at: OffsetDateTime::UNIX_EPOCH,
            };
            write_line(&mut body, &remove).unwrap();
        }
        body.extend_from_slice(b"{\"remove\":{\"id\":\"");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        std::fs::write(&path, [&header[..], &body].concat()).unwrap();
        let len = (header.len() + body.len()) as u64;
        let ids_of = |records: &[Record]| -> Vec<EntryId> {
            records
                .iter()
                .map(|r| match r {
                    Record::Remove { id, .. } | Record::Status { id, .. } => *id,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let mut whole_records = Vec::new();
        let whole = parse_body(&body, FORMAT_VERSION, 2, &mut |r| whole_records.push(r));
        assert_eq!(whole.bad.len(), 1);
        assert_eq!(whole.bad[0].line_no, 2 + 100);
        assert_eq!(whole.torn_len, b"{\"remove\":{\"id\":\"".len());
        assert_eq!(ids_of(&whole_records), ids);
        for stretches in [1, 2, 3, 4, 7, 64, 997] {
            for block in [5, 333, 1 << 20] {
                let split = Split {
                    threads: 3,
                    stretches,
                    block,
                };
                let mut records = Vec::new();
                let outline = parse_file_split(
                    &path,
                    (header.len() as u64, len),
                    (FORMAT_VERSION, 2),
                    &|r| r,
                    &mut |r| records.push(r),
                    split,
                )
                .unwrap();
                assert_eq!(outline.bad, whole.bad, "{split:?}");
                assert_eq!(outline.complete_len, whole.complete_len, "{split:?}");
                assert_eq!(outline.torn_len, whole.torn_len, "{split:?}");
                assert_eq!(outline.records, records.len(), "{split:?}");
                assert_eq!(ids_of(&records), ids, "{split:?}");
            }
        }
    }
}
