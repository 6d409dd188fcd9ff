//! The result column: the success card, the error card, the cancelled note, and the
//! first-run card when there are no credentials.

use std::time::Instant;

use egui::{Event, Key, RichText};

use crate::api::ApiError;
use crate::credentials::{ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN};

use super::Command;
use super::create::{
    CheckState, CreateRequest, CreatedCard, EndpointsRequest, FailedCard, Outcome, Story,
    listed_endpoints,
};
use super::hints::{self, Hint};
use super::i18n::{Lang, T};
use super::style::{self, ID_SIZE, Status};

/// What the result column shows about credentials when no create has happened yet.
pub enum Readiness<'a> {
    Ready,
    Missing {
        problem: Option<String>,
        /// Profiles can be added (offer the dialog).
        profiles: bool,
    },
    /// Reading this profile's secret from the keyring.
    Loading(&'a str),
    SandboxStarting,
    SandboxFailed(&'a str),
}

/// Shared read-only bits for the cards.
pub struct ResultContext<'a> {
    pub lang: Lang,
    pub readiness: Readiness<'a>,
    /// The text last copied and when, for the "Copied" confirmation.
    pub copied: Option<&'a (String, Instant)>,
    /// Set to move keyboard focus to the `InstanceId` (after a create); cleared here.
    pub focus_id: &'a mut bool,
}

/// How long "Copied" shows.
pub const COPIED_FOR: std::time::Duration = std::time::Duration::from_millis(1500);

/// Draws the result column.
pub fn result_ui(
    ui: &mut egui::Ui,
    request: &CreateRequest,
    mut cx: ResultContext<'_>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(cx.lang.t(T::Result));
    ui.add_space(8.0);
    match (request.outcome(), &cx.readiness) {
        (None, Readiness::Ready) => {
            ui.weak(cx.lang.t(T::NothingYet));
        }
        (None, _) => welcome_ui(ui, &cx, &mut commands),
        (Some(Outcome::Created(card)), _) => created_ui(ui, card, &mut cx, &mut commands),
        (Some(Outcome::NotCreated(card)), _) => failed_ui(ui, card, false, &cx, &mut commands),
        (Some(Outcome::Unknown(card)), _) => failed_ui(ui, card, true, &cx, &mut commands),
        (Some(Outcome::Cancelled { after }), _) => {
            style::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(format!("⚠ {}", cx.lang.t(T::CancelledTitle)))
                        .strong()
                        .color(Status::Warn.color(ui)),
                );
                ui.label(cx.lang.cancelled(after.as_secs_f32()));
            });
        }
    }
    commands
}

fn copy_button(ui: &mut egui::Ui, text: &str, cx: &ResultContext<'_>, commands: &mut Vec<Command>) {
    let recently = cx
        .copied
        .is_some_and(|(t, at)| t == text && at.elapsed() < COPIED_FOR);
    let label = if recently {
        format!("✔ {}", cx.lang.t(T::Copied))
    } else {
        cx.lang.t(T::Copy).to_owned()
    };
    if ui.small_button(label).clicked() {
        commands.push(Command::Copy(text.to_owned()));
    }
}

