//! The history of a topic or group change sent from the command line: opened before anything
//! is sent, the change recorded as pending just before its request leaves, and its outcome
//! when it ends — as `onsdesk create` does for an instance (see [`crate::history`]).

use super::output::say;
use std::process::ExitCode;

use super::{history, refused};
use crate::history::{Appender, ChangeOutcome, EntryId, HistoryError, NewChange};

/// Where a topic or group change is recorded. `Appender` writes block (a flushed append), so
/// each runs on a blocking thread while the command's calls wait.
#[derive(Debug)]
pub(super) struct ChangeRecorder {
    /// `None` only while a write runs on its blocking thread, or after that thread died.
    appender: Option<Appender>,
    entry: Option<EntryId>,
}

/// Why a change was not sent: the history could not take its pending line (the look before
/// it, a list, has been made; the change itself was not sent).
pub(super) fn not_recorded(verb: &str, e: &RecordError) -> ExitCode {
    refused(format_args!(
        "the {verb} could not be recorded in the history, so it was not sent: {e} (fix that, or \
         pass --no-history to go ahead without a record)"
    ))
}

impl ChangeRecorder {
    /// Opens the history unless `--no-history` (`Ok(None)`). `Err` is the refusal (exit 2)
    /// when it cannot be opened: nothing has been sent, and nothing will be, since a lost reply
    /// would then leave no trace. Blocks; call before anything is sent.
    pub(super) fn open(
        no_history: bool,
        verb: &str,
        send_window: std::time::Duration,
    ) -> Result<Option<Self>, ExitCode> {
        if no_history {
            return Ok(None);
        }
        let (mut appender, notices) = Appender::open_default().map_err(|e| {
            refused(format_args!(
                "the {verb} could not be recorded in the history, so nothing was sent: {e} (fix \
                 that, or pass --no-history to go ahead without a record)"
            ))
        })?;
        history::print_notices(&notices);
        appender.set_send_window(send_window);
        Ok(Some(Self {
            appender: Some(appender),
            entry: None,
        }))
    }

    /// The entry recorded, once [`ChangeRecorder::pending`] succeeded.
    pub(super) fn entry(&self) -> Option<EntryId> {
        self.entry
    }

    /// Records `change` as pending, flushed to disk. **Await it before the change is sent**,
    /// and send nothing when it fails.
    pub(super) async fn pending(&mut self, change: NewChange) -> Result<EntryId, RecordError> {
        let id = self
            .write(move |a| a.record_change_pending(change))
            .await
            .ok_or(RecordError::Stopped)??;
        self.entry = Some(id);
        Ok(id)
    }

    /// Records how the pending change ended. A failure is a warning: the request has gone,
    /// and the entry stays pending until `onsdesk history refresh` settles it.
    pub(super) async fn outcome(&mut self, outcome: ChangeOutcome) {
        let Some(id) = self.entry else { return };
        let written = match self
            .write(move |a| a.record_change_outcome(id, &outcome))
            .await
        {
            Some(r) => r.map_err(RecordError::from),
            None => Err(RecordError::Stopped),
        };
        if let Err(e) = written {
            say!(
                "onsdesk: warning: the outcome could not be recorded in the history ({e}); entry \
                 {id} stays pending until `onsdesk history refresh` settles it"
            );
        }
    }

    /// Runs `f` on the appender on a blocking thread; `None` when there is none (a write
    /// before died).
    async fn write<R: Send + 'static>(
        &mut self,
        f: impl FnOnce(&mut Appender) -> R + Send + 'static,
    ) -> Option<R> {
        let mut appender = self.appender.take()?;
        let (appender, result) = tokio::task::spawn_blocking(move || {
            let result = f(&mut appender);
            (appender, result)
        })
        .await
        .ok()?;
        self.appender = Some(appender);
        Some(result)
    }
}

/// Why a change could not be recorded.
#[derive(Debug, thiserror::Error)]
pub(super) enum RecordError {
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The blocking thread of an earlier or this write died: nothing is known to be on disk.
    #[error("the history write stopped unexpectedly")]
    Stopped,
}
