//! The history of create attempts: persistent, crash-safe, shared between processes.
//!
//! Every create is recorded **before** its request is sent ([`History::record_pending`]) and
//! updated with its outcome afterwards ([`History::record_outcome`]), so a reply lost to a
//! crash, a timeout or a closed connection still leaves a trace that "refresh status" (or
//! the window's "check again") can settle. A topic or group create or delete is recorded the
//! same way, as an entry of its own with the instance it is on
//! ([`History::record_change_pending`], [`History::record_change_outcome`]; see [`Subject`]).
//!
//! # On disk
//! `history.jsonl` in the data directory ([`crate::paths::data_dir`]): an append-only JSON-lines
//! log with a versioned header (see [`format`](mod@format)). Each change is one line, appended and flushed
//! (`fsync`) under an advisory lock on `history.lock`, so the window and a CLI script can append
//! at the same time without losing a line. A crash mid-append leaves an incomplete last line,
//! which is ignored (and reported) on load and cut off before the next append. When the log has
//! grown to mostly updates, it is compacted: rewritten to a temporary file, flushed and renamed
//! over, so a crash leaves the old or the new file, never a mix. The folder is created 0700 and
//! the files 0600 on unix; a rewrite keeps the mode the file had (see [`crate::files`]).
//!
//! A file that cannot be read or holds an unreadable line is kept aside as
//! `history.corrupt-YYYYMMDD-HHMMSS.jsonl` (never overwritten, never deleted); the lines that
//! could be read are carried into a fresh log, and a [`Notice`] says what happened. The fresh
//! log is written before the old file is touched: when it cannot be (a full disk), the old
//! file stays as it is, the readable entries are shown, [`Notice::NotRepaired`] says so and
//! writes fail with [`HistoryError::Unrepaired`] until a later attempt succeeds. A file
//! written by a newer onsdesk is left untouched and [`History::open`] fails with
//! [`HistoryError::NewerFormat`].
//!
//! # Use from the window
//! **Every method of [`History`] blocks** (file I/O, and waiting for another process's lock).
//! The window runs them through `tokio::task::spawn_blocking`; `History`, [`Snapshot`],
//! [`Entry`] and [`Notice`] are `Send + 'static`. A [`Snapshot`] is a cheap, immutable,
//! newest-first view (shared `Arc`s) whose [`Snapshot::search`] returns row indices, for a
//! virtualised table.
//!
//! Secrets are never recorded: an entry names its credential profile, nothing more.
//!
//! # Where things are
//! This file holds [`History`] and its operations. The entries and their records are in
//! `entry.rs`; the file's lines in [`format`](mod@format), and reading a whole body of them
//! in [`decode`] (on several threads, `parallel.rs`, for a large file); the lock, appends and
//! atomic rewrites in `store.rs`; the entries in memory in `state.rs`; loading, salvaging and compacting the file in `load.rs`; the
//! appender `onsdesk create` records through in `appender.rs`; what an entry is about (an
//! instance, a topic, a group) in `subject.rs`; what the window shows in
//! `snapshot.rs`; errors and notices in `error.rs`; "Refresh status" in [`refresh`]; exports
//! in [`export`].

mod appender;
pub mod decode;
mod entry;
mod error;
pub mod export;
pub mod format;
mod load;
mod parallel;
pub mod refresh;
mod rfc3339;
mod snapshot;
mod state;
mod store;
mod subject;

use std::path::Path;
use std::sync::Arc;

pub use appender::Appender;
pub use entry::{
    CloudCheck, CloudState, DEFAULT_SEND_WINDOW, Entry, EntryId, EntryOutcome, Later, NewAttempt,
    Status, local_at, now_local,
};
pub use error::{Damage, HistoryError, IoAction, Notice};
use format::Record;
use snapshot::Item;
pub use snapshot::Snapshot;
use state::{Slot, State, pending_change, pending_entry};
pub use store::{FILE_NAME, LOCK_NAME, LOCK_WAIT};
use store::{Paths, io_err};
pub use subject::{
    ChangeOutcome, EntryKind, GroupSubject, NewChange, Resource, Subject, TopicSubject,
    UnknownKind, Verb,
};

