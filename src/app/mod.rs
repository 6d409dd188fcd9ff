//! The desktop window (eframe/egui). Placeholder until the app issue lands.

use crate::region::Endpoint;

/// What the command line says about the window.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Start the in-process sandbox and use it (`--demo`).
    pub demo: bool,
    /// A custom endpoint (`--endpoint`).
    pub endpoint: Option<Endpoint>,
    /// The region (`--region`).
    pub region: Option<String>,
}

/// Opens the window and runs until it is closed. `runtime` runs all background work.
pub fn run(options: AppOptions, runtime: &tokio::runtime::Runtime) -> eframe::Result {
    let _ = (options, runtime);
    eframe::run_native(
        "onsdesk",
        eframe::NativeOptions::default(),
        Box::new(|_cc| Ok(Box::new(Placeholder))),
    )
}

struct Placeholder;

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("onsdesk");
            ui.label("The window is coming; use `onsdesk create` meanwhile.");
        });
    }
}
