//! File-system primitives of the history: the lock, whole-file reads, appends with fsync,
//! atomic rewrites, and moving a bad file aside. All of them block.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::{HistoryError, IoAction};

/// The log itself.
pub const FILE_NAME: &str = "history.jsonl";
/// Held (exclusively) around every read and write of the log, by every onsdesk process. A
/// separate file, because the log is replaced by rename on compaction and a lock on the old
/// inode would not exclude a writer that opened the new one.
pub const LOCK_NAME: &str = "history.lock";

/// Where the history lives.
#[derive(Clone, Debug)]
pub struct Paths {
    pub dir: PathBuf,
    pub file: PathBuf,
    pub lock: PathBuf,
}

impl Paths {
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            file: dir.join(FILE_NAME),
            lock: dir.join(LOCK_NAME),
        }
    }
}

pub fn io_err(action: IoAction, path: &Path) -> impl FnOnce(io::Error) -> HistoryError {
    let path = path.to_path_buf();
    move |source| HistoryError::Io {
        action,
        path,
        source,
    }
}

/// The history's lock, released when dropped.
pub type LockGuard = crate::files::FileLock;

/// How long a process waits for another to release the history's lock. Every holder keeps it
/// for one read or write (a load of 100 000 entries takes about 0.1 s): a lock held this long
/// is a process stopped while holding it, or a hung disk, and waiting on would hang this one.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Creates the directory (private) if needed and takes the lock, waiting at most
/// [`LOCK_WAIT`] for other processes: [`HistoryError::Busy`] after that.
pub fn lock(paths: &Paths) -> Result<LockGuard, HistoryError> {
    crate::files::lock_within(&paths.lock, LOCK_WAIT)
        .map_err(io_err(IoAction::Lock, &paths.lock))?
        .ok_or_else(|| HistoryError::Busy {
            path: paths.lock.clone(),
            waited: LOCK_WAIT,
        })
}

/// The whole file, or `None` when there is none.
pub fn read_all(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The first line (without `\n`) and the file's length, or `None` when there is no file.
/// `Ok(Some((None, len)))` when the first 64 KiB hold no `\n`.
pub fn read_first_line(path: &Path) -> io::Result<Option<(Option<Vec<u8>>, u64)>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let mut buf = Vec::with_capacity(512);
    let mut chunk = [0u8; 512];
    while buf.len() < 64 * 1024 {
        let n = file.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        let piece = chunk.get(..n).unwrap_or_default();
        if let Some(pos) = piece.iter().position(|&b| b == b'\n') {
            buf.extend_from_slice(piece.get(..pos).unwrap_or_default());
            return Ok(Some((Some(buf), len)));
        }
        buf.extend_from_slice(piece);
    }
    Ok(Some((None, len)))
}

/// The bytes from `offset` to the end.
pub fn read_from(path: &Path, offset: u64) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// How far back [`end_of_last_line`] reads at a time: a record is far smaller, so one read
/// almost always finds the last line's end.
const BACKWARD_CHUNK: u64 = 64 * 1024;

/// Where the file's last whole line ends (just past its `\n`), among its first `len` bytes,
/// reading backwards a chunk at a time however long a cut-off last record is. `None` when
/// there is no `\n` at all.
pub fn end_of_last_line(path: &Path, len: u64) -> io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; usize::try_from(len.min(BACKWARD_CHUNK)).unwrap_or(0)];
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(BACKWARD_CHUNK);
        let piece = usize::try_from(end - start)
            .ok()
            .and_then(|n| buf.get_mut(..n))
            .ok_or_else(|| io::Error::other("read buffer too small"))?;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(piece)?;
        if let Some(at) = memchr::memrchr(b'\n', piece) {
            return Ok(Some(start + at as u64 + 1));
        }
        end = start;
    }
    Ok(None)
}

/// How far an append goes before it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to the disk (`fdatasync`): it survives a power cut from the moment the call
    /// returns. What a record that guards against a duplicate needs (a create's pending entry).
    Synced,
    /// Written to the file; the system puts it on the disk soon after. For a record whose loss
    /// in a power cut only leaves work for the next check (an outcome: its entry then stays
    /// pending, and the start-up check or `history refresh` settles it by looking).
    Written,
}

/// Appends `bytes` to the log after cutting it back to `committed_len` (dropping the tail of
/// an append that a crash interrupted, so the new lines start on a line of their own), then,
/// when `durability` asks, flushes to disk. Returns the new length.
pub fn append(
    path: &Path,
    committed_len: u64,
    bytes: &[u8],
    durability: Durability,
) -> io::Result<u64> {
    let mut file = OpenOptions::new().append(true).open(path)?;
    if file.metadata()?.len() != committed_len {
        file.set_len(committed_len)?;
    }
    file.write_all(bytes)?;
    if durability == Durability::Synced {
        file.sync_data()?;
    }
    Ok(committed_len + bytes.len() as u64)
}

/// Replaces the log with `bytes` so that a crash leaves either the old or the new file, keeping
/// the log's mode (see [`crate::files::write_atomically`]).
pub fn write_atomically(paths: &Paths, bytes: &[u8]) -> io::Result<()> {
    crate::files::write_atomically(&paths.file, bytes)
}

/// Keeps the log as `history.<label>-YYYYMMDD-HHMMSS.jsonl` (with `-2`, `-3`… if taken) and
/// returns that path. Never overwrites an existing file. Where the file system has hard links
/// the log also stays where it is, for a [`crate::files::Replacement`] to be renamed over it,
/// so no moment passes without a history file; elsewhere it is renamed.
pub fn keep_aside(paths: &Paths, label: &str, now: OffsetDateTime) -> io::Result<PathBuf> {
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    for n in 1..1000 {
        let name = if n == 1 {
            format!("history.{label}-{stamp}.jsonl")
        } else {
            format!("history.{label}-{stamp}-{n}.jsonl")
        };
        let target = paths.dir.join(name);
        if target.exists() {
            continue;
        }
        // A hard link fails rather than overwrite; fall back to rename on file systems
        // without links (we hold the lock, so no other onsdesk races for the name).
        match std::fs::hard_link(&paths.file, &target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(_) => std::fs::rename(&paths.file, &target)?,
        }
        crate::files::sync_dir(&paths.dir)?;
        return Ok(target);
    }
    Err(io::Error::other("no free name to keep the file aside"))
}