fn created_ui(
    ui: &mut egui::Ui,
    card: &CreatedCard,
    cx: &mut ResultContext<'_>,
    commands: &mut Vec<Command>,
) {
    let lang = cx.lang;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let edition = lang.edition(card.instance_type.0);
        let title = if card.adopted {
            lang.adopted_line(&edition, &card.region)
        } else {
            lang.created_line(&edition, &card.region)
        };
        ui.label(
            RichText::new(format!("✔ {title}"))
                .strong()
                .color(Status::Good.color(ui)),
        );
        if card.adopted {
            ui.label(lang.t(T::AdoptedExplained));
        }
        clock_line_ui(ui, lang, &card.story);
        ui.add_space(6.0);
        ui.weak(lang.t(T::InstanceId));
        let id = &card.instance_id;
        ui.horizontal_wrapped(|ui| {
            // A frameless button: focusable (Tab, and focus moves here after a create),
            // named by the ID in the accessibility tree, and a click copies it.
            let resp = ui
                .add(egui::Button::new(RichText::new(id).monospace().size(ID_SIZE)).frame(false))
                .on_hover_text(lang.t(T::CopyHint));
            if std::mem::take(cx.focus_id) {
                resp.request_focus();
            }
            let copy_keys = resp.has_focus()
                && ui.input(|i| {
                    i.events.iter().any(|e| {
                        matches!(e, Event::Copy)
                            || matches!(e, Event::Key { key: Key::C, pressed: true, modifiers, .. } if modifiers.command)
                    })
                });
            if copy_keys || resp.clicked() {
                commands.push(Command::Copy(id.clone()));
            }
            copy_button(ui, id, cx, commands);
        });
        ui.weak(RichText::new(lang.t(T::CopyHint)).small());
        ui.add_space(6.0);
        egui::Grid::new("created_facts")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.weak(lang.t(T::InstanceType));
                ui.label(&edition);
                ui.end_row();
                if let Some(request_id) = &card.request_id {
                    ui.weak(lang.t(T::RequestId));
                    ui.horizontal(|ui| {
                        ui.monospace(request_id);
                        copy_button(ui, request_id, cx, commands);
                    });
                    ui.end_row();
                }
                ui.weak(lang.t(T::Region));
                match (card.region_name, lang) {
                    (Some((en, _)), Lang::En) => ui.label(format!("{} · {en}", card.region)),
                    (Some((_, zh)), Lang::Zh) => ui.label(format!("{} · {zh}", card.region)),
                    (None, _) => ui.label(&card.region),
                };
                ui.end_row();
                ui.weak(lang.t(T::Time));
                ui.label(&card.at);
                ui.end_row();
            });
        ui.add_space(8.0);
        ui.label(RichText::new(lang.t(T::Endpoints)).strong());
        endpoints_ui(ui, &card.endpoints, cx, commands);
        story_ui(ui, lang, &card.story);
        ui.add_space(6.0);
        let terraform = crate::snippets::terraform(&card.name, &card.remark, &card.instance_id);
        ui.horizontal(|ui| {
            ui.weak(lang.t(T::TerraformTitle));
            let recently = cx
                .copied
                .is_some_and(|(t, at)| *t == terraform && at.elapsed() < COPIED_FOR);
            let label = if recently {
                format!("✔ {}", lang.t(T::Copied))
            } else {
                lang.t(T::CopyTerraform).to_owned()
            };
            if ui
                .small_button(label)
                .on_hover_text(RichText::new(&terraform).monospace())
                .clicked()
            {
                commands.push(Command::Copy(terraform.clone()));
            }
        });
    });
}

/// A clock that is off, said near the top of the card, with what to do.
fn clock_line_ui(ui: &mut egui::Ui, lang: Lang, story: &Story) {
    if let Some(offset) = story.clock_offset {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("⚠ {}", lang.clock_off(offset))).color(Status::Warn.color(ui)),
        );
    }
}

/// Retries, throttling waits and a corrected clock, compactly; nothing when the create was
/// one request and its reply. A clock that is off is said on its own line, with what to do.
fn story_ui(ui: &mut egui::Ui, lang: Lang, story: &Story) {
    if !story.is_eventful() {
        return;
    }
    ui.add_space(6.0);
    egui::CollapsingHeader::new(lang.steps_title(story.steps.len()))
        .id_salt("create_steps")
        .default_open(true)
        .show(ui, |ui| {
            for step in &story.steps {
                ui.add(
                    egui::Label::new(RichText::new(format!("· {}", lang.step(step))).small())
                        .wrap(),
                );
            }
        });
}

fn endpoints_ui(
    ui: &mut egui::Ui,
    endpoints: &EndpointsRequest,
    cx: &ResultContext<'_>,
    commands: &mut Vec<Command>,
) {
    let lang = cx.lang;
    ui.vertical(|ui| match endpoints {
        EndpointsRequest::Pending { .. } => {
            ui.horizontal(|ui| {
                style::spinner(ui);
                ui.weak(lang.t(T::EndpointsLoading));
            });
        }
        EndpointsRequest::Failed(why) => {
            ui.label(
                RichText::new(format!("⚠ {} {why}", lang.t(T::EndpointsFailed)))
                    .color(Status::Warn.color(ui)),
            );
        }
        EndpointsRequest::Done(e) => {
            let listed = listed_endpoints(e);
            if listed.is_empty() {
                ui.weak(lang.t(T::EndpointsNone));
            }
            for (key, url) in listed {
                ui.add_space(2.0);
                ui.horizontal(|ui| {
                    ui.weak(lang.t(key));
                    copy_button(ui, url, cx, commands);
                });
                ui.add(egui::Label::new(RichText::new(url).monospace()).wrap());
            }
        }
    });
}