/// Compact when the log holds more than this many records beyond twice the entries.
const COMPACT_SLACK: usize = 1000;

/// The history store. See the [module docs](self): every method blocks.
#[derive(Debug)]
pub struct History {
    paths: Paths,
    state: State,
    /// The header `file_id` of the file `state` reflects.
    file_id: Option<uuid::Uuid>,
    /// Bytes of that file reflected in `state` (always at a line boundary).
    synced_len: u64,
    /// Records in that file (to decide when to compact).
    records_in_file: usize,
    /// Why the file could not be repaired, while `state` holds what could be read of a
    /// damaged file that is still on disk as it was: writes are refused until a later sync
    /// repairs it.
    unrepaired: Option<String>,
    notices: Vec<Notice>,
    /// How long this process may send a change after recording it (see
    /// [`History::set_send_window`]).
    send_window: std::time::Duration,
}

impl History {
    /// Opens (creating if needed) the history in `dir`. Blocks.
    ///
    /// Returns notices to show the user: an incomplete last record ignored, a corrupt file moved
    /// aside. Fails when the folder cannot be written or the file is from a newer onsdesk.
    pub fn open(dir: &Path) -> Result<(Self, Vec<Notice>), HistoryError> {
        let mut history = Self {
            paths: Paths::new(dir),
            state: State::default(),
            file_id: None,
            synced_len: 0,
            records_in_file: 0,
            unrepaired: None,
            notices: Vec::new(),
            send_window: entry::DEFAULT_SEND_WINDOW,
        };
        let started = std::time::Instant::now();
        {
            let _lock = store::lock(&history.paths)?;
            history.load_locked(now_local())?;
        }
        tracing::debug!(
            entries = history.state.slots.len(),
            bytes = history.synced_len,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "history loaded"
        );
        let notices = history.take_notices();
        Ok((history, notices))
    }

    /// Opens the history in [`crate::paths::data_dir`]. Blocks.
    pub fn open_default() -> Result<(Self, Vec<Notice>), HistoryError> {
        let dir = crate::paths::data_dir().ok_or(HistoryError::NoDataDir)?;
        Self::open(&dir)
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.paths.file
    }

