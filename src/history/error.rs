//! What can go wrong with the history ([`HistoryError`]), and what the user should know about
//! the file after loading it ([`Notice`]). `Display` gives the command line's words; the window
//! says them in its own language module.

use std::fmt;
use std::path::PathBuf;

use super::entry::EntryId;
use super::format::FORMAT_VERSION;

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
    #[error(
        "the history is in use by another onsdesk process: its lock ({}) was still held after \
         {} s, so nothing was recorded; try again when that process has finished",
        path.display(),
        waited.as_secs()
    )]
    Busy {
        /// The lock file.
        path: PathBuf,
        /// How long this process waited.
        waited: std::time::Duration,
    },
    #[error("no history entry {0}")]
    NotFound(EntryId),
    #[error("could not encode a history record: {0}")]
    Encode(#[from] serde_json::Error),
}

impl HistoryError {
    /// Another process held the history's lock too long: passing, unlike the others.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Busy { .. })
    }
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
        reason: Damage,
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
        reason: Damage,
        /// Entries that could be read (shown, not yet saved in a repaired file).
        recovered: usize,
        /// Lines that could not be read.
        unreadable_lines: usize,
        /// Why the repaired copy could not be written.
        error: String,
    },
}

/// Why the history file could not be read as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// Reading it failed: the system's words.
    Unreadable(String),
    /// Its first 64 KiB hold no line break.
    HeaderIncomplete,
    /// The first line is not JSON of a header: where serde stopped (no values quoted).
    NotAHeader(String),
    /// The first line does not name onsdesk's format.
    NotOurFormat,
    /// The header has no version.
    NoVersion,
    /// The header has no file ID.
    NoFileId,
    /// A line after the header is not a record: its number and where serde stopped.
    BadLine { line_no: usize, error: String },
    /// An older format, to convert.
    OlderFormat(u32),
    /// Damaged, and then reading it whole failed too.
    AndUnreadable(Box<Damage>, String),
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(e) => write!(f, "it could not be read: {e}"),
            Self::HeaderIncomplete => f.write_str("the header line is incomplete"),
            Self::NotAHeader(e) => write!(f, "the first line is not a header ({e})"),
            Self::NotOurFormat => write!(
                f,
                "the first line does not say \"format\":\"{}\"",
                super::format::FORMAT_NAME
            ),
            Self::NoVersion => f.write_str("the header has no version"),
            Self::NoFileId => f.write_str("the header has no file_id"),
            Self::BadLine { line_no, error } => {
                write!(f, "line {line_no} is not a history record: {error}")
            }
            Self::OlderFormat(version) => {
                write!(
                    f,
                    "it is in the older format {version} and needs converting"
                )
            }
            Self::AndUnreadable(first, e) => write!(f, "{first}; it could not be read: {e}"),
        }
    }
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
