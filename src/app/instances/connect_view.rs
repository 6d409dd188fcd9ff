//! The Connect pane: a client config for the selected instance, made by the same code as the
//! CLI's `onsdesk connect` ([`crate::connect`]): choose a topic and a group (by default the
//! ones just created here, else the first), the format and the endpoint; see the config; copy
//! it. It names the AccessKey ID in use; the secret never appears in it (the config reads it
//! from an environment variable).

use egui::RichText;

use crate::connect::{
    ClientConfig, ClientConfigInput, ConfigFormat, ConnectError, TcpEndpointKind, pick_endpoint,
};

use super::super::a11y;
use super::super::command::AppCommand;
use super::super::i18n::{InstancesText, Lang, T, TopicsText};
use super::super::session::WindowSession;
use super::super::style::Tone;
use super::held::ConfigNames;
use super::view::fixed_id;
use super::{FocusTo, InstanceRow, InstancesController, take_focus};

/// A selector of names, `None` meaning the placeholder; named `label`, its value also its
/// description (AT-SPI does not pass a combo box's value on).
fn names_combo(
    ui: &mut egui::Ui,
    lang: Lang,
    salt: &str,
    label: &str,
    chosen: &mut Option<String>,
    names: &[String],
) -> bool {
    let none = lang.t(TopicsText::NoTopicChosen);
    let shown = chosen.clone().unwrap_or_else(|| none.to_owned());
    let before = chosen.clone();
    let label_id = ui.label(label).id;
    let combo = egui::ComboBox::from_id_salt(salt)
        .selected_text(shown.as_str())
        .width(200.0)
        .show_ui(ui, |ui| {
            for name in names {
                ui.selectable_value(chosen, Some(name.clone()), name.as_str());
            }
        })
        .response
        .labelled_by(label_id);
    a11y::describe_value(&combo, &shown);
    *chosen != before
}

