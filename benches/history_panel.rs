//! A frame of the window with the history panel holding 100 000 entries. Target:
//! ≤ 8 ms per frame.
//!
//! The real window runs in a kittest harness (no GPU: a frame is `Context::run` plus the
//! accessibility tree update, the CPU work eframe does before painting). Measured:
//! - `frame_mid_list`: scrolled to the middle of the 100 000 rows, nothing typed;
//! - `frame_search_mid_list`: a search matching ~11 000 rows is active, scrolled mid-way;
//! - `keystroke_x2`: two frames that each take a keystroke in the search box (type a digit,
//!   delete it); the search over 100 000 entries runs on a blocking thread, not in the frame;
//! - `frame_no_history`: the same window without a history, for comparison.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#[path = "../tests/support/gui.rs"]
#[allow(
    dead_code,
    reason = "the bench uses the history part of the GUI helpers"
)]
mod gui_support;
mod support;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onsdesk::app::{HistoryLocation, OnsApp, StartCredentials};
use onsdesk::credentials::Credentials;

fn window(rt: &tokio::runtime::Runtime, history: HistoryLocation) -> Harness<'static, OnsApp> {
    gui_support::TestApp::new(StartCredentials::Given(Credentials::new(
        "bench-id",
        "bench-secret".into(),
    )))
    .endpoint("http://127.0.0.1:9/")
    .history(history)
    .start(rt)
}

/// Scrolls the history table by `points` with the wheel and lets the smooth scroll settle.
fn scroll_table(h: &mut Harness<'static, OnsApp>, points: f32) {
    h.get_by_label("Time ⬇").hover();
    h.step();
    let center = h.get_by_label("Time ⬇").rect().center() + egui::vec2(0.0, 60.0);
    gui_support::wheel(h, center, points);
}

/// The names of the rows on screen.
fn shown_names(h: &Harness<'static, OnsApp>) -> Vec<String> {
    h.query_all_by_label_contains("orders-prod-")
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

fn bench(c: &mut Criterion) {
    let rt = gui_support::runtime();
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    support::write_history(dir.path(), 5);
    let mut h = window(&rt, HistoryLocation::Dir(dir.path().to_path_buf()));
    gui_support::step_until(&mut h, "the history to load", |h| {
        gui_support::has_label(h, "100000 entries")
    });

    // Row height 22 + spacing 6 = 28 points; the middle is ~1.4 M points down.
    scroll_table(&mut h, 28.0 * 50_000.0);
    println!("scrolled, rows on screen: {:?}", shown_names(&h));

    let mut g = c.benchmark_group("history_panel_100k");
    g.sample_size(50);
    g.measurement_time(Duration::from_secs(6));
    g.bench_function("frame_mid_list", |b| b.iter(|| h.step()));

    gui_support::type_into(&mut h, "Search", "orders-prod-4");
    gui_support::step_until(&mut h, "the search result", |h| {
        gui_support::has_label_containing(h, " of 100000")
    });
    println!(
        "search: {:?}",
        h.query_all_by_label_contains(" of 100000")
            .find_map(|n| n.accesskit_node().value())
    );
    // Back to the top, then half-way down the ~7 400 matches.
    scroll_table(&mut h, -28.0 * 100_000.0);
    scroll_table(&mut h, 28.0 * 3_700.0);
    println!("search scrolled, rows on screen: {:?}", shown_names(&h));
    g.bench_function("frame_search_mid_list", |b| b.iter(|| h.step()));

    // Each iteration: type a digit, then delete it (two frames, two full searches).
    g.bench_function("keystroke_x2", |b| {
        b.iter(|| {
            h.event(Event::Text("1".to_owned()));
            h.step();
            h.key_press(Key::Backspace);
            h.step();
        });
    });
    drop(h);

    let mut bare = window(&rt, HistoryLocation::Off);
    g.bench_function("frame_no_history", |b| b.iter(|| bare.step()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