fn failed_ui(
    ui: &mut egui::Ui,
    card: &FailedCard,
    unknown: bool,
    cx: &ResultContext<'_>,
    commands: &mut Vec<Command>,
) {
    let lang = cx.lang;
    let err = &card.error;
    let (title, status) = if unknown {
        (lang.t(T::OutcomeUnknown), Status::Warn)
    } else {
        (lang.t(T::Refused), Status::Bad)
    };
    let (code, message, request_id, recommend, hint) = match err {
        ApiError::Service(e) => (
            e.code.clone(),
            e.message.clone(),
            e.request_id.clone(),
            e.recommend.clone(),
            hints::for_code(&e.code),
        ),
        ApiError::Transport { message, .. } => (
            lang.t(T::NetworkError).to_owned(),
            message.clone(),
            None,
            None,
            Some(if unknown {
                Hint::MaybeCreated
            } else {
                Hint::Network
            }),
        ),
        ApiError::BadReply {
            http_status,
            detail,
            request_id,
        } => (
            format!("{} (HTTP {http_status})", lang.t(T::BadReply)),
            detail.clone(),
            request_id.clone(),
            None,
            Some(Hint::MaybeCreated),
        ),
        ApiError::Setup(m) => (
            lang.t(T::SetupError).to_owned(),
            m.clone(),
            None,
            None,
            None,
        ),
    };
    let icon = if unknown { "⚠" } else { "✖" };
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            RichText::new(format!("{icon} {title}"))
                .strong()
                .color(status.color(ui)),
        );
        clock_line_ui(ui, lang, &card.story);
        ui.add_space(6.0);
        egui::Grid::new("error_facts")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.weak(lang.t(T::Code));
                ui.add(egui::Label::new(RichText::new(&code).monospace().strong()));
                ui.end_row();
                ui.weak(lang.t(T::Message));
                ui.add(egui::Label::new(&message).wrap());
                ui.end_row();
                if let Some(id) = &request_id {
                    ui.weak(lang.t(T::RequestId));
                    ui.horizontal(|ui| {
                        ui.monospace(id);
                        copy_button(ui, id, cx, commands);
                    });
                    ui.end_row();
                }
            });
        if unknown {
            ui.add_space(6.0);
            ui.label(lang.unknown_explained(&card.name, &card.region));
            check_again_ui(ui, lang, &card.check, commands);
        } else if matches!(card.check, CheckState::NotFound) {
            ui.add_space(6.0);
            ui.label(lang.checked_not_found(&card.name, &card.region));
        }
        if let Some(diagnosis) = &card.diagnosis {
            ui.add_space(6.0);
            ui.label(RichText::new(lang.t(T::SignatureDoctor)).strong());
            ui.add(egui::Label::new(lang.diagnosis(diagnosis)).wrap());
        } else if let Some(hint) = hint.filter(|_| !unknown) {
            ui.add_space(6.0);
            ui.label(RichText::new(lang.t(T::WhatToDo)).strong());
            ui.label(lang.hint(hint));
        }
        if let Some(url) =
            recommend.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        {
            ui.add_space(4.0);
            ui.hyperlink_to(format!("{} ↗", lang.t(T::Troubleshoot)), url);
        }
        story_ui(ui, lang, &card.story);
    });
}

fn check_again_ui(ui: &mut egui::Ui, lang: Lang, check: &CheckState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let pending = matches!(check, CheckState::Pending { .. });
        if ui
            .add_enabled(!pending, egui::Button::new(lang.t(T::CheckAgain)))
            .clicked()
        {
            commands.push(Command::CheckAgain);
        }
        if pending {
            style::spinner(ui);
        }
    });
    if let CheckState::StillUnknown(why) = check {
        ui.label(
            RichText::new(format!("⚠ {} {why}", lang.t(T::StillUnknown)))
                .color(Status::Warn.color(ui)),
        );
    }
}

fn welcome_ui(ui: &mut egui::Ui, cx: &ResultContext<'_>, commands: &mut Vec<Command>) {
    let lang = cx.lang;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match &cx.readiness {
            Readiness::SandboxStarting => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.t(T::SandboxStarting));
                });
                return;
            }
            Readiness::SandboxFailed(why) => {
                ui.label(
                    RichText::new(format!("✖ {} {why}", lang.t(T::SandboxFailed)))
                        .color(Status::Bad.color(ui)),
                );
            }
            Readiness::Loading(profile) => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.reading_profile(profile));
                });
                return;
            }
            Readiness::Missing {
                problem: Some(p), ..
            } => {
                ui.label(
                    RichText::new(format!("⚠ {} {p}", lang.t(T::CredsProblem)))
                        .color(Status::Warn.color(ui)),
                );
            }
            Readiness::Missing { problem: None, .. } | Readiness::Ready => {}
        }
        ui.label(
            RichText::new(format!("⚠ {}", lang.t(T::NoCredsTitle)))
                .strong()
                .color(Status::Warn.color(ui)),
        );
        ui.label(lang.t(T::NoCredsBody));
        if matches!(cx.readiness, Readiness::Missing { profiles: true, .. }) {
            ui.add_space(4.0);
            if ui.button(lang.t(T::AddProfileWelcome)).clicked() {
                commands.push(Command::OpenProfiles);
            }
            ui.weak(lang.t(T::ProfilesInKeyring));
        }
        ui.add_space(4.0);
        ui.label(lang.t(T::NoCredsEnv));
        for var in [ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET] {
            ui.monospace(format!("  {var}"));
        }
        ui.weak(format!("  {ENV_SECURITY_TOKEN} (STS)"));
        ui.add_space(8.0);
        ui.label(lang.t(T::NoCredsOr));
        if ui.button(format!("▶ {}", lang.t(T::TrySandbox))).clicked() {
            commands.push(Command::StartSandbox);
        }
    });
}
