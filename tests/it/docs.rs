//! The documentation stays true to the repository and to the program.
//!
//! - **Links**: every relative link or image in a Markdown file of the repository (README.md,
//!   CONTRIBUTING.md, ARCHITECTURE.md, docs/, …) points at a file or folder that exists, and a
//!   `#fragment` at a heading of the Markdown file it names (GitHub's heading anchors).
//! - **Comments**: a comment in src/, tests/ or benches/ (Rust `//` and `/* */` comments,
//!   doc comments included, and `#` lines of shell scripts) names only documents and paths that
//!   exist, and no issue numbers: whoever reads the code has only the repository. A document is
//!   a word ending in `.md` (a bare name must be at the top level or in docs/; a name with a `/`
//!   is looked up from the top level and from the commenting file's folder); a path is a word
//!   starting with `src/`, `tests/`, `benches/`, `docs/`, `assets/` or `examples/` (skipped when
//!   it is a pattern, `…/*.png` or `…/{a,b}.rs`); an issue number is the word "issue" or
//!   "issues", in any case, then a number, with or without `#`.
//! - **The CLI reference**: docs/cli.md has one section per command (a heading naming
//!   `` `onsdesk …` ``), found by running `onsdesk --help` and every subcommand's `--help`.
//!   Within a section, the long flags named in prose or in code that starts with a flag are
//!   exactly the flags `--help` lists (`--help` itself aside). Everywhere in the Markdown files,
//!   a command line that runs `onsdesk` (also as `target/…/onsdesk` or `cargo run … --`) uses
//!   only flags that its command has.
//!
//! One module per check (`links`, `comments`, `cli_reference`), over one Markdown reader
//! (`markdown`); the files and paths they share are here.

mod cli_reference;
mod comments;
mod links;
mod markdown;

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A path from the repository root, for messages.
fn relative(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Every Markdown file in the repository, outside `target/` and hidden folders.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(Path::new(ROOT), &mut |path| {
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path.to_owned());
        }
    });
    files
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') || (dir == Path::new(ROOT) && name == "target") {
            continue;
        }
        if path.is_dir() {
            walk(&path, visit);
        } else {
            visit(&path);
        }
    }
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
