//! The window's history store: the [`Recorder`] the create and instances features record
//! through (via the session) and the history panel reads. Every [`History`] call blocks, so
//! each one runs in `spawn_blocking`, under a mutex that only blocking threads ever take: the
//! UI thread sees the store only through the [`Snapshot`]s and messages that come back over a
//! bounded channel, which the panel drains in every `logic`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::api::{Client, Transport};
use crate::credentials::{CredentialSource, Credentials};
use crate::history::export::{self, Format};
use crate::history::refresh::{self, CloudScope, RefreshSummary, ScopeFailure};
use crate::history::{
    ChangeOutcome, EntryId, History, HistoryError, NewAttempt, NewChange, Notice, Snapshot, Status,
};
use crate::operation::Step;
use crate::pacing::Policy;

/// How often the file is checked for other processes' appends (one `stat`; a reload and a
/// repaint only when it changed).
const WATCH_EVERY: Duration = Duration::from_secs(2);
/// Replies outstanding at once: a few operations and a snapshot each.
const QUEUE: usize = 16;

/// Where the window keeps its history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HistoryLocation {
    /// [`crate::paths::data_dir`] (`ONSDESK_DATA_DIR` overrides).
    #[default]
    DataDir,
    /// This folder (tests, portable set-ups).
    Dir(PathBuf),
    /// No history: nothing is recorded or shown.
    Off,
}

impl HistoryLocation {
    /// The folder the history is in; `None` when it is off.
    fn dir(&self) -> Option<Result<PathBuf, HistoryError>> {
        match self {
            Self::DataDir => Some(crate::paths::data_dir().ok_or(HistoryError::NoDataDir)),
            Self::Dir(dir) => Some(Ok(dir.clone())),
            Self::Off => None,
        }
    }
}

/// What comes back from the blocking side.
#[derive(Debug)]
pub enum StoreReply {
    /// The entries as they are now, and anything the user should know about the file.
    Snapshot {
        snapshot: Snapshot,
        notices: Vec<Notice>,
    },
    /// The history could not be opened; nothing is recorded.
    Unavailable(Arc<HistoryError>),
    /// Where exports go unless the user types another folder.
    ExportFolder(PathBuf),
    Removed {
        id: EntryId,
        name: String,
    },
    Restored,
    Refreshed(Result<Refreshed, StoreFailure>),
    Exported(Result<(PathBuf, usize), StoreFailure>),
    /// A change could not be written.
    WriteFailed(StoreFailure),
    /// The rows of `snapshot` matching the search numbered `seq`.
    Searched {
        seq: u64,
        snapshot: Snapshot,
        rows: Vec<usize>,
    },
}

/// A refresh's result, with what it did not check.
#[derive(Clone, Debug, Default)]
pub struct Refreshed {
    pub summary: RefreshSummary,
    /// Entries recorded with other credentials (another account cannot see them) or against a
    /// sandbox that is not running.
    pub skipped: usize,
}

/// The credentials "Refresh status" uses: the window's current ones.
#[derive(Clone)]
pub struct RefreshWith {
    /// Where they come from (entries made with other credentials are not checked).
    pub source: CredentialSource,
    pub credentials: Credentials,
    /// The running sandbox's endpoint: sandbox entries made against another (stopped) one
    /// cannot be checked.
    pub sandbox_endpoint: Option<String>,
}

impl std::fmt::Debug for RefreshWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshWith")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl RefreshWith {
    fn covers(&self, scope: &CloudScope) -> bool {
        scope.source() == self.source
            && (self.source != CredentialSource::Sandbox
                || self.sandbox_endpoint.as_deref() == Some(scope.endpoint.as_str()))
    }
}

#[derive(Debug)]
enum State {
    NotOpened,
    /// Not opened because another process held the history's lock too long
    /// ([`HistoryError::Busy`]): opened again by the next operation, or by the watch.
    Busy,
    Open(Box<History>),
    Unavailable,
}

#[derive(Debug)]
struct Inner {
    state: State,
    /// The file's size and mtime after the last change this process made or saw.
    seen: Option<(u64, SystemTime)>,
}

