//! The history of create attempts: persistent, crash-safe, shared between processes.
//!
//! Every create is recorded **before** its request is sent ([`History::record_pending`]) and
//! updated with its outcome afterwards ([`History::record_outcome`]), so a reply lost to a
//! crash, a timeout or a closed connection still leaves a trace that "refresh status" (or
//! the window's "check again") can settle.
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

mod entry;
pub mod export;
pub mod format;
pub mod refresh;
mod rfc3339;
mod store;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::OffsetDateTime;

pub use entry::{
    CloudCheck, CloudState, Entry, EntryId, EntryOutcome, Later, NewAttempt, Status, now_local,
};
use format::{FORMAT_VERSION, Header, HeaderCheck, Record};
pub use store::{FILE_NAME, LOCK_NAME};
use store::{Paths, io_err};

/// Removed entries are kept on disk this long after removal (so "undo" works from another
/// process too), then dropped by the next compaction.
const REMOVED_KEPT_FOR: time::Duration = time::Duration::days(1);
/// Compact when the log holds more than this many records beyond twice the entries.
const COMPACT_SLACK: usize = 1000;

/// A history operation failed. `Display` is for the user.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no data directory for the history: set ONSDESK_DATA_DIR or HOME")]
    NoDataDir,
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: IoAction,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} was written by a newer onsdesk (history format {found}; this one reads format \
         {supported} and older): it is left untouched and nothing can be recorded until onsdesk \
         is updated",
        path.display()
    )]
    NewerFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "the history file {} is damaged and a repaired copy could not be written ({detail}); \
         it is left as it is, the entries that could be read are shown, and nothing can be \
         recorded until it is repaired (free some disk space and try again)",
        path.display()
    )]
    Unrepaired { path: PathBuf, detail: String },
    #[error("no history entry {0}")]
    NotFound(EntryId),
    #[error("could not encode a history record: {0}")]
    Encode(#[from] serde_json::Error),
}

/// What the history was doing with a file when the system refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoAction {
    Read,
    Write,
    Lock,
    /// Renaming a damaged or older file aside.
    KeepAside,
}

impl fmt::Display for IoAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Lock => "lock",
            Self::KeepAside => "keep aside",
        })
    }
}

/// Something the user should know about the history file, found while loading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The last line was incomplete (the app or the machine stopped while writing it) and was
    /// ignored; every earlier entry loaded.
    TornTail { path: PathBuf, bytes: u64 },
    /// The file could not be read as a history. It was kept, renamed, and a fresh history was
    /// started with the entries that could be read.
    MovedAside {
        kept_as: PathBuf,
        reason: String,
        /// Entries carried into the fresh history.
        recovered: usize,
        /// Lines that could not be read (see the kept file).
        unreadable_lines: usize,
    },
    /// An older history format was converted; the original is kept.
    Migrated { from: u32, kept_as: PathBuf },
    /// The file could not be read as a history (or needs converting), and the repaired copy
    /// could not be written (a full disk): the file is left untouched, the entries that could
    /// be read are shown, and recording waits until a later attempt repairs it.
    NotRepaired {
        path: PathBuf,
        reason: String,
        /// Entries that could be read (shown, not yet saved in a repaired file).
        recovered: usize,
        /// Lines that could not be read.
        unreadable_lines: usize,
        /// Why the repaired copy could not be written.
        error: String,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TornTail { path, bytes } => write!(
                f,
                "the history's last record was cut short ({bytes} bytes, probably a crash while \
                 writing) and was ignored; all earlier entries were loaded ({})",
                path.display()
            ),
            Self::MovedAside {
                kept_as,
                reason,
                recovered,
                unreadable_lines,
            } => write!(
                f,
                "the history file could not be read ({reason}); it was kept as {} and a new \
                 history was started with the {recovered} entries that could be read \
                 ({unreadable_lines} unreadable lines)",
                kept_as.display()
            ),
            Self::Migrated { from, kept_as } => write!(
                f,
                "the history was converted from format {from} to {FORMAT_VERSION}; the original \
                 is kept as {}",
                kept_as.display()
            ),
            Self::NotRepaired {
                path,
                reason,
                recovered,
                unreadable_lines,
                error,
            } => write!(
                f,
                "the history file could not be read ({reason}) and a repaired copy could not be \
                 written ({error}); {} is left as it is, the {recovered} entries that could be \
                 read are shown ({unreadable_lines} unreadable lines), and nothing can be \
                 recorded until there is room to repair it",
                path.display()
            ),
        }
    }
}

