//! History store speed with 100 000 entries. Targets: load ≤ 100 ms, search ≤ 20 ms,
//! appending one entry including fsync ≤ 5 ms.
//!
//! The file is `support::write_history`'s, every entry with a cloud check. The `part_*` benches break the load down: reading the file on one
//! thread, decoding records already in memory, reading and decoding as the load does (each
//! thread its own stretch of the file), and an untyped JSON scan on one thread for comparison.
//!
//! `load` times `History::open` alone: freeing the history it returns (about 29 ms for
//! 100 000 entries) happens outside the timed part, as it does in the app, which
//! keeps its history open. `drop` times that freeing on its own.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
mod support;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use onsdesk::history::{FILE_NAME, History, NewAttempt};
use onsdesk::history::{decode, format};
use support::ENTRIES;

/// Every entry has a cloud check.
fn write_history(dir: &Path) {
    let bytes = support::write_history(dir, 1);
    println!("history file: {ENTRIES} entries, {} KB", bytes / 1000);
}

fn bench(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    write_history(dir.path());

    let mut g = c.benchmark_group("history_100k");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    let raw = std::fs::read(dir.path().join(FILE_NAME)).unwrap_or_default();
    let body_at = raw.iter().position(|&b| b == b'\n').map_or(0, |p| p + 1);
    let version = format::FORMAT_VERSION;
    g.bench_function("part_read_file", |b| {
        b.iter(|| std::fs::read(dir.path().join(FILE_NAME)).map(|v| v.len()));
    });
    g.bench_function("part_parse_records", |b| {
        b.iter(|| {
            let mut records = Vec::with_capacity(ENTRIES);
            decode::parse_body(&raw[body_at..], version, 2, &mut |r| records.push(r)).records
        });
    });
    let len = raw.len() as u64;
    g.bench_function("part_read_and_parse_file", |b| {
        b.iter(|| {
            let mut records = Vec::with_capacity(ENTRIES);
            let path = dir.path().join(FILE_NAME);
            let sink = &mut |r| records.push(r);
            decode::parse_file(&path, (body_at as u64, len), version, 2, &|r| r, sink)
                .map(|outline| outline.records)
        });
    });
    g.bench_function("part_scan_json_untyped", |b| {
        b.iter(|| {
            raw[body_at..]
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .filter_map(|l| serde_json::from_slice::<serde::de::IgnoredAny>(l).ok())
                .count()
        });
    });
    g.bench_function("load", |b| {
        b.iter_with_large_drop(|| History::open(black_box(dir.path())));
    });
    g.bench_function("drop", |b| {
        b.iter_batched(
            || History::open(dir.path()),
            drop,
            criterion::BatchSize::LargeInput,
        );
    });
    let Ok((mut history, _)) = History::open(dir.path()) else {
        return;
    };
    g.bench_function("snapshot", |b| b.iter(|| history.snapshot().len()));
    let snapshot = history.snapshot();
    g.finish();

    let mut g = c.benchmark_group("history_100k_search");
    g.bench_function("search_one_id", |b| {
        b.iter(|| snapshot.search(black_box("mq_inst_1880770869020000_0000BEEF")));
    });
    g.bench_function("search_common_word", |b| {
        b.iter(|| snapshot.search(black_box("Payments")));
    });
    g.bench_function("search_chinese", |b| {
        b.iter(|| snapshot.search(black_box("订单服务-生产_99")));
    });
    g.finish();

    let mut g = c.benchmark_group("history_100k_append");
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("record_pending_with_fsync", |b| {
        b.iter(|| {
            history.record_pending(NewAttempt {
                name: "bench-append".to_owned(),
                remark: "one more".to_owned(),
                region: "cn-hangzhou".to_owned(),
                endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
                profile: "work".to_owned(),
            })
        });
    });
    g.finish();
}

/// The whole `onsdesk history --search` command in a fresh process, as a user runs it: start,
/// load (with a new process's allocator growing its heaps and faulting pages in, which the
/// in-process `load` above does not pay after its first run), search, print, exit.
fn bench_command(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    write_history(dir.path());
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_onsdesk"))
            .args(["history", "--search", "no-such-instance"])
            .env("ONSDESK_DATA_DIR", dir.path())
            .output()
            .is_ok_and(|out| out.status.success() && out.stdout.starts_with(b"No entry matches"))
    };
    // Time only a command that does its job.
    assert!(
        run(),
        "onsdesk history --search failed on the 100 000-entry history"
    );
    let mut g = c.benchmark_group("history_100k_process");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("onsdesk_history_search", |b| b.iter(run));
    g.finish();
}

criterion_group!(benches, bench, bench_command);
criterion_main!(benches);
