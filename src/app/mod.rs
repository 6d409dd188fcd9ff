//! The desktop window (eframe/egui 0.37): the create form, the result card, the pre-flight
//! hint, profiles, the history and the Instances view, in English and Chinese.
//!
//! [`OnsApp`] only owns and dispatches: the `WindowSession` (`session.rs`) every feature shares,
//! and one controller per feature (create, pre-flight, profiles, history, instances), each
//! owning its state, its background requests (`tasks.rs`) and their replies. Each frame,
//! `logic` lets every controller drain its replies and re-derive what it keys on; `ui` lays out
//! the panels, each drawn by its controller, and applies the few `AppCommand`s (`command.rs`) that cross
//! features. The UI thread never waits for the network, the keyring or the disk.

mod a11y;
mod command;
mod copy;
mod create;
mod creds;
mod fonts;
mod gl_driver;
mod history;
mod i18n;
mod instances;
pub mod keep_clipboard;
mod news;
mod options;
mod perf;
mod preflight;
mod profiles;
mod recorder;
mod session;
mod start_gate;
mod state;
mod style;
mod tasks;
mod topbar;

use std::time::Instant;

use crate::profiles::ProfileStore;
use crate::sandbox::Sandbox;

use command::AppCommand;
pub use command::InstanceTask;
use create::CreateController;
use history::{HistoryContext, HistoryPanel};
pub use i18n::Lang;
use instances::InstancesController;
pub use options::{AppOptions, StartCredentials};
use preflight::PreflightController;
use profiles::ProfilesController;
pub use recorder::HistoryLocation;
use recorder::Recorder;
use session::{SessionStart, WindowSession};
pub use state::{Saved, ThemeChoice, View};

/// Everything [`OnsApp`] starts from. [`OnsApp::new`] fills it from the process; tests build
/// one by hand.
#[derive(Clone, Debug)]
pub struct Setup {
    pub options: AppOptions,
    pub credentials: StartCredentials,
    /// `None` follows the saved choice, then the system locale.
    pub lang: Option<Lang>,
    /// Read saved preferences from eframe's storage.
    pub use_storage: bool,
    /// Where the history is kept.
    pub history: HistoryLocation,
    /// Saved profiles (the data directory and the OS keyring, or an in-memory store in
    /// tests); `None` hides everything about profiles.
    pub profiles: Option<ProfileStore>,
    /// Select this profile at start (as if it had been remembered).
    pub profile: Option<String>,
}

/// The history panel's height in a window with room for it.
const HISTORY_DEFAULT: f32 = 220.0;
/// The history panel's smallest height: its search row and its column titles.
const HISTORY_MIN: f32 = 64.0;
/// The history's least height while an entry's detail is open (at most 60% of the room).
const HISTORY_WITH_DETAIL: f32 = 220.0;
/// The history panel's id salt (its resize handle's id derives from it).
const HISTORY_PANEL: &str = "history";

/// The window.
pub struct OnsApp {
    session: WindowSession,
    create: CreateController,
    preflight: PreflightController,
    profiles: ProfilesController,
    history: HistoryPanel,
    /// The user dragged the history's edge: its height is theirs from then on.
    history_sized_by_user: bool,
    instances: InstancesController,
    perf: perf::Perf,
    /// Lets the runtime's threads start once the first frame is on screen; opens the gate
    /// when dropped, before the runtime is. `None` where the caller owns the runtime (tests).
    start_gate: Option<start_gate::OpenAfterFirstFrame>,
    /// The async runtime [`run`] started for this window, dropped after everything that uses
    /// it (fields drop in order). `None` where the caller owns the runtime (tests).
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for OnsApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnsApp")
            .field("session", &self.session)
            .field("create", &self.create)
            .finish_non_exhaustive()
    }
}

