//! docs/cli.md against every `--help`, and every `onsdesk` command line in the Markdown files
//! against the flags its command has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::markdown::{Block, Doc, Piece, blocks};
use super::{ROOT, markdown_files};

const BIN: &str = env!("CARGO_BIN_EXE_onsdesk");

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