/// One entry in memory, with its precomputed search key.
#[derive(Clone, Debug)]
struct Slot {
    entry: Arc<Entry>,
    key: Arc<str>,
    removed_at: Option<OffsetDateTime>,
}

/// Lowercased name, InstanceId and remark, separated by a character nobody types. Built in a
/// buffer each thread reuses, so the key costs one allocation (its `Arc`).
fn search_key(entry: &Entry) -> Arc<str> {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    fn push_lower(key: &mut String, s: &str) {
        if s.is_ascii() {
            // In place, a word at a time (char by char was a twentieth of a large load).
            let from = key.len();
            key.push_str(s);
            if let Some(added) = key.get_mut(from..) {
                added.make_ascii_lowercase();
            }
        } else {
            key.push_str(&s.to_lowercase());
        }
    }
    let build = |key: &mut String| {
        key.clear();
        push_lower(key, &entry.name);
        key.push('\u{1}');
        if let Some(id) = entry.instance_id() {
            push_lower(key, id);
        }
        key.push('\u{1}');
        push_lower(key, &entry.remark);
        if let Some(later) = &entry.later {
            // A renamed instance is found by its new name and remark too.
            for s in [&later.renamed_to, &later.remark].into_iter().flatten() {
                key.push('\u{1}');
                push_lower(key, s);
            }
        }
        Arc::from(key.as_str())
    };
    BUFFER
        .try_with(|buffer| build(&mut buffer.borrow_mut()))
        .unwrap_or_else(|_| build(&mut String::new()))
}

impl Slot {
    fn new(entry: Entry) -> Self {
        Self {
            key: search_key(&entry),
            entry: Arc::new(entry),
            removed_at: None,
        }
    }

    fn update(&mut self, f: impl FnOnce(&mut Entry)) {
        f(Arc::make_mut(&mut self.entry));
        self.key = search_key(&self.entry);
    }
}

/// A new attempt as a pending entry, stamped now.
fn pending_entry(attempt: NewAttempt) -> Entry {
    Entry {
        id: EntryId::new(),
        at: now_local(),
        name: attempt.name,
        remark: attempt.remark,
        region: attempt.region,
        endpoint: attempt.endpoint,
        profile: attempt.profile,
        status: Status::Pending,
        cloud: None,
        later: None,
    }
}

/// Records attempts without reading the whole history: what `onsdesk create` needs. Each
/// write takes the lock, checks that the file is this version's with no torn tail, and appends
/// one flushed line, so it is as crash-safe and multi-process-safe as [`History`]. A file that
/// is missing, older, damaged or torn is first put right by a full [`History::open`] (with
/// its notices); a newer one is refused. A fresh process takes about 90 ms to load 100 000
/// entries, which a cold create should not pay to add one.
#[derive(Debug)]
pub struct Appender {
    paths: Paths,
}

