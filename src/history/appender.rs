//! Recording without loading the history: the appender `onsdesk create` (and the topic and
//! group creates and deletes) use.

use std::path::Path;

use super::entry::{EntryId, NewAttempt, Status, now_local};
use super::format::{self, FORMAT_VERSION, HeaderCheck, Record};
use super::state::{pending_change, pending_entry};
use super::store::{self, Durability, Paths, io_err};
use super::subject::{ChangeOutcome, NewChange};
use super::{History, HistoryError, IoAction, Notice};

/// Records attempts without reading the whole history: what `onsdesk create` needs. Each
/// write takes the lock, checks that the file is this version's with no torn tail, and appends
/// one flushed line, so it is as crash-safe and multi-process-safe as [`History`]. A file that
/// is missing, older, damaged or torn is first put right by a full [`History::open`] (with
/// its notices); a newer one is refused. A fresh process takes about 90 ms to load 100 000
/// entries, which a cold create should not pay to add one.
#[derive(Debug)]
pub struct Appender {
    paths: Paths,
    /// How long this process may send a change after recording it (see
    /// [`Appender::set_send_window`]).
    send_window: std::time::Duration,
}

impl Appender {
    /// Opens the history in `dir` for appending. Blocks.
    pub fn open(dir: &Path) -> Result<(Self, Vec<Notice>), HistoryError> {
        let appender = Self {
            paths: Paths::new(dir),
            send_window: super::entry::DEFAULT_SEND_WINDOW,
        };
        let notices = if appender.ready()? {
            Vec::new()
        } else {
            History::open(dir)?.1
        };
        Ok((appender, notices))
    }

    /// [`Appender::open`] in [`crate::paths::data_dir`]. Blocks.
    pub fn open_default() -> Result<(Self, Vec<Notice>), HistoryError> {
        let dir = crate::paths::data_dir().ok_or(HistoryError::NoDataDir)?;
        Self::open(&dir)
    }

    /// How long after recording a change this process may still send it (its deadline and one
    /// request's time limit): stamped on every pending entry, so that a refresh in another
    /// process does not judge the change before it can no longer arrive. Default
    /// [`super::entry::DEFAULT_SEND_WINDOW`].
    pub fn set_send_window(&mut self, window: std::time::Duration) {
        self.send_window = window;
    }

    /// Records an attempt as pending, before its request is sent. Blocks.
    pub fn record_pending(&mut self, attempt: NewAttempt) -> Result<EntryId, HistoryError> {
        let entry = pending_entry(attempt, self.send_window);
        let id = entry.id;
        self.append(&Record::Put(entry), Durability::Synced)?;
        Ok(id)
    }

    /// Records a topic or group create or delete as pending, before its request is sent.
    /// Blocks.
    pub fn record_change_pending(&mut self, change: NewChange) -> Result<EntryId, HistoryError> {
        let entry = pending_change(change, self.send_window);
        let id = entry.id;
        self.append(&Record::Put(entry), Durability::Synced)?;
        Ok(id)
    }

    /// Records how a topic or group create or delete this appender recorded ended. Blocks.
    pub fn record_change_outcome(
        &mut self,
        id: EntryId,
        outcome: &ChangeOutcome,
    ) -> Result<(), HistoryError> {
        self.record_outcome(id, Status::of_change(outcome))
    }

    /// Records the outcome of an attempt this appender recorded. Blocks. Written, not synced:
    /// the pending record that guards against a duplicate is already on the disk, and an
    /// outcome lost in a power cut only leaves the entry pending, which the start-up check or
    /// `history refresh` settles by looking for it.
    pub fn record_outcome(&mut self, id: EntryId, status: Status) -> Result<(), HistoryError> {
        self.append(
            &Record::Status {
                id,
                status,
                at: now_local(),
            },
            Durability::Written,
        )
    }

    /// True when the file exists with this version's header and ends on a whole line;
    /// otherwise [`Appender::open`] lets a full open salvage it and report what it found.
    fn ready(&self) -> Result<bool, HistoryError> {
        let _lock = store::lock(&self.paths)?;
        Ok(self.committed_len()?.is_some() && self.is_whole()?)
    }

    /// Where the next line goes (after the last whole line) when the file has this version's
    /// header; `None` when it does not. Lock held.
    fn committed_len(&self) -> Result<Option<u64>, HistoryError> {
        let path = &self.paths.file;
        let Some((Some(line), len)) =
            store::read_first_line(path).map_err(io_err(IoAction::Read, path))?
        else {
            return Ok(None);
        };
        match format::check_header(&line) {
            HeaderCheck::Current { .. } => {}
            HeaderCheck::Newer { version } => {
                return Err(HistoryError::NewerFormat {
                    path: path.clone(),
                    found: version,
                    supported: FORMAT_VERSION,
                });
            }
            HeaderCheck::Older { .. } | HeaderCheck::Invalid(_) => return Ok(None),
        }
        // Up to the last whole line: a tail a crash cut short, however long, is dropped by the
        // next append.
        store::end_of_last_line(path, len).map_err(io_err(IoAction::Read, path))
    }

    /// True when the file ends on a whole line (nothing torn to report). Lock held.
    fn is_whole(&self) -> Result<bool, HistoryError> {
        let path = &self.paths.file;
        let len = std::fs::metadata(path)
            .map_err(io_err(IoAction::Read, path))?
            .len();
        Ok(self.committed_len()? == Some(len))
    }

    fn append(&self, record: &Record, durability: Durability) -> Result<(), HistoryError> {
        let mut bytes = Vec::with_capacity(512);
        format::write_line(&mut bytes, record)?;
        for _ in 0..2 {
            {
                let _lock = store::lock(&self.paths)?;
                if let Some(len) = self.committed_len()? {
                    store::append(&self.paths.file, len, &bytes, durability)
                        .map_err(io_err(IoAction::Write, &self.paths.file))?;
                    return Ok(());
                }
            }
            // Replaced or damaged since: let a full open put it right, then try once more.
            History::open(&self.paths.dir)?.0.ensure_saved()?;
        }
        Err(HistoryError::Io {
            action: IoAction::Write,
            path: self.paths.file.clone(),
            source: std::io::Error::other("the history file keeps changing under us"),
        })
    }
}
