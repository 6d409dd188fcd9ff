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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_onsdesk");

/// Top-level folders whose names start a path in a comment.
const PATH_ROOTS: &[&str] = &[
    "src/",
    "tests/",
    "benches/",
    "docs/",
    "assets/",
    "examples/",
];

// ---------------------------------------------------------------------------------------------
// Markdown, as far as the checks need it

/// Inline text: plain text, or the inside of a code span.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Code(String),
}

#[derive(Debug)]
enum Block {
    Heading {
        line: usize,
        pieces: Vec<Piece>,
    },
    /// Consecutive non-blank lines outside a fence (a paragraph, a list, a table).
    Paragraph {
        line: usize,
        pieces: Vec<Piece>,
    },
    /// One line inside a fenced code block.
    CodeLine {
        line: usize,
        text: String,
    },
}

impl Block {
    fn line(&self) -> usize {
        match self {
            Self::Heading { line, .. }
            | Self::Paragraph { line, .. }
            | Self::CodeLine { line, .. } => *line,
        }
    }
}

struct Doc {
    path: PathBuf,
    /// Path from the repository root, for messages.
    name: String,
    blocks: Vec<Block>,
}

impl Doc {
    fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path).unwrap();
        Self {
            path: path.to_owned(),
            name: relative(path),
            blocks: blocks(&text),
        }
    }

    /// GitHub's anchors for this file's headings.
    fn anchors(&self) -> BTreeSet<String> {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut anchors = BTreeSet::new();
        for block in &self.blocks {
            if let Block::Heading { pieces, .. } = block {
                let base = slug(&heading_text(pieces));
                let n = seen.entry(base.clone()).or_insert(0);
                anchors.insert(if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                });
                *n += 1;
            }
        }
        anchors
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut fence: Option<String> = None;
    let mut paragraph: Option<(usize, String)> = None;
    let flush = |paragraph: &mut Option<(usize, String)>, blocks: &mut Vec<Block>| {
        if let Some((line, text)) = paragraph.take() {
            blocks.push(Block::Paragraph {
                line,
                pieces: pieces(&text),
            });
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
            } else {
                blocks.push(Block::CodeLine {
                    line,
                    text: raw.to_owned(),
                });
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut paragraph, &mut blocks);
            let marker_char = trimmed.chars().next().unwrap_or('`');
            let len = trimmed.chars().take_while(|&c| c == marker_char).count();
            fence = Some(marker_char.to_string().repeat(len));
            continue;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading {
                line,
                pieces: pieces(trimmed[hashes..].trim()),
            });
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        match &mut paragraph {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(raw);
            }
            None => paragraph = Some((line, raw.to_owned())),
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// Splits inline Markdown into text and code spans (a run of N backticks up to the next run of
/// exactly N). A backslash keeps the next character as text.
fn pieces(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                buf.push(chars[i]);
                buf.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let start = i + run;
                let mut j = start;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let other = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if other == run {
                            close = Some(j);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                if let Some(end) = close {
                    if !buf.is_empty() {
                        out.push(Piece::Text(std::mem::take(&mut buf)));
                    }
                    let code: String = chars[start..end].iter().collect();
                    out.push(Piece::Code(code.replace('\n', " ").trim().to_owned()));
                    i = end + run;
                } else {
                    buf.extend(&chars[i..start]);
                    i = start;
                }
            }
            c => {
                buf.push(c);
                i += 1;
            }
        }
    }
    if !buf.is_empty() {
        out.push(Piece::Text(buf));
    }
    out
}

/// A heading as GitHub renders it: code spans' text kept, `[text](link)` reduced to its text.
fn heading_text(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Code(code) => out.push_str(code),
            Piece::Text(text) => {
                let mut rest = text.as_str();
                while let Some(at) = rest.find("](") {
                    out.push_str(&rest[..at]);
                    rest = rest[at + 2..]
                        .find(')')
                        .map_or("", |close| &rest[at + 2 + close + 1..]);
                }
                out.push_str(rest);
            }
        }
    }
    out
}