/// Why an export or a "Refresh status" failed, for the language module to put into words.
#[derive(Clone, Debug)]
pub enum StoreFailure {
    /// The history is off, or its background task stopped.
    Unavailable,
    /// The history refused.
    History(Arc<HistoryError>),
    /// A file or folder could not be written: its path and what the system said.
    Io {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    /// A hundred exports were already written this second.
    TooManyExports(PathBuf),
}

/// The handle every background operation goes through. Cheap to clone; `Send + 'static`.
///
/// The create path calls [`Recorder::record_pending`] before sending and
/// [`Recorder::record_outcome`] after; a topic or group create or delete calls
/// [`Recorder::record_change_pending`] and [`Recorder::record_change_outcome`] the same way.
#[derive(Clone, Debug)]
pub struct Recorder {
    location: HistoryLocation,
    inner: Arc<Mutex<Inner>>,
    tx: mpsc::Sender<StoreReply>,
    ctx: egui::Context,
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

impl Recorder {
    /// A recorder and the receiving end the panel drains.
    pub fn new(
        location: HistoryLocation,
        ctx: egui::Context,
    ) -> (Self, mpsc::Receiver<StoreReply>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let recorder = Self {
            location,
            inner: Arc::new(Mutex::new(Inner {
                state: State::NotOpened,
                seen: None,
            })),
            tx,
            ctx,
        };
        (recorder, rx)
    }

    pub fn is_off(&self) -> bool {
        self.location == HistoryLocation::Off
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic in an earlier operation leaves the store as that operation left it, which is
        // a state the file can rebuild; go on rather than stop recording.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens the store if needed, runs `f` on it and returns its result with the messages to
    /// send (a fresh snapshot after every operation). `None` when there is no usable history.
    /// Blocks: call from `spawn_blocking` only.
    fn with_history<R>(
        &self,
        f: impl FnOnce(&mut History) -> Result<R, HistoryError>,
    ) -> (Option<Result<R, Arc<HistoryError>>>, Vec<StoreReply>) {
        let mut msgs = Vec::new();
        let Some(dir) = self.location.dir() else {
            return (None, msgs);
        };
        let mut inner = self.lock();
        let mut notices = Vec::new();
        if matches!(inner.state, State::NotOpened | State::Busy) {
            match dir.and_then(|dir| History::open(&dir)).map_err(Arc::new) {
                Ok((history, found)) => {
                    notices = found;
                    inner.state = State::Open(Box::new(history));
                }
                // The history is there, in another process's hands: what would be recorded
                // now is refused (a create is then not sent), and it is tried again later.
                Err(problem) if problem.is_busy() => {
                    tracing::warn!(?problem, "history busy");
                    inner.state = State::Busy;
                    msgs.push(StoreReply::Unavailable(problem.clone()));
                    return (Some(Err(problem)), msgs);
                }
                Err(problem) => {
                    tracing::warn!(?problem, "history not opened");
                    inner.state = State::Unavailable;
                    msgs.push(StoreReply::Unavailable(problem));
                }
            }
        }
        let State::Open(history) = &mut inner.state else {
            return (None, msgs);
        };
        let result = f(history).map_err(Arc::new);
        notices.extend(history.take_notices());
        let snapshot = history.snapshot();
        let seen = stamp(history.path());
        inner.seen = seen;
        msgs.push(StoreReply::Snapshot { snapshot, notices });
        (Some(result), msgs)
    }

    async fn send_all(&self, msgs: Vec<StoreReply>) {
        for msg in msgs {
            if self.tx.send(msg).await.is_err() {
                return;
            }
        }
        self.ctx.request_repaint();
    }

    /// Runs `f` on the store in `spawn_blocking`, sends the snapshot and returns `f`'s result.
    async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut History) -> Result<R, HistoryError> + Send + 'static,
    ) -> Option<Result<R, Arc<HistoryError>>> {
        let this = self.clone();
        let joined = tokio::task::spawn_blocking(move || this.with_history(f)).await;
        // A panic in the store: its background work stopped.
        let (result, msgs) = joined.unwrap_or_else(|_| {
            (
                None,
                vec![StoreReply::WriteFailed(StoreFailure::Unavailable)],
            )
        });
        self.send_all(msgs).await;
        result
    }

    /// Records a create attempt as pending, flushed to disk. **Await it before sending the
    /// request.** `Ok(None)` when the window has no usable history (the panel says why);
    /// `Err` when the history is there but the attempt could not be written — then send
    /// nothing, as the CLI does.
    pub async fn record_pending(
        &self,
        attempt: NewAttempt,
    ) -> Result<Option<EntryId>, Arc<HistoryError>> {
        match self.run(move |h| h.record_pending(attempt)).await {
            None => Ok(None),
            Some(Ok(id)) => Ok(Some(id)),
            Some(Err(e)) => Err(e),
        }
    }

