//! The one pattern for background work, used by every feature: a feature owns a [`Tasks`]
//! for its own reply type, spawns futures (or blocking closures) on the tokio runtime, and
//! drains the replies in its `logic`. Each reply wakes the UI with one `request_repaint`; the
//! UI thread only ever calls [`Tasks::try_recv`], it never waits.
//!
//! A request is numbered ([`Tasks::next_seq`]) so a reply to a cancelled or superseded request
//! is recognised and dropped. A task that panics still answers: with the reply its spawner gave
//! for that case, so no request is left spinning forever.

use std::future::Future;

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::api::ApiError;

/// Few replies are ever outstanding per feature (a create and its follow-ups, a look-up, a
/// profile call).
const QUEUE: usize = 16;

/// A blocking job panicked (its reply says so instead of never coming).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panicked;

/// Why a background call failed, as a card says it: the API's error, or the task panicked.
#[derive(Debug)]
pub enum Failure {
    Api(ApiError),
    /// The background task panicked (a bug): nothing is known about the call.
    Panicked,
}

/// Spawns a feature's background work and collects its replies.
pub struct Tasks<M> {
    runtime: tokio::runtime::Handle,
    ctx: egui::Context,
    tx: mpsc::Sender<M>,
    rx: mpsc::Receiver<M>,
    next_seq: u64,
}

impl<M> std::fmt::Debug for Tasks<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tasks")
            .field("next_seq", &self.next_seq)
            .finish_non_exhaustive()
    }
}

impl<M: Send + 'static> Tasks<M> {
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

    /// A number no earlier request of this feature had.
    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Runs `work` on the runtime; its reply arrives through [`Tasks::try_recv`]. If `work`
    /// panics, `if_panicked()` arrives instead. Aborting the returned handle drops the future
    /// (for HTTP: closes the connection) and nothing arrives.
    pub fn spawn(
        &self,
        work: impl Future<Output = M> + Send + 'static,
        if_panicked: impl FnOnce() -> M + Send + 'static,
    ) -> AbortHandle {
        let job = self.runtime.spawn(work);
        let abort = job.abort_handle();
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            let reply = match job.await {
                Ok(reply) => reply,
                Err(e) if e.is_panic() => {
                    tracing::error!("a background task panicked");
                    if_panicked()
                }
                // Aborted: whoever aborted it no longer waits for a reply.
                Err(_) => return,
            };
            if tx.send(reply).await.is_ok() {
                ctx.request_repaint();
            }
        });
        abort
    }

    /// Runs blocking `work` (keyring, files) on the runtime's blocking pool and turns its
    /// result into a reply with `done` (`Err(Panicked)` if `work` panicked).
    pub fn spawn_blocking<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
        done: impl FnOnce(Result<R, Panicked>) -> M + Send + 'static,
    ) {
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        self.runtime.spawn(async move {
            let result = tokio::task::spawn_blocking(work)
                .await
                .map_err(|_| Panicked);
            if tx.send(done(result)).await.is_ok() {
                ctx.request_repaint();
            }
        });
    }

    /// The next finished reply, if any. Never blocks.
    pub fn try_recv(&mut self) -> Option<M> {
        self.rx.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait_for<M: Send + 'static>(tasks: &mut Tasks<M>) -> M {
        for _ in 0..500 {
            if let Some(m) = tasks.try_recv() {
                return m;
            }
            #[expect(clippy::disallowed_methods, reason = "the test thread waits")]
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("no reply");
    }

    #[test]
    fn a_panicking_task_still_answers() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut tasks: Tasks<&'static str> =
            Tasks::new(rt.handle().clone(), egui::Context::default());
        tasks.spawn(
            async {
                assert!(!std::hint::black_box(true), "injected panic");
                "not reached"
            },
            || "panicked",
        );
        assert_eq!(wait_for(&mut tasks), "panicked");
        tasks.spawn(async { "done" }, || "panicked");
        assert_eq!(wait_for(&mut tasks), "done");
        tasks.spawn_blocking(
            || -> u8 { panic!("injected") },
            |r| {
                if r == Err(Panicked) {
                    "blocking panicked"
                } else {
                    "?"
                }
            },
        );
        assert_eq!(wait_for(&mut tasks), "blocking panicked");
    }

    #[test]
    fn an_aborted_task_says_nothing() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut tasks: Tasks<&'static str> =
            Tasks::new(rt.handle().clone(), egui::Context::default());
        let abort = tasks.spawn(
            async {
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                "late"
            },
            || "panicked",
        );
        abort.abort();
        tasks.spawn(async { "next" }, || "panicked");
        assert_eq!(wait_for(&mut tasks), "next");
    }
}
