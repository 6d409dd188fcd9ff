//! The files onsdesk writes, done one way: a private folder (0700 on unix), private files
//! (0600), an exclusive advisory lock per file shared by every onsdesk process, and whole-file
//! replacement that a crash cannot half-do (temporary file beside it, fsync, rename over,
//! fsync the folder) and that keeps the mode the file had, so a user's `chmod` survives.
//!
//! The history (`history.jsonl`) and the profiles (`profiles.json`) both go through here.
//! Everything blocks; the window calls it from `spawn_blocking`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// The mode of a folder onsdesk creates.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
/// The mode of a file onsdesk creates.
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// Creates `dir` and any missing parents, each private (0700) on unix. A folder that exists
/// keeps its mode: it may be one the user chose and shares on purpose.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, PRIVATE_DIR_MODE);
    builder.create(dir)
}

/// Options that create a file private (0600) on unix. An existing file keeps its mode.
#[cfg(unix)]
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    options
}

/// Elsewhere a new file gets the folder's access rules, as every other file there.
#[cfg(not(unix))]
fn private_options() -> OpenOptions {
    OpenOptions::new()
}

/// An exclusive advisory lock on a lock file; released when dropped (the file is closed).
///
/// The lock lives in a file of its own because the data file is replaced by rename: a lock on
/// the old inode would not exclude a process that opened the new one.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        self.file.unlock().ok();
    }
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Takes the exclusive lock on `path` (creating it, and its folder, private), waiting as long
/// as another process holds it.
pub fn lock(path: &Path) -> io::Result<FileLock> {
    let file = open_lock_file(path)?;
    file.lock()?;
    Ok(FileLock {
        file,
        path: path.to_owned(),
    })
}

/// [`lock`], waiting at most `wait`: `Ok(None)` when another holder still has it then (a
/// process stopped while holding it, say, or one stuck on a hung disk). Polls, at most every
/// 50 ms, since the system's lock call cannot be given a time limit.
pub fn lock_within(path: &Path, wait: std::time::Duration) -> io::Result<Option<FileLock>> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        if let Some(lock) = try_lock(path)? {
            return Ok(Some(lock));
        }
        let left = wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Ok(None);
        }
        #[expect(
            clippy::disallowed_methods,
            reason = "a blocking call, like the lock it bounds: callers run it off the UI thread"
        )]
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(std::time::Duration::from_millis(50));
    }
}

/// [`lock`] without waiting: `Ok(None)` when another holder has it.
pub fn try_lock(path: &Path) -> io::Result<Option<FileLock>> {
    let file = open_lock_file(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(FileLock {
            file,
            path: path.to_owned(),
        })),
        Err(fs::TryLockError::WouldBlock) => Ok(None),
        Err(fs::TryLockError::Error(e)) => Err(e),
    }
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file or the new one:
/// a temporary file beside it (created private), written and flushed, given the old file's
/// mode if there was one, renamed over, and the folder flushed. Creates the folder (private)
/// if needed. On failure the old file is untouched and the temporary file is gone.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    Replacement::prepare(path, bytes)?.commit()
}

/// The first half of [`write_atomically`]: the new content written and flushed beside the
/// file, not yet in its place. [`Replacement::commit`] renames it over; dropping it instead
/// removes it and leaves the file as it was. Lets a caller do something between the two
/// (keep a copy of the old file) only once the new content is known to fit on the disk.
#[derive(Debug)]
pub struct Replacement {
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Replacement {
    /// Writes `bytes` to a temporary file beside `path`, with `path`'s mode (or private).
    pub fn prepare(path: &Path, bytes: &[u8]) -> io::Result<Self> {
        let dir = folder_of(path);
        create_private_dir(dir)?;
        let name = path
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy());
        // The old mode, unless it would lock onsdesk out of its own file (a history moved
        // aside because it could not be read must not hand that on to its repaired copy).
        let kept_mode = match fs::metadata(path) {
            Ok(meta) => Some(meta.permissions()).filter(owner_can_read_and_write),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let replacement = Self {
            tmp: dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple())),
            path: path.to_owned(),
            committed: false,
        };
        let mut file = private_options()
            .write(true)
            .create_new(true)
            .open(&replacement.tmp)?;
        // From here on, dropping `replacement` removes the temporary file.
        if let Some(mode) = kept_mode {
            file.set_permissions(mode)?;
        }
        write_all(&mut file, bytes)?;
        file.sync_all()?;
        Ok(replacement)
    }

    /// Renames the new content over the file and flushes the folder.
    pub fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.tmp, &self.path)?;
        self.committed = true;
        sync_dir(folder_of(&self.path))
    }
}

