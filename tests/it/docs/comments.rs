//! A comment in src/, tests/ or benches/ names only documents and paths the repository has,
//! and no issue numbers.

use std::path::Path;

use super::{ROOT, normalize, relative, walk};

/// Top-level folders whose names start a path in a comment.
const PATH_ROOTS: &[&str] = &[
    "src/",
    "tests/",
    "benches/",
    "docs/",
    "assets/",
    "examples/",
];

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
