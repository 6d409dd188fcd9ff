//! Markdown, as far as the checks need it: blocks (headings, paragraphs, lines of fenced
//! code), inline code spans, GitHub's heading anchors and link targets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::relative;

/// Inline text: plain text, or the inside of a code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(String),
    Code(String),
}

/// A piece of a document, with its line number.
#[derive(Debug)]
pub(super) enum Block {
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
    pub(super) fn line(&self) -> usize {
        match self {
            Self::Heading { line, .. }
            | Self::Paragraph { line, .. }
            | Self::CodeLine { line, .. } => *line,
        }
    }
}

/// A Markdown file, read into blocks.
pub(super) struct Doc {
    pub(super) path: PathBuf,
    /// Path from the repository root, for messages.
    pub(super) name: String,
    pub(super) blocks: Vec<Block>,
}

impl Doc {
    pub(super) fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path).unwrap();
        Self {
            path: path.to_owned(),
            name: relative(path),
            blocks: blocks(&text),
        }
    }

    /// GitHub's anchors for this file's headings.
    pub(super) fn anchors(&self) -> BTreeSet<String> {
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

pub(super) fn blocks(text: &str) -> Vec<Block> {
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
pub(super) fn link_targets(block: &Block) -> Vec<String> {
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
