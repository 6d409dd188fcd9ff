//! Background work: futures run on the tokio runtime, their results come back over a bounded
//! channel, and the sender wakes the UI with `request_repaint`. The UI thread only ever calls
//! `try_recv`; it never waits.

use std::future::Future;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::api::{ApiError, CreatedInstance, InstanceBaseInfo};
use crate::sandbox::Sandbox;

/// A finished piece of background work. `seq` ties a reply to the request that asked for it,
/// so a reply to a cancelled or superseded request is ignored.
pub enum Msg {
    Created {
        seq: u64,
        result: Result<CreatedInstance, ApiError>,
    },
    BaseInfo {
        seq: u64,
        result: Result<InstanceBaseInfo, ApiError>,
    },
    SandboxStarted(std::io::Result<Sandbox>),
}

/// Few replies are ever outstanding (one create, one info, one sandbox start).
const QUEUE: usize = 8;

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

    /// The next finished result, if any. Never blocks.
    pub fn try_recv(&mut self) -> Option<Msg> {
        self.rx.try_recv().ok()
    }
}
