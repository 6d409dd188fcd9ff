//! A frame of the window with an instance of 3 000 topics open on its Topics pane (an instance
//! of a fleet: Alibaba allows a thousand groups an instance, and as many topics or more).
//! Target: ≤ 8 ms per frame, as for the history panel.
//!
//! The real window runs in a kittest harness against the in-process sandbox (no GPU: a frame
//! is `Context::run` plus the accessibility tree update). Measured:
//! - `frame_top`: the pane scrolled to the top, nothing typed;
//! - `frame_mid_list`: scrolled to the middle of the 3 000 rows;
//! - `frame_search`: a search matching 1 000 of them, at the top.
//!
//! Each prints how many rows it drew (rows whose Copy button is in the accessibility tree).

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#[path = "../tests/support/gui.rs"]
#[allow(
    dead_code,
    reason = "the bench uses the sandbox part of the GUI helpers"
)]
mod gui_support;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onsdesk::app::OnsApp;
use onsdesk::sandbox::{SeedInstance, SeedTopic};

const TOPICS: usize = 3_000;

/// How many topic rows the frame drew.
fn rows_drawn(h: &Harness<'static, OnsApp>) -> usize {
    h.query_all_by_label_contains("Copy the topic name ")
        .filter(|n| n.accesskit_node().label().is_some())
        .count()
}

fn bench(c: &mut Criterion) {
    let rt = gui_support::runtime();
    let sandbox = gui_support::start_sandbox(&rt);
    sandbox.seed_instance(&SeedInstance {
        topics: (0..TOPICS)
            .map(|i| SeedTopic::named(format!("fleet-{i:04}")))
            .collect(),
        ..SeedInstance::new("big-fleet", "cn-hangzhou")
    });
    let mut h = gui_support::app_on(&rt, &sandbox);
    gui_support::click(&mut h, "Instances");
    gui_support::step_until(&mut h, "the list", |h| {
        gui_support::has_label(h, "big-fleet")
    });
    gui_support::click(&mut h, "big-fleet");
    gui_support::step_until(&mut h, "the tabs", |h| {
        gui_support::has_label(h, "Topics (3000)")
    });
    gui_support::click(&mut h, "Topics (3000)");
    gui_support::step_until(&mut h, "the rows", |h| {
        gui_support::has_label(h, "Copy the topic name fleet-0000")
    });

    let mut g = c.benchmark_group("topics_pane_3000");
    g.sample_size(50);
    g.measurement_time(Duration::from_secs(6));
    println!("top: {} of {TOPICS} rows drawn", rows_drawn(&h));
    g.bench_function("frame_top", |b| b.iter(|| h.step()));

    // A row is 26 points and 4 of spacing: the middle is ~45 000 points down.
    let over_the_list = h
        .get_by_label("Copy the topic name fleet-0000")
        .rect()
        .center();
    gui_support::wheel(&mut h, over_the_list, 30.0 * 1_500.0);
    println!("middle: {} of {TOPICS} rows drawn", rows_drawn(&h));
    g.bench_function("frame_mid_list", |b| b.iter(|| h.step()));

    gui_support::wheel(&mut h, over_the_list, -30.0 * 3_000.0);
    gui_support::type_into(&mut h, "Search topics", "fleet-1");
    gui_support::step_until(&mut h, "the search", |h| {
        gui_support::has_label(h, "1000 of 3000 topics")
    });
    println!("search: {} rows drawn", rows_drawn(&h));
    g.bench_function("frame_search", |b| b.iter(|| h.step()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