/// GitHub's anchor for a heading: lower case; letters, digits, `-` and `_` kept; spaces become
/// `-`; everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The targets of `[text](target)`, `![alt](target)` and `[label]: target` in a block's text.
fn link_targets(block: &Block) -> Vec<String> {
    let pieces = match block {
        Block::Heading { pieces, .. } | Block::Paragraph { pieces, .. } => pieces,
        Block::CodeLine { .. } => return Vec::new(),
    };
    let mut targets = Vec::new();
    for piece in pieces {
        let Piece::Text(text) = piece else { continue };
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find(')').unwrap_or(rest.len());
            if let Some(target) = rest[..end].split_whitespace().next() {
                targets.push(target.trim_matches(['<', '>']).to_owned());
            }
            rest = &rest[end..];
        }
        for line in text.lines() {
            let line = line.trim_start();
            if line.starts_with('[')
                && let Some(close) = line.find("]:")
                && let Some(target) = line[close + 2..].split_whitespace().next()
            {
                targets.push(target.trim_matches(['<', '>']).to_owned());
            }
        }
    }
    targets
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

#[test]
fn relative_links_point_at_files_and_headings() {
    let docs: Vec<Doc> = markdown_files().iter().map(|p| Doc::read(p)).collect();
    let mut anchors: BTreeMap<PathBuf, BTreeSet<String>> =
        docs.iter().map(|d| (d.path.clone(), d.anchors())).collect();
    let mut broken = Vec::new();
    for doc in &docs {
        let dir = doc.path.parent().unwrap();
        for block in &doc.blocks {
            for target in link_targets(block) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, fragment) = match target.split_once('#') {
                    Some((file, fragment)) => (file, Some(fragment)),
                    None => (target.as_str(), None),
                };
                let path = if file.is_empty() {
                    doc.path.clone()
                } else {
                    normalize(&dir.join(file))
                };
                let at = format!("{}:{}", doc.name, block.line());
                if !path.exists() {
                    broken.push(format!("{at}: {target}: no such file"));
                    continue;
                }
                let Some(fragment) = fragment else { continue };
                if path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let known = anchors
                    .entry(path.clone())
                    .or_insert_with(|| Doc::read(&path).anchors());
                if !known.contains(fragment) {
                    broken.push(format!(
                        "{at}: {target}: no heading with that anchor in {}",
                        relative(&path)
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
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

// ---------------------------------------------------------------------------------------------
// Comments

/// The comments of a Rust file: (line, text), one entry per line of a comment.
fn rust_comments(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |n| i + n);
            out.push((line, chars[i + 2..end].iter().collect()));
            i = end;
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            let mut text = String::new();
            let start_line = line;
            let mut text_line = line;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        out.push((text_line, std::mem::take(&mut text)));
                        line += 1;
                        text_line = line;
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
            }
            out.push((text_line.max(start_line), text));
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == 'r' && (i == 0 || !is_ident(chars[i - 1])) && matches!(next, Some('"' | '#'))
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                i += 1;
                continue;
            }
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&c| c == '#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            i += 1;
        }
    }
    out
}

/// The comment lines of a shell script (`#` lines, not the `#!` line).
fn shell_comments(source: &str) -> Vec<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start();
            (t.starts_with('#') && !t.starts_with("#!")).then(|| (i + 1, t[1..].to_owned()))
        })
        .collect()
}

/// What a comment names that a reader cannot find in the repository.
fn bad_references(comment: &str, file: &Path) -> Vec<String> {
    let root = Path::new(ROOT);
    let mut bad = Vec::new();
    let word_char = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    let chars: Vec<char> = comment.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && word_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let word = word.trim_end_matches(['.', '-']);
        let pattern = matches!(chars.get(i), Some('{' | '*' | '<' | '…'));
        let document = Path::new(word)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            && word.len() > ".md".len();
        if document {
            let word = word.trim_start_matches("./");
            let found = if word.contains('/') {
                root.join(word).exists() || normalize(&file.parent().unwrap().join(word)).exists()
            } else {
                root.join(word).exists() || root.join("docs").join(word).exists()
            };
            if !found {
                bad.push(word.to_owned());
            }
        } else if !pattern
            && PATH_ROOTS.iter().any(|r| word.starts_with(r))
            && !root.join(word).exists()
        {
            bad.push(word.to_owned());
        }
    }
    bad.extend(issue_numbers(comment));
    bad
}

