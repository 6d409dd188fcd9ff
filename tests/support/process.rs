//! Helpers for tests that run the real `onsdesk` binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a panic is a test failure"
)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_onsdesk");

/// An isolated home for one test: data dir, HOME and XDG dirs all inside one tempdir, and a
/// keyring service of its own, so nothing a test does reaches the user's keyring entries
/// (the Credential Manager and the Keychain have no private instance a test could start).
pub struct Home {
    pub dir: tempfile::TempDir,
    /// The service the OS keyring files this home's profile secrets under.
    pub keyring_service: String,
}

impl Home {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["data", "home", "config", "xdg-data"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let keyring_service = format!(
            "{}{}",
            onsdesk::profiles::TEST_SERVICE_PREFIX,
            uuid::Uuid::new_v4().simple()
        );
        Self {
            dir,
            keyring_service,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// `onsdesk` with this home and its keyring service, none of the variables onsdesk reads
    /// for keys, profile or region (the aliyun CLI's and Terraform's too), and a quiet log.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env("ONSDESK_DATA_DIR", self.data())
            .env(
                onsdesk::profiles::ENV_TEST_KEYRING_SERVICE,
                &self.keyring_service,
            )
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("RUST_LOG", "warn");
        for names in onsdesk::credentials::ENV_KEY_SETS {
            for var in [names.access_key_id, names.secret, names.security_token] {
                cmd.env_remove(var);
            }
        }
        for var in onsdesk::credentials::ENV_PROFILE_VARS
            .iter()
            .chain(&onsdesk::region::ENV_REGION_VARS)
        {
            cmd.env_remove(var);
        }
        cmd
    }
}

/// Runs `cmd` with `stdin` piped in; returns the output.
///
/// A command may exit without reading its input (a refusal of its arguments does): writing
/// to it then fails, with a broken pipe on Linux or error 1359 under Wine, whichever process
/// the scheduler ran first. That is no failure of the command; its output and exit status,
/// which the tests check, say what it did.
pub fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _unread = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub fn run(cmd: &mut Command) -> Output {
    run_with_stdin(cmd, "")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `onsdesk sandbox --port 0 …` as a child process, killed on drop.
pub struct SandboxProcess {
    child: Child,
    pub url: String,
}

impl SandboxProcess {
    pub fn start(args: &[&str]) -> Self {
        Self::start_with_stdin(args, None)
    }

    /// With `stdin` piped in (the secrets of `--key ID`), then closed.
    pub fn start_with_stdin(args: &[&str], stdin: Option<&str>) -> Self {
        let mut child = Command::new(BIN)
            .arg("sandbox")
            .args(["--port", "0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).unwrap();
        }
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("onsdesk sandbox listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Self { child, url }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg_attr(
    not(target_os = "linux"),
    allow(
        dead_code,
        reason = "only the Linux-only tests search files for secrets"
    )
)]
/// Every file under `root` whose bytes contain `needle`.
pub fn files_containing(root: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file()
                && let Ok(bytes) = std::fs::read(&path)
                && contains(&bytes, needle)
            {
                found.push(path);
            }
        }
    }
    found
}

/// Counts the regular files under `root` (so a search that found nothing is seen to have looked).
pub fn count_files(root: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(k) if k.is_dir() => stack.push(entry.path()),
                Ok(k) if k.is_file() => n += 1,
                _ => {}
            }
        }
    }
    n
}

#[cfg_attr(
    not(target_os = "linux"),
    allow(
        dead_code,
        reason = "only the Linux-only tests search files for secrets"
    )
)]
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Moves every time in the history file in `data_dir` (when its entries were recorded and
/// could last be sent, when their outcomes were) `by` into the past, as if the entries were that old: what a process
/// killed that long ago leaves. The header line is kept as it is.
pub fn backdate_history(data_dir: &Path, by: time::Duration) {
    use time::format_description::well_known::Rfc3339;
    let path = data_dir.join("history.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
        for body in record.as_object_mut().unwrap().values_mut() {
            for key in ["at", "sends_until"] {
                let at = body.get_mut(key).filter(|at| at.is_string());
                if let Some(at) = at {
                    let then = time::OffsetDateTime::parse(at.as_str().unwrap(), &Rfc3339).unwrap();
                    *at = serde_json::json!((then - by).format(&Rfc3339).unwrap());
                }
            }
        }
        out.push_str(&serde_json::to_string(&record).unwrap());
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
}
