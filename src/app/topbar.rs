//! The top bar: region (with a custom endpoint behind ⚙), the profile slot, language, theme.
//! Also the banners under it (the sandbox, a profile that could not be used). It shows and
//! edits the session; choices that concern other features go out as [`AppCommand`]s.

use egui::RichText;

use crate::credentials::CredentialSource;
use crate::profiles::ProfilesFile;
use crate::region::{DEFAULT_REGION, Endpoint, EndpointError, REGIONS};
use crate::signing::v3::SignatureVersion;

use super::a11y;
use super::command::AppCommand;
use super::creds::{Creds, ProfileProblem, Selection};
use super::i18n::{InstancesText, Lang, T};
use super::session::WindowSession;
use super::state::{Saved, ThemeChoice, View};
use super::style;

/// Read-only facts the bar shows.
struct TopBarContext<'a> {
    lang: Lang,
    /// What the profile selector offers.
    profiles: ProfileChoices,
    /// Where requests go now (shown in the settings menu).
    endpoint: Result<String, EndpointError>,
    /// `--endpoint` given on the command line (overrides the settings for this run).
    cli_endpoint: Option<&'a Endpoint>,
}

/// The profile selector's entries: saved profiles, "environment" (when its variables are
/// set), "sandbox" (in the demo).
struct ProfileChoices {
    items: Vec<(Selection, String)>,
    selected: Option<Selection>,
    /// The selector's text (also "name…" while the keyring is read).
    shown: String,
    /// Profiles can be managed (there is a profile store).
    manage: bool,
}

/// What the profile selector offers and shows.
fn profile_choices(session: &WindowSession, profiles: Option<&ProfilesFile>) -> ProfileChoices {
    let lang = session.lang;
    let mut items = Vec::new();
    let default = profiles.and_then(|f| f.default.clone());
    if let Some(file) = profiles {
        for p in &file.profiles {
            let label = if default.as_deref() == Some(p.name.as_str()) {
                format!("{} ({})", p.name, lang.t(T::DefaultWord))
            } else {
                p.name.clone()
            };
            items.push((Selection::Profile(p.name.clone()), label));
        }
    }
    if session.env.is_some() {
        items.push((
            Selection::Environment,
            lang.t(T::ProfileEnvironment).to_owned(),
        ));
    }
    if session.sandbox.is_some() || session.options.demo {
        items.push((Selection::Sandbox, lang.t(T::ProfileSandbox).to_owned()));
    }
    let (selected, shown) = match &session.creds {
        Creds::Ready { source, .. } => match source {
            CredentialSource::Profile(name) => {
                (Some(Selection::Profile(name.clone())), name.clone())
            }
            CredentialSource::Environment => (
                Some(Selection::Environment),
                lang.t(T::ProfileEnvironment).to_owned(),
            ),
            CredentialSource::Sandbox => (
                Some(Selection::Sandbox),
                lang.t(T::ProfileSandbox).to_owned(),
            ),
        },
        Creds::Loading { profile, .. } => (None, format!("{profile}…")),
        Creds::SandboxStarting => (None, format!("{}…", lang.t(T::ProfileSandbox))),
        Creds::Missing | Creds::SandboxFailed(_) => (None, lang.t(T::ProfileNone).to_owned()),
    };
    ProfileChoices {
        items,
        selected,
        shown,
        manage: session.store.is_some(),
    }
}