/// Issue numbers ("issue", then a number): they point outside the repository.
fn issue_numbers(comment: &str) -> Vec<String> {
    let lower = comment.to_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("issue") {
        let start = from + at;
        from = start + "issue".len();
        if lower[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let rest = lower[from..].strip_prefix('s').unwrap_or(&lower[from..]);
        let rest = rest.trim_start_matches(' ').trim_start_matches('#');
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && rest.len() < lower[from..].len() {
            found.push(format!("issue {digits}"));
        }
    }
    found
}

#[test]
fn comments_name_only_what_the_repository_has() {
    let root = Path::new(ROOT);
    let mut found: Vec<(String, usize, String)> = Vec::new();
    for folder in ["src", "tests", "benches"] {
        walk(&root.join(folder), &mut |path| {
            let comments = match path.extension().and_then(|e| e.to_str()) {
                Some("rs") => rust_comments(&std::fs::read_to_string(path).unwrap()),
                Some("sh") => shell_comments(&std::fs::read_to_string(path).unwrap()),
                _ => return,
            };
            for (line, comment) in comments {
                for reference in bad_references(&comment, path) {
                    found.push((relative(path), line, reference));
                }
            }
        });
    }
    let problems: Vec<String> = found
        .iter()
        .map(|(file, line, reference)| format!("{file}:{line}: {reference}"))
        .collect();
    assert!(
        problems.is_empty(),
        "comments that name a document, a path or an issue the repository does not have:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_comment_scanner_finds_what_it_should() {
    let file = Path::new(ROOT).join("src/lib.rs");
    let comments = rust_comments(
        "let url = \"http://x/STYLE.md\"; // see STYLE.md and issue 6\n\
         let c = '\"'; let r = r#\"// ons-api.md\"#;\n\
         /* docs/cli.md, docs/nowhere.md\n   and tests/it/gone.rs */ fn f<'a>() {}\n",
    );
    let refs: Vec<String> = comments
        .iter()
        .flat_map(|(_, c)| bad_references(c, &file))
        .collect();
    assert_eq!(
        refs,
        ["STYLE.md", "issue 6", "docs/nowhere.md", "tests/it/gone.rs"]
    );
    assert_eq!(comments[0].0, 1);
    assert_eq!(comments.last().unwrap().0, 4);
    assert!(bad_references("see README.md, cli.md and src/app/{mod,ui}.rs", &file).is_empty());
    assert!(issue_numbers("no issues here; tissue 5").is_empty());
    assert_eq!(
        issue_numbers("Issue #12, issues 5"),
        ["issue 12", "issue 5"]
    );
}

// ---------------------------------------------------------------------------------------------
// The CLI reference

/// A command as `--help` describes it.
struct CommandHelp {
    path: Vec<String>,
    flags: BTreeSet<String>,
}

fn help(path: &[String]) -> String {
    let out = Command::new(BIN)
        .args(path)
        .arg("--help")
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert!(out.status.success(), "onsdesk {path:?} --help failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The long flags of the `Options:` section and the names in the `Commands:` section.
fn parse_help(text: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut flags = BTreeSet::new();
    let mut commands = Vec::new();
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        match section {
            "Options:" if indent <= 6 && trimmed.starts_with('-') => {
                if let Some(flag) = flags_in(trimmed).into_iter().next() {
                    flags.insert(flag);
                }
            }
            "Commands:" if indent == 2 => {
                let name = trimmed.split_whitespace().next().unwrap_or_default();
                if name != "help" {
                    commands.push(name.to_owned());
                }
            }
            _ => {}
        }
    }
    (flags, commands)
}

/// Every command, from `onsdesk --help` down.
fn all_commands() -> Vec<CommandHelp> {
    let mut todo = vec![Vec::new()];
    let mut out = Vec::new();
    while let Some(path) = todo.pop() {
        let (flags, subcommands) = parse_help(&help(&path));
        for sub in subcommands {
            let mut child = path.clone();
            child.push(sub);
            todo.push(child);
        }
        out.push(CommandHelp { path, flags });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The long flags (`--word`) in a text, in order.
fn flags_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut flags = Vec::new();
    let mut i = 0;
    while i + 2 < chars.len() {
        let starts = chars[i] == '-'
            && chars[i + 1] == '-'
            && chars[i + 2].is_ascii_lowercase()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '-'));
        if starts {
            let end = chars[i + 2..]
                .iter()
                .position(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .map_or(chars.len(), |n| i + 2 + n);
            flags.push(
                chars[i..end]
                    .iter()
                    .collect::<String>()
                    .trim_end_matches('-')
                    .to_owned(),
            );
            i = end;
        } else {
            i += 1;
        }
    }
    flags
}

/// One command line in the docs that runs onsdesk: which command, and the flags it passes.
#[derive(Debug)]
struct Invocation {
    path: Vec<String>,
    flags: Vec<String>,
}

/// The `onsdesk` command line in a piece of code, if it has one. `onsdesk`,
/// `target/…/onsdesk` and `cargo run … --` start it; a shell comment, pipe or separator ends it.
fn invocation(code: &str, commands: &[CommandHelp]) -> Option<Invocation> {
    let words: Vec<&str> = code.split_whitespace().collect();
    let start = words
        .iter()
        .position(|w| *w == "onsdesk" || (w.starts_with("target/") && w.ends_with("/onsdesk")))
        .map(|n| n + 1)
        .or_else(|| {
            let cargo_run = words.windows(2).position(|w| w == ["cargo", "run"])?;
            words[cargo_run..]
                .iter()
                .position(|w| *w == "--")
                .map(|n| cargo_run + n + 1)
        })?;
    let args: Vec<&str> = words[start..]
        .iter()
        .copied()
        .take_while(|w| !(w.starts_with('#') || ["|", ";", "&&", "||"].contains(w)))
        .collect();
    let mut path = Vec::new();
    for word in &args {
        let mut candidate = path.clone();
        candidate.push((*word).to_owned());
        if commands.iter().any(|c| c.path == candidate) {
            path = candidate;
        } else {
            break;
        }
    }
    let flags = args.iter().flat_map(|w| flags_in(w)).collect();
    Some(Invocation { path, flags })
}

/// The pieces of code in a block: its code spans, or the line itself in a fence.
fn code_in(block: &Block) -> Vec<&str> {
    match block {
        Block::CodeLine { text, .. } => vec![text.as_str()],
        Block::Heading { pieces, .. } | Block::Paragraph { pieces, .. } => pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Code(c) => Some(c.as_str()),
                Piece::Text(_) => None,
            })
            .collect(),
    }
}

/// The flags a block names as flags of the command whose section it is in: in prose, in code
/// that starts with a flag, and on command lines that run that very command.
fn section_flags(block: &Block, section: &[String], commands: &[CommandHelp]) -> Vec<String> {
    let mut flags = Vec::new();
    if let Block::Paragraph { pieces, .. } = block {
        for piece in pieces {
            if let Piece::Text(text) = piece {
                flags.extend(flags_in(text));
            }
        }
    }
    for code in code_in(block) {
        match invocation(code, commands) {
            Some(inv) if inv.path == section => flags.extend(inv.flags),
            None if code.trim_start().starts_with("--") => flags.extend(flags_in(code)),
            // Another command's line (checked on its own), or another program's.
            _ => {}
        }
    }
    flags
}

/// The command a heading names, as the words after `onsdesk` in its code span.
fn section_command(block: &Block) -> Option<Vec<String>> {
    let Block::Heading { pieces, .. } = block else {
        return None;
    };
    pieces.iter().find_map(|p| match p {
        Piece::Code(code) if code.split_whitespace().next() == Some("onsdesk") => {
            Some(code.split_whitespace().skip(1).map(str::to_owned).collect())
        }
        _ => None,
    })
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "onsdesk".to_owned()
    } else {
        format!("onsdesk {}", path.join(" "))
    }
}