impl InstancesController {
    /// The Connect pane of the selected instance (`ui` is its scroll area's).
    pub(super) fn connect_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &WindowSession,
        row: &InstanceRow,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = session.lang;
        let id = &row.summary.instance_id;
        let (names, topic, group) = self.held.config_choice(id);
        ui.label(RichText::new(lang.t(TopicsText::ConfigTitle)).strong());
        ui.add_space(4.0);
        let (topic, group) = self.choices_ui(ui, lang, &names, topic, group);
        ui.add_space(6.0);
        let loading =
            self.held.is_loading() && (names.topics.is_empty() || names.groups.is_empty());
        if loading {
            ui.weak(lang.t(TopicsText::ConfigLoading));
        }
        for (shown, note) in [
            (topic.is_none() && !loading, TopicsText::ConfigNoTopic),
            (group.is_none() && !loading, TopicsText::ConfigNoGroup),
            (names.has_http, TopicsText::HttpGroupsLeftOut),
        ] {
            if shown {
                ui.add(egui::Label::new(RichText::new(lang.t(note)).weak()).wrap());
            }
        }
        let Some((_, credentials)) = session.ready() else {
            return;
        };
        let access_key_id = credentials.access_key_id.as_str();
        let info = match &row.info {
            Some(Ok(info)) => info,
            None => {
                ui.weak(lang.t(InstancesText::DetailsReading));
                return;
            }
            Some(Err(e)) => {
                warn_ui(
                    ui,
                    &format!(
                        "{} {}",
                        lang.t(TopicsText::ConfigEndpointsFailed),
                        lang.api_error(e)
                    ),
                    Tone::Warn,
                );
                return;
            }
        };
        let choice = &self.held.connect;
        let config = pick_endpoint(&info.endpoints, choice.endpoint).and_then(|endpoint| {
            ClientConfig::new(&ClientConfigInput {
                instance_id: id.as_str(),
                endpoint: endpoint.as_str(),
                access_key_id,
                topic: topic.as_deref(),
                group: group.as_deref(),
            })
        });
        let config = match config {
            Ok(config) => config,
            Err(e) => {
                let tone = if matches!(e, ConnectError::NoEndpoint { .. }) {
                    Tone::Warn
                } else {
                    Tone::Bad
                };
                warn_ui(ui, &lang.connect_error(&e), tone);
                return;
            }
        };
        if config.is_temporary_key() {
            warn_ui(ui, lang.t(TopicsText::ConfigTemporaryKey), Tone::Warn);
        }
        let format = choice.format;
        let text = config.render(format);
        ui.add_space(4.0);
        if self.copy_config_ui(ui, session, &text) {
            commands.push(AppCommand::Copy(text.clone()));
            self.news.tell(
                lang.config_copied(format.label(), topic.as_deref(), group.as_deref()),
                false,
            );
        }
        ui.add(
            egui::Label::new(RichText::new(lang.config_secret_note(access_key_id)).weak()).wrap(),
        );
        ui.add_space(4.0);
        egui::Frame::group(ui.style())
            .fill(ui.visuals().extreme_bg_color)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.add(
                    egui::Label::new(
                        RichText::new(crate::text::printable_block(&text)).monospace(),
                    )
                    .wrap(),
                );
            });
    }

    /// Topic, group, format and endpoint; returns the topic and group chosen now.
    fn choices_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        names: &ConfigNames,
        mut topic: Option<String>,
        mut group: Option<String>,
    ) -> (Option<String>, Option<String>) {
        egui::Grid::new("onsdesk.connect_choices")
            .num_columns(2)
            .spacing(egui::vec2(12.0, 6.0))
            .show(ui, |ui| {
                let topic_word = lang.t(TopicsText::ConfigTopic);
                let salt = "onsdesk.connect_topic";
                if names_combo(ui, lang, salt, topic_word, &mut topic, &names.topics) {
                    self.held.connect.topic.clone_from(&topic);
                }
                ui.end_row();
                let group_word = lang.t(TopicsText::ConfigGroup);
                let salt = "onsdesk.connect_group";
                if names_combo(ui, lang, salt, group_word, &mut group, &names.groups) {
                    self.held.connect.group.clone_from(&group);
                }
                ui.end_row();
                let choice = &mut self.held.connect;
                let label = ui.label(lang.t(TopicsText::ConfigFormat)).id;
                let combo = egui::ComboBox::from_id_salt("onsdesk.connect_format")
                    .selected_text(choice.format.label())
                    .width(200.0)
                    .show_ui(ui, |ui| {
                        for format in ConfigFormat::ALL {
                            ui.selectable_value(&mut choice.format, format, format.label());
                        }
                    })
                    .response
                    .labelled_by(label);
                a11y::describe_value(&combo, choice.format.label());
                ui.end_row();
                ui.label(lang.t(TopicsText::ConfigEndpoint));
                ui.horizontal(|ui| {
                    a11y::radio_choices(
                        ui,
                        &mut choice.endpoint,
                        [
                            (TcpEndpointKind::Vpc, lang.t(TopicsText::EndpointVpc)),
                            (
                                TcpEndpointKind::Internet,
                                lang.t(TopicsText::EndpointInternet),
                            ),
                        ],
                        lang.t(TopicsText::ConfigEndpoint),
                    );
                });
                ui.end_row();
            });
        (topic, group)
    }

    /// "Copy client config" ("✔ Copied" a moment after); true when clicked.
    fn copy_config_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession, text: &str) -> bool {
        let lang = session.lang;
        let name = lang.t(TopicsText::CopyConfig);
        let shown = if session.copied.recently(text) {
            format!("✔ {}", lang.t(T::Copied))
        } else {
            name.to_owned()
        };
        // An id of its own: the notes above come and go as the lists are read again (and the
        // selectors' grid takes a sizing pass when first shown), and the focus must stay on it.
        let copy = fixed_id(ui, egui::Id::unique("onsdesk.copy_config"), |ui| {
            ui.add(egui::Button::new(RichText::new(shown).strong()))
        })
        .accessible_name(name);
        if take_focus(&mut self.focus_to, &FocusTo::CopyConfig) {
            copy.request_focus();
        }
        copy.clicked()
    }
}

/// A warning (or a refusal) in its colour, wrapped.
fn warn_ui(ui: &mut egui::Ui, text: &str, tone: Tone) {
    ui.add(egui::Label::new(RichText::new(format!("⚠ {text}")).color(tone.color(ui))).wrap());
}
