//! What the window shows of the history: an immutable, newest-first view, cheap to clone and
//! send to the UI thread, searched in one pass over precomputed keys.

use std::sync::Arc;

use super::entry::Entry;
use super::subject::EntryKind;

/// One row of a [`Snapshot`].
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub(super) entry: Arc<Entry>,
    pub(super) key: Arc<str>,
}

/// An immutable newest-first view of the history: cheap to clone and send to the UI thread.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub(super) items: Arc<[Item]>,
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

    /// Indices of the rows whose name, InstanceId (a topic's or group's: its instance's) or
    /// remark contains `query`, ignoring case (all rows for an empty query), newest first.
    pub fn search(&self, query: &str) -> Vec<usize> {
        self.filter(query, None, None)
    }

    /// [`Snapshot::search`], limited to one region and to one kind of entry when they are
    /// given.
    pub fn filter(&self, query: &str, region: Option<&str>, kind: Option<EntryKind>) -> Vec<usize> {
        let needle = query.trim().to_lowercase();
        // memmem's SIMD search, built once per query: `str::contains` took 20 ms for a full
        // InstanceId against 100 000 keys that all share its long prefix.
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        self.items
            .iter()
            .enumerate()
            .filter(|(_, it)| region.is_none_or(|r| it.entry.region == r))
            .filter(|(_, it)| kind.is_none_or(|k| it.entry.subject.kind() == k))
            .filter(|(_, it)| needle.is_empty() || finder.find(it.key.as_bytes()).is_some())
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::history::{History, NewAttempt, Status};

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
        assert!(snap.filter("", Some("cn-beijing"), None).is_empty());
    }
}