impl Appender {
    /// Opens the history in `dir` for appending. Blocks.
    pub fn open(dir: &Path) -> Result<(Self, Vec<Notice>), HistoryError> {
        let appender = Self {
            paths: Paths::new(dir),
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

    /// Records an attempt as pending, before its request is sent. Blocks.
    pub fn record_pending(&mut self, attempt: NewAttempt) -> Result<EntryId, HistoryError> {
        let entry = pending_entry(attempt);
        let id = entry.id;
        self.append(&Record::Put(entry))?;
        Ok(id)
    }

    /// Records the outcome of an attempt this appender recorded. Blocks.
    pub fn record_outcome(&mut self, id: EntryId, status: Status) -> Result<(), HistoryError> {
        self.append(&Record::Status {
            id,
            status,
            at: now_local(),
        })
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

    fn append(&self, record: &Record) -> Result<(), HistoryError> {
        let mut bytes = Vec::with_capacity(512);
        format::write_line(&mut bytes, record)?;
        for _ in 0..2 {
            {
                let _lock = store::lock(&self.paths)?;
                if let Some(len) = self.committed_len()? {
                    store::append(&self.paths.file, len, &bytes)
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

/// A record made ready to apply: a `put`'s slot (its `Arc` and search key) is built by
/// [`prepare`], which a load runs on its decoding threads. Other records are boxed: a
/// loaded history is mostly puts, and a 56-byte item instead of 250 is less to move.
/// A put carries its entry's ID beside the slot, so adding it to the index does not reach
/// into an entry another thread wrote long ago (a cache miss per entry).
enum Prepared {
    Put(EntryId, Slot),
    Other(Box<Record>),
}

fn prepare(record: Record) -> Prepared {
    match record {
        Record::Put(entry) => Prepared::Put(entry.id, Slot::new(entry)),
        other => Prepared::Other(Box::new(other)),
    }
}

/// The entries, in the order they were first recorded.
#[derive(Clone, Debug, Default)]
struct State {
    slots: Vec<Slot>,
    index: HashMap<EntryId, usize>,
}

impl State {
    /// Room for about `capacity` entries.
    fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Vec::with_capacity(capacity),
            index: HashMap::with_capacity(capacity),
        }
    }

    fn slot_mut(&mut self, id: EntryId) -> Option<&mut Slot> {
        let i = *self.index.get(&id)?;
        self.slots.get_mut(i)
    }

    fn apply_prepared(&mut self, record: Prepared) {
        match record {
            Prepared::Put(id, slot) => self.put(id, slot),
            Prepared::Other(record) => self.apply(*record),
        }
    }

    /// Adds an entry, or replaces the one with its ID (keeping whether it is removed).
    fn put(&mut self, id: EntryId, new: Slot) {
        match self.index.entry(id) {
            std::collections::hash_map::Entry::Occupied(at) => {
                if let Some(slot) = self.slots.get_mut(*at.get()) {
                    let removed_at = slot.removed_at;
                    *slot = new;
                    slot.removed_at = removed_at;
                }
            }
            std::collections::hash_map::Entry::Vacant(at) => {
                at.insert(self.slots.len());
                self.slots.push(new);
            }
        }
    }

    /// Applies one record. A change to an entry that is not there (dropped by a compaction
    /// while another process still held it) is ignored.
    fn apply(&mut self, record: Record) {
        match record {
            Record::Put(entry) => self.put(entry.id, Slot::new(entry)),
            Record::Status { id, status, .. } => {
                if let Some(slot) = self.slot_mut(id) {
                    slot.update(|e| e.status = status);
                }
            }
            Record::Cloud { id, cloud } => {
                if let Some(slot) = self.slot_mut(id) {
                    Arc::make_mut(&mut slot.entry).cloud = Some(cloud);
                }
            }
            Record::Remove { id, at } => {
                if let Some(slot) = self.slot_mut(id) {
                    slot.removed_at = Some(at);
                }
            }
            Record::Restore { id, .. } => {
                if let Some(slot) = self.slot_mut(id) {
                    slot.removed_at = None;
                }
            }
            Record::Edited {
                id,
                name,
                remark,
                at,
            } => {
                if let Some(slot) = self.slot_mut(id) {
                    slot.update(|e| {
                        let later = e.later.get_or_insert_default();
                        later.renamed_to = name.or(later.renamed_to.take());
                        later.remark = remark.or(later.remark.take());
                        later.edited_at = Some(at);
                    });
                }
            }
            Record::Deleted { id, at } => {
                if let Some(slot) = self.slot_mut(id) {
                    Arc::make_mut(&mut slot.entry)
                        .later
                        .get_or_insert_default()
                        .deleted_at = Some(at);
                }
            }
        }
    }

    /// The records that rebuild this state: a `put` per entry (and a `remove` for those
    /// removed less than [`REMOVED_KEPT_FOR`] ago; older removed ones are dropped).
    fn compacted(&self, now: OffsetDateTime) -> (Vec<Record>, Self) {
        let mut records = Vec::with_capacity(self.slots.len());
        let mut kept = Vec::with_capacity(self.slots.len());
        for slot in &self.slots {
            match slot.removed_at {
                Some(at) if now - at > REMOVED_KEPT_FOR => continue,
                Some(at) => {
                    records.push(Record::Put((*slot.entry).clone()));
                    records.push(Record::Remove {
                        id: slot.entry.id,
                        at,
                    });
                }
                None => records.push(Record::Put((*slot.entry).clone())),
            }
            kept.push(slot.clone());
        }
        let index = kept
            .iter()
            .enumerate()
            .map(|(i, s)| (s.entry.id, i))
            .collect();
        (records, Self { slots: kept, index })
    }
}

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

    /// Records an attempt as pending, flushed to disk, and returns its ID. Call it **before**
    /// sending the request. Blocks.
    pub fn record_pending(&mut self, attempt: NewAttempt) -> Result<EntryId, HistoryError> {
        let entry = pending_entry(attempt);
        let id = entry.id;
        self.append(vec![Record::Put(entry)])?;
        Ok(id)
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
        let mut bytes = Vec::with_capacity(records.len() * 400);
        for r in &records {
            format::write_line(&mut bytes, r)?;
        }
        let _lock = store::lock(&self.paths)?;
        let now = now_local();
        self.sync_locked(now)?;
        self.ensure_saved()?;
        let n = records.len();
        self.synced_len = store::append(&self.paths.file, self.synced_len, &bytes)
            .map_err(io_err(IoAction::Write, &self.paths.file))?;
        for r in records {
            self.state.apply(r);
        }
        self.records_in_file += n;
        if self.records_in_file > 2 * self.state.slots.len() + COMPACT_SLACK {
            self.compact_locked(now)?;
        }
        Ok(())
    }

    /// Brings `state` up to date with the file. Lock held. Reads only the new lines when the
    /// same file has grown; reloads everything when it was replaced.
    fn sync_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
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
        let parsed = format::parse_body(&tail, FORMAT_VERSION, 0, &mut |r| records.push(r));
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
    fn load_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
        let path = self.paths.file.clone();
        // The length as read under the lock: other onsdesk processes only append under it.
        let (header, len) = match store::read_first_line(&path) {
            Ok(Some((Some(line), len))) => (line, len),
            // No file, or an empty one (nothing to lose): start afresh.
            Ok(None | Some((None, 0))) => return self.start_fresh(State::default(), now),
            Ok(Some((None, _))) => {
                return self.salvage("the header line is incomplete".to_owned(), now);
            }
            Err(e) => {
                let reason = format!("it could not be read: {e}");
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
        let parsed = format::parse_file(&path, (body_start, len), version, 2, &prepare, &mut sink);
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                let reason = format!("it could not be read: {e}");
                return self.keep_aside_and_restart(reason, &State::default(), 0, now);
            }
        };
        let torn = parsed.torn_len;
        let complete_len = parsed.complete_len;
        let records_in_file = parsed.records;
        let bad = parsed.bad;
        if let Some(first) = bad.first() {
            let reason = format!(
                "line {} is not a history record: {}",
                first.line_no, first.error
            );
            return self.keep_aside_and_restart(reason, &state, bad.len(), now);
        }
        if version != FORMAT_VERSION {
            let reason = format!("it is in the older format {version} and needs converting");
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
    fn salvage(&mut self, reason: String, now: OffsetDateTime) -> Result<(), HistoryError> {
        let bytes = match store::read_all(&self.paths.file) {
            Ok(bytes) => bytes.unwrap_or_default(),
            Err(e) => {
                let reason = format!("{reason}; it could not be read: {e}");
                return self.keep_aside_and_restart(reason, &State::default(), 0, now);
            }
        };
        let body = memchr::memchr(b'\n', &bytes)
            .and_then(|end| bytes.get(end + 1..))
            .unwrap_or_default();
        let mut state = State::default();
        let parsed = format::parse_body(body, FORMAT_VERSION, 2, &mut |r| state.apply(r));
        let unreadable = parsed.bad.len() + 1;
        self.keep_aside_and_restart(reason, &state, unreadable, now)
    }

    fn keep_aside_and_restart(
        &mut self,
        reason: String,
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
        reason: String,
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
    fn compact_locked(&mut self, now: OffsetDateTime) -> Result<(), HistoryError> {
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

/// One row of a [`Snapshot`].
#[derive(Clone, Debug)]
struct Item {
    entry: Arc<Entry>,
    key: Arc<str>,
}

/// An immutable newest-first view of the history: cheap to clone and send to the UI thread.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    items: Arc<[Item]>,
}

impl Snapshot {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Option<&Entry> {
        self.items.get(i).map(|it| &*it.entry)
    }

    /// Row `i`, shared.
    pub fn get_arc(&self, i: usize) -> Option<Arc<Entry>> {
        self.items.get(i).map(|it| Arc::clone(&it.entry))
    }

    /// All rows, newest first.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.items.iter().map(|it| &*it.entry)
    }

    /// Indices of the rows whose name, InstanceId or remark contains `query`, ignoring case
    /// (all rows for an empty query), newest first.
    pub fn search(&self, query: &str) -> Vec<usize> {
        self.filter(query, None)
    }

    /// [`Snapshot::search`], limited to one region when `region` is given.
    pub fn filter(&self, query: &str, region: Option<&str>) -> Vec<usize> {
        let needle = query.trim().to_lowercase();
        // memmem's SIMD search, built once per query: `str::contains` took 20 ms for a full
        // InstanceId against 100 000 keys that all share its long prefix.
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        self.items
            .iter()
            .enumerate()
            .filter(|(_, it)| region.is_none_or(|r| it.entry.region == r))
            .filter(|(_, it)| needle.is_empty() || finder.find(it.key.as_bytes()).is_some())
            .map(|(i, _)| i)
            .collect()
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
    fn old_removals_are_dropped_by_compaction() {
        let mut state = State::default();
        let e = Entry {
            id: EntryId::new(),
            at: OffsetDateTime::UNIX_EPOCH,
            name: "n".into(),
            remark: String::new(),
            region: "r".into(),
            endpoint: "e".into(),
            profile: "p".into(),
            status: Status::Pending,
            cloud: None,
            later: None,
        };
        let id = e.id;
        state.apply(Record::Put(e));
        state.apply(Record::Remove {
            id,
            at: OffsetDateTime::UNIX_EPOCH,
        });
        let (records, kept) =
            state.compacted(OffsetDateTime::UNIX_EPOCH + time::Duration::hours(1));
        assert_eq!(records.len(), 2);
        assert_eq!(kept.slots.len(), 1);
        let (records, kept) = state.compacted(OffsetDateTime::UNIX_EPOCH + time::Duration::days(2));
        assert!(records.is_empty());
        assert!(kept.slots.is_empty());
    }

    #[test]
    fn search_ignores_case_and_covers_name_id_and_remark() {
        let dir = tempfile::tempdir().unwrap();
        let (mut h, _) = History::open(dir.path()).unwrap();
        let a = h.record_pending(attempt("Orders-Prod")).unwrap();
        h.record_outcome(a, created("MQ_INST_123_ABC")).unwrap();
        h.record_pending(attempt("支付-实例")).unwrap();
        let snap = h.snapshot();
        assert_eq!(snap.len(), 2);
        // Newest first.
        assert_eq!(snap.get(0).unwrap().name, "支付-实例");
        assert_eq!(snap.search("orders-PROD"), vec![1]);
        assert_eq!(snap.search("inst_123_abc"), vec![1]);
        assert_eq!(snap.search("remark of 支付"), vec![0]);
        assert_eq!(snap.search(""), vec![0, 1]);
        assert!(snap.search("nothing-like-this").is_empty());
        assert!(snap.filter("", Some("cn-beijing")).is_empty());
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