impl OnsApp {
    /// The window as `onsdesk` opens it: credentials from the profile the environment names
    /// (`ALIBABA_CLOUD_PROFILE` and its kin), else the remembered profile, the environment's
    /// keys or the default profile (in that order), preferences from eframe's storage,
    /// language from the saved choice or the system locale.
    #[must_use]
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        runtime: tokio::runtime::Handle,
        options: AppOptions,
    ) -> Self {
        let store = match ProfileStore::open_default() {
            Ok(store) => Some(store),
            Err(e) => {
                tracing::warn!("profiles are not available: {e}");
                None
            }
        };
        Self::with_setup(
            cc,
            runtime,
            Setup {
                options,
                credentials: StartCredentials::FromEnvironment,
                lang: None,
                use_storage: true,
                history: HistoryLocation::DataDir,
                profiles: store,
                // the aliyun CLI's and Terraform's profile variables, as the CLI reads them
                profile: crate::credentials::profile_from_lookup(|var| std::env::var(var).ok())
                    .map(|(_, name)| name),
            },
        )
    }

    /// The window from an explicit [`Setup`].
    pub fn with_setup(
        cc: &eframe::CreationContext<'_>,
        runtime: tokio::runtime::Handle,
        setup: Setup,
    ) -> Self {
        let ctx = &cc.egui_ctx;
        fonts::install(ctx);
        style::install(ctx);
        let mut saved: Saved = if setup.use_storage {
            cc.storage
                .and_then(|s| eframe::get_value(s, state::STORAGE_KEY))
                .unwrap_or_default()
        } else {
            Saved::default()
        };
        if let Some(region) = &setup.options.region {
            saved.region = Some(region.clone());
        }
        if setup.profile.is_some() {
            saved.profile.clone_from(&setup.profile);
        }
        let lang = setup
            .lang
            .or(saved.lang)
            .unwrap_or_else(|| Lang::from_locale(crate::locale::system_language(&["en", "zh"])));
        ctx.set_theme(saved.theme.preference());

        let (recorder, history_rx) = Recorder::new(setup.history, ctx.clone());
        let history = HistoryPanel::new(recorder.clone(), history_rx, runtime.clone(), ctx.clone());
        let mut session = WindowSession::new(
            SessionStart {
                saved,
                lang,
                options: setup.options,
                credentials: setup.credentials,
                store: setup.profiles,
                recorder,
            },
            runtime,
            ctx.clone(),
        );
        session.start();
        Self {
            create: CreateController::new(&session),
            preflight: PreflightController::new(&session),
            // Reads the profile list; the default profile is used from it when nothing else is.
            profiles: ProfilesController::new(&session),
            history,
            instances: InstancesController::new(&session),
            session,
            history_sized_by_user: false,
            perf: perf::Perf::from_env(),
            start_gate: None,
            runtime: None,
        }
    }

    /// The sandbox the window runs (`--demo` or "Try the sandbox"), once it is up.
    #[must_use]
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.session.sandbox.as_ref()
    }

    fn apply(&mut self, command: AppCommand) {
        let session = &mut self.session;
        match command {
            AppCommand::SetLang(lang) => {
                session.lang = lang;
                session.saved.lang = Some(lang);
            }
            AppCommand::SetTheme(theme) => {
                session.saved.theme = theme;
                session.ctx.set_theme(theme.preference());
            }
            AppCommand::StartSandbox => session.start_sandbox(),
            AppCommand::Copy(text) => session.copy(text),
            AppCommand::Select(selection) => session.select(selection, self.profiles.loaded()),
            AppCommand::OpenProfiles => self.profiles.open(session),
            AppCommand::DismissKeyringNotice => session.keyring_notice = None,
            AppCommand::OpenInstance { id, task } => {
                session.saved.view = View::Instances;
                self.instances.open(&id, task);
            }
        }
    }

    /// The panels, each drawn by its feature; returns the cross-feature intents.
    fn panels_ui(&mut self, ui: &mut egui::Ui) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        let session = &mut self.session;
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            commands.extend(topbar::top_bar_ui(ui, session, self.profiles.loaded()));
            ui.add_space(2.0);
        });
        commands.extend(topbar::banners_ui(ui, session));
        match session.saved.view {
            View::Create => commands.extend(self.create_view_ui(ui)),
            View::Instances => {
                commands.extend(self.instances.ui(ui, &self.session, &self.history));
            }
        }
        let session = &mut self.session;
        a11y::copied_status(ui.ctx(), session.lang.t(i18n::T::Copied), &session.copied);
        commands.extend(self.profiles.ui(ui, session));
        commands.extend(self.create.dialogs_ui(ui, session));
        self.create.close_ui(ui, session.lang);
        commands
    }

    /// The create view: the form on the left, the result in the middle, the history below.
    fn create_view_ui(&mut self, ui: &mut egui::Ui) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        let session = &mut self.session;
        let history = &mut self.history;
        let history_from = a11y::child_count(ui);
        // The history leaves the form the room to show its buttons, except while an entry's
        // detail is open (then the detail is what the user reads, and the form scrolls under
        // a history tall enough to show it), and once the user has dragged its edge: their
        // choice wins, up to leaving the top bar's room.
        let room = ui.available_rect_before_wrap().height();
        let min = if history.detail_open() {
            HISTORY_WITH_DETAIL.min(room * 0.6)
        } else {
            HISTORY_MIN
        };
        let handle = ui.scope_id().with(HISTORY_PANEL).with("__resize");
        let dragged = ui.ctx().read_response(handle).is_some_and(|r| r.dragged());
        // The same from the keyboard or a screen reader: the splitter's increment, decrement
        // or value, acted on by the panel below in this very frame.
        let asked = ui.input(|i| {
            [
                egui::accesskit::Action::Increment,
                egui::accesskit::Action::Decrement,
                egui::accesskit::Action::SetValue,
            ]
            .into_iter()
            .any(|action| i.has_accesskit_action_request(handle, action))
        });
        if dragged || asked {
            self.history_sized_by_user = true;
        }
        let panel = egui::Panel::bottom(HISTORY_PANEL)
            .resizable(true)
            .default_size(HISTORY_DEFAULT);
        // Until the user sizes it, its height follows the window: the default, less what the
        // form needs (a window made larger gives it back, where egui would keep the small
        // height it had). Once sized, theirs within the bounds.
        let panel = if self.history_sized_by_user {
            panel.min_size(min).max_size((room - HISTORY_MIN).max(min))
        } else {
            let max = (room - self.create.form_height()).max(min);
            panel.exact_size(HISTORY_DEFAULT.clamp(min, max))
        };
        panel.show(ui, |ui| {
            let cx = HistoryContext {
                lang: session.lang,
                copied: &session.copied,
                credentials: session.ready(),
                sandbox_endpoint: session.sandbox_endpoint(),
                sandbox_session: session.target().is_ok_and(|t| t.endpoint.is_loopback()),
                transport: &session.transport,
            };
            commands.extend(history.ui(ui, &cx));
        });
        // egui names the splitter in English in every language.
        ui.ctx().accesskit_node_builder(handle, |node| {
            node.set_label(session.lang.t(i18n::T::ResizeHistory));
        });
        let history_nodes = history_from..a11y::child_count(ui);
        let hint = self.preflight.hint();
        let create = &mut self.create;
        egui::Panel::left("form")
            .resizable(false)
            .exact_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("form_scroll")
                    .show(ui, |ui| {
                        ui.add_space(8.0);
                        create.form_ui(ui, session, hint);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("result_scroll")
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    commands.extend(create.result_ui(ui, session));
                });
        });
        a11y::read_after_the_rest(ui, history_nodes);
        commands
    }
}

