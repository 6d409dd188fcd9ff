//! A bare eframe window with the same features and options as onsdesk's (glow, accesskit,
//! persistence off), a heading, a text field and a button: the baseline `tests/perf.sh`
//! compares onsdesk's resident memory against.

fn main() -> eframe::Result {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bare")
            .with_inner_size([960.0, 640.0]),
        ..eframe::NativeOptions::default()
    };
    let mut text = String::new();
    eframe::run_ui_native("bare", native, move |ui, _frame| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Bare eframe window");
            let label = ui.label("Name").id;
            ui.text_edit_singleline(&mut text).labelled_by(label);
            let _ = ui.button("Create");
        });
    })
}
