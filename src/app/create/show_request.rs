//! "Show request": the exact signed `OnsInstanceCreate` that Create would send now, with the
//! STS token redacted (the secret is never part of a request: only its signature is), and the
//! same create as an aliyun CLI command.

use egui::RichText;

use crate::api::Client;
use crate::signing::{new_nonce, v3::SignatureVersion};

use super::super::command::AppCommand;
use super::super::i18n::{CardText, T};
use super::super::session::WindowSession;

/// What the dialog shows. Built once when opened; holds no secret.
#[derive(Debug)]
pub struct ShownRequest {
    pub method: &'static str,
    pub url: String,
    pub signature: SignatureVersion,
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub aliyun_cli: String,
}

impl ShownRequest {
    /// Signs `OnsInstanceCreate` for `name` now (pure: nothing is sent).
    pub fn new(client: &Client, name: &str, remark: &str) -> Self {
        let mut params = vec![("InstanceName", name)];
        if !remark.is_empty() {
            params.push(("Remark", remark));
        }
        let prepared = client.prepare("OnsInstanceCreate", &params, client.now(), &new_nonce());
        Self {
            method: prepared.method.as_str(),
            url: prepared.url.to_string(),
            signature: prepared.signature_version,
            params: prepared.redacted_params().into_iter().collect(),
            headers: prepared.redacted_headers(),
            aliyun_cli: crate::snippets::aliyun_cli(
                &client.target().region,
                name,
                (!remark.is_empty()).then_some(remark),
            ),
        }
    }
}

/// What the user asked of the dialog.
#[derive(Default)]
pub struct DialogActions {
    pub commands: Vec<AppCommand>,
    pub close: bool,
}

/// The dialog.
pub fn show_request_dialog_ui(
    ctx: &egui::Context,
    shown: &ShownRequest,
    session: &WindowSession,
) -> DialogActions {
    let lang = session.lang;
    let mut actions = DialogActions::default();
    let id = egui::Id::unique("onsdesk.request_dialog");
    // Named by its title, so a screen reader says which dialog opened.
    let area = egui::Modal::default_area(id).accessible_name(lang.t(CardText::RequestTitle));
    let modal = egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(620.0);
        ui.horizontal(|ui| {
            ui.heading(lang.t(CardText::RequestTitle));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(lang.t(T::Close)).clicked() {
                    actions.close = true;
                }
            });
        });
        ui.weak(lang.t(CardText::RequestNote));
        ui.add_space(6.0);
        let room = (ctx.content_rect().height() - 240.0).max(120.0);
        egui::ScrollArea::vertical()
            .max_height(room)
            .min_scrolled_height(room)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.monospace(RichText::new(shown.method).strong());
                    ui.monospace(&shown.url);
                });
                ui.weak(format!(
                    "{} {}",
                    lang.t(T::SignatureVersion),
                    shown.signature
                ));
                ui.add_space(4.0);
                let table = |ui: &mut egui::Ui, id: &str, rows: &[(String, String)]| {
                    egui::Grid::new(id)
                        .num_columns(2)
                        .spacing([12.0, 2.0])
                        .striped(true)
                        .show(ui, |ui| {
                            for (k, v) in rows {
                                ui.monospace(k);
                                ui.add(egui::Label::new(RichText::new(v).monospace()).wrap());
                                ui.end_row();
                            }
                        });
                };
                let params_title = match shown.signature {
                    SignatureVersion::V1 => CardText::FormParams,
                    SignatureVersion::V3 => CardText::QueryParams,
                };
                ui.strong(lang.t(params_title));
                table(ui, "request_params", &shown.params);
                if !shown.headers.is_empty() {
                    ui.add_space(4.0);
                    ui.strong(lang.t(CardText::Headers));
                    table(ui, "request_headers", &shown.headers);
                }
            });
        ui.add_space(6.0);
        ui.strong(lang.t(CardText::AliyunCliTitle));
        ui.add(egui::Label::new(RichText::new(&shown.aliyun_cli).monospace()).wrap());
        let label = if session.copied.recently(&shown.aliyun_cli) {
            format!("✔ {}", lang.t(T::Copied))
        } else {
            lang.t(CardText::CopyAliyunCli).to_owned()
        };
        if ui
            .button(label)
            .accessible_name(lang.t(CardText::CopyAliyunCli))
            .clicked()
        {
            actions
                .commands
                .push(AppCommand::Copy(shown.aliyun_cli.clone()));
        }
    });
    if modal.should_close() {
        actions.close = true;
    }
    actions
}