    /// Records the outcome of the attempt `record_pending` returned (`None`: nothing to do).
    /// A failure is shown in the panel; the entry then stays pending, which "Refresh status"
    /// settles.
    pub async fn record_outcome(&self, id: Option<EntryId>, status: Status) {
        let Some(id) = id else { return };
        if let Some(Err(e)) = self.run(move |h| h.record_outcome(id, status)).await {
            self.send_all(vec![StoreReply::WriteFailed(StoreFailure::History(e))])
                .await;
        }
    }

    /// Records a topic or group create or delete as pending, flushed to disk. **Await it
    /// before sending the request.** `Ok(None)` when the window has no usable history (the
    /// panel says why); `Err` when the history is there but the change could not be written —
    /// then send nothing, as the CLI does.
    pub async fn record_change_pending(
        &self,
        change: NewChange,
    ) -> Result<Option<EntryId>, Arc<HistoryError>> {
        match self.run(move |h| h.record_change_pending(change)).await {
            None => Ok(None),
            Some(Ok(id)) => Ok(Some(id)),
            Some(Err(e)) => Err(e),
        }
    }

    /// Records how the change `record_change_pending` returned ended (`None`: nothing to do).
    /// A failure is shown in the panel; the entry then stays pending, which "Refresh status"
    /// settles.
    pub async fn record_change_outcome(&self, id: Option<EntryId>, outcome: ChangeOutcome) {
        let Some(id) = id else { return };
        if let Some(Err(e)) = self
            .run(move |h| h.record_change_outcome(id, &outcome))
            .await
        {
            self.send_all(vec![StoreReply::WriteFailed(StoreFailure::History(e))])
                .await;
        }
    }

    /// Records that onsdesk renamed `instance_id` and/or changed its remark (`None` leaves a
    /// field as it was) in every entry that knows it, as the CLI does. A failure is shown in
    /// the panel.
    pub async fn record_instance_edited(
        &self,
        instance_id: String,
        name: Option<String>,
        remark: Option<String>,
    ) {
        self.record_for_instance(instance_id, move |h, id| {
            h.record_edited(id, name.clone(), remark.clone())
        })
        .await;
    }

    /// Records that onsdesk deleted `instance_id` in every entry that knows it.
    pub async fn record_instance_deleted(&self, instance_id: String) {
        self.record_for_instance(instance_id, History::record_deleted)
            .await;
    }

    async fn record_for_instance(
        &self,
        instance_id: String,
        record: impl Fn(&mut History, EntryId) -> Result<(), HistoryError> + Send + 'static,
    ) {
        let result = self
            .run(move |h| {
                for id in h.entries_for_instance(&instance_id) {
                    record(h, id)?;
                }
                Ok(())
            })
            .await;
        if let Some(Err(e)) = result {
            self.send_all(vec![StoreReply::WriteFailed(StoreFailure::History(e))])
                .await;
        }
    }

    /// Opens the store and sends the first snapshot and where exports go.
    pub async fn load(self) {
        self.run(|_| Ok(())).await;
        let location = self.location.clone();
        let folder = tokio::task::spawn_blocking(move || default_export_folder(&location)).await;
        if let Ok(Some(folder)) = folder {
            self.send_all(vec![StoreReply::ExportFolder(folder)]).await;
        }
    }

    /// Every [`WATCH_EVERY`], reloads if another process changed the file, or opens it if
    /// another process held it too long before. Runs until aborted.
    pub async fn watch(self) {
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            let this = self.clone();
            let msgs = tokio::task::spawn_blocking(move || this.reload_if_changed()).await;
            if let Ok(msgs) = msgs
                && !msgs.is_empty()
            {
                self.send_all(msgs).await;
            }
        }
    }

    fn reload_if_changed(&self) -> Vec<StoreReply> {
        if matches!(self.lock().state, State::Busy) {
            // Opened only once the lock is free, so that the store is not tied up waiting
            // for it (a create waiting to be recorded would wait behind that).
            let free = match self.location.dir() {
                Some(Ok(dir)) => crate::files::try_lock(&dir.join(crate::history::LOCK_NAME))
                    .is_ok_and(|lock| lock.is_some()),
                _ => false,
            };
            return if free {
                self.with_history(|_| Ok(())).1
            } else {
                Vec::new()
            };
        }
        let mut inner = self.lock();
        let seen = inner.seen;
        let State::Open(history) = &mut inner.state else {
            return Vec::new();
        };
        let now = stamp(history.path());
        if now == seen {
            return Vec::new();
        }
        let msgs = match history.reload() {
            Ok(notices) => vec![StoreReply::Snapshot {
                snapshot: history.snapshot(),
                notices,
            }],
            Err(e) => vec![StoreReply::WriteFailed(StoreFailure::History(Arc::new(e)))],
        };
        inner.seen = now;
        msgs
    }

