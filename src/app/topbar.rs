//! The top bar: region (with a custom endpoint behind ⚙), the profile slot, language, theme.
//! Also the sandbox banner under it.

use egui::RichText;

use crate::region::{DEFAULT_REGION, Endpoint, REGIONS};
use crate::signing::v3::SignatureVersion;

use super::Command;
use super::i18n::{Lang, T};
use super::profiles::{Problem, Selection};
use super::state::{Saved, ThemeChoice};
use super::style;

/// Read-only facts the bar shows.
pub struct TopBarContext<'a> {
    pub lang: Lang,
    /// What the profile selector offers.
    pub profiles: ProfileChoices,
    /// Where requests go now (shown in the settings menu).
    pub endpoint: Result<String, String>,
    /// `--endpoint` given on the command line (overrides the settings for this run).
    pub cli_endpoint: Option<&'a Endpoint>,
}

/// The profile selector's entries: saved profiles, "environment" (when its variables are
/// set), "sandbox" (in the demo).
pub struct ProfileChoices {
    pub items: Vec<(Selection, String)>,
    pub selected: Option<Selection>,
    /// The selector's text (also "name…" while the keyring is read).
    pub shown: String,
    /// Profiles can be managed (there is a profile store).
    pub manage: bool,
}

/// Draws the bar. The custom endpoint text is edited in place (it is a preference).
pub fn top_bar_ui(ui: &mut egui::Ui, saved: &mut Saved, cx: &TopBarContext<'_>) -> Vec<Command> {
    let lang = cx.lang;
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.t(T::AppName)).strong());
        ui.separator();

        let region = saved
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let label = ui.label(lang.t(T::Region)).id;
        egui::ComboBox::from_id_salt("region")
            .selected_text(&region)
            .width(150.0)
            .height(360.0)
            .show_ui(ui, |ui| {
                for r in REGIONS {
                    let name = match lang {
                        Lang::En => r.name_en,
                        Lang::Zh => r.name_zh,
                    };
                    let text = if r.closed {
                        format!("{} · {name} ({})", r.id, lang.t(T::ClosedRegion))
                    } else {
                        format!("{} · {name}", r.id)
                    };
                    if ui.selectable_label(r.id == region, text).clicked() && r.id != region {
                        commands.push(Command::SetRegion(r.id.to_owned()));
                    }
                }
            })
            .response
            .labelled_by(label);

        settings_menu_ui(ui, saved, cx);
        ui.separator();

        profile_selector_ui(ui, lang, &cx.profiles, &mut commands);
        ui.separator();

        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let theme_label = T::Theme;
            let current = saved.theme;
            let shown = match current {
                ThemeChoice::System => T::ThemeSystem,
                ThemeChoice::Light => T::ThemeLight,
                ThemeChoice::Dark => T::ThemeDark,
            };
            egui::ComboBox::from_id_salt("theme")
                .selected_text(lang.t(shown))
                .width(110.0)
                .show_ui(ui, |ui| {
                    for (choice, key) in [
                        (ThemeChoice::System, T::ThemeSystem),
                        (ThemeChoice::Light, T::ThemeLight),
                        (ThemeChoice::Dark, T::ThemeDark),
                    ] {
                        if ui
                            .selectable_label(current == choice, lang.t(key))
                            .clicked()
                        {
                            commands.push(Command::SetTheme(choice));
                        }
                    }
                })
                .response
                .labelled_by(ui.label(lang.t(theme_label)).id);
            ui.separator();
            for (choice, text) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                if ui.selectable_label(lang == choice, text).clicked() && lang != choice {
                    commands.push(Command::SetLang(choice));
                }
            }
        });
    });
    commands
}

fn settings_menu_ui(ui: &mut egui::Ui, saved: &mut Saved, cx: &TopBarContext<'_>) {
    let lang = cx.lang;
    ui.menu_button("⚙", |ui| {
        ui.set_min_width(320.0);
        ui.strong(lang.t(T::Settings));
        ui.add_space(4.0);
        if let Some(e) = cx.cli_endpoint {
            ui.label(format!("--endpoint {e}"));
        } else {
            ui.checkbox(&mut saved.use_custom_endpoint, lang.t(T::UseCustomEndpoint));
            let label = ui.label(lang.t(T::CustomEndpoint)).id;
            ui.add_enabled(
                saved.use_custom_endpoint,
                egui::TextEdit::singleline(&mut saved.custom_endpoint)
                    .hint_text("https://ons.cn-hangzhou.aliyuncs.com")
                    .desired_width(300.0),
            )
            .labelled_by(label);
            ui.weak(lang.t(T::EndpointNote));
        }
        ui.add_space(4.0);
        ui.separator();
        ui.strong(lang.t(T::SignatureVersion));
        ui.radio_value(
            &mut saved.signature,
            SignatureVersion::V1,
            lang.t(T::SignatureV1),
        );
        ui.radio_value(
            &mut saved.signature,
            SignatureVersion::V3,
            lang.t(T::SignatureV3),
        );
        ui.separator();
        match &cx.endpoint {
            Ok(url) => {
                ui.label(format!("{} {url}", lang.t(T::EndpointInUse)));
            }
            Err(why) => {
                ui.label(
                    RichText::new(format!("✖ {} {why}", lang.t(T::EndpointInvalid)))
                        .color(style::Status::Bad.color(ui)),
                );
            }
        }
    })
    .response
    .on_hover_text(lang.t(T::Settings));
}

/// The sandbox banner: always visible while requests go to the local sandbox.
pub fn sandbox_banner_ui(ui: &mut egui::Ui, lang: Lang, url: &str) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.t(T::SandboxBanner)).strong());
        ui.label(format!("({})", lang.sandbox_at(url)));
    });
}

fn profile_selector_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    choices: &ProfileChoices,
    commands: &mut Vec<Command>,
) {
    let label = ui.label(lang.t(T::Profile)).id;
    egui::ComboBox::from_id_salt("profile")
        .selected_text(&choices.shown)
        .width(130.0)
        .show_ui(ui, |ui| {
            for (choice, text) in &choices.items {
                let selected = choices.selected.as_ref() == Some(choice);
                if ui.selectable_label(selected, text).clicked() && !selected {
                    commands.push(Command::Select(choice.clone()));
                }
            }
            if choices.items.is_empty() {
                ui.weak(lang.t(T::NoProfilesYet));
            }
        })
        .response
        .labelled_by(label);
    if choices.manage
        && ui
            .button(lang.t(T::ManageProfiles))
            .on_hover_text(lang.t(T::ProfilesTitle))
            .clicked()
    {
        commands.push(Command::OpenProfiles);
    }
}

/// The banner when a profile could not be used (the keyring is missing, locked, …): what
/// happened and what the window does now.
pub fn keyring_banner_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    profile: &str,
    problem: &Problem,
    using_env: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
            if ui.small_button(lang.t(T::Dismiss)).clicked() {
                commands.push(Command::DismissKeyringNotice);
            }
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.label(RichText::new(format!("⚠ {}", lang.profile_unusable(profile))).strong());
                ui.add(egui::Label::new(lang.problem(problem)).wrap());
                ui.add(
                    egui::Label::new(lang.t(if using_env {
                        T::UsingEnvInstead
                    } else {
                        T::UseEnvForSession
                    }))
                    .wrap(),
                );
            });
        });
    });
    commands
}
