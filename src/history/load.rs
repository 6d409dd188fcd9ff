//! How a [`History`]'s memory follows its file: catching up with other processes' appends,
//! loading the file whole, salvaging a damaged one or converting an older one (the original
//! always kept aside), and rewriting it compacted. Every function here runs with the lock held.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::decode;
use super::error::Damage;
use super::format::{self, FORMAT_VERSION, Header, HeaderCheck, Record};
use super::state::{State, prepare};
use super::store::{self, io_err};
use super::{History, HistoryError, IoAction, Notice};

impl History {
    /// Brings `state` up to date with the file. Lock held. Reads only the new lines when the
    /// same file has grown; reloads everything when it was replaced.
    pub(super) fn sync_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
        let path = &self.paths.file;
        let first = store::read_first_line(path).map_err(io_err(IoAction::Read, path))?;
        let Some((Some(line), len)) = first else {
            return self.load_locked(now);
        };
        let same_file = match format::check_header(&line) {
            HeaderCheck::Current { file_id } => Some(file_id) == self.file_id,
            HeaderCheck::Newer { version } => {
                return Err(HistoryError::NewerFormat {
                    path: path.clone(),
                    found: version,
                    supported: FORMAT_VERSION,
                });
            }
            HeaderCheck::Older { .. } | HeaderCheck::Invalid(_) => false,
        };
        if !same_file || len < self.synced_len || self.unrepaired.is_some() {
            return self.load_locked(now);
        }
        if len == self.synced_len {
            return Ok(());
        }
        let tail = store::read_from(path, self.synced_len).map_err(io_err(IoAction::Read, path))?;
        let mut records = Vec::new();
        let parsed = decode::parse_body(&tail, FORMAT_VERSION, 0, &mut |r| records.push(r));
        if !parsed.bad.is_empty() {
            // Someone wrote garbage: let the full load keep the file aside and report it.
            return self.load_locked(now);
        }
        self.records_in_file += parsed.records;
        for r in records {
            self.state.apply(r);
        }
        self.synced_len += parsed.complete_len as u64;
        Ok(())
    }

    /// Reads the whole file into `state`, starting a new file when there is none and keeping a
    /// damaged one aside. Lock held.
    pub(super) fn load_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
        let path = self.paths.file.clone();
        // The length as read under the lock: other onsdesk processes only append under it.
        let (header, len) = match store::read_first_line(&path) {
            Ok(Some((Some(line), len))) => (line, len),
            // No file, or an empty one (nothing to lose): start afresh.
            Ok(None | Some((None, 0))) => return self.start_fresh(State::default(), now),
            Ok(Some((None, _))) => {
                return self.salvage(Damage::HeaderIncomplete, now);
            }
            Err(e) => {
                let reason = Damage::Unreadable(e.to_string());
                return self.keep_aside_and_restart(reason, &State::default(), 0, now);
            }
        };
        let (version, file_id) = match format::check_header(&header) {
            HeaderCheck::Current { file_id } => (FORMAT_VERSION, file_id),
            HeaderCheck::Older { version, file_id } => (version, file_id),
            HeaderCheck::Newer { version } => {
                return Err(HistoryError::NewerFormat {
                    path,
                    found: version,
                    supported: FORMAT_VERSION,
                });
            }
            HeaderCheck::Invalid(reason) => return self.salvage(reason, now),
        };
        let body_start = header.len() as u64 + 1;
        // About one entry per 450 bytes (a created entry's line): a wrong guess only costs
        // growing the table once more.
        let expected = usize::try_from(len.saturating_sub(body_start) / 450).unwrap_or(0);
        let mut state = State::with_capacity(expected);
        let mut sink = |record| state.apply_prepared(record);
        let parsed = decode::parse_file(&path, (body_start, len), version, 2, &prepare, &mut sink);
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                let reason = Damage::Unreadable(e.to_string());
                return self.keep_aside_and_restart(reason, &State::default(), 0, now);
            }
        };
        let torn = parsed.torn_len;
        let complete_len = parsed.complete_len;
        let records_in_file = parsed.records;
        let bad = parsed.bad;
        if let Some(first) = bad.first() {
            let reason = Damage::BadLine {
                line_no: first.line_no,
                error: first.error.clone(),
            };
            return self.keep_aside_and_restart(reason, &state, bad.len(), now);
        }
        if version != FORMAT_VERSION {
            let reason = Damage::OlderFormat(version);
            let recovered = state.slots.len();
            let notice = match self.replace(&state, &format!("v{version}"), now)? {
                Ok(kept_as) => Notice::Migrated {
                    from: version,
                    kept_as,
                },
                Err(error) => self.not_repaired(reason, recovered, 0, &error),
            };
            self.notices.push(notice);
            return Ok(());
        }
        if torn > 0 {
            self.notices.push(Notice::TornTail {
                path: path.clone(),
                bytes: torn as u64,
            });
        }
        self.state = state;
        self.file_id = Some(file_id);
        self.synced_len = body_start + complete_len as u64;
        self.records_in_file = records_in_file;
        self.unrepaired = None;
        Ok(())
    }

    /// The file has no valid header: keep it aside, carrying over whatever lines after the
    /// first read as records of this version. Lock held.
    fn salvage(&mut self, reason: Damage, now: OffsetDateTime) -> Result<(), HistoryError> {
        let bytes = match store::read_all(&self.paths.file) {
            Ok(bytes) => bytes.unwrap_or_default(),
            Err(e) => {
                let reason = Damage::AndUnreadable(Box::new(reason), e.to_string());
                return self.keep_aside_and_restart(reason, &State::default(), 0, now);
            }
        };
        let body = memchr::memchr(b'\n', &bytes)
            .and_then(|end| bytes.get(end + 1..))
            .unwrap_or_default();
        let mut state = State::default();
        let parsed = decode::parse_body(body, FORMAT_VERSION, 2, &mut |r| state.apply(r));
        let unreadable = parsed.bad.len() + 1;
        self.keep_aside_and_restart(reason, &state, unreadable, now)
    }

    fn keep_aside_and_restart(
        &mut self,
        reason: Damage,
        state: &State,
        unreadable_lines: usize,
        now: OffsetDateTime,
    ) -> Result<(), HistoryError> {
        let recovered = state.slots.len();
        let notice = match self.replace(state, "corrupt", now)? {
            Ok(kept_as) => {
                tracing::warn!(kept_as = %kept_as.display(), %reason, "history file kept aside");
                Notice::MovedAside {
                    kept_as,
                    reason,
                    recovered,
                    unreadable_lines,
                }
            }
            Err(error) => self.not_repaired(reason, recovered, unreadable_lines, &error),
        };
        self.notices.push(notice);
        Ok(())
    }

    /// The notice for a repair that could not be written; `state` already holds what was read.
    fn not_repaired(
        &mut self,
        reason: Damage,
        recovered: usize,
        unreadable_lines: usize,
        error: &std::io::Error,
    ) -> Notice {
        tracing::warn!(%reason, %error, "the history file could not be repaired");
        let error = error.to_string();
        self.unrepaired = Some(error.clone());
        Notice::NotRepaired {
            path: self.paths.file.clone(),
            reason,
            recovered,
            unreadable_lines,
            error,
        }
    }

    /// Replaces a damaged or older file with a fresh one holding `state`, keeping the old
    /// one as `history.<label>-….jsonl`. The fresh file is written (and flushed) **before**
    /// the old one is touched: when it cannot be (a full disk), the old file stays as it is,
    /// `state` is adopted unsaved, and the write error is returned (inner `Err`) for the
    /// caller's notice. Lock held.
    fn replace(
        &mut self,
        state: &State,
        label: &str,
        now: OffsetDateTime,
    ) -> Result<Result<PathBuf, std::io::Error>, HistoryError> {
        let (records, state) = state.compacted(now);
        let header = Header::new(now);
        let bytes = encode_file(&header, &records)?;
        let fresh = match crate::files::Replacement::prepare(&self.paths.file, &bytes) {
            Ok(fresh) => fresh,
            Err(error) => {
                self.state = state;
                self.file_id = None;
                self.synced_len = 0;
                self.records_in_file = 0;
                return Ok(Err(error));
            }
        };
        let kept_as = store::keep_aside(&self.paths, label, now)
            .map_err(io_err(IoAction::KeepAside, &self.paths.file))?;
        fresh
            .commit()
            .map_err(io_err(IoAction::Write, &self.paths.file))?;
        self.adopt(state, &header, bytes.len(), records.len());
        Ok(Ok(kept_as))
    }

    /// Writes `state` as a new file (atomically) and adopts it.
    fn start_fresh(&mut self, state: State, now: OffsetDateTime) -> Result<(), HistoryError> {
        self.state = state;
        self.compact_locked(now)
    }

    /// `state` is now what the file with `header`, `len` bytes and `records` records holds.
    fn adopt(&mut self, state: State, header: &Header, len: usize, records: usize) {
        self.state = state;
        self.file_id = Some(header.file_id);
        self.synced_len = len as u64;
        self.records_in_file = records;
        self.unrepaired = None;
    }

    /// Rewrites the file from `state`. Lock held, `state` in sync.
    pub(super) fn compact_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
        let (records, state) = self.state.compacted(now);
        let header = Header::new(now);
        let bytes = encode_file(&header, &records)?;
        store::write_atomically(&self.paths, &bytes)
            .map_err(io_err(IoAction::Write, &self.paths.file))?;
        self.adopt(state, &header, bytes.len(), records.len());
        Ok(())
    }
}

/// A whole history file: the header line, then a line per record.
fn encode_file(header: &Header, records: &[Record]) -> Result<Vec<u8>, HistoryError> {
    let mut bytes = Vec::with_capacity(records.len() * 400 + 200);
    format::write_line(&mut bytes, header)?;
    for r in records {
        format::write_line(&mut bytes, r)?;
    }
    Ok(bytes)
}