    /// Hides an entry (the cloud instance is not touched).
    pub async fn remove(self, id: EntryId, name: String) -> StoreReply {
        match self.run(move |h| h.remove(id)).await {
            Some(Ok(())) => StoreReply::Removed { id, name },
            Some(Err(e)) => StoreReply::WriteFailed(StoreFailure::History(e)),
            None => StoreReply::WriteFailed(StoreFailure::Unavailable),
        }
    }

    /// Brings a removed entry back.
    pub async fn restore(self, id: EntryId) -> StoreReply {
        match self.run(move |h| h.restore(id)).await {
            Some(Ok(())) => StoreReply::Restored,
            Some(Err(e)) => StoreReply::WriteFailed(StoreFailure::History(e)),
            None => StoreReply::WriteFailed(StoreFailure::Unavailable),
        }
    }

    /// "Refresh status" with the window's credentials: lists the scopes they can see, then
    /// marks and adopts in one append.
    pub async fn refresh(self, with: RefreshWith, transport: Transport) -> StoreReply {
        StoreReply::Refreshed(self.refresh_inner(with, transport).await)
    }

    async fn refresh_inner(
        &self,
        with: RefreshWith,
        transport: Transport,
    ) -> Result<Refreshed, StoreFailure> {
        let filter = with.clone();
        let scopes = self
            .run(move |h| {
                let all = h.cloud_scopes(None);
                let (mine, others): (Vec<_>, Vec<_>) =
                    all.into_iter().partition(|s| filter.covers(s));
                let skipped = h
                    .entries()
                    .filter(|e| {
                        others.iter().any(|s| {
                            s.profile == e.profile
                                && s.region == e.region
                                && s.endpoint == e.endpoint
                        })
                    })
                    .count();
                Ok((mine, skipped))
            })
            .await;
        let (scopes, skipped) = match scopes {
            None => return Err(StoreFailure::Unavailable),
            Some(Err(e)) => return Err(StoreFailure::History(e)),
            Some(Ok(s)) => s,
        };
        let credentials = with.credentials;
        let make_client = move |scope: &CloudScope| -> Result<Client, ScopeFailure> {
            let target = scope.target()?;
            Ok(Client::new(transport.clone(), target, credentials.clone()))
        };
        // Custom endpoints are skipped until the window asks the user: credentials go
        // unasked only to known region endpoints, and to loopback only the sandbox's key.
        let mut quiet = |step: &Step| tracing::debug!(?step, "history refresh");
        let listings = refresh::list_scopes(
            scopes,
            refresh::CustomEndpoints::Skip,
            Policy::default(),
            &mut quiet,
            make_client,
        )
        .await;
        match self.run(move |h| h.apply_listings(&listings)).await {
            None => Err(StoreFailure::Unavailable),
            Some(Err(e)) => Err(StoreFailure::History(e)),
            Some(Ok(summary)) => Ok(Refreshed { summary, skipped }),
        }
    }

    /// Searches `snapshot` on a blocking thread (a large history takes milliseconds).
    pub async fn search(seq: u64, snapshot: Snapshot, query: String) -> StoreReply {
        let searched = tokio::task::spawn_blocking(move || {
            let rows = snapshot.search(&query);
            StoreReply::Searched {
                seq,
                snapshot,
                rows,
            }
        })
        .await;
        searched.unwrap_or(StoreReply::WriteFailed(StoreFailure::Unavailable))
    }

    /// Writes `rows` (indices into `snapshot`, in the order shown) to a new file in `folder`.
    pub async fn export(
        snapshot: Snapshot,
        rows: Vec<usize>,
        format: Format,
        folder: PathBuf,
    ) -> StoreReply {
        let written =
            tokio::task::spawn_blocking(move || write_export(&snapshot, &rows, format, &folder))
                .await
                .map_err(|_| StoreFailure::Unavailable)
                .and_then(|r| r);
        StoreReply::Exported(written)
    }
}

