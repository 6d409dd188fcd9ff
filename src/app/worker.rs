//! Background work: futures run on the tokio runtime, their results come back over a bounded
//! channel, and the sender wakes the UI with `request_repaint`. The UI thread only ever calls
//! `try_recv`; it never waits. Blocking work (the keyring, files) goes through
//! [`Worker::spawn_blocking`].

use std::future::Future;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::api::{ApiError, InstanceBaseInfo, InstanceSummary};
use crate::credentials::Credentials;
use crate::profiles::check::Verdict;
use crate::profiles::{Profile, ProfilesFile};
use crate::sandbox::Sandbox;

use super::create::Finished;
use super::profiles::{OpDone, Problem};

/// A finished piece of background work. `seq` ties a reply to the request that asked for it,
/// so a reply to a cancelled or superseded request is ignored.
pub enum Msg {
    Created {
        seq: u64,
        finished: Box<Finished>,
    },
    BaseInfo {
        seq: u64,
        result: Result<InstanceBaseInfo, ApiError>,
    },
    /// "Check again" for an unknown outcome.
    Checked {
        seq: u64,
        result: Result<Option<InstanceSummary>, ApiError>,
    },
    /// The pre-flight look at the region's instances.
    Preflight {
        seq: u64,
        result: Result<Vec<InstanceSummary>, ApiError>,
    },
    SandboxStarted(std::io::Result<Sandbox>),
    /// The profile list, and the aliyun CLI's config file if it exists (for "Import").
    ProfilesListed(Result<ProfilesFile, Problem>, Option<std::path::PathBuf>),
    ProfileLoaded {
        seq: u64,
        name: String,
        result: Result<(Profile, Credentials), Problem>,
    },
    ProfileOp {
        seq: u64,
        result: Result<(OpDone, ProfilesFile), Problem>,
    },
    Tested {
        seq: u64,
        verdict: Verdict,
    },
}

/// Few replies are ever outstanding (a create, its follow-ups, a pre-flight, a profile call).
const QUEUE: usize = 16;

/// Spawns futures on the runtime and collects what they produce.
pub struct Worker {
    runtime: tokio::runtime::Handle,
    ctx: egui::Context,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
    next_seq: u64,
}

impl Worker {
    pub fn new(runtime: tokio::runtime::Handle, ctx: egui::Context) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Self {
            runtime,
            ctx,
            tx,
            rx,
            next_seq: 0,
        }
    }

    /// The egui context the workers wake.
    pub fn ctx(&self) -> &egui::Context {
        &self.ctx
    }

    /// A number no earlier request had.
    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Runs `work` on the runtime; its message arrives through [`Worker::try_recv`]. Aborting
    /// the handle drops the future (for HTTP: closes the connection).
    pub fn spawn(&self, work: impl Future<Output = Msg> + Send + 'static) -> AbortHandle {
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        self.runtime
            .spawn(async move {
                let msg = work.await;
                if tx.send(msg).await.is_ok() {
                    ctx.request_repaint();
                }
            })
            .abort_handle()
    }

    /// Runs blocking `work` (keyring, files) on the runtime's blocking pool and turns its
    /// result into a message with `done`. A panic in `work` arrives as an error text.
    pub fn spawn_blocking<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
        done: impl FnOnce(Result<R, String>) -> Msg + Send + 'static,
    ) {
        self.spawn(async move {
            let result = tokio::task::spawn_blocking(work)
                .await
                .map_err(|e| e.to_string());
            done(result)
        });
    }

    /// The next finished result, if any. Never blocks.
    pub fn try_recv(&mut self) -> Option<Msg> {
        self.rx.try_recv().ok()
    }
}