#[cfg(unix)]
fn owner_can_read_and_write(mode: &fs::Permissions) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    mode.mode() & 0o600 == 0o600
}

#[cfg(not(unix))]
fn owner_can_read_and_write(mode: &fs::Permissions) -> bool {
    !mode.readonly()
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.committed {
            fs::remove_file(&self.tmp).ok();
        }
    }
}

/// Writes a file at a path the user chose (an export): a new file is private (0600), an
/// existing one is overwritten and keeps its mode. Flushed before returning.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    write_all(&mut file, bytes)?;
    file.sync_all()
}

/// Creates a new private (0600) file, failing with `AlreadyExists` rather than replace one.
pub fn create_new_private(path: &Path) -> io::Result<File> {
    private_options().write(true).create_new(true).open(path)
}

/// Makes a rename in `dir` durable. Only meaningful (and possible) on unix.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Opens a file someone named to read (`--key-file`, `import-aliyun --from`) without waiting:
/// on unix with `O_NONBLOCK`, so a FIFO put there (or swapped in after a check) does not hang
/// the open until a writer comes. The caller still checks that it is a regular file, on the
/// open file itself.
pub fn open_to_read(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// `write_all`, through the test seam that makes writes fail as on a full disk.
fn write_all(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    #[cfg(test)]
    if let Some(kind) = fail_writes::current() {
        return Err(io::Error::new(kind, "injected by a test: no space left"));
    }
    file.write_all(bytes)
}

/// A seam for unit tests: make every write on this thread fail (a full disk, without filling
/// one).
#[cfg(test)]
pub(crate) mod fail_writes {
    use std::cell::Cell;
    use std::io::ErrorKind;

    thread_local! {
        static FAIL: Cell<Option<ErrorKind>> = const { Cell::new(None) };
    }

    pub(crate) fn current() -> Option<ErrorKind> {
        FAIL.with(Cell::get)
    }

    /// Fails writes on this thread until the guard is dropped.
    pub(crate) fn start(kind: ErrorKind) -> Guard {
        FAIL.with(|f| f.set(Some(kind)));
        Guard
    }

    pub(crate) struct Guard;

    impl Drop for Guard {
        fn drop(&mut self) {
            FAIL.with(|f| f.set(None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep").join("f.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(path.parent().unwrap()), vec!["f.json"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomically(&path, b"old").unwrap();
        {
            let _full = fail_writes::start(io::ErrorKind::StorageFull);
            let err = write_atomically(&path, b"new").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        }
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), vec!["f.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_and_folders_are_private_and_a_chosen_mode_survives_a_rewrite() {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a").join("b");
        let path = data.join("f.json");
        write_atomically(&path, b"x").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        // the user's choice, tighter or looser, is kept
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&path, b"y").unwrap();
        assert_eq!(mode(&path), 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"z").unwrap();
        assert_eq!(mode(&path), 0o640);
        assert_eq!(fs::read(&path).unwrap(), b"z");
        // but never a mode that would shut onsdesk out of its own file
        fs::set_permissions(&path, fs::Permissions::from_mode(0o200)).unwrap();
        write_atomically(&path, b"readable").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(fs::read(&path).unwrap(), b"readable");
        // lock files and exports too
        let lock_path = data.join("f.lock");
        drop(lock(&lock_path).unwrap());
        assert_eq!(mode(&lock_path), 0o600);
        let export = dir.path().join("export.csv");
        write_private(&export, b"a,b").unwrap();
        assert_eq!(mode(&export), 0o600);
        fs::set_permissions(&export, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&export, b"c").unwrap();
        assert_eq!(mode(&export), 0o644);
        assert_eq!(fs::read(&export).unwrap(), b"c");
    }

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = lock(&path).unwrap();
        assert!(try_lock(&path).unwrap().is_none());
        drop(held);
        assert!(try_lock(&path).unwrap().is_some());
    }

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "another holder, on a thread of its own, lets go after a while"
    )]
    fn a_bounded_wait_gives_up_on_a_held_lock_and_takes_one_released_meanwhile() {
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let held = lock(&path).unwrap();
        let started = Instant::now();
        assert!(
            lock_within(&path, Duration::from_millis(150))
                .unwrap()
                .is_none()
        );
        let waited = started.elapsed();
        assert!(waited >= Duration::from_millis(150), "{waited:?}");
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(held);
        });
        assert!(
            lock_within(&path, Duration::from_secs(30))
                .unwrap()
                .is_some()
        );
        releaser.join().unwrap();
    }
}