/// `~/Downloads` when it exists, else the history's folder.
fn default_export_folder(location: &HistoryLocation) -> Option<PathBuf> {
    match location {
        HistoryLocation::Dir(dir) => Some(dir.clone()),
        HistoryLocation::Off => None,
        HistoryLocation::DataDir => directories::UserDirs::new()
            .and_then(|u| u.download_dir().map(Path::to_path_buf))
            .filter(|d| d.is_dir())
            .or_else(crate::paths::data_dir),
    }
}

/// Writes a new file `onsdesk-history-YYYYMMDD-HHMMSS[-n].csv|json` (never replaces one).
fn write_export(
    snapshot: &Snapshot,
    rows: &[usize],
    format: Format,
    folder: &Path,
) -> Result<(PathBuf, usize), StoreFailure> {
    use std::io::Write as _;
    let io = |path: &Path, e: std::io::Error| StoreFailure::Io {
        path: path.to_path_buf(),
        source: Arc::new(e),
    };
    let entries: Vec<_> = rows.iter().filter_map(|&i| snapshot.get(i)).collect();
    let mut bytes = Vec::new();
    export::write(format, &mut bytes, entries.iter().copied()).map_err(|e| io(folder, e))?;
    let ext = match format {
        Format::Csv => "csv",
        Format::Json => "json",
    };
    let stem = crate::history::now_local()
        .format(time::macros::format_description!(
            "onsdesk-history-[year][month][day]-[hour][minute][second]"
        ))
        .map_err(|e| io(folder, std::io::Error::other(e)))?;
    std::fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
    for n in 1..100 {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = folder.join(name);
        match crate::files::create_new_private(&path) {
            Ok(mut file) => {
                file.write_all(&bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| io(&path, e))?;
                return Ok((path, entries.len()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(&path, e)),
        }
    }
    Err(StoreFailure::TooManyExports(folder.to_path_buf()))
}

/// Stops the watcher when the panel goes away.
#[derive(Debug)]
pub struct WatchGuard(pub Option<AbortHandle>);

impl Drop for WatchGuard {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{EntryOutcome, Resource, Subject, Verb};
    use crate::ids::{InstanceId, RequestId};

    /// A topic create recorded pending and then done, as the panes will: on disk, with its
    /// instance, and a snapshot after each step for the panel.
    #[tokio::test]
    #[expect(clippy::disallowed_methods, reason = "the test's own runtime")]
    async fn a_topic_change_is_recorded_before_and_after() {
        let dir = tempfile::tempdir().unwrap();
        let location = HistoryLocation::Dir(dir.path().to_path_buf());
        let (recorder, mut rx) = Recorder::new(location, egui::Context::default());
        let instance_id = InstanceId::parse("MQ_INST_1_TOPICS").unwrap();
        let id = recorder
            .record_change_pending(NewChange {
                verb: Verb::Create,
                resource: Resource::Topic {
                    instance_id: instance_id.clone(),
                    topic: "orders".to_owned(),
                    message_type: None,
                },
                remark: "from the pane".to_owned(),
                region: "cn-hangzhou".to_owned(),
                endpoint: "http://127.0.0.1:9/".to_owned(),
                profile: "work".to_owned(),
            })
            .await
            .unwrap();
        let pending = match rx.try_recv() {
            Ok(StoreReply::Snapshot { snapshot, .. }) => snapshot,
            other => panic!("{other:?}"),
        };
        assert_eq!(pending.get(0).unwrap().outcome(), EntryOutcome::Pending);
        let done = ChangeOutcome::Done {
            request_id: RequestId::parse("R-1").unwrap(),
        };
        recorder.record_change_outcome(id, done).await;
        assert!(matches!(rx.try_recv(), Ok(StoreReply::Snapshot { .. })));

        let (history, _) = History::open(dir.path()).unwrap();
        let entry = history.get(id.unwrap()).unwrap();
        assert_eq!(entry.name, "orders");
        assert_eq!(entry.instance(), Some("MQ_INST_1_TOPICS"));
        assert_eq!(entry.instance_id(), None, "it created no instance");
        assert_eq!(entry.outcome(), EntryOutcome::Created);
        assert_eq!(entry.status.request_id(), Some("R-1"));
        assert!(matches!(
            &entry.subject,
            Subject::Topic(t) if t.instance_id == instance_id && t.verb == Verb::Create
        ));
    }
}