impl eframe::App for OnsApp {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        fonts::narrow_atlas(raw_input);
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.start_gate.as_ref().is_some_and(|gate| gate.logic(ctx)) {
            self.start_gate = None;
        }
        self.session.logic();
        self.history.logic(self.session.lang);
        self.profiles.logic(&mut self.session);
        self.create.logic(&mut self.session);
        let instances_shown = self.session.saved.view == View::Instances;
        self.instances.logic(&mut self.session, instances_shown);
        self.preflight
            .logic(&self.session, self.create.typed_name());
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let started = Instant::now();
        // The window's accessible name (AccessKit's root node; the title bar's text is not
        // passed to it).
        ui.ctx()
            .accesskit_node_builder(egui::accesskit_root_id(), |node| {
                node.set_label(self.session.lang.t(i18n::T::AppName));
            });
        a11y::language(ui.ctx(), self.session.lang);
        let focused_at_start = ui.memory(egui::Memory::focused);
        for command in self.panels_ui(ui) {
            self.apply(command);
        }
        a11y::wrap_tab_without_a_gap(ui.ctx(), focused_at_start);
        self.perf.frame_done(started, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, state::STORAGE_KEY, &self.session.saved);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The runtime's threads may still wait for a second frame that will not come.
        self.start_gate = None;
        // On X11 what the window copied would go with it: a helper keeps it.
        if let Some(text) = self.session.copied.last()
            && keep_clipboard::is_x11_session()
        {
            let handed =
                std::env::current_exe().and_then(|exe| keep_clipboard::hand_over(&exe, text));
            if let Err(e) = handed.map(drop) {
                tracing::warn!("the copied text will not outlive the window: {e}");
            }
        }
    }
}