/// What is wrong with docs/cli.md as a reference of `commands`.
fn reference_problems(doc: &Doc, commands: &[CommandHelp]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut mentioned: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<Vec<String>> = None;
    for block in &doc.blocks {
        if matches!(block, Block::Heading { .. }) {
            current = section_command(block);
            if let Some(path) = &current {
                if !commands.iter().any(|c| &c.path == path) {
                    problems.push(format!(
                        "{}:{}: `{}` is not a command",
                        doc.name,
                        block.line(),
                        show(path)
                    ));
                } else if mentioned.insert(path.clone(), BTreeSet::new()).is_some() {
                    problems.push(format!(
                        "{}:{}: a second section for `{}`",
                        doc.name,
                        block.line(),
                        show(path)
                    ));
                }
            }
            continue;
        }
        let Some(path) = &current else {
            // Outside a command's section a flag must belong to some command.
            for flag in section_flags(block, &[], commands) {
                if flag != "--help" && !commands.iter().any(|c| c.flags.contains(&flag)) {
                    problems.push(format!(
                        "{}:{}: {flag} is not a flag of any command",
                        doc.name,
                        block.line()
                    ));
                }
            }
            continue;
        };
        let Some(command) = commands.iter().find(|c| &c.path == path) else {
            continue;
        };
        for flag in section_flags(block, path, commands) {
            if flag != "--help" && !command.flags.contains(&flag) {
                problems.push(format!(
                    "{}:{}: {flag} is not a flag of `{}`",
                    doc.name,
                    block.line(),
                    show(path)
                ));
            }
            mentioned.entry(path.clone()).or_default().insert(flag);
        }
    }
    for command in commands {
        let Some(named) = mentioned.get(&command.path) else {
            problems.push(format!(
                "{}: no section for `{}`",
                doc.name,
                show(&command.path)
            ));
            continue;
        };
        for flag in &command.flags {
            if flag != "--help" && !named.contains(flag) {
                problems.push(format!(
                    "{}: `{}` has {flag}, which its section does not mention",
                    doc.name,
                    show(&command.path)
                ));
            }
        }
    }
    problems
}

