//! The history in memory: one slot per entry (with its search key), in the order the entries
//! were first recorded, and how each record of the file changes it.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use time::OffsetDateTime;

use super::entry::{Entry, EntryId, NewAttempt, Status, now_local};
use super::format::Record;
use super::subject::{NewChange, Subject};

/// Removed entries are kept on disk this long after removal (so "undo" works from another
/// process too), then dropped by the next compaction.
const REMOVED_KEPT_FOR: time::Duration = time::Duration::days(1);

/// Counts every entry put and every status change this process applied, from any history
/// handle and across reloads: a [`Slot::changed`] above a count read earlier is an entry that
/// was added, replaced or settled since (by this process or, through a sync, another one).
static CHANGES: AtomicU64 = AtomicU64::new(0);

/// The count of changes applied so far (see [`CHANGES`]).
pub(super) fn changes() -> u64 {
    CHANGES.load(Ordering::SeqCst)
}

fn next_change() -> u64 {
    CHANGES.fetch_add(1, Ordering::SeqCst) + 1
}

/// One entry in memory, with its precomputed search key.
#[derive(Clone, Debug)]
pub(super) struct Slot {
    pub(super) entry: Arc<Entry>,
    pub(super) key: Arc<str>,
    pub(super) removed_at: Option<OffsetDateTime>,
    /// When (in [`CHANGES`]' count) the entry was put or its status last changed.
    pub(super) changed: u64,
}

/// Lowercased name, InstanceId (a topic's or group's: its instance's) and remark, separated by
/// a character nobody types. Built in a buffer each thread reuses, so the key costs one
/// allocation (its `Arc`).
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
        if let Some(id) = entry.instance() {
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
    pub(super) fn new(entry: Entry) -> Self {
        Self {
            key: search_key(&entry),
            entry: Arc::new(entry),
            removed_at: None,
            changed: 0,
        }
    }

    pub(super) fn update(&mut self, f: impl FnOnce(&mut Entry)) {
        f(Arc::make_mut(&mut self.entry));
        self.key = search_key(&self.entry);
    }
}

/// A new attempt as a pending entry, stamped now.
/// When a change recorded `at` may last be sent by a process that sends for `window`.
fn sends_until(at: OffsetDateTime, window: std::time::Duration) -> Option<OffsetDateTime> {
    at.checked_add(time::Duration::try_from(window).ok()?)
}

pub(super) fn pending_entry(attempt: NewAttempt, send_window: std::time::Duration) -> Entry {
    let at = now_local();
    Entry {
        id: EntryId::new(),
        sends_until: sends_until(at, send_window),
        at,
        name: attempt.name,
        remark: attempt.remark,
        region: attempt.region,
        endpoint: attempt.endpoint,
        profile: attempt.profile,
        status: Status::Pending,
        cloud: None,
        later: None,
        subject: Subject::Instance,
    }
}

/// A topic or group create or delete as a pending entry, stamped now.
pub(super) fn pending_change(change: NewChange, send_window: std::time::Duration) -> Entry {
    let (name, subject, rest) = change.into_parts();
    let at = now_local();
    Entry {
        id: EntryId::new(),
        sends_until: sends_until(at, send_window),
        at,
        name,
        remark: rest.remark,
        region: rest.region,
        endpoint: rest.endpoint,
        profile: rest.profile,
        status: Status::Pending,
        cloud: None,
        later: None,
        subject,
    }
}

/// A record made ready to apply: a `put`'s slot (its `Arc` and search key) is built by
/// [`prepare`], which a load runs on its decoding threads. Other records are boxed: a
/// loaded history is mostly puts, and a 56-byte item instead of 250 is less to move.
/// A put carries its entry's ID beside the slot, so adding it to the index does not reach
/// into an entry another thread wrote long ago (a cache miss per entry).
pub(super) enum Prepared {
    Put(EntryId, Slot),
    Other(Box<Record>),
}

pub(super) fn prepare(record: Record) -> Prepared {
    match record {
        Record::Put(entry) => Prepared::Put(entry.id, Slot::new(entry)),
        other => Prepared::Other(Box::new(other)),
    }
}

/// The entries, in the order they were first recorded.
#[derive(Clone, Debug, Default)]
pub(super) struct State {
    pub(super) slots: Vec<Slot>,
    pub(super) index: HashMap<EntryId, usize>,
}

impl State {
    /// Room for about `capacity` entries.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Vec::with_capacity(capacity),
            index: HashMap::with_capacity(capacity),
        }
    }

    fn slot_mut(&mut self, id: EntryId) -> Option<&mut Slot> {
        let i = *self.index.get(&id)?;
        self.slots.get_mut(i)
    }

    pub(super) fn apply_prepared(&mut self, record: Prepared) {
        match record {
            Prepared::Put(id, slot) => self.put(id, slot),
            Prepared::Other(record) => self.apply(*record),
        }
    }

    /// Adds an entry, or replaces the one with its ID (keeping whether it is removed).
    fn put(&mut self, id: EntryId, mut new: Slot) {
        new.changed = next_change();
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
    pub(super) fn apply(&mut self, record: Record) {
        match record {
            Record::Put(entry) => self.put(entry.id, Slot::new(entry)),
            Record::Status { id, status, .. } => {
                if let Some(slot) = self.slot_mut(id) {
                    slot.update(|e| e.status = status);
                    slot.changed = next_change();
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
    pub(super) fn compacted(&self, now: OffsetDateTime) -> (Vec<Record>, Self) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            subject: Subject::Instance,
            sends_until: None,
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
}