/// The 64 px icon's side: what a task bar or title bar shows (they scale it); the 256 px
/// source would be sent to the display server on every start for nothing.
const ICON_SIDE: u32 = 64;

/// The window's icon as pixels: `assets/icons/hicolor/64x64/apps/onsdesk.png` decoded by
/// `scripts/make-icons.sh` (8-bit RGBA, straight alpha), so that no start decodes a PNG
/// (0.2–0.3 ms of each start, before the display is even opened).
const ICON_RGBA: &[u8] = include_bytes!("../../assets/icons/onsdesk-64.rgba");
const _: () = assert!(ICON_RGBA.len() == (ICON_SIDE * ICON_SIDE * 4) as usize);

fn window_icon() -> egui::IconData {
    egui::IconData {
        rgba: ICON_RGBA.to_vec(),
        width: ICON_SIDE,
        height: ICON_SIDE,
    }
}

/// Opens the window and runs until it is closed. `runtime` builds the runtime for all
/// background work; it is built once the window is open, and its threads start work once
/// the first frame is on screen (`src/app/start_gate.rs`).
///
/// Not before the window: while a process has a second thread, glibc locks every `getc` and
/// `malloc`, and opening the display reads the X input method's Compose table (400 KB) a
/// character at a time. With the runtime's threads already running, that took 14 ms instead
/// of 8 ms of the start (docs/performance.md).
///
/// # Errors
///
/// When the window cannot open, or the runtime cannot start.
pub fn run(options: AppOptions, runtime: tokio::runtime::Builder) -> eframe::Result {
    perf::mark_process_start();
    let viewport = egui::ViewportBuilder::default()
        .with_title("onsdesk")
        .with_app_id("onsdesk")
        .with_inner_size([960.0, 640.0])
        .with_min_inner_size([720.0, 480.0])
        .with_icon(window_icon());
    let native = eframe::NativeOptions {
        viewport,
        persist_window: true,
        // Ours instead, started behind the start gate: `fonts::SystemFontsAfterStart`.
        system_font_fallback: false,
        // Called once the event loop exists, just before the window and its GL are made.
        window_builder: Some(Box::new(|viewport| {
            gl_driver::preload();
            viewport
        })),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "onsdesk",
        native,
        Box::new(move |cc| {
            let gate = start_gate::StartGate::new();
            let runtime = start_gate::gated_runtime(runtime, &gate, start_gate::MOST_WAIT)
                .map_err(|e| format!("could not start the async runtime: {e}"))?;
            let mut app = OnsApp::new(cc, runtime.handle().clone(), options);
            app.start_gate = Some(start_gate::OpenAfterFirstFrame::new(gate));
            fonts::add_system_fonts(&cc.egui_ctx, runtime.handle());
            app.runtime = Some(runtime);
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use egui_kittest::kittest::Queryable as _;

    use super::*;
    use crate::history::NewAttempt;

    /// The pixels the window hands the display server are the 64 px PNG's (the hicolor icon
    /// the .deb installs), so the two cannot drift apart when the icon is redrawn.
    #[test]
    fn the_window_icon_is_the_64_px_png() {
        let png = eframe::icon_data::from_png_bytes(include_bytes!(
            "../../assets/icons/hicolor/64x64/apps/onsdesk.png"
        ))
        .unwrap();
        let icon = window_icon();
        assert_eq!((icon.width, icon.height), (png.width, png.height));
        assert!(
            icon.rgba == png.rgba,
            "assets/icons/onsdesk-64.rgba is not the 64 px PNG's pixels: run scripts/make-icons.sh"
        );
    }

    /// A window without credentials in English, its history kept in `dir`.
    fn no_credentials_with_history(dir: &std::path::Path) -> Setup {
        Setup {
            options: AppOptions::default(),
            credentials: StartCredentials::None,
            lang: Some(Lang::En),
            use_storage: false,
            history: HistoryLocation::Dir(dir.to_path_buf()),
            profiles: None,
            profile: None,
        }
    }

    /// The window opens its runtime's start gate once the first frame is on screen, and the
    /// work queued behind it (here: loading the history) then arrives as usual.
    #[test]
    fn background_work_starts_once_the_first_frame_is_on_screen() {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2).enable_all();
        let gate = start_gate::StartGate::new();
        let rt = start_gate::gated_runtime(builder, &gate, start_gate::MOST_WAIT).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let handle = rt.handle().clone();
        let setup = no_credentials_with_history(dir.path());
        let opener = start_gate::OpenAfterFirstFrame::new(std::sync::Arc::clone(&gate));
        let mut harness = egui_kittest::Harness::builder().build_eframe(move |cc| {
            let mut app = OnsApp::with_setup(cc, handle, setup);
            app.start_gate = Some(opener);
            app
        });
        // The harness has drawn its first frames: the gate is open (which pass of which
        // frame opens it is `start_gate`'s test).
        assert!(gate.is_open());
        let empty = "No create attempts recorded yet. Each create is recorded here before its \
                     request is sent.";
        let deadline = Instant::now() + Duration::from_secs(10);
        while harness.query_by_label(empty).is_none() {
            assert!(Instant::now() < deadline, "the history never loaded");
            #[expect(
                clippy::disallowed_methods,
                reason = "the test thread waits for the load"
            )]
            std::thread::sleep(Duration::from_millis(10));
            harness.step();
        }
    }

    /// A minimised window runs `logic` and no `ui`. The history's writers (the create path
    /// records every attempt before sending it) must not wait on the panel's channel then:
    /// more attempts than the channel holds are recorded while only `logic` runs.
    #[test]
    fn a_minimised_window_keeps_taking_in_the_history() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let handle = rt.handle().clone();
        let setup = no_credentials_with_history(dir.path());
        let mut harness = egui_kittest::Harness::builder()
            .build_eframe(move |cc| OnsApp::with_setup(cc, handle, setup));
        harness.step();

        let recorder = harness.state().session.recorder.clone();
        let writer = rt.spawn(async move {
            for i in 0..40 {
                let attempt = NewAttempt {
                    name: format!("minimised-{i}"),
                    remark: String::new(),
                    region: "cn-hangzhou".to_owned(),
                    endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
                    profile: "environment".to_owned(),
                };
                recorder.record_pending(attempt).await.unwrap();
            }
        });
        let ctx = harness.ctx.clone();
        let mut frame = eframe::Frame::_new_kittest();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !writer.is_finished() {
            assert!(
                Instant::now() < deadline,
                "the history's writer is still waiting for room in the panel's channel"
            );
            eframe::App::logic(harness.state_mut(), &ctx, &mut frame);
            #[expect(
                clippy::disallowed_methods,
                reason = "the test thread waits for the writer"
            )]
            std::thread::sleep(Duration::from_millis(10));
        }
        // Shown again: every attempt is listed in the first frame.
        harness.step();
        assert!(harness.query_by_label("40 entries").is_some());
    }
}