/// Draws the bar. The region, the custom endpoint and the signature version are preferences,
/// edited in place.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    session: &mut WindowSession,
    profiles: Option<&ProfilesFile>,
) -> Vec<AppCommand> {
    let cx = TopBarContext {
        lang: session.lang,
        profiles: profile_choices(session, profiles),
        endpoint: session.target().map(|t| t.endpoint.to_string()),
        cli_endpoint: session.options.endpoint.as_ref(),
    };
    let cx = &cx;
    let saved = &mut session.saved;
    let lang = cx.lang;
    let mut commands = Vec::new();
    let mut prefs_on_second_row = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.t(T::AppName)).strong());
        ui.separator();

        let region = saved
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let label = ui.label(lang.t(T::Region)).id;
        // Closed, the console's name alone (the bar must fit at 720 px); the list and the
        // tooltip give the region ID beside it.
        let region_combo = egui::ComboBox::from_id_salt("region")
            .selected_text(lang.region_console_name(&region))
            .width(150.0)
            .height(360.0)
            .show_ui(ui, |ui| {
                for r in REGIONS {
                    let name = lang.region_name(r.id);
                    let text = if r.closed {
                        format!("{name} ({})", lang.t(T::ClosedRegion))
                    } else {
                        name
                    };
                    if ui.selectable_label(r.id == region, text).clicked() && r.id != region {
                        saved.region = Some(r.id.to_owned());
                    }
                }
            })
            .response
            .on_hover_text(lang.region_name(&region))
            .labelled_by(label);
        a11y::describe_value(&region_combo, &lang.region_name(&region));

        settings_menu_ui(ui, saved, cx);
        ui.separator();

        profile_selector_ui(ui, lang, &cx.profiles, &mut commands);
        ui.separator();

        // Language and theme sit at the right end when they fit beside the rest; in a narrow
        // window (720 px, or long profile names) they take a second row instead of being
        // drawn over the profile selector.
        let needed = ui
            .data(|d| d.get_temp::<f32>(prefs_width_id()))
            .unwrap_or(PREFS_WIDTH);
        prefs_on_second_row = ui.available_width() < needed;
        if !prefs_on_second_row {
            prefs_ui(ui, lang, saved.theme, &mut commands);
        }
    });
    // The second row: which view fills the window, and language and theme when the first
    // row had no room for them (one row less for the form and the history at 720×480).
    ui.horizontal(|ui| {
        view_switch_ui(ui, session);
        // The endpoint leaves language and theme their room when they share this row.
        let prefs = if prefs_on_second_row {
            ui.data(|d| d.get_temp::<f32>(prefs_width_id()))
                .unwrap_or(PREFS_WIDTH)
        } else {
            0.0
        };
        custom_endpoint_ui(ui, session, ui.available_width() - prefs);
        if prefs_on_second_row {
            prefs_ui(ui, session.lang, session.saved.theme, &mut commands);
        }
    });
    commands
}

/// A custom endpoint in use (`--endpoint`, or the one set behind ⚙), said beside the view
/// switch: requests do not go to the region's own endpoint, and the user should see where they
/// go without opening the settings. (The sandbox says so in its banner.)
fn custom_endpoint_ui(ui: &mut egui::Ui, session: &WindowSession, room: f32) {
    let custom = session.options.endpoint.is_some() || session.saved.use_custom_endpoint;
    if session.sandbox.is_some() || !custom {
        return;
    }
    let lang = session.lang;
    let (text, tone) = match session.target() {
        Ok(target) => (
            format!("{} {}", lang.t(T::CustomEndpointShown), target.endpoint),
            style::Tone::Warn,
        ),
        Err(why) => (
            format!(
                "✖ {} {}",
                lang.t(T::EndpointInvalid),
                lang.endpoint_error(&why)
            ),
            style::Tone::Bad,
        ),
    };
    ui.separator();
    let room = room - ui.spacing().item_spacing.x * 2.0;
    if room < 40.0 {
        return;
    }
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(room, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            let shown = ui.add(
                egui::Label::new(RichText::new(&text).small().color(tone.color(ui))).truncate(),
            );
            shown.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
        },
    );
}

/// "Create instance | Instances": which view fills the window under the top bar.
fn view_switch_ui(ui: &mut egui::Ui, session: &mut WindowSession) {
    let lang = session.lang;
    for (view, word) in [
        (View::Create, InstancesText::ViewCreate),
        (View::Instances, InstancesText::ViewInstances),
    ] {
        let shown = session.saved.view == view;
        let button = ui.selectable_label(shown, lang.t(word));
        // The shown view's button says so: Orca 43 says a focused button's description when
        // it changes, so switching with Space is heard.
        if shown {
            a11y::describe(ui.ctx(), button.id, lang.t(T::ViewShown));
        }
        if button.clicked() && !shown {
            session.saved.view = view;
            if view == View::Create {
                session.focus_name = true;
            }
        }
    }
}

/// The room language and theme need at the right end of the bar before they were first drawn
/// (both languages' words); after that, what they took last frame.
const PREFS_WIDTH: f32 = 320.0;

fn prefs_width_id() -> egui::Id {
    egui::Id::unique("onsdesk.top_bar.prefs_width")
}