    /// `Err` when the file on disk is a damaged one that could not be repaired (see
    /// [`Notice::NotRepaired`]): what is shown is not saved, and nothing can be recorded.
    pub fn ensure_saved(&self) -> Result<(), HistoryError> {
        match &self.unrepaired {
            Some(detail) => Err(HistoryError::Unrepaired {
                path: self.paths.file.clone(),
                detail: detail.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Notices raised since the last call (by [`History::reload`] or a write that found the
    /// file replaced or damaged by another process).
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// How long after recording a change this process may still send it (its deadline and one
    /// request's time limit): stamped on every pending entry, so that a refresh in another
    /// process does not judge the change before it can no longer arrive. Default
    /// [`entry::DEFAULT_SEND_WINDOW`].
    pub fn set_send_window(&mut self, window: std::time::Duration) {
        self.send_window = window;
    }

    /// Records an attempt as pending, flushed to disk, and returns its ID. Call it **before**
    /// sending the request. Blocks.
    pub fn record_pending(&mut self, attempt: NewAttempt) -> Result<EntryId, HistoryError> {
        let entry = pending_entry(attempt, self.send_window);
        let id = entry.id;
        self.append(vec![Record::Put(entry)])?;
        Ok(id)
    }

    /// Records a topic or group create or delete as pending, flushed to disk, and returns its
    /// ID. Call it **before** sending the request. Blocks.
    pub fn record_change_pending(&mut self, change: NewChange) -> Result<EntryId, HistoryError> {
        let entry = pending_change(change, self.send_window);
        let id = entry.id;
        self.append(vec![Record::Put(entry)])?;
        Ok(id)
    }

    /// Records how a topic or group create or delete that
    /// [`History::record_change_pending`] recorded ended. Blocks.
    pub fn record_change_outcome(
        &mut self,
        id: EntryId,
        outcome: &ChangeOutcome,
    ) -> Result<(), HistoryError> {
        self.record_outcome(id, Status::of_change(outcome))
    }

    /// Records an attempt's outcome (or a later settlement, such as an adoption). Blocks.
    pub fn record_outcome(&mut self, id: EntryId, status: Status) -> Result<(), HistoryError> {
        self.require(id)?;
        self.append(vec![Record::Status {
            id,
            status,
            at: now_local(),
        }])
    }

    /// Hides an entry from the history (undo with [`History::restore`]). The cloud instance is
    /// not touched. Blocks.
    pub fn remove(&mut self, id: EntryId) -> Result<(), HistoryError> {
        self.require(id)?;
        self.append(vec![Record::Remove {
            id,
            at: now_local(),
        }])
    }

    /// Brings back a removed entry. Blocks.
    pub fn restore(&mut self, id: EntryId) -> Result<(), HistoryError> {
        self.require(id)?;
        self.append(vec![Record::Restore {
            id,
            at: now_local(),
        }])
    }

    /// The entries (not removed) that created or adopted `instance_id`.
    pub fn entries_for_instance(&self, instance_id: &str) -> Vec<EntryId> {
        self.entries()
            .filter(|e| e.instance_id() == Some(instance_id))
            .map(|e| e.id)
            .collect()
    }

    /// Records that onsdesk renamed the entry's instance and/or changed its remark (`None`
    /// leaves a field as it was); the name it was created with stays. Blocks.
    pub fn record_edited(
        &mut self,
        id: EntryId,
        name: Option<String>,
        remark: Option<String>,
    ) -> Result<(), HistoryError> {
        self.require(id)?;
        self.append(vec![Record::Edited {
            id,
            name,
            remark,
            at: now_local(),
        }])
    }

    /// Records that onsdesk deleted the entry's instance (now). Blocks.
    pub fn record_deleted(&mut self, id: EntryId) -> Result<(), HistoryError> {
        self.require(id)?;
        self.append(vec![Record::Deleted {
            id,
            at: now_local(),
        }])
    }

    /// Picks up what other processes appended (cheap when nothing changed). Blocks.
    pub fn reload(&mut self) -> Result<Vec<Notice>, HistoryError> {
        {
            let _lock = store::lock(&self.paths)?;
            self.sync_locked(now_local())?;
        }
        Ok(self.take_notices())
    }

    /// Rewrites the log as one line per entry. Done automatically when the log grows; public
    /// for tests and tools. Blocks.
    pub fn compact(&mut self) -> Result<(), HistoryError> {
        let _lock = store::lock(&self.paths)?;
        let now = now_local();
        self.sync_locked(now)?;
        self.compact_locked(now)
    }

    /// An entry that is not removed.
    pub fn get(&self, id: EntryId) -> Option<&Entry> {
        let slot = self.state.slots.get(*self.state.index.get(&id)?)?;
        slot.removed_at.is_none().then_some(&*slot.entry)
    }

    /// The entries that are not removed, in the order they were recorded.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.visible().map(|s| &*s.entry)
    }

    /// How many entries are not removed.
    pub fn len(&self) -> usize {
        self.visible().count()
    }

    /// True when no entry is shown.
    pub fn is_empty(&self) -> bool {
        self.visible().next().is_none()
    }

    /// The entries that are not removed, newest first, as a cheap shareable view.
    pub fn snapshot(&self) -> Snapshot {
        let mut items: Vec<Item> = self
            .visible()
            .map(|s| Item {
                entry: Arc::clone(&s.entry),
                key: Arc::clone(&s.key),
            })
            .collect();
        // Stable: entries recorded in the same instant keep their file order, reversed below.
        items.reverse();
        items.sort_by_key(|it| std::cmp::Reverse(it.entry.at));
        Snapshot {
            items: items.into(),
        }
    }

    fn visible(&self) -> impl Iterator<Item = &Slot> {
        self.state.slots.iter().filter(|s| s.removed_at.is_none())
    }

    fn require(&self, id: EntryId) -> Result<(), HistoryError> {
        if self.state.index.contains_key(&id) {
            Ok(())
        } else {
            Err(HistoryError::NotFound(id))
        }
    }

    /// Appends `records` as one flushed write under the lock, after catching up with other
    /// processes' appends; then applies them in memory.
    fn append(&mut self, records: Vec<Record>) -> Result<(), HistoryError> {
        if records.is_empty() {
            return Ok(());
        }
        self.append_decided(|_| (records, ()))
    }

    /// Appends what `decide` makes of the history as it is on disk, as one flushed write:
    /// `decide` runs under the lock, after catching up with other processes' appends, so what
    /// it decides is never written over what another process recorded meanwhile (a refresh
    /// that listed for seconds while a create settled its own entry). Then applies the
    /// records in memory.
    fn append_decided<T>(
        &mut self,
        decide: impl FnOnce(&Self) -> (Vec<Record>, T),
    ) -> Result<T, HistoryError> {
        let _lock = store::lock(&self.paths)?;
        let now = now_local();
        self.sync_locked(now)?;
        let (records, decided) = decide(self);
        if records.is_empty() {
            return Ok(decided);
        }
        let mut bytes = Vec::with_capacity(records.len() * 400);
        for r in &records {
            format::write_line(&mut bytes, r)?;
        }
        self.ensure_saved()?;
        let n = records.len();
        self.synced_len = store::append(
            &self.paths.file,
            self.synced_len,
            &bytes,
            store::Durability::Synced,
        )
        .map_err(io_err(IoAction::Write, &self.paths.file))?;
        for r in records {
            self.state.apply(r);
        }
        self.records_in_file += n;
        if self.records_in_file > 2 * self.state.slots.len() + COMPACT_SLACK {
            self.compact_locked(now)?;
        }
        Ok(decided)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(name: &str) -> NewAttempt {
        NewAttempt {
            name: name.to_owned(),
            remark: format!("remark of {name}"),
            region: "cn-hangzhou".to_owned(),
            endpoint: "http://127.0.0.1:1/".to_owned(),
            profile: "work".to_owned(),
        }
    }

    fn created(id: &str) -> Status {
        Status::Created {
            instance_id: id.to_owned(),
            instance_type: 1,
            request_id: "req".to_owned(),
        }
    }

    #[test]
    fn records_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, notices) = History::open(dir.path()).unwrap();
        assert!(notices.is_empty());
        let a = h.record_pending(attempt("orders")).unwrap();
        let b = h.record_pending(attempt("订单-测试")).unwrap();
        h.record_outcome(a, created("MQ_INST_1_AAA")).unwrap();
        h.remove(b).unwrap();
        let (h2, notices) = History::open(dir.path()).unwrap();
        assert!(notices.is_empty());
        assert_eq!(h2.len(), 1);
        assert_eq!(h2.get(a).unwrap().instance_id(), Some("MQ_INST_1_AAA"));
        assert!(h2.get(b).is_none());
        let mut h2 = h2;
        h2.restore(b).unwrap();
        assert_eq!(h2.get(b).unwrap().name, "订单-测试");
    }

    #[test]
    fn a_second_handle_sees_appends_on_reload() {
        let dir = tempfile::tempdir().unwrap();
        let (mut one, _) = History::open(dir.path()).unwrap();
        let (mut two, _) = History::open(dir.path()).unwrap();
        let a = one.record_pending(attempt("first")).unwrap();
        assert!(two.get(a).is_none());
        two.reload().unwrap();
        assert_eq!(two.get(a).unwrap().name, "first");
        // Appending from `two` catches up first: both see both.
        let b = two.record_pending(attempt("second")).unwrap();
        one.reload().unwrap();
        assert_eq!(one.len(), 2);
        assert_eq!(two.len(), 2);
        assert!(one.get(b).is_some());
    }

    #[test]
    fn compaction_keeps_every_entry_and_recent_removals() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _) = History::open(dir.path()).unwrap();
        let ids: Vec<_> = (0..5)
            .map(|i| h.record_pending(attempt(&format!("n{i}"))).unwrap())
            .collect();
        h.record_outcome(ids[0], created("MQ_INST_X")).unwrap();
        h.remove(ids[1]).unwrap();
        h.compact().unwrap();
        let text = std::fs::read_to_string(h.path()).unwrap();
        assert_eq!(text.lines().count(), 1 + 5 + 1, "{text}");
        let (mut again, _) = History::open(dir.path()).unwrap();
        assert_eq!(again.len(), 4);
        again.restore(ids[1]).unwrap();
        assert_eq!(again.len(), 5);
        assert_eq!(again.get(ids[0]).unwrap().instance_id(), Some("MQ_INST_X"));
    }

    #[test]
    fn unknown_ids_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _) = History::open(dir.path()).unwrap();
        let err = h
            .record_outcome(EntryId::new(), Status::Pending)
            .unwrap_err();
        assert!(matches!(err, HistoryError::NotFound(_)));
    }

    /// A damaged history met with a full disk. Every readable entry is
    /// shown, the file is left exactly as it was (nothing moved aside, no temporary file),
    /// recording is refused with the reason, and once there is room the repair goes through.
    #[test]
    fn a_damaged_history_on_a_full_disk_keeps_every_readable_entry() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _) = History::open(dir.path()).unwrap();
        let a = h.record_pending(attempt("first")).unwrap();
        let b = h.record_pending(attempt("second")).unwrap();
        h.record_outcome(a, created("MQ_INST_1_AAA")).unwrap();
        drop(h);
        let path = dir.path().join(FILE_NAME);
        // the header line damaged: every record after it is still readable
        let original = std::fs::read(&path).unwrap();
        let body = &original[original.iter().position(|&b| b == b'\n').unwrap()..];
        let bytes = [&b"{\"damaged header"[..], body].concat();
        std::fs::write(&path, &bytes).unwrap();
        let names = || {
            let mut n: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };

        let full = crate::files::fail_writes::start(std::io::ErrorKind::StorageFull);
        let (mut h, notices) = History::open(dir.path()).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h.get(a).unwrap().instance_id(), Some("MQ_INST_1_AAA"));
        assert!(h.get(b).is_some());
        let [
            Notice::NotRepaired {
                recovered: 2,
                unreadable_lines: 1,
                ..
            },
        ] = &notices[..]
        else {
            panic!("{notices:?}");
        };
        let text = notices[0].to_string();
        assert!(
            text.contains("2 entries that could be read are shown"),
            "{text}"
        );
        assert!(text.contains("no space left"), "{text}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
        assert_eq!(names(), vec![FILE_NAME, LOCK_NAME]);
        let err = h.record_pending(attempt("third")).unwrap_err();
        assert!(matches!(err, HistoryError::Unrepaired { .. }), "{err:?}");
        assert!(err.to_string().contains("free some disk space"), "{err}");
        // a second process sees the same, not an empty history
        let (again, _) = History::open(dir.path()).unwrap();
        assert_eq!(again.len(), 2);
        // and a create's appender is told why, not "keeps changing under us"
        let err = Appender::open(dir.path())
            .and_then(|(mut ap, _)| ap.record_pending(attempt("third")))
            .unwrap_err();
        assert!(matches!(err, HistoryError::Unrepaired { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
        drop(full);

        // room again: the next write repairs, keeps the damaged file aside, and records
        let c = h.record_pending(attempt("third")).unwrap();
        let notices = h.take_notices();
        assert!(
            matches!(
                notices.last(),
                Some(Notice::MovedAside { recovered: 2, .. })
            ),
            "{notices:?}"
        );
        let (after, notices) = History::open(dir.path()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(after.len(), 3);
        assert!(after.get(c).is_some());
        assert_eq!(after.get(a).unwrap().instance_id(), Some("MQ_INST_1_AAA"));
    }

    #[test]
    fn types_cross_threads() {
        fn assert_send_static<T: Send + Sync + 'static>() {}
        assert_send_static::<History>();
        assert_send_static::<Snapshot>();
        assert_send_static::<Notice>();
        assert_send_static::<HistoryError>();
    }
}
