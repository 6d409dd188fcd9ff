//! The window's first frame on the CPU, without a display: what `benches/startup.rs` cannot
//! tell apart from the display server's noise. Each sample is a fresh window in a kittest
//! harness (a fresh egui context: no font face parsed, no glyph rasterised) from its creation
//! until it is still, against the bare eframe window's content (`examples/bare_window.rs`) in
//! the same harness. The difference is what onsdesk's first screen costs beyond a bare window
//! (its text, mostly: docs/performance.md, "Where the window's start goes").
//!
//! `cargo bench --bench first_frame` (`FIRST_FRAME_SAMPLES=N`, default 40). A plain bench
//! binary: each sample is one cold start, so criterion's warm iterations would measure
//! something else.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use onsdesk::app::{AppOptions, HistoryLocation, Lang, OnsApp, Setup, StartCredentials};
use onsdesk::credentials::Credentials;

#[path = "support/stats.rs"]
mod stats;

/// The harness's size: the window's default.
const SIZE: egui::Vec2 = egui::vec2(960.0, 640.0);

/// onsdesk from its creation until still: the welcome card when `credentials` is `None`,
/// else the form.
fn onsdesk(rt: &tokio::runtime::Runtime, lang: Lang, credentials: bool) -> Duration {
    let handle = rt.handle().clone();
    let setup = Setup {
        options: AppOptions::default(),
        credentials: if credentials {
            StartCredentials::Given(Credentials::new("bench-id", "bench-secret".into()))
        } else {
            StartCredentials::None
        },
        lang: Some(lang),
        use_storage: false,
        history: HistoryLocation::Off,
        profiles: None,
        profile: None,
    };
    let started = Instant::now();
    let harness = Harness::builder()
        .with_size(SIZE)
        .build_eframe(move |cc| OnsApp::with_setup(cc, handle, setup));
    let took = started.elapsed();
    drop(harness);
    took
}

/// The bare window's content, from its creation until still.
fn bare() -> Duration {
    let mut text = String::new();
    let started = Instant::now();
    let harness = Harness::builder().with_size(SIZE).build_ui(move |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Bare eframe window");
            let label = ui.label("Name").id;
            ui.text_edit_singleline(&mut text).labelled_by(label);
            let _ = ui.button("Create");
        });
    });
    let took = started.elapsed();
    drop(harness);
    took
}

/// The median of `times` in milliseconds.
fn median_ms(times: &[Duration]) -> f64 {
    stats::median(times).as_secs_f64() * 1000.0
}

fn main() {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return;
    };
    let samples: usize = std::env::var("FIRST_FRAME_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let cases: [(&str, Option<(Lang, bool)>); 4] = [
        ("bare eframe window's content", None),
        ("onsdesk, welcome card (en)", Some((Lang::En, false))),
        ("onsdesk, welcome card (zh)", Some((Lang::Zh, false))),
        ("onsdesk, the form (en)", Some((Lang::En, true))),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    // Alternated, so that the machine's drift falls on every case alike.
    for _ in 0..samples {
        for (i, (_, case)) in cases.iter().enumerate() {
            times[i].push(match case {
                None => bare(),
                Some((lang, credentials)) => onsdesk(&rt, *lang, *credentials),
            });
        }
    }
    println!("first frame until still, fresh context, median of {samples}:");
    let base = median_ms(&times[0]);
    for ((name, _), t) in cases.iter().zip(times) {
        let m = median_ms(&t);
        println!("  {name:30} {m:6.2} ms  (+{:.2} ms)", m - base);
    }
}
