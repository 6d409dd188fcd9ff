//! Every relative link or image in a Markdown file points at a file or folder that exists,
//! and a `#fragment` at a heading of the Markdown file it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::markdown::{Doc, link_targets};
use super::{markdown_files, normalize, relative};

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