/// 中文 / English and the theme, at the right end of the row they are given, laid out (and so
/// reached with Tab, and read) from the left.
fn prefs_ui(ui: &mut egui::Ui, lang: Lang, current: ThemeChoice, commands: &mut Vec<AppCommand>) {
    let width = ui
        .data(|d| d.get_temp::<f32>(prefs_width_id()))
        .unwrap_or(PREFS_WIDTH);
    let margin = ui.spacing().item_spacing.x * 2.0;
    ui.add_space((ui.available_width() - (width - margin)).max(0.0));
    let drawn = ui.horizontal(|ui| {
        for (choice, text) in [(Lang::En, "English"), (Lang::Zh, "中文")] {
            if ui.selectable_label(lang == choice, text).clicked() && lang != choice {
                commands.push(AppCommand::SetLang(choice));
            }
        }
        ui.separator();
        let shown = match current {
            ThemeChoice::System => T::ThemeSystem,
            ThemeChoice::Light => T::ThemeLight,
            ThemeChoice::Dark => T::ThemeDark,
        };
        let label = ui.label(lang.t(T::Theme)).id;
        let theme_combo = egui::ComboBox::from_id_salt("theme")
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
                        commands.push(AppCommand::SetTheme(choice));
                    }
                }
            })
            .response
            .labelled_by(label);
        a11y::describe_value(&theme_combo, lang.t(shown));
    });
    // Remembered with a margin, so the decision does not flip back and forth at the edge; the
    // first frame's guess is put right in the next.
    let drawn = drawn.response.rect.width() + margin;
    if (drawn - width).abs() > 0.5 {
        ui.data_mut(|d| d.insert_temp(prefs_width_id(), drawn));
        ui.ctx().request_repaint();
    }
}

fn settings_menu_ui(ui: &mut egui::Ui, saved: &mut Saved, cx: &TopBarContext<'_>) {
    let lang = cx.lang;
    // Whether the menu was shown last frame: the first frame it is shown (not its invisible
    // sizing pass, whose controls cannot take the focus), the keyboard goes to its first
    // control; the frame it closes (Esc, a click elsewhere), back to ⚙ rather than nowhere
    // (Orca would say only "onsdesk frame").
    let open_id = egui::Id::unique("onsdesk.settings_open");
    let was_open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false);
    let menu = ui.menu_button("⚙", |ui| {
        a11y::name_menu(ui, lang.t(T::Settings));
        ui.set_min_width(320.0);
        ui.strong(lang.t(T::Settings));
        ui.add_space(4.0);
        let first = if let Some(e) = cx.cli_endpoint {
            ui.label(format!("--endpoint {e}"));
            None
        } else {
            let first = ui.checkbox(&mut saved.use_custom_endpoint, lang.t(T::UseCustomEndpoint));
            let label = ui.label(lang.t(T::CustomEndpoint)).id;
            ui.add_enabled(
                saved.use_custom_endpoint,
                egui::TextEdit::singleline(&mut saved.custom_endpoint)
                    .hint_text("https://ons.cn-hangzhou.aliyuncs.com")
                    .desired_width(300.0),
            )
            .labelled_by(label);
            ui.weak(lang.t(T::EndpointNote));
            Some(first)
        };
        ui.add_space(4.0);
        ui.separator();
        ui.strong(lang.t(T::SignatureVersion));
        let [v1, _] = a11y::radio_choices(
            ui,
            &mut saved.signature,
            [
                (SignatureVersion::V1, lang.t(T::SignatureV1)),
                (SignatureVersion::V3, lang.t(T::SignatureV3)),
            ],
            lang.t(T::SignatureVersion),
        );
        ui.separator();
        match &cx.endpoint {
            Ok(url) => {
                ui.label(format!("{} {url}", lang.t(T::EndpointInUse)));
            }
            Err(why) => {
                ui.label(
                    RichText::new(format!(
                        "✖ {} {}",
                        lang.t(T::EndpointInvalid),
                        lang.endpoint_error(why)
                    ))
                    .color(style::Tone::Bad.color(ui)),
                );
            }
        }
        let sizing = ui.is_sizing_pass();
        if !was_open && !sizing {
            first.unwrap_or(v1).request_focus();
        }
        sizing
    });
    // Named by what it is for, not its symbol; where requests go is said after the name.
    let button = menu
        .response
        .on_hover_text(lang.t(T::Settings))
        .accessible_name(lang.t(T::Settings));
    let said = match &cx.endpoint {
        Ok(url) => format!("{} {url}", lang.t(T::EndpointInUse)),
        Err(why) => format!(
            "{} {}",
            lang.t(T::EndpointInvalid),
            lang.endpoint_error(why)
        ),
    };
    a11y::describe(ui.ctx(), button.id, &said);
    let open = menu.inner == Some(false);
    // The frame the menu is laid out unseen: the keyboard stays on ⚙ until it can go in.
    if menu.inner == Some(true) && ui.memory(egui::Memory::focused).is_none() {
        button.request_focus();
    }
    // Esc closes the menu at the end of this frame, and has already taken the focus away:
    // back to ⚙ now, not a frame later (Orca would say "onsdesk frame" in between).
    if open && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        button.request_focus();
    }
    if was_open && !open {
        let focus_alive = ui.memory(egui::Memory::focused).is_some_and(|id| {
            ui.ctx()
                .read_response(id)
                .is_some_and(|r| r.layer_id == button.layer_id)
        });
        if !focus_alive {
            button.request_focus();
        }
    }
    if open != was_open {
        ui.data_mut(|d| d.insert_temp(open_id, open));
    }
}

