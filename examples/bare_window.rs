//! A bare eframe window with the same features and options as onsdesk's (glow, accesskit,
//! persistence off), a heading, a text field and a button: the baseline `tests/perf.sh` and
//! `benches/startup.rs` compare onsdesk's start and resident memory against. With
//! `ONSDESK_TRACE_STARTUP=1` it prints one line on stderr at the end of its first frame, as
//! onsdesk does.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
fn main() -> eframe::Result {
    let started = std::time::Instant::now();
    let trace =
        std::env::var_os("ONSDESK_TRACE_STARTUP").is_some_and(|v| !v.is_empty() && v != "0");
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bare")
            .with_inner_size([960.0, 640.0]),
        ..eframe::NativeOptions::default()
    };
    let mut text = String::new();
    let mut frames = 0_u64;
    eframe::run_ui_native("bare", native, move |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Bare eframe window");
            let label = ui.label("Name").id;
            ui.text_edit_singleline(&mut text).labelled_by(label);
            let _ = ui.button("Create");
        });
        frames += 1;
        if trace && frames == 1 {
            eprintln!(
                "bare-startup first_frame_ms={:.1}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    })
}