/// What is wrong with the `onsdesk` command lines of a document.
fn invocation_problems(doc: &Doc, commands: &[CommandHelp]) -> Vec<String> {
    let mut problems = Vec::new();
    for block in &doc.blocks {
        for code in code_in(block) {
            let Some(inv) = invocation(code, commands) else {
                continue;
            };
            let Some(command) = commands.iter().find(|c| c.path == inv.path) else {
                continue;
            };
            for flag in &inv.flags {
                if flag != "--help" && !command.flags.contains(flag) {
                    problems.push(format!(
                        "{}:{}: `{}` has no {flag}: {code}",
                        doc.name,
                        block.line(),
                        show(&inv.path)
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn the_cli_reference_matches_every_help() {
    let commands = all_commands();
    assert!(
        commands.len() > 10
            && commands
                .iter()
                .any(|c| c.path == ["create"] && c.flags.contains("--dry-run")),
        "the help parser found too little: {:?}",
        commands.iter().map(|c| show(&c.path)).collect::<Vec<_>>()
    );
    let reference = Doc::read(&Path::new(ROOT).join("docs/cli.md"));
    let mut problems = reference_problems(&reference, &commands);
    for path in markdown_files() {
        problems.extend(invocation_problems(&Doc::read(&path), &commands));
    }
    assert!(
        problems.is_empty(),
        "docs/cli.md and `onsdesk --help` disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reference_check_catches_a_missing_and_an_unknown_flag() {
    let commands = vec![
        CommandHelp {
            path: Vec::new(),
            flags: ["--demo".to_owned()].into(),
        },
        CommandHelp {
            path: vec!["create".to_owned()],
            flags: ["--name".to_owned(), "--json".to_owned()].into(),
        },
    ];
    let doc = |text: &str| Doc {
        path: PathBuf::from("cli.md"),
        name: "cli.md".to_owned(),
        blocks: blocks(text),
    };
    let good = doc(
        "# `onsdesk`\n\n`--demo` opens it.\n\n## `onsdesk create`\n\n\
         | flag | |\n| --- | --- |\n| `--name NAME` | |\n\nWith --json, one object.\n\
         Not `aliyun ons --region x` nor `onsdesk --demo`.\n",
    );
    assert_eq!(reference_problems(&good, &commands), Vec::<String>::new());
    let bad = doc("# `onsdesk`\n\n`--demo`.\n\n## `onsdesk create`\n\n\
         ```sh\nonsdesk create --name x --dry-run   # --nothing\n```\n");
    assert_eq!(
        reference_problems(&bad, &commands),
        [
            "cli.md:8: --dry-run is not a flag of `onsdesk create`",
            "cli.md: `onsdesk create` has --json, which its section does not mention",
        ]
    );
    assert_eq!(
        invocation_problems(&bad, &commands),
        [
            "cli.md:8: `onsdesk create` has no --dry-run: onsdesk create --name x --dry-run   # --nothing"
        ]
    );
    let cargo = invocation("cargo run --release -- --demo --json", &commands).unwrap();
    assert_eq!(cargo.flags, ["--demo", "--json"]);
}