/// The sandbox banner: always visible while requests go to the local sandbox.
fn sandbox_banner_ui(ui: &mut egui::Ui, lang: Lang, url: &str) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.t(T::SandboxBanner)).strong());
        ui.label(format!("({})", lang.sandbox_at(url)));
    });
}

fn profile_selector_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    choices: &ProfileChoices,
    commands: &mut Vec<AppCommand>,
) {
    let label = ui.label(lang.t(T::Profile)).id;
    let combo = egui::ComboBox::from_id_salt("profile")
        .selected_text(&choices.shown)
        .width(130.0)
        .show_ui(ui, |ui| {
            for (choice, text) in &choices.items {
                let selected = choices.selected.as_ref() == Some(choice);
                if ui.selectable_label(selected, text).clicked() && !selected {
                    commands.push(AppCommand::Select(choice.clone()));
                }
            }
            if choices.items.is_empty() {
                ui.weak(lang.t(T::NoProfilesYet));
            }
        })
        .response
        .labelled_by(label);
    a11y::describe_value(&combo, &choices.shown);
    if choices.manage
        && ui
            .button(lang.t(T::ManageProfiles))
            .on_hover_text(lang.t(T::ProfilesTitle))
            .clicked()
    {
        commands.push(AppCommand::OpenProfiles);
    }
}

/// The sandbox banner and the keyring notice, under the top bar.
pub fn banners_ui(ui: &mut egui::Ui, session: &WindowSession) -> Vec<AppCommand> {
    let lang = session.lang;
    let mut commands = Vec::new();
    if let Some(sandbox) = &session.sandbox {
        banner_panel(ui, "sandbox_banner", |ui| {
            sandbox_banner_ui(ui, lang, &sandbox.url());
        });
    }
    if let Some(notice) = &session.keyring_notice {
        let using_env = matches!(session.ready(), Some((CredentialSource::Environment, _)));
        banner_panel(ui, "keyring_banner", |ui| {
            commands.extend(keyring_banner_ui(
                ui,
                lang,
                &notice.profile,
                &notice.problem,
                using_env,
            ));
        });
    }
    commands
}

/// One amber banner row under the top bar, in the theme's banner colours.
fn banner_panel(ui: &mut egui::Ui, id: &'static str, add_contents: impl FnOnce(&mut egui::Ui)) {
    let (fill, text) = style::banner_colors(ui.ctx().theme());
    egui::Panel::top(id)
        .frame(
            egui::Frame::new()
                .fill(fill)
                .inner_margin(egui::Margin::symmetric(12, 6)),
        )
        .show(ui, |ui| {
            ui.visuals_mut().override_text_color = Some(text);
            add_contents(ui);
        });
}

/// The banner when a profile could not be used (the keyring is missing, locked, …): what
/// happened and what the window does now.
fn keyring_banner_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    profile: &str,
    problem: &ProfileProblem,
    using_env: bool,
) -> Vec<AppCommand> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
            if ui.small_button(lang.t(T::Dismiss)).clicked() {
                commands.push(AppCommand::DismissKeyringNotice);
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
            // The message is read first, then Dismiss.
            a11y::read_from_the_left(ui);
        });
    });
    commands
}
